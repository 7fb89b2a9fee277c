# Shared helpers for the set-up scripts; sourced, not run.
# shellcheck shell=bash

RUN_DIR="${RUN_DIR:-$PWD/.run}"
mkdir -p "$RUN_DIR"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for_port() {
  local port=$1 name=$2
  for _ in $(seq 1 60); do
    port_open "$port" && return 0
    sleep 0.5
  done
  echo "$name did not start listening on 127.0.0.1:$port" >&2
  return 1
}

_apt_updated=""
apt_install() {
  if [ "$(id -u)" != 0 ]; then
    echo "Need Debian packages ($*): run as root or install them first." >&2
    return 1
  fi
  if [ -z "$_apt_updated" ]; then
    say "apt-get update"
    apt-get update -qq
    _apt_updated=1
  fi
  say "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Remembers what this set-up started, so that `make run` stops it again on exit.
mark_started() { echo "$1" >>"$RUN_DIR/started-services"; }

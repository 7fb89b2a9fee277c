# Shared helpers for the set-up scripts; sourced, not run.
# shellcheck shell=bash

RUN_DIR="${RUN_DIR:-$PWD/.run}"
mkdir -p "$RUN_DIR"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

die() {
  echo "$*" >&2
  exit 1
}

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
  # A UTF-8 locale for the packages' own scripts: PostgreSQL's creates its first
  # cluster in the locale it runs in, and in plain C that cluster is SQL_ASCII.
  LANG=C.UTF-8 LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

deb_installed() {
  [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

# Installs those of the given Debian packages that are not installed yet. For
# libraries, which no `command -v` finds: a package that happens to bring one
# along (Redis brings libatomic1) must not be what makes the set-up work.
apt_ensure() {
  local missing=() package
  for package in "$@"; do
    deb_installed "$package" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
}

# Remembers what this set-up started, so that `make run` stops it again on exit.
mark_started() { echo "$1" >>"$RUN_DIR/started-services"; }

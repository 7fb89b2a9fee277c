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

# Runs a command as the postgres user, from / (it may not enter the checkout's folder).
as_postgres() { (cd / && runuser -u postgres -- "$@"); }

# Remembers what this set-up started, so that `make run` stops it again on exit.
mark_started() { echo "$1" >>"$RUN_DIR/started-services"; }

# A running `make run` holds a lease (a file named by its PID), so that the first of two
# stacks to stop leaves PostgreSQL and Redis to the other. Machine-wide: the ports are.
LEASES=${RATHAUS_LEASES:-/tmp/rathaus-make-run}
lease_take() { mkdir -p "$LEASES" && echo "$PWD" >"$LEASES/$$"; }
lease_drop() { rm -f "$LEASES/$$"; }
# The PIDs of the other `make run`s that still run (a killed one leaves a stale file).
leases_held() {
  local file pid
  for file in "$LEASES"/*; do
    [ -e "$file" ] || continue
    pid=${file##*/}
    if kill -0 "$pid" 2>/dev/null; then echo "$pid"; else rm -f "$file"; fi
  done
}

# The ports `make run` opens. RATHAUS_PORT (default 8000) moves all of them:
# the Stripe stand-in (localstripe) listens 420 above it unless
# RATHAUS_STRIPE_PORT says otherwise, so a second stack needs one setting.
stack_ports() {
  export RATHAUS_PORT=${RATHAUS_PORT:-8000}
  export RATHAUS_STRIPE_PORT=${RATHAUS_STRIPE_PORT:-$((RATHAUS_PORT + 420))}
  local name
  for name in RATHAUS_PORT RATHAUS_STRIPE_PORT; do
    if port_open "${!name}"; then
      die "Port ${!name} ($name) is in use, perhaps by another \`make run\`." \
        "Start this one with e.g. RATHAUS_PORT=$((RATHAUS_PORT + 1))."
    fi
  done
}

# Runs the processes of a Procfile with honcho until Ctrl-C or SIGTERM (a
# normal stop: returns 0). When a process stops on its own, honcho stops the
# others; that is a failure whatever the process's own exit code was.
serve_procfile() {
  local procfile=$1 honcho rc
  # In the background, so that a SIGTERM sent to this script alone reaches
  # honcho too (a foreground child would be left running).
  .venv/bin/honcho --no-prefix -f "$procfile" start &
  honcho=$!
  trap 'kill -TERM "$honcho" 2>/dev/null || true' INT TERM
  while :; do
    rc=0
    wait "$honcho" || rc=$?
    # wait returns early when a signal arrives; go on until honcho is gone.
    kill -0 "$honcho" 2>/dev/null || break
  done
  trap - INT TERM
  case $rc in
    # honcho's own exit codes after SIGINT and SIGTERM.
    130 | 143) return 0 ;;
    0) echo "A process of $procfile stopped on its own; honcho stopped the others." >&2 ;;
    *) echo "A process of $procfile failed (exit code $rc); honcho stopped the others." >&2 ;;
  esac
  return $((rc == 0 ? 1 : rc))
}

#!/usr/bin/env bash
# Proves that `make test` passes on a fresh, minimal Debian 12 (bookworm) on which nothing
# of this machine helps it. Not part of `make test`; run it by hand after changing the
# set-up (5 to 10 minutes on 2 cores; docs/setup.md has the last run).
#
#   infra/scripts/check-fresh-debian.sh [--redis-listening] [--branch NAME] [--keep] [-- COMMAND...]
#
#   1. debootstrap --variant=minbase bookworm, plus python3.11 and make: no venv module, no
#      git, no CA certificates, no services. The apt sources get bookworm-updates and
#      bookworm-security beside bookworm (as an installed Debian has), /etc/hosts names
#      localhost (debootstrap writes none). Of this machine it gets only its DNS server and its
#      TLS trust (CA files and SSL_CERT_FILE, PIP_CERT, REQUESTS_CA_BUNDLE where set), since a
#      network that inspects TLS needs them on every machine, a fresh one included.
#   2. A clean clone of the branch (default: the one checked out here, as committed) in
#      /root/rathaus inside the root.
#   3. A network namespace of its own: on its loopback nothing listens, so this machine's
#      PostgreSQL and Redis are out of reach and the set-up must install and start its own;
#      a veth pair with NAT (nftables) reaches the package registries.
#   4. --redis-listening: Debian's redis-server from *this* machine is started in that
#      namespace first, outside the root. Redis then listens while the root has neither the
#      Redis package nor its dependencies: the case in which the browser tests once failed,
#      because libatomic1 had only ever arrived with Redis. (Installing redis-server into the
#      root first would bring libatomic1 along and hide exactly that.)
#   5. Runs COMMAND (default: make test) there, as root, with an empty environment; prints
#      how long it took and what the set-up installed (from the root's apt history).
#   6. Stops every process in the namespace, removes the namespace, the NAT table and (without
#      --keep) the root, and restores net.ipv4.ip_forward.
#
# Needs root on a Debian-like machine: debootstrap, nftables and iproute2 are installed here if
# missing. Disk: about 4 GB under FRESH_DIR (default /var/tmp/rathaus-fresh-debian).
# FRESH_SUBNET (default 10.231.77) names the /30 the veth pair uses.
set -euo pipefail
cd "$(dirname "$0")/../.."
source infra/scripts/lib.sh

FRESH_DIR=${FRESH_DIR:-/var/tmp/rathaus-fresh-debian}
ROOT_DIR=$FRESH_DIR/root
NS=rathaus-fresh
VETH=rfresh0 # host side; the namespace side is rfresh1
SUBNET=${FRESH_SUBNET:-10.231.77}
NFT_TABLE=rathaus_fresh
REPO=$PWD
BRANCH=$(git rev-parse --abbrev-ref HEAD)
REDIS_LISTENING=""
KEEP=""
COMMAND=(make test)
forward_before=""
# This network may intercept TLS with a CA of its own, which this machine trusts through
# its CA files and variables such as SSL_CERT_FILE. The root gets the same (a fresh machine
# on this network has them too), and nothing else of this machine.
TLS_VARIABLES=(SSL_CERT_FILE PIP_CERT REQUESTS_CA_BUNDLE)

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

parse_args() {
  while [ $# -gt 0 ]; do
    case $1 in
      --redis-listening) REDIS_LISTENING=1 ;;
      --branch) BRANCH=$2; shift ;;
      --keep) KEEP=1 ;;
      --) shift; COMMAND=("$@"); break ;;
      -h | --help) usage; exit 0 ;;
      *) usage >&2; exit 2 ;;
    esac
    shift
  done
}

preflight() {
  [ "$(id -u)" = 0 ] || die "Run as root (debootstrap, network namespaces, chroot)."
  command -v debootstrap >/dev/null && command -v nft >/dev/null && command -v ip >/dev/null \
    || apt_install debootstrap nftables iproute2
  ! ip netns list | grep -qw "$NS" && [ ! -e "$ROOT_DIR" ] \
    || die "$NS or $ROOT_DIR exists: another check is running, or an old one was killed" \
      "(then: ip netns pids $NS | xargs -r kill; ip netns del $NS; ip link del $VETH;" \
      "nft delete table ip $NFT_TABLE; rm -rf $ROOT_DIR)."
  git rev-parse --verify --quiet "$BRANCH^{commit}" >/dev/null || die "No branch $BRANCH here."
  [ -z "$(git status --porcelain --untracked-files=no)" ] \
    || echo "Note: uncommitted changes here are not tested; the clone has $BRANCH as committed."
  mkdir -p "$FRESH_DIR"
  local free_kb
  free_kb=$(df --output=avail -k "$FRESH_DIR" | tail -n 1)
  [ "$free_kb" -gt $((5 * 1024 * 1024)) ] || die "Less than 5 GB free in $FRESH_DIR."
  grep -q '^nameserver 127\.' /etc/resolv.conf \
    && die "This machine's DNS server is on its loopback, which the namespace cannot reach."
  return 0
}

make_root() {
  say "debootstrap: minimal bookworm with python3.11 and make"
  debootstrap --variant=minbase --include=python3.11,make bookworm "$ROOT_DIR" \
    >"$FRESH_DIR/debootstrap.log" 2>&1 || { tail -n 20 "$FRESH_DIR/debootstrap.log"; exit 1; }
  # Same mirror as debootstrap used, plus the suites every installed Debian has
  # (Chromium, for one, is kept current in bookworm-security only).
  local mirror
  mirror=$(awk '$1 == "deb" { print $2; exit }' "$ROOT_DIR/etc/apt/sources.list")
  cat >"$ROOT_DIR/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb ${mirror%/debian}/debian-security bookworm-security main
EOF
  printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' \
    >"$ROOT_DIR/etc/hosts"
  cp /etc/resolv.conf "$ROOT_DIR/etc/resolv.conf"
  copy_tls_trust
  dpkg --root="$ROOT_DIR" -l | awk '/^ii/ { print $2 }' >"$FRESH_DIR/packages-before.txt"
  say "clean clone of $BRANCH ($(git rev-parse --short "$BRANCH"))"
  git clone --quiet --branch "$BRANCH" "$REPO" "$ROOT_DIR/root/rathaus"
}

copy_tls_trust() {
  local name file
  mkdir -p "$ROOT_DIR/usr/local/share/ca-certificates"
  cp /usr/local/share/ca-certificates/*.crt "$ROOT_DIR/usr/local/share/ca-certificates/" \
    2>/dev/null || true
  : >"$ROOT_DIR/root/tls.env"
  for name in "${TLS_VARIABLES[@]}"; do
    file=${!name:-}
    [ -n "$file" ] && [ -f "$file" ] || continue
    mkdir -p "$ROOT_DIR$(dirname "$file")"
    cp "$file" "$ROOT_DIR$file"
    echo "export $name=$file" >>"$ROOT_DIR/root/tls.env"
  done
}

make_network() {
  say "network namespace $NS: empty loopback, NAT to the outside"
  ip netns add "$NS"
  ip -n "$NS" link set lo up
  ip link add "$VETH" type veth peer name rfresh1
  ip link set rfresh1 netns "$NS"
  ip addr add "$SUBNET.1/30" dev "$VETH"
  ip link set "$VETH" up
  ip -n "$NS" addr add "$SUBNET.2/30" dev rfresh1
  ip -n "$NS" link set rfresh1 up
  ip -n "$NS" route add default via "$SUBNET.1"
  forward_before=$(sysctl -n net.ipv4.ip_forward)
  sysctl -qw net.ipv4.ip_forward=1
  # A table of our own, so removing it touches no one else's rules.
  nft -f - <<EOF
table ip $NFT_TABLE {
  chain postrouting {
    type nat hook postrouting priority srcnat;
    ip saddr $SUBNET.0/30 oifname != "$VETH" masquerade
  }
  chain forward {
    type filter hook forward priority filter;
    iifname "$VETH" accept
    oifname "$VETH" ct state established,related accept
  }
}
EOF
}

start_outside_redis() {
  command -v redis-server >/dev/null || apt_install redis-server
  say "Redis listening in the namespace, started from outside the root"
  ip netns exec "$NS" redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" \
    --appendonly no --dir "$FRESH_DIR" --logfile "$FRESH_DIR/outside-redis.log"
}

# Inside the namespace's own mount namespace (ip netns exec makes one), so that
# these mounts vanish with its last process and never show on this machine.
run_in_root() {
  printf 'source /root/tls.env\ncd /root/rathaus\nexec %s\n' "$(printf '%q ' "${COMMAND[@]}")" \
    >"$ROOT_DIR/root/check-command.sh"
  ip netns exec "$NS" bash -euo pipefail -c "
    mount -t proc proc '$ROOT_DIR/proc'
    mount -t sysfs sysfs '$ROOT_DIR/sys'
    mount --rbind /dev '$ROOT_DIR/dev'
    # A /dev/shm of its own instead of this machine's, which may be mounted twice over
    # (Chromium's launcher measures it and stumbles over two answers).
    while mountpoint -q '$ROOT_DIR/dev/shm'; do umount '$ROOT_DIR/dev/shm'; done
    mount -t tmpfs -o mode=1777 tmpfs '$ROOT_DIR/dev/shm'
    exec chroot '$ROOT_DIR' /usr/bin/env -i HOME=/root TERM=dumb \
      PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
      bash /root/check-command.sh"
}

report() {
  local status=$1 seconds=$2
  dpkg --root="$ROOT_DIR" -l | awk '/^ii/ { print $2 }' >"$FRESH_DIR/packages-after.txt"
  say "result: ${COMMAND[*]} exited $status after $((seconds / 60)) min $((seconds % 60)) s"
  echo "What the set-up asked apt for:"
  grep -h '^Commandline:' "$ROOT_DIR/var/log/apt/history.log" 2>/dev/null | sed 's/^/  /' || true
  echo "Debian packages: $(wc -l <"$FRESH_DIR/packages-before.txt") in the minimal root," \
    "$(wc -l <"$FRESH_DIR/packages-after.txt") after."
  echo "Disk: $(du -sh "$ROOT_DIR" | cut -f1) in the root, of which .venv" \
    "$(du -sh "$ROOT_DIR/root/rathaus/.venv" 2>/dev/null | cut -f1)"
  echo "Log: $FRESH_DIR/run.log"
}

cleanup() {
  if ip netns list | grep -qw "$NS"; then
    # Only what runs in our namespace: the set-up's PostgreSQL and Redis, the outside Redis.
    ip netns pids "$NS" | xargs -r kill 2>/dev/null || true
    for _ in $(seq 1 20); do
      [ -z "$(ip netns pids "$NS")" ] && break
      sleep 0.5
    done
    ip netns pids "$NS" | xargs -r kill -KILL 2>/dev/null || true
    ip netns del "$NS"
  fi
  ip link del "$VETH" 2>/dev/null || true
  nft delete table ip "$NFT_TABLE" 2>/dev/null || true
  [ -z "$forward_before" ] || sysctl -qw "net.ipv4.ip_forward=$forward_before"
  if [ -z "$KEEP" ] && [ -d "$ROOT_DIR" ]; then
    # Nothing is mounted in it on this side (see run_in_root), but make sure.
    if ! findmnt -rn -o TARGET | grep -q "^$ROOT_DIR"; then rm -rf "$ROOT_DIR"; fi
  fi
}

main() {
  parse_args "$@"
  preflight
  trap cleanup EXIT
  make_root
  make_network
  [ -z "$REDIS_LISTENING" ] || start_outside_redis
  say "running '${COMMAND[*]}' in the fresh root"
  local started status=0
  started=$(date +%s)
  run_in_root 2>&1 | tee "$FRESH_DIR/run.log" || status=$?
  report "$status" $(($(date +%s) - started))
  return "$status"
}

main "$@"

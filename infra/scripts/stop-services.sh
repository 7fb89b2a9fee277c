#!/usr/bin/env bash
# Stops the services that ensure-services.sh started (never ones that were already running),
# unless something else still uses them: another `make run` (its lease, see lib.sh) or any
# other client, such as a test run, must not lose its database when this one stops.
set -uo pipefail
cd "$(dirname "$0")/../.."
source infra/scripts/lib.sh

file="$RUN_DIR/started-services"
[ -f "$file" ] || exit 0

# Other sessions than our own question, as PostgreSQL and Redis count them.
postgres_clients() {
  as_postgres psql -d postgres -tAc \
    "SELECT count(*) FROM pg_stat_activity
      WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()" 2>/dev/null || echo 0
}
redis_clients() {
  local lines
  lines=$(redis-cli -p 6379 CLIENT LIST 2>/dev/null | wc -l) || lines=1
  echo $((lines > 0 ? lines - 1 : 0))
}

others=$(leases_held | xargs)
if [ -n "$others" ]; then
  say "leaving PostgreSQL and Redis running: another make run (PID $others) uses them"
  exit 0
fi
in_use=0
while read -r name _; do
  case "$name" in
    postgres) in_use=$((in_use + $(postgres_clients))) ;;
    redis) in_use=$((in_use + $(redis_clients))) ;;
  esac
done <"$file"
if [ "$in_use" -gt 0 ]; then
  say "leaving PostgreSQL and Redis running: $in_use other connections still use them"
  exit 0
fi

while read -r name version; do
  case "$name" in
    postgres) say "stopping PostgreSQL"; pg_ctlcluster --skip-systemctl-redirect "$version" main stop ;;
    redis) say "stopping Redis"; kill "$(cat "$RUN_DIR/redis.pid")" 2>/dev/null ;;
  esac
done <"$file"
rm -f "$file"

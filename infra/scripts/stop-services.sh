#!/usr/bin/env bash
# Stops the services that ensure-services.sh started (never ones that were already running).
set -uo pipefail
cd "$(dirname "$0")/../.."
source infra/scripts/lib.sh

file="$RUN_DIR/started-services"
[ -f "$file" ] || exit 0
while read -r name version; do
  case "$name" in
    postgres) say "stopping PostgreSQL"; pg_ctlcluster --skip-systemctl-redirect "$version" main stop ;;
    redis) say "stopping Redis"; kill "$(cat "$RUN_DIR/redis.pid")" 2>/dev/null ;;
  esac
done <"$file"
rm -f "$file"

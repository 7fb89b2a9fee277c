#!/usr/bin/env bash
# `make run`: migrates, loads the demo towns and serves them with a Celery worker and beat.
# Ctrl-C stops every process it started, including services the set-up had to start,
# and exits 0; when any process stops on its own (a crash, a port in use), it exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/../.."
source infra/scripts/lib.sh

export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-rathaus.config.settings.development}
export RATHAUS_BIND=${RATHAUS_BIND:-127.0.0.1}
# Before anything else: a second `make run` on the same ports stops here, at once.
stack_ports
lease_take
trap 'lease_drop; bash infra/scripts/stop-services.sh' EXIT

say "migrating"
.venv/bin/python manage.py migrate_all
.venv/bin/python manage.py load_demo --port "$RATHAUS_PORT"
echo "  (Stripe stand-in: http://127.0.0.1:$RATHAUS_STRIPE_PORT)"
echo "Press Ctrl-C to stop."
serve_procfile infra/Procfile.dev 2>&1

#!/usr/bin/env bash
# `make run`: migrates, loads the demo towns and serves them with a Celery worker and beat.
# Ctrl-C stops every process it started, including services the set-up had to start.
set -euo pipefail
cd "$(dirname "$0")/../.."
source infra/scripts/lib.sh

export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-rathaus.config.settings.development}
export RATHAUS_PORT=${RATHAUS_PORT:-8000}
export RATHAUS_BIND=${RATHAUS_BIND:-127.0.0.1}
trap 'bash infra/scripts/stop-services.sh' EXIT

say "migrating"
.venv/bin/python manage.py migrate_all
.venv/bin/python manage.py load_demo --port "$RATHAUS_PORT"
echo "Press Ctrl-C to stop."
.venv/bin/honcho --no-prefix -f infra/Procfile.dev start 2>&1 || true

#!/usr/bin/env bash
# Makes sure PostgreSQL and Redis answer on localhost: uses running ones, otherwise
# installs Debian's packages and starts them. Also the tools set-up needs (gettext, xmlsec1).
set -euo pipefail
cd "$(dirname "$0")/../.."
source infra/scripts/lib.sh

DB_NAME=${RATHAUS_DB_NAME:-rathaus}
DB_USER=${RATHAUS_DB_USER:-rathaus}
DB_PASSWORD=${RATHAUS_DB_PASSWORD:-rathaus}

ensure_tools() {
  local wanted=()
  # compilemessages and the translations test run msgfmt.
  command -v msgfmt >/dev/null || wanted+=(gettext)
  # pysaml2 signs and checks SAML messages with the xmlsec1 program.
  command -v xmlsec1 >/dev/null || wanted+=(xmlsec1)
  # pg_dump captures the town schema template (rathaus.tenants.provisioning);
  # psql is what this script talks to PostgreSQL with.
  command -v pg_dump >/dev/null && command -v psql >/dev/null || wanted+=(postgresql-client)
  [ ${#wanted[@]} -eq 0 ] || apt_install "${wanted[@]}"
  # The pooling tests start their own PgBouncer (tests/pgbouncer.py); the compose
  # test validates infra/compose.yaml with Docker Compose where the docker CLI has
  # no compose plugin (Debian's docker-compose needs no Docker daemon for `config`).
  apt_ensure pgbouncer
  if ! docker compose version >/dev/null 2>&1; then apt_ensure docker-compose; fi
}

ensure_postgres() {
  if ! port_open 5432; then
    if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
      apt_install postgresql
    fi
    local version
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    # The package's own scripts may already have started the new cluster.
    if ! port_open 5432; then
      say "starting PostgreSQL $version"
      pg_ctlcluster --skip-systemctl-redirect "$version" main start
    fi
    mark_started "postgres $version"
    wait_for_port 5432 PostgreSQL
  fi

  if PGPASSWORD=$DB_PASSWORD PGCONNECT_TIMEOUT=3 psql -h 127.0.0.1 -U "$DB_USER" -d "$DB_NAME" \
      -tAc 'SELECT 1' >/dev/null 2>&1; then
    return 0
  fi
  say "creating PostgreSQL role and database '$DB_NAME'"
  local sql="DO \$\$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') THEN
        CREATE ROLE $DB_USER LOGIN CREATEDB PASSWORD '$DB_PASSWORD';
      ELSE
        ALTER ROLE $DB_USER LOGIN CREATEDB PASSWORD '$DB_PASSWORD';
      END IF;
    END \$\$;"
  # As the cluster's superuser: over TCP where that is trusted, else by peer auth.
  if psql -h 127.0.0.1 -U postgres -d postgres -tAc 'SELECT 1' >/dev/null 2>&1; then
    admin=(psql -h 127.0.0.1 -U postgres -d postgres -v ON_ERROR_STOP=1 -q)
  else
    admin=(as_postgres psql -d postgres -v ON_ERROR_STOP=1 -q)
  fi
  "${admin[@]}" -c "$sql"
  if [ -z "$("${admin[@]}" -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" ]; then
    "${admin[@]}" -c "CREATE DATABASE \"$DB_NAME\" OWNER $DB_USER"
  fi
}

ensure_redis() {
  port_open 6379 && return 0
  command -v redis-server >/dev/null || apt_install redis-server
  # The package's own scripts may already have started it.
  port_open 6379 && return 0
  say "starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir "$RUN_DIR" --pidfile "$RUN_DIR/redis.pid" --logfile "$RUN_DIR/redis.log"
  mark_started redis
  wait_for_port 6379 Redis
}

ensure_tools
ensure_postgres
ensure_redis

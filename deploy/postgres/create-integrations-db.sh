#!/bin/sh
# One-shot job (postgres image): creates the platform's own database and role on the compose
# PostgreSQL, beside Temporal's databases and separate from them (PLAT-12). The platform's pieces
# create their tables themselves (migrations at worker start-up). Safe to run on every start; it
# also sets the role's password again, so rotating the secret takes effect on the next start.
#
# Connects as the server's superuser through the libpq variables (PGHOST, PGPORT, PGUSER, and the
# password from PGPASSWORD_FILE).
set -eu

db="${INTEGRATIONS_DB:-integrations}"
role="${INTEGRATIONS_ROLE:-integrations}"
password="$(cat "${INTEGRATIONS_PASSWORD_FILE:?}")"
if [ -z "$password" ]; then
  echo "INTEGRATIONS_PASSWORD_FILE ${INTEGRATIONS_PASSWORD_FILE} is empty" >&2
  exit 1
fi
if [ -n "${PGPASSWORD_FILE:-}" ]; then
  PGPASSWORD="$(cat "$PGPASSWORD_FILE")"
  export PGPASSWORD
fi

echo "waiting for PostgreSQL at ${PGHOST:-localhost}:${PGPORT:-5432}"
until pg_isready -q -d postgres; do sleep 1; done

psql -v ON_ERROR_STOP=1 -q -d postgres -v db="$db" -v role="$role" -v password="$password" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'role') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L', :'role', :'password') \gexec
SELECT format('CREATE DATABASE %I OWNER %I ENCODING %L', :'db', :'role', 'UTF8') WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'db') \gexec
SELECT format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I', :'db', :'role') \gexec
SQL
echo "database $db and role $role are ready"

#!/bin/sh
# One-shot job (admin-tools image): creates the Temporal and visibility databases in PostgreSQL and
# brings both schemas up to the version this server image ships. Safe to run on every start.
set -eu

SQL_PASSWORD="$(cat "${SQL_PASSWORD_FILE:?}")"
export SQL_PASSWORD
db_host="${POSTGRES_SEEDS:-postgresql}"
db_port="${DB_PORT:-5432}"
schema_dir=/etc/temporal/schema/postgresql/v12

echo "waiting for PostgreSQL at ${db_host}:${db_port}"
until nc -z "$db_host" "$db_port"; do sleep 1; done

sql_tool() {
  temporal-sql-tool --plugin postgres12 --ep "$db_host" -p "$db_port" -u "${POSTGRES_USER:?}" "$@"
}
for db in temporal temporal_visibility; do
  sql_tool --db "$db" create-database || echo "database $db already exists"
done
sql_tool --db temporal setup-schema -v 0.0
sql_tool --db temporal update-schema -d "$schema_dir/temporal/versioned"
sql_tool --db temporal_visibility setup-schema -v 0.0
sql_tool --db temporal_visibility update-schema -d "$schema_dir/visibility/versioned"
echo "PostgreSQL schemas are up to date"

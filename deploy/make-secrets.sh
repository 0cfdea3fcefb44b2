#!/usr/bin/env bash
# Creates every secret file docker-compose.yml expects that does not exist yet, with random values.
set -euo pipefail
cd "$(dirname "$0")/secrets"

random() { head -c "$1" /dev/urandom | base64 | tr -d '\n/+=' | head -c "$2"; }
create() {
  local file=$1 value=$2
  if [ -e "$file" ]; then echo "keep   deploy/secrets/$file"; return; fi
  printf '%s' "$value" > "$file"
  chmod 644 "$file"
  echo "create deploy/secrets/$file"
}

key_id="$(date +%Y)-1"
create codec_keys.json "{\"$key_id\": \"$(head -c 32 /dev/urandom | base64 | tr -d '\n')\"}"
create codec_server_token.txt "$(random 48 40)"
create temporal_db_password.txt "$(random 48 32)"
# The platform's own database (PLAT-12): the role's password, and the workers' URL holding the same one.
create integrations_db_password.txt "$(random 48 32)"
create integrations_database_url.txt "postgres://integrations:$(cat integrations_db_password.txt)@postgresql:5432/integrations"
create mssql_sa_password.txt "Pc-$(random 48 24)9a"
for name in coachview_client_secret coachview_push_secret moodle_token intake_ilias_secret intake_anewspring_secret; do
  create "$name.txt" "$(random 48 32)"
done
create smtp_password.txt ""  # used only when SMTP_PASSWORD_FILE is set in app.env
# The roster-sync worker (compose profile roster-sync): a read-only ProCapita account and itslearning's key.
create procapita_connection_string.txt "CHANGE-ME"
create itslearning_api_key.txt "CHANGE-ME"
echo "codec key id: $key_id (set CODEC_ACTIVE_KEY_ID to it in deploy/app.env when it differs)"

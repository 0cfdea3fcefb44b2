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
# The Web UI's OIDC client secret, from the school's identity provider (deploy/README.md).
create ui_oidc_client_secret.txt "CHANGE-ME"
# The roster-sync worker (compose profile roster-sync): a read-only ProCapita account and itslearning's key.
create procapita_connection_string.txt "CHANGE-ME"
create itslearning_api_key.txt "CHANGE-ME"
# The competence worker (compose profile competences): InfoCaption's OAuth2 client secret and WinLas' API key.
create infocaption_client_secret.txt "CHANGE-ME"
create winlas_api_key.txt "CHANGE-ME"
# The WISEflow worker (compose profile wiseflow): the licence's OAuth2 client secret and Praktikportalen's
# API key; and the intake's secret of WISEflow's webhook registration (POST /webhooks; docs/wiseflow.md).
create wiseflow_client_secret.txt "CHANGE-ME"
create praktikportalen_api_key.txt "CHANGE-ME"
create intake_wiseflow_secret.txt "$(random 48 32)"

# Temporal's endpoint takes mutual TLS only (PLAT-15): a private CA, the server's certificate and one
# client certificate per caller (docs/security.md). Each folder under tls/ is mounted into its one
# service; the CA's key stays here. TEMPORAL_TLS_SANS adds names the server is reached by from other
# machines (e.g. "DNS:temporal.school.example"). To renew, remove a folder (or all of tls/) and run again.
tls_days=397
mkdir -p tls
if [ -e tls/ca.key ]; then
  echo "keep   deploy/secrets/tls/ca.pem"
else
  openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
    -keyout tls/ca.key -out tls/ca.pem -days 3650 -sha256 \
    -subj "/O=School integrations/CN=School integrations Temporal CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  chmod 600 tls/ca.key
  chmod 644 tls/ca.pem
  echo "create deploy/secrets/tls/ca.pem (private CA)"
fi
certificate() {
  local name=$1 usage=$2 names=$3 dir="tls/$1"
  if [ -e "$dir/tls.crt" ]; then echo "keep   deploy/secrets/$dir"; return; fi
  mkdir -p "$dir"
  openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
    -keyout "$dir/tls.key" -out "$dir/tls.csr" -subj "/O=School integrations/CN=$name" 2>/dev/null
  printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=%s\nsubjectAltName=%s\n' \
    "$usage" "$names" > "$dir/tls.ext"
  openssl x509 -req -in "$dir/tls.csr" -CA tls/ca.pem -CAkey tls/ca.key -set_serial "0x$(openssl rand -hex 16)" \
    -days "$tls_days" -sha256 -extfile "$dir/tls.ext" -out "$dir/tls.crt" 2>/dev/null
  rm "$dir/tls.csr" "$dir/tls.ext"
  cp tls/ca.pem "$dir/ca.pem"
  # Read by the container's own non-root user; the folder is mounted into this one service only.
  chmod 644 "$dir/tls.key" "$dir/tls.crt" "$dir/ca.pem"
  echo "create deploy/secrets/$dir"
}
# The server presents this to its clients and to itself (internode), so it serves and calls.
certificate temporal serverAuth,clientAuth "DNS:temporal,DNS:localhost,IP:127.0.0.1${TEMPORAL_TLS_SANS:+,$TEMPORAL_TLS_SANS}"
for caller in worker worker-roster-sync worker-competences worker-wiseflow intake temporal-ui temporal-admin; do
  certificate "$caller" clientAuth "DNS:$caller"
done

echo "codec key id: $key_id (set CODEC_ACTIVE_KEY_ID to it in deploy/app.env when it differs)"

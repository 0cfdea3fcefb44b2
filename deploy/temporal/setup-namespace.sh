#!/bin/sh
# One-shot job (admin-tools image): creates the namespace and registers the custom search attributes
# the workflows set (platform/names.ts), so operators can filter by them in the Web UI. Idempotent.
# Temporal takes mutual TLS only (PLAT-15): the client certificate is passed as flags, which every
# version of the temporal CLI reads.
set -eu

namespace="${TEMPORAL_NAMESPACE:-default}"
retention="${TEMPORAL_NAMESPACE_RETENTION:-30d}"
export TEMPORAL_ADDRESS="${TEMPORAL_ADDRESS:-temporal:7233}"

tls=""
if [ -n "${TEMPORAL_TLS_CLIENT_CERT_PATH:-}" ]; then
  tls="--tls-cert-path ${TEMPORAL_TLS_CLIENT_CERT_PATH} --tls-key-path ${TEMPORAL_TLS_CLIENT_KEY_PATH:?}"
  tls="$tls --tls-ca-path ${TEMPORAL_TLS_SERVER_CA_CERT_PATH:?} --tls-server-name ${TEMPORAL_TLS_SERVER_NAME:-temporal}"
fi
# $tls is deliberately unquoted: it is a list of flags (paths without spaces).
t() { temporal "$@" $tls; }

echo "waiting for Temporal at ${TEMPORAL_ADDRESS}"
until t operator cluster health >/dev/null 2>&1; do sleep 2; done

t operator namespace describe --namespace "$namespace" >/dev/null 2>&1 \
  || t operator namespace create --namespace "$namespace" --retention "$retention"
# A new namespace reaches every part of the server a few seconds after it is created.
until t operator search-attribute list --namespace "$namespace" >/dev/null 2>&1; do sleep 1; done

for name in Integration SchoolYear SourceId IntegrationStatus; do
  if t operator search-attribute list --namespace "$namespace" | grep -qw "$name"; then
    echo "search attribute $name already registered"
  else
    t operator search-attribute create --namespace "$namespace" --name "$name" --type Keyword
  fi
done
echo "namespace $namespace is ready"

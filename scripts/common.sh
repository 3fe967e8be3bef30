# Shared by the scripts: logging and installing what a fresh machine lacks.
# shellcheck shell=bash

log() { printf '\n==> %s\n' "$*" >&2; }

ensure_node() {
  if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then return; fi
  log "installing Node.js and npm (Debian packages)"
  apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null
}

ensure_chromium() {
  # Chromium for the browser tests; a CJK font so screenshots show Chinese, not boxes.
  if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi "wenquanyi\|wqy"; then return; fi
  log "installing Chromium and a Chinese font for the browser tests (Debian packages)"
  apt-get update -qq && apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null
}

# npm ci in $1 when its lock file is newer than what is installed.
ensure_npm_packages() {
  if [ ! -f "$1/node_modules/.package-lock.json" ] || [ "$1/package-lock.json" -nt "$1/node_modules/.package-lock.json" ]; then
    log "npm packages of $1 (pinned in package-lock.json)"
    (cd "$1" && npm ci --no-audit --no-fund >&2)
  fi
}

ensure_postgres() {
  # PostgreSQL's server binaries for the tests of the PostgreSQL backend: each test binary
  # starts its own throwaway cluster in a temporary directory (server/pg-cluster), so
  # Debian's own cluster is neither needed nor started.
  if compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then return; fi
  log "installing PostgreSQL (Debian packages) for the PostgreSQL backend's tests"
  apt-get update -qq
  # policy-rc.d 101: the package must not start Debian's default cluster as a service.
  local policy=/usr/sbin/policy-rc.d created=""
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && created=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  if [ -n "$created" ]; then rm -f "$policy"; fi
}

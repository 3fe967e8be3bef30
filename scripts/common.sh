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

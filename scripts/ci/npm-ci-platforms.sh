#!/usr/bin/env bash
# Checks that `npm ci` passes on the platforms developers use, from this machine. For each platform
# and each npm project of the repo (every package-lock.json git tracks), a copy of its package.json
# files and lock is installed with npm's platform checks believing they run there
# (scripts/ci/fake-platform.cjs), and the Node 22 package that platform gets is named.
# Default: `npm ci --dry-run` (npm resolves the whole tree and runs every platform check, ~3 s);
# --full: a real `npm ci --ignore-scripts` (minutes; the other platform's binaries cannot run here).
#   bash scripts/ci/npm-ci-platforms.sh [--full] [darwin-arm64 darwin-x64 linux-arm64 win32-x64]
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"
mode=(--dry-run)
if [ "${1:-}" = "--full" ]; then mode=(); shift; fi
platforms="${*:-darwin-arm64 darwin-x64 linux-arm64 win32-x64}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
git ls-files '*package.json' '*package-lock.json' '.npmrc' '*/.npmrc' | while read -r f; do
  mkdir -p "$work/$(dirname "$f")"; cp "$f" "$work/$f"
done
for platform in $platforms; do
  for lock in $(cd "$work" && find . -name package-lock.json -not -path '*/node_modules/*' | sort); do
    dir="$(dirname "$lock")"
    start=$(date +%s)
    rm -rf "$work/$dir/node_modules"
    if ! out="$(cd "$work/$dir" && FAKE_PLATFORM="$platform" NODE_OPTIONS="-r $root/scripts/ci/fake-platform.cjs" \
        npm ci "${mode[@]}" --ignore-scripts --no-audit --no-fund 2>&1)"; then
      echo "npm ci FAILED as $platform in $dir:"; echo "$out" | grep -v '^npm error   ' | tail -15; exit 1
    fi
    node22="$(echo "$out" | grep -oE '^add node-(bin-)?(darwin|linux|win)-[a-z0-9]+ [0-9.]+' | sed 's/^add //' || true)"
    [ -z "$node22" ] && node22="$(ls -d "$work/$dir"/node_modules/node-*-*/bin 2>/dev/null | sed 's#.*node_modules/##;s#/bin##' | tr '\n' ' ' || true)"
    echo "npm ci ${mode[*]:-} as $platform in $dir: ok ($(( $(date +%s) - start )) s; Node 22 package: ${node22:-none})"
  done
done

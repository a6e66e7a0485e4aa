#!/usr/bin/env bash
# relay/Dockerfile's steps without Docker (no Docker engine runs in CI): in a temporary folder,
#   build stage: the package files, `npm ci` from the lock, the rest of relay/ minus .dockerignore,
#                `npm run build` (tsc → dist/);
#   run stage:   the package files, `npm ci --omit=dev`, dist/ from the build stage;
# then scripts/ci/relay-image-check.mjs starts the image's CMD there, runs its HEALTHCHECK command,
# delivers one signed webhook to a local hook and stops it with SIGTERM. Node: the one
# scripts/run.mjs picks (22+, like the image's node:22). Usage: bash relay/ci-image-steps.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
node22=$(cd "$root" && CI=true node scripts/run.mjs scripts/ci/node-path.mjs)
export PATH="$(dirname "$node22"):$PATH"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/relay-image.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/src" "$tmp/app"

echo "  build stage: npm ci, npm run build (Node $(node --version))"
cp "$root/relay/package.json" "$root/relay/package-lock.json" "$tmp/src/"
(cd "$tmp/src" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
excludes=()
while IFS= read -r pattern; do
  pattern=${pattern%%#*}
  pattern=${pattern%/}
  pattern=$(echo "$pattern" | xargs)
  [ -n "$pattern" ] && excludes+=("--exclude=./$pattern")
done <"$root/relay/.dockerignore"
tar -C "$root/relay" -cf - "${excludes[@]}" . | tar -C "$tmp/src" -xf -
(cd "$tmp/src" && npm run --silent build)

echo "  run stage: npm ci --omit=dev, dist/ from the build stage"
cp "$root/relay/package.json" "$root/relay/package-lock.json" "$tmp/app/"
(cd "$tmp/app" && NODE_ENV=production npm ci --omit=dev --no-audit --no-fund --loglevel=error >/dev/null)
cp -R "$tmp/src/dist" "$tmp/app/dist"

node "$root/scripts/ci/relay-image-check.mjs" "$tmp/app" "$root/relay/Dockerfile"

#!/usr/bin/env bash
# Non-interactive check that `zapier-platform invoke` works against the local sandbox with a .env
# made from .env.example: `invoke auth start` completes the OAuth dance (scripts/fake-browser.ts
# plays the browser), then auth test, a trigger, a search and a create run. Restores any .env.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH" DISABLE_ZAPIER_ANALYTICS=1
port="${SANDBOX_PORT:-4010}"
work="$(mktemp -d)"
backup=""
cleanup() {
  [ -n "${sandbox_pid:-}" ] && kill "$sandbox_pid" 2>/dev/null || true
  rm -f .env
  [ -n "$backup" ] && mv "$backup" .env
  rm -rf "$work"
}
trap cleanup EXIT
if [ -f .env ]; then backup="$work/env.backup"; cp .env "$backup"; fi
sed "s/127.0.0.1:4010/127.0.0.1:$port/g" .env.example > .env

SANDBOX_PORT="$port" tsx sandbox/main.ts >"$work/sandbox.log" 2>&1 &
sandbox_pid=$!
for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$port/_sandbox/state" >/dev/null 2>&1 && break; sleep 0.2; done

npm run --silent build
fail() { echo "invoke check FAILED: $*"; echo "--- last output:"; cat "$work/out" 2>/dev/null | tail -30; exit 1; }
run() { echo "\$ zapier-platform invoke $*"; zapier-platform invoke "$@" --non-interactive >"$work/out" 2>&1 || fail "invoke $*"; }

BROWSER="$PWD/scripts/fake-browser.sh" FAKE_BROWSER_LOG="$work/browser.log" run auth start
grep -q '^authData_access_token=' .env || fail "auth start wrote no access token to .env"
grep -q '^authData_locationId=' .env || fail "auth start wrote no locationId to .env"

run auth test
grep -q 'Maple & Rye Goods (Demo)' "$work/out" || fail "auth test did not return the location"

run trigger new_contact
grep -q '"email"' "$work/out" || fail "new_contact returned no contacts"

run search find_contact -i '{"email":"olivia.bennett@example.com"}'
grep -q 'Olivia' "$work/out" || fail "find_contact did not find Olivia"
contact_id="$(grep -o '"id": *"[A-Za-z0-9]*"' "$work/out" | head -1 | sed 's/.*"\([A-Za-z0-9]*\)"$/\1/')"

run create create_task -i "{\"contactId\":\"$contact_id\",\"title\":\"Invoke check task\",\"dueDate\":\"2026-12-01T15:00:00Z\"}"
grep -q 'Invoke check task' "$work/out" || fail "create_task did not return the task"

count="$(curl -fs "http://127.0.0.1:$port/_sandbox/requests" | grep -o '"path"' | wc -l)"
echo "invoke check passed: auth start, auth test, trigger new_contact, search find_contact, create create_task ($count sandbox requests)"

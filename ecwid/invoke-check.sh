#!/usr/bin/env bash
# Non-interactive check that `zapier-platform invoke` works for the Ecwid app against the Ecwid
# sandbox, with an ecwid/.env made from ecwid/.env.example: `invoke auth start` completes the OAuth
# dance (scripts/fake-browser.ts plays the browser; the repo's CLI patch hands getAccessToken the
# redirect's store_id, as Zapier does, see docs/ecwid-app.md), then auth test, the three triggers and the
# search run. Restores any ecwid/.env. Run from anywhere: `bash ecwid/invoke-check.sh`.
set -euo pipefail
cd "$(dirname "$0")"
root="$(cd .. && pwd)"
export PATH="$root/node_modules/.bin:$PATH" DISABLE_ZAPIER_ANALYTICS=1
port="${ECWID_SANDBOX_PORT:-4020}"
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
sed "s/127.0.0.1:4020/127.0.0.1:$port/g" .env.example > .env
# invoke's own check wants CLIENT_ID/CLIENT_SECRET; copy the ECWID_ values.
sed -n 's/^ECWID_\(CLIENT_ID\|CLIENT_SECRET\)=/\1=/p' .env.example >> .env

ECWID_SANDBOX_PORT="$port" tsx sandbox/main.ts >"$work/sandbox.log" 2>&1 &
sandbox_pid=$!
for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$port/_sandbox/state" >/dev/null 2>&1 && break; sleep 0.2; done

npm run --silent build
fail() { echo "Ecwid invoke check FAILED: $*"; echo "--- last output:"; tail -30 "$work/out" 2>/dev/null; exit 1; }
run() { echo "\$ (ecwid) zapier-platform invoke $*"; zapier-platform invoke "$@" --non-interactive >"$work/out" 2>&1 || fail "invoke $*"; }

BROWSER="$root/scripts/fake-browser.sh" FAKE_BROWSER_LOG="$work/browser.log" run auth start
grep -q '^authData_access_token=' .env || fail "auth start wrote no access token to .env"
grep -Eq "^authData_store_id='?1003" .env || fail "auth start wrote no store_id to .env"
# The code went to …/token/{store_id} (the store_id of Ecwid's redirect), never to the retired …/token.
tokens="$(curl -fs "http://127.0.0.1:$port/_sandbox/requests" | grep -o '"path":"/api/oauth/token[^"]*","query":{[^}]*},"status":[0-9]*' || true)"
[ "$tokens" = '"path":"/api/oauth/token/1003","query":{},"status":200' ] || fail "the code exchange was not one POST /api/oauth/token/1003 answered 200: ${tokens:-none}"

run auth test
grep -q 'Maple & Rye Goods (Demo)' "$work/out" || fail "auth test did not return the store name"

curl -fs -X POST -H 'content-type: application/json' -d '{"email":"invoke.check@example.com","firstName":"Invoke"}' "http://127.0.0.1:$port/_sandbox/register" >/dev/null
run trigger new_customer
grep -q 'invoke.check@example.com' "$work/out" || fail "new_customer did not list the new customer"
run trigger new_or_updated_customer
grep -q '"customerId"' "$work/out" || fail "new_or_updated_customer returned no customers"
curl -fs -X POST -H 'content-type: application/json' -d '{"id":274839105}' "http://127.0.0.1:$port/_sandbox/delete" >/dev/null
run trigger deleted_customer
grep -q '274839105' "$work/out" || fail "deleted_customer did not list the deletion"
run search find_customer -i '{"email":"invoke.check@example.com"}'
grep -q 'Invoke' "$work/out" || fail "find_customer did not find the customer"

count="$(curl -fs "http://127.0.0.1:$port/_sandbox/requests" | grep -o '"path"' | wc -l)"
echo "Ecwid invoke check passed: auth start, auth test, triggers new_customer, new_or_updated_customer, deleted_customer, search find_customer ($count sandbox requests)"

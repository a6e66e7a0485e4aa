#!/usr/bin/env bash
# Debian's Chromium for the relay console's browser test (test/relay/console.test.ts, driven by
# playwright-core, which downloads no browser). Installs the `chromium` package when
# /usr/bin/chromium is missing; prints its version. Exits non-zero when it cannot.
set -euo pipefail
if [ ! -x /usr/bin/chromium ]; then
  SUDO=$([ "$(id -u)" = 0 ] && echo "" || echo "sudo")
  ($SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null) >&2
fi
/usr/bin/chromium --version 2>/dev/null

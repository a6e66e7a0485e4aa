#!/usr/bin/env bash
# $BROWSER for the invoke check: see fake-browser.ts.
cd "$(dirname "$0")/.." && exec tsx scripts/fake-browser.ts "$@" >>"${FAKE_BROWSER_LOG:-/dev/stderr}" 2>&1

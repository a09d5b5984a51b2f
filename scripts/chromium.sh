#!/usr/bin/env bash
# The browser tests (tests/output/test_browser.py) drive Debian's chromium through Playwright,
# because Playwright's own browser download is not reachable everywhere. Install it when missing.
set -euo pipefail
[ -x /usr/bin/chromium ] && exit 0
echo "setup: installing Debian's chromium for the browser tests" >&2
as_root=""; [ "$(id -u)" -eq 0 ] || as_root="sudo"
$as_root apt-get update -qq && $as_root apt-get install -y -qq chromium >/dev/null

#!/usr/bin/env bash
# The inspector's browser test (test/inspector.browser.test.ts) drives Debian's Chromium with
# playwright-core, which downloads no browser of its own. `npm test` runs this first
# (pretest) so a fresh machine gets Chromium from Debian's packages; an existing one is kept.
set -euo pipefail
chromium=/usr/bin/chromium
if [ -x "$chromium" ]; then
  echo "ensure-chromium: $("$chromium" --version 2>/dev/null || echo "$chromium") is installed"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-chromium: $chromium is missing and installing it needs root: run 'sudo apt-get install -y chromium'" >&2
  exit 1
fi
echo "ensure-chromium: $chromium is missing: apt-get update && apt-get install -y chromium"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium >/dev/null
echo "ensure-chromium: installed $("$chromium" --version 2>/dev/null)"

#!/bin/sh
# Installs Debian's Chromium for the browser tests of the web UI when it is missing (as root, or through sudo). Playwright
# drives it through playwright-core, which never downloads a browser of its own.
set -e
if [ -x "${FABRIK_CHROMIUM:-/usr/bin/chromium}" ]; then exit 0; fi
echo "fabrik: installing Chromium for the browser tests (apt-get install chromium)…"
if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
  echo "fabrik: Chromium is missing and this user cannot install it: run 'apt-get install chromium' as root" >&2
  exit 1
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null

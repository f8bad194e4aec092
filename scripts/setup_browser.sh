#!/usr/bin/env bash
# Debian's Chromium for the browser tests (driven by Playwright with executablePath).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then echo "browser: chromium present"; exit 0; fi
echo "browser: installing Debian's chromium"
if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
/usr/bin/chromium --version

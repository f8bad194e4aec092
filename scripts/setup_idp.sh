#!/usr/bin/env bash
# Installs the local identity provider's Node packages (stack/idp/node_modules) from its
# package-lock.json. Idempotent: a stamp holding the hash of the lock and this script skips a
# finished install.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
idp=$root/stack/idp
stamp=$idp/node_modules/.installed
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "identity provider: Node.js 20 or later and npm are needed (apt-get install nodejs npm)" >&2
  exit 1
fi
want=$(cat "$idp/package.json" "$idp/package-lock.json" "$0" | sha256sum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "identity provider: up to date ($idp/node_modules)"; exit 0
fi
echo "identity provider: npm ci in $idp"
(cd "$idp" && npm ci --no-audit --no-fund --loglevel=error)
echo "$want" > "$stamp"
echo "identity provider: ready"

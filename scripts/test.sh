#!/usr/bin/env bash
# The whole test suite: unit, data layer (SQLite and Postgres), Rasa data and stories,
# the API against the really trained bot, and the browser. Called by `make test` and CI.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup_browser.sh
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
exec .venv/bin/python -m pytest "${@:-tests}"

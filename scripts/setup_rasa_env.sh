#!/usr/bin/env bash
# Builds the Rasa 3.6.21 virtual environment (.venv-rasa) from assistant/requirements.lock.
# Rasa's own pins (numpy 1.23, SQLAlchemy 1.4, TensorFlow 2.12) clash with the service's,
# so Rasa lives apart. Idempotent: a stamp holding the lock's hash skips a finished install.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv=${RASA_VENV:-$root/.venv-rasa}
lock=$root/assistant/requirements.lock
stamp=$venv/.installed
want=$(cat "$lock" "$0" | sha256sum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "rasa env: up to date ($venv)"; exit 0
fi
echo "rasa env: installing into $venv (a few minutes the first time)"
python3.11 -m venv "$venv" 2>/dev/null || python3 -m venv "$venv"
pip=("$venv/bin/pip" install --disable-pip-version-check --progress-bar off)
# 1. torch pinned exactly: the CPU wheel; an unpinned torch pulls a multi-GB CUDA build.
"${pip[@]}" -q torch==2.13.0
# 2. every other dependency exactly as locked, without the resolver (Rasa's declared pins are stale).
"${pip[@]}" -q --no-deps -r "$lock"
# 3. Rasa declares Python <3.11 but runs on 3.11: both flags are needed.
"${pip[@]}" -q --no-deps --ignore-requires-python rasa==3.6.21 rasa-sdk==3.6.2
# 4. Rasa imports pkg_resources and packaging.version.LegacyVersion; torch and wheel pull newer ones.
"${pip[@]}" -q --no-deps setuptools==70.3.0 packaging==20.9
"$venv/bin/rasa" --version >/dev/null
echo "$want" > "$stamp"
echo "rasa env: ready"

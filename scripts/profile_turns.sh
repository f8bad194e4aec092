#!/usr/bin/env bash
# CPU flame graphs of a short `bench.turns` run: py-spy attaches to our API and our Rasa once
# the warm-up is done and records until the bench stops them (run as root, or with ptrace
# allowed). Writes docs/profile-service.svg, docs/profile-rasa.svg and var/profile/turns.json.
# Usage: scripts/profile_turns.sh [CONVERSATIONS] [CONCURRENCY]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
conversations=${1:-12}
concurrency=${2:-6}
out=var/profile
mkdir -p "$out" docs
.venv/bin/python -m bench.turns --conversations "$conversations" --concurrency "$concurrency" --long-turns 0 \
  --out "$out/turns.json" > "$out/bench.log" 2>&1 &
bench=$!
# Attach after the warm-up, when the timed turns begin.
until grep -q "^ours: .* 1 at a time" "$out/bench.log"; do
  kill -0 "$bench" 2>/dev/null || { cat "$out/bench.log"; exit 1; }
  sleep 1
done
api=$(pgrep -P "$bench" -f "uvicorn service.main:app")
rasa=$(pgrep -P "$bench" -f "assistant.rasa_server run --enable-api")
.venv/bin/py-spy record --nonblocking --pid "$api" -o docs/profile-service.svg > "$out/py-spy-api.log" 2>&1 &
.venv/bin/py-spy record --nonblocking --pid "$rasa" -o docs/profile-rasa.svg > "$out/py-spy-rasa.log" 2>&1 &
wait "$bench"
wait
cat "$out/bench.log"

#!/usr/bin/env bash
# Trains the Rasa bot into models/ (a few minutes on 2 cores).
#
# Skips training when nothing that goes into the model changed since the last run: a
# stamp in models/ holds the hash of the config, domain, stories, rules, NLU data and
# custom components. Set FORCE=1 to train anyway. Rasa itself also fingerprints.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
rasa_bin=${RASA_BIN:-$root/.venv-rasa/bin/rasa}
out=${MODEL_DIR:-models}
nlu=${NLU_DIR:-nlu_data}  # another folder of NLU data (a benchmark's split)
stamp=$out/.assistant-train.sha256

inputs=(assistant/config.yml assistant/domain.yml "$nlu" assistant/data)
[ -d assistant/components ] && inputs+=(assistant/components)
want=$(
  { find "${inputs[@]}" -type f \( -name '*.yml' -o -name '*.yaml' -o -name '*.py' -o -name '*.csv' \) \
      -not -path '*/__pycache__/*' -print0 | sort -z | xargs -0 sha256sum
    "$(dirname "$rasa_bin")/python" -c "import importlib.metadata as m; print(m.version('rasa'))"
  } | sha256sum | cut -d' ' -f1
)
if [ "${FORCE:-0}" != 1 ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] \
  && compgen -G "$out/*.tar.gz" >/dev/null; then
  echo "assistant: model up to date ($(ls -t "$out"/*.tar.gz | head -1))"
  exit 0
fi

# Share the 2 cores politely: TensorFlow and BLAS may use 2 threads at most.
export TF_INTRA_OP_PARALLELISM_THREADS=${TF_INTRA_OP_PARALLELISM_THREADS:-2}
export TF_INTER_OP_PARALLELISM_THREADS=${TF_INTER_OP_PARALLELISM_THREADS:-1}
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-2} MKL_NUM_THREADS=${MKL_NUM_THREADS:-2}
export TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-2} HF_HUB_OFFLINE=1

echo "assistant: training (config, domain, stories and NLU data changed)"
start=$(date +%s)
mkdir -p "$out"
nice -n 10 "$rasa_bin" train \
  --config assistant/config.yml \
  --domain assistant/domain.yml \
  --data "$nlu" assistant/data \
  --out "$out"
echo "$want" > "$stamp"
echo "assistant: trained in $(( $(date +%s) - start ))s -> $(ls -t "$out"/*.tar.gz | head -1)"

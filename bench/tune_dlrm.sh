#!/usr/bin/env bash
# The built-in dlrm advisor on 200 k synthetic rows: `kiln gen criteo
# --rows 200000 --seed 7`, the dlrm recipe, then `kiln tune --advisor dlrm`
# (one epoch of batch 2048 per trial, the last 10 % held out). Prints the
# Pareto front (held-out AUC, training seconds, parameters), the chosen
# configuration, the data's bayes_auc, and for reference one untuned run of
# the Kaggle-style architecture of bench/train_dlrm.sh with kiln train's
# default optimizer settings, on the same data.
# Usage: bench/tune_dlrm.sh [BUILD_DIR] [BUDGET] [PRECISION]
#   BUDGET: trials (default 100, ~10 minutes on 2 cores); PRECISION: bf16
#   (default) or fp32.
set -euo pipefail
# Passive OpenMP waiting, as bench/train_dlrm.sh explains.
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}
build=$(cd "${1:-build}" && pwd)
budget=${2:-100}
precision=${3:-bf16}
data=${KILN_BENCH_DATA:-/tmp/kiln-bench}
mkdir -p "$data"
kiln=$build/kiln

input=$data/criteo200k.tsv
[[ -s $input.meta.json ]] || "$kiln" gen criteo --rows 200000 --seed 7 --out "$input" >/dev/null
prep=$data/tune_dlrm_prep
[[ -s $prep/_state/state.json ]] || "$kiln" --quiet prep --recipe dlrm --in "$input" --out "$prep" --overwrite
study=$data/tune_dlrm
rm -rf "$study"
mkdir -p "$study"

"$kiln" version | grep -i cpu
echo "input: $input (200000 rows), $(grep -o '"bayes_auc": [0-9.]*' "$input.meta.json"); budget $budget trials, $precision;" \
  "OMP_WAIT_POLICY=$OMP_WAIT_POLICY; load: $(cut -d' ' -f1-3 /proc/loadavg)"
started=$(date +%s)
"$kiln" --quiet tune --advisor dlrm --data "$prep" --db "$study/dlrm.db" --budget "$budget" --precision "$precision" \
  --out "$study"
echo "study: $(( $(date +%s) - started )) s wall; load: $(cut -d' ' -f1-3 /proc/loadavg)"
"$kiln" tune show "$study/dlrm.db"

"$kiln" --quiet train --data "$prep" --arch-mlp-bot 13-512-256-64-16 --arch-mlp-top 512-256-1 --emb-dim 16 \
  --batch-size 2048 --epochs 1 --eval-fraction 0.1 --precision "$precision" \
  --out "$study/untuned"
field() { grep -o "\"$2\": [-0-9.e+]*" "$1" | head -1 | awk '{print $2}'; }
echo "untuned Kaggle-style configuration: auc $(field "$study/untuned/metrics.json" auc)," \
  "seconds $(field "$study/untuned/metrics.json" seconds)"

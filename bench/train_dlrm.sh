#!/usr/bin/env bash
# DLRM training and prediction on the dlrm recipe output of
# gen_criteo.py 2000000 ... 7, Kaggle-style architecture (emb 16, bottom
# 13-512-256-64-16, top 512-256-1, batch 2048, one epoch, last 10 % held
# out), in FP32 and BF16, and the reference dlrm_s_pytorch.py
# (../shared/peers/dlrm_ref.sh) in the same run. Prints AUC and its gap to
# the data's bayes_auc, train and predict samples/s, and the ratios.
# Usage: bench/train_dlrm.sh [BUILD_DIR] [DLRM_REPO] [PRECISIONS...]
#   DLRM_REPO: a checkout of facebookresearch/dlrm outside this repository
#              (default /tmp/dlrm); PRECISIONS: fp32 bf16 (default both)
# Environment: KILN_TRAIN_STEPS=N stops training after N steps (throughput
# only: the AUC is then that of a partial epoch); KILN_PREDICT_ROWS=N
# predicts on the prep output of the first N input rows instead of all.
set -euo pipefail
# OpenMP threads that spin between parallel regions steal a shared 2-core
# machine's time slices (4x slower training at load ~15); Kiln and the
# reference both run with passive waiting, set before libgomp loads.
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
dlrm_repo=${2:-/tmp/dlrm}
shift 2 || shift $# || true
precisions=("$@")
((${#precisions[@]})) || precisions=(fp32 bf16)
data=${KILN_BENCH_DATA:-/tmp/kiln-bench}
peers_src="$here/../../shared/peers"
mkdir -p "$data"
bash "$peers_src/install.sh" >/dev/null
peers=${PEERS_HOME:-$HOME/.cache/kiln-peers}

input=$data/criteo2m.tsv
[[ -s $input ]] || /usr/bin/python3 "$peers_src/gen_criteo.py" 2000000 "$input" 7 >/dev/null
prep=$data/train_dlrm_prep
[[ -s $prep/_state/state.json ]] || "$build/kiln" --quiet prep --recipe dlrm --in "$input" --out "$prep" --min-freq 3 --overwrite
bayes=$(cut -d' ' -f1 "$input.bayes_auc")
steps=${KILN_TRAIN_STEPS:-0}
predict_input=$prep
if [[ -n ${KILN_PREDICT_ROWS:-} ]]; then
  predict_input=$data/train_dlrm_predict$KILN_PREDICT_ROWS
  head -n "$KILN_PREDICT_ROWS" "$input" >"$predict_input.tsv"
  "$build/kiln" --quiet prep --recipe dlrm --in "$predict_input.tsv" --out "$predict_input" --min-freq 3 --overwrite
fi

echo "cpu: $("$build/kiln" version | grep -i -E 'cpu' | tr '\n' ' ')"
echo "input: $input (2000000 rows), bayes_auc $bayes; OMP_WAIT_POLICY=$OMP_WAIT_POLICY; load: $(cut -d' ' -f1-3 /proc/loadavg)"

field() { grep -o "\"$2\": [-0-9.e+]*" "$1" | head -1 | awk '{print $2}'; }
declare -A train_rate
for precision in "${precisions[@]}"; do
  run=$data/train_dlrm_$precision
  rm -rf "$run"
  "$build/kiln" train --data "$prep" --arch-mlp-bot 13-512-256-64-16 --arch-mlp-top 512-256-1 --emb-dim 16 \
    --batch-size 2048 --epochs 1 --eval-fraction 0.1 --precision "$precision" --log-every 100 --max-steps "$steps" --out "$run"
  auc=$(field "$run/metrics.json" auc)
  train_rate[$precision]=$(field "$run/metrics.json" train_samples_per_s)
  predict_log=$("$build/kiln" predict "$run/model" --in "$predict_input" --out "$run/pred.parquet" --precision "$precision" 2>&1)
  predict_rate=$(echo "$predict_log" | grep -o '[0-9]* samples/s' | awk '{print $1}')
  printf '%s: %s steps, auc %.5f (bayes gap %.5f), logloss %s, train %.0f samples/s, predict %s samples/s\n' \
    "$precision" "$(field "$run/metrics.json" steps)" "$auc" "$(echo "$bayes - $auc" | bc -l)" \
    "$(field "$run/metrics.json" logloss)" "${train_rate[$precision]}" "$predict_rate"
done

if [[ -f $dlrm_repo/dlrm_s_pytorch.py ]]; then
  reference=$(bash "$peers/dlrm_ref.sh" "$dlrm_repo" 2048 30 500000 | grep 'reference samples/s' | awk '{print $3}')
  echo "reference dlrm_s_pytorch.py: $reference samples/s"
  for precision in "${precisions[@]}"; do
    printf '%s / reference: %.2fx\n' "$precision" "$(echo "${train_rate[$precision]} / $reference" | bc -l)"
  done
else
  echo "no reference: $dlrm_repo/dlrm_s_pytorch.py missing (check out facebookresearch/dlrm there)"
fi

#!/usr/bin/env bash
# DLRM training and prediction on the dlrm recipe output of
# gen_criteo.py 2000000 ... 7, Kaggle-style architecture (emb 16, bottom
# 13-512-256-64-16, top 512-256-1, batch 2048, one epoch, last 10 % held
# out) with kiln train's default optimizer settings, in FP32 and BF16, and
# the reference dlrm_s_pytorch.py (../shared/peers/dlrm_ref.sh) in the same
# run. Each round runs every precision and then the reference; the summary
# gives medians over the rounds of AUC (and its gap to the data's
# bayes_auc), train and predict samples/s, and the ratios to the reference.
# Usage: bench/train_dlrm.sh [BUILD_DIR] [DLRM_REPO] [PRECISIONS...]
#   DLRM_REPO: a checkout of facebookresearch/dlrm outside this repository
#              (default /tmp/dlrm); PRECISIONS: fp32 bf16 (default both)
# Environment: KILN_BENCH_ROUNDS=N rounds (default 3);
# KILN_TRAIN_STEPS=N stops training after N steps (throughput only: the AUC
# is then that of a partial epoch); KILN_PREDICT_ROWS=N predicts on the prep
# output of the first N input rows instead of all 2 M;
# KILN_TRAIN_FLAGS adds flags to kiln train (e.g. "--optimizer sgd").
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
dlrm_repo=${2:-/tmp/dlrm}
shift 2 || shift $# || true
precisions=("$@")
((${#precisions[@]})) || precisions=(fp32 bf16)
rounds=${KILN_BENCH_ROUNDS:-3}
data=${KILN_BENCH_DATA:-/tmp/kiln-bench}
peers_src="$here/../../shared/peers"
mkdir -p "$data"
bash "$peers_src/install.sh" >/dev/null
peers=${PEERS_HOME:-$HOME/.cache/kiln-peers}
# kiln sets OMP_WAIT_POLICY=PASSIVE for training itself; the reference gets
# the same so that both wait for work the same way.
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}

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
read -r -a extra_flags <<<"${KILN_TRAIN_FLAGS:-}"

echo "cpu: $("$build/kiln" version | grep -i -E 'cpu' | tr '\n' ' ')"
echo "input: $input (2000000 rows), bayes_auc $bayes; $rounds rounds; load: $(cut -d' ' -f1-3 /proc/loadavg)"

field() { grep -o "\"$2\": [-0-9.e+]*" "$1" | head -1 | awk '{print $2}'; }
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
declare -A auc train predict
reference=""
for ((round = 1; round <= rounds; ++round)); do
  for precision in "${precisions[@]}"; do
    run=$data/train_dlrm_$precision
    rm -rf "$run"
    "$build/kiln" --quiet train --data "$prep" --arch-mlp-bot 13-512-256-64-16 --arch-mlp-top 512-256-1 --emb-dim 16 \
      --batch-size 2048 --epochs 1 --eval-fraction 0.1 --precision "$precision" --max-steps "$steps" \
      "${extra_flags[@]}" --out "$run"
    predict_log=$("$build/kiln" predict "$run/model" --in "$predict_input" --out "$run/pred.parquet" \
      --precision "$precision" 2>&1)
    auc[$precision]+=" $(field "$run/metrics.json" auc)"
    train[$precision]+=" $(field "$run/metrics.json" train_samples_per_s)"
    predict[$precision]+=" $(echo "$predict_log" | grep -o '[0-9]* samples/s' | awk '{print $1}')"
    printf 'round %d %s: %s steps, auc %s, train %s samples/s, predict %s samples/s (load %s)\n' "$round" \
      "$precision" "$(field "$run/metrics.json" steps)" "$(field "$run/metrics.json" auc)" \
      "$(field "$run/metrics.json" train_samples_per_s)" "${predict[$precision]##* }" "$(cut -d' ' -f1 /proc/loadavg)"
  done
  if [[ -f $dlrm_repo/dlrm_s_pytorch.py ]]; then
    reference+=" $(bash "$peers/dlrm_ref.sh" "$dlrm_repo" 2048 30 500000 | grep 'reference samples/s' | awk '{print $3}')"
    echo "round $round reference dlrm_s_pytorch.py: ${reference##* } samples/s"
  fi
done

echo "--- medians of $rounds rounds"
reference_median=$(echo "$reference" | median)
[[ -n $reference_median ]] && echo "reference dlrm_s_pytorch.py: $reference_median samples/s (runs:$reference)"
[[ -n $reference_median ]] || echo "no reference: $dlrm_repo/dlrm_s_pytorch.py missing (check out facebookresearch/dlrm there)"
for precision in "${precisions[@]}"; do
  a=$(echo "${auc[$precision]}" | median)
  t=$(echo "${train[$precision]}" | median)
  p=$(echo "${predict[$precision]}" | median)
  ratio=""
  [[ -n $reference_median ]] && ratio=$(printf ' (%.2fx the reference)' "$(echo "$t / $reference_median" | bc -l)")
  printf '%s: auc %s (bayes gap %.4f), train %.0f samples/s%s, predict %s samples/s\n' "$precision" "$a" \
    "$(echo "$bayes - $a" | bc -l)" "$t" "$ratio" "$p"
done

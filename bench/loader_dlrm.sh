#!/usr/bin/env bash
# The data connector (issue 5): DLRM batches (batch 2048, 13 dense, 26
# sparse, shuffle buffer 1 M rows) from the dlrm recipe's output of 2 M rows,
# with PyTorch's DataLoader on the same rows in the same run (../shared/peers/
# loader_torch.py: a NumPy memory of the rows, a BatchSampler over a seeded
# RandomSampler, one fancy index per batch). Prints each run, the medians and
# the ratio. Kiln's figure is the warm rate (epochs after the first, once the
# shuffle buffer's memory is touched and the files are in the page cache).
# Usage: bench/loader_dlrm.sh [BUILD_DIR] [RUNS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
runs=${2:-5}
data=${KILN_BENCH_DATA:-/tmp/kiln-bench}
peers_src="$here/../../shared/peers"
mkdir -p "$data/loader"
bash "$peers_src/install.sh" >/dev/null

input=$data/criteo2m.tsv
[[ -s $input ]] || /usr/bin/python3 "$peers_src/gen_criteo.py" 2000000 "$input" 7 >/dev/null
parquet=$data/loader/dlrm2m
binary=$data/loader/dlrm2m-bin
csv=$data/loader/dlrm2m.csv
[[ -d $parquet ]] || "$build/kiln" -q prep --recipe dlrm --in "$input" --out "$parquet" --min-freq 3
[[ -d $binary ]] || "$build/kiln" -q prep --recipe dlrm --in "$input" --out "$binary" --min-freq 3 --format dlrm
[[ -s $csv ]] || "$build/kiln" -q convert "$parquet" "$csv"

echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) cores; load: $(cut -d' ' -f1-3 /proc/loadavg)"
"$build/kiln" version | grep -i 'cpu' || true

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# kiln loader-bench on one dataset: 3 epochs per run, the warm samples/s.
# One run of each, interleaved so that all three see the same load; each
# line: kiln-parquet, kiln-binary, torch samples/s (wall), then the same per
# CPU-second (user + system, from /usr/bin/time), which other work on the
# machine disturbs far less than wall time.
kiln_run() {
  local out
  out=$(/usr/bin/time -f "cpu %U %S" "$build/kiln" loader-bench "$1" --batch-size 2048 --epochs 3 \
        --shuffle-buffer 1000000 --seed "$2" 2>&1)
  awk '/^samples\/s:/ { wall = $2 } /^rows:|^epochs:/ { for (i = 1; i <= NF; i++) if ($i == "rows:") rows = $(i + 1) }
       /^cpu [0-9]/ { cpu = $2 + $3 } END { gsub(",", "", rows); printf "%d %d\n", wall, rows / cpu }' <<<"$out"
}

torch_run() {
  local out
  out=$(/usr/bin/time -f "cpu %U %S" /usr/bin/python3 "$peers_src/loader_torch.py" "$csv" --batch-size 2048 --epochs 2 2>&1)
  awk '/samples\/s:/ { wall = $4; rows = substr($5, 2) } /^cpu [0-9]/ { cpu = $2 + $3 }
       END { printf "%d %d\n", wall, rows / cpu }' <<<"$out"
}

/usr/bin/python3 "$peers_src/loader_torch.py" "$csv" --epochs 1 >/dev/null  # Builds the .npz once.
results=$data/loader/runs.txt
: >"$results"
for ((i = 0; i < runs; i++)); do
  line="$(kiln_run "$parquet" "$i") $(kiln_run "$binary" "$i") $(torch_run)"
  echo "  run $i (load $(cut -d' ' -f1 /proc/loadavg)): $line"
  echo "$line" >>"$results"
done
col() { awk -v c="$1" '{ print $c }' "$results" | median; }
echo "load after the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
printf "%-44s %12s %18s\n" "median of $runs runs" "samples/s" "samples/cpu-second"
printf "%-44s %12s %18s\n" "kiln loader-bench, Parquet (dlrm output)" "$(col 1)" "$(col 2)"
printf "%-44s %12s %18s\n" "kiln loader-bench, DLRM binary" "$(col 3)" "$(col 4)"
printf "%-44s %12s %18s\n" "torch DataLoader (workers=0, NumPy)" "$(col 5)" "$(col 6)"
echo "ratio Parquet/torch: $(echo "$(col 1) / $(col 5)" | bc -l | cut -c1-5)x wall," \
     "$(echo "$(col 2) / $(col 6)" | bc -l | cut -c1-5)x per cpu-second"

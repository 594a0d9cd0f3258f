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
# Each run's figure goes to stderr as it comes, and to stdout for the median.
kiln_runs() {
  for ((i = 0; i < runs; i++)); do
    out=$("$build/kiln" loader-bench "$1" --batch-size 2048 --epochs 3 --shuffle-buffer 1000000 --seed "$i")
    echo "  kiln $(basename "$1") run $i: $(grep -E '^(samples/s overall|cpu)' <<<"$out" | tr '\n' ' ')" >&2
    awk '/^samples\/s:/ { print $2 }' <<<"$out"
  done
}

torch_runs() {
  for ((i = 0; i < runs; i++)); do
    out=$(/usr/bin/python3 "$peers_src/loader_torch.py" "$csv" --batch-size 2048 --epochs 2)
    echo "  $out" >&2
    sed -n 's/.*samples\/s: \([0-9]*\).*/\1/p' <<<"$out"
  done
}

/usr/bin/python3 "$peers_src/loader_torch.py" "$csv" --epochs 1 >/dev/null  # Builds the .npz once.
kiln_parquet=$(kiln_runs "$parquet" | median)
kiln_binary=$(kiln_runs "$binary" | median)
torch=$(torch_runs | median)
echo "load after the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "kiln loader-bench, Parquet (dlrm recipe output): median $kiln_parquet samples/s"
echo "kiln loader-bench, DLRM binary (--format dlrm):  median $kiln_binary samples/s"
echo "torch DataLoader (workers=0, NumPy in memory):    median $torch samples/s"
echo "ratio Parquet/torch: $(echo "$kiln_parquet / $torch" | bc -l | cut -c1-5)x;" \
     "binary/torch: $(echo "$kiln_binary / $torch" | bc -l | cut -c1-5)x"

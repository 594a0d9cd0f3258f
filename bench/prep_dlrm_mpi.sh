#!/usr/bin/env bash
# The dlrm recipe distributed: `mpirun -np 2 kiln prep --recipe dlrm` against
# one `kiln prep` process on the same input in the same run, at 1 M, 2 M and
# 4 M rows of gen_criteo.py ... 7: wall time, rows/s, and peak RSS (the
# process's, and each rank's from its own pass log), medians of REPEAT runs
# taken alternately; the two outputs are checked row by row with
# w1_compare.mjs.
# Usage: bench/prep_dlrm_mpi.sh [BUILD_DIR] [REPEAT] [ROWS...]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
repeat=${2:-3}
shift 2 || shift $# || true
sizes=("$@")
((${#sizes[@]})) || sizes=(1000000 2000000 4000000)
data=${KILN_BENCH_DATA:-/tmp/kiln-bench}
peers_src="$here/../../shared/peers"
peers=${PEERS_HOME:-$HOME/.cache/kiln-peers}
work=$data/prep_dlrm_mpi
mkdir -p "$data"
bash "$peers_src/install.sh" >/dev/null
mpirun=(mpirun -np 2 --oversubscribe --allow-run-as-root)

echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) cores," \
     "flags: $(grep -m1 -o -w -E 'avx2|avx512f|avx512_bf16|amx_bf16' /proc/cpuinfo | sort -u | tr '\n' ' ')"
echo "$(mpirun --version | head -1); each rank gets $(( $(nproc) / 2 )) thread(s) by default (cores / ranks per machine)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

# Runs kiln under /usr/bin/time; appends "wall rss_mb rank0_mb rank1_mb" to $1.
measure() {
  local results=$1 log=$work/run.log
  shift
  rm -rf "$work/out"
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" --out "$work/out" >"$log" 2>&1 || { echo "$* failed:"; tail -5 "$log"; exit 1; }
  read -r wall rss_kb <"$work/time"
  # Each rank logs its own peak RSS (VmHWM) with every pass; the last pass has the run's peak.
  local rank0 rank1
  rank0=$(grep -E "^I .* (rank 0/2: )?pass [0-9]+ \(transform\)" "$log" | grep -v "rank 1/2" | grep -o "peak RSS [0-9]*" | tail -1 | cut -d' ' -f3 || true)
  rank1=$(grep -E "rank 1/2: pass [0-9]+ \(transform\)" "$log" | grep -o "peak RSS [0-9]*" | tail -1 | cut -d' ' -f3 || true)
  echo "$wall $((rss_kb / 1024)) ${rank0:--} ${rank1:--}" >>"$results"
}

printf "%-9s %-12s %9s %12s %14s %18s %9s  %s\n" rows system "wall (s)" "rows/s" "RSS (MB)" "RSS per rank (MB)" "speedup" "output"
for rows in "${sizes[@]}"; do
  input=$data/criteo$((rows / 1000000))m.tsv
  ((rows % 1000000 == 0)) || input=$data/criteo$rows.tsv
  [[ -s $input ]] || /usr/bin/python3 "$peers_src/gen_criteo.py" "$rows" "$input" 7 >/dev/null
  rm -rf "$work" && mkdir -p "$work"
  for ((i = 0; i < repeat; ++i)); do
    measure "$work/single" "$build/kiln" prep --recipe dlrm --in "$input" --min-freq 3
    measure "$work/mpi" "${mpirun[@]}" "$build/kiln" prep --recipe dlrm --in "$input" --min-freq 3
    rm -rf "$work/out-mpi" && mv "$work/out" "$work/out-mpi"
  done
  # The last runs' outputs: the single-process one is rebuilt to compare.
  measure "$work/check" "$build/kiln" prep --recipe dlrm --in "$input" --min-freq 3
  verdict=$(node "$peers/w1_compare.mjs" "$work/out" "$work/out-mpi" 2>&1 | tail -1) || verdict="DIFFERS: $verdict"
  single_wall=$(cut -d' ' -f1 "$work/single" | median)
  for system in single mpi; do
    wall=$(cut -d' ' -f1 "$work/$system" | median)
    rss=$(cut -d' ' -f2 "$work/$system" | median)
    per_rank="-"
    [[ $system == mpi ]] && per_rank="$(cut -d' ' -f3 "$work/$system" | median) / $(cut -d' ' -f4 "$work/$system" | median)"
    label=$([[ $system == mpi ]] && echo "mpirun -np 2" || echo "1 process")
    printf "%-9s %-12s %9.2f %12.0f %14s %18s %8.2fx  %s\n" "$rows" "$label" "$wall" "$(echo "$rows / $wall" | bc -l)" \
      "$rss" "$per_rank" "$(echo "$single_wall / $wall" | bc -l)" "$([[ $system == mpi ]] && echo "$verdict" || echo "")"
  done
  echo "  walls (s): 1 process $(cut -d' ' -f1 "$work/single" | tr '\n' ' ')| mpirun $(cut -d' ' -f1 "$work/mpi" | tr '\n' ' ')"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$work"

#!/usr/bin/env bash
# The dlrm recipe (W1: Criteo TSV to DLRM inputs) in Kiln and in its peers,
# DuckDB, Polars and pandas, in one run on the same input: wall time, rows/s
# and peak RSS (from /usr/bin/time), each peer's output checked against
# Kiln's with w1_compare.mjs, and the ratios.
# Usage: bench/prep_dlrm.sh [BUILD_DIR] [ROWS] [PEERS...]
#   ROWS: input rows (default 2000000, the gen_criteo.py ... 7 benchmark input)
#   PEERS: duckdb polars pandas (default: all three)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
rows=${2:-2000000}
shift 2 || shift $# || true
peer_names=("$@")
((${#peer_names[@]})) || peer_names=(duckdb polars pandas)
data=${KILN_BENCH_DATA:-/tmp/kiln-bench}
peers_src="$here/../../shared/peers"
peers=${PEERS_HOME:-$HOME/.cache/kiln-peers}
mkdir -p "$data"
bash "$peers_src/install.sh" >/dev/null

input=$data/criteo$((rows / 1000000))m.tsv
((rows % 1000000 == 0)) || input=$data/criteo$rows.tsv
[[ -s $input ]] || /usr/bin/python3 "$peers_src/gen_criteo.py" "$rows" "$input" 7 >/dev/null
work=$data/prep_dlrm
rm -rf "$work" && mkdir -p "$work"

echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) cores," \
     "flags: $(grep -m1 -o -w -E 'avx2|avx512f|avx512_bf16|amx_bf16' /proc/cpuinfo | sort -u | tr '\n' ' ')"
echo "input: $input ($rows rows, $(du -m "$input" | cut -f1) MB), min_freq 3"

# Runs a command under /usr/bin/time; sets wall (s), cpu (user + system s)
# and rss (MB). CPU time is the figure that a busy machine disturbs least.
measure() {
  local log=$work/$1.time
  shift
  /usr/bin/time -f "%e %U %S %M" -o "$log" "$@" >"$log.out" 2>&1 || { echo "$* failed:"; tail -5 "$log.out"; exit 1; }
  read -r wall user sys rss_kb <"$log"
  cpu=$(echo "$user + $sys" | bc -l)
  rss=$((rss_kb / 1024))
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf "%-8s %9s %8s %12s %10s %9s %9s %9s  %s\n" system "wall (s)" "cpu (s)" "rows/s" "RSS (MB)" "speedup" "cpu/kiln" \
  "RSS/kiln" "output vs kiln"
measure kiln "$build/kiln" prep --recipe dlrm --in "$input" --out "$work/kiln" --min-freq 3
kiln_wall=$wall kiln_cpu=$cpu kiln_rss=$rss
printf "%-8s %9.2f %8.2f %12.0f %10d %9s %9s %9s  %s\n" kiln "$wall" "$cpu" "$(echo "$rows / $wall" | bc -l)" "$rss" \
  "" "" "" ""
grep -E "check|pass" "$work/kiln.time.out" | sed 's/^I [0-9:.]* /    /'
for peer in "${peer_names[@]}"; do
  case $peer in
    duckdb) out=$work/duckdb.parquet; measure duckdb node "$peers/w1_duckdb.mjs" "$input" "$out" 3 ;;
    polars) out=$work/polars.parquet; measure polars node "$peers/w1_polars.js" "$input" "$out" 3 ;;
    pandas) out=$work/pandas.csv; measure pandas /usr/bin/python3 "$peers/w1_pandas.py" "$input" "$out" 3 ;;
    *) echo "unknown peer '$peer'" >&2; exit 2 ;;
  esac
  verdict=$(node "$peers/w1_compare.mjs" "$work/kiln" "$out" 2>&1 | tail -1) || verdict="DIFFERS: $verdict"
  printf "%-8s %9.2f %8.2f %12.0f %10d %8.1fx %8.1fx %8.1fx  %s\n" "$peer" "$wall" "$cpu" "$(echo "$rows / $wall" | bc -l)" \
    "$rss" "$(echo "$wall / $kiln_wall" | bc -l)" "$(echo "$cpu / $kiln_cpu" | bc -l)" "$(echo "$rss / $kiln_rss" | bc -l)" \
    "$verdict"
  rm -f "$out"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

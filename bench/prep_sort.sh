#!/usr/bin/env bash
# Out-of-core Sort in `kiln prep` against DuckDB in one run on the same input:
# the Criteo TSV (gen_criteo.py ROWS ... 7) sorted by (C1, I1), nulls last,
# into Parquet. Wall time, rows/s and peak RSS (from /usr/bin/time); Kiln
# sorts with a 256 MiB run buffer (several spilled runs at 2 M rows); the
# two outputs' key sequences are compared (prep_sort_duckdb.mjs keys).
# Usage: bench/prep_sort.sh [BUILD_DIR] [ROWS] [REPEAT]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
rows=${2:-2000000}
repeat=${3:-3}
data=${KILN_BENCH_DATA:-/tmp/kiln-bench}
peers_src="$here/../../shared/peers"
mkdir -p "$data"
bash "$peers_src/install.sh" >/dev/null
input=$data/criteo$((rows / 1000000))m.tsv
((rows % 1000000 == 0)) || input=$data/criteo$rows.tsv
[[ -s $input ]] || /usr/bin/python3 "$peers_src/gen_criteo.py" "$rows" "$input" 7 >/dev/null
work=$data/prep_sort
rm -rf "$work" && mkdir -p "$work"
cat >"$work/sort.yaml" <<YAML
input: {path: $input, format: tsv, header: false, schema: criteo}
output: {path: $work/kiln, format: parquet, overwrite: true}
steps:
  - {op: sort, columns: [C1, I1], memory_limit: 268435456}
YAML

echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) cores," \
     "flags: $(grep -m1 -o -w -E 'avx2|avx512f|avx512_bf16|amx_bf16' /proc/cpuinfo | sort -u | tr '\n' ' ')"
echo "input: $input ($rows rows, $(du -m "$input" | cut -f1) MB); sort by C1, I1"

measure() {  # name command...: sets wall (s), cpu (s), rss (MB)
  local log=$work/$1.time
  shift
  /usr/bin/time -f "%e %U %S %M" -o "$log" "$@" >"$log.out" 2>&1 || { echo "$* failed:"; tail -5 "$log.out"; exit 1; }
  read -r wall user sys rss_kb <"$log"
  cpu=$(echo "$user + $sys" | bc -l)
  rss=$((rss_kb / 1024))
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf "%-4s %-8s %9s %8s %12s %10s\n" run system "wall (s)" "cpu (s)" "rows/s" "RSS (MB)"
for run in $(seq 1 "$repeat"); do
  measure kiln "$build/kiln" prep "$work/sort.yaml"
  printf "%-4s %-8s %9.2f %8.2f %12.0f %10d\n" "$run" kiln "$wall" "$cpu" "$(echo "$rows / $wall" | bc -l)" "$rss"
  measure duckdb node "$here/prep_sort_duckdb.mjs" sort "$input" "$work/duckdb.parquet" 2
  printf "%-4s %-8s %9.2f %8.2f %12.0f %10d\n" "$run" duckdb "$wall" "$cpu" "$(echo "$rows / $wall" | bc -l)" "$rss"
done
grep -E "stage|pass" "$work/kiln.time.out" | sed 's/^I [0-9:.]* /    /'
kiln_keys=$(node "$here/prep_sort_duckdb.mjs" keys "$work/kiln/*.parquet" 1)
duckdb_keys=$(node "$here/prep_sort_duckdb.mjs" keys "$work/duckdb.parquet" 0)
echo "kiln:   $kiln_keys"
echo "duckdb: $duckdb_keys"
[[ $kiln_keys == "$duckdb_keys" ]] && echo "key sequences: same" || { echo "key sequences: DIFFER"; exit 1; }
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

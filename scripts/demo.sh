#!/usr/bin/env bash
# The end-to-end demo on embedded defaults: synthetic click logs in, columnar
# files out. Later stages (prep, train, predict) join as they land.
# Usage: scripts/demo.sh [KILN_BINARY] [ROWS]
set -euo pipefail
kiln=${1:-build/kiln}
rows=${2:-500000}
out=${KILN_DEMO_DIR:-out/demo}
mkdir -p "$out"

step() { printf '\n== %s\n' "$*"; }

step "1. Generate $rows Criteo-format click logs"
"$kiln" gen criteo --rows "$rows" --seed 7 --out "$out/criteo.tsv"
cat "$out/criteo.tsv.meta.json"; echo

step "2. Look at the first rows"
"$kiln" head "$out/criteo.tsv" --schema criteo -n 5

step "3. Convert TSV to JSON Lines and back to CSV"
"$kiln" convert "$out/criteo.tsv" "$out/criteo.jsonl" --schema criteo
"$kiln" convert "$out/criteo.jsonl" "$out/criteo.csv"
ls -l "$out"

step "Done: outputs in $out"

#!/usr/bin/env bash
# The end-to-end demo on embedded defaults: synthetic click logs in, model
# inputs out. Training, tuning and serving join as they land.
# Usage: scripts/demo.sh [KILN_BINARY] [ROWS]
set -euo pipefail
kiln=${1:-build/kiln}
rows=${2:-500000}
out=${KILN_DEMO_DIR:-out/demo}
rm -rf "$out"
mkdir -p "$out"

step() { printf '\n== %s\n' "$*"; }

step "1. Generate $rows Criteo-format click logs, and 10000 more held out"
"$kiln" gen criteo --rows $((rows + 10000)) --seed 7 --out "$out/all.tsv"
head -n "$rows" "$out/all.tsv" > "$out/criteo.tsv"
tail -n 10000 "$out/all.tsv" > "$out/new.tsv"

step "2. Look at the first rows"
"$kiln" head "$out/criteo.tsv" --schema criteo -n 5

step "3. Convert to Parquet (zstd) and look inside"
"$kiln" convert "$out/criteo.tsv" "$out/criteo.parquet" --schema criteo
"$kiln" inspect "$out/criteo.parquet" | sed -n '1,5p'
"$kiln" cat "$out/criteo.parquet" --columns label,I1,C1 --where "label = 1" --limit 3

step "4. Preprocess for DLRM: log1p on I1..I13, categorify C1..C26 (min frequency 3)"
"$kiln" prep --recipe dlrm --in "$out/criteo.tsv" --out "$out/prep" --min-freq 3
ls "$out/prep"; ls "$out/prep/_state" | head -4
"$kiln" head "$out/prep" -n 3

step "5. Apply the fitted state to the held-out rows, as serving would"
"$kiln" prep apply "$out/prep/_state" --in "$out/new.tsv" --out "$out/new_prep"
"$kiln" head "$out/new_prep" -n 3

step "Done: outputs in $out"

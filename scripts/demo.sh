#!/usr/bin/env bash
# The end-to-end demo: `kiln run examples/dlrm_synthetic.yaml` at a size that
# finishes in a few minutes on 2 cores (synthetic click logs -> prep ->
# DLRM training -> evaluation -> prediction), a look at the data, serving-style
# scoring of new rows, and the run's table again (every stage skipped now).
# Usage: scripts/demo.sh [KILN_BINARY] [ROWS]
set -euo pipefail
kiln=${1:-build/kiln}
rows=${2:-300000}
out=${KILN_DEMO_DIR:-out/demo}
run="$out/run"
rm -rf "$out"
mkdir -p "$out"

step() { printf '\n== %s\n' "$*"; }

step "1. The workflow: gen $rows rows -> prep -> train -> evaluate -> predict"
"$kiln" run examples/dlrm_synthetic.yaml --set gen.rows="$rows" --out "$run"
tsv="$run/artifacts/gen/criteo.tsv"

step "2. Look at the first rows"
"$kiln" head "$tsv" --schema criteo -n 5

step "3. Convert to Parquet (zstd) and look inside"
"$kiln" convert "$tsv" "$out/criteo.parquet" --schema criteo
"$kiln" inspect "$out/criteo.parquet" | sed -n '1,5p'
"$kiln" cat "$out/criteo.parquet" --columns label,I1,C1 --where "label = 1" --limit 3

step "4. Raw held-out rows through the model's prep state and the model, as serving would"
tail -n 10000 "$tsv" > "$out/new.tsv"  # Among the last 10 %, which training held out.
"$kiln" prep apply "$run/artifacts/train/model/_state" --in "$out/new.tsv" --out "$out/new_prep"
"$kiln" predict "$run/artifacts/train/model" --in "$out/new_prep" --out "$out/new_predictions.parquet"
"$kiln" head "$out/new_predictions.parquet" -n 3

step "5. The same workflow again: nothing changed, so every stage is skipped"
"$kiln" run examples/dlrm_synthetic.yaml --set gen.rows="$rows" --out "$run"

step "Done: outputs in $out (the run: $run, its summary: $run/summary.json)"

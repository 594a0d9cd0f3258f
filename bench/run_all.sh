#!/usr/bin/env bash
# Runs every benchmark behind docs/benchmarks.md, each with its peer in the
# same run. Usage: bench/run_all.sh [BUILD_DIR] [NAME...]
#   NAME: gen, ingest, parquet_scan, parquet_write, prep_dlrm, prep_dlrm_mpi, prep_sort, loader_dlrm, tune, train_kernels, train_dlrm, tune_dlrm (default: all)
# Inputs go to $KILN_BENCH_DATA (default /tmp/kiln-bench); the peers are
# installed by ../shared/peers/install.sh on first use. Python peers run on
# Debian's /usr/bin/python3, where install.sh puts numpy, pandas and torch.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
shift || true
names=("$@")
((${#names[@]})) || names=(gen ingest parquet_scan parquet_write prep_dlrm prep_dlrm_mpi prep_sort loader_dlrm tune train_kernels train_dlrm tune_dlrm)
data=${KILN_BENCH_DATA:-/tmp/kiln-bench}
peers="$here/../../shared/peers"
mkdir -p "$data"

bash "$peers/install.sh" >/dev/null

# The benchmark input every W1-style figure uses: gen_criteo.py 2000000 ... 7.
criteo_tsv() {
  [[ -s $data/criteo2m.tsv ]] || /usr/bin/python3 "$peers/gen_criteo.py" 2000000 "$data/criteo2m.tsv" 7 >/dev/null
  echo "$data/criteo2m.tsv"
}

for name in "${names[@]}"; do
  echo "=== $name"
  case $name in
    gen) "$build/bench/bench_gen_criteo" --rows 2000000 --repeat 5 --out "$data/gen.tsv" ;;
    ingest) "$build/bench/bench_ingest_tsv" "$(criteo_tsv)" --threads 2 --repeat 5 ;;
    parquet_scan) "$build/bench/bench_parquet_scan" "$here/../../shared/datasets/flights-3m.parquet" ;;
    parquet_write) "$build/bench/bench_parquet_write" ;;
    prep_dlrm) bash "$here/prep_dlrm.sh" "$build" 2000000 ;;
    prep_dlrm_mpi) bash "$here/prep_dlrm_mpi.sh" "$build" 3 1000000 2000000 4000000 ;;
    prep_sort) bash "$here/prep_sort.sh" "$build" 2000000 3 ;;
    loader_dlrm) bash "$here/loader_dlrm.sh" "$build" 5 ;;
    tune) bash "$here/tune/hpo.sh" "$build" 20 ;;
    train_kernels) OMP_WAIT_POLICY=PASSIVE "$build/bench/bench_train_kernels" --repeat 50 ;;
    train_dlrm) bash "$here/train_dlrm.sh" "$build" "${DLRM_REPO:-/tmp/dlrm}" ;;
    tune_dlrm) bash "$here/tune_dlrm.sh" "$build" 100 ;;
    *) echo "unknown benchmark '$name'" >&2; exit 2 ;;
  esac
done

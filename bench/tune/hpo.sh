#!/usr/bin/env bash
# Tuning benchmark: Kiln's samplers and Optuna 3.1 in the same run, on the
# functions and budgets of ../shared/peers/hpo_optuna.py (20 seeds; 60
# trials on Branin, Hartmann-6, Rosenbrock-4, Ackley-5; 100 trials on ZDT1
# and ZDT2 with reference point (1.1, 11)).
# Usage: bench/tune/hpo.sh [BUILD_DIR] [SEEDS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
seeds=${2:-20}
peers="$here/../../../shared/peers"
echo "--- Kiln (default sampler: Sobol start, then GP expected improvement / expected hypervolume improvement)"
"$build/bench/bench_tune_hpo" --seeds "$seeds" --sampler default
echo "--- Kiln TPE (multivariate)"
"$build/bench/bench_tune_hpo" --seeds "$seeds" --sampler tpe --only branin,hartmann6,rosenbrock4,ackley5
echo "--- Optuna $(/usr/bin/python3 -c 'import optuna; print(optuna.__version__)') (TPE and random; NSGA-II and random)"
/usr/bin/python3 "$peers/hpo_optuna.py" --seeds "$seeds"

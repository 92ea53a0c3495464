#!/usr/bin/env bash
# The checks a GPU machine runs, in one call (see benchmarks/README.md):
#   1. descent.fast's CUDA tests (equivalence with descent.optim for the compiled
#      and fused kernels, the state_dict round trip, a learning-rate schedule);
#   2. the optimizer-step benchmark at 100 M parameters, with compilations counted;
#   3. the training-step benchmark.
# Results go to $OUT (default: benchmarks/results), named with the GPU and the date.
# Usage, from the repository root, with the course's environment installed:
#   OUT=/some/folder benchmarks/gpu_checks.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}
OUT=${OUT:-benchmarks/results}
mkdir -p "$OUT"
day=$(date -u +%F)
gpu=$("$PYTHON" -c "import torch; print(torch.cuda.get_device_name().split()[-1].lower())")

"$PYTHON" -m pytest -p no:cacheprovider -q tests/test_fast.py -k "cuda" 2>&1 \
    | tee "$OUT/gpu-$gpu-tests-$day.txt"
"$PYTHON" benchmarks/optimizer_step.py --device cuda --params 100e6 \
    --note "benchmarks/gpu_checks.sh" --out "$OUT/gpu-$gpu-optimizer-step-$day.json" \
    | tee "$OUT/gpu-$gpu-optimizer-step-$day.txt"
"$PYTHON" benchmarks/training_step.py --device cuda --threads 1 \
    --out "$OUT/gpu-$gpu-training-step-$day.json" | tee "$OUT/gpu-$gpu-training-step-$day.txt"

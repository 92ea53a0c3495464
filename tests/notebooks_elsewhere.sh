#!/usr/bin/env bash
# Run every notebook under nbval strict on another machine (a GPU server, a
# laptop) with a Python that already has PyTorch, and print what the machine
# is first, so the result can be recorded with its provenance.
#
#   PYTHON=python3 WORKERS=8 tests/notebooks_elsewhere.sh > log.txt
#
# The library is used from lib/ (not installed); nbval, ipykernel and myst-nb
# must be importable by $PYTHON. Results recorded so far: benchmarks/results/.
set -uo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
WORKERS=${WORKERS:-4}
export PYTHONPATH="$PWD/lib${PYTHONPATH:+:$PYTHONPATH}"

echo "date: $(date -u +%FT%TZ)"
"$PYTHON" - <<'PY'
import os, platform, torch
print("python:", platform.python_version())
print("torch:", torch.__version__, "| CPU capability:", torch.backends.cpu.get_cpu_capability(),
      "| threads:", torch.get_num_threads())
print("cpu:", next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor()),
      "| cores:", os.cpu_count())
print("cuda:", torch.cuda.get_device_name() if torch.cuda.is_available() else "none",
      "| CUDA", torch.version.cuda)
for name in ("ATEN_CPU_CAPABILITY", "MKL_CBWR", "OMP_NUM_THREADS"):
    print(f"{name}={os.environ.get(name, '')}")
PY
"$PYTHON" -m pytest -p no:cacheprovider -n "$WORKERS" --dist loadfile chapters exercises -q -rf

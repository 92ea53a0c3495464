# Two commands do everything on a fresh machine (see README.md):
#   make book   set up the environment, build the website, print where to open it
#   make test   set up the environment, run every test (library, notebooks, book build)
# and `make lab` opens the notebooks in JupyterLab.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c

PYTHON ?= python3
VENV ?= .venv
BIN ?= $(VENV)/bin
# Every warning (a broken reference, a missing file) fails the build.
BOOK_FLAGS := -W -n --keep-going
# The public repository, for the Colab/Binder launch buttons (optional):
#   make book REPOSITORY_URL=https://github.com/OWNER/REPOSITORY
REPOSITORY_URL ?=
ifneq ($(REPOSITORY_URL),)
CONFIG_FLAGS := --config _config_with_repository.yml
endif

.PHONY: setup book html test test-profiles lab linkcheck clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c constraints.txt pip setuptools wheel
	$(BIN)/python -m pip install --quiet -c constraints.txt --no-build-isolation -e ".[dev]"
	$(BIN)/python -m pip check
	touch $@

book: setup html
	@echo
	@echo "The book is built. Open file://$(CURDIR)/_build/html/index.html in a browser."

html:
ifneq ($(REPOSITORY_URL),)
	$(BIN)/python _ext/with_repository.py $(REPOSITORY_URL) _config_with_repository.yml
endif
	$(BIN)/jupyter-book build . $(BOOK_FLAGS) $(CONFIG_FLAGS)
	$(BIN)/jupyter-book build zh $(BOOK_FLAGS)
	rm -rf _build/html/zh
	cp -r zh/_build/html _build/html/zh

# Numerics profiles. Each one changes the last bits of ordinary float32 results
# (sums, matrix products, exp) the way another machine would: PyTorch's kernels
# for another instruction set, MKL's code path for another CPU, another thread
# count. A notebook must print the same under every profile (see README.md).
PROFILE_PORTABLE := ATEN_CPU_CAPABILITY=default MKL_CBWR=COMPATIBLE OMP_NUM_THREADS=1
PROFILE_AVX2 := ATEN_CPU_CAPABILITY=avx2 MKL_CBWR=AVX2 OMP_NUM_THREADS=2
# The notebooks `make test-profiles` runs (all of them unless given).
NOTEBOOKS ?= chapters exercises
PYTEST := $(BIN)/python -m pytest -n 2 --dist loadfile

# pytest's options live in pyproject.toml: nbval in strict mode over every
# notebook, the library tests, and the book build (tests/test_site.py); then
# the notebooks once more under the portable profile, as on another CPU.
test: setup
	$(PYTEST)
	env $(PROFILE_PORTABLE) $(PYTEST) chapters exercises

# The notebooks under the machine's defaults and both profiles (for authors).
test-profiles: setup
	$(PYTEST) $(NOTEBOOKS)
	env $(PROFILE_PORTABLE) $(PYTEST) $(NOTEBOOKS)
	env $(PROFILE_AVX2) $(PYTEST) $(NOTEBOOKS)

# External links are not checked in CI (it has no internet); run this when online.
linkcheck: setup
	$(BIN)/jupyter-book build . --builder linkcheck
	@echo "Every external link and its status: _build/linkcheck/output.txt"

lab: setup
	$(BIN)/jupyter lab --notebook-dir=$(CURDIR)

clean:
	rm -rf _build zh/_build

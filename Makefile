# Everything a user types: `make demo` and `make test`. Both build .venv/ from the pinned
# versions in constraints.txt the first time (needs only Python >= 3.11 and pip).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.bench-installed

.PHONY: demo test fuzz report-check bench bench-everyday clean venv

venv: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e ".[test,dask]"
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/maxlik demo --out demo-output

test: $(STAMP)
	$(PY) -m pytest

# the property suite (tests/properties) with 10⁴ examples per property (FUZZ_EXAMPLES=200 for a short
# run, FUZZ_SEED to repeat one): prints the table and writes RELIABILITY.md
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(PY) -m tools.fuzz $(ARGS)  # ARGS: --shard i/n, --fresh, --retry-failed, --ledger PATH, -k EXPR (tools/fuzz.py)

# the demo report in headless Chromium (not part of `make test`: CI has no browser): fails on console
# errors, broken images or horizontal overflow at 1280 px, and refreshes the README's docs/report.png
report-check: $(STAMP)
	test -f demo-output/index.html || $(MAKE) demo
	$(PY) tools/report_check.py demo-output/index.html --screenshot docs/report.png

# the benchmarks also time pomegranate, which needs PyTorch: pinned to the CPU build's version
$(BENCH_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -c constraints.txt -e ".[test,dask,bench]"
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(PY) -m benchmarks $(FILTER)

# fresh-process timings (issue #11): `make bench-everyday ARGS="--repeat 3 --markdown everyday.md"`
bench-everyday: $(STAMP)
	$(PY) -m benchmarks.everyday $(ARGS)

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache

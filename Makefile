# The two commands of the README (demo, test) and a quicker loop for developers (check).
# Each creates .venv on first use and installs what it needs from this project's own files.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/pip install --disable-pip-version-check --progress-bar off

.PHONY: demo test check lint browser fuzz bench clean docs docs-check results

$(BIN)/activate:
	@echo "narod: creating $(VENV) with $(PY)"
	$(PY) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	@echo "narod: installing narod and its dependencies into $(VENV) (a few minutes the first time)"
	$(PIP) -e . | grep --line-buffered -E '^(Collecting|Successfully)' \
		|| $(PIP) -e .  # on failure, again with pip's whole message
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/activate
	@echo "narod: installing narod with its test extras into $(VENV) (a few minutes the first time)"
	$(PIP) -e ".[test]" | grep --line-buffered -E '^(Collecting|Successfully)' \
		|| $(PIP) -e ".[test]"
	touch $(VENV)/.installed $@

demo: $(VENV)/.installed
	$(BIN)/narod demo --out out

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests benchmarks fuzz tools
	$(BIN)/ruff format --check src tests benchmarks fuzz tools

# Debian's Chromium for the explorer's browser test (installed when missing and allowed).
browser:
	@sh tools/chromium.sh

# Everything, as CI runs it.
test: lint browser docs-check
	$(BIN)/python -m pytest -q

# The documentation site (MkDocs Material), built offline into site/.
docs: $(VENV)/.installed-test
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict -q

# The same build, strict, into a throw-away folder: a broken link or page fails the tests.
docs-check: $(VENV)/.installed-test
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict -q -d "$$(mktemp -d)"

# The docs' results pages, generated from real runs (about 100 minutes on 2 cores): each
# episode's validation (20 seeds, 1:1; Cairo at 1:10), and the account's claims. The runs are kept in results-store/, so a killed
# `make results` continues where it stopped.
CLAIMS := --seeds 10 --sample 8 --sample-seeds 2 --sobol 32 --sobol-episode petrograd-1917 \
	--scale petrograd-1917=0.05 --scale cairo-2011=0.02 --scale petrograd-1917-10=0.25
results: $(VENV)/.installed
	for e in petrograd-1917-02 petrograd-1917-10 petersburg-1825 dublin-1916 munich-1923; do \
		$(BIN)/narod validate $$e --seeds 20 --out docs/results/$$e || exit 1; done
	$(BIN)/narod validate cairo-2011 --seeds 20 --set city.scale=0.1 --out docs/results/cairo-2011
	$(BIN)/narod claims $(CLAIMS) --out docs/claims --store results-store/claims

# The quick subset for the edit-test loop: everything not marked slow.
check: lint
	$(BIN)/python -m pytest -q -m "not slow"

# Bad input, generated: 10,000 inputs at every entry point, a report of what failed (minutes).
fuzz: $(VENV)/.installed-test
	$(BIN)/python fuzz/run.py --examples 10000

bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/epstein_vs_mesa.py

clean:
	rm -rf $(VENV) out build *.egg-info src/*.egg-info

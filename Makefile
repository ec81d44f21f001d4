# Targets describe themselves: `make help`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: help demo test bench check clean

help: ## list targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

demo: $(STAMP) ## set up, build demo.db from transcripts/ and codebooks/, open the workbench
	@test -f demo.db || $(BIN)/qual-coder demo demo.db
	$(BIN)/qual-coder tui demo.db

test: $(STAMP) ## set up and run the test suite
	$(BIN)/python -m pytest -q -p no:cacheprovider -n auto

BENCHES := import_throughput tui_latency analysis_speed reanchor safety fuzz suggest_quality \
	suggest_speed autocode_agreement serve_latency undo_log query_speed startup workbench_scale \
	bulk_paths suggest_scale coding_cost

bench: $(STAMP) ## run every benchmark (slow, ~20 min; figures go in bench/README.md)
	@for b in $(BENCHES); do echo "== bench/$$b.py"; $(BIN)/python bench/$$b.py || exit 1; done

DEV := $(VENV)/.dev

$(DEV): $(STAMP)
	$(BIN)/pip install -q -e '.[test,dev]'
	touch $(DEV)

check: $(DEV) ## lint (ruff), layers (import-linter) and types (mypy); fails on any finding
	$(BIN)/ruff check qual_coder tests bench scripts
	$(BIN)/lint-imports
	$(BIN)/mypy qual_coder tests

clean: ## remove the virtual environment and the demo project
	rm -rf $(VENV) demo.db demo.db-wal demo.db-shm

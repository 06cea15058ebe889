# Two commands do all the set-up on a fresh machine (Python 3.11):
#   make demo   - create .venv, install ondit and its French model, ingest examples/ into ./ondit.db, list the claims
#   make test   - the whole test suite (pytest, ruff, mypy, docs in sync)
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install lint typecheck docs bench-timeml bench-throughput clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/ondit ingest examples/ --db sqlite:///ondit.db
	$(BIN)/ondit claims --db sqlite:///ondit.db

test: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/pytest -q

docs: $(STAMP)
	$(BIN)/python -m ondit._clidoc > docs/cli.md

bench-timeml: $(STAMP)
	$(BIN)/ondit bench timeml ../shared/corpora/fr-timebank/dev --system ondit --system dateparser

bench-throughput: $(STAMP)
	$(BIN)/python benchmarks/throughput.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache .mypy_cache .ruff_cache

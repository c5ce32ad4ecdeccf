# Everything a fresh clone needs: `make run` serves on the embedded SQLite default,
# `make test` runs the whole suite (SQLite and PostgreSQL), `make check` is what CI lints with.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test check lint format migrate worker bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	# torch first, pinned: these two wheels come from the local disk (any other version downloads GBs).
	$(BIN)/python -m pip install -q torch==2.14.1 torchvision==0.29.1
	$(BIN)/python -m pip install -q -e '.[ocr,dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/ocr-gateway migrate
	$(BIN)/ocr-gateway apikey ensure-local --host $(HOST) --port $(PORT)
	$(BIN)/ocr-gateway serve --host $(HOST) --port $(PORT)

migrate: $(STAMP)
	$(BIN)/ocr-gateway migrate

worker: $(STAMP)
	$(BIN)/ocr-gateway worker

# Two worker processes, each test file on one of them (TEST_WORKERS=0: one process, in order).
TEST_WORKERS ?= 2
test: $(STAMP)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

check: $(STAMP)
	$(BIN)/ruff format --check ocr_gateway tests bench
	$(BIN)/ruff check ocr_gateway tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff format ocr_gateway tests bench
	$(BIN)/ruff check --fix ocr_gateway tests bench

bench: $(STAMP)
	$(BIN)/python bench/graphql_nested.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache

# Contrechamp: `make run` to start, `make test` to check everything.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run install prepare test test-fast lint typecheck openapi docs-cli messages benchmark clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

prepare: $(STAMP)
	$(BIN)/contrechamp migrate --no-input -v 0
	$(BIN)/contrechamp places load
	$(BIN)/contrechamp demo load
	$(BIN)/contrechamp collectstatic --no-input -v 0

# The links the exports, the API and the e-mails write lead to the address served, unless
# SITE_URL says otherwise (`make run PORT=8799` wrote links to :8000).
run: prepare
	SITE_URL="$${SITE_URL:-http://$(HOST):$(PORT)}" $(BIN)/contrechamp serve --host $(HOST) --port $(PORT)

test: $(STAMP)
	$(BIN)/ruff check contrechamp tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/mypy contrechamp
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The same without the browser tests (marked `browser`; no Chromium needed).
test-fast: $(STAMP)
	$(BIN)/ruff check contrechamp tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/mypy contrechamp
	$(BIN)/python -m pytest -m "not browser" $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check contrechamp tests benchmarks
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy contrechamp

openapi: $(STAMP)
	$(BIN)/contrechamp openapi --output docs/openapi.json

# The reference part of docs/command-line.md, from each command's --help.
docs-cli: $(STAMP)
	$(BIN)/python docs/cli.py

messages: $(STAMP)
	cd contrechamp && ../$(BIN)/contrechamp makemessages -l fr --no-obsolete --no-location -i 'static/*'
	cd contrechamp && ../$(BIN)/contrechamp compilemessages -l fr

benchmark: $(STAMP)
	$(BIN)/python benchmarks/registry.py
	$(BIN)/python benchmarks/documents.py
	$(BIN)/python benchmarks/search.py --pages 100000
	$(BIN)/python benchmarks/redaction.py
	$(BIN)/python benchmarks/access.py

clean:
	rm -rf $(VENV) var

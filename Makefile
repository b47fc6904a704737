# Factory Floor — the two commands of the README:
#   make run    set up .venv if needed, build the demo database if missing, start the app
#   make test   set up .venv if needed and run the whole test suite (unit, app, browser)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8501
export FACTORY_DB ?= data/factory.duckdb

.PHONY: run test bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	@test -f "$(FACTORY_DB)" || $(BIN)/factory demo --db "$(FACTORY_DB)"
	$(BIN)/streamlit run app.py --server.port $(PORT) --browser.gatherUsageStats false

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python bench/pages.py

clean:
	rm -rf $(VENV) data/factory.duckdb data/factory.duckdb.wal data/staging

# The documented entry points: run, test, lint, bench (and install, eval).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8501
export SOSTAC_DB ?= data/sostac.duckdb
export SOSTAC_PLAN ?= data/plan.yaml

.PHONY: install run test test-robust lint format messages bench bench-large eval demo screenshot clean

install: $(STAMP)

# Reinstall only when the pins change, so a second `make run` installs nothing.
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(STAMP)

# A first run creates the demo workspace; a plan of your own is never overwritten (the demo
# then says so and the dashboard starts on your plan with an empty database).
run: install
	@test -f $(SOSTAC_DB) || $(BIN)/sostac-control demo --db $(SOSTAC_DB) --plan $(SOSTAC_PLAN) \
		|| echo "make run: no demo data loaded (see above); starting the dashboard anyway"
	$(BIN)/streamlit run app.py --server.port $(PORT) --browser.gatherUsageStats false

test: install
	$(BIN)/python -m pytest -q

# Hostile and clumsy input, concurrent writers, kill -9 mid-load (minutes; prints figures).
test-robust: install
	SOSTAC_ROBUST=1 $(BIN)/python -m pytest -q tests/robust

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Extract every message from the code into the Dutch catalogue (then translate the new ones).
messages: install
	$(BIN)/python -m sostac_control.i18n.extract

bench: install
	$(BIN)/python -m bench

# Ingest and status at 30M values (a few minutes and ~2 GB of disk in /tmp).
bench-large: install
	SOSTAC_BENCH_ROWS=30000000 SOSTAC_BENCH_POSTS=0 $(BIN)/python -m bench ingest

eval: install
	$(BIN)/python -m bench.eval

demo: install
	$(BIN)/sostac-control demo --db $(SOSTAC_DB) --plan $(SOSTAC_PLAN)

screenshot: install
	SOSTAC_SCREENSHOTS=docs $(BIN)/python -m pytest -q tests/browser/test_e2e_browser.py tests/browser/test_dashboard_browser.py tests/browser/test_language_browser.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

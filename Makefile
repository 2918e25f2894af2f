# diplokg: `make run` builds the example graph and serves it; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STORE ?= data/store
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

.PHONY: setup run build serve test lint format bench bench-full eval browser screenshots clean

setup: $(STAMP) $(NODE_STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	@# the gazetteer's cache file (kg/extract/gazetteer.py), built from the installed packages
	$(BIN)/python -c "from kg.extract.gazetteer import gazetteer; gazetteer()"
	touch $(STAMP)

# the browser libraries of the console and the explorer (package.json, package-lock.json), served
# by the app from node_modules; Debian's nodejs and npm are installed when missing and run as root
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { [ "$$(id -u)" = 0 ] && export DEBIAN_FRONTEND=noninteractive \
	  && apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null; } \
	  || { echo "diplokg: npm is missing: install Node.js and npm, then run make setup" >&2; exit 1; }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

build: setup
	$(BIN)/diplokg build examples/reports.jsonl --store $(STORE)

run: build
	@echo "diplokg: serving $(STORE) on http://$(HOST):$(PORT)  (query console /, API docs /docs, SPARQL /sparql)"
	$(BIN)/diplokg serve --store $(STORE) --host $(HOST) --port $(PORT)

lint: setup
	$(BIN)/ruff check kg api tests bench
	$(BIN)/ruff format --check kg api tests bench
	$(BIN)/mypy

format: setup
	$(BIN)/ruff check --fix kg api tests bench
	$(BIN)/ruff format kg api tests bench

# Debian's chromium for the console's browser test: installed only as root (as in CI), when missing
browser:
	@if [ "$$(id -u)" = 0 ] && [ ! -x /usr/bin/chromium ]; then \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq chromium; \
	fi || echo "diplokg: chromium could not be installed: the console's browser test will skip"

test: setup lint browser
	$(BIN)/pytest -q

# docs/console.png, docs/console-chart.png, docs/explorer.png: the pages in headless Chromium
screenshots: setup browser
	$(BIN)/python docs/screenshots.py

SHARED ?= ../shared

# Benchmarks (bench/): each script rewrites its own section of bench/RESULTS.md.
# `make bench` is the quick set (about 15 minutes on 2 cores); `make bench-full` adds the
# 2,000-document and 1,000,000-triple runs and the long documents.
RESULTS := bench/RESULTS.md
PY := $(BIN)/python

bench: setup
	$(PY) bench/extract_speed.py --docs 500 --repeat 2 --profile-docs 100 --write $(RESULTS)
	$(PY) bench/extract_linear.py --sizes 1000,10000,100000 --write $(RESULTS)
	$(PY) bench/query_scale.py --triples 200000 --repeat 20 --rest-requests 80 --write $(RESULTS)
	$(PY) bench/server_memory.py --triples 200000 --seconds 30 --write $(RESULTS)
	$(PY) bench/load_http.py --seconds 60 --clients 50 --write $(RESULTS)

bench-full: setup
	$(PY) bench/extract_speed.py --docs 2000 --repeat 3 --profile-docs 300 --write $(RESULTS)
	$(PY) bench/extract_linear.py --sizes 1000,10000,100000,300000,999000 --timeout 1800 --write $(RESULTS)
	$(PY) bench/query_scale.py --triples 1000000 --repeat 50 --rest-requests 400 --write $(RESULTS)
	$(PY) bench/server_memory.py --triples 1000000 --seconds 60 --write $(RESULTS)
	$(PY) bench/build_scale.py --docs 2000 --small 500 --write $(RESULTS)
	$(PY) bench/load_store.py --docs 2000 --write $(RESULTS)
	$(PY) bench/analysis_scale.py --repeat 3 --write $(RESULTS)
	$(PY) bench/load_http.py --seconds 60 --clients 50 --write $(RESULTS)

CAMEO := $(SHARED)/benchmarks/cameo-pentaclass

eval: setup
	$(BIN)/diplokg eval $(SHARED)/gold/*.json --plover $(SHARED)/benchmarks/plover_gsr/gsr.jsonl \
	  --cameo $(CAMEO)/train.tsv $(CAMEO)/train_ner.txt --report docs/quality.md

clean:
	rm -rf $(VENV) node_modules data .pytest_cache .mypy_cache .ruff_cache

# One entry point for every routine task. `make check` runs what CI runs.
VENV ?= .venv
PYTHON ?= $(shell command -v python3.11 || command -v python3)
BIN := $(VENV)/bin

.PHONY: install messages gettext browser demo test lint format typecheck check bench bench-jobs bench-ai

install: $(VENV)/.installed messages

# Translations live in locale/ as .po files; the .mo files Django reads are built here, never
# committed. compilemessages needs GNU gettext's msgfmt.
messages: gettext $(VENV)/.installed
	$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=var >/dev/null

gettext:
	@command -v msgfmt >/dev/null || (apt-get update -qq && apt-get install -y -qq gettext)

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

demo: install  ## web + worker on http://127.0.0.1:8000, SQLite and files under var/
	$(BIN)/python scripts/demo.py

test: install browser  ## needs PostgreSQL and Redis on localhost (see README)
	$(BIN)/pytest

browser:  ## Debian's chromium for the end-to-end tests (Playwright never downloads one)
	@test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq chromium)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

typecheck: install
	$(BIN)/mypy .

check: lint typecheck test

bench: install  ## render-engine benchmark: 24 phone-size photos at 1080p30 vs encoder floor and MoviePy
	$(BIN)/python -m rendering.bench.render_bench $(BENCH_ARGS)

bench-jobs: install  ## job-system benchmark: 20 small renders through 2 workers on PostgreSQL, Redis, S3
	$(BIN)/python -m rendering.bench.jobs_bench

bench-ai: install  ## AI suggestions: 24 phone photos through the OpenAI adapter against the loopback fake
	$(BIN)/python -m projects.bench.ai_bench $(BENCH_ARGS)

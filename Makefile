# Relais — the two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: demo test lint bench install install-dev clean

$(VENV)/.installed: requirements.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PIP) install -q -r requirements.txt
	$(PIP) install -q --no-deps -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PIP) install -q -r requirements-dev.txt
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## make demo: install, migrate the SQLite database under var/, load the demo service, serve it.
demo: $(VENV)/.installed
	@mkdir -p var
	@bash scripts/pdf-libraries.sh
	DEBUG=1 $(PY) manage.py crypto_init
	DEBUG=1 $(PY) manage.py migrate --no-input -v 0
	DEBUG=1 $(PY) manage.py seed_demo
	@echo ""
	@echo "Relais tourne sur http://127.0.0.1:8000/ (Ctrl+C pour arrêter)."
	@# The task worker (imports of the partner directory) runs beside the server and stops with it.
	DEBUG=1 $(PY) manage.py db_worker --no-reload -v 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

## make test: lint, migrations check, the suite on SQLite and on PostgreSQL, browser tests.
test: $(VENV)/.installed-dev
	bash scripts/run-tests.sh

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

## make bench: performance figures (outside make test); see docs/benchmark.md.
bench: $(VENV)/.installed-dev
	@bash scripts/pdf-libraries.sh
	bash scripts/bench.sh

clean:
	rm -rf $(VENV) var/staticfiles var/test-media

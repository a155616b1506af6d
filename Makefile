# Relais — developer entry points. `make demo` and `make test` are the two commands of the README.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Python 3.11: a pyenv interpreter when there is one, else Debian's.
PYTHON ?= $(shell for p in $$HOME/.pyenv/versions/3.11.*/bin/python3.11 /usr/bin/python3.11 /usr/local/bin/python3.11; do [ -x "$$p" ] && { echo "$$p"; break; }; done)
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
CHROMIUM := /usr/bin/chromium
# The demo server's port: `make demo PORT=8001` when 8000 is taken. The links of the e-mails
# sent outside a request (reminders, confirmations) follow it unless RELAIS_SITE_URL is set.
PORT ?= 8000
APT_BROWSER := apt-get install -y --no-install-recommends chromium libatomic1 fonts-liberation

export UV_PYTHON_DOWNLOADS := never
# The registry's certificate may be signed by a CA that only the OS store knows.
export UV_SYSTEM_CERTS := 1
export UV_NO_PROGRESS := 1

.PHONY: help demo test test-dates quality install install-dev system-demo system-test serve bench bench-planner bench-stats bench-scale bench-load bench-charts bench-outbox bench-export-job vendor messages clean lock

help:
	@echo "make demo     - installe, crée la base SQLite de démonstration et lance le serveur"
	@echo "make test     - installe les outils de test et lance toute la suite (navigateur compris)"
	@echo "make test-dates - la suite (hors navigateur) à des dates délicates (TEST_DATES)"
	@echo "make quality  - ruff, couches des applications, migrations manquantes, bandit et pip-audit"
	@echo "make bench    - mesures de performance, écrites dans docs/performance.md"
	@echo "make messages - régénère le catalogue français des pluriels (locale/fr, gettext requis)"

$(UV):
	@test -n "$(PYTHON)" || { echo "Python 3.11 introuvable : apt-get install python3 python3-venv"; exit 1; }
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install -q --disable-pip-version-check "uv==$(UV_VERSION)"

$(BIN)/python: | $(UV)
	$(UV) venv -q --allow-existing --python $(PYTHON) $(VENV)

# The project itself, installed once (editable): re-installing it rewrites the files Django's
# autoreloader watches, which restarted a running demo whenever `make test` ran.
$(VENV)/.project: | $(BIN)/python
	$(UV) pip install -q --python $(BIN)/python --no-deps -e .
	@touch $@

$(VENV)/.main: requirements/main.txt | $(VENV)/.project
	$(UV) pip install -q --python $(BIN)/python -r requirements/main.txt
	@touch $@

# The test tools beside the application's packages (same locked versions: nothing reinstalled).
$(VENV)/.dev: requirements/dev.txt $(VENV)/.main
	$(UV) pip install -q --python $(BIN)/python -r requirements/dev.txt
	@touch $@

# Debian packages: installed when run as root, otherwise the exact apt command is printed.
system-demo:
	@scripts/system_packages.sh demo "$(PYTHON)"
system-test:
	@scripts/system_packages.sh test "$(PYTHON)"

install: system-demo $(VENV)/.main
install-dev: system-demo $(VENV)/.dev

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || scripts/system_packages.sh test "$(PYTHON)"
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# The demo: SQLite under var/, the seed's data, one login per role, then the server.
demo: export DJANGO_SETTINGS_MODULE = config.settings.dev
demo: export RELAIS_SITE_URL ?= http://127.0.0.1:$(PORT)
demo: install
	@mkdir -p var
	$(BIN)/relais migrate --noinput -v 0
	$(BIN)/relais demo
	$(WITH_WORKER) $(BIN)/relais runserver 127.0.0.1:$(PORT)

serve: export DJANGO_SETTINGS_MODULE = config.settings.dev
serve: export RELAIS_SITE_URL ?= http://127.0.0.1:$(PORT)
serve: install
	$(WITH_WORKER) $(BIN)/relais runserver 127.0.0.1:$(PORT)

# The web server and one worker (e-mails, SMS, planner, periodic jobs) together: the worker
# runs in the background of the same shell and is stopped with the server (Ctrl-C).
WITH_WORKER = $(BIN)/relais worker --verbosity 0 & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM;

# The whole suite. Browser tests need Debian's Chromium; in CI its absence is a failure.
test: system-test install-dev node_modules/.installed
	@if [ ! -x $(CHROMIUM) ]; then \
	  echo "Chromium est absent : les tests navigateur ne peuvent pas tourner."; \
	  echo "Installez-le avec : sudo $(APT_BROWSER)"; \
	  if [ "$$CI" = "true" ]; then exit 1; fi; \
	fi
	$(BIN)/pytest $(PYTEST_ARGS)

# The suite at awkward instants: a Sunday evening, 29 February, New Year's Eve late at night and
# the demo agreement's tacit-renewal day. The suite's clock is fixed (tests/conftest.py, TEST_NOW);
# these runs catch a test that assumes something of "today" (issue 18).
# The browser tests run at the first of them (a booking made on a Sunday evening); the fuzz
# crawl (minutes, no dates of its own) runs once, in `make test`.
TEST_DATES ?= 2026-12-06T18:30 2028-02-29T08:15 2026-12-31T23:30 2027-06-23T09:00
test-dates: install-dev node_modules/.installed
	@for now in $(TEST_DATES); do \
	  echo "== TEST_NOW=$$now"; \
	  TEST_NOW=$$now $(BIN)/pytest -q -m "not e2e and not fuzz" $(PYTEST_ARGS) || exit 1; \
	done
	TEST_NOW=$(firstword $(TEST_DATES)) $(BIN)/pytest -q -m e2e $(PYTEST_ARGS)

quality: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@# The apps' layers (.importlinter, docs/architecture.md): dependencies go one way.
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/relais makemigrations --check --dry-run
	$(BIN)/bandit -q -r relais -x '*/migrations/*' -lll
	@# Fails on a known vulnerability. An unreachable service prints NON AUDITÉ / NOT AUDITED and
	@# passes, unless AUDIT_REQUIRED=1 (scripts/audit_dependencies.py, docs/operations.md).
	$(BIN)/python scripts/audit_dependencies.py

bench: export DJANGO_SETTINGS_MODULE = config.settings.test
bench: install-dev
	$(BIN)/python -m bench

# The planner on the demo and on a département-scale instance (about a minute).
bench-planner: export DJANGO_SETTINGS_MODULE = config.settings.test
bench-planner: install-dev
	$(BIN)/python -m bench.planner

# Statistics at 1 M and 10 M activities: needs PostgreSQL (DATABASE_URL) and takes long.
# BENCH_STATS_SIZES, BENCH_STATS_EXPORT=0, BENCH_STATS_KEEP=1: see bench/stats.py.
bench-stats: export DJANGO_SETTINGS_MODULE = config.settings.test
bench-stats: install-dev
	$(BIN)/python -m bench.stats

# Every role's form pages and the person picker at 1 M activities / 1 M people (PostgreSQL:
# DATABASE_URL; issue 19 §1). BENCH_SCALE_KEEP=1 keeps the filled database for a re-run.
bench-scale: export DJANGO_SETTINGS_MODULE = config.settings.test
bench-scale: install-dev
	$(BIN)/python -m bench.scale

# Under load (issue 19 §3): gunicorn as in docs/operations.md against PostgreSQL (DATABASE_URL),
# on 127.0.0.1 wrk without pause (apt-get install wrk) and bench/paced.py with pauses, the
# one-line view as ceiling. About 20 min with the
# defaults: 15 s per measure (BENCH_LOAD_SECONDS), the 200-client mixed run 10 min
# (BENCH_LOAD_MIXED_SECONDS=600), the seeding the first time of the day only (kept as a template
# database; BENCH_LOAD_FRESH=1 seeds again). Pauses: BENCH_LOAD_PAUSE_MS, BENCH_LOAD_MIXED_PAUSE_MS.
# BENCH_LOAD_ONLY=auth: only a signed-in request's cost, now and with the former middlewares.
bench-load: install-dev
	@# The load generator is Debian's wrk: installed as root, else the exact command is printed.
	@command -v wrk >/dev/null || { if [ "$$(id -u)" = 0 ]; then apt-get install -y -qq --no-install-recommends wrk; else echo "wrk est absent : sudo apt-get install wrk"; exit 1; fi; }
	$(BIN)/python -m bench.load

# The statistics charts: drawn, read from the shared cache, from the memo (ADR 0010).
bench-charts: install-dev
	$(BIN)/python -m bench.charts

# The outbox's throughput through a local SMTP sink (SQLite, or DATABASE_URL's PostgreSQL).
bench-outbox: install-dev
	$(BIN)/python -m bench.outbox

# A large export written by a worker: click → downloadable, and the page p95 meanwhile vs idle
# (PostgreSQL: DATABASE_URL; BENCH_EXPORT_ROWS, default 1 M, takes long on a loaded machine).
bench-export-job: install-dev
	$(BIN)/python -m bench.export_job

# Regenerate the locked requirements after editing pyproject.toml.
lock: | $(UV)
	$(UV) pip compile -q pyproject.toml --generate-hashes --universal --python-version 3.11 -o requirements/main.txt
	$(UV) pip compile -q pyproject.toml --group dev --generate-hashes --universal --python-version 3.11 -o requirements/dev.txt

# The French catalog (locale/fr, committed with its .mo): after adding or changing a plural
# string ({% blocktranslate count %}, ngettext). The UI is written in French in the code, so
# each translation is its msgid (msgen), rebuilt from scratch (a merge would guess "fuzzy"
# translations from similar strings); the catalog brings French plurals (0 and 1 singular).
# Needs Debian's gettext (only here: the build and the tests use the committed .mo).
PO := locale/fr/LC_MESSAGES/django.po
messages: export DJANGO_SETTINGS_MODULE = config.settings.dev
messages: install-dev
	@command -v msgen >/dev/null || { echo "gettext est absent : sudo apt-get install gettext"; exit 1; }
	rm -f $(PO)
	$(BIN)/python manage.py makemessages -l fr --no-location --no-obsolete --ignore=.venv --ignore=.tools --ignore=node_modules --ignore=var --ignore=tests --ignore=bench
	msgen --no-wrap --lang=fr $(PO) | msgattrib --no-wrap --clear-fuzzy - | sed \
	  -e '1,4c\# French plurals of Relais, generated by `make messages`: each translation is its msgid.' \
	  -e 's/PACKAGE VERSION/Relais/' -e '/^"\(PO-Revision-Date\|Last-Translator\|Language-Team\): /d' \
	  > $(PO).tmp && mv $(PO).tmp $(PO)
	msgfmt --check-format -o $(PO:.po=.mo) $(PO)

# Copy the front-end files we serve from npm into static/ (committed).
vendor: node_modules/.installed
	cp node_modules/htmx.org/dist/htmx.min.js relais/core/static/relais/vendor/htmx.min.js

clean:
	rm -rf $(VENV) $(TOOLS) node_modules var/static

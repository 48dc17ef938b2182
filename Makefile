# Two commands on a fresh machine with Python 3.11+ and make:
#   make run    set up, migrate, seed the demo if empty, serve on http://127.0.0.1:$(PORT)
#   make test   install the test tools and run the whole suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run test lint format messages install install-dev clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# .env marks this checkout as a development one (DEBUG=1), so `manage.py` commands
# work here without exporting anything; the environment still wins over it.
run: install
	mkdir -p var
	test -f .env || printf '# Written by make run: a development checkout.\nDEBUG=1\n' > .env
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py make_signing_certificate --if-missing
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py seed_demo --if-empty
	@db="$${DATABASE_URL:-sqlite}"; echo ""; \
	echo "=================================================================="; \
	echo " DEVELOPMENT SERVER (manage.py runserver): not for real use."; \
	echo " DEBUG=$${DEBUG:-1}: error pages show code and settings. Database: $${db%%:*}"; \
	echo " (SQLite in var/ unless DATABASE_URL says otherwise). Demo accounts"; \
	echo " share one known password (README, 'Demo accounts'); 'admin' sets up"; \
	echo " a one-time-code app at its first login."; \
	echo " Production: gunicorn, DEBUG=0, PostgreSQL, HTTPS: README, 'Deploying'."; \
	echo " Serving http://127.0.0.1:$(PORT)/"; \
	echo "=================================================================="; \
	echo ""
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Two test processes (pytest-xdist): the suite takes half the time on two cores.
# PYTEST_ARGS="-n 0" runs it in one process (e.g. to use a debugger).
PYTEST_ARGS ?= -n 2
test: install-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Needs GNU gettext; the compiled .mo files are committed for machines without it.
messages: install
	DEBUG=1 $(BIN)/python manage.py makemessages -l id --no-obsolete --ignore=.venv --ignore=staticfiles
	DEBUG=1 $(BIN)/python manage.py compilemessages -l id --ignore=.venv

# The scale benchmark (not a test): recreates the database in BENCH_DATABASE_URL,
# grows it to 1 then 100 synthetic governments, prints a table, writes var/bench.json.
# It runs as a server would: the cache and the job queue on Redis (databases 3 and 4).
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/monev_bench
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/3
BENCH_BROKER_URL ?= redis://127.0.0.1:6379/4
bench: install
	mkdir -p var
	DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) \
		CELERY_BROKER_URL=$(BENCH_BROKER_URL) DEBUG=0 SECRET_KEY=benchmark-only-key \
		$(BIN)/python manage.py bench --recreate-database $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

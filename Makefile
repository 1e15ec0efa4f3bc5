# Storyboard Director. `make run` serves it, `make test` runs the whole suite.
# Each target installs what is missing first (Debian packages, the .venv, Python packages).

PY      := .venv/bin/python
PIP     := .venv/bin/pip
STAMP   := .venv/.installed
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/storyboard
TEST_REDIS_URL    ?= redis://127.0.0.1:6379/1
export PORT ?= 8000
# The suite runs in parallel (pytest-xdist), each worker on its own test database, Redis
# database (TEST_REDIS_URL's number plus the worker's: keep it at most 16 - XDIST_WORKERS),
# channel prefix and media directory (tests/xdist_fixtures.py). XDIST_WORKERS=0 runs it serially.
XDIST_WORKERS ?= 3
XDIST := -n $(XDIST_WORKERS) --dist worksteal

.PHONY: run test test-fast test-sqlite lint format bench system-run system-test deps dev-deps migrate

run: system-run deps
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py load_demo
	$(PY) manage.py load_starter_terms
	bin/serve

test: system-test dev-deps
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	.venv/bin/lint-imports --no-cache
	$(PY) manage.py makemigrations --check --dry-run
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(PY) -m pytest $(XDIST)

# For the edit-test loop: no lint, no browser tests, no concurrency tests.
test-fast: system-test dev-deps
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) \
	  $(PY) -m pytest $(XDIST) -m "not browser and not concurrency"

# The same suite on the embedded SQLite database (no PostgreSQL-only concurrency tests).
test-sqlite: system-test dev-deps
	DATABASE_URL= REDIS_URL=$(TEST_REDIS_URL) $(PY) -m pytest $(XDIST)

lint: dev-deps
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .
	.venv/bin/lint-imports --no-cache

bench: system-test dev-deps
	$(PY) bench/run_all.py

system-run:
	@bin/ensure-system run

system-test:
	@bin/ensure-system test

$(PY):
	python3 -m venv .venv
	$(PIP) install -q --upgrade pip

# Reinstall only when a requirements file changed.
$(STAMP).run: requirements.txt | $(PY)
	$(PIP) install -q -r requirements.txt
	@touch $@

$(STAMP).dev: requirements.txt requirements-dev.txt | $(PY)
	$(PIP) install -q -r requirements-dev.txt
	@touch $@ $(STAMP).run

deps: $(STAMP).run
dev-deps: $(STAMP).dev

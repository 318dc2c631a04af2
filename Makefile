# Renaksi: `make run` for the development server with the demo plan, `make serve` for the same
# under gunicorn as in production, `make test` for every check CI runs, `make loadtest`.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Holds the sha256 of the pyproject.toml last installed: same digest, no reinstall.
INSTALL_STAMP := $(VENV)/.renaksi-installed
TEST_FAILURES := $(VENV)/.renaksi-test-failures
PYTEST_ARGS ?=

.PHONY: install browser run serve test messages loadtest

install:
	@if ! $(BIN)/python -c '' 2>/dev/null; then \
		echo "==> creating $(VENV) with $(PYTHON)"; \
		$(PYTHON) -m venv --clear $(VENV); \
	fi
	@digest=$$(sha256sum pyproject.toml | cut -d' ' -f1); \
	if [ "$$(cat $(INSTALL_STAMP) 2>/dev/null)" = "$$digest" ]; then \
		echo "==> $(VENV) is up to date with pyproject.toml"; \
	else \
		echo "==> pip install -e '.[dev,loadtest]'"; \
		$(BIN)/python -m pip install --disable-pip-version-check --progress-bar off -e '.[dev,loadtest]'; \
		echo "$$digest" >$(INSTALL_STAMP); \
	fi

# Debian's Chromium for the Playwright tests (Playwright never downloads a browser here),
# poppler-utils (pdftotext) for checking the PDF exports, and gettext (xgettext) for checking
# that every UI text is in the English catalogue.
browser:
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/pdftotext ] && [ -x /usr/bin/xgettext ]; then \
		echo "==> chromium, pdftotext and xgettext are installed"; \
	else \
		sudo=; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
		echo "==> apt-get install chromium poppler-utils gettext"; \
		$$sudo env DEBIAN_FRONTEND=noninteractive apt-get update; \
		$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium poppler-utils gettext; \
	fi

# Both targets start `manage.py db_worker` (django-tasks-db) beside the web process: it renders
# the PDFs too large to render in a request (renaksi/services/render.py). `make run` keeps the
# development server in the foreground (Ctrl-C stops it) and stops the worker when it exits.
WORKER := $(BIN)/python manage.py db_worker --no-reload --interval 1
run: export DJANGO_DEBUG := 1
run: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_demo
	@$(WORKER) & worker=$$!; \
	trap 'kill $$worker 2>/dev/null || true; wait $$worker 2>/dev/null || true' EXIT; \
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# The application as an operator runs it: gunicorn (gunicorn.conf.py says why 3 workers x 4
# threads) and one db_worker beside it (when either stops, the other is stopped too, so a
# supervisor such as systemd sees the failure and restarts both), DJANGO_DEBUG=0, static files collected and served by whitenoise. It needs no variable
# set by hand: the secret key is generated once into var/secret_key (git-ignored, mode 600) unless
# DJANGO_SECRET_KEY is set, the allowed hosts default to loopback, and cookies are not Secure
# unless DJANGO_BEHIND_HTTPS_PROXY or DJANGO_SECURE_COOKIES says so, so http://127.0.0.1 logs in.
# The demo plan and accounts are loaded on the local SQLite file only (DEMO=0 skips them).
SERVE_BIND ?= 127.0.0.1:8000
DEMO ?= $(if $(DATABASE_URL),0,1)
SECRET_KEY_FILE := $(CURDIR)/var/secret_key
serve: export DJANGO_DEBUG := 0
serve: export DJANGO_ALLOWED_HOSTS ?= 127.0.0.1,localhost
serve: install $(SECRET_KEY_FILE)
	@[ -n "$${DJANGO_SECRET_KEY:-}" ] || export DJANGO_SECRET_KEY_FILE=$(SECRET_KEY_FILE); \
	set -x; \
	$(BIN)/python manage.py migrate --no-input; \
	$(BIN)/python manage.py ensure_groups; \
	if [ "$(DEMO)" = 1 ]; then $(BIN)/python manage.py load_demo; fi; \
	$(BIN)/python manage.py collectstatic --no-input -v 0; \
	set +x; \
	$(WORKER) & worker=$$!; \
	$(BIN)/gunicorn --config gunicorn.conf.py --bind $(SERVE_BIND) & web=$$!; \
	trap 'kill -TERM $$web $$worker 2>/dev/null || true; wait $$web $$worker 2>/dev/null || true' EXIT; \
	trap 'exit 130' INT; trap 'exit 143' TERM; \
	echo "==> gunicorn (pid $$web) and db_worker (pid $$worker); Ctrl-C stops both"; \
	status=0; wait -n $$web $$worker || status=$$?; \
	echo "==> one of gunicorn and db_worker stopped (status $$status): stopping the other"; \
	exit $$status

$(SECRET_KEY_FILE):
	@mkdir -p $(dir $@)
	@umask 077; $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(64))' >$@.tmp
	@mv $@.tmp $@
	@echo "==> generated a secret key in $@"

# For maintainers after changing UI texts: refresh locale/en/LC_MESSAGES/django.po from the sources,
# translate what is new (no empty msgstr, no fuzzy; tests/test_i18n.py checks), then run it again to
# compile django.mo. Needs gettext (`make browser` installs it); the compiled .mo is committed, so
# running the application needs no gettext.
I18N_ARGS := -l en --ignore=.venv --ignore=test-artifacts --ignore=bench --ignore=tests --ignore=loadtest
messages: export DJANGO_DEBUG := 1
messages: install
	$(BIN)/python manage.py makemessages $(I18N_ARGS)
	$(BIN)/python manage.py compilemessages $(I18N_ARGS)

# Every step runs even when an earlier one fails; the failed ones are listed at the end and
# make exits non-zero. The SQLite run uses a test database file of its own; the PostgreSQL run
# gets a throwaway server from scripts/with-postgres, which sets DATABASE_URL. The two runs go
# side by side, one per core (scripts/pytest-both says why and how).
test: export DJANGO_SECRET_KEY := test-only-secret-key-not-for-deployment
test: export DJANGO_DEBUG := 0
test: export DJANGO_ALLOWED_HOSTS := 127.0.0.1,localhost,testserver
test: export DATABASE_URL :=
test: install browser
	@rm -f $(TEST_FAILURES)
	@$(call step,ruff check,$(BIN)/ruff check .)
	@$(call step,ruff format --check,$(BIN)/ruff format --check .)
	@$(call step,manage.py check,$(BIN)/python manage.py check)
	@$(call step,makemigrations --check,$(BIN)/python manage.py makemigrations --check --dry-run)
	@$(call step,pytest (SQLite) and pytest (PostgreSQL) side by side,scripts/pytest-both $(BIN)/pytest $(PYTEST_ARGS))
	@if [ -s $(TEST_FAILURES) ]; then \
		echo "==> make test: these steps failed:"; sed 's/^/      /' $(TEST_FAILURES); exit 1; \
	fi
	@echo "==> make test: every step passed"

# Load and fault scripts (loadtest/): each makes its own throwaway installation (SQLite in a
# temporary folder, or a throwaway PostgreSQL from scripts/with-postgres), serves it with
# gunicorn on a loopback port (8011-8013, never 8000), runs for a bounded time, prints p50/p95/
# p99 per endpoint and the database check, and stops. Every step runs; failed ones are listed.
LOADTEST_FAILURES := $(VENV)/.renaksi-loadtest-failures
loadtest: export DJANGO_DEBUG := 0
loadtest: export DJANGO_ALLOWED_HOSTS := 127.0.0.1
loadtest: install $(SECRET_KEY_FILE)
	@rm -f $(LOADTEST_FAILURES)
	@echo "==> $$(date -u '+%Y-%m-%d %H:%M UTC'), $$(nproc) cores, load average $$(cut -d' ' -f1-3 /proc/loadavg)"
	@DJANGO_SECRET_KEY_FILE=$(SECRET_KEY_FILE) $(BIN)/python manage.py collectstatic --no-input -v 0
	@$(call lstep,load (SQLite),$(BIN)/python loadtest/load.py --db sqlite)
	@$(call lstep,race (SQLite),$(BIN)/python loadtest/race.py --db sqlite)
	@$(call lstep,crash (SQLite),$(BIN)/python loadtest/crash.py --db sqlite)
	@$(call lstep,load (PostgreSQL),scripts/with-postgres $(BIN)/python loadtest/load.py --db postgresql)
	@$(call lstep,race (PostgreSQL),scripts/with-postgres $(BIN)/python loadtest/race.py --db postgresql)
	@$(call lstep,crash (PostgreSQL),scripts/with-postgres $(BIN)/python loadtest/crash.py --db postgresql)
	@if [ -s $(LOADTEST_FAILURES) ]; then \
		echo "==> make loadtest: these runs failed:"; sed 's/^/      /' $(LOADTEST_FAILURES); exit 1; \
	fi
	@echo "==> make loadtest: every run passed"

lstep = echo "==> $(1)"; $(2) || { echo "==> FAILED: $(1)"; echo "$(1)" >>$(LOADTEST_FAILURES); }

# $(call step,NAME,COMMAND): run COMMAND; if it fails, note NAME and go on.
step = echo "==> $(1)"; $(2) || { echo "==> FAILED: $(1)"; echo "$(1)" >>$(TEST_FAILURES); }

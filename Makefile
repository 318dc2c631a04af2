# Renaksi: `make run` for a local server with the demo plan, `make test` for every check CI runs.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Holds the sha256 of the pyproject.toml last installed: same digest, no reinstall.
INSTALL_STAMP := $(VENV)/.renaksi-installed
TEST_FAILURES := $(VENV)/.renaksi-test-failures
PYTEST_ARGS ?=

.PHONY: install browser run test messages

install:
	@if ! $(BIN)/python -c '' 2>/dev/null; then \
		echo "==> creating $(VENV) with $(PYTHON)"; \
		$(PYTHON) -m venv --clear $(VENV); \
	fi
	@digest=$$(sha256sum pyproject.toml | cut -d' ' -f1); \
	if [ "$$(cat $(INSTALL_STAMP) 2>/dev/null)" = "$$digest" ]; then \
		echo "==> $(VENV) is up to date with pyproject.toml"; \
	else \
		echo "==> pip install -e '.[dev]'"; \
		$(BIN)/python -m pip install --disable-pip-version-check --progress-bar off -e '.[dev]'; \
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

run: export DJANGO_DEBUG := 1
run: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# For maintainers after changing UI texts: refresh locale/en/LC_MESSAGES/django.po from the sources,
# translate what is new (no empty msgstr, no fuzzy; tests/test_i18n.py checks), then run it again to
# compile django.mo. Needs gettext (`make browser` installs it); the compiled .mo is committed, so
# running the application needs no gettext.
I18N_ARGS := -l en --ignore=.venv --ignore=test-artifacts --ignore=bench --ignore=tests
messages: export DJANGO_DEBUG := 1
messages: install
	$(BIN)/python manage.py makemessages $(I18N_ARGS)
	$(BIN)/python manage.py compilemessages $(I18N_ARGS)

# Every step runs even when an earlier one fails; the failed ones are listed at the end and
# make exits non-zero. The SQLite run uses db.sqlite3's in-memory test twin; the PostgreSQL run
# gets a throwaway server from scripts/with-postgres, which sets DATABASE_URL.
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
	@$(call step,pytest (SQLite),$(BIN)/pytest $(PYTEST_ARGS))
	@$(call step,pytest (PostgreSQL),scripts/with-postgres $(BIN)/pytest $(PYTEST_ARGS))
	@if [ -s $(TEST_FAILURES) ]; then \
		echo "==> make test: these steps failed:"; sed 's/^/      /' $(TEST_FAILURES); exit 1; \
	fi
	@echo "==> make test: every step passed"

# $(call step,NAME,COMMAND): run COMMAND; if it fails, note NAME and go on.
step = echo "==> $(1)"; $(2) || { echo "==> FAILED: $(1)"; echo "$(1)" >>$(TEST_FAILURES); }

"""Shared pytest fixtures.

The browser section drives Debian's Chromium (/usr/bin/chromium, installed by `make browser`)
through Playwright's sync API. Playwright never downloads a browser of its own here.
"""

import os
import threading
from pathlib import Path

import pytest
from django.db import connections

from renaksi.models import SubKegiatan
from tests.factories import make_instansi, make_plan, make_users

# --------------------------------------------------------------------------------------------
# Shared users and data
# --------------------------------------------------------------------------------------------
# Users are built per test with tests/factories.py (make_instansi, make_users, make_plan).


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # The default PBKDF2 hasher is slow by design; tests create many users and gain nothing
    # from it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def plain_static_files(settings):
    # The hashed names of the production storage exist only after collectstatic, which the
    # tests do not run for every page they render; tests/test_serve.py checks the real set-up.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with an empty cache (the verification page counts requests there)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Evidence uploads of a test go to its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def cache_dir(settings, tmp_path):
    """Cached PDFs of a test go to its own temporary folder."""
    settings.EXPORT_CACHE_DIR = tmp_path / "exports"
    return settings.EXPORT_CACHE_DIR


@pytest.fixture
def instansi(db):
    return make_instansi()


@pytest.fixture
def users(instansi):
    """admin, kepala, pemeriksa, staf_sekretariat and staf_politik of ``instansi``."""
    return make_users(instansi)


@pytest.fixture
def rencana(instansi):
    """The small two-NO plan of tests/factories.py for 2023."""
    return make_plan(instansi)


@pytest.fixture
def subs(rencana):
    """The plan's sub kegiatan by uraian."""
    return {s.uraian: s for s in SubKegiatan.objects.filter(kegiatan__program__rencana=rencana)}


# --------------------------------------------------------------------------------------------
# Browser (Playwright + Debian's Chromium)
# --------------------------------------------------------------------------------------------

CHROMIUM = Path(os.environ.get("RENAKSI_CHROMIUM", "/usr/bin/chromium"))

# The machine has no network beyond loopback: without the background-networking flags
# Chromium keeps opening connections that are refused.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

ARTIFACTS_DIR = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture
def artifacts_dir() -> Path:
    """test-artifacts/ at the repo root (gitignored), for screenshots a person can look at."""
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    return ARTIFACTS_DIR


@pytest.fixture
def browser_page(live_server, tmp_path, monkeypatch):
    """A Playwright page in a fresh headless Chromium profile, next to pytest-django's live_server.

    Depending on live_server makes the server (and its transactional_db) outlive the browser.
    """
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser`")
    # Playwright's sync API keeps an event loop running in this thread, which makes Django's
    # ORM refuse to run here ("You cannot call this from an async context").
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            user_data_dir=tmp_path / "chromium-profile",
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 900},
        )
        context.set_default_timeout(15_000)
        try:
            yield context.pages[0] if context.pages else context.new_page()
        finally:
            context.close()
            # While Playwright's loop runs, asgiref keeps Django's connections in a context
            # variable instead of the thread-local: the connection the test used here is not the
            # one pytest-django closes later, so close it now or it outlives the test database.
            connections.close_all()
    _join_live_server_request_threads()


def _join_live_server_request_threads(timeout: float = 10.0) -> None:
    """Wait for the live server's request threads to end now that the browser is gone.

    Chromium keeps its connections alive, and each request thread holds a database connection
    until its socket closes: none should still be open when the test database is flushed or,
    on PostgreSQL, dropped ("being accessed by other users").
    """
    for thread in threading.enumerate():
        if thread is not threading.current_thread() and thread.name.endswith(
            "(process_request_thread)"
        ):
            thread.join(timeout)


@pytest.fixture
def page(browser_page):
    """The page of a browser test (the interface is Indonesian whatever the browser asks)."""
    return browser_page


@pytest.fixture
def new_browser_context(live_server, monkeypatch):
    """A factory of fresh Chromium contexts (separate cookies), for two users at once.

    ``new_browser_context()`` returns a context with the same viewport and timeout as
    ``browser_page``, in the locale id-ID (the browser asks for Bahasa Indonesia, as the
    agencies' browsers do; ``new_browser_context(locale="en-US")`` for English). A test uses
    either this fixture or ``browser_page``, not both (one Playwright per thread). Every context
    and the browser are closed after the test.
    """
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser`")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )

        def new_context(locale: str = "id-ID"):
            context = browser.new_context(viewport={"width": 1400, "height": 900}, locale=locale)
            context.set_default_timeout(15_000)
            return context

        try:
            yield new_context
        finally:
            browser.close()
            connections.close_all()
    _join_live_server_request_threads()

"""The production settings: `check --deploy` clean behind the TLS proxy, and the secret key file
that lets `make serve` start on a new machine without a hand-set variable."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_ALLOWED_HOSTS": "renaksi.malukuprov.go.id",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://renaksi.malukuprov.go.id",
    "DJANGO_BEHIND_HTTPS_PROXY": "1",
}


def manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "kesbangpol.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def setting(env: dict, expression: str) -> subprocess.CompletedProcess:
    """Print ``expression`` evaluated in a fresh process under ``env``."""
    return subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django; django.setup(); from django.conf import settings; print({expression})",
        ],
        cwd=settings.BASE_DIR,
        env={"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "kesbangpol.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def key_file(tmp_path):
    path = tmp_path / "secret_key"
    path.write_text(secrets.token_urlsafe(64) + "\n")
    return path


def test_it_passes_check_deploy_behind_the_https_proxy():
    result = manage(
        {**PRODUCTION, "DJANGO_SECRET_KEY": secrets.token_urlsafe(64)}, "check", "--deploy"
    )
    assert result.returncode == 0, result.stderr
    # Only the two checks settings.py silences, with their reason written beside them.
    assert result.stdout.strip() == "System check identified no issues (2 silenced).", (
        result.stdout + result.stderr
    )


def test_it_reads_the_secret_key_from_the_file_it_is_told_of(key_file):
    env = {**PRODUCTION, "DJANGO_SECRET_KEY_FILE": str(key_file)}
    result = setting(env, "settings.SECRET_KEY")
    assert result.stdout.strip() == key_file.read_text().strip(), result.stderr
    assert manage(env, "check", "--deploy").returncode == 0


@pytest.mark.parametrize(
    "problem, expected",
    [
        ("missing", "DJANGO_SECRET_KEY_FILE cannot be read"),
        ("short", "the key is too short"),
        ("both", "set DJANGO_SECRET_KEY or DJANGO_SECRET_KEY_FILE, not both"),
    ],
)
def test_it_refuses_a_key_file_it_cannot_use(tmp_path, key_file, problem, expected):
    env = {**PRODUCTION, "DJANGO_SECRET_KEY_FILE": str(key_file)}
    if problem == "missing":
        env["DJANGO_SECRET_KEY_FILE"] = str(tmp_path / "nowhere")
    elif problem == "short":
        key_file.write_text("pendek")
    else:
        env["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(64)
    result = setting(env, "settings.SECRET_KEY")
    assert result.returncode != 0
    assert expected in result.stderr


def test_it_still_refuses_to_start_without_any_key():
    result = setting(PRODUCTION, "settings.SECRET_KEY")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off" in result.stderr


@pytest.mark.parametrize(
    "extra, secure",
    [
        ({}, "True"),  # behind the proxy: Secure cookies, HSTS
        ({"DJANGO_BEHIND_HTTPS_PROXY": "0"}, "False"),  # plain HTTP on loopback (make serve)
        ({"DJANGO_BEHIND_HTTPS_PROXY": "0", "DJANGO_SECURE_COOKIES": "1"}, "True"),
        ({"DJANGO_SECURE_COOKIES": "0"}, "False"),
    ],
)
def test_it_makes_cookies_secure_where_the_browser_speaks_https(key_file, extra, secure):
    env = {**PRODUCTION, "DJANGO_SECRET_KEY_FILE": str(key_file), **extra}
    result = setting(env, "settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE")
    assert result.stdout.strip() == f"{secure} {secure}", result.stderr


def test_it_sends_hsts_and_redirects_to_https_only_behind_the_proxy(key_file):
    expression = (
        "settings.SECURE_HSTS_SECONDS, getattr(settings, 'SECURE_SSL_REDIRECT'), "
        "settings.SECURE_REDIRECT_EXEMPT"
    )
    env = {**PRODUCTION, "DJANGO_SECRET_KEY_FILE": str(key_file)}
    assert setting(env, expression).stdout.strip() == "31536000 True ['^healthz$']"
    local = setting({**env, "DJANGO_BEHIND_HTTPS_PROXY": "0"}, expression)
    assert local.stdout.strip() == "0 False []", local.stderr

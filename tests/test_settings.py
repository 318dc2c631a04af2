import json
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from kesbangpol.settings import env_backend, env_bool, env_int, env_list


def test_it_reads_booleans_and_refuses_anything_else(monkeypatch):
    monkeypatch.setenv("X_FLAG", "yes")
    assert env_bool("X_FLAG", False) is True
    monkeypatch.setenv("X_FLAG", "0")
    assert env_bool("X_FLAG", True) is False
    monkeypatch.setenv("X_FLAG", "mungkin")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        env_bool("X_FLAG", False)


def test_it_refuses_a_list_without_values_and_a_bad_number(monkeypatch):
    monkeypatch.setenv("X_HOSTS", " , ")
    with pytest.raises(ImproperlyConfigured):
        env_list("X_HOSTS", [])
    monkeypatch.setenv("X_NUM", "sepuluh")
    with pytest.raises(ImproperlyConfigured):
        env_int("X_NUM", 1)


def run_settings(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=settings.BASE_DIR,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "kesbangpol.settings", **env},
        capture_output=True,
        text=True,
    )


def test_it_requires_a_secret_key_when_debug_is_off():
    result = run_settings({"DJANGO_DEBUG": "0", "DJANGO_ALLOWED_HOSTS": "renaksi.example"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required" in result.stderr


def test_it_refuses_an_unknown_database_url():
    result = run_settings({"DJANGO_DEBUG": "1", "DATABASE_URL": "mysql://x@y/z"})
    assert result.returncode != 0
    assert "DATABASE_URL must start with" in result.stderr


@pytest.mark.parametrize("from_url", [False, True])
def test_it_runs_sqlite_in_wal_with_immediate_transactions_by_default(tmp_path, from_url):
    """The default file, and a SQLite database named by DATABASE_URL, get the same options."""
    url = {"DATABASE_URL": f"sqlite:///{tmp_path}/url.sqlite3"} if from_url else {}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.db import connection as c; "
            "cur = c.cursor(); cur.execute('PRAGMA journal_mode'); print(cur.fetchone()[0]); "
            "cur.execute('PRAGMA busy_timeout'); print(cur.fetchone()[0]); "
            "print(c.settings_dict['OPTIONS']['transaction_mode'])",
        ],
        cwd=settings.BASE_DIR,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "kesbangpol.settings",
            "DJANGO_DEBUG": "1",
            **url,
        },
        capture_output=True,
        text=True,
    )
    assert result.stdout.split() == ["wal", "20000", "IMMEDIATE"], result.stderr


def test_it_speaks_indonesian_in_maluku_time():
    assert settings.LANGUAGE_CODE == "id"
    assert settings.TIME_ZONE == "Asia/Jayapura"
    assert settings.USE_TZ is True


def test_it_refuses_a_trusted_origin_without_scheme():
    result = run_settings(
        {"DJANGO_DEBUG": "1", "DJANGO_CSRF_TRUSTED_ORIGINS": "renaksi.malukuprov.go.id"}
    )
    assert result.returncode != 0
    assert "needs a scheme" in result.stderr


def test_it_reads_a_storage_or_cache_backend_as_json_and_refuses_anything_else(monkeypatch):
    default = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    monkeypatch.delenv("X_STORAGE", raising=False)
    assert env_backend("X_STORAGE", default) == default
    shared = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {"bucket_name": "r"}}
    monkeypatch.setenv("X_STORAGE", json.dumps(shared))
    assert env_backend("X_STORAGE", default) == shared
    for bad in ("s3", "[]", '{"OPTIONS": {}}', '{"BACKEND": "x", "OPTIONS": []}'):
        monkeypatch.setenv("X_STORAGE", bad)
        with pytest.raises(ImproperlyConfigured, match="X_STORAGE"):
            env_backend("X_STORAGE", default)


def test_it_refuses_a_chunk_size_below_one():
    result = run_settings({"DJANGO_DEBUG": "1", "RENAKSI_PDF_CHUNK_ROWS": "0"})
    assert result.returncode != 0
    assert "RENAKSI_PDF_CHUNK_ROWS must be at least 1" in result.stderr

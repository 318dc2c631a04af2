"""The application as `make serve` runs it: gunicorn with gunicorn.conf.py, DJANGO_DEBUG=0, the
collected static files from whitenoise, a secret key from a file, over plain HTTP.

One server for the module, on a unix socket in a temporary folder (no port to collide with),
against its own SQLite file: what is checked here does not depend on the database, so the
PostgreSQL run skips it (make loadtest serves PostgreSQL through the same configuration).
"""

import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the served set-up is database-independent"
)
BIN = Path(sys.executable).parent
PASSWORD = "rahasia-serve-123"


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path: str):
        super().__init__("localhost", timeout=30)
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(30)
        self.sock.connect(self.path)


class Served:
    def __init__(self, socket_path: str):
        self.socket_path = socket_path
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict | None = None, headers=None):
        conn = UnixHTTPConnection(self.socket_path)
        sent = {"Host": "localhost", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=data, headers=sent)
        response = conn.getresponse()
        content = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie(header)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        conn.close()
        return response, content


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("serve")
    key = folder / "secret_key"
    key.write_text(secrets.token_urlsafe(64))
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "kesbangpol.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY_FILE": str(key),
        "DJANGO_ALLOWED_HOSTS": "localhost",
        "DATABASE_URL": f"sqlite:///{folder}/db.sqlite3",
        "DJANGO_STATIC_ROOT": str(folder / "static"),
        "DJANGO_MEDIA_ROOT": str(folder / "media"),
        "RENAKSI_EXPORT_CACHE_DIR": str(folder / "exports"),
        "DJANGO_SUPERUSER_PASSWORD": PASSWORD,
        # One small worker boots faster; the configuration is otherwise gunicorn.conf.py's.
        "GUNICORN_CMD_ARGS": "--workers 1 --threads 2",
    }
    python = str(BIN / "python")
    for command in (
        ["migrate", "--no-input", "-v", "0"],
        ["collectstatic", "--no-input", "-v", "0"],
        ["createsuperuser", "--no-input", "--username", "operator", "--email", "op@x.id"],
    ):
        subprocess.run([python, "manage.py", *command], cwd=settings.BASE_DIR, env=env, check=True)
    socket_path = str(folder / "gunicorn.sock")
    log = (folder / "server.log").open("w")
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py", "--bind", f"unix:{socket_path}"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while not os.path.exists(socket_path):
            assert server.poll() is None, (folder / "server.log").read_text()
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.2)
        yield Served(socket_path), folder / "server.log"
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def served_folder(client: "Served") -> Path:
    return Path(client.socket_path).parent


def test_it_serves_hashed_compressed_static_files_with_a_long_cache(served):
    client, _log = served
    response, content = client.request("GET", "/accounts/login/")
    assert response.status == 200
    html = content.decode()
    css = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', html).group(1)
    static, body = client.request("GET", css, headers={"Accept-Encoding": "br"})
    assert static.status == 200
    assert static.headers["Cache-Control"] == "max-age=315360000, public, immutable"
    assert static.headers["Content-Encoding"] == "br"
    assert "no-store" not in static.headers["Cache-Control"]
    # The entry page's script, by the hashed name {% static %} gives it.
    manifest = json.loads((served_folder(client) / "static" / "staticfiles.json").read_text())
    js, body = client.request("GET", "/static/" + manifest["paths"]["js/realisasi.js"])
    assert js.status == 200 and "javascript" in js.headers["Content-Type"]
    assert body == (Path(settings.BASE_DIR) / "static/js/realisasi.js").read_bytes()


def test_it_logs_in_over_plain_http_and_keeps_agency_pages_out_of_caches(served):
    client, log = served
    response, content = client.request("GET", "/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', content.decode()).group(1)
    assert "Secure" not in response.headers["Set-Cookie"]
    login, _ = client.request(
        "POST",
        "/accounts/login/",
        {"csrfmiddlewaretoken": token, "username": "operator", "password": PASSWORD},
    )
    assert login.status == 302, login.status
    admin, _ = client.request("GET", "/admin/")
    assert admin.status == 200
    assert admin.headers["Cache-Control"] == "private, no-store"
    assert "default-src 'self'" in admin.headers["Content-Security-Policy"]
    request_id = admin.headers["X-Request-ID"]
    time.sleep(0.5)
    (line,) = [line for line in log.read_text().splitlines() if f"rid={request_id}" in line]
    assert " ACCESS " in line and '"GET /admin/ HTTP/1.1" 200 ' in line


def test_it_answers_healthz(served):
    client, _log = served
    response, content = client.request("GET", "/healthz")
    assert response.status == 200 and content == b'{"status": "ok", "database": "ok"}'

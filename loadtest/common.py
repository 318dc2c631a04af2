"""Shared by the load and fault scripts: a throwaway installation served by gunicorn as
`make serve` runs it, a logged-in client that saves through the real entry form, the figures
each script prints, and the database check each ends with.

Everything stays on loopback (127.0.0.1) and is bounded: a script runs for a fixed time or a
fixed number of rounds, then stops its server and removes its folder.
"""

import html.parser
import json
import os
import random
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import urlsplit

import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PASSWORD = "renaksi-demo-2023"  # the demo accounts of manage.py load_demo
STAFF = [
    "staf-sekretariat",
    "staf-ideologi",
    "staf-politik",
    "staf-ormas",
    "staf-ekonomi",
    "staf-kewaspadaan",
]
TAHUN = 2023
TRIWULAN = 1
ENTRY = f"/rencana-aksi/{TAHUN}/tw/{TRIWULAN}/"
REPORT = f"/rencana-aksi/{TAHUN}/tw/{TRIWULAN}/laporan/"
REPORT_PDF = f"/rencana-aksi/{TAHUN}/tw/{TRIWULAN}/laporan/pdf/"
CONFLICT_TEXT = "sudah diubah orang lain"
NOTHING_SAVED_TEXT = "Tidak ada perubahan untuk disimpan"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- A throwaway installation ------------------------------------------------------------------


class Installation:
    """A fresh database (SQLite in a temporary folder, or DATABASE_URL's PostgreSQL, which
    scripts/with-postgres makes) with the demo plan and accounts, and gunicorn serving it."""

    def __init__(self, port: int, vendor: str):
        if not 8001 <= port <= 65535 or port == 8000:
            raise SystemExit("use a loopback port other than 8000")
        self.port = port
        self.vendor = vendor
        self.folder = Path(tempfile.mkdtemp(prefix=f"renaksi-load-{vendor}-"))
        key = self.folder / "secret_key"
        key.write_text(secrets.token_urlsafe(64))
        self.env = {
            "PATH": os.environ["PATH"],
            "DJANGO_SETTINGS_MODULE": "kesbangpol.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY_FILE": str(key),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_MEDIA_ROOT": str(self.folder / "media"),
            "RENAKSI_EXPORT_CACHE_DIR": str(self.folder / "exports"),
        }
        if os.environ.get("DJANGO_STATIC_ROOT"):
            self.env["DJANGO_STATIC_ROOT"] = os.environ["DJANGO_STATIC_ROOT"]
        if vendor == "sqlite":
            self.env["DATABASE_URL"] = f"sqlite:///{self.folder}/db.sqlite3"
        else:
            url = os.environ.get("DATABASE_URL", "")
            if not url.startswith("postgres"):
                raise SystemExit("PostgreSQL runs need DATABASE_URL (scripts/with-postgres)")
            self.env["DATABASE_URL"] = url
        for var in ("PGHOST", "PGPORT", "PGUSER", "PGDATABASE"):
            if var in os.environ:
                self.env[var] = os.environ[var]
        self.server: subprocess.Popen | None = None
        self.server_log = self.folder / "server.log"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [str(BIN / "python"), "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if result.returncode != 0:
            raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
        return result.stdout

    def prepare(self) -> None:
        log(f"{self.vendor}: migrate and load the demo plan into a fresh database")
        self.manage("migrate", "--no-input", "-v", "0")
        self.manage("load_demo")

    def start(self) -> None:
        """gunicorn with gunicorn.conf.py, in its own process group (so kill -9 hits all)."""
        log(f"{self.vendor}: gunicorn on {self.base_url}")
        self._log_handle = self.server_log.open("a")
        self.server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "--config",
                "gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{self.port}",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self._log_handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                raise SystemExit(f"gunicorn exited:\n{self.server_log.read_text()[-3000:]}")
            try:
                if requests.get(self.base_url + "/healthz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise SystemExit("gunicorn did not answer /healthz within 60 s")

    def stop(self) -> None:
        if self.server is not None and self.server.poll() is None:
            os.killpg(self.server.pid, signal.SIGTERM)
            try:
                self.server.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.server.pid, signal.SIGKILL)
                self.server.wait(10)
        self.server = None

    def kill9(self) -> None:
        """SIGKILL to the master and every worker at once: no shutdown code runs."""
        os.killpg(self.server.pid, signal.SIGKILL)
        self.server.wait(10)
        self.server = None

    def print_errors(self, limit: int = 10) -> None:
        """The server's ERROR lines (and gunicorn's worker timeouts), before the folder goes."""
        if not self.server_log.exists():
            return
        lines = [
            line
            for line in self.server_log.read_text(errors="replace").splitlines()
            if " ERROR " in line or "CRITICAL" in line or "WORKER TIMEOUT" in line
        ]
        if lines:
            print(f"  server log: {len(lines)} error lines, the first {min(limit, len(lines))}:")
            for line in lines[:limit]:
                print(f"    {line[:300]}")

    def remove(self) -> None:
        self.stop()
        self.print_errors()
        shutil.rmtree(self.folder, ignore_errors=True)

    def check(self, acks: list["Ack"]) -> "CheckResult":
        """Run loadtest/check.py against this database with the acknowledged saves."""
        acks_file = self.folder / f"acks-{time.monotonic_ns()}.json"
        acks_file.write_text(json.dumps([ack.__dict__ for ack in acks]))
        result = subprocess.run(
            [str(BIN / "python"), "loadtest/check.py", str(acks_file)],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode not in (0, 1):
            raise SystemExit(f"loadtest/check.py failed:\n{result.stderr}")
        return CheckResult(**json.loads(result.stdout))


@dataclass
class CheckResult:
    acknowledged: int
    present: int
    lost: list
    overwritten: list
    integrity: list

    @property
    def ok(self) -> bool:
        return not self.lost and not self.overwritten and self.integrity == ["ok"]

    def print(self) -> None:
        print(
            f"  database: {self.present}/{self.acknowledged} acknowledged saves present, "
            f"{len(self.lost)} lost, {len(self.overwritten)} silent overwrites, "
            f"integrity {'clean' if self.integrity == ['ok'] else self.integrity}"
        )
        for item in (self.lost + self.overwritten)[:10]:
            print(f"    {item}")


# --- The entry form, as the browser (with realisasi.js) posts it -----------------------------


@dataclass
class Ack:
    """A save the server acknowledged (302 after Simpan): this row now has this version."""

    key: str
    versi: int
    nilai: str
    who: str


class _FormParser(html.parser.HTMLParser):
    """The inputs of the entry form (#form-realisasi): name -> value."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fields: dict[str, str] = {}
        self.inside = False
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == "form-realisasi":
            self.inside = True
        elif self.inside and tag == "input" and attrs.get("name") and attrs.get("type") != "file":
            self.fields[attrs["name"]] = attrs.get("value") or ""
        elif self.inside and tag == "textarea" and attrs.get("name"):
            self.textarea = attrs["name"]
            self.fields[self.textarea] = ""

    def handle_data(self, data):
        if self.textarea:
            self.fields[self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self.textarea:
            # Django writes a newline after <textarea>; browsers drop it.
            self.fields[self.textarea] = self.fields[self.textarea].removeprefix("\n")
            self.textarea = None
        elif tag == "form":
            self.inside = False


ROW_FIELD = re.compile(r"^((?:sub|ind)-\d+)-nilai$")


@dataclass
class EntryPage:
    fields: dict[str, str]
    rows: list[str] = field(default_factory=list)

    @classmethod
    def parse(cls, text: str) -> "EntryPage":
        parser = _FormParser()
        parser.feed(text)
        rows = [m.group(1) for name in parser.fields if (m := ROW_FIELD.match(name))]
        return cls(fields=parser.fields, rows=rows)

    def save_data(self, key: str, nilai: str) -> tuple[dict, int]:
        """The POST for one changed row (what realisasi.js sends), and the version it saw."""
        data = {"csrfmiddlewaretoken": self.fields["csrfmiddlewaretoken"]}
        for name, value in self.fields.items():
            if name.startswith((f"{key}-", f"initial-{key}-")):
                data[name] = value
        data[f"{key}-nilai"] = nilai
        return data, int(self.fields[f"{key}-versi"] or 0)


def login(session: requests.Session, base_url: str, username: str) -> None:
    page = session.get(base_url + "/accounts/login/", timeout=60)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(
        base_url + "/accounts/login/",
        data={"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD},
        allow_redirects=False,
        timeout=60,
    )
    if response.status_code != 302:
        raise RuntimeError(f"login of {username} answered {response.status_code}")


def new_value(shown: str) -> str:
    """A value other than the one shown: the same value is "no change", which saves nothing
    and still answers 302 (it would pass for an acknowledged save)."""
    try:
        current = Decimal(shown.replace(",", ".")) if shown else None
    except InvalidOperation:
        current = None
    while True:
        value = str(random.randint(0, 100))
        if current is None or Decimal(value) != current:
            return value


def classify_save(response) -> str:
    """'saved', 'conflict' (refused because someone saved the row first: correct) or 'failed'.

    Only a redirect to the entry page itself is an acknowledgement: a redirect to the login
    page (``?next=`` the entry page) is a failure.
    """
    location = urlsplit(response.headers.get("Location", ""))
    if response.status_code == 302 and location.path == ENTRY and not location.query:
        return "saved"
    if response.status_code == 200 and CONFLICT_TEXT in response.text:
        return "conflict"
    return "failed"


def unchanged(next_page_text: str) -> bool:
    """The page after a 302 says the save changed nothing (someone had stored the same value
    meanwhile): no new version, so not an acknowledged save."""
    return NOTHING_SAVED_TEXT in next_page_text


# --- Figures -----------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def print_table(title: str, timings: dict[str, list[float]], failures: dict[str, int]) -> None:
    print(f"\n== {title}")
    print(
        f"  {'endpoint':<10} {'requests':>8} {'failed':>6} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p99 ms':>8} {'max ms':>8}"
    )
    for name in sorted(set(timings) | set(failures)):
        values = timings.get(name, [])
        print(
            f"  {name:<10} {len(values):>8} {failures.get(name, 0):>6} "
            f"{percentile(values, 50):>8.0f} {percentile(values, 95):>8.0f} "
            f"{percentile(values, 99):>8.0f} {max(values, default=0):>8.0f}"
        )

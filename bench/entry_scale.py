"""Benchmark of the realisation entry page at scale: prints figures, asserts nothing.

    .venv/bin/python bench/entry_scale.py [--rows 2000] [--repeat 7]

Builds a throwaway SQLite database with the 2023 demo plan and a generated plan of ``--rows``
sub kegiatan (same agency, same accounts), then for each plan and TW 1 measures through
Django's test client (server time only, no network; median of ``--repeat`` runs after one
warm-up; wall seconds, and this process's CPU seconds, steadier on a shared machine; the
database is SQLite in the same process, so CPU includes its work):

- the page a staff member of Sekretariat gets by default (their own bidang), the page the
  agency admin gets by default (unfiltered: every bidang, page 1) and filtered to Sekretariat:
  bytes, form inputs (input, textarea, select), rows, queries and seconds of the GET;
- a one-row save by that staff member, as the page script posts it (only the changed row):
  seconds and queries of the POST up to its redirect, and of the save plus the page after it.
"""

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

INPUT = re.compile(rb"<(input|textarea|select)\b")
ROW = re.compile(rb'<tr id="(sub|ind)-')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="renaksi-bench-entry-"))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="kesbangpol.settings",
        DJANGO_DEBUG="1",
        DATABASE_URL=f"sqlite:///{workdir / 'bench.sqlite3'}",
        DJANGO_MEDIA_ROOT=str(workdir / "media"),
    )
    import django

    django.setup()

    from django.conf import settings
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from renaksi.models import Realisasi, SubKegiatan

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    call_command("generate_plan", tahun=2099, sub_kegiatan=args.rows, stdout=StringIO())

    staf = User.objects.get(username="staf-sekretariat")
    admin = User.objects.get(username="admin")
    clients = {}
    for user in (staf, admin):
        clients[user.username] = Client()
        clients[user.username].force_login(user)

    cpu_of: dict[int, float] = {}

    def timed(func):
        with CaptureQueriesContext(connection) as queries:
            start, cpu = time.perf_counter(), time.process_time()
            result = func()
            elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        return result, elapsed, len(queries), cpu

    def runs(func):
        """(last result, median wall seconds, queries); the median CPU seconds in cpu_of."""
        func()  # warm-up
        results = [timed(func) for _ in range(args.repeat)]
        cpu_of[id(func)] = statistics.median(r[3] for r in results)
        return results[-1][0], statistics.median(r[1] for r in results), results[-1][2]

    print(f"{'plan':<18}{'measure':<52}{'value':>12}")
    for tahun in (2023, 2099):
        url = reverse("realisasi_form", kwargs={"tahun": tahun, "triwulan": 1})
        rows = SubKegiatan.objects.filter(kegiatan__rencana__tahun=tahun).count()
        label = f"{tahun} ({rows} sub)"
        figures = []
        bidang = staf.profile.bidang_id
        for username, who, query in (
            (staf.username, "staf, default (own bidang)", ""),
            (admin.username, "admin, default (all, page 1)", ""),
            (admin.username, "admin, ?bidang=Sekretariat", f"?bidang={bidang}"),
        ):
            client = clients[username]
            get = lambda c=client, u=url + query: c.get(u)  # noqa: E731
            response, seconds, queries = runs(get)
            assert response.status_code == 200, response.status_code
            html = response.content
            figures += [
                (f"GET {who}: KB", f"{len(html) / 1024:.0f}"),
                (f"GET {who}: inputs", len(INPUT.findall(html))),
                (f"GET {who}: rows shown", len(ROW.findall(html))),
                (f"GET {who}: queries", queries),
                (f"GET {who}: server s", f"{seconds:.4f}"),
                (f"GET {who}: server CPU s", f"{cpu_of[id(get)]:.4f}"),
            ]

        # A one-row save by the staff member: the first of their rows, as the script posts it.
        sub = (
            SubKegiatan.objects.filter(kegiatan__rencana__tahun=tahun, bidang=staf.profile.bidang)
            .order_by("kegiatan__nomor", "urutan")
            .first()
        )
        key = sub.row_key
        client = clients[staf.username]
        counter = iter(range(1, 10_000))

        def save(client=client, sub=sub, key=key, url=url, counter=counter):
            stored = Realisasi.objects.filter(sub_kegiatan=sub, triwulan=1).first()
            before = "" if stored is None else str(stored.nilai)
            data = {f"{key}-nilai": str(next(counter) % 90 + 1), f"initial-{key}-nilai": before}
            data[f"{key}-versi"] = str(stored.versi if stored else 0)
            for name in ("ket", "kendala", "tindak_lanjut"):
                data[f"{key}-{name}"] = data[f"initial-{key}-{name}"] = ""
            response = client.post(url, data)
            assert response.status_code == 302, response.content[:2000]
            return response

        def save_and_page(client=client, save=save):
            response = save()
            return client.get(response["Location"])

        _response, seconds, queries = runs(save)
        figures += [("POST one row (staf): server s", f"{seconds:.4f}")]
        figures += [("POST one row (staf): server CPU s", f"{cpu_of[id(save)]:.4f}")]
        figures += [("POST one row (staf): queries", queries)]
        _response, seconds, _queries = runs(save_and_page)
        figures += [("POST one row + page after: server s", f"{seconds:.4f}")]
        figures += [("POST one row + page after: server CPU s", f"{cpu_of[id(save_and_page)]:.4f}")]
        for measure, value in figures:
            print(f"{label:<18}{measure:<52}{value!s:>12}")


if __name__ == "__main__":
    main()

"""Bahasa Indonesia is the source and default language; English is a translation in locale/."""

import ast
import gettext
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

LOCALE = Path(settings.BASE_DIR) / "locale"
PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
MO = LOCALE / "en" / "LC_MESSAGES" / "django.mo"
PLAN = reverse("rencana_aksi", args=[2023])


@pytest.fixture(autouse=True)
def default_language():
    """A request in English leaves the thread's language active; later tests expect the default."""
    yield
    translation.deactivate()


def set_english(client, next_url: str = "/") -> None:
    response = client.post(reverse("set_language"), {"language": "en", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == next_url


# --- Language of the pages ---------------------------------------------------------------------


def test_it_shows_the_login_page_in_indonesian_by_default(client):
    html = client.get(reverse("login")).content.decode()
    assert '<html lang="id">' in html
    for text in ("Masuk ke Renaksi", "Nama pengguna", "Kata sandi"):
        assert text in html, text
    assert "Log in to Renaksi" not in html


def test_it_offers_a_labelled_language_switcher_on_the_login_page(client):
    html = client.get(reverse("login")).content.decode()
    assert f'action="{reverse("set_language")}"' in html
    assert '<label for="language">Bahasa</label>' in html
    assert '<select id="language" name="language">' in html
    assert '<option value="id" lang="id" selected>Bahasa Indonesia</option>' in html
    assert '<option value="en" lang="en">English</option>' in html
    assert f'<input type="hidden" name="next" value="{reverse("login")}">' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_it_shows_the_login_page_in_english_after_choosing_english(client):
    set_english(client, reverse("login"))
    html = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in html
    for text in ("Log in to Renaksi", "Username", "Password", "Language"):
        assert text in html, text
    assert "Masuk ke Renaksi" not in html
    assert '<option value="en" lang="en" selected>English</option>' in html


def test_it_stays_indonesian_for_a_browser_that_asks_for_english(client):
    # Only the switcher changes the language; a browser set to English does not.
    html = client.get(reverse("login"), headers={"accept-language": "en-US,en"}).content.decode()
    assert "Masuk ke Renaksi" in html
    assert "Log in to Renaksi" not in html


def test_it_shows_the_plan_page_in_indonesian_by_default(client, users, rencana):
    client.force_login(users["kepala"])
    html = client.get(PLAN).content.decode()
    for text in ("Cetak PDF", "Unduh Excel", "Laporan capaian", "Keluar", "TABEL RENCANA AKSI"):
        assert text in html, text
    assert "Download Excel" not in html
    # The switcher keeps the user on the page.
    assert f'<input type="hidden" name="next" value="{PLAN}">' in html


def test_it_shows_the_plan_page_in_english(client, users, rencana):
    client.force_login(users["kepala"])
    set_english(client, PLAN)
    html = client.get(PLAN).content.decode()
    for text in (
        "Action Plan 2023",  # title
        "Year",
        "View realisation",
        "Achievement report",
        "Paper",
        "Print PDF",
        "Download Excel",
        "Log out",
        "Head",  # the role next to the user's name
        "ACTION PLAN TABLE",  # the printed table's own headers come from gettext too
        "OBJECTIVE",
        "SUB-ACTIVITY",
    ):
        assert text in html, text
    for text in ("Cetak PDF", "Unduh Excel", "Laporan capaian", "Keluar"):
        assert text not in html, text
    # What was typed into the plan stays as typed.
    assert "Meningkatnya Kualitas Uji" in html
    assert "Ambon, Maret 2023" in html


def test_it_switches_back_to_indonesian(client, users, rencana):
    client.force_login(users["kepala"])
    set_english(client, PLAN)
    client.post(reverse("set_language"), {"language": "id", "next": PLAN})
    html = client.get(PLAN).content.decode()
    assert "Unduh Excel" in html
    assert "Download Excel" not in html


# --- The catalogue -----------------------------------------------------------------------------


def po_entries(path: Path) -> list[dict[str, object]]:
    """Entries of a .po file: msgid, msgid_plural, msgstr (or msgstr[n]) and its flags.

    Enough of the format for what makemessages writes: comments, keywords and quoted strings
    continued on the following lines.
    """
    entries: list[dict[str, object]] = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        entry: dict[str, object] = {"flags": set()}
        key = None
        for line in block.splitlines():
            line = line.strip()
            if line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#") or not line:
                continue
            elif line.startswith('"'):
                entry[key] += ast.literal_eval(line)
            else:
                key, _, value = line.partition(" ")
                entry[key] = ast.literal_eval(value)
        if "msgid" in entry:
            entries.append(entry)
    return entries


def placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"%\(\w+\)[sd]|%[sd]|\{\{.*?\}\}", text))


def test_it_has_translated_every_message():
    entries = po_entries(PO)
    header = [e for e in entries if e["msgid"] == ""]
    messages = [e for e in entries if e["msgid"] != ""]
    assert len(header) == 1 and "Language: en" in header[0]["msgstr"]
    assert len(messages) > 250
    for entry in messages:
        assert "fuzzy" not in entry["flags"], entry["msgid"]
        translations = [value for key, value in entry.items() if key.startswith("msgstr")]
        assert translations, entry["msgid"]
        for text in translations:
            assert text.strip(), f"untranslated: {entry['msgid']!r}"
            assert placeholders(text) == placeholders(entry["msgid"]), entry["msgid"]


def test_it_ships_the_compiled_catalogue_in_step_with_the_po():
    # The .mo is committed, so no gettext tools are needed to run the application or its tests;
    # after editing the .po, run `make messages` to compile it again.
    with MO.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    for entry in po_entries(PO):
        if entry["msgid"] == "":
            continue
        if "msgid_plural" in entry:
            for n, key in ((1, "msgstr[0]"), (2, "msgstr[1]")):
                got = catalogue.ngettext(entry["msgid"], entry["msgid_plural"], n)
                assert got == entry[key], entry["msgid"]
        else:
            assert catalogue.gettext(entry["msgid"]) == entry["msgstr"], entry["msgid"]


def test_it_translates_through_django():
    with translation.override("en"):
        assert translation.gettext("Unduh Excel") == "Download Excel"
        assert translation.ngettext("%(n)s baris berubah", "%(n)s baris berubah", 2) == (
            "%(n)s rows changed"
        )
    with translation.override("id"):
        assert translation.gettext("Unduh Excel") == "Unduh Excel"


def test_it_shows_the_quarters_review_in_english(client, users, rencana):
    from renaksi.services import triwulan_ajukan

    triwulan_ajukan(user=users["admin"], rencana=rencana, triwulan=1)
    report = reverse("laporan_capaian", args=[2023, 1])
    client.force_login(users["kepala"])
    set_english(client, report)
    html = client.get(report).content.decode()
    for text in (
        "Status of Q1: Submitted to the head",
        "Q1 is under review by the head: nobody can change its realisations or evidence.",
        ">Approve</button>",
        ">Return</button>",
        "Note for the admin",
        "<li>Status: not yet approved by the head (submitted to the head).</li>",
    ):
        assert text in html, text
    for text in ("Diajukan ke kepala", "Setujui", "Kembalikan"):
        assert text not in html, text


ENGLISH_PAGES = (
    reverse("dasbor", args=[2023, 1]),
    PLAN,
    reverse("realisasi_form", args=[2023, 1]),
    reverse("laporan_capaian", args=[2023, 1]),
    reverse("formulir_unggah", args=[2023, 1]),
)


@pytest.mark.parametrize("role", ["admin", "kepala", "staf_sekretariat"])
def test_it_says_q1_never_tw_1_in_english(client, users, rencana, role):
    """One word per concept in English: "Q1" (never "TW 1"), "Division" (never "Unit")."""
    from decimal import Decimal

    from renaksi.models import SubKegiatan
    from renaksi.services import RealisasiInput, realisasi_save_many

    key = SubKegiatan.objects.get(uraian="Penyusunan Laporan Keuangan Uji").row_key
    realisasi_save_many(
        user=users["admin"],
        rencana=rencana,
        triwulan=1,
        inputs=[RealisasiInput(key, Decimal("26.5"))],
    )
    client.force_login(users[role])
    set_english(client)
    for url in ENGLISH_PAGES:
        html = client.get(url).content.decode()
        text = re.sub(r"<[^>]+>", " ", html)
        assert not re.search(r"\bTW\s*\d", text), (url, re.search(r".{40}TW\s*\d.{20}", text))
        assert not re.search(r"\bTRIWULAN\b|\bBIDANG\b|\bUNIT\b(?! OF MEASURE)", text), url
    # Numbers the English way: a decimal point (commas for thousands: tests/test_numbers.py).
    html = client.get(reverse("laporan_capaian", args=[2023, 1])).content.decode()
    assert "26.5 %" in html and "26,5" not in html


def test_it_prints_q1_in_the_english_report_files(client, users, rencana):
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(users["kepala"])
    set_english(client)
    response = client.get(reverse("laporan_capaian_xlsx", args=[2023, 1]))
    sheet = load_workbook(BytesIO(response.content)).active
    texts = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "PERFORMANCE ACHIEVEMENT REPORT, Q1" in texts
    assert not [t for t in texts if re.search(r"\bTW\s*\d|TRIWULAN", t)]
    plan = client.get(reverse("rencana_aksi_xlsx", args=[2023]))
    sheet = load_workbook(BytesIO(plan.content)).active
    texts = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "Q1" in texts and "TW 1" not in texts


def test_it_has_every_text_of_the_sources_in_the_catalogue(tmp_path):
    """A new UI text that nobody added to the .po would show in Indonesian in the English UI.

    ``makemessages`` runs on a copy of the sources (it rewrites the .po in place), and the
    msgids it finds must be exactly those of the committed .po. Needs xgettext, which
    ``make test`` installs with apt.
    """
    import shutil
    import subprocess
    import sys

    assert shutil.which("xgettext"), "xgettext is missing: apt-get install gettext (make browser)"
    base = Path(settings.BASE_DIR)
    for name in ("kesbangpol", "renaksi", "templates", "locale"):
        shutil.copytree(base / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(base / "manage.py", tmp_path / "manage.py")
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete"],
        cwd=tmp_path,
        env={**os.environ, "DJANGO_DEBUG": "1", "DATABASE_URL": ""},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr

    def msgids(path: Path) -> set[str]:
        return {entry["msgid"] for entry in po_entries(path) if entry["msgid"]}

    extracted = msgids(tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po")
    committed = msgids(PO)
    assert extracted - committed == set(), "not in the .po yet: run `make messages` and translate"
    assert committed - extracted == set(), "no longer in the sources: run `make messages`"

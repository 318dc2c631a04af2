"""Helpers shared by several test modules (test modules import from here, never from each other).

- pages: ``form_fields`` (what a browser would submit from a page) and ``load`` (the fields of
  the realisation page of a quarter, for a logged-in user);
- browser: ``login`` (log in with the keyboard, in Playwright);
- spreadsheet form: ``sheet_rows``, ``fill`` and ``snapshot``, and the sub kegiatan names of
  the plan of tests/factories.py.
"""

import io
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from renaksi.formulir.spec import FORM_COLUMNS, HEADER_ROW
from renaksi.models import Realisasi, RealisasiRiwayat
from tests.factories import PASSWORD

# The sub kegiatan of the plan of tests/factories.py (``make_plan``), by uraian.
LAPORAN = "Penyusunan Laporan Keuangan Uji"
PERALATAN = "Penyediaan Peralatan Kantor Uji"
POLITIK = "Pemantauan Situasi Politik Uji"

# A real spreadsheet that is not a Renaksi form (an evaluation of another regency).
DELI_SERDANG = (
    Path(settings.BASE_DIR).parent
    / "shared"
    / "realworld"
    / "evaluasi-renja-deli-serdang-2025.xlsx"
)


# -- pages --------------------------------------------------------------------------------------


class FormFields(HTMLParser):
    """What a browser would submit from the page: every named input and textarea, as shown."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name") and attrs.get("type") not in ("file", "submit"):
            self.fields[attrs["name"]] = attrs.get("value") or ""
        elif tag == "textarea" and attrs.get("name"):
            self._textarea = attrs["name"]
            self.fields[self._textarea] = ""

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea:
            # Browsers drop the one newline Django puts right after <textarea>.
            self.fields[self._textarea] = self.fields[self._textarea].removeprefix("\n")
            self._textarea = None


def form_fields(response) -> dict[str, str]:
    parser = FormFields()
    parser.feed(response.content.decode())
    parser.fields.pop("csrfmiddlewaretoken", None)
    return parser.fields


def load(client, user, n: int = 1) -> dict[str, str]:
    """Log ``user`` in, open the entry page of TW ``n`` of 2023 and return the fields a browser
    would send back."""
    client.force_login(user)
    response = client.get(reverse("realisasi_form", kwargs={"tahun": 2023, "triwulan": n}))
    assert response.status_code == 200
    return form_fields(response)


# -- browser ------------------------------------------------------------------------------------


def login(page, base_url: str, username: str) -> None:
    """Log in with the keyboard: the username field has autofocus."""
    from playwright.sync_api import expect

    page.goto(base_url + "/accounts/login/")
    # Autofocus lands once the page is the front one and has finished loading; with several
    # windows open that is not at once, so wait for it (still failing if it never comes).
    page.bring_to_front()
    expect(page.locator("input[name=username]")).to_be_focused()
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/accounts/login/" not in page.url, f"login as {username} failed"


# -- spreadsheet form ---------------------------------------------------------------------------

# Sheet column of each field a user fills in (or that identifies the row).
# The form's column numbers (1-based), from its spec, so a new column moves no test.
COLUMNS = {column.key: index for index, column in enumerate(FORM_COLUMNS, start=1)}


def sheet_rows(content: bytes) -> dict[str, int]:
    """Row key → sheet row of a downloaded form."""
    sheet = load_workbook(io.BytesIO(content))["Formulir"]
    return {
        sheet.cell(row=row, column=1).value: row
        for row in range(HEADER_ROW + 1, sheet.max_row + 1)
        if sheet.cell(row=row, column=1).value
    }


def fill(content: bytes, values: dict[str, dict], edit=None) -> bytes:
    """The form with ``values`` ({row key: {column: value}}) typed in, as a user would."""
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook["Formulir"]
    rows = {
        sheet.cell(row=row, column=1).value: row for row in range(HEADER_ROW + 1, sheet.max_row + 1)
    }
    for key, columns in values.items():
        for column, value in columns.items():
            sheet.cell(row=rows[key], column=COLUMNS[column]).value = value
    if edit is not None:
        edit(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def snapshot():
    """Everything an upload of the form could change: the stored realisations and the number of
    history rows."""
    return (
        list(
            Realisasi.objects.order_by("pk").values_list(
                "pk", "nilai", "ket", "faktor_pendorong", "kendala", "tindak_lanjut", "versi"
            )
        ),
        RealisasiRiwayat.objects.count(),
    )

"""Upload hardening: spreadsheets sized before they are loaded, macros found by what the package
declares, files dropped while they stream in, bodies too large refused unread."""

import io
import re
import time
import tracemalloc
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from renaksi import selectors
from renaksi.evidence import bukti_validate
from renaksi.formulir import FormulirInvalid, formulir_read, render_formulir
from renaksi.models import Bukti, Realisasi
from renaksi.uploads import MAX_FILES_PER_REQUEST

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


def rewrite(content: bytes, part: str, change) -> bytes:
    """The package with ``part`` (its text) replaced by ``change(text)``."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == part:
                data = change(data.decode()).encode()
            target.writestr(info, data)
    return out.getvalue()


@pytest.fixture
def form(rencana, users):
    profile = users["admin"].profile
    rows = selectors.entry_rows(rencana=rencana, profile=profile, with_bukti=False)
    return render_formulir(rencana=rencana, triwulan=1, profile=profile, rows=rows)


def read(content: bytes, rencana, users):
    return formulir_read(content, rencana=rencana, triwulan=1, profile=users["admin"].profile)


def test_it_reads_a_real_form_in_read_only_mode(form, rencana, users):
    preview = read(form, rencana, users)
    assert preview.changes == [] and preview.unchanged > 0


@pytest.mark.parametrize(
    "change",
    [
        # 7.4 million cells declared by the sheet's dimension.
        lambda xml: re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:P462500"', xml),
        # The same by one merged range, which a full load would build cell by cell.
        lambda xml: xml.replace("</mergeCells>", '<mergeCell ref="A100:P462600"/></mergeCells>'),
    ],
    ids=["dimension", "merged range"],
)
def test_it_refuses_millions_of_cells_fast_and_flat(form, rencana, users, change):
    crafted = rewrite(form, "xl/worksheets/sheet1.xml", change)
    assert len(crafted) < 50_000
    tracemalloc.start()
    start = time.perf_counter()
    with pytest.raises(FormulirInvalid) as caught:
        read(crafted, rencana, users)
    seconds = time.perf_counter() - start
    _size, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert re.search(r"menyatakan 7\.4\d\d\.\d{3} sel", caught.value.messages[0])
    assert seconds < 1
    assert peak < 30 * 1024 * 1024


def test_it_cuts_short_a_sheet_that_declares_no_size(form, rencana, users):
    def far_row(xml: str) -> str:
        xml = re.sub(r"<dimension [^>]*/>", "", xml)
        return xml.replace("</sheetData>", '<row r="1000000"><c r="A1000000"/></row></sheetData>')

    with pytest.raises(FormulirInvalid, match="terlalu banyak baris"):
        read(rewrite(form, "xl/worksheets/sheet1.xml", far_row), rencana, users)


def declare_vba(xml: str) -> str:
    # A VBA project renamed so that no part is called vbaProject.bin.
    return xml.replace(
        "</Types>",
        '<Override PartName="/xl/gambar1.bin" '
        'ContentType="application/vnd.ms-office.vbaProject"/></Types>',
    )


def test_it_refuses_a_form_whose_renamed_macros_are_declared(form, rencana, users):
    crafted = rewrite(form, "[Content_Types].xml", declare_vba)
    with pytest.raises(FormulirInvalid, match="makro"):
        read(crafted, rencana, users)


def test_it_refuses_evidence_whose_renamed_macros_are_declared(form):
    crafted = rewrite(form, "[Content_Types].xml", declare_vba)
    upload = SimpleUploadedFile("laporan.xlsx", crafted)
    with pytest.raises(Exception, match="bukan jenis yang diterima"):
        bukti_validate(upload)
    # The same workbook without the declaration is accepted.
    assert bukti_validate(SimpleUploadedFile("laporan.xlsx", form)).kode == "xlsx"


def entry_url():
    return reverse("realisasi_form", kwargs={"tahun": 2023, "triwulan": 1})


def test_it_drops_files_past_the_request_cap_and_saves_nothing(client, users, subs, media):
    keuangan = subs["Penyusunan Laporan Keuangan Uji"]
    client.force_login(users["staf_sekretariat"])
    files = [
        SimpleUploadedFile(f"bukti{i}.pdf", PDF, "application/pdf")
        for i in range(MAX_FILES_PER_REQUEST + 1)
    ]
    response = client.post(
        entry_url(),
        {
            f"{keuangan.row_key}-nilai": "26",
            f"initial-{keuangan.row_key}-nilai": "",
            f"{keuangan.row_key}-versi": "0",
            f"{keuangan.row_key}-bukti": files,
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Berkas «bukti{MAX_FILES_PER_REQUEST}.pdf» tidak disimpan" in html
    assert not Realisasi.objects.exists() and not Bukti.objects.exists()
    assert not any(path.is_file() for path in media.rglob("*"))


def test_it_answers_413_to_a_body_declared_too_large_without_reading_it(client, users, settings):
    client.force_login(users["staf_sekretariat"])
    response = client.post(
        entry_url(), {"x": "1"}, CONTENT_LENGTH=str(settings.RENAKSI_MAX_REQUEST_BYTES + 1)
    )
    assert response.status_code == 413
    assert "terlalu besar" in response.content.decode()
    assert Decimal(0) == Realisasi.objects.count()

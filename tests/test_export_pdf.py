import re
import subprocess
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from renaksi.documents import rencana_aksi_table
from renaksi.exports import pdf as pdf_module
from renaksi.exports.pdf import render_pdf
from renaksi.models import (
    IndikatorSasaran,
    Kegiatan,
    Program,
    RencanaAksi,
    Sasaran,
    SubKegiatan,
)
from tests.factories import make_instansi, make_plan, make_users

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    """The PDF's text as pdftotext extracts it, in content order, white space folded.

    A line may break after "/" with no space in the text itself, so texts are compared with
    ``squashed`` (all white space removed) where they may wrap.
    """
    result = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"],
        input=content,
        capture_output=True,
        check=True,
    )
    return " ".join(result.stdout.decode().split())


def folded(text: str) -> str:
    return " ".join(text.split())


def squashed(text: str) -> str:
    return "".join(text.split())


def test_it_holds_every_text_and_target_of_the_2023_plan():
    call_command("loaddata", "rencana_aksi_2023", verbosity=0)
    rencana = RencanaAksi.objects.select_related("instansi").get(tahun=2023)
    content = render_pdf(rencana_aksi_table(rencana=rencana)).content
    text = pdf_text(content)
    expected = [
        *Sasaran.objects.values_list("uraian", flat=True),
        *IndikatorSasaran.objects.values_list("indikator", flat=True),
        *Program.objects.values_list("nama", flat=True),
        *Kegiatan.objects.values_list("nama", flat=True),
        *SubKegiatan.objects.values_list("uraian", flat=True),
        *SubKegiatan.objects.values_list("indikator", flat=True),
        "DANIEL EDUARD INDEY, S.Sos, M.Si",
        "Pembina Utama Muda",
        "NIP. 19681210 198902 1 002",
        "Ambon, Maret 2023",
        "KEPALA BADAN KESATUAN BANGSA DAN POLITIK PROVINSI MALUKU",
        "TABEL RENCANA AKSI",
        "PENCAPAIAN PERJANJIAN KINERJA PER TRIWULAN",
    ]
    missing = [item for item in expected if squashed(item) not in squashed(text)]
    assert missing == []
    # Every sub kegiatan's four target lines, in plan order.
    for sub in SubKegiatan.objects.order_by("kegiatan__nomor", "urutan"):
        lines = " ".join(
            f"TW {q} : {'-' if t is None else f'{t:.0f}%'}" for q, t in enumerate(sub.targets(), 1)
        )
        assert lines in text, sub.uraian
    pages = len(PdfReader(BytesIO(content)).pages)
    assert f"Halaman 1 dari {pages}" in text
    assert f"Halaman {pages} dari {pages}" in text
    last_page = folded(PdfReader(BytesIO(content)).pages[-1].extract_text())
    assert "TW 1 :" in last_page and "NIP. 19681210 198902 1 002" in last_page


def test_it_repeats_the_header_on_every_page_and_uses_a4_landscape():
    instansi = make_instansi()
    from renaksi.synthetic import plan_generate

    rencana = plan_generate(instansi=instansi, tahun=2099, sub_kegiatan=60)
    content = render_pdf(rencana_aksi_table(rencana=rencana)).content
    reader = PdfReader(BytesIO(content))
    assert len(reader.pages) > 2
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (842, 595)  # A4 landscape in points
        text = folded(page.extract_text())
        assert "SUB KEGIATAN" in text and "INDIKATOR KINERJA" in text
        assert "TW 1 :" in text  # every page holds rows: the signature never stands alone
        assert re.search(r"1 2 3 4 5 6 7 8 9 10 11", text)


def test_it_prints_on_f4_when_asked():
    rencana = make_plan(make_instansi())
    content = render_pdf(rencana_aksi_table(rencana=rencana), paper="f4").content
    page = PdfReader(BytesIO(content)).pages[0]
    # 330 × 215 mm in points.
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (935, 609)


def test_it_embeds_the_shipped_font():
    rencana = make_plan(make_instansi())
    reader = PdfReader(BytesIO(render_pdf(rencana_aksi_table(rencana=rencana)).content))
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts and all("Renaksi-Sans" in name for name in fonts)


def test_it_serves_an_unchanged_plan_from_the_cache(monkeypatch):
    rencana = make_plan(make_instansi())
    first = render_pdf(rencana_aksi_table(rencana=rencana))
    assert first.cached is False

    def no_render(html):
        raise AssertionError("rendered again")

    monkeypatch.setattr(pdf_module, "_weasyprint", no_render)
    second = render_pdf(rencana_aksi_table(rencana=rencana))
    assert second.cached is True
    assert second.content == first.content


def test_it_renders_anew_after_a_change_to_the_plan_or_signatory():
    rencana = make_plan(make_instansi())
    render_pdf(rencana_aksi_table(rencana=rencana))
    sub = SubKegiatan.objects.get(uraian="Penyusunan Laporan Keuangan Uji")
    sub.target_tw1 = Decimal(30)
    sub.save()
    changed = render_pdf(rencana_aksi_table(rencana=rencana))
    assert changed.cached is False
    assert "TW 1 : 30%" in pdf_text(changed.content)

    rencana.nama_penandatangan = "PENGGANTI, S.H."
    rencana.save()
    resigned = render_pdf(rencana_aksi_table(rencana=rencana))
    assert resigned.cached is False
    assert "PENGGANTI, S.H." in pdf_text(resigned.content)


def test_it_keeps_the_renderings_of_each_viewer_and_language_apart(cache_dir, monkeypatch):
    """Admin, staff, admin, staff: each gets its cached copy, none deletes the other's."""
    from django.utils import translation

    from renaksi.documents import laporan_table
    from renaksi.permissions import profile_of

    instansi = make_instansi()
    users = make_users(instansi)
    rencana = make_plan(instansi)

    def report(role: str, language: str = "id"):
        with translation.override(language):
            table = laporan_table(rencana=rencana, triwulan=1, profile=profile_of(users[role]))
            return render_pdf(table)

    firsts = [report("admin").cached, report("staf_politik").cached, report("admin", "en").cached]
    assert firsts == [False, False, False]

    def no_render(html):
        raise AssertionError("rendered again")

    monkeypatch.setattr(pdf_module, "_weasyprint", no_render)
    again = [report("staf_politik").cached, report("admin").cached, report("admin", "en").cached]
    assert again == [True, True, True]
    assert len(list(cache_dir.glob("*.pdf"))) == 3


@pytest.mark.django_db(transaction=True)
def test_it_renders_a_document_once_for_requests_that_waited_for_each_other(monkeypatch):
    """Three threads, each with its own database connection: the render row lets one render."""
    import threading

    rencana = make_plan(make_instansi())
    table = rencana_aksi_table(rencana=rencana)
    renders: list[int] = []
    real = pdf_module._weasyprint

    def counted(html):
        renders.append(1)
        return real(html)

    monkeypatch.setattr(pdf_module, "_weasyprint", counted)
    results: list[bool] = []
    threads = [
        threading.Thread(target=lambda: results.append(render_pdf(table).cached)) for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(renders) == 1
    assert sorted(results) == [False, True, True]


def test_it_keeps_one_cached_file_per_document(cache_dir):
    rencana = make_plan(make_instansi())
    render_pdf(rencana_aksi_table(rencana=rencana))
    rencana.pangkat_penandatangan = "Pembina"
    rencana.save()
    render_pdf(rencana_aksi_table(rencana=rencana))
    assert len(list(cache_dir.glob("*.pdf"))) == 1


class TestDownloadView:
    @pytest.fixture
    def setup(self):
        instansi = make_instansi()
        return make_users(instansi), make_plan(instansi)

    def test_it_downloads_the_pdf_with_its_name(self, client, setup):
        users, _rencana = setup
        client.force_login(users["pemeriksa"])
        response = client.get(reverse("rencana_aksi_pdf", args=[2023]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert (
            response["Content-Disposition"]
            == 'attachment; filename="rencana-aksi-kesbangpol-uji-2023.pdf"'
        )
        assert response.content.startswith(b"%PDF-")

    def test_it_names_the_f4_file(self, client, setup):
        users, _rencana = setup
        client.force_login(users["kepala"])
        response = client.get(reverse("rencana_aksi_pdf", args=[2023]) + "?kertas=f4")
        assert "rencana-aksi-kesbangpol-uji-2023-f4.pdf" in response["Content-Disposition"]

    def test_it_refuses_an_unknown_paper(self, client, setup):
        users, _rencana = setup
        client.force_login(users["kepala"])
        response = client.get(reverse("rencana_aksi_pdf", args=[2023]) + "?kertas=a0")
        assert response.status_code == 400
        assert "A4 atau F4" in response.content.decode()

    def test_it_requires_login(self, client, setup):
        response = client.get(reverse("rencana_aksi_pdf", args=[2023]))
        assert response.status_code == 302

    def test_it_hides_other_agencies(self, client, setup):
        from renaksi.models import Peran
        from tests.factories import make_user

        other = make_instansi(kode="lain", nama="Instansi Lain")
        client.force_login(make_user("luar", other, Peran.KEPALA))
        assert client.get(reverse("rencana_aksi_pdf", args=[2023])).status_code == 404
        assert client.get(reverse("rencana_aksi_xlsx", args=[2023])).status_code == 404


class TestCommand:
    def test_it_writes_the_pdf(self, tmp_path):
        make_plan(make_instansi(kode="kesbangpol-maluku"))
        output = tmp_path / "ra.pdf"
        call_command(
            "export_rencana_aksi", "--tahun", "2023", "--format", "pdf", "--output", output
        )
        assert output.read_bytes().startswith(b"%PDF-")

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (["--tahun", "2030"], "tidak memiliki rencana aksi tahun 2030"),
            (["--tahun", "2023", "--instansi", "tidak-ada"], "'tidak-ada' tidak ada"),
        ],
    )
    def test_it_fails_without_a_plan_and_writes_nothing(self, tmp_path, args, message):
        from django.core.management import CommandError

        make_plan(make_instansi(kode="kesbangpol-maluku"))
        output = tmp_path / "ra.pdf"
        with pytest.raises(CommandError, match=message):
            call_command("export_rencana_aksi", *args, "--format", "pdf", "--output", output)
        assert not output.exists()

    def test_it_exits_non_zero_from_the_shell(self, tmp_path):
        import os
        import sys

        from django.conf import settings

        env = {**os.environ, "DATABASE_URL": "sqlite:///" + str(tmp_path / "db.sqlite3")}
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate", "-v0"], cwd=settings.BASE_DIR, env=env, check=True)
        result = subprocess.run(
            [
                *manage,
                "export_rencana_aksi",
                "--tahun",
                "1999",
                "--format",
                "xlsx",
                "--output",
                str(tmp_path / "x.xlsx"),
            ],
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            env=env,
        )
        assert result.returncode != 0
        assert result.stderr.strip().count("\n") == 0  # one line, no traceback
        assert "kesbangpol-maluku" in result.stderr
        assert not (tmp_path / "x.xlsx").exists()


# --- The quarterly report's page breaks and header words -----------------------------------------


def laid_out_pages(table, paper: str):
    """The PDF's pages as WeasyPrint laid them out, without writing the file."""
    import weasyprint

    html = pdf_module.table_html(table, paper=pdf_module.PAPERS[paper])
    return weasyprint.HTML(string=html, base_url=f"{pdf_module.STATIC_DIR}/").render().pages


def descendants(box):
    yield box
    for child in getattr(box, "children", ()):
        yield from descendants(child)


def body_rows(page) -> list:
    """The table rows printed on ``page``, without the notes-and-signature row."""
    from weasyprint.formatting_structure.boxes import TableRowBox, TableRowGroupBox

    return [
        row
        for group in descendants(page._page_box)
        if isinstance(group, TableRowGroupBox) and group.element.tag == "tbody"
        for row in group.children
        if isinstance(row, TableRowBox) and "penutup-baris" not in (row.element.get("class") or "")
    ]


def line_texts(box) -> list[str]:
    from weasyprint.formatting_structure.boxes import LineBox, TextBox

    return [
        "".join(t.text for t in descendants(line) if isinstance(t, TextBox))
        for line in descendants(box)
        if isinstance(line, LineBox)
    ]


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("paper", ["a4", "f4"])
def test_it_never_leaves_a_sasaran_row_alone_at_the_bottom_of_a_report_page(language, paper):
    from django.utils import translation

    from renaksi.documents import laporan_table
    from renaksi.synthetic import plan_generate

    rencana = plan_generate(instansi=make_instansi(), tahun=2099, sub_kegiatan=120)
    with translation.override(language):
        pages = laid_out_pages(laporan_table(rencana=rencana, triwulan=1), paper)
    assert len(pages) > 5
    for number, page in enumerate(pages, start=1):
        rows = [
            row for row in body_rows(page) if "penutup-baris" not in row.element.get("class", "")
        ]
        if rows:
            assert "baris-sasaran" not in (rows[-1].element.get("class") or ""), (
                f"page {number} ends with a sasaran row"
            )


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("paper", ["a4", "f4"])
def test_it_breaks_no_header_word_of_the_report(language, paper):
    """ "REALISATIO" / "N" was the English A4 header: a cell wraps between words only."""
    from django.utils import translation
    from weasyprint.formatting_structure.boxes import TableCellBox

    from renaksi.documents import laporan_table

    rencana = make_plan(make_instansi())
    with translation.override(language):
        (page, *_rest) = laid_out_pages(laporan_table(rencana=rencana, triwulan=1), paper)
    headers = [
        box
        for box in descendants(page._page_box)
        if isinstance(box, TableCellBox) and box.element.tag == "th"
    ]
    assert len(headers) > 10
    for cell in headers:
        # Lines may end at a space or after a hyphen ("SUB-" / "ACTIVITY"), nowhere else.
        words = " ".join("".join(cell.element.itertext()).split())
        printed = " ".join(" ".join(line_texts(cell)).split()).replace("- ", "-")
        assert printed == words, f"{words!r} printed as {line_texts(cell)}"

"""A new agency end to end, as the operator and its admin would do it (issue 8).

The operator creates the agency with its bidang and first admin (``instansi_create``, the
service behind ``manage.py create_instansi``); the admin logs in, downloads the blank
template, fills it (openpyxl, as in Excel), uploads it, checks the preview, confirms and
publishes; a staff member of one bidang enters a realisation, which the plan's quarterly report
(page and PDF) then shows. Another agency's users see none of it, and the new agency sees none
of theirs.
"""

import io

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from pypdf import PdfReader

from renaksi.models import Bidang, Peran, Realisasi, RencanaAksi
from renaksi.rencana_import import spec
from renaksi.services.instansi import instansi_create
from tests.factories import SIGNATORY, make_outsider, make_user, template_fill
from tests.helpers import form_fields

pytestmark = pytest.mark.django_db

PASSWORD = "kata-sandi-dinas-uji-2031"
TAHUN = 2031
IMPOR = reverse("rencana_impor")


def rows() -> list[dict]:
    """The Data rows an admin types: one indikator sasaran, one program, two sub kegiatan."""
    sub = {
        "jenis": spec.Jenis.SUB,
        "no": 1,
        "sasaran": 1,
        "indikator_no": 1,
        "program": 1,
        "kegiatan": "Pelayanan Kesehatan Keliling",
        "satuan": "Kegiatan",
        "persen": spec.TIDAK,
        "arah": "naik",
        "metode": "kumulatif",
        "bulat": spec.YA,
    }
    return [
        {
            "jenis": spec.Jenis.INDIKATOR,
            "sasaran": 1,
            "sasaran_uraian": "Meningkatnya Layanan Kesehatan Pulau Terluar",
            "indikator_no": 1,
            "indikator": "Persentase desa terlayani",
            "satuan": "%",
            "persen": spec.YA,
            "arah": "naik",
            "metode": "kumulatif",
            "tw1": 25,
            "tw2": 25,
            "tw3": 25,
            "tw4": 25,
        },
        {"jenis": spec.Jenis.PROGRAM, "program": 1, "program_nama": "Program Pelayanan Uji"},
        {
            **sub,
            "sub_no": 1,
            "uraian": "Puskesmas Keliling Kei Besar",
            "indikator": "Jumlah kunjungan puskesmas keliling",
            "tw1": 3,
            "tw2": 3,
            "tw3": 3,
            "tw4": 3,
            "bidang": "Bidang Pelayanan",
        },
        {
            **sub,
            "sub_no": 2,
            "uraian": "Penyusunan Laporan Dinas",
            "indikator": "Jumlah laporan",
            "tw1": 1,
            "tw4": 1,
            "bidang": "Sekretariat",
        },
    ]


def pdf_text(content: bytes) -> str:
    """The PDF's text with all white space removed (a cell's text may wrap anywhere)."""
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return "".join(text.split())


def test_a_new_agency_imports_publishes_and_reports_alone(client, rencana):
    outsider = make_outsider(tahun=TAHUN)  # another agency with a plan of the same year
    instansi = instansi_create(
        kode="dinkes-tual",
        nama="Dinas Kesehatan Kota Tual",
        kota="Tual",
        bidang=["Sekretariat", "Bidang Pelayanan"],
        admin_username="admin-dinkes",
        admin_password=PASSWORD,
    )

    # The admin logs in with the password the operator gave, and brings in the plan.
    login = client.post(reverse("login"), {"username": "admin-dinkes", "password": PASSWORD})
    assert login.status_code == 302
    template = client.get(reverse("rencana_templat"))
    assert template.status_code == 200
    filled = template_fill(template.content, rows(), {**SIGNATORY, "tahun_ttd": TAHUN - 1})
    berkas = io.BytesIO(filled)
    berkas.name = "rencana-dinkes-2031.xlsx"
    preview = client.post(IMPOR, {"tahun": TAHUN, "berkas": berkas})
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Puskesmas Keliling Kei Besar" in html and "2 sub kegiatan" in html
    assert "DINAS KESEHATAN KOTA TUAL TAHUN 2031" in html
    confirmed = client.post(IMPOR, {"payload": preview.context["payload"]})
    assert confirmed["Location"] == reverse("rencana_aksi", args=[TAHUN])
    rencana_baru = RencanaAksi.objects.get(instansi=instansi, tahun=TAHUN)
    assert not rencana_baru.diterbitkan
    published = client.post(reverse("rencana_terbitkan", args=[TAHUN]))
    assert published.status_code == 302
    rencana_baru.refresh_from_db()
    assert rencana_baru.diterbitkan

    # A staff member of Bidang Pelayanan enters TW 1 of the row of its bidang.
    pelayanan = Bidang.objects.get(instansi=instansi, nama="Bidang Pelayanan")
    staf = make_user("staf-pelayanan", instansi, Peran.STAF, bidang=pelayanan)
    client.force_login(staf)
    entry = reverse("realisasi_form", kwargs={"tahun": TAHUN, "triwulan": 1})
    page = client.get(entry)
    assert page.status_code == 200
    assert "Puskesmas Keliling Kei Besar" in page.content.decode()
    assert "Penyusunan Laporan Dinas" not in page.content.decode()  # Sekretariat's row
    data = form_fields(page)
    nilai = next(name for name in data if name.endswith("-nilai"))
    data[nilai] = "2"
    assert client.post(entry, data).status_code == 302
    stored = Realisasi.objects.get(sub_kegiatan__kegiatan__rencana=rencana_baru)
    assert stored.nilai == 2

    # The plan's page and the quarterly report show it, on the page and in the PDF.
    client.force_login(User.objects.get(username="admin-dinkes"))
    assert (
        "Puskesmas Keliling Kei Besar"
        in client.get(reverse("rencana_aksi", args=[TAHUN])).content.decode()
    )
    laporan = reverse("laporan_capaian", kwargs={"tahun": TAHUN, "triwulan": 1})
    report = client.get(laporan)
    assert report.status_code == 200
    assert "Puskesmas Keliling Kei Besar" in report.content.decode()
    assert "66,67" in report.content.decode()  # 2 of 3: the capaian of the entered value
    pdf = client.get(reverse("laporan_capaian_pdf", kwargs={"tahun": TAHUN, "triwulan": 1}))
    assert pdf.status_code == 200
    assert "PuskesmasKelilingKeiBesar" in pdf_text(pdf.content)

    # Nothing of it for another agency's users; nothing of theirs for the new agency.
    for user in (outsider.admin, make_user("kepala-lain", outsider.instansi, Peran.KEPALA)):
        client.force_login(user)
        page = client.get(reverse("rencana_aksi", args=[TAHUN]))
        assert page.status_code == 200  # their own plan of the same year
        assert "Puskesmas Keliling" not in page.content.decode()
        assert "Puskesmas Keliling" not in client.get(laporan).content.decode()
        assert "PuskesmasKeliling" not in pdf_text(
            client.get(reverse("rencana_aksi_pdf", args=[TAHUN])).content
        )
        history = client.get(reverse("rencana_riwayat", args=[TAHUN]))
        assert "dinkes" not in history.content.decode()
    client.force_login(staf)
    assert client.get(reverse("rencana_aksi", args=[2023])).status_code == 404  # the other's

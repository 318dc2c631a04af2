"""Small builders for test data; each test makes what it needs instead of sharing a big fixture."""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User

from renaksi.models import (
    Bidang,
    IndikatorSasaran,
    Instansi,
    Kegiatan,
    Peran,
    Profile,
    Program,
    RencanaAksi,
    Sasaran,
    SubKegiatan,
)

PASSWORD = "rahasia-uji-123"


def make_instansi(kode: str = "kesbangpol-uji", nama: str = "Badan Kesbangpol Uji") -> Instansi:
    instansi = Instansi.objects.create(kode=kode, nama=nama, kota="Ambon")
    for urutan, name in enumerate(("Sekretariat", "Bidang Politik"), start=1):
        Bidang.objects.create(instansi=instansi, nama=name, urutan=urutan)
    return instansi


def make_user(username: str, instansi: Instansi | None, peran: str, bidang: Bidang | None = None):
    user = User.objects.create_user(username=username, password=PASSWORD)
    if instansi is not None:
        Profile.objects.create(user=user, instansi=instansi, peran=peran, bidang=bidang)
    return user


def make_users(instansi: Instansi) -> dict[str, User]:
    """The named users of the house style: admin, kepala, pemeriksa, two staf of two bidang."""
    sekretariat, politik = instansi.bidang.order_by("urutan")[:2]
    return {
        "admin": make_user("admin-uji", instansi, Peran.ADMIN),
        "kepala": make_user("kepala-uji", instansi, Peran.KEPALA),
        "pemeriksa": make_user("pemeriksa-uji", instansi, Peran.PEMERIKSA),
        "staf_sekretariat": make_user("staf-sekretariat-uji", instansi, Peran.STAF, sekretariat),
        "staf_politik": make_user("staf-politik-uji", instansi, Peran.STAF, politik),
    }


def make_plan(instansi: Instansi, tahun: int = 2023) -> RencanaAksi:
    """A two-NO plan: NO 1 with two sub kegiatan (Sekretariat), NO 2 with one (Politik)."""
    sekretariat, politik = instansi.bidang.order_by("urutan")[:2]
    rencana = RencanaAksi.objects.create(
        instansi=instansi,
        tahun=tahun,
        tempat_ttd="Ambon",
        bulan_ttd=3,
        tahun_ttd=tahun,
        jabatan_penandatangan="KEPALA BADAN UJI",
        nama_penandatangan="DANIEL UJI, S.Sos",
        pangkat_penandatangan="Pembina Utama Muda",
        nip_penandatangan="196812101989021002",
        diterbitkan=True,
    )
    sasaran = Sasaran.objects.create(rencana=rencana, urutan=1, uraian="Meningkatnya Kualitas Uji")
    naik = IndikatorSasaran.objects.create(
        sasaran=sasaran,
        urutan=1,
        indikator="Indikator Naik",
        satuan="%",
        **quarters(25, 25, 25, 25),
    )
    turun_sasaran = Sasaran.objects.create(rencana=rencana, urutan=2, uraian="Menurunnya Gangguan")
    turun = IndikatorSasaran.objects.create(
        sasaran=turun_sasaran,
        urutan=1,
        indikator="Menurunnya Tingkat Kriminalitas",
        satuan="%",
        arah="turun",
        **quarters(25, 25, 25, 25),
    )
    program = Program.objects.create(rencana=rencana, urutan=1, nama="Program Penunjang Uji")
    k1 = Kegiatan.objects.create(
        program=program,
        rencana=rencana,
        indikator_sasaran=naik,
        nomor=1,
        nama="Administrasi Keuangan Uji",
    )
    k2 = Kegiatan.objects.create(
        program=program, rencana=rencana, indikator_sasaran=turun, nomor=2, nama="Kewaspadaan Uji"
    )
    SubKegiatan.objects.create(
        kegiatan=k1,
        bidang=sekretariat,
        urutan=1,
        uraian="Penyusunan Laporan Keuangan Uji",
        indikator="Jumlah laporan keuangan",
        satuan="Bulan",
        **quarters(26, 26, 25, 23),
    )
    SubKegiatan.objects.create(
        kegiatan=k1,
        bidang=sekretariat,
        urutan=2,
        uraian="Penyediaan Peralatan Kantor Uji",
        indikator="Tersedianya peralatan",
        satuan="Bulan",
        **quarters(None, 100, None, None),
    )
    SubKegiatan.objects.create(
        kegiatan=k2,
        bidang=politik,
        urutan=1,
        uraian="Pemantauan Situasi Politik Uji",
        indikator="Terlaksananya pemantauan",
        satuan="Bulan",
        **quarters(57, 43, None, None),
    )
    return rencana


@dataclass
class Outsider:
    """Another agency, with its own plan and its agency admin."""

    instansi: Instansi
    rencana: RencanaAksi
    admin: User


def make_outsider(tahun: int = 2031) -> Outsider:
    """The agency "instansi-lain": its own plan (2031 unless told) and its admin "admin-lain".

    Its plan is of another year than the plan of ``make_plan`` by default, so that its admin
    has no plan of 2023 to see.
    """
    instansi = make_instansi(kode="instansi-lain", nama="Instansi Lain")
    rencana = make_plan(instansi, tahun=tahun)
    admin = make_user("admin-lain", instansi, Peran.ADMIN)
    return Outsider(instansi=instansi, rencana=rencana, admin=admin)


def quarters(*values) -> dict[str, Decimal | None]:
    return {
        f"target_tw{q}": (None if v is None else Decimal(v)) for q, v in enumerate(values, start=1)
    }


# --- Plan spreadsheets (the import's tests) ----------------------------------------------------


def plan_xlsx(rencana: RencanaAksi) -> bytes:
    """The plan's XLSX export (printed sheet and Data sheet), as the download gives it."""
    from renaksi.exports.download import export_rencana_aksi

    return export_rencana_aksi(rencana, fmt="xlsx").content


def bidang_names(instansi: Instansi) -> list[str]:
    return list(instansi.bidang.order_by("urutan").values_list("nama", flat=True))


def edit_xlsx(content: bytes, edit) -> bytes:
    """``content`` opened with openpyxl, changed by ``edit(workbook)``, saved again."""
    import io

    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(content))
    edit(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def data_cell(workbook, jenis: str, title: str, nth: int = 0):
    """The cell of column ``title`` in the ``nth`` Data row of kind ``jenis``."""
    sheet = workbook["Data"]
    header = next(r for r in range(1, 40) if sheet.cell(r, 1).value == "JENIS BARIS")
    column = next(c for c in range(1, 40) if sheet.cell(header, c).value == title)
    rows = [r for r in range(header + 1, sheet.max_row + 1) if sheet.cell(r, 1).value == jenis]
    return sheet.cell(rows[nth], column)


def meta_cell(workbook, key: str):
    sheet = workbook["Data"]
    row = next(r for r in range(1, 40) if sheet.cell(r, 1).value == key)
    return sheet.cell(row, 2)


def template_fill(content: bytes, rows: list[dict], signatory: dict[str, object]) -> bytes:
    """The blank template with Data ``rows`` ({column key: value}, as ``spec.flatten`` gives
    them) typed under the header and the ``signatory`` keys ({META key: value}) beside theirs,
    as an admin fills it in Excel."""
    from renaksi.rencana_import import spec

    def edit(workbook):
        sheet = workbook[spec.DATA_SHEET]
        for key, value in signatory.items():
            meta_cell(workbook, spec.META[key]).value = value
        header = next(r for r in range(1, 40) if sheet.cell(r, 1).value == spec.HEADER_FIRST)
        titles = {
            sheet.cell(header, c).value: c for c in range(1, 60) if sheet.cell(header, c).value
        }
        for offset, values in enumerate(rows, start=1):
            for key, value in values.items():
                if value is not None:
                    column = titles[spec.BY_KEY[key].title]
                    sheet.cell(header + offset, column).value = (
                        value if isinstance(value, int | str) else float(value)
                    )

    return edit_xlsx(content, edit)


SIGNATORY = {
    "tempat": "Ambon",
    "bulan": 1,
    "tahun_ttd": 2031,
    "jabatan": "KEPALA BADAN UJI",
    "nama": "DANIEL UJI, S.Sos",
    "pangkat": "Pembina Utama Muda",
    "nip": "196812101989021002",
}

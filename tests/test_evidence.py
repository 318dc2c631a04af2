"""Evidence files: kind judged by content, extension agreement, storing and access."""

import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from renaksi.evidence import (
    DOCX,
    JPG,
    PDF,
    PNG,
    XLSX,
    bukti_validate,
    jenis_sniff,
    nama_asli_clean,
)
from renaksi.models import Bukti, IndikatorSasaran, Realisasi, SubKegiatan
from renaksi.permissions import bukti_for_user
from renaksi.services import RealisasiInput, bukti_add, bukti_remove, realisasi_save_many
from tests.factories import make_instansi, make_outsider, make_plan, make_users

PDF_BYTES = b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n"
JPG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Realisasi"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_bytes(names: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


def docx_bytes() -> bytes:
    return zip_bytes(["[Content_Types].xml", "_rels/.rels", "word/document.xml"])


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, "application/octet-stream")


# --- Kind by content ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("a.pdf", PDF_BYTES, PDF),
        ("a.jpg", JPG_BYTES, JPG),
        ("a.JPEG", JPG_BYTES, JPG),
        ("a.png", PNG_BYTES, PNG),
        ("a.xlsx", xlsx_bytes(), XLSX),
        ("a.docx", docx_bytes(), DOCX),
    ],
)
def test_it_accepts_the_five_kinds_by_content(name, content, kind):
    file = upload(name, content)
    assert bukti_validate(file) == kind
    assert file.tell() == 0  # left ready to be stored


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.pdf", PNG_BYTES, "adalah PNG, tidak sesuai dengan ekstensi .pdf"),
        ("a.png", JPG_BYTES, "adalah JPG, tidak sesuai dengan ekstensi .png"),
        ("a.docx", xlsx_bytes(), "adalah XLSX, tidak sesuai dengan ekstensi .docx"),
        ("a.xlsx", docx_bytes(), "adalah DOCX, tidak sesuai dengan ekstensi .xlsx"),
        ("a", PDF_BYTES, "(tanpa ekstensi)"),
        ("a.pdf", b"hanya teks", "bukan jenis yang diterima (PDF, JPG, PNG, XLSX, DOCX)"),
        ("a.png", b"<svg onload=alert(1)>", "bukan jenis yang diterima"),
        ("a.xlsx", b"PK\x03\x04 not really a zip", "bukan jenis yang diterima"),
        ("a.xlsx", zip_bytes(["xl/workbook.xml"]), "bukan jenis yang diterima"),
        ("a.docx", zip_bytes(["[Content_Types].xml", "other/x.xml"]), "bukan jenis"),
        (
            "a.xlsx",
            zip_bytes(["[Content_Types].xml", "xl/workbook.xml", "xl/vbaProject.bin"]),
            "bukan jenis yang diterima",
        ),
        ("a.pdf", b"", "kosong"),
    ],
)
def test_it_refuses_files_whose_content_does_not_fit(name, content, message):
    with pytest.raises(ValidationError) as caught:
        bukti_validate(upload(name, content))
    assert message in caught.value.messages[0]
    assert f"«{name}»" in caught.value.messages[0]


def test_it_refuses_a_file_above_10_mb_and_accepts_10_mb():
    limit = 10 * 1024 * 1024
    exact = PDF_BYTES + b"\x00" * (limit - len(PDF_BYTES))
    assert bukti_validate(upload("a.pdf", exact)) == PDF
    with pytest.raises(ValidationError) as caught:
        bukti_validate(upload("a.pdf", exact + b"\x00"))
    assert "terlalu besar" in caught.value.messages[0]


def packed_zeros(megabytes: int) -> bytes:
    """An XLSX-shaped zip whose one sheet is ``megabytes`` MB of zeros (about 1 kB per MB)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            for _ in range(megabytes):
                member.write(bytes(1 << 20))
    return buffer.getvalue()


def test_it_refuses_a_package_that_unpacks_beyond_100_mb():
    assert bukti_validate(upload("a.xlsx", packed_zeros(99))) == XLSX
    bomb = packed_zeros(101)
    assert len(bomb) < 200_000
    with pytest.raises(ValidationError) as caught:
        bukti_validate(upload("a.xlsx", bomb))
    assert caught.value.code == "unpacked_too_large"
    assert "lebih dari 100 MB setelah dibuka" in caught.value.messages[0]


def test_it_refuses_a_package_whose_member_is_damaged():
    data = bytearray(xlsx_bytes())
    # Flip a byte inside the first member's compressed data: the CRC no longer matches.
    name_length, extra_length = (
        int.from_bytes(data[26:28], "little"),
        int.from_bytes(data[28:30], "little"),
    )
    data[30 + name_length + extra_length + 5] ^= 0xFF
    assert jenis_sniff(upload("a.xlsx", bytes(data))) == XLSX  # the directory still reads
    with pytest.raises(ValidationError) as caught:
        bukti_validate(upload("a.xlsx", bytes(data)))
    assert caught.value.code == "damaged"
    assert caught.value.messages[0].startswith("Berkas «a.xlsx» rusak")


def test_it_sniffs_without_trusting_the_name():
    assert jenis_sniff(upload("laporan.pdf", PNG_BYTES)) == PNG
    assert jenis_sniff(upload("laporan.pdf", b"%PDX")) is None


def test_it_keeps_only_a_clean_original_name():
    assert nama_asli_clean("C:\\Users\\staf\\Laporan TW1.pdf") == "Laporan TW1.pdf"
    assert nama_asli_clean("../../etc/passwd") == "passwd"
    assert nama_asli_clean("lap\x00or\x1ban.pdf") == "laporan.pdf"
    long = nama_asli_clean("a" * 400 + ".pdf")
    assert len(long) == 255 and long.endswith(".pdf")
    assert nama_asli_clean("") == "berkas"


# --- Storing -----------------------------------------------------------------------------------


@pytest.fixture
def plan(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    instansi = make_instansi()
    users = make_users(instansi)
    rencana = make_plan(instansi)
    subs = {s.uraian: s for s in SubKegiatan.objects.all()}
    return rencana, users, subs, settings.MEDIA_ROOT


@pytest.mark.django_db
def test_it_creates_an_unreported_realisation_for_files_alone(plan):
    rencana, users, subs, media = plan
    sub = subs["Penyusunan Laporan Keuangan Uji"]
    created = bukti_add(
        user=users["staf_sekretariat"],
        rencana=rencana,
        triwulan=3,
        uploads={
            sub.row_key: [upload("Laporan.PDF", PDF_BYTES), upload("data.xlsx", xlsx_bytes())]
        },
    )
    assert len(created) == 2
    realisasi = Realisasi.objects.get(sub_kegiatan=sub, triwulan=3)
    assert (realisasi.nilai, realisasi.versi) == (None, 1)
    pdf = Bukti.objects.get(nama_asli="Laporan.PDF")
    assert pdf.berkas.name.startswith("bukti/3/") and pdf.berkas.name.endswith(".pdf")
    assert (media / pdf.berkas.name).read_bytes() == PDF_BYTES
    assert Bukti.objects.get(nama_asli="data.xlsx").jenis == XLSX.content_type


@pytest.mark.django_db
def test_it_does_not_bump_the_version_of_an_existing_realisation(plan):
    rencana, users, subs, _media = plan
    sub = subs["Penyusunan Laporan Keuangan Uji"]
    staff = users["staf_sekretariat"]
    realisasi_save_many(
        user=staff, rencana=rencana, triwulan=1, inputs=[RealisasiInput(sub.row_key, Decimal(5))]
    )
    bukti_add(
        user=staff, rencana=rencana, triwulan=1, uploads={sub.row_key: [upload("a.png", PNG_BYTES)]}
    )
    realisasi = Realisasi.objects.get(sub_kegiatan=sub, triwulan=1)
    assert (realisasi.nilai, realisasi.versi, realisasi.bukti.count()) == (Decimal(5), 1, 1)


@pytest.mark.django_db
def test_it_checks_every_file_before_storing_any(plan):
    rencana, users, subs, media = plan
    sub = subs["Penyusunan Laporan Keuangan Uji"]
    with pytest.raises(ValidationError):
        bukti_add(
            user=users["staf_sekretariat"],
            rencana=rencana,
            triwulan=1,
            uploads={sub.row_key: [upload("a.pdf", PDF_BYTES), upload("b.pdf", PNG_BYTES)]},
        )
    assert not Bukti.objects.exists()
    assert not Realisasi.objects.exists()
    assert not media.exists() or not any(media.rglob("*.*"))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["staf_politik", "kepala", "pemeriksa"])
def test_it_refuses_rows_the_user_may_not_edit(plan, role):
    rencana, users, subs, media = plan
    sub = subs["Penyusunan Laporan Keuangan Uji"]
    with pytest.raises(PermissionDenied):
        bukti_add(
            user=users[role],
            rencana=rencana,
            triwulan=1,
            uploads={sub.row_key: [upload("a.pdf", PDF_BYTES)]},
        )
    assert not Bukti.objects.exists()


@pytest.mark.django_db
def test_it_refuses_another_agencys_plan(plan):
    rencana, _users, subs, _media = plan
    outsider = make_outsider().admin
    with pytest.raises(PermissionDenied):
        bukti_add(
            user=outsider,
            rencana=rencana,
            triwulan=1,
            uploads={subs["Penyusunan Laporan Keuangan Uji"].row_key: [upload("a.pdf", PDF_BYTES)]},
        )


@pytest.mark.django_db
def test_it_finds_evidence_only_for_users_who_may_see_the_row(plan):
    rencana, users, subs, _media = plan
    sub = subs["Pemantauan Situasi Politik Uji"]
    (bukti,) = bukti_add(
        user=users["staf_politik"],
        rencana=rencana,
        triwulan=1,
        uploads={sub.row_key: [upload("a.pdf", PDF_BYTES)]},
    )
    for role in ("staf_politik", "admin", "kepala", "pemeriksa"):
        assert bukti_for_user(user=users[role], pk=bukti.pk) == bukti
    with pytest.raises(Http404):
        bukti_for_user(user=users["staf_sekretariat"], pk=bukti.pk)
    with pytest.raises(Http404):
        bukti_for_user(user=users["admin"], pk=bukti.pk + 1000)


def test_it_removes_written_files_when_the_commit_fails(users, rencana, subs, media, monkeypatch):
    from contextlib import contextmanager
    from types import SimpleNamespace

    from django.db import DatabaseError, transaction

    from renaksi.services import realisasi as realisasi_services

    @contextmanager
    def atomic_failing_at_commit():
        with transaction.atomic():
            yield
        raise DatabaseError("commit failed")

    monkeypatch.setattr(
        realisasi_services, "transaction", SimpleNamespace(atomic=atomic_failing_at_commit)
    )
    sub = subs["Pemantauan Situasi Politik Uji"]
    upload = SimpleUploadedFile("bukti.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    with pytest.raises(DatabaseError):
        realisasi_services.realisasi_bukti_save(
            user=users["staf_politik"],
            rencana=rencana,
            triwulan=1,
            inputs=[],
            uploads={sub.row_key: [upload]},
        )
    assert not any(path.is_file() for path in media.rglob("*"))


def test_it_writes_history_when_evidence_alone_creates_the_realisation(users, rencana, subs):
    from renaksi.models import RealisasiRiwayat
    from renaksi.services import bukti_add

    sub = subs["Pemantauan Situasi Politik Uji"]
    upload = SimpleUploadedFile("bukti.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    bukti_add(
        user=users["staf_politik"], rencana=rencana, triwulan=2, uploads={sub.row_key: [upload]}
    )
    history = RealisasiRiwayat.objects.get(realisasi__sub_kegiatan=sub, realisasi__triwulan=2)
    assert (history.versi, history.nilai, history.sumber) == (1, None, "bukti")


# --- Removing ----------------------------------------------------------------------------------


def _stored_pdf(user, rencana, target, name: str = "salah.pdf") -> Bukti:
    (bukti,) = bukti_add(
        user=user, rencana=rencana, triwulan=2, uploads={target.row_key: [upload(name, PDF_BYTES)]}
    )
    return bukti


def test_it_removes_the_row_and_after_the_commit_the_file(
    users, rencana, subs, media, caplog, django_capture_on_commit_callbacks
):
    staff = users["staf_sekretariat"]
    bukti = _stored_pdf(staff, rencana, subs["Penyusunan Laporan Keuangan Uji"], "Salah TW2.pdf")
    path = media / bukti.berkas.name
    with (
        caplog.at_level("INFO", logger="renaksi.evidence"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        removed = bukti_remove(user=staff, pk=bukti.pk)
        assert not Bukti.objects.filter(pk=bukti.pk).exists()
        assert path.is_file()  # not before the commit
    assert not path.exists()
    assert (removed.nama_asli, removed.tahun, removed.triwulan) == ("Salah TW2.pdf", 2023, 2)
    assert Realisasi.objects.filter(pk=bukti.realisasi_id).exists()  # the realisation stays
    (record,) = [r for r in caplog.records if r.name == "renaksi.evidence"]
    assert record.levelname == "INFO"
    message = record.getMessage()
    assert staff.username in message
    assert f"realisasi={bukti.realisasi_id}" in message
    assert "Salah TW2.pdf" in message


def test_it_keeps_the_file_when_the_deletion_rolls_back(
    users, rencana, subs, media, django_capture_on_commit_callbacks
):
    from django.db import transaction

    staff = users["staf_sekretariat"]
    bukti = _stored_pdf(staff, rencana, subs["Penyusunan Laporan Keuangan Uji"])
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        bukti_remove(user=staff, pk=bukti.pk)
        raise RuntimeError("later step failed")
    assert callbacks == []
    assert Bukti.objects.filter(pk=bukti.pk).exists()
    assert (media / bukti.berkas.name).read_bytes() == PDF_BYTES


def test_it_lets_the_admin_remove_a_sasaran_rows_file(
    users, rencana, media, django_capture_on_commit_callbacks
):
    bukti = _stored_pdf(users["admin"], rencana, IndikatorSasaran.objects.first())
    with django_capture_on_commit_callbacks(execute=True):
        bukti_remove(user=users["admin"], pk=bukti.pk)
    assert not Bukti.objects.exists()
    assert not (media / bukti.berkas.name).exists()


@pytest.mark.parametrize("role", ["kepala", "pemeriksa"])
def test_it_refuses_removal_to_roles_that_only_read(users, rencana, subs, role):
    bukti = _stored_pdf(users["staf_politik"], rencana, subs["Pemantauan Situasi Politik Uji"])
    with pytest.raises(PermissionDenied):
        bukti_remove(user=users[role], pk=bukti.pk)
    assert Bukti.objects.filter(pk=bukti.pk).exists()


def test_it_hides_files_the_user_may_not_see_from_removal(users, rencana, subs, media):
    bukti = _stored_pdf(users["staf_politik"], rencana, subs["Pemantauan Situasi Politik Uji"])
    sasaran = _stored_pdf(users["admin"], rencana, IndikatorSasaran.objects.first())
    outsider = make_outsider().admin
    for user, pk in [
        (users["staf_sekretariat"], bukti.pk),  # another bidang
        (users["staf_sekretariat"], sasaran.pk),  # a sasaran row staff cannot see
        (outsider, bukti.pk),  # another agency
        (users["admin"], bukti.pk + 1000),  # no such file
    ]:
        with pytest.raises(Http404):
            bukti_remove(user=user, pk=pk)
    assert Bukti.objects.count() == 2
    assert (media / bukti.berkas.name).is_file()


def test_it_removes_every_file_written_when_a_later_file_fails(
    users, rencana, subs, media, monkeypatch
):
    """Two files for one row; the second one's row cannot be saved: the first file goes too."""
    from django.db import DatabaseError

    from renaksi.models import Bukti as BuktiModel

    real_save = BuktiModel.save
    calls = []

    def failing_second(self, *args, **kwargs):
        calls.append(self)
        if len(calls) == 2:
            raise DatabaseError("disk full")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(BuktiModel, "save", failing_second)
    sub = subs["Pemantauan Situasi Politik Uji"]
    files = [
        SimpleUploadedFile(f"bukti{i}.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
        for i in (1, 2)
    ]
    with pytest.raises(DatabaseError):
        bukti_add(
            user=users["staf_politik"], rencana=rencana, triwulan=1, uploads={sub.row_key: files}
        )
    assert not any(path.is_file() for path in media.rglob("*"))

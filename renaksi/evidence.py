"""Evidence files (bukti dukung): what kind a file really is, storing it, and who may fetch it.

A file is accepted by its CONTENT, never by its name alone: the first bytes (PDF, JPEG, PNG) or,
for XLSX and DOCX, a readable zip holding ``[Content_Types].xml`` and the ``xl/`` resp. ``word/``
parts. The name's extension must then agree with what the content is, so a text or HTML file
renamed to ``.pdf`` is refused, and so is a PNG called ``.pdf``. Files are stored under a random
name (``models.bukti_path``) and served only by ``views_realisasi.bukti_download``.
"""

import logging
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from renaksi.models import Bukti, Realisasi, RealisasiRiwayat, RencanaAksi, SubKegiatan
from renaksi.permissions import profile_of
from renaksi.selectors import may_edit_row, may_see_row
from renaksi.services import indikator_editable, triwulan_check_open
from renaksi.zipfiles import ZIP_ERRORS

logger = logging.getLogger(__name__)

MAX_BUKTI_BYTES = 10 * 1024 * 1024
# What an XLSX or DOCX may unpack to. Real ones unpack to a few times their size (XML packs
# about 10:1, pictures not at all); a "zip bomb" of 40 kB unpacks to gigabytes on the computer
# of whoever opens it.
MAX_BUKTI_UNPACKED_BYTES = 100 * 1024 * 1024
UNPACK_CHUNK = 1024 * 1024
SNIFF_BYTES = 8


@dataclass(frozen=True)
class Jenis:
    """One accepted kind of evidence file."""

    kode: str
    label: str
    content_type: str
    extensions: tuple[str, ...]  # the first is the one the stored file gets


PDF = Jenis("pdf", "PDF", "application/pdf", (".pdf",))
JPG = Jenis("jpg", "JPG", "image/jpeg", (".jpg", ".jpeg"))
PNG = Jenis("png", "PNG", "image/png", (".png",))
XLSX = Jenis(
    "xlsx",
    "XLSX",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    (".xlsx",),
)
DOCX = Jenis(
    "docx",
    "DOCX",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
)
JENIS = (PDF, JPG, PNG, XLSX, DOCX)
ACCEPT = ",".join(ext for jenis in JENIS for ext in jenis.extensions)  # for <input accept>


def accepted_labels() -> str:
    return ", ".join(jenis.label for jenis in JENIS)


def _office_kind(upload) -> Jenis | None:
    """XLSX or DOCX when the zip is an Office Open XML package of that kind, else None."""
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    # Macro-enabled workbooks and documents carry a VBA project; they are not evidence.
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        return None
    if any(name.startswith("xl/") for name in names):
        return XLSX
    if any(name.startswith("word/") for name in names):
        return DOCX
    return None


def jenis_sniff(upload) -> Jenis | None:
    """The kind of ``upload`` judged by its content only; None when it is none we accept."""
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            return PDF
        if head.startswith(b"\xff\xd8\xff"):
            return JPG
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return PNG
        if head.startswith(b"PK\x03\x04"):
            return _office_kind(upload)
        return None
    finally:
        upload.seek(0)


def nama_asli_clean(name: str) -> str:
    """The user's file name as shown and offered on download: no path, no control characters."""
    name = Path(name.replace("\\", "/")).name
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    if len(name) > 255:
        suffix = Path(name).suffix[:20]
        name = name[: 255 - len(suffix)] + suffix
    return name or "berkas"


def bukti_validate(upload: UploadedFile) -> Jenis:
    """The kind of an uploaded evidence file, or a ValidationError naming the file and problem."""
    name = nama_asli_clean(upload.name or "")
    if upload.size is not None and upload.size > MAX_BUKTI_BYTES:
        raise ValidationError(
            _("Berkas «%(nama)s» terlalu besar (%(ukuran)s MB); paling besar 10 MB.")
            % {"nama": name, "ukuran": f"{upload.size / 1024 / 1024:.1f}".replace(".", ",")},
            code="too_large",
        )
    if not upload.size:
        raise ValidationError(_("Berkas «%(nama)s» kosong.") % {"nama": name}, code="empty")
    jenis = jenis_sniff(upload)
    if jenis is None:
        raise ValidationError(
            _("Isi berkas «%(nama)s» bukan jenis yang diterima (%(jenis)s).")
            % {"nama": name, "jenis": accepted_labels()},
            code="unknown_kind",
        )
    extension = Path(name).suffix.lower()
    if extension not in jenis.extensions:
        raise ValidationError(
            _(
                "Isi berkas «%(nama)s» adalah %(jenis)s, tidak sesuai dengan ekstensi "
                "%(ekstensi)s. Simpan ulang berkas sebagai %(jenis)s lalu unggah lagi."
            )
            % {"nama": name, "jenis": jenis.label, "ekstensi": extension or _("(tanpa ekstensi)")},
            code="extension_mismatch",
        )
    if jenis.kode in (XLSX.kode, DOCX.kode):
        _check_unpacked(upload, name)
    return jenis


def _check_unpacked(upload, name: str) -> None:
    """ValidationError unless the package unpacks whole, within ``MAX_BUKTI_UNPACKED_BYTES``.

    The members are really unpacked (in chunks, counted, then dropped): the sizes the zip's
    directory declares can lie, and a damaged member only shows when it is read.
    """
    unpacked = 0
    try:
        with zipfile.ZipFile(upload) as archive:
            for info in archive.infolist():
                with archive.open(info) as member:
                    while chunk := member.read(UNPACK_CHUNK):
                        unpacked += len(chunk)
                        if unpacked > MAX_BUKTI_UNPACKED_BYTES:
                            raise ValidationError(
                                _(
                                    "Isi berkas «%(nama)s» jauh lebih besar dari berkasnya "
                                    "(lebih dari 100 MB setelah dibuka); berkas seperti ini "
                                    "tidak diterima. Simpan ulang berkas lalu unggah lagi."
                                )
                                % {"nama": name},
                                code="unpacked_too_large",
                            )
    except ZIP_ERRORS:
        raise ValidationError(
            _("Berkas «%(nama)s» rusak dan tidak dapat dibuka. Simpan ulang lalu unggah lagi.")
            % {"nama": name},
            code="damaged",
        ) from None
    finally:
        upload.seek(0)


def _realisasi_for(indikator, *, triwulan: int, user, now) -> Realisasi:
    owner = (
        {"sub_kegiatan": indikator}
        if isinstance(indikator, SubKegiatan)
        else {"indikator_sasaran": indikator}
    )
    # Evidence alone (no value typed yet) still needs a row to hang on: an unreported one.
    # Adding files does not bump ``versi``: files are only ever added, so they cannot
    # overwrite anyone's work.
    realisasi, created = Realisasi.objects.get_or_create(
        **owner,
        triwulan=triwulan,
        defaults={"nilai": None, "versi": 1, "diubah_oleh": user, "diubah_pada": now},
    )
    if created:
        # Every version of a realisation has its history row, this first one too.
        RealisasiRiwayat.objects.create(
            realisasi=realisasi,
            versi=1,
            nilai=None,
            diubah_oleh=user,
            diubah_pada=now,
            sumber="bukti",
        )
    return realisasi


def bukti_add(
    *,
    user,
    rencana: RencanaAksi,
    triwulan: int,
    uploads: dict[str, list[UploadedFile]],
) -> list[Bukti]:
    """Attach evidence files to the realisations of ``triwulan``, by row key, all or nothing.

    Every file is checked first (``bukti_validate``: ValidationError, nothing stored), and the
    user must be allowed to edit every row named (else PermissionDenied). The realisation of a
    row that has none yet is created unreported (``nilai`` None). A quarter under the kepala's
    review or approved refuses every file (``services.TriwulanTerkunci``). Files already written
    are removed again if anything fails before the transaction ends.
    """
    uploads = {key: files for key, files in uploads.items() if files}
    if not uploads:
        return []
    indikator = indikator_editable(user=user, rencana=rencana, keys=list(uploads))
    checked = [
        (key, upload, bukti_validate(upload)) for key, files in uploads.items() for upload in files
    ]

    now = timezone.now()
    created: list[Bukti] = []
    try:
        with transaction.atomic():
            triwulan_check_open(rencana_id=rencana.pk, triwulan=triwulan)
            realisasi = {
                key: _realisasi_for(indikator[key], triwulan=triwulan, user=user, now=now)
                for key in uploads
            }
            for key, upload, jenis in checked:
                bukti = Bukti(
                    realisasi=realisasi[key],
                    nama_asli=nama_asli_clean(upload.name or ""),
                    jenis=jenis.content_type,
                    ukuran=upload.size,
                    diunggah_oleh=user,
                    diunggah_pada=now,
                )
                # The stored name takes the canonical extension of what the content is.
                bukti.berkas.save(f"bukti{jenis.extensions[0]}", upload, save=False)
                created.append(bukti)
                bukti.save()
    except BaseException:
        bukti_discard(created)
        raise
    return created


def bukti_discard(stored: list[Bukti]) -> None:
    """Remove the files of evidence rows whose transaction did not commit."""
    for bukti in stored:
        bukti.berkas.delete(save=False)


def _bukti_of_agency(instansi_id: int) -> QuerySet[Bukti]:
    return Bukti.objects.filter(
        Q(realisasi__sub_kegiatan__kegiatan__program__rencana__instansi_id=instansi_id)
        | Q(realisasi__indikator_sasaran__sasaran__rencana__instansi_id=instansi_id)
    )


def _row_bidang_id(bukti: Bukti) -> int | None:
    sub = bukti.realisasi.sub_kegiatan
    return sub.bidang_id if sub is not None else None


def bukti_for_user(*, user, pk: int) -> Bukti:
    """An evidence file the user may see, or 404 (another agency, another bidang, no such file).

    One query. A 404 rather than a 403 so that ids of other agencies' files reveal nothing.
    """
    profile = profile_of(user)
    bukti = (
        _bukti_of_agency(profile.instansi_id)
        .select_related("realisasi__sub_kegiatan")
        .filter(pk=pk)
        .first()
    )
    if bukti is None or not may_see_row(profile, _row_bidang_id(bukti)):
        raise Http404(_("Berkas bukti tidak ditemukan."))
    return bukti


@dataclass(frozen=True)
class BuktiRemoved:
    """What is left to say about a deleted evidence file, and where its quarter's page is."""

    nama_asli: str
    tahun: int
    triwulan: int


def bukti_remove(*, user, pk: int) -> BuktiRemoved:
    """Delete an evidence file of a row the user may edit: the row now, the stored file on commit.

    A file the user may not see is a 404, as in ``bukti_for_user``; one they may see but not
    change (kepala, pemeriksa, or staff on a sasaran row they can read) is a PermissionDenied.
    The file leaves storage only once the deletion is committed, so a rolled-back deletion
    never leaves a row pointing at nothing. ``RealisasiRiwayat`` keeps values, not files: the
    deletion is logged instead. A quarter under the kepala's review or approved refuses the
    deletion (``services.TriwulanTerkunci``).
    """
    profile = profile_of(user)
    with transaction.atomic():
        bukti = (
            _bukti_of_agency(profile.instansi_id)
            .select_related("realisasi__sub_kegiatan")
            .annotate(
                tahun=Coalesce(
                    "realisasi__sub_kegiatan__kegiatan__program__rencana__tahun",
                    "realisasi__indikator_sasaran__sasaran__rencana__tahun",
                ),
                rencana_id=Coalesce(
                    "realisasi__sub_kegiatan__kegiatan__program__rencana_id",
                    "realisasi__indikator_sasaran__sasaran__rencana_id",
                ),
            )
            .filter(pk=pk)
            .first()
        )
        bidang_id = _row_bidang_id(bukti) if bukti is not None else None
        if bukti is None or not may_see_row(profile, bidang_id):
            raise Http404(_("Berkas bukti tidak ditemukan."))
        if not may_edit_row(profile, bidang_id):
            raise PermissionDenied(_("Anda tidak berhak menghapus berkas bukti ini."))
        triwulan_check_open(rencana_id=bukti.rencana_id, triwulan=bukti.realisasi.triwulan)
        # A concurrent request may have deleted it since it was read.
        deleted, _by_model = Bukti.objects.filter(pk=bukti.pk).delete()
        if not deleted:
            raise Http404(_("Berkas bukti tidak ditemukan."))
        storage, name = bukti.berkas.storage, bukti.berkas.name

        def after_commit() -> None:
            logger.info(
                "Evidence file removed: user=%s realisasi=%s file=%r stored as %s",
                user.get_username(),
                bukti.realisasi_id,
                bukti.nama_asli,
                name,
            )
            storage.delete(name)

        # robust: the deletion is committed whatever happens to the file; a failure to remove
        # it is logged by Django and leaves an orphan file, not an error page.
        transaction.on_commit(after_commit, robust=True)
    return BuktiRemoved(
        nama_asli=bukti.nama_asli, tahun=bukti.tahun, triwulan=bukti.realisasi.triwulan
    )


__all__ = [
    "ACCEPT",
    "JENIS",
    "MAX_BUKTI_BYTES",
    "BuktiRemoved",
    "Jenis",
    "bukti_add",
    "bukti_discard",
    "bukti_for_user",
    "bukti_remove",
    "bukti_validate",
    "jenis_sniff",
]

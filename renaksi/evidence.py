"""Evidence files (bukti dukung): what kind a file really is, judged once per upload.

A file is accepted by its CONTENT, never by its name alone: the first bytes (PDF, JPEG, PNG) or,
for XLSX and DOCX, a readable zip holding ``[Content_Types].xml`` and the ``xl/`` resp. ``word/``
parts. The name's extension must then agree with what the content is, so a text or HTML file
renamed to ``.pdf`` is refused, and so is a PNG called ``.pdf``. Files are stored under a random
name (``models.bukti_path``) by ``services.bukti`` and served only by
``views.bukti.bukti_download``, which asks ``permissions.bukti_for_user``.
"""

import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from renaksi.zipfiles import ZIP_ERRORS, package_has_macros

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
            # Macro-enabled workbooks and documents declare a VBA project (by content type or
            # relationship, whatever the part is called); they are not evidence.
            macros = "[Content_Types].xml" in names and package_has_macros(archive)
    except ZIP_ERRORS:
        return None
    if "[Content_Types].xml" not in names or macros:
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


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed ``bukti_validate``, with the kind its content showed."""

    upload: UploadedFile
    jenis: Jenis


def checked(upload: "UploadedFile | CheckedUpload") -> CheckedUpload:
    """``upload`` checked, unless the form that received it checked it already.

    An XLSX or DOCX is unpacked to check it: once per upload, not again at the save.
    """
    if isinstance(upload, CheckedUpload):
        return upload
    return CheckedUpload(upload, bukti_validate(upload))


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

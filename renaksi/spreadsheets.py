"""Opening an uploaded XLSX safely: the checks every spreadsheet upload runs before openpyxl.

The realisation form (``renaksi/formulir``) and the plan import (``renaksi/rencana_import``)
both take workbooks that strangers made. ``workbook_open`` refuses, with a message for people,
what is not a readable XLSX (an old .xls, a password-protected file, a damaged zip, a macro
workbook) and what would cost far more than any real file (too many bytes uploaded or unpacked,
a sheet that declares or holds millions of cells) — checked on the package's XML before
openpyxl loads anything — and then opens the workbook in read-only mode. With ``defusedxml``
installed openpyxl parses the XML through it (entity expansion, external entities).

Each kind of upload gives its own limits and wording (``Kind``); ``FileRefused`` carries the
messages.
"""

import re
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries

from renaksi.numbers import format_number
from renaksi.zipfiles import ZIP_ERRORS, package_has_macros

SHEET_PART = re.compile(r"xl/worksheets/[^/]+\.xml")
DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*\bref="([^"]*)"')
MERGED = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*\bref="([^"]*)"')
CELL_TAG = re.compile(rb"<(?:\w+:)?c[ >/]")
ZIP_MAGIC = b"PK\x03\x04"
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2: legacy .xls or an encrypted .xlsx
ENCRYPTED_MARKER = "EncryptedPackage".encode("utf-16-le")


class FileRefused(Exception):
    """The upload is refused; ``messages`` says why (each naming sheet, row, column if any)."""

    def __init__(self, messages: list[str]):
        super().__init__("\n".join(messages))
        self.messages = messages


def refuse(message: str):
    raise FileRefused([message])


@dataclass(frozen=True)
class Kind:
    """The limits of one kind of upload and the words that name it in messages."""

    max_bytes: int
    max_unpacked_bytes: int
    max_cells: int  # declared (dimension, merged ranges) or actual (<c> elements) per sheet
    max_sheet_xml_bytes: int
    what: str  # "formulir realisasi", "rencana aksi": the kind of file, in messages
    again: str  # what to do for a fresh file: "Unduh formulir lagi."


def workbook_open(data: bytes, kind: Kind):
    """The workbook (read-only), or FileRefused saying why the bytes cannot be read as one."""
    if len(data) > kind.max_bytes:
        refuse(
            _("Berkas terlalu besar (%(size)s MB); batasnya %(max)d MB.")
            % {
                "size": format_number(Decimal(len(data)) / 1024 / 1024, 1),
                "max": kind.max_bytes >> 20,
            }
        )
    if data.startswith(CFB_MAGIC):
        if ENCRYPTED_MARKER in data:
            refuse(
                _(
                    "Berkas dilindungi kata sandi dan tidak dapat dibaca. Buka di Excel, hapus "
                    "kata sandinya (File › Info › Proteksi Buku Kerja), simpan, lalu unggah lagi."
                )
            )
        refuse(
            _(
                "Berkas berformat Excel lama (.xls). Simpan sebagai Buku Kerja Excel (.xlsx), "
                "lalu unggah lagi."
            )
        )
    if not zipfile.is_zipfile(BytesIO(data)):
        if data.startswith(ZIP_MAGIC):
            refuse(
                _("Berkas XLSX rusak (terpotong atau tidak utuh). %(again)s")
                % {"again": kind.again}
            )
        refuse(_("Berkas bukan XLSX. Unggah berkas .xlsx %(what)s.") % {"what": kind.what})
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > kind.max_unpacked_bytes:
                refuse(_("Isi berkas terlalu besar untuk sebuah %(what)s.") % {"what": kind.what})
            broken = archive.testzip()  # reads every member and checks its CRC
            if broken is None:
                check_package(archive, kind)
    except ZIP_ERRORS:
        broken = "?"
    if broken is not None:
        refuse(_("Berkas XLSX rusak (isi arsip tidak utuh). %(again)s") % {"again": kind.again})
    try:
        # Read-only: openpyxl streams the rows instead of building every cell (and every cell
        # of a merged range) in memory. data_only=False: a formula typed into a cell arrives as
        # its text and is refused, instead of reading as empty (files written by openpyxl hold
        # no cached results).
        return load_workbook(BytesIO(data), read_only=True, data_only=False)
    except Exception:
        # openpyxl raises many kinds (KeyError, ValueError, XML errors, ...) for a package that
        # is a zip but not a workbook; to the user they all mean the same.
        refuse(_("Berkas XLSX rusak atau bukan buku kerja Excel; tidak dapat dibaca."))


@contextmanager
def damage_refused():
    """A part that breaks while openpyxl streams it is a damaged file, not a server error."""
    try:
        yield
    except FileRefused:
        raise
    except Exception:
        # openpyxl raises many kinds (KeyError, ValueError, XML errors, ...) for a damaged part
        # met while reading rows in read-only mode.
        refuse(_("Berkas XLSX rusak atau bukan buku kerja Excel; tidak dapat dibaca."))


def cells_in(ref: str) -> int:
    """How many cells a range like "A1:N9000" covers (a single cell: 1)."""
    try:
        bounds = range_boundaries(ref)
    except (TypeError, ValueError):
        return 0
    min_col, min_row, max_col, max_row = (value or 1 for value in bounds)
    return (max_col - min_col + 1) * (max_row - min_row + 1)


def check_package(archive: zipfile.ZipFile, kind: Kind) -> None:
    """Refuse a macro workbook, and a sheet that claims or holds far more cells than ``kind``.

    Checked on the package's XML before openpyxl reads anything: a 42 KB file can declare
    millions of cells (a dimension or a merged range), which a full load would build one by
    one; the cells actually present are counted on the XML as well.
    """
    if package_has_macros(archive):
        refuse(
            _(
                "Berkas berisi makro (VBA). Simpan sebagai Buku Kerja Excel (.xlsx) tanpa makro, "
                "lalu unggah lagi."
            )
        )
    for info in archive.infolist():
        if not SHEET_PART.fullmatch(info.filename):
            continue
        if info.file_size > kind.max_sheet_xml_bytes:
            refuse(_("Isi berkas terlalu besar untuk sebuah %(what)s.") % {"what": kind.what})
        raw = archive.read(info)
        # On the bytes, without decoding a sheet of megabytes: the refs are ASCII.
        declared = max(
            (cells_in(ref.decode("ascii", "replace")) for ref in DIMENSION.findall(raw)),
            default=0,
        )
        merged = sum(cells_in(ref.decode("ascii", "replace")) for ref in MERGED.findall(raw))
        actual = len(CELL_TAG.findall(raw))
        if max(declared, merged, actual) > kind.max_cells:
            refuse(
                _(
                    "Lembar dalam berkas ini menyatakan %(n)s sel, jauh lebih banyak dari "
                    "%(what)s mana pun. %(again)s"
                )
                % {
                    "n": format_number(max(declared, merged, actual), 0),
                    "what": kind.what,
                    "again": kind.again,
                }
            )

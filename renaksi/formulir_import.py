"""Reading an uploaded realisation form: validate all of it, then say what would change.

``formulir_read`` opens the bytes of a form written by ``renaksi.exports.formulir``, checks that
it is that form for this agency, year and quarter, reads every row, and returns a ``Pratinjau``:
the rows whose values differ from what is stored now (old → new), how many are unchanged, and
which of the changed rows were saved by someone else since the form was downloaded (their
stored version differs from the VERSI in the file). Nothing is written here: saving goes
through ``services.realisasi_save_many`` with the inputs of the preview.

Any fault raises ``FormulirInvalid`` with every message found (up to ``MAX_ERRORS``), each naming
the sheet, row and column, so a user can mend the whole file in one go.

Between the preview and the confirmation the inputs travel to the browser and back in a payload
signed with ``django.core.signing`` (``inputs_sign`` / ``inputs_unsign``): a changed payload is
refused, and one signed for another user, plan or quarter too.
"""

import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, DecimalException
from io import BytesIO
from typing import NoReturn

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from renaksi import permissions, selectors, services
from renaksi.exports.formulir import (
    COLUMN,
    FORM_COLUMNS,
    FORM_FORMAT,
    FORM_KIND,
    META_FORMAT,
    META_HEADER_ROW,
    META_INSTANSI,
    META_KIND,
    META_TAHUN,
    META_TITLE,
    META_TRIWULAN,
    SHEET_TITLE,
    column_titles,
)
from renaksi.models import QUARTERS, Bidang, Peran, Profile, Realisasi, RencanaAksi, SubKegiatan
from renaksi.numbers import (
    AmbiguousNumber,
    ambiguous_message,
    format_number,
    more_than_two_decimals,
    number_parse,
)
from renaksi.selectors import EntryRow
from renaksi.services import RealisasiConflict, RealisasiInput
from renaksi.zipfiles import ZIP_ERRORS

MAX_BYTES = 5 * 1024 * 1024
# A 5 MB zip can unpack to gigabytes; a real form of 2,000 rows unpacks to about 2 MB.
MAX_UNPACKED_BYTES = 30 * 1024 * 1024
MAX_ROWS = 50_000
MAX_ERRORS = 50
PAYLOAD_SALT = "renaksi.formulir.pratinjau"
PAYLOAD_MAX_AGE = 2 * 60 * 60  # seconds between the preview and the confirmation

# The row keys the form writes. At most 18 digits: a longer id is no row of ours and would not
# fit the database's integer (services.indikator_by_key would overflow on it).
KEY_RE = re.compile(r"(sub|ind)-[0-9]{1,18}")
HEADER_ROW_RE = re.compile(r"[0-9]{1,3}")  # ASCII only: "²" is a digit to str.isdigit
KEY_SHOWN_MAX = 40  # characters of an unknown key quoted back in a message
VALUE_SHOWN_MAX = 40  # characters of a value that is no number, quoted back
ZIP_MAGIC = b"PK\x03\x04"
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2: legacy .xls or an encrypted .xlsx
ENCRYPTED_MARKER = "EncryptedPackage".encode("utf-16-le")
FILL_KEYS = ("realisasi", "ket", "kendala", "tindak_lanjut")
TWO_PLACES = Decimal("0.01")
TEXT_COLUMNS = ("ket", "kendala", "tindak_lanjut")


class FormulirInvalid(Exception):
    """The file is refused; ``messages`` says why, each naming sheet, row and column."""

    def __init__(self, messages: list[str]):
        super().__init__("\n".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class Perubahan:
    """One row whose values in the file differ from what is stored now."""

    baris: int | None  # the sheet row (None when rebuilt from a conflict after the preview)
    row: EntryRow
    stored: Realisasi | None  # what is stored now
    new: RealisasiInput
    conflict: bool  # stored by someone else since the form was downloaded

    @property
    def old_nilai(self):
        return self.stored.nilai if self.stored else None

    @property
    def old_ket(self) -> str:
        return self.stored.ket if self.stored else ""

    @property
    def old_kendala(self) -> str:
        return self.stored.kendala if self.stored else ""

    @property
    def old_tindak_lanjut(self) -> str:
        return self.stored.tindak_lanjut if self.stored else ""

    @property
    def old_nilai_display(self) -> str:
        return _nilai_display(self.old_nilai, self.row.indikator.target_persen)

    @property
    def new_nilai_display(self) -> str:
        return _nilai_display(self.new.nilai, self.row.indikator.target_persen)

    def fields(self) -> list[tuple[str, str, str, bool]]:
        """(label, old, new, changed) per value, for the preview and the command output."""
        return [
            (_("Realisasi"), self.old_nilai_display, self.new_nilai_display, self._nilai_changed),
            (_("Keterangan"), self.old_ket, self.new.ket, self.old_ket != self.new.ket),
            (
                _("Kendala"),
                self.old_kendala,
                self.new.kendala,
                self.old_kendala != self.new.kendala,
            ),
            (
                _("Tindak lanjut"),
                self.old_tindak_lanjut,
                self.new.tindak_lanjut,
                self.old_tindak_lanjut != self.new.tindak_lanjut,
            ),
        ]

    @property
    def _nilai_changed(self) -> bool:
        return self.old_nilai != self.new.nilai


@dataclass(frozen=True)
class Pratinjau:
    changes: list[Perubahan]
    unchanged: int

    @property
    def conflicts(self) -> list[Perubahan]:
        return [change for change in self.changes if change.conflict]

    @property
    def inputs(self) -> list[RealisasiInput]:
        return [change.new for change in self.changes]


def _nilai_display(nilai: Decimal | None, percent: bool) -> str:
    if nilai is None:
        return _("(kosong)")
    return format_number(nilai) + ("%" if percent else "")


class _Errors:
    """Collects messages up to ``MAX_ERRORS``, each prefixed with where the fault is."""

    def __init__(self, titles: dict[str, str] | None = None):
        self.titles = titles or {}  # column headers, to name a column by its title too
        self.messages: list[str] = []
        self.dropped = 0

    def add(self, message: str, *, sheet: str = SHEET_TITLE, row=None, column=None) -> None:
        if len(self.messages) >= MAX_ERRORS:
            self.dropped += 1
            return
        where = _('Lembar "%(sheet)s"') % {"sheet": sheet}
        if row is not None:
            where += _(", baris %(row)d") % {"row": row}
        if column is not None:
            where += _(", kolom %(letter)s") % {"letter": column.letter}
            if column.key in self.titles:
                where += f" ({self.titles[column.key]})"
        self.messages.append(f"{where}: {message}")

    def raise_if_any(self) -> None:
        if self.messages:
            messages = list(self.messages)
            if self.dropped:
                messages.append(
                    _("… dan %(n)d kesalahan lain yang tidak ditampilkan.") % {"n": self.dropped}
                )
            raise FormulirInvalid(messages)


def formulir_plan(user, *, tahun: int, triwulan: int) -> tuple[RencanaAksi, Profile]:
    """The user's plan for ``tahun`` when the user may fill realisations (admin or staf).

    Raises Http404 (no such quarter or plan) or PermissionDenied (no agency, read-only role),
    for the pages and the commands alike.
    """
    if triwulan not in QUARTERS:
        raise Http404(_("Triwulan harus 1 sampai 4."))
    rencana = permissions.rencana_for_user(user, tahun)
    profile = permissions.profile_of(user)
    if profile.peran not in (Peran.ADMIN, Peran.STAF):
        raise PermissionDenied(
            _("Peran Anda hanya dapat melihat realisasi; formulir diisi oleh admin atau staf.")
        )
    return rencana, profile


# -- opening the file ---------------------------------------------------------------------------


def _refuse(message: str) -> NoReturn:
    raise FormulirInvalid([message])


def _open(data: bytes):
    """The workbook, or FormulirInvalid saying why the bytes are not a readable XLSX."""
    if len(data) > MAX_BYTES:
        _refuse(
            _("Berkas terlalu besar (%(size)s MB); batasnya %(max)d MB.")
            % {"size": format_number(Decimal(len(data)) / 1024 / 1024, 1), "max": MAX_BYTES >> 20}
        )
    if data.startswith(CFB_MAGIC):
        if ENCRYPTED_MARKER in data:
            _refuse(
                _(
                    "Berkas dilindungi kata sandi dan tidak dapat dibaca. Buka di Excel, hapus "
                    "kata sandinya (File › Info › Proteksi Buku Kerja), simpan, lalu unggah lagi."
                )
            )
        _refuse(
            _(
                "Berkas berformat Excel lama (.xls). Simpan sebagai Buku Kerja Excel (.xlsx), "
                "lalu unggah lagi."
            )
        )
    if not zipfile.is_zipfile(BytesIO(data)):
        if data.startswith(ZIP_MAGIC):
            _refuse(_("Berkas XLSX rusak (terpotong atau tidak utuh). Unduh formulir lagi."))
        _refuse(_("Berkas bukan XLSX. Unggah formulir .xlsx yang diunduh dari Renaksi."))
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                _refuse(_("Isi berkas terlalu besar untuk sebuah formulir realisasi."))
            broken = archive.testzip()  # reads every member and checks its CRC
    except ZIP_ERRORS:
        broken = "?"
    if broken is not None:
        _refuse(_("Berkas XLSX rusak (isi arsip tidak utuh). Unduh formulir lagi."))
    try:
        # Not read-only: every part is parsed here, so a damaged part fails now, inside this
        # try, and not halfway through the rows. data_only=False: a formula typed into a cell
        # arrives as its text and is refused, instead of reading as empty (files written by
        # openpyxl hold no cached results).
        return load_workbook(BytesIO(data), data_only=False)
    except Exception:
        # openpyxl raises many kinds (KeyError, ValueError, XML errors, ...) for a package that
        # is a zip but not a workbook; to the user they all mean the same.
        _refuse(_("Berkas XLSX rusak atau bukan buku kerja Excel; tidak dapat dibaca."))


def _check_layout(workbook, *, rencana: RencanaAksi, triwulan: int) -> int:
    """Check the form kind, agency, year and quarter; return the header row."""
    names = workbook.sheetnames
    if SHEET_TITLE not in names or META_TITLE not in names:
        _refuse(
            _(
                'Berkas ini bukan formulir realisasi Renaksi: tidak ada lembar "%(sheet)s" '
                "(lembar dalam berkas: %(names)s). Unduh formulir dari Renaksi, isi, lalu "
                "unggah berkas itu."
            )
            % {
                "sheet": SHEET_TITLE if SHEET_TITLE not in names else META_TITLE,
                "names": ", ".join(f'"{name}"' for name in names),
            }
        )
    meta: dict[str, tuple[int, str]] = {}
    for number, row in enumerate(
        workbook[META_TITLE].iter_rows(min_row=1, max_row=50, max_col=2, values_only=True),
        start=1,
    ):
        if row and row[0] is not None:
            value = "" if len(row) < 2 or row[1] is None else str(row[1]).strip()
            meta[str(row[0]).strip()] = (number, value)
    errors = _Errors()

    def value(key: str) -> str:
        return meta.get(key, (None, ""))[1]

    def add(key: str, message: str) -> None:
        errors.add(message, sheet=META_TITLE, row=meta.get(key, (None,))[0])

    if value(META_KIND) != FORM_KIND:
        add(META_KIND, _("berkas ini bukan formulir realisasi Renaksi."))
        errors.raise_if_any()
    if value(META_FORMAT) != str(FORM_FORMAT):
        add(
            META_FORMAT,
            _("formulir ini dibuat dengan susunan kolom lama; unduh formulir baru."),
        )
    if value(META_INSTANSI) != rencana.instansi.kode:
        add(
            META_INSTANSI,
            _('formulir ini milik instansi "%(found)s", bukan instansi Anda ("%(kode)s").')
            % {"found": value(META_INSTANSI), "kode": rencana.instansi.kode},
        )
    if value(META_TAHUN) != str(rencana.tahun):
        add(
            META_TAHUN,
            _("formulir ini untuk tahun %(found)s, bukan tahun %(tahun)s.")
            % {"found": value(META_TAHUN) or "?", "tahun": rencana.tahun},
        )
    if value(META_TRIWULAN) != str(triwulan):
        add(
            META_TRIWULAN,
            _(
                "formulir ini untuk TW %(found)s, bukan TW %(n)d. Unggah di halaman TW "
                "%(found)s, atau unduh formulir TW %(n)d."
            )
            % {"found": value(META_TRIWULAN) or "?", "n": triwulan},
        )
    header_row = value(META_HEADER_ROW)
    if not HEADER_ROW_RE.fullmatch(header_row) or not 1 <= int(header_row) <= 100:
        add(META_HEADER_ROW, _("letak baris judul kolom tidak terbaca; unduh formulir baru."))
    errors.raise_if_any()
    return int(header_row)


def _accepted_titles(triwulan: int) -> dict[str, set[str]]:
    """Each column's header in every language of the site.

    The form may be downloaded in one language and uploaded in another: the header was written
    in the language active at download time, which the file does not record.
    """
    accepted: dict[str, set[str]] = {key: {title} for key, title in column_titles(triwulan).items()}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for key, title in column_titles(triwulan).items():
                accepted[key].add(title)
    return accepted


def _check_header(sheet, header_row: int, triwulan: int) -> None:
    titles = column_titles(triwulan)
    accepted = _accepted_titles(triwulan)
    found = next(
        sheet.iter_rows(
            min_row=header_row, max_row=header_row, max_col=len(FORM_COLUMNS), values_only=True
        ),
        (),
    )
    found = list(found) + [None] * (len(FORM_COLUMNS) - len(found))
    errors = _Errors(titles)
    for column, text in zip(FORM_COLUMNS, found, strict=True):
        expected = titles[column.key]
        if str(text or "").strip() not in accepted[column.key]:
            errors.add(
                _(
                    'judul kolom "%(expected)s" diharapkan, tertulis "%(found)s". Susunan kolom '
                    "formulir tidak boleh diubah."
                )
                % {"expected": expected, "found": str(text or "").strip()},
                row=header_row,
                column=column,
            )
    errors.raise_if_any()


# -- cell values --------------------------------------------------------------------------------


def _is_percent_format(number_format: str | None) -> bool:
    # A real percent format ("0%", "0.0%") shows a stored 0.265 as "26.5%"; a "%" inside quotes
    # or escaped is a literal sign and scales nothing.
    if not number_format:
        return False
    plain = re.sub(r'"[^"]*"|\\.', "", number_format)
    return "%" in plain


def _shorten(text: str, limit: int) -> str:
    """``text`` as quoted back in a message: at most ``limit`` characters and an ellipsis."""
    return text if len(text) <= limit else text[:limit] + "…"


def _parse_nilai(cell) -> Decimal | None:
    """The realisation typed in ``cell``: a number, or text like "26,5", "26.5" or "26,5%".

    Raises ValueError with the message to show.
    """
    value = cell.value
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if cell.data_type == "f":
        raise ValueError(_("berisi rumus %(f)s; ketik nilainya saja.") % {"f": value})
    if cell.data_type == "e":
        raise ValueError(_("berisi galat Excel %(e)s; ketik angka.") % {"e": value})
    if isinstance(value, bool):
        raise ValueError(_("harus berupa angka, bukan %(v)s.") % {"v": value})
    if isinstance(value, datetime | date | time):
        raise ValueError(
            _(
                "terbaca sebagai tanggal/jam oleh Excel; ketik angka dengan koma desimal "
                "(misalnya 26,5) atau ubah format sel menjadi Angka."
            )
        )
    if isinstance(value, int | float):
        number = Decimal(str(value))
        if _is_percent_format(cell.number_format):
            number *= 100  # the user saw "26.5%" and means 26.5
    else:
        try:
            # The page's rule (``numbers.number_parse``); the cell was not empty.
            number = number_parse(str(value))
        except AmbiguousNumber as error:
            raise ValueError(ambiguous_message(str(error))) from None
        except ValueError:
            raise ValueError(
                _('"%(v)s" bukan angka; tulis misalnya 26,5 atau 26.5.')
                % {"v": _shorten(str(value), VALUE_SHOWN_MAX)}
            ) from None
    if not number.is_finite():
        raise ValueError(_("harus berupa angka."))
    # Checked before any arithmetic: a number of 30 digits overflows the decimal context.
    if number.copy_abs() > services.MAX_NILAI:
        raise ValueError(_("Realisasi terlalu besar."))
    # The rule of the page: at most two decimals, refused rather than rounded.
    if more_than_two_decimals(number):
        raise ValueError(_("Realisasi paling banyak dua angka di belakang koma."))
    try:
        return number.quantize(TWO_PLACES) if number.as_tuple().exponent < -2 else number
    except DecimalException:  # not expected below MAX_NILAI; never a 500
        raise ValueError(_("Realisasi terlalu besar.")) from None


def _parse_text(cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if cell.data_type == "f":
        raise ValueError(_("berisi rumus; ketik teksnya saja."))
    if isinstance(value, datetime):
        value = value.date() if value.time() == time() else value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    # As the page stores it, so a form uploaded untouched shows no change.
    return services.teks_normalize(str(value))


def _parse_versi(cell) -> int:
    value = cell.value
    if value is None or value == "":
        return 0
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        result = value
    elif isinstance(value, float) and value.is_integer():
        result = int(value)
    elif isinstance(value, str) and value.strip().isdigit():
        result = int(value.strip())
    else:
        raise ValueError
    if result < 0:
        raise ValueError
    return result


# -- rows ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Parsed:
    baris: int
    row: EntryRow
    item: RealisasiInput


def formulir_read(
    data: bytes, *, rencana: RencanaAksi, triwulan: int, profile: Profile
) -> Pratinjau:
    """Read and check the whole form; return the preview or raise ``FormulirInvalid``.

    ``rencana.instansi`` must be loaded. Runs the queries of ``selectors.entry_rows`` plus, only
    when the file names rows the user may not edit, three to name those rows.
    """
    workbook = _open(data)
    try:
        header_row = _check_layout(workbook, rencana=rencana, triwulan=triwulan)
        sheet = workbook[SHEET_TITLE]
        _check_header(sheet, header_row, triwulan)
        rows = selectors.entry_rows(rencana=rencana, profile=profile, with_bukti=False)
        parsed = _read_rows(sheet, header_row, rows, rencana, triwulan)
    finally:
        workbook.close()
    changes: list[Perubahan] = []
    unchanged = 0
    for entry in parsed:
        stored = entry.row.current(triwulan)
        item = entry.item
        if item.same_as(stored):
            unchanged += 1
            continue
        if stored is None:
            conflict = item.versi != 0  # the row the user saw was deleted since
        else:
            conflict = item.versi_expected(stored) != stored.versi
        changes.append(Perubahan(entry.baris, entry.row, stored, item, conflict))
    return Pratinjau(changes=changes, unchanged=unchanged)


def _read_rows(
    sheet, header_row: int, rows: list[EntryRow], rencana: RencanaAksi, triwulan: int
) -> list[_Parsed]:
    errors = _Errors(column_titles(triwulan))
    by_key = {row.key: row for row in rows if row.can_edit}
    seen: dict[str, int] = {}
    parsed: list[_Parsed] = []
    refused: list[tuple[int, str]] = []  # rows of the plan the user may not edit, named later
    positions = {column.key: index for index, column in enumerate(FORM_COLUMNS)}
    if sheet.max_row - header_row > MAX_ROWS:
        # Checked before iterating: iter_rows creates every cell up to max_row.
        errors.add(
            _("terlalu banyak baris (lebih dari %(n)d baris data).") % {"n": MAX_ROWS},
            row=sheet.max_row,
        )
        errors.raise_if_any()
    for number, cells in enumerate(
        sheet.iter_rows(min_row=header_row + 1, max_col=len(FORM_COLUMNS)),
        start=header_row + 1,
    ):

        def cell(key: str, cells=cells):
            return cells[positions[key]]

        key_cell = cell("kunci")
        key = str(key_cell.value).strip() if key_cell.value is not None else ""
        filled = any(not _blank(cell(name).value) for name in FILL_KEYS)
        if not key:
            if filled:
                errors.add(
                    _(
                        "KUNCI kosong padahal kolom isian terisi. Salin baris dari formulir yang "
                        "diunduh, jangan menambah baris sendiri."
                    ),
                    row=number,
                    column=COLUMN["kunci"],
                )
            continue
        if not KEY_RE.fullmatch(key):
            shown = _shorten(key, KEY_SHOWN_MAX)
            errors.add(
                _('KUNCI "%(key)s" tidak dikenal. Jangan mengubah kolom ini.') % {"key": shown},
                row=number,
                column=COLUMN["kunci"],
            )
            continue
        if key in seen:
            errors.add(
                _("KUNCI %(key)s ganda: sudah ada di baris %(first)d.")
                % {"key": key, "first": seen[key]},
                row=number,
                column=COLUMN["kunci"],
            )
            continue
        seen[key] = number
        row = by_key.get(key)
        if row is None:
            refused.append((number, key))
            continue
        try:
            versi = _parse_versi(cell("versi"))
        except ValueError:
            errors.add(
                _("VERSI harus bilangan bulat; jangan mengubah kolom ini."),
                row=number,
                column=COLUMN["versi"],
            )
            versi = 0
        try:
            nilai = _parse_nilai(cell("realisasi"))
            services.nilai_validate(row.indikator, nilai)
        except ValueError as exc:
            errors.add(str(exc), row=number, column=COLUMN["realisasi"])
            nilai = None
        except ValidationError as exc:
            errors.add(" ".join(exc.messages), row=number, column=COLUMN["realisasi"])
            nilai = None
        texts = {}
        for name in TEXT_COLUMNS:
            try:
                texts[name] = _parse_text(cell(name))
                _text_validate(name, texts[name])
            except ValueError as exc:
                errors.add(str(exc), row=number, column=COLUMN[name])
                texts[name] = ""
            except ValidationError as exc:
                errors.add(" ".join(exc.messages), row=number, column=COLUMN[name])
                texts[name] = ""
        parsed.append(_Parsed(number, row, RealisasiInput(key, nilai, versi=versi, **texts)))
    if refused:
        _name_refused(errors, refused, rencana)
    errors.raise_if_any()
    return parsed


def _text_labels() -> dict[str, str]:
    return {"ket": _("Keterangan"), "kendala": _("Kendala"), "tindak_lanjut": _("Tindak lanjut")}


def _text_validate(name: str, text: str) -> None:
    """The page's rules for a note (``services.teks_validate``): ValidationError if broken."""
    services.teks_validate(_text_labels()[name], text)


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _name_refused(errors: _Errors, refused: list[tuple[int, str]], rencana: RencanaAksi) -> None:
    """Say for each refused row whether it is another bidang's, a sasaran row, or not ours."""
    found = services.indikator_by_key(rencana=rencana, keys=[key for _row, key in refused])
    bidang = {}
    if any(isinstance(found.get(key), SubKegiatan) for _row, key in refused):
        bidang = dict(
            Bidang.objects.filter(instansi_id=rencana.instansi_id).values_list("pk", "nama")
        )
    for number, key in refused:
        indikator = found.get(key)
        column = COLUMN["kunci"]
        if indikator is None:
            message = _("baris %(key)s bukan bagian rencana aksi %(tahun)s instansi ini.") % {
                "key": key,
                "tahun": rencana.tahun,
            }
        elif isinstance(indikator, SubKegiatan):
            message = _(
                'baris %(key)s "%(uraian)s" milik %(bidang)s; Anda tidak berhak mengisinya. '
                "Hapus baris ini atau minta staf bidang tersebut mengisinya."
            ) % {
                "key": key,
                "uraian": indikator.uraian,
                "bidang": bidang.get(indikator.bidang_id, "?"),
            }
        else:
            message = _(
                'baris %(key)s (indikator sasaran "%(indikator)s") hanya dapat diisi admin.'
            ) % {"key": key, "indikator": indikator.indikator}
        errors.add(message, row=number, column=column)


# -- the signed payload between preview and confirmation ---------------------------------------


def inputs_sign(inputs: list[RealisasiInput], *, rencana: RencanaAksi, triwulan: int, user) -> str:
    """The inputs of a preview as a signed string for a hidden form field."""
    return signing.dumps(
        {
            "rencana": rencana.pk,
            "triwulan": triwulan,
            "user": user.pk,
            "rows": [
                [
                    item.key,
                    None if item.nilai is None else str(item.nilai),
                    item.ket,
                    item.kendala,
                    item.tindak_lanjut,
                    item.versi,
                ]
                for item in inputs
            ],
        },
        salt=PAYLOAD_SALT,
        compress=True,
    )


def inputs_unsign(token: str, *, rencana: RencanaAksi, triwulan: int, user) -> list[RealisasiInput]:
    """The inputs signed by ``inputs_sign`` for this plan, quarter and user, or FormulirInvalid."""
    try:
        payload = signing.loads(token, salt=PAYLOAD_SALT, max_age=PAYLOAD_MAX_AGE)
    except signing.SignatureExpired:
        _refuse(_("Pratinjau sudah kedaluwarsa. Unggah formulir sekali lagi."))
    except signing.BadSignature:
        _refuse(_("Data pratinjau tidak sah (telah diubah). Unggah formulir sekali lagi."))
    if (payload.get("rencana"), payload.get("triwulan"), payload.get("user")) != (
        rencana.pk,
        triwulan,
        user.pk,
    ):
        _refuse(_("Data pratinjau ini bukan untuk halaman ini. Unggah formulir sekali lagi."))
    return [
        RealisasiInput(
            key=key,
            nilai=None if nilai is None else Decimal(nilai),
            ket=ket,
            kendala=kendala,
            tindak_lanjut=tindak_lanjut,
            versi=versi,
        )
        for key, nilai, ket, kendala, tindak_lanjut, versi in payload["rows"]
    ]


def conflict_changes(
    exc: RealisasiConflict,
    *,
    inputs: list[RealisasiInput],
    rencana: RencanaAksi,
    profile: Profile,
) -> list[Perubahan]:
    """The rows of a failed save, as preview rows showing what is stored now."""
    found = selectors.entry_rows(rencana=rencana, profile=profile, with_bukti=False)
    rows = {row.key: row for row in found}
    mine = {item.key: item for item in inputs}
    return [
        Perubahan(
            None,
            rows[conflict.key],
            conflict.stored if conflict.stored.pk else None,
            mine[conflict.key],
            True,
        )
        for conflict in exc.conflicts
        if conflict.key in rows and conflict.key in mine
    ]

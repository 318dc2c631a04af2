"""Reading an uploaded realisation form: validate all of it, then say what would change.

``formulir_read`` opens the bytes of a form written by ``formulir.write``, checks that it is
that form for this agency, year and quarter, reads every row, and returns a ``Pratinjau``: the
rows whose values differ from what is stored now (old → new), how many are unchanged, and which
of the changed rows were saved by someone else since the form was downloaded (their stored
version differs from the VERSI in the file). Nothing is written here: saving goes through
``services.realisasi_save_many`` with the inputs of the preview (``formulir.payload``).

Any fault raises ``FormulirInvalid`` with every message found (up to ``MAX_ERRORS``), each naming
the sheet, row and column, so a user can mend the whole file in one go.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renaksi import selectors, services, spreadsheets
from renaksi.formulir.cells import (
    keuangan_of_cell,
    nilai_of_cell,
    shorten,
    text_of_cell,
    versi_of_cell,
)
from renaksi.formulir.errors import Errors, refuse
from renaksi.formulir.preview import Perubahan, Pratinjau
from renaksi.formulir.spec import (
    COLUMN,
    FILL_KEYS,
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
    NOTE_COLUMNS,
    SHEET_TITLE,
    column_titles,
)
from renaksi.models import CATATAN, Bidang, Profile, RencanaAksi, SubKegiatan
from renaksi.selectors import EntryRow
from renaksi.services import RealisasiInput

MAX_BYTES = 5 * 1024 * 1024
# A 5 MB zip can unpack to gigabytes; a real form of 2,000 rows unpacks to about 2 MB.
MAX_UNPACKED_BYTES = 30 * 1024 * 1024
MAX_ROWS = 50_000
# A form of MAX_ROWS rows has 700,000 cells; its sheet XML about 15 MB.
MAX_CELLS = 1_000_000
MAX_SHEET_XML_BYTES = 25 * 1024 * 1024

# The row keys the form writes. At most 18 digits: a longer id is no row of ours and would not
# fit the database's integer (selectors.indikator_by_key would overflow on it).
KEY_RE = re.compile(r"(sub|ind)-[0-9]{1,18}")
HEADER_ROW_RE = re.compile(r"[0-9]{1,3}")  # ASCII only: "²" is a digit to str.isdigit
KEY_SHOWN_MAX = 40  # characters of an unknown key quoted back in a message


# -- opening the file ---------------------------------------------------------------------------

UPLOAD = spreadsheets.Kind(
    max_bytes=MAX_BYTES,
    max_unpacked_bytes=MAX_UNPACKED_BYTES,
    max_cells=MAX_CELLS,
    max_sheet_xml_bytes=MAX_SHEET_XML_BYTES,
    what=gettext_lazy("formulir realisasi"),
    again=gettext_lazy("Unduh formulir lagi dari Renaksi."),
)


def _open(data: bytes):
    """The workbook, or FormulirInvalid saying why the bytes are not a readable XLSX."""
    return spreadsheets.workbook_open(data, UPLOAD)


_damage_refused = spreadsheets.damage_refused


def _check_layout(workbook, *, rencana: RencanaAksi, triwulan: int) -> int:
    """Check the form kind, agency, year and quarter; return the header row."""
    names = workbook.sheetnames
    if SHEET_TITLE not in names or META_TITLE not in names:
        refuse(
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
    errors = Errors()

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
    errors = Errors(titles)
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
        with _damage_refused():
            header_row = _check_layout(workbook, rencana=rencana, triwulan=triwulan)
            sheet = workbook[SHEET_TITLE]
            _check_header(sheet, header_row, triwulan)
        rows = selectors.entry_rows(rencana=rencana, profile=profile, with_bukti=False)
        with _damage_refused():
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
    errors = Errors(column_titles(triwulan))
    by_key = {row.key: row for row in rows if row.can_edit}
    seen: dict[str, int] = {}
    parsed: list[_Parsed] = []
    refused: list[tuple[int, str]] = []  # rows of the plan the user may not edit, named later
    positions = {column.key: index for index, column in enumerate(FORM_COLUMNS)}
    too_many = _("terlalu banyak baris (lebih dari %(n)d baris data).") % {"n": MAX_ROWS}
    if (sheet.max_row or 0) - header_row > MAX_ROWS:
        # The declared size, before reading any row.
        errors.add(too_many, row=sheet.max_row)
        errors.raise_if_any()
    for number, cells in enumerate(
        sheet.iter_rows(min_row=header_row + 1, max_col=len(FORM_COLUMNS)),
        start=header_row + 1,
    ):
        if number - header_row > MAX_ROWS:
            # A sheet that declares no size (or a wrong one) is cut short all the same.
            errors.add(too_many, row=number)
            errors.raise_if_any()

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
            shown = shorten(key, KEY_SHOWN_MAX)
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
            versi = versi_of_cell(cell("versi"))
        except ValueError:
            errors.add(
                _("VERSI harus bilangan bulat; jangan mengubah kolom ini."),
                row=number,
                column=COLUMN["versi"],
            )
            versi = 0
        nilai = _checked(
            errors,
            number,
            "realisasi",
            cell("realisasi"),
            parse=nilai_of_cell,
            indikator=row.indikator,
            validate=services.nilai_validate,
        )
        rupiah = _checked(
            errors,
            number,
            "keuangan",
            cell("keuangan"),
            parse=keuangan_of_cell,
            indikator=row.indikator,
            validate=services.keuangan_validate,
        )
        texts = {}
        for name in NOTE_COLUMNS:
            try:
                texts[name] = text_of_cell(cell(name))
                services.teks_validate(str(CATATAN[name]), texts[name])
            except ValueError as exc:
                errors.add(str(exc), row=number, column=COLUMN[name])
                texts[name] = ""
            except ValidationError as exc:
                errors.add(" ".join(exc.messages), row=number, column=COLUMN[name])
                texts[name] = ""
        parsed.append(
            _Parsed(number, row, RealisasiInput(key, nilai, keuangan=rupiah, versi=versi, **texts))
        )
    if refused:
        _name_refused(errors, refused, rencana)
    errors.raise_if_any()
    return parsed


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _name_refused(errors: Errors, refused: list[tuple[int, str]], rencana: RencanaAksi) -> None:
    """Say for each refused row whether it is another bidang's, a sasaran row, or not ours."""
    found = selectors.indikator_by_key(rencana=rencana, keys=[key for _row, key in refused])
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


def _checked(errors, number: int, column: str, value, *, indikator, parse, validate):
    """A figure cell read and checked by the page's rules; None, with its error noted, if not."""
    try:
        parsed = parse(value)
        validate(indikator, parsed)
    except ValueError as exc:
        errors.add(str(exc), row=number, column=COLUMN[column])
    except ValidationError as exc:
        errors.add(" ".join(exc.messages), row=number, column=COLUMN[column])
    else:
        return parsed
    return None

"""Reading an uploaded Rencana Aksi: check all of it, then return the plan as ``RencanaData``.

``rencana_read`` opens the bytes through ``spreadsheets.workbook_open`` (size, zip, macros and
cell counts checked on the XML before openpyxl loads anything; read-only mode), then reads

- the Data sheet of a Renaksi export or template (``spec``): every field, or
- a sheet in the printed layout only, as agencies keep it (``printed``), whose missing fields
  (bidang, direction, method) get defaults the admin reviews in the preview.

Any fault raises ``FileRefused`` with every message found (up to ``MAX_ERRORS``), each naming
sheet, row and column. Quarterly targets of a cumulative percentage row that do not add up to
100 are warnings, which the admin may accept. Nothing here touches the database: the agency's
bidang names come in as ``bidang``.
"""

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.utils import get_column_letter

from renaksi import keuangan, spreadsheets
from renaksi.formulir.errors import Errors
from renaksi.models import MetodeCapaian, satuan_is_percent
from renaksi.nip import normalize_nip, validate_nip
from renaksi.numbers import AmbiguousNumber, ambiguous_message, format_number, number_parse
from renaksi.rencana_import import spec
from renaksi.spreadsheets import refuse

MAX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_ROWS = 20_000  # Data rows; a 2,000-row plan has about 2,100
# The printed sheet of a 2,000-row plan holds about 110,000 cells, its Data sheet 45,000.
MAX_CELLS = 1_000_000
MAX_SHEET_XML_BYTES = 40 * 1024 * 1024
MAX_TEXT = 4000  # characters of one text cell
MAX_URUTAN = 32767  # PositiveSmallIntegerField
MAX_TARGET = Decimal("9999999999.99")  # max_digits=12, decimal_places=2
HEADER_SCAN_ROWS = 40
SATUAN_MAX = 50
SHOWN_MAX = 40

UPLOAD = spreadsheets.Kind(
    max_bytes=MAX_BYTES,
    max_unpacked_bytes=MAX_UNPACKED_BYTES,
    max_cells=MAX_CELLS,
    max_sheet_xml_bytes=MAX_SHEET_XML_BYTES,
    what=gettext_lazy("berkas rencana aksi"),
    again=gettext_lazy("Unduh templat atau ekspor XLSX rencana aksi dari Renaksi."),
)

# Words of the forms agencies fill for other reports: an upload that shows them and none of our
# layouts is named for what it looks like.
EVALUATION_WORDS = re.compile(r"evaluasi|realisasi|rkpd|renja|capaian kinerja", re.IGNORECASE)


@dataclass
class Hasil:
    """What an upload holds: the plan, the warnings the admin may accept, and its layout."""

    data: spec.RencanaData
    warnings: list[str] = field(default_factory=list)
    printed: bool = False  # read from the printed layout only: defaults to review
    instansi: str = ""  # the agency and year the file names (informative only)
    tahun: int | None = None


@dataclass(frozen=True)
class _Col:
    """Where a column is, in the shape ``Errors.add`` names it."""

    key: str
    letter: str


def rencana_read(data: bytes, *, bidang: list[str], bidang_pilihan: dict | None = None) -> Hasil:
    """Check the whole file and read the plan, or raise ``FileRefused``.

    ``bidang`` are the agency's bidang names (matched without regard to case).
    ``bidang_pilihan`` (printed layout only) maps "NO.sub" to the bidang chosen in the preview.
    """
    from renaksi.rencana_import import printed  # printed reuses this module's cell readers

    workbook = spreadsheets.workbook_open(data, UPLOAD)
    try:
        with spreadsheets.damage_refused():
            data_sheet = None
            if spec.DATA_SHEET in workbook.sheetnames:
                data_sheet = _DataReader(workbook[spec.DATA_SHEET], bidang)
                if not data_sheet.empty():
                    return data_sheet.read()
            for sheet in workbook.worksheets:
                header = printed.find_header(sheet)
                if header is not None and (data_sheet is None or printed.has_rows(sheet, header)):
                    return printed.read_printed(sheet, header, bidang, bidang_pilihan or {})
            if data_sheet is not None:
                # The untouched template (or an export emptied): say so, not every empty key.
                refuse(
                    _(
                        'Berkas ini belum berisi baris rencana aksi: lembar "%(data)s" kosong di '
                        "bawah judul tabel, dan tabel tercetak juga kosong. Isi satu baris per "
                        "indikator sasaran, program dan sub kegiatan (lihat contoh di lembar "
                        '"%(petunjuk)s"), isi data penandatangan, lalu unggah lagi.'
                    )
                    % {"data": spec.DATA_SHEET, "petunjuk": spec.PETUNJUK_SHEET}
                )
            _refuse_foreign(workbook)
    finally:
        workbook.close()


def _refuse_foreign(workbook) -> None:
    names = ", ".join(f'"{name}"' for name in workbook.sheetnames)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(min_row=1, max_row=15, max_col=40, values_only=True):
            for value in row:
                if isinstance(value, str) and EVALUATION_WORDS.search(value):
                    refuse(
                        _(
                            "Berkas ini tampaknya formulir evaluasi atau laporan realisasi "
                            '(lembar "%(sheet)s": "%(text)s"), bukan Rencana Aksi. Unggah '
                            "ekspor XLSX rencana aksi dari Renaksi, templat yang sudah diisi, "
                            "atau tabel rencana aksi tercetak (kolom NO, SASARAN, PROGRAM, "
                            "KEGIATAN, SUB KEGIATAN, TARGET)."
                        )
                        % {"sheet": sheet.title, "text": _shorten(value.strip())}
                    )
    refuse(
        _(
            'Berkas ini bukan rencana aksi Renaksi: tidak ada lembar "%(data)s" dan tidak ada '
            "tabel rencana aksi tercetak (lembar dalam berkas: %(names)s). Unduh templat dari "
            "Renaksi, isi, lalu unggah berkas itu."
        )
        % {"data": spec.DATA_SHEET, "names": names}
    )


def _shorten(text: str) -> str:
    return text if len(text) <= SHOWN_MAX else text[:SHOWN_MAX] + "…"


# --- cells -------------------------------------------------------------------------------------


def cell_text(value, data_type: str = "s") -> str:
    """A text cell as stored: stripped, line ends as "\\n"; ValueError for a formula."""
    if value is None:
        return ""
    if data_type == "f":
        raise ValueError(_("berisi rumus; ketik teksnya saja."))
    if isinstance(value, datetime):
        value = value.date() if value.time() == time() else value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(text) > MAX_TEXT:
        raise ValueError(
            _("teks terlalu panjang (%(n)d karakter; paling banyak %(max)d).")
            % {"n": len(text), "max": MAX_TEXT}
        )
    return text


def cell_int(value, data_type: str = "n") -> int | None:
    """A whole number 1–32767 (a NO, an urutan); None when empty; ValueError otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if data_type == "f":
        raise ValueError(_("berisi rumus; ketik angkanya saja."))
    number = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and re.fullmatch(r"[0-9]{1,6}\.?", value.strip()):
        number = int(value.strip().rstrip("."))
    if number is None or not 1 <= number <= MAX_URUTAN:
        raise ValueError(
            _('"%(v)s" bukan nomor urut (bilangan bulat 1 sampai %(max)d).')
            % {"v": _shorten(str(value)), "max": MAX_URUTAN}
        )
    return number


def cell_target(value, data_type: str = "n", *, persen: bool) -> Decimal | None:
    """A quarterly target: a number ≥ 0 (0–100 in percent), None for empty or "-"."""
    if value is None or (isinstance(value, str) and value.strip() in ("", "-", "–", "—")):
        return None
    if data_type == "f":
        raise ValueError(_("berisi rumus %(f)s; ketik nilainya saja.") % {"f": _shorten(value)})
    if data_type == "e":
        raise ValueError(_("berisi galat Excel %(e)s; ketik angka.") % {"e": value})
    if isinstance(value, bool | datetime | date | time):
        raise ValueError(_("target harus berupa angka, bukan %(v)s.") % {"v": value})
    if isinstance(value, int | float):
        number = Decimal(str(value))
    else:
        try:
            number = number_parse(str(value))
        except AmbiguousNumber as error:
            raise ValueError(ambiguous_message(str(error))) from None
        except (ValueError, InvalidOperation):
            raise ValueError(
                _('target "%(v)s" bukan angka; tulis misalnya 25, 26,5 atau "-" (tanpa target).')
                % {"v": _shorten(str(value))}
            ) from None
        if number is None:
            return None
    if not number.is_finite():
        raise ValueError(_("target harus berupa angka."))
    if number < 0:
        raise ValueError(_("target tidak boleh negatif."))
    if number > MAX_TARGET:
        raise ValueError(_("target terlalu besar."))
    if number != number.quantize(Decimal("0.01")):
        raise ValueError(_("target paling banyak dua angka di belakang koma."))
    if persen and number > 100:
        raise ValueError(
            _("target dalam persen harus antara 0 dan 100 (tertulis %(v)s).")
            % {"v": format_number(number)}
        )
    return number


def cell_rupiah(value, data_type: str = "n") -> int | None:
    """Whole rupiah (a pagu, an anggaran kas), read as the entry page and the realisation form
    read them (``keuangan.rupiah_from_cell``); None for empty or "-"."""
    if value is None or (isinstance(value, str) and value.strip() in ("", "-", "–", "—")):
        return None
    if data_type == "f":
        raise ValueError(_("berisi rumus %(f)s; ketik nilainya saja.") % {"f": _shorten(value)})
    if data_type == "e":
        raise ValueError(_("berisi galat Excel %(e)s; ketik angka.") % {"e": value})
    if isinstance(value, datetime | date | time):
        raise ValueError(_("rupiah harus berupa angka, bukan tanggal."))
    try:
        return keuangan.rupiah_from_cell(value)
    except keuangan.RupiahRefused as refused:
        if refused.code == "invalid":
            raise ValueError(
                _('"%(v)s" bukan angka rupiah; tulis misalnya 1250000 atau 1.250.000.')
                % {"v": _shorten(str(value))}
            ) from None
        raise ValueError(str(refused)) from None


def kas_warning(anggaran: spec.Anggaran) -> str | None:
    """Anggaran kas TW 1–4 that do not add up to the pagu, said so (a warning: kas may be set
    for some quarters only, or the pagu revised)."""
    given = [kas for kas in anggaran.kas if kas is not None]
    if anggaran.pagu is None or not given or sum(given) == anggaran.pagu:
        return None
    return _(
        "anggaran kas TW 1–4 berjumlah Rp %(kas)s, tidak sama dengan pagu Rp %(pagu)s. "
        "Periksa, atau terima bila memang demikian."
    ) % {"kas": keuangan.format_rupiah(sum(given)), "pagu": keuangan.format_rupiah(anggaran.pagu)}


def sum_warning(ukuran: spec.Ukuran) -> str | None:
    """A cumulative percentage row whose quarterly targets do not add up to 100, said so."""
    given = [t for t in ukuran.targets if t is not None]
    if not ukuran.persen or ukuran.metode != MetodeCapaian.KUMULATIF or not given:
        return None
    total = sum(given)
    if total == 100:
        return None
    return _(
        "target TW 1–4 berjumlah %(total)s%%, bukan 100%% (indikator kumulatif dalam persen). "
        "Periksa, atau terima bila memang demikian."
    ) % {"total": format_number(total)}


def bidang_match(name: str, bidang: list[str]) -> str | None:
    wanted = " ".join(name.split()).casefold()
    return next((b for b in bidang if " ".join(b.split()).casefold() == wanted), None)


def penandatangan_check(values: dict[str, str], errors_add) -> spec.Penandatangan | None:
    """The signatory from its key → text values; ``errors_add(key, message)`` for a fault."""
    ok = True
    for key, limit in (("tempat", 100), ("jabatan", 255), ("nama", 255), ("pangkat", 100)):
        if not values.get(key):
            errors_add(key, _("wajib diisi."))
            ok = False
        elif len(values[key]) > limit:
            errors_add(key, _("paling banyak %(n)d karakter.") % {"n": limit})
            ok = False
    bulan = tahun = None
    try:
        bulan = cell_int(values.get("bulan"), "s")
        if bulan is None or bulan > 12:
            raise ValueError
    except ValueError:
        errors_add("bulan", _("bulan penandatanganan harus angka 1 sampai 12."))
        ok = False
    try:
        tahun = cell_int(values.get("tahun_ttd"), "s")
        if tahun is None or not 2000 <= tahun <= 2100:
            raise ValueError
    except ValueError:
        errors_add("tahun_ttd", _("tahun penandatanganan harus 2000 sampai 2100."))
        ok = False
    nip = normalize_nip(values.get("nip") or "")
    try:
        validate_nip(nip)
    except ValidationError as exc:
        errors_add("nip", " ".join(exc.messages))
        ok = False
    if not ok:
        return None
    return spec.Penandatangan(
        tempat=values["tempat"],
        bulan=bulan,
        tahun=tahun,
        jabatan=values["jabatan"],
        nama=values["nama"],
        pangkat=values["pangkat"],
        nip=nip,
    )


# --- the Data sheet ----------------------------------------------------------------------------


class _DataReader:
    def __init__(self, sheet, bidang: list[str]):
        self.sheet = sheet
        self.bidang = bidang
        self.errors = Errors({c.key: c.title for c in spec.COLUMNS})
        self.warnings: list[str] = []
        self.uang = False  # whether the sheet has the money columns

    def add(self, message: str, *, row=None, column: _Col | None = None) -> None:
        self.errors.add(message, sheet=self.sheet.title, row=row, column=column)

    def empty(self) -> bool:
        """No row under the Data sheet's header holds anything (the keys above may)."""
        _meta, header_row = self._read_meta()
        width = len(spec.COLUMNS) + 5
        for number, row in enumerate(
            self.sheet.iter_rows(min_row=header_row + 1, max_col=width, values_only=True),
            start=1,
        ):
            if any(not _blank(value) for value in row):
                return False
            if number > MAX_ROWS:
                break
        return True

    def read(self) -> Hasil:
        meta, header_row = self._read_meta()
        positions = self._read_header(header_row)
        penandatangan = penandatangan_check(
            {key: meta.get(key, (None, ""))[1] for key in spec.SIGNATORY_KEYS},
            lambda key, message: self.add(
                f"{spec.META[key]}: {message}", row=meta.get(key, (None,))[0]
            ),
        )
        data = replace(self._read_rows(header_row, positions, penandatangan), uang=self.uang)
        tahun = meta.get("tahun", (None, ""))[1]
        return Hasil(
            data=data,
            warnings=self.warnings,
            instansi=meta.get("instansi", (None, ""))[1],
            tahun=int(tahun) if tahun.isdigit() else None,
        )

    def _read_meta(self) -> tuple[dict[str, tuple[int, str]], int]:
        by_title = {title: key for key, title in spec.META.items()}
        meta: dict[str, tuple[int, str]] = {}
        for number, row in enumerate(
            self.sheet.iter_rows(min_row=1, max_row=HEADER_SCAN_ROWS, max_col=2), start=1
        ):
            first = row[0] if row else None
            label = str(first.value).strip() if first is not None and first.value else ""
            if label == spec.HEADER_FIRST:
                return meta, number
            if label in by_title:
                second = row[1] if len(row) > 1 else None
                try:
                    value = "" if second is None else cell_text(second.value, second.data_type)
                except ValueError as exc:
                    self.add(f"{label}: {exc}", row=number, column=_Col("", "B"))
                    value = ""
                meta[by_title[label]] = (number, value)
        self.add(
            _(
                'judul tabel (baris yang diawali "%(first)s") tidak ditemukan dalam %(n)d baris '
                "pertama."
            )
            % {"first": spec.HEADER_FIRST, "n": HEADER_SCAN_ROWS}
        )
        self.errors.raise_if_any()
        raise AssertionError  # unreachable

    def _read_header(self, header_row: int) -> dict[str, int]:
        found = next(
            self.sheet.iter_rows(min_row=header_row, max_row=header_row, values_only=True), ()
        )
        positions: dict[str, int] = {}
        titles = {str(v).strip(): i for i, v in enumerate(found) if v is not None}
        # The money columns came later: a file without any of them reads (money not given); a
        # file with some of them must have them all.
        self.uang = any(spec.BY_KEY[key].title in titles for key in spec.MONEY_KEYS)
        for column in spec.COLUMNS:
            if column.title in titles:
                positions[column.key] = titles[column.title]
            elif not column.optional or (self.uang and column.key in spec.MONEY_KEYS):
                self.add(
                    _(
                        'kolom "%(title)s" tidak ada di baris judul. Susunan kolom templat tidak '
                        "boleh diubah."
                    )
                    % {"title": column.title},
                    row=header_row,
                )
        self.errors.raise_if_any()
        return positions

    def _read_rows(self, header_row, positions, penandatangan) -> spec.RencanaData:
        width = max(positions.values()) + 1
        cols = {key: _Col(key, get_column_letter(index + 1)) for key, index in positions.items()}
        sasaran: dict[int, tuple[int, str]] = {}  # urutan → (row, uraian)
        indikator: dict[tuple[int, int], tuple[int, spec.Ukuran]] = {}
        programs: dict[int, tuple[int, str]] = {}
        kegiatan: dict[int, tuple[int, tuple]] = {}  # NO → (row, (program, sasaran, ind, nama))
        subs: dict[int, dict[int, spec.SubKegiatanData]] = {}
        sub_rows: dict[tuple[int, int], int] = {}
        if (self.sheet.max_row or 0) - header_row > MAX_ROWS:
            self.add(_("terlalu banyak baris (lebih dari %(n)d).") % {"n": MAX_ROWS})
            self.errors.raise_if_any()
        for number, cells in enumerate(
            self.sheet.iter_rows(min_row=header_row + 1, max_col=width), start=header_row + 1
        ):
            if number - header_row > MAX_ROWS:
                self.add(_("terlalu banyak baris (lebih dari %(n)d).") % {"n": MAX_ROWS})
                break
            row = {key: cells[index] for key, index in positions.items() if index < len(cells)}
            if all(_blank(c.value) for c in row.values()):
                continue
            values = self._row_values(number, row, cols)
            if values is None:
                continue
            jenis = values["jenis"]
            if jenis == spec.Jenis.INDIKATOR:
                key = (values["sasaran"], values["indikator_no"])
                if values["sasaran"] in sasaran:
                    first, uraian = sasaran[values["sasaran"]]
                    if uraian != values["sasaran_uraian"]:
                        self.add(
                            _("uraian sasaran %(n)d berbeda dengan baris %(first)d.")
                            % {"n": values["sasaran"], "first": first},
                            row=number,
                            column=cols["sasaran_uraian"],
                        )
                else:
                    sasaran[values["sasaran"]] = (number, values["sasaran_uraian"])
                if key in indikator:
                    self.add(
                        _("indikator %(s)d.%(i)d sudah ada di baris %(first)d.")
                        % {"s": key[0], "i": key[1], "first": indikator[key][0]},
                        row=number,
                        column=cols["indikator_no"],
                    )
                else:
                    indikator[key] = (number, values["ukuran"])
                self._warn(number, values["ukuran"])
            elif jenis == spec.Jenis.PROGRAM:
                if values["program"] in programs:
                    self.add(
                        _("program %(n)d sudah ada di baris %(first)d.")
                        % {"n": values["program"], "first": programs[values["program"]][0]},
                        row=number,
                        column=cols["program"],
                    )
                else:
                    programs[values["program"]] = (number, values["program_nama"])
            else:
                nomor = values["no"]
                block = (
                    values["program"],
                    values["sasaran"],
                    values["indikator_no"],
                    values["kegiatan"],
                )
                if nomor in kegiatan:
                    first, known = kegiatan[nomor]
                    if known != block:
                        self.add(
                            _(
                                "NO %(n)d: program, indikator sasaran atau nama kegiatan "
                                "berbeda dengan baris %(first)d."
                            )
                            % {"n": nomor, "first": first},
                            row=number,
                            column=cols["no"],
                        )
                    elif jenis == spec.Jenis.KEGIATAN:
                        self.add(
                            _("kegiatan NO %(n)d sudah ada di baris %(first)d.")
                            % {"n": nomor, "first": first},
                            row=number,
                            column=cols["no"],
                        )
                else:
                    kegiatan[nomor] = (number, block)
                    subs[nomor] = {}
                if jenis == spec.Jenis.SUB:
                    sub = values["sub"]
                    if sub.urutan in subs[nomor]:
                        self.add(
                            _("sub kegiatan %(n)d.%(s)d sudah ada di baris %(first)d.")
                            % {"n": nomor, "s": sub.urutan, "first": sub_rows[nomor, sub.urutan]},
                            row=number,
                            column=cols["sub_no"],
                        )
                    else:
                        subs[nomor][sub.urutan] = sub
                        sub_rows[nomor, sub.urutan] = number
                    self._warn(number, sub.ukuran)
                    self._warn_message(number, kas_warning(sub.anggaran))
        for nomor, (number, (program, s, i, _nama)) in kegiatan.items():
            if (s, i) not in indikator:
                self.add(
                    _("NO %(n)d merujuk indikator sasaran %(s)d.%(i)d yang tidak ada.")
                    % {"n": nomor, "s": s, "i": i},
                    row=number,
                    column=cols["indikator_no"],
                )
            if program not in programs:
                self.add(
                    _("NO %(n)d merujuk program %(p)d yang tidak ada.")
                    % {"n": nomor, "p": program},
                    row=number,
                    column=cols["program"],
                )
        if not indikator and not kegiatan:
            self.add(_("tidak ada baris rencana aksi di bawah judul tabel."), row=header_row + 1)
        self.errors.raise_if_any()
        return spec.RencanaData(
            penandatangan=penandatangan,
            sasaran=tuple(
                spec.SasaranData(
                    urutan=s,
                    uraian=uraian,
                    indikator=tuple(
                        spec.IndikatorSasaranData(urutan=i, ukuran=indikator[s2, i][1])
                        for s2, i in sorted(indikator)
                        if s2 == s
                    ),
                )
                for s, (_row, uraian) in sorted(sasaran.items())
            ),
            program=tuple(
                spec.ProgramData(urutan=p, nama=nama)
                for p, (_row, nama) in sorted(programs.items())
            ),
            kegiatan=tuple(
                spec.KegiatanData(
                    nomor=nomor,
                    program=block[0],
                    sasaran=block[1],
                    indikator=block[2],
                    nama=block[3],
                    sub_kegiatan=tuple(sub for _u, sub in sorted(subs[nomor].items())),
                )
                for nomor, (_row, block) in sorted(kegiatan.items())
            ),
        )

    def _warn(self, number: int, ukuran: spec.Ukuran) -> None:
        self._warn_message(number, sum_warning(ukuran))

    def _warn_message(self, number: int, warning: str | None) -> None:
        if warning:
            self.warnings.append(
                _('Lembar "%(sheet)s", baris %(row)d: %(msg)s')
                % {"sheet": self.sheet.title, "row": number, "msg": warning}
            )

    def _row_values(self, number: int, row: dict, cols: dict) -> dict | None:
        """The row's fields by key, or None (with the errors added) when any is wrong."""
        before = len(self.errors.messages) + self.errors.dropped
        jenis_cell = row.get("jenis")
        jenis = " ".join(str(jenis_cell.value or "").split()).lower() if jenis_cell else ""
        if jenis not in spec.Jenis.ALL:
            self.add(
                _('JENIS BARIS "%(v)s" tidak dikenal; pilih salah satu: %(all)s.')
                % {"v": _shorten(jenis), "all": ", ".join(spec.Jenis.ALL)},
                row=number,
                column=cols["jenis"],
            )
            return None
        values: dict[str, object] = {"jenis": jenis}
        filled = spec.FILLED[jenis]
        required_text = {"sasaran_uraian", "indikator", "program_nama", "kegiatan", "uraian"}
        for key in filled:
            if key == "jenis" or key in spec.UKURAN_KEYS and key not in ("indikator", "satuan"):
                continue
            if key in spec.MONEY_KEYS:
                values[key] = self._money(key, row.get(key), number, cols)
                continue
            cell = row.get(key)
            value, data_type = (cell.value, cell.data_type) if cell is not None else (None, "n")
            try:
                if spec.BY_KEY[key].number:
                    values[key] = cell_int(value, data_type)
                    if values[key] is None:
                        raise ValueError(_("wajib diisi (nomor urut)."))
                else:
                    values[key] = cell_text(value, data_type)
                    if key in required_text and not values[key]:
                        raise ValueError(_("wajib diisi."))
                    if key == "satuan" and len(values[key]) > SATUAN_MAX:
                        raise ValueError(
                            _("satuan paling banyak %(n)d karakter.") % {"n": SATUAN_MAX}
                        )
            except ValueError as exc:
                self.add(str(exc), row=number, column=cols[key])
        if "indikator" in filled:
            values["ukuran"] = replace(
                self._ukuran(number, row, cols, values),
                target_renstra=values.get("target_renstra"),
                realisasi_lalu=values.get("realisasi_lalu"),
            )
        if jenis == spec.Jenis.SUB and "bidang" in values:
            name = bidang_match(values["bidang"], self.bidang) if values["bidang"] else None
            if name is None:
                self.add(
                    _('bidang "%(v)s" tidak dikenal di instansi ini; pilih salah satu: %(all)s.')
                    % {"v": _shorten(str(values["bidang"])), "all": "; ".join(self.bidang)},
                    row=number,
                    column=cols["bidang"],
                )
            values["bidang"] = name
        if len(self.errors.messages) + self.errors.dropped > before:
            return None
        if jenis == spec.Jenis.SUB:
            values["sub"] = spec.SubKegiatanData(
                urutan=values["sub_no"],
                uraian=values["uraian"],
                ukuran=values["ukuran"],
                bidang=values["bidang"],
                ket=values["ket"],
                anggaran=spec.Anggaran(
                    pagu=values.get("pagu"),
                    kas=tuple(values.get(key) for key in spec.KAS_KEYS),
                    pagu_renstra=values.get("pagu_renstra"),
                    realisasi_lalu_rp=values.get("realisasi_lalu_rp"),
                ),
            )
        return values

    def _money(self, key: str, cell, number: int, cols: dict):
        """A money or Renstra cell: K as a number ≥ 0, Rp as whole rupiah; None when empty."""
        if cell is None:
            return None
        try:
            if key in spec.RENSTRA_KEYS:
                return cell_target(cell.value, cell.data_type, persen=False)
            return cell_rupiah(cell.value, cell.data_type)
        except ValueError as exc:
            self.add(str(exc), row=number, column=cols[key])
            return None

    def _ukuran(self, number, row, cols, values) -> spec.Ukuran | None:
        def text(key):
            cell = row.get(key)
            return " ".join(str(cell.value or "").split()).lower() if cell is not None else ""

        persen_text = text("persen")
        if persen_text not in (spec.YA, spec.TIDAK):
            self.add(
                _('TARGET PERSEN harus "ya" atau "tidak", tertulis "%(v)s".')
                % {"v": _shorten(persen_text)},
                row=number,
                column=cols["persen"],
            )
        persen = persen_text != spec.TIDAK
        if not persen and satuan_is_percent(values.get("satuan", "")):
            # The database refuses a "%" unit on a target that is not in percent.
            self.add(
                _('satuan "%(satuan)s" berarti target dalam persen; isi TARGET PERSEN "ya".')
                % {"satuan": values.get("satuan", "")},
                row=number,
                column=cols["persen"],
            )
        arah, metode = text("arah"), text("metode")
        if arah not in spec.ARAH_CODES:
            self.add(
                _('ARAH harus %(all)s, tertulis "%(v)s".')
                % {"all": " atau ".join(f'"{c}"' for c in spec.ARAH_CODES), "v": _shorten(arah)},
                row=number,
                column=cols["arah"],
            )
        if metode not in spec.METODE_CODES:
            self.add(
                _('METODE CAPAIAN harus %(all)s, tertulis "%(v)s".')
                % {
                    "all": " atau ".join(f'"{c}"' for c in spec.METODE_CODES),
                    "v": _shorten(metode),
                },
                row=number,
                column=cols["metode"],
            )
        bulat_text = text("bulat")
        if bulat_text not in ("", spec.YA, spec.TIDAK):
            self.add(
                _('BILANGAN BULAT harus "ya", "tidak" atau kosong, tertulis "%(v)s".')
                % {"v": _shorten(bulat_text)},
                row=number,
                column=cols["bulat"],
            )
        targets = []
        for key in spec.TARGET_KEYS:
            cell = row.get(key)
            try:
                targets.append(
                    cell_target(cell.value, cell.data_type, persen=persen)
                    if cell is not None
                    else None
                )
            except ValueError as exc:
                self.add(str(exc), row=number, column=cols[key])
                targets.append(None)
        return spec.Ukuran(
            indikator=values.get("indikator", ""),
            satuan=values.get("satuan", ""),
            persen=persen,
            arah=arah,
            metode=metode,
            targets=tuple(targets),
            bulat=bulat_text == spec.YA,
        )


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --- the rules on a whole plan (import and publish) ------------------------------------------


def rencana_problems(data: spec.RencanaData, *, for_publish: bool = False) -> list[str]:
    """What keeps ``data`` from being imported (or published): each fault, naming its row."""
    problems: list[str] = []
    if data.penandatangan is None:
        return [_("Penandatangan belum lengkap.")]
    try:
        validate_nip(data.penandatangan.nip)
    except ValidationError as exc:
        problems.append(_("NIP penandatangan: %(msg)s") % {"msg": " ".join(exc.messages)})

    def ukuran_problems(where: str, u: spec.Ukuran) -> None:
        if not u.indikator.strip():
            problems.append(_("%(where)s: indikator kinerja wajib diisi.") % {"where": where})
        if not u.persen and satuan_is_percent(u.satuan):
            problems.append(
                _("%(where)s: satuan «%(satuan)s» berarti target dalam persen.")
                % {"where": where, "satuan": u.satuan}
            )
        for q, t in enumerate(u.targets, start=1):
            if t is not None and (t < 0 or (u.persen and t > 100)):
                problems.append(
                    _("%(where)s: target TW %(q)d harus antara 0 dan 100.")
                    % {"where": where, "q": q}
                )

    indikator = set()
    for s in data.sasaran:
        if not s.uraian.strip():
            problems.append(_("Sasaran %(n)d: uraian wajib diisi.") % {"n": s.urutan})
        for i in s.indikator:
            indikator.add((s.urutan, i.urutan))
            where = _("Indikator sasaran %(s)d.%(i)d") % {"s": s.urutan, "i": i.urutan}
            ukuran_problems(where, i.ukuran)
    programs = {p.urutan for p in data.program}
    for p in data.program:
        if not p.nama.strip():
            problems.append(_("Program %(n)d: nama wajib diisi.") % {"n": p.urutan})
    for k in data.kegiatan:
        if not k.nama.strip():
            problems.append(_("NO %(n)d: nama kegiatan wajib diisi.") % {"n": k.nomor})
        if (k.sasaran, k.indikator) not in indikator:
            problems.append(
                _("NO %(n)d merujuk indikator sasaran %(s)d.%(i)d yang tidak ada.")
                % {"n": k.nomor, "s": k.sasaran, "i": k.indikator}
            )
        if k.program not in programs:
            problems.append(
                _("NO %(n)d merujuk program %(p)d yang tidak ada.") % {"n": k.nomor, "p": k.program}
            )
        for sub in k.sub_kegiatan:
            where = _("Sub kegiatan %(n)d.%(s)d") % {"n": k.nomor, "s": sub.urutan}
            if not sub.uraian.strip():
                problems.append(_("%(where)s: uraian wajib diisi.") % {"where": where})
            if not sub.bidang:
                problems.append(_("%(where)s: bidang belum dipilih.") % {"where": where})
            ukuran_problems(where, sub.ukuran)
    if for_publish and not any(k.sub_kegiatan for k in data.kegiatan):
        problems.append(_("Rencana aksi belum memiliki sub kegiatan."))
    return problems

"""Reading a plan kept in the printed layout only, as agencies keep it in Excel.

The columns are found by their headers (NO, SASARAN: URAIAN / INDIKATOR KINERJA, TARGET,
PROGRAM, KEGIATAN, SUB KEGIATAN: URAIAN / INDIKATOR KINERJA / SATUAN, TARGET, KET). A NO block
is merged down over its sub kegiatan (in read-only mode only the first cell of a merged range
holds the text, so an empty NO cell continues the block above). A target column holds either
"TW 1 : 25%" lines in one cell, or one quarter per sheet row (a "TW n" label beside a value, as
Renaksi's own export writes it), "-" being no target. The signature block under the table gives
the signatory.

What the layout cannot show gets defaults the admin reviews and changes in the preview
(``pilihan``): direction "naik", method "kumulatif", percent when a target shows "%", whole
numbers when every target is a whole number not in percent, and for each sub kegiatan the
agency's first bidang.
"""

import re

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from renaksi.formulir.errors import Errors
from renaksi.models import Arah, Bulan, MetodeCapaian, satuan_is_percent
from renaksi.nip import normalize_nip
from renaksi.rencana_import import spec
from renaksi.rencana_import.read import (
    MAX_ROWS,
    Hasil,
    bidang_match,
    cell_int,
    cell_target,
    cell_text,
    penandatangan_check,
    sum_warning,
)

HEADER_SCAN_ROWS = 30
HEADER_SCAN_COLUMNS = 40
# "TW 1 : 25%", also as an English export prints it ("Q1 : 25%").
QUARTER_LINE = re.compile(
    r"^\s*(?:TW|Q)\s*-?\s*([1-4]|I{1,3}|IV)\s*[:=]?\s*(.*?)\s*$", re.IGNORECASE
)
QUARTER_LABEL = re.compile(r"^(?:TW|Q\s*[1-4])", re.IGNORECASE)
ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
PLACE_DATE = re.compile(r"^(?P<tempat>.+?),\s*(?P<bulan>[A-Za-z]+)\s+(?P<tahun>[0-9]{4})$")
MONTHS = {str(label).lower(): value for value, label in Bulan.choices}


def _norm(value) -> str:
    return " ".join(str(value).split()).upper() if value is not None else ""


def find_header(sheet) -> dict | None:
    """The header of a printed plan table on ``sheet``: its row and the column of each field."""
    rows = list(
        sheet.iter_rows(
            min_row=1, max_row=HEADER_SCAN_ROWS, max_col=HEADER_SCAN_COLUMNS, values_only=True
        )
    )
    for index, row in enumerate(rows):
        texts = [_norm(v) for v in row]
        if not {"NO", "PROGRAM", "KEGIATAN"} <= set(texts) or "TARGET" not in texts:
            continue
        below = [_norm(v) for v in rows[index + 1]] if index + 1 < len(rows) else []
        below += [""] * (len(texts) - len(below))
        top = {
            text: [i for i, t in enumerate(texts) if t == text]
            for text in ("NO", "SASARAN", "TARGET", "PROGRAM", "KEGIATAN", "SUB KEGIATAN", "KET")
        }
        if len(top["TARGET"]) < 2 or not top["SASARAN"] or not top["SUB KEGIATAN"]:
            continue
        starts = sorted(i for i, t in enumerate(texts) if t)
        columns = {
            "no": top["NO"][0],
            "sasaran": top["SASARAN"][0],
            "indikator_sasaran": top["SASARAN"][0] + 1,
            "target_sasaran": top["TARGET"][0],
            "program": top["PROGRAM"][0],
            "kegiatan": top["KEGIATAN"][0],
            "uraian": top["SUB KEGIATAN"][0],
            "indikator": top["SUB KEGIATAN"][0] + 1,
            "satuan": top["SUB KEGIATAN"][0] + 2,
            "target_sub": top["TARGET"][1],
            "ket": top["KET"][0] if top["KET"] else None,
        }
        if (
            below[columns["sasaran"]] not in ("URAIAN", "")
            or "INDIKATOR" not in below[columns["indikator"]]
        ):
            continue
        # A target column spans up to the next header: two sheet columns are a label and a value.
        spans = {}
        for key in ("target_sasaran", "target_sub"):
            after = [s for s in starts if s > columns[key]]
            spans[key] = (after[0] if after else columns[key] + 1) - columns[key]
        body = index + 3  # the two header rows (1-based: index + 1, + 2)
        numbers = rows[index + 2] if index + 2 < len(rows) else ()
        if [_norm(v) for v in numbers[:3]] == ["1", "2", "3"]:
            body += 1  # the column-number row
        return {"columns": columns, "spans": spans, "body": body, "header": index + 1}
    return None


def has_rows(sheet, header: dict) -> bool:
    """Whether the table under ``header`` has a NO filled in (the blank template's has not)."""
    column = header["columns"]["no"]
    for number, row in enumerate(
        sheet.iter_rows(
            min_row=header["body"], min_col=column + 1, max_col=column + 1, values_only=True
        )
    ):
        if row and row[0] not in (None, "") and str(row[0]).strip():
            return True
        if number > MAX_ROWS:
            break
    return False


class _Block:
    def __init__(self, row: int):
        self.row = row
        self.values: dict[str, object] = {}
        self.target_cells: list = []
        self.subs: list[dict] = []


def read_printed(sheet, header: dict, bidang: list[str], pilihan: dict) -> Hasil:
    columns, spans = header["columns"], header["spans"]
    errors = Errors()
    warnings: list[str] = []
    title = sheet.title
    width = max(c for c in columns.values() if c is not None) + 2

    def add(message, row=None, key=None):
        column = None
        if key is not None and columns.get(key) is not None:
            column = _Col(key, get_column_letter(columns[key] + 1))
        errors.add(message, sheet=title, row=row, column=column)

    blocks: list[_Block] = []
    signature: list[str] = []
    blank_seen = False
    for number, cells in enumerate(
        sheet.iter_rows(min_row=header["body"], max_col=width), start=header["body"]
    ):
        if number - header["body"] > MAX_ROWS * 4:
            add(_("terlalu banyak baris."), row=number)
            break
        texts = [c.value for c in cells]
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in texts):
            blank_seen = bool(blocks)
            continue
        if blank_seen or signature:
            signature.extend(
                str(v).strip() for v in texts if isinstance(v, str | int) and str(v).strip()
            )
            continue

        def cell(key, cells=cells):
            index = columns.get(key)
            return cells[index] if index is not None and index < len(cells) else None

        def text(key, number=number, cell=cell):
            found = cell(key)
            if found is None:
                return ""
            try:
                return cell_text(found.value, found.data_type)
            except ValueError as exc:
                add(str(exc), row=number, key=key)
                return ""

        no_cell = cell("no")
        if no_cell is not None and no_cell.value not in (None, ""):
            block = _Block(number)
            try:
                block.values["no"] = cell_int(no_cell.value, no_cell.data_type)
            except ValueError as exc:
                add(str(exc), row=number, key="no")
                block.values["no"] = None
            for key in ("sasaran", "indikator_sasaran", "program", "kegiatan"):
                block.values[key] = text(key)
            blocks.append(block)
        elif not blocks:
            add(_("baris pertama tabel harus berisi NO."), row=number, key="no")
            break
        block = blocks[-1]
        block.target_cells.append(_target_cells(cells, columns["target_sasaran"], spans))
        uraian = text("uraian")
        if uraian:
            block.subs.append(
                {
                    "row": number,
                    "uraian": uraian,
                    "indikator": text("indikator"),
                    "satuan": text("satuan"),
                    "ket": text("ket") if columns.get("ket") is not None else "",
                    "targets": [],
                }
            )
        if block.subs:
            block.subs[-1]["targets"].append(
                _target_cells(cells, columns["target_sub"], spans, key="target_sub")
            )
    errors.raise_if_any()
    if not blocks:
        add(_("tidak ada baris rencana aksi di bawah judul tabel."), row=header["body"])
        errors.raise_if_any()

    sasaran: dict[str, int] = {}
    indikator: dict[tuple[int, str], tuple[int, spec.Ukuran]] = {}
    programs: dict[str, int] = {}
    kegiatan: list[spec.KegiatanData] = []
    seen_no: set[int] = set()
    default_bidang = bidang[0] if bidang else ""
    for index, block in enumerate(blocks, start=1):
        nomor = block.values["no"] or index
        if nomor in seen_no:
            add(_("NO %(n)d ganda.") % {"n": nomor}, row=block.row, key="no")
        seen_no.add(nomor)
        for key, label in (
            ("sasaran", _("uraian sasaran")),
            ("indikator_sasaran", _("indikator sasaran")),
            ("program", _("program")),
            ("kegiatan", _("kegiatan")),
        ):
            if not block.values[key]:
                add(_("%(what)s wajib diisi.") % {"what": label}, row=block.row, key=key)
        s = sasaran.setdefault(block.values["sasaran"], len(sasaran) + 1)
        ukuran = _ukuran(
            block.values["indikator_sasaran"],
            None,  # the printed table shows a sasaran's unit only as "%" beside its targets
            block.target_cells,
            add=lambda message, row=block.row: add(message, row=row, key="target_sasaran"),
        )
        key = (s, block.values["indikator_sasaran"])
        if key not in indikator:
            indikator[key] = (sum(1 for k in indikator if k[0] == s) + 1, ukuran)
            _warn(warnings, title, block.row, ukuran)
        p = programs.setdefault(block.values["program"], len(programs) + 1)
        subs = []
        for urutan, sub in enumerate(block.subs, start=1):
            sub_ukuran = _ukuran(
                sub["indikator"],
                sub["satuan"],
                sub["targets"],
                add=lambda message, row=sub["row"]: add(message, row=row, key="target_sub"),
            )
            if not sub["indikator"]:
                add(_("indikator sub kegiatan wajib diisi."), row=sub["row"], key="indikator")
            chosen = pilihan.get(f"{nomor}.{urutan}")
            name = bidang_match(chosen, bidang) if chosen else default_bidang
            if not name:
                add(_("bidang yang dipilih tidak dikenal."), row=sub["row"], key="uraian")
            _warn(warnings, title, sub["row"], sub_ukuran)
            subs.append(
                spec.SubKegiatanData(
                    urutan=urutan,
                    uraian=sub["uraian"],
                    ukuran=sub_ukuran,
                    bidang=name or "",
                    ket=sub["ket"],
                )
            )
        kegiatan.append(
            spec.KegiatanData(
                nomor=nomor,
                program=p,
                sasaran=s,
                indikator=indikator[key][0],
                nama=block.values["kegiatan"],
                sub_kegiatan=tuple(subs),
            )
        )
    penandatangan = _signature(signature, add)
    errors.raise_if_any()
    by_sasaran: dict[int, list] = {}
    for (s, _text), (urutan, ukuran) in indikator.items():
        by_sasaran.setdefault(s, []).append(spec.IndikatorSasaranData(urutan=urutan, ukuran=ukuran))
    data = spec.RencanaData(
        penandatangan=penandatangan,
        sasaran=tuple(
            spec.SasaranData(urutan=s, uraian=uraian, indikator=tuple(by_sasaran[s]))
            for uraian, s in sasaran.items()
        ),
        program=tuple(spec.ProgramData(urutan=p, nama=nama) for nama, p in programs.items()),
        kegiatan=tuple(sorted(kegiatan, key=lambda k: k.nomor)),
        uang=False,  # the printed table shows no money
    )
    return Hasil(data=data, warnings=warnings, printed=True)


class _Col:
    def __init__(self, key: str, letter: str):
        self.key, self.letter = key, letter


def _target_cells(cells, first: int, spans: dict, key: str = "target_sasaran") -> tuple:
    span = spans[key]
    label = cells[first] if first < len(cells) else None
    value = cells[first + 1] if span >= 2 and first + 1 < len(cells) else None
    return (label, value) if span >= 2 else (label, None)


def _ukuran(indikator: str, satuan: str | None, rows: list[tuple], *, add) -> spec.Ukuran:
    """Targets from the rows of a cell: "TW n" label + value, or "TW n : v" lines."""
    raw: dict[int, object] = {}
    percent = False
    for position, (label, value) in enumerate(rows, start=1):
        single_line = label is not None and "\n" not in str(label.value or "").strip()
        if value is not None or (single_line and QUARTER_LABEL.match(_norm(label.value))):
            # Two columns: "TW n" and the value (or the value alone, one quarter per row).
            match = QUARTER_LINE.match(str(label.value or "")) if label is not None else None
            if match and not match.group(2):
                quarter = _quarter(match.group(1))
                cell = value
            elif match:
                quarter, cell = _quarter(match.group(1)), None
                raw[quarter] = match.group(2)
                percent = percent or "%" in match.group(2)
                continue
            else:
                quarter, cell = position, value
            if cell is not None and cell.value is not None:
                raw[quarter] = cell.value
                percent = percent or "%" in str(getattr(cell, "number_format", "") or "")
            continue
        if label is None or label.value is None:
            continue
        lines = str(label.value).splitlines()
        for line in lines:
            match = QUARTER_LINE.match(line)
            if match:
                raw[_quarter(match.group(1))] = match.group(2)
                percent = percent or "%" in match.group(2)
            elif len(rows) > 1 and line.strip() and position <= 4:
                raw[position] = line.strip()  # one quarter per row, the value alone
                percent = percent or "%" in line
    if satuan is None:  # a sasaran's indicator: "%" when its targets say so
        satuan = "%" if percent else ""
    elif satuan_is_percent(satuan):
        percent = True  # a "%" unit means targets in percent (a database constraint)
    targets = []
    for quarter in (1, 2, 3, 4):
        value = raw.get(quarter)
        if isinstance(value, str):
            value = value.strip().removesuffix("%").strip()
        try:
            targets.append(
                cell_target(value, "s" if isinstance(value, str) else "n", persen=percent)
            )
        except ValueError as exc:
            add(_("TW %(n)d: %(msg)s") % {"n": quarter, "msg": exc})
            targets.append(None)
    given = [t for t in targets if t is not None]
    return spec.Ukuran(
        indikator=indikator,
        satuan=satuan,
        persen=percent,
        arah=Arah.NAIK,
        metode=MetodeCapaian.KUMULATIF,
        targets=tuple(targets),
        # A count (3 dokumen, 12 kegiatan): every target a whole number and not in percent.
        bulat=bool(given) and not percent and all(t == t.to_integral_value() for t in given),
    )


def _quarter(text: str) -> int:
    return int(text) if text.isdigit() else ROMAN[text.upper()]


def _warn(warnings: list[str], title: str, row: int, ukuran: spec.Ukuran) -> None:
    warning = sum_warning(ukuran)
    if warning:
        warnings.append(
            _('Lembar "%(sheet)s", baris %(row)d: %(msg)s')
            % {"sheet": title, "row": row, "msg": warning}
        )


def _signature(lines: list[str], add) -> spec.Penandatangan | None:
    """The signatory from the lines under the table: place and date, jabatan, nama, pangkat,
    NIP."""
    values: dict[str, str] = {}
    for index, line in enumerate(lines):
        match = PLACE_DATE.match(line)
        if match and match.group("bulan").lower() in MONTHS and index + 4 < len(lines) + 1:
            values["tempat"] = match.group("tempat").strip()
            values["bulan"] = str(MONTHS[match.group("bulan").lower()])
            values["tahun_ttd"] = match.group("tahun")
            rest = lines[index + 1 :]
            nip_at = next(
                (i for i, text in enumerate(rest) if text.upper().startswith("NIP")), None
            )
            if nip_at is not None and nip_at >= 3:
                values["jabatan"] = rest[0]
                values["nama"], values["pangkat"] = rest[nip_at - 2], rest[nip_at - 1]
                values["nip"] = normalize_nip(re.sub(r"^NIP\.?\s*", "", rest[nip_at], flags=re.I))
            break
    if not values:
        add(
            _(
                'blok tanda tangan di bawah tabel tidak ditemukan (baris "Tempat, Bulan Tahun", '
                'jabatan, nama, pangkat, "NIP. ..."). Tambahkan, atau pakai templat Renaksi.'
            )
        )
        return None
    return penandatangan_check(values, lambda key, message: add(f"{spec.META[key]}: {message}"))

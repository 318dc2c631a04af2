"""The Permendagri 86/2017 evaluation of the Renja (Tabel evaluasi terhadap hasil Renja
Perangkat Daerah) of a plan at a quarter, as one layout ``Table``.

The page, the PDF and the XLSX render this table (``_dokumen.html``, ``exports/``) as they do
the Rencana Aksi and the quarterly report. Seventeen numbered columns, K (kinerja) and Rp
(anggaran) side by side from column 5 to 15:

    1 No · 2 Sasaran · 3 Program / kegiatan / sub kegiatan · 4 Indikator kinerja ·
    5 Target Renstra akhir periode · 6 Realisasi Renstra s.d. tahun lalu ·
    7 Target Renja tahun berjalan · 8–11 Realisasi TW I–IV · 12 = 8+9+10+11 ·
    13 = 12/7 × 100 · 14 = 6+12 · 15 = 14/5 × 100 · 16 Unit penanggung jawab · 17 Keterangan

Every figure is computed here (``kinerja`` for K, ``keuangan.Anggaran`` for Rp); the XLSX
holds numbers, never formulas. Rules, and why:

- K follows the plan's method (``capaian.py``): a cumulative indicator adds its quarters
  (12 = 8+9+10+11, 14 = 6+12); a last-value one (an index, a rate) does not, since two index
  readings do not add up: 12 is the latest value reported, 7 the year's latest target and
  14 = 12. Capaian uses the indicator's direction. While a quarter so far that has a target has
  no realisation, 13 and 15 are "-" (as the report's "s.d." capaian) and a note names it.
- Rp of a parent (kegiatan, program, sasaran) is the sum of its sub kegiatan; 13 and 15 in Rp
  are serapan computed from those sums, never a mean of percentages.
- Programs and kegiatan have no indicator of their own in a Rencana Aksi: their K cells are
  "-". Summing their sub kegiatan's K would add documents to reports, and a mean of their
  percentages would weigh a small activity like a large one. The sasaran rows carry the
  figures of their own indicator (``IndikatorSasaran``).
- Quarters after the one evaluated are empty, whatever was typed into them already.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from renaksi import permissions, selectors
from renaksi.capaian import capaian, predikat, sampai_dengan, target_to_date, to_date
from renaksi.documents import footer_lines, sasaran_label, signature_unsigned, status_line
from renaksi.keuangan import Anggaran, anggaran_total, rupiah_sum, serapan
from renaksi.layout import Cell, Column, HeaderCell, Kind, Row, Table
from renaksi.models import (
    Indikator,
    MetodeCapaian,
    Peran,
    Profile,
    Realisasi,
    RencanaAksi,
    StatusTriwulan,
    SubKegiatan,
)

QUARTER_NUMERALS = ("I", "II", "III", "IV")
# The pairs of columns 5–15, by key, in order (the XLSX and the page follow this order).
PAIRS = ("renstra", "lalu", "target", "tw1", "tw2", "tw3", "tw4", "tahun", "capaian", "sd", "rc")


# --- K: the figures of one indicator, pure -----------------------------------------------------


@dataclass(frozen=True)
class Kinerja:
    """Columns 5–15 (K) of one indicator at a quarter; None prints "-"."""

    renstra: Decimal | None  # 5
    lalu: Decimal | None  # 6
    target: Decimal | None  # 7: the year's target by the method
    triwulan: tuple[Decimal | None, ...]  # 8–11, only up to the quarter evaluated
    tahun: Decimal | None  # 12
    capaian: Decimal | None  # 13
    sd: Decimal | None  # 14
    capaian_renstra: Decimal | None  # 15
    belum_dilaporkan: tuple[int, ...] = ()


def kinerja(
    *,
    targets: Sequence[Decimal | None],
    realisasi: Sequence[Decimal | None],
    triwulan: int,
    arah: str,
    metode: str,
    renstra: Decimal | None,
    lalu: Decimal | None,
) -> Kinerja:
    """Columns 5–15 (K) as printed: 12 = 8+9+10+11, 13 = 12/7 × 100, 14 = 6+12,
    15 = 14/5 × 100, by the method (a last-value indicator does not add up, see the module)."""
    target = target_to_date(targets, 4, metode)
    tahun = to_date(realisasi, triwulan, metode)
    missing = sampai_dengan(targets, realisasi, triwulan, arah, metode).belum_dilaporkan
    if metode == MetodeCapaian.NILAI_TERAKHIR:
        sd = tahun if tahun is not None else lalu
    else:
        present = [value for value in (lalu, tahun) if value is not None]
        sd = sum(present, Decimal(0)) if present else None
    return Kinerja(
        renstra=renstra,
        lalu=lalu,
        target=target,
        triwulan=tuple(realisasi[:triwulan]),
        tahun=tahun,
        capaian=None if missing else capaian(tahun, target, arah),
        sd=sd,
        capaian_renstra=None if missing else capaian(sd, renstra, arah),
        belum_dilaporkan=missing,
    )


def indikator_kinerja(indikator: Indikator, stored: Sequence[Realisasi | None], triwulan: int):
    return kinerja(
        targets=indikator.targets(),
        realisasi=[r.nilai if r is not None else None for r in stored],
        triwulan=triwulan,
        arah=indikator.arah,
        metode=indikator.metode_capaian,
        renstra=indikator.target_renstra,
        lalu=indikator.realisasi_lalu,
    )


# --- the layout ------------------------------------------------------------------------------


def evaluasi_columns() -> list[Column]:
    columns = [
        Column("no", _("NO"), width=0.55, center=True),
        Column("sasaran", _("Sasaran"), width=1.0),
        Column("uraian", _("Program / Kegiatan / Sub Kegiatan"), width=2.2),
        Column("indikator", _("Indikator Kinerja"), width=1.7),
    ]
    for pair in PAIRS:
        columns.append(Column(f"{pair}_k", "K", kind=Kind.NUMBER, width=0.65))
        columns.append(Column(f"{pair}_rp", "Rp", kind=Kind.NUMBER, width=0.8))
    columns += [
        Column("unit", _("Unit Perangkat Daerah Penanggung Jawab"), width=0.8),
        Column("ket", _("Keterangan"), width=0.8),
    ]
    return columns


def evaluasi_header(tahun: int, triwulan: int) -> tuple[list[list[HeaderCell]], list[HeaderCell]]:
    """The three header rows of the form and its column-number row "1 … 17"."""

    def pair(text: str) -> HeaderCell:
        return HeaderCell(text, colspan=2, rowspan=2)

    def whole(text: str) -> HeaderCell:
        return HeaderCell(text, rowspan=3)

    top = [
        whole(_("NO")),
        whole(_("Sasaran")),
        whole(_("Program / Kegiatan / Sub Kegiatan")),
        whole(_("Indikator Kinerja")),
        pair(_("Target Kinerja dan Anggaran Renstra Perangkat Daerah pada Akhir Periode")),
        pair(
            _("Realisasi Capaian Kinerja dan Anggaran Renstra s.d. Renja Tahun %(tahun)s")
            % {"tahun": tahun - 1}
        ),
        pair(_("Target Kinerja dan Anggaran Renja Tahun %(tahun)s") % {"tahun": tahun}),
        HeaderCell(_("Realisasi Kinerja dan Anggaran Renja pada Triwulan"), colspan=8),
        pair(
            _("Realisasi Capaian Kinerja dan Anggaran Renja Tahun %(tahun)s s.d. Triwulan %(n)s")
            % {"tahun": tahun, "n": QUARTER_NUMERALS[triwulan - 1]}
        ),
        pair(
            _("Tingkat Capaian Kinerja dan Realisasi Anggaran Renja Tahun %(tahun)s (%%)")
            % {"tahun": tahun}
        ),
        pair(
            _("Realisasi Kinerja dan Anggaran Renstra s.d. Renja Tahun %(tahun)s")
            % {"tahun": tahun}
        ),
        pair(
            _("Tingkat Capaian Kinerja dan Realisasi Anggaran Renstra s.d. Tahun %(tahun)s (%%)")
            % {"tahun": tahun}
        ),
        whole(_("Unit Perangkat Daerah Penanggung Jawab")),
        whole(_("Keterangan")),
    ]
    middle = [HeaderCell(numeral, colspan=2) for numeral in QUARTER_NUMERALS]
    bottom = [HeaderCell(text) for _pair in PAIRS for text in ("K", "Rp")]
    numbers = [HeaderCell(str(n)) for n in range(1, 5)]
    numbers += [HeaderCell(str(n), colspan=2) for n in range(5, 12)]
    numbers += [
        HeaderCell("12 = 8+9+10+11", colspan=2),
        HeaderCell("13 = 12/7 × 100", colspan=2),
        HeaderCell("14 = 6+12", colspan=2),
        HeaderCell("15 = 14/5 × 100", colspan=2),
        HeaderCell("16"),
        HeaderCell("17"),
    ]
    return [top, middle, bottom], numbers


def _k(column: str, value: Decimal | None, percent: bool) -> Cell:
    if value is None:
        return Cell(column, text="-", css="angka")
    return Cell(column, number=value, percent=percent, css="angka")


def _rp(column: str, value: int | None) -> Cell:
    if value is None:
        return Cell(column, text="-", css="angka")
    return Cell(column, number=Decimal(value), css="angka rupiah")


def _persen(column: str, value: Decimal | None) -> Cell:
    """A capaian or serapan (13, 15): a number without the sign, as the header says "(%)"
    (and "97,89 %" would not fit the form's narrow K column)."""
    grade = predikat(value)
    css = "angka" + (f" {grade.css}" if grade else "")
    if value is None:
        return Cell(column, text="-", css="angka")
    return Cell(column, number=value, css=css)


def _future(column: str) -> Cell:
    return Cell(column, text="", css="angka")


def rupiah_figures(anggaran: Anggaran, triwulan: int) -> dict[str, Cell]:
    """Columns 5–15 (Rp) of a row; 13 and 15 are serapan from the amounts."""
    tahun = anggaran.realisasi_sd(triwulan)
    sd = rupiah_sum([anggaran.realisasi_lalu, tahun])
    cells = {
        "renstra_rp": _rp("renstra_rp", anggaran.pagu_renstra),
        "lalu_rp": _rp("lalu_rp", anggaran.realisasi_lalu),
        "target_rp": _rp("target_rp", anggaran.pagu),
        "tahun_rp": _rp("tahun_rp", tahun),
        "capaian_rp": _persen("capaian_rp", serapan(tahun, anggaran.pagu)),
        "sd_rp": _rp("sd_rp", sd),
        "rc_rp": _persen("rc_rp", serapan(sd, anggaran.pagu_renstra)),
    }
    for q in range(1, 5):
        key = f"tw{q}_rp"
        cells[key] = _rp(key, anggaran.realisasi_tw(q)) if q <= triwulan else _future(key)
    return cells


def kinerja_figures(k: Kinerja | None, triwulan: int, percent: bool) -> dict[str, Cell]:
    """Columns 5–15 (K); ``None`` (a program or kegiatan: no indicator of its own) is "-"."""
    if k is None:
        cells = {f"{pair}_k": Cell(f"{pair}_k", text="-", css="angka") for pair in PAIRS}
        for q in range(triwulan + 1, 5):
            cells[f"tw{q}_k"] = _future(f"tw{q}_k")
        return cells
    cells = {
        "renstra_k": _k("renstra_k", k.renstra, percent),
        "lalu_k": _k("lalu_k", k.lalu, percent),
        "target_k": _k("target_k", k.target, percent),
        "tahun_k": _k("tahun_k", k.tahun, percent),
        "capaian_k": _persen("capaian_k", k.capaian),
        "sd_k": _k("sd_k", k.sd, percent),
        "rc_k": _persen("rc_k", k.capaian_renstra),
    }
    for q in range(1, 5):
        key = f"tw{q}_k"
        cells[key] = _k(key, k.triwulan[q - 1], percent) if q <= triwulan else _future(key)
    return cells


def _figures(k: Kinerja | None, anggaran: Anggaran, triwulan: int, percent: bool) -> list[Cell]:
    by_key = {**kinerja_figures(k, triwulan, percent), **rupiah_figures(anggaran, triwulan)}
    return [by_key[f"{pair}_{side}"] for pair in PAIRS for side in ("k", "rp")]


def _indikator_text(indikator: Indikator) -> str:
    if indikator.satuan:
        return f"{indikator.indikator} ({indikator.satuan})"
    return indikator.indikator


@dataclass
class _Notes:
    """The notes of the rows for the footer rows, each line naming its row."""

    pendorong: list[str]
    kendala: list[str]
    tindak_lanjut: list[str]

    def add(self, label: str, realisasi: Realisasi | None) -> None:
        if realisasi is None:
            return
        for lines, text in (
            (self.pendorong, realisasi.faktor_pendorong),
            (self.kendala, realisasi.kendala),
            (self.tindak_lanjut, realisasi.tindak_lanjut),
        ):
            if text.strip():
                lines.append(f"{label}: {text.strip()}")


def evaluasi_table(
    *,
    rencana: RencanaAksi,
    triwulan: int,
    profile: Profile | None = None,
    status: StatusTriwulan | None = None,
) -> Table:
    """The Renja evaluation of ``rencana`` up to ``triwulan``, in four queries at any size.

    With a ``profile``, only the rows that user may see (``permissions.may_see_row``), as in
    the quarterly report: staff get their bidang's sub kegiatan, and the parents sum only
    those. Without one (the command line), every row.
    """
    if status is None:
        status = selectors.status_triwulan(rencana=rencana, triwulan=triwulan)
    stored = selectors.realisasi_of_plan(rencana=rencana, with_bukti=False)
    empty: list[Realisasi | None] = [None, None, None, None]

    def visible(bidang_id: int | None) -> bool:
        return profile is None or permissions.may_see_row(profile, bidang_id)

    # Sasaran indicator → program → kegiatan → sub kegiatan, in the plan's NO order.
    groups: dict[int, tuple] = {}
    for kegiatan in selectors.kegiatan_of_plan(rencana=rencana):
        subs = [sub for sub in kegiatan.sub_kegiatan.all() if visible(sub.bidang_id)]
        if not subs and profile is not None and profile.peran == Peran.STAF:
            continue
        indikator = kegiatan.indikator_sasaran
        programs = groups.setdefault(indikator.pk, (indikator, {}))[1]
        kegiatan_list = programs.setdefault(kegiatan.program_id, (kegiatan.program, []))[1]
        kegiatan_list.append((kegiatan, subs))

    rows: list[Row] = []
    notes = _Notes([], [], [])
    missing: list[str] = []
    sub_scores: list[Kinerja] = []
    all_money: list[Anggaran] = []

    def note_missing(label: str, indikator: Indikator, k: Kinerja) -> None:
        if k.belum_dilaporkan:
            missing.append(f"{label} ({', '.join(f'TW {q}' for q in k.belum_dilaporkan)})")

    for index, (indikator, programs) in enumerate(groups.values()):
        money_of_group: list[Anggaran] = []
        group_rows: list[Row] = []
        # The sasaran's own figures first, so that its notes come before its rows' notes.
        sasaran_no = sasaran_label(index)
        sasaran_realisasi = stored.get(indikator.row_key, empty)
        sasaran_k = indikator_kinerja(indikator, sasaran_realisasi, triwulan)
        if visible(None):
            note_missing(sasaran_no, indikator, sasaran_k)
            notes.add(f"{sasaran_no} {indikator.indikator}", sasaran_realisasi[triwulan - 1])
        for program, kegiatan_list in programs.values():
            program_money: list[Anggaran] = []
            program_rows: list[Row] = []
            for kegiatan, subs in kegiatan_list:
                sub_rows: list[Row] = []
                money = []
                for position, sub in enumerate(subs, start=1):
                    label = f"{kegiatan.nomor}.{position}"
                    realisasi = stored.get(sub.row_key, empty)
                    k = indikator_kinerja(sub, realisasi, triwulan)
                    anggaran = Anggaran.of(sub, realisasi)
                    money.append(anggaran)
                    sub_scores.append(k)
                    note_missing(label, sub, k)
                    notes.add(f"{label} {sub.uraian}", realisasi[triwulan - 1])
                    current = realisasi[triwulan - 1]
                    sub_rows.append(_sub_row(sub, label, k, anggaran, triwulan, current))
                total = anggaran_total(money)
                program_money.append(total)
                bidang = dict.fromkeys(sub.bidang.nama for sub in subs)
                program_rows.append(
                    Row(
                        cells=[
                            Cell("no", text=str(kegiatan.nomor)),
                            Cell("sasaran"),
                            Cell("uraian", text=kegiatan.nama),
                            Cell("indikator", text="-"),
                            *_figures(None, total, triwulan, False),
                            Cell("unit", text=", ".join(bidang)),
                            Cell("ket"),
                        ],
                        key=f"keg-{kegiatan.pk}",
                        css="baris-kegiatan",
                    )
                )
                program_rows += sub_rows
            total = anggaran_total(program_money)
            money_of_group.append(total)
            group_rows.append(
                Row(
                    cells=[
                        Cell("no"),
                        Cell("sasaran"),
                        Cell("uraian", text=program.nama),
                        Cell("indikator", text="-"),
                        *_figures(None, total, triwulan, False),
                        Cell("unit"),
                        Cell("ket"),
                    ],
                    key=f"prog-{program.pk}-ind-{indikator.pk}",
                    css="baris-program",
                )
            )
            group_rows += program_rows
        group_money = anggaran_total(money_of_group)
        all_money.append(group_money)
        if visible(None):
            current = sasaran_realisasi[triwulan - 1]
            rows.append(
                Row(
                    cells=[
                        Cell("no", text=sasaran_no),
                        # Over column 3 too, empty on this row: the sasaran's words are long.
                        Cell("sasaran", text=indikator.sasaran.uraian, colspan=2),
                        Cell("indikator", text=_indikator_text(indikator)),
                        *_figures(sasaran_k, group_money, triwulan, indikator.target_persen),
                        Cell("unit"),
                        Cell("ket", text=current.ket if current is not None else ""),
                    ],
                    key=indikator.row_key,
                    css="baris-sasaran",
                )
            )
        rows += group_rows

    rows += summary_rows(sub_scores, anggaran_total(all_money), notes, triwulan)
    # One line for all the rows, not one each: early in the year most rows are unreported.
    missing_lines = (
        [
            _(
                "Capaian belum dihitung karena realisasi triwulan bertarget belum dilaporkan: "
                "%(rows)s."
            )
            % {"rows": "; ".join(missing)}
        ]
        if missing
        else []
    )
    footer = [status_line(status), *missing_lines, *evaluasi_footer_lines(triwulan)]
    if profile is not None and profile.peran == Peran.STAF and profile.bidang is not None:
        footer.insert(0, _("Hanya baris %(bidang)s.") % {"bidang": profile.bidang.nama})
    header, numbers = evaluasi_header(rencana.tahun, triwulan)
    return Table(
        title_lines=[
            _("TABEL EVALUASI TERHADAP HASIL RENJA PERANGKAT DAERAH"),
            rencana.instansi.nama.upper(),
            _("PERIODE PELAKSANAAN: TAHUN %(tahun)s S.D. TRIWULAN %(n)s")
            % {"tahun": rencana.tahun, "n": QUARTER_NUMERALS[triwulan - 1]},
        ],
        columns=evaluasi_columns(),
        rows=rows,
        signature=signature_unsigned(rencana),
        author=rencana.instansi.nama,
        filename_stem=f"evaluasi-renja-{rencana.instansi.kode}-{rencana.tahun}-tw{triwulan}",
        footer_lines=footer,
        warnings=missing_lines,
        header=header,
        numbers=numbers,
        css="dokumen-evaluasi",
    )


def _sub_row(
    sub: SubKegiatan,
    label: str,
    k: Kinerja,
    anggaran: Anggaran,
    triwulan: int,
    current: Realisasi | None,
) -> Row:
    return Row(
        cells=[
            Cell("no", text=label),
            Cell("sasaran"),
            Cell("uraian", text=sub.uraian),
            Cell("indikator", text=_indikator_text(sub)),
            *_figures(k, anggaran, triwulan, sub.target_persen),
            Cell("unit", text=sub.bidang.nama),
            Cell("ket", text=current.ket if current is not None else ""),
        ],
        key=sub.row_key,
    )


def _mean(values: list[Decimal]) -> Decimal | None:
    return sum(values, Decimal(0)) / len(values) if values else None


def summary_rows(scores: list[Kinerja], total: Anggaran, notes: _Notes, triwulan: int) -> list[Row]:
    """The form's closing rows: average capaian, predicate, what helped and hindered, and the
    follow-up for the next quarter and for the next Renja."""
    capaian_k = _mean([k.capaian for k in scores if k.capaian is not None])
    renstra_k = _mean([k.capaian_renstra for k in scores if k.capaian_renstra is not None])
    tahun = total.realisasi_sd(triwulan)
    capaian_rp = serapan(tahun, total.pagu)
    renstra_rp = serapan(rupiah_sum([total.realisasi_lalu, tahun]), total.pagu_renstra)

    def figures_row(key: str, label: str, values: dict[str, Cell]) -> Row:
        return Row(
            cells=[
                Cell("no", text=label, colspan=4),
                Cell("renstra_k", colspan=16),
                values["capaian_k"],
                values["capaian_rp"],
                Cell("sd_k", colspan=2),
                values["rc_k"],
                values["rc_rp"],
                Cell("unit", colspan=2),
            ],
            key=key,
            css="baris-ringkasan",
        )

    def grade(column: str, value: Decimal | None) -> Cell:
        found = predikat(value)
        if found is None:
            return Cell(column, text="-", css="angka")
        return Cell(column, text=found.label, css=f"angka predikat {found.css}")

    def text_row(key: str, label: str, lines: list[str]) -> Row:
        return Row(
            cells=[
                Cell("no", text=label, colspan=4),
                Cell("renstra_k", text="\n".join(lines) or "-", colspan=24),
            ],
            key=key,
            css="baris-ringkasan",
        )

    next_quarter = notes.tindak_lanjut if triwulan < 4 else []
    next_renja = notes.tindak_lanjut if triwulan == 4 else []
    return [
        figures_row(
            "rata-rata",
            _(
                "Rata-rata capaian kinerja (K: rata-rata sub kegiatan) dan realisasi anggaran "
                "(Rp: dari jumlah)"
            ),
            {
                "capaian_k": _persen("capaian_k", capaian_k),
                "capaian_rp": _persen("capaian_rp", capaian_rp),
                "rc_k": _persen("rc_k", renstra_k),
                "rc_rp": _persen("rc_rp", renstra_rp),
            },
        ),
        figures_row(
            "predikat",
            _("Predikat kinerja"),
            {
                "capaian_k": grade("capaian_k", capaian_k),
                "capaian_rp": grade("capaian_rp", capaian_rp),
                "rc_k": grade("rc_k", renstra_k),
                "rc_rp": grade("rc_rp", renstra_rp),
            },
        ),
        text_row("pendorong", _("Faktor pendorong keberhasilan pencapaian"), notes.pendorong),
        text_row("penghambat", _("Faktor penghambat pencapaian kinerja"), notes.kendala),
        text_row(
            "tindak-lanjut-triwulan",
            _("Tindak lanjut yang diperlukan dalam triwulan berikutnya"),
            next_quarter,
        ),
        text_row(
            "tindak-lanjut-renja",
            _("Tindak lanjut yang diperlukan dalam Renja Perangkat Daerah berikutnya"),
            next_renja,
        ),
    ]


def evaluasi_footer_lines(triwulan: int) -> list[str]:
    return [
        _(
            "Kolom 12 = 8 + 9 + 10 + 11 (realisasi s.d. triwulan %(n)s); 13 = 12 ÷ 7 × 100; "
            "14 = 6 + 12; 15 = 14 ÷ 5 × 100. Triwulan sesudah triwulan %(n)s dikosongkan."
        )
        % {"n": QUARTER_NUMERALS[triwulan - 1]},
        _(
            "K indikator bermetode nilai terakhir (indeks, tingkat): kolom 12 adalah nilai "
            "triwulan terakhir yang dilaporkan, bukan jumlahnya, kolom 7 target triwulan "
            "terakhir tahun ini, dan kolom 14 = 12. Indikator kumulatif dijumlahkan. Capaian "
            'semakin rendah semakin baik: (2 × target - realisasi) ÷ target × 100. "-" selama '
            "ada triwulan bertarget yang belum dilaporkan."
        ),
        _(
            "Rp: realisasi keuangan per triwulan; kolom 13 dan 15 (Rp) adalah serapan = "
            "realisasi ÷ pagu × 100, pada program, kegiatan, sasaran dan rata-rata dihitung "
            "dari jumlah rupiah, tidak dirata-ratakan."
        ),
        _(
            'Program dan kegiatan tidak memiliki indikator sendiri dalam rencana aksi: K-nya "-" '
            "(indikator sub kegiatan bersatuan berbeda tidak dapat dijumlahkan); Rp-nya jumlah "
            "sub kegiatannya. Baris sasaran memuat indikator sasarannya sendiri."
        ),
        _(
            "Tindak lanjut: dari catatan triwulan %(n)s tiap baris; untuk Renja berikutnya "
            "pada evaluasi triwulan IV."
        )
        % {"n": QUARTER_NUMERALS[triwulan - 1]},
        footer_lines()[2],
    ]

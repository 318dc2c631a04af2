"""The printed tables: the signed Rencana Aksi and the Laporan Capaian Kinerja Triwulan.

Each builder turns a plan into one layout ``Table`` (rows, cells, spans) in a fixed number of
queries; the page, the PDF and the XLSX are three renderings of it and never walk the models
themselves.

- ``rencana_aksi_table``: one row per sub kegiatan, the NO block (sasaran, indicator, targets,
  program, kegiatan) merged down over its sub kegiatan, as signed.
- ``laporan_table``: each indikator sasaran opens a group (a bold row with its own figures),
  followed by the sub kegiatan of the kegiatan that serve it, with target, realisation, capaian
  and predicate for the quarter and to date.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _

from renaksi import keuangan, permissions, selectors
from renaksi.capaian import PREDIKAT, SampaiDengan, capaian_triwulan, predikat, sampai_dengan
from renaksi.keuangan import Anggaran, anggaran_total
from renaksi.layout import (
    Cell,
    Column,
    Kind,
    Link,
    QuarterValue,
    Row,
    Signature,
    Table,
    Verification,
)
from renaksi.models import (
    DokumenTertanda,
    Indikator,
    Instansi,
    JenisDokumen,
    Kegiatan,
    Peran,
    Profile,
    Realisasi,
    RencanaAksi,
    StatusPersetujuan,
    StatusTriwulan,
    SubKegiatan,
)
from renaksi.nip import format_nip
from renaksi.numbers import format_number
from renaksi.presentation import date_display, triwulan_label, user_display

# --- The signed Rencana Aksi table -------------------------------------------------------------


def quarter_values(indikator: Indikator, *, unit: bool = False) -> tuple[QuarterValue, ...]:
    """The "TW n : …" lines of an indicator; ``unit`` where no column of the table names it."""
    return tuple(
        QuarterValue(
            triwulan=q,
            value=value,
            percent=indikator.target_persen,
            unit=indikator.satuan if unit else "",
        )
        for q, value in enumerate(indikator.targets(), start=1)
    )


def plan_columns() -> list[Column]:
    sasaran, sub_kegiatan = _("SASARAN"), _("SUB KEGIATAN")
    return [
        Column("no", _("NO"), width=0.45, center=True),
        Column("sasaran", _("URAIAN"), group=sasaran, width=1.6),
        Column("indikator_sasaran", _("INDIKATOR KINERJA"), group=sasaran, width=1.5),
        Column("target_sasaran", _("TARGET"), kind=Kind.QUARTERS, width=1.05),
        Column("program", _("PROGRAM"), width=1.45),
        Column("kegiatan", _("KEGIATAN"), width=1.6),
        Column("sub_kegiatan", _("URAIAN"), group=sub_kegiatan, width=1.9),
        Column("indikator_sub_kegiatan", _("INDIKATOR KINERJA"), group=sub_kegiatan, width=2.0),
        Column("satuan", _("SATUAN"), group=sub_kegiatan, width=0.85, center=True),
        Column("target_sub_kegiatan", _("TARGET"), kind=Kind.QUARTERS, width=1.05),
        Column("ket", _("KET"), width=0.8),
    ]


def signature_of(rencana: RencanaAksi) -> Signature:
    return Signature(
        place_date=rencana.tempat_tanggal_ttd,
        jabatan=rencana.jabatan_penandatangan,
        nama=rencana.nama_penandatangan,
        pangkat=rencana.pangkat_penandatangan,
        nip=format_nip(rencana.nip_penandatangan),
    )


def signature_unsigned(rencana: RencanaAksi) -> Signature:
    """A report not yet approved: the plan's signatory, with the place and an open date.

    Not the plan's own date: a quarter is signed when the kepala approves it, and until then
    the report says so in its status line.
    """
    return Signature(
        place_date=f"{rencana.instansi.kota}, ....................",
        jabatan=rencana.jabatan_penandatangan,
        nama=rencana.nama_penandatangan,
        pangkat=rencana.pangkat_penandatangan,
        nip=format_nip(rencana.nip_penandatangan),
    )


def signature_of_dokumen(dokumen: DokumenTertanda) -> Signature:
    """The signatory as stored with a signed document (Plt./Plh. before the office)."""
    jabatan = f"{dokumen.sebagai} {dokumen.jabatan}" if dokumen.sebagai else dokumen.jabatan
    return Signature(
        place_date=dokumen.tempat_tanggal,
        jabatan=jabatan,
        nama=dokumen.nama,
        pangkat=dokumen.pangkat,
        nip=format_nip(dokumen.nip),
    )


def verification_of(dokumen: DokumenTertanda) -> Verification:
    import segno  # only signed documents need it

    qr = segno.make(dokumen.tautan, error="m")
    return Verification(
        kode=dokumen.kode,
        url=dokumen.tautan,
        qr_svg=qr.svg_data_uri(scale=2, border=2),
    )


def verification_line(verification: Verification) -> str:
    return _("Kode verifikasi %(kode)s: periksa keaslian dokumen ini di %(url)s") % {
        "kode": verification.kode,
        "url": verification.url,
    }


def plan_title(rencana: RencanaAksi, first_line: str) -> list[str]:
    return [
        first_line,
        _("PENCAPAIAN PERJANJIAN KINERJA PER TRIWULAN"),
        _("%(instansi)s TAHUN %(tahun)s")
        % {"instansi": rencana.instansi.nama.upper(), "tahun": rencana.tahun},
    ]


def kegiatan_cells(kegiatan: Kegiatan, rowspan: int) -> list[Cell]:
    """Columns 1–6 of a NO block: printed once, merged down over its sub kegiatan."""
    indikator = kegiatan.indikator_sasaran
    return [
        Cell("no", text=str(kegiatan.nomor), rowspan=rowspan),
        Cell("sasaran", text=indikator.sasaran.uraian, rowspan=rowspan),
        Cell("indikator_sasaran", text=indikator.indikator, rowspan=rowspan),
        Cell("target_sasaran", quarters=quarter_values(indikator, unit=True), rowspan=rowspan),
        Cell("program", text=kegiatan.program.nama, rowspan=rowspan),
        Cell("kegiatan", text=kegiatan.nama, rowspan=rowspan),
    ]


def rencana_aksi_table(*, rencana: RencanaAksi, dokumen: DokumenTertanda | None = None) -> Table:
    """The signed Rencana Aksi table of a plan: one row per sub kegiatan, NO blocks merged.

    Runs two queries whatever the size of the plan (``rencana.instansi`` must be loaded).
    With ``dokumen`` (the plan's signed record) it carries its verification code and QR code.
    """
    rows: list[Row] = []
    for kegiatan in selectors.kegiatan_of_plan(rencana=rencana):
        subs = list(kegiatan.sub_kegiatan.all())
        block = kegiatan_cells(kegiatan, rowspan=max(len(subs), 1))
        if not subs:
            empty = ("sub_kegiatan", "indikator_sub_kegiatan", "satuan", "target_sub_kegiatan")
            rows.append(
                Row(cells=block + [Cell(key) for key in (*empty, "ket")], key=f"keg-{kegiatan.pk}")
            )
            continue
        for index, sub in enumerate(subs):
            cells = [
                Cell("sub_kegiatan", text=sub.uraian),
                Cell("indikator_sub_kegiatan", text=sub.indikator),
                Cell("satuan", text=sub.satuan),
                Cell("target_sub_kegiatan", quarters=quarter_values(sub)),
                Cell("ket", text=sub.ket),
            ]
            rows.append(Row(cells=(block if index == 0 else []) + cells, key=sub.row_key))
    verification = verification_of(dokumen) if dokumen is not None else None
    return Table(
        title_lines=plan_title(rencana, _("TABEL RENCANA AKSI")),
        columns=plan_columns(),
        rows=rows,
        signature=signature_of_dokumen(dokumen) if dokumen is not None else signature_of(rencana),
        author=rencana.instansi.nama,
        filename_stem=f"rencana-aksi-{rencana.instansi.kode}-{rencana.tahun}",
        footer_lines=[verification_line(verification)] if verification else [],
        verification=verification,
    )


def rencana_aksi_blank_table(*, instansi: Instansi, tahun: int | None) -> Table:
    """The printed Rencana Aksi table with no rows: the blank template's printed sheet.

    The same title and header as a plan's, an empty body, and placeholders where the signatory
    goes. Runs no query.
    """
    rencana = RencanaAksi(instansi=instansi, tahun=tahun or "....")
    return Table(
        title_lines=plan_title(rencana, _("TABEL RENCANA AKSI")),
        columns=plan_columns(),
        rows=[],
        signature=Signature(
            place_date=_("%(kota)s, [Bulan] [Tahun]") % {"kota": instansi.kota or _("[Tempat]")},
            jabatan=_("[JABATAN PENANDATANGAN]"),
            nama=_("[NAMA PENANDATANGAN]"),
            pangkat=_("[Pangkat, golongan]"),
            nip=_("[18 angka]"),
        ),
        author=instansi.nama,
        filename_stem=f"templat-rencana-aksi-{instansi.kode}",
    )


# --- The quarterly achievement report ---------------------------------------------------------


def report_columns(triwulan: int) -> list[Column]:
    this_quarter = _("TRIWULAN %(n)s") % {"n": triwulan}
    to_date_group = _("S.D. TRIWULAN %(n)s") % {"n": triwulan}
    figures = []
    for group in (this_quarter, to_date_group):
        suffix = "tw" if group == this_quarter else "sd"
        figures += [
            Column(f"target_{suffix}", _("TARGET"), kind=Kind.NUMBER, group=group, width=0.8),
            Column(
                f"realisasi_{suffix}", _("REALISASI"), kind=Kind.NUMBER, group=group, width=0.95
            ),
            Column(f"capaian_{suffix}", _("CAPAIAN"), kind=Kind.NUMBER, group=group, width=0.9),
            Column(f"predikat_{suffix}", _("PREDIKAT"), group=group, width=0.95, center=True),
        ]
    return [
        Column("no", _("NO"), width=0.4, center=True),
        Column("kegiatan", _("KEGIATAN"), width=1.5),
        Column("uraian", _("SASARAN / SUB KEGIATAN"), width=1.8),
        Column("indikator", _("INDIKATOR KINERJA"), width=1.8),
        Column("satuan", _("SATUAN"), width=0.8, center=True),
        *figures,
        Column("ket", _("KET"), width=1.1),
    ]


def _figure_cells(
    indikator: Indikator, stored: list[Realisasi | None], triwulan: int
) -> tuple[list[Cell], SampaiDengan]:
    """The figures of one row, and its figures to date (with the quarters not yet reported)."""
    targets = indikator.targets()
    values = [r.nilai if r is not None else None for r in stored]
    percent = indikator.target_persen
    metode, arah = indikator.metode_capaian, indikator.arah
    to_date = sampai_dengan(targets, values, triwulan, arah, metode)
    cells = []
    for suffix, target, nilai, score in (
        (
            "tw",
            targets[triwulan - 1],
            values[triwulan - 1],
            capaian_triwulan(targets, values, triwulan, arah),
        ),
        ("sd", to_date.target, to_date.realisasi, to_date.capaian),
    ):
        grade = predikat(score)
        cells += [
            _number(f"target_{suffix}", target, percent),
            _number(f"realisasi_{suffix}", nilai, percent),
            _number(f"capaian_{suffix}", score, True, css=grade.css if grade else ""),
            Cell(
                f"predikat_{suffix}",
                text=grade.label if grade else "-",
                css=grade.css if grade else "",
            ),
        ]
    current = stored[triwulan - 1]
    cells.append(Cell("ket", text=current.ket if current is not None else ""))
    return cells, to_date


def missing_note(label: str, indikator: Indikator, triwulan: int, missing: tuple[int, ...]) -> str:
    """Why a row's capaian to date is "-": which quarters have a target but no realisation.

    Only for rows where an earlier quarter is missing: a quarter being filled in is "-" on its
    own line already, and a report of a quarter nobody started would be all notes.
    """
    return _(
        "%(no)s %(indikator)s: capaian s.d. TW %(n)d belum dihitung karena realisasi "
        "%(triwulan)s belum dilaporkan."
    ) % {
        "no": label,
        "indikator": indikator.indikator,
        "n": triwulan,
        "triwulan": ", ".join(triwulan_label(q) for q in missing),
    }


def _number(column: str, value: Decimal | None, percent: bool, css: str = "") -> Cell:
    if value is None:
        return Cell(column, text="-", css=css)
    return Cell(column, number=value, percent=percent, css=css)


def sasaran_label(index: int) -> str:
    """A, B, … Z, AA, AB, …: the letter of the ``index``-th sasaran row (from 0)."""
    label = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        label = chr(ord("A") + rest) + label
    return label


def laporan_table(
    *,
    rencana: RencanaAksi,
    triwulan: int,
    profile: Profile | None = None,
    status: StatusTriwulan | None = None,
    dokumen: DokumenTertanda | None = None,
) -> Table:
    """The quarterly achievement report of ``rencana`` for ``triwulan``, in constant queries.

    With a ``profile``, only the rows that user may see (``permissions.may_see_row``): staff get
    their own bidang's sub kegiatan and none of the other bidang's realisations or notes.
    Without one (the command line), every row. The footer says whether the kepala approved the
    quarter; pass the ``status`` when the caller has it already, else it is read here.

    The signature is the quarter's own, stored when the kepala approved it (``dokumen``, read
    here when the quarter is approved and none is passed), with its verification code; a
    quarter not approved prints the plan's signatory with an open date.

    The money and the notes of each row follow in a second table (``Table.lampiran``,
    ``lampiran_table``): the performance table keeps its width, so it stays legible on A4.
    """
    if status is None:
        status = selectors.status_triwulan(rencana=rencana, triwulan=triwulan)
    if dokumen is None and status.status == StatusPersetujuan.DISETUJUI:
        dokumen = selectors.dokumen_berlaku(
            rencana=rencana, jenis=JenisDokumen.LAPORAN, triwulan=triwulan
        )
    stored = selectors.realisasi_of_plan(rencana=rencana, with_bukti=False)
    empty: list[Realisasi | None] = [None, None, None, None]
    rows: list[Row] = []
    seen_indikator: set[int] = set()
    notes: list[str] = []
    lampiran = _Lampiran(triwulan=triwulan, stored=stored)

    def visible(bidang_id: int | None) -> bool:
        return profile is None or permissions.may_see_row(profile, bidang_id)

    kegiatan_list = list(selectors.kegiatan_of_plan(rencana=rencana))
    # Whether the report has money columns is a fact of the plan, not of the viewer: staff and
    # kepala see the same columns (a bidang without pagu prints "-").
    lampiran.with_money = any(
        sub.pagu is not None for kegiatan in kegiatan_list for sub in kegiatan.sub_kegiatan.all()
    )
    for kegiatan in kegiatan_list:
        indikator = kegiatan.indikator_sasaran
        subs = [sub for sub in kegiatan.sub_kegiatan.all() if visible(sub.bidang_id)]
        if indikator.pk not in seen_indikator and visible(None):
            key = indikator.row_key
            label = sasaran_label(len(seen_indikator))
            figures, to_date = _figure_cells(indikator, stored.get(key, empty), triwulan)
            missing = to_date.belum_dilaporkan
            if any(q < triwulan for q in missing):
                notes.append(missing_note(label, indikator, triwulan, missing))
            rows.append(
                Row(
                    cells=[
                        Cell("no", text=label),
                        Cell("kegiatan", text=_("Sasaran")),
                        Cell("uraian", text=indikator.sasaran.uraian),
                        Cell("indikator", text=indikator.indikator),
                        Cell("satuan", text=indikator.satuan),
                        *figures,
                    ],
                    key=key,
                    css="baris-sasaran",
                )
            )
            lampiran.add_sasaran(label, indikator, to_date)
        seen_indikator.add(indikator.pk)
        anggaran = lampiran.add_kegiatan(kegiatan, subs) if subs else []
        for index, sub in enumerate(subs):
            block = (
                [
                    Cell("no", text=str(kegiatan.nomor), rowspan=len(subs)),
                    Cell("kegiatan", text=kegiatan.nama, rowspan=len(subs)),
                ]
                if index == 0
                else []
            )
            key = sub.row_key
            figures, to_date = _figure_cells(sub, stored.get(key, empty), triwulan)
            missing = to_date.belum_dilaporkan
            if any(q < triwulan for q in missing):
                notes.append(missing_note(str(kegiatan.nomor), sub, triwulan, missing))
            rows.append(
                Row(
                    cells=[
                        *block,
                        Cell("uraian", text=sub.uraian),
                        Cell("indikator", text=sub.indikator),
                        Cell("satuan", text=sub.satuan),
                        *figures,
                    ],
                    key=key,
                )
            )
            lampiran.add_sub(sub, to_date, anggaran[index])
    verification = verification_of(dokumen) if dokumen is not None else None
    if profile is not None and not permissions.may_receive_signed_laporan(profile):
        # A staff member's rendering holds only the bidang's rows: it is not the signed file,
        # so it carries no code that would call it so.
        verification = None
    footer = [status_line(status), *notes, *footer_lines()]
    if lampiran.with_money:
        footer += keuangan_footer_lines(rencana.instansi, triwulan)
    if verification is not None:
        footer.append(verification_line(verification))
    if profile is not None and profile.peran == Peran.STAF and profile.bidang is not None:
        footer.insert(0, _("Hanya baris %(bidang)s.") % {"bidang": profile.bidang.nama})
    stem = f"laporan-capaian-{rencana.instansi.kode}-{rencana.tahun}-tw{triwulan}"
    return Table(
        title_lines=plan_title(
            rencana, _("LAPORAN CAPAIAN KINERJA TRIWULAN %(n)s") % {"n": triwulan}
        ),
        columns=report_columns(triwulan),
        rows=rows,
        signature=(
            signature_of_dokumen(dokumen) if dokumen is not None else signature_unsigned(rencana)
        ),
        author=rencana.instansi.nama,
        filename_stem=stem,
        footer_lines=footer,
        warnings=notes,
        verification=verification,
        lampiran=lampiran.table(instansi=rencana.instansi, author=rencana.instansi.nama),
    )


def laporan_links_add(table: Table, *, rencana: RencanaAksi, triwulan: int) -> None:
    """Give each row of a report ``table`` its page-only links: the quarter's evidence files
    (served by the access-checked download) and the row's place on the entry page.

    One query. The table holds only the rows its reader may see, and whoever may see a row
    may open its evidence (``permissions.bukti_for_user``), so no file is offered in vain.
    """
    bukti = selectors.bukti_of_quarter(rencana=rencana, triwulan=triwulan)
    entry = reverse("realisasi_form", kwargs={"tahun": rencana.tahun, "triwulan": triwulan})
    for row in table.rows:
        if not row.key:
            continue
        uraian = next((cell.text for cell in row.cells if cell.column == "uraian"), "")
        row.links = [
            *(
                Link(
                    text=item.nama_asli,
                    url=reverse("bukti_download", kwargs={"pk": item.pk}),
                    label=_("Bukti dukung: %(nama)s") % {"nama": item.nama_asli},
                )
                for item in bukti.get(row.key, [])
            ),
            Link(
                text=_("Isian TW %(n)d") % {"n": triwulan},
                url=f"{entry}#{row.key}",
                label=_("Isian TW %(n)d: %(uraian)s") % {"n": triwulan, "uraian": uraian},
            ),
        ]


# --- The report's second table: money and notes per row ----------------------------------------

# The notes of a realisation the report prints, in order (``Catatan``'s fields; KET stays in
# the performance table, where it has always been).
LAPORAN_CATATAN = ("faktor_pendorong", "kendala", "tindak_lanjut")


def lampiran_columns(triwulan: int, *, with_money: bool) -> list[Column]:
    """NO, URAIAN, [the money], FAKTOR PENDORONG, KENDALA, TINDAK LANJUT."""
    this_quarter = _("TW %(n)s") % {"n": triwulan}
    to_date = _("S.D. TW %(n)s") % {"n": triwulan}
    realisasi, serapan = _("REALISASI KEUANGAN (Rp)"), _("SERAPAN (%)")
    money = [
        Column("pagu", _("PAGU (Rp)"), kind=Kind.NUMBER, width=1.4, right=True),
        Column(
            "keuangan_tw", this_quarter, kind=Kind.NUMBER, group=realisasi, width=1.4, right=True
        ),
        Column("keuangan_sd", to_date, kind=Kind.NUMBER, group=realisasi, width=1.4, right=True),
        Column("serapan_tw", this_quarter, kind=Kind.NUMBER, group=serapan, width=0.85),
        Column("serapan_sd", to_date, kind=Kind.NUMBER, group=serapan, width=0.85),
        Column(
            "capaian_kinerja",
            _("CAPAIAN KINERJA S.D. TW %(n)s") % {"n": triwulan},
            kind=Kind.NUMBER,
            width=1.3,
        ),
        Column("efisiensi", _("POIN"), kind=Kind.NUMBER, group=_("EFISIENSI"), width=0.75),
        Column("efisiensi_kategori", _("KATEGORI"), group=_("EFISIENSI"), width=1.15, center=True),
    ]
    notes = 1.75 if with_money else 3.6
    return [
        Column("no", _("NO"), width=0.4, center=True),
        Column("uraian", _("SASARAN / KEGIATAN / SUB KEGIATAN"), width=2.0 if with_money else 3.2),
        *(money if with_money else []),
        Column("faktor_pendorong", _("FAKTOR PENDORONG"), width=notes),
        Column("kendala", _("KENDALA (FAKTOR PENGHAMBAT)"), width=notes),
        Column("tindak_lanjut", _("TINDAK LANJUT"), width=notes),
    ]


@dataclass
class _Entry:
    """One row of the second table before it is printed."""

    kind: str  # "sasaran", "kegiatan" or "sub"
    label: str
    text: str
    key: str
    capaian: Decimal | None  # capaian kinerja to date of the row's own indicator
    current: Realisasi | None  # this quarter's realisation, for its notes
    parts: list[Anggaran]  # summed when printed: a sasaran's list fills as its kegiatan come


class _Lampiran:
    """Collects the second table's rows while ``laporan_table`` walks the plan.

    A sasaran row sums the sub kegiatan of every kegiatan serving its indicator that the viewer
    sees, so its total is the sum of the rows printed under it; JUMLAH sums every printed sub
    kegiatan. Percentages come from the sums (``keuangan.anggaran_total``).
    """

    def __init__(self, *, triwulan: int, stored: dict[str, list[Realisasi | None]]):
        self.triwulan = triwulan
        self.stored = stored
        self.with_money = False
        self.entries: list[_Entry] = []
        self.by_indikator: dict[int, list[Anggaran]] = {}
        self.all: list[Anggaran] = []

    def _current(self, key: str) -> Realisasi | None:
        found = self.stored.get(key)
        return found[self.triwulan - 1] if found else None

    def add_sasaran(self, label: str, indikator, to_date: SampaiDengan) -> None:
        key = indikator.row_key
        parts = self.by_indikator.setdefault(indikator.pk, [])
        self.entries.append(
            _Entry(
                "sasaran",
                label,
                indikator.indikator,
                key,
                to_date.capaian,
                self._current(key),
                parts,
            )
        )

    def add_kegiatan(self, kegiatan: Kegiatan, subs: list[SubKegiatan]) -> list[Anggaran]:
        """The kegiatan's row; returns the money of each of ``subs``, in order."""
        parts = [Anggaran.of(sub, self.stored.get(sub.row_key, [None] * 4)) for sub in subs]
        self.by_indikator.setdefault(kegiatan.indikator_sasaran_id, []).extend(parts)
        self.all.extend(parts)
        self.entries.append(
            _Entry(
                "kegiatan",
                str(kegiatan.nomor),
                kegiatan.nama,
                f"keg-{kegiatan.pk}",
                None,
                None,
                parts,
            )
        )
        return parts

    def add_sub(self, sub: SubKegiatan, to_date: SampaiDengan, anggaran: Anggaran) -> None:
        key = sub.row_key
        self.entries.append(
            _Entry("sub", "", sub.uraian, key, to_date.capaian, self._current(key), [anggaran])
        )

    def table(self, *, instansi: Instansi, author: str) -> Table | None:
        """The second table; without money, only the rows that carry a note (None if none)."""
        rows = []
        for entry in self.entries:
            current = entry.current
            texts = [
                getattr(current, name) if current is not None else "" for name in LAPORAN_CATATAN
            ]
            if not self.with_money and not any(texts):
                continue
            cells = [Cell("no", text=entry.label), Cell("uraian", text=entry.text)]
            if self.with_money:
                cells += self._money_cells(anggaran_total(entry.parts), entry.capaian, instansi)
            cells += [
                Cell(name, text=text) for name, text in zip(LAPORAN_CATATAN, texts, strict=True)
            ]
            css = {"sasaran": "baris-sasaran", "kegiatan": "baris-kegiatan"}.get(entry.kind, "")
            rows.append(Row(cells=cells, key=f"lampiran-{entry.key}", css=css))
        if self.with_money and rows:
            total = anggaran_total(self.all)
            cells = [Cell("no"), Cell("uraian", text=_("JUMLAH"))]
            cells += self._money_cells(total, None, instansi)
            cells += [Cell(name) for name in LAPORAN_CATATAN]
            rows.append(Row(cells=cells, key="lampiran-jumlah", css="baris-jumlah"))
        if not rows:
            return None
        title = (
            _("REALISASI KEUANGAN, FAKTOR PENDORONG, KENDALA DAN TINDAK LANJUT TW %(n)s")
            if self.with_money
            else _("FAKTOR PENDORONG, KENDALA DAN TINDAK LANJUT TW %(n)s")
        )
        return Table(
            title_lines=[title % {"n": self.triwulan}],
            columns=lampiran_columns(self.triwulan, with_money=self.with_money),
            rows=rows,
            signature=None,
            author=author,
            # Names the XLSX sheet.
            filename_stem=_("Keuangan dan catatan") if self.with_money else _("Catatan"),
        )

    def _money_cells(self, anggaran: Anggaran, capaian, instansi: Instansi) -> list[Cell]:
        triwulan = self.triwulan
        score = keuangan.efisiensi(capaian, anggaran.serapan_sd(triwulan))
        band = keuangan.efisiensi_band(
            score,
            batas_atas=instansi.efisiensi_batas_atas,
            batas_bawah=instansi.efisiensi_batas_bawah,
        )
        grade = predikat(capaian)
        return [
            _rupiah("pagu", anggaran.pagu),
            _rupiah("keuangan_tw", anggaran.realisasi_tw(triwulan)),
            _rupiah("keuangan_sd", anggaran.realisasi_sd(triwulan)),
            _number("serapan_tw", anggaran.serapan_tw(triwulan), True),
            _number("serapan_sd", anggaran.serapan_sd(triwulan), True),
            _number("capaian_kinerja", capaian, True, css=grade.css if grade else ""),
            _number("efisiensi", score, False, css=band.css if band else ""),
            Cell(
                "efisiensi_kategori",
                text=str(band.label) if band else "-",
                css=band.css if band else "",
            ),
        ]


def _rupiah(column: str, value: int | None) -> Cell:
    """Whole rupiah as a number cell: "1.250.000" on the page, a number in the XLSX."""
    return _number(column, Decimal(value) if value is not None else None, False)


def keuangan_footer_lines(instansi: Instansi, triwulan: int) -> list[str]:
    """The money formulas, printed under the table as the capaian formulas are."""
    atas = format_number(instansi.efisiensi_batas_atas)
    bawah = format_number(instansi.efisiensi_batas_bawah)
    return [
        _(
            "Serapan TW %(n)s = realisasi keuangan TW %(n)s ÷ pagu × 100; serapan s.d. TW %(n)s "
            "= Σ realisasi keuangan TW 1 s.d. TW %(n)s ÷ pagu × 100. Baris sasaran, kegiatan dan "
            "JUMLAH: Σ rupiah sub kegiatan di bawahnya, serapannya dihitung dari jumlah itu "
            '(bukan rata-rata persentase). Tanpa pagu: "-".'
        )
        % {"n": triwulan},
        _(
            "Efisiensi = capaian kinerja s.d. TW %(n)s − serapan s.d. TW %(n)s (poin persen): "
            "%(efisien)s di atas %(atas)s; %(sesuai)s %(bawah)s s.d. %(atas)s; "
            "%(kurang)s di bawah %(bawah)s."
        )
        % {
            "n": triwulan,
            "atas": atas,
            "bawah": bawah,
            "efisien": keuangan.EFISIEN.label,
            "sesuai": keuangan.SESUAI.label,
            "kurang": keuangan.KURANG_EFISIEN.label,
        },
    ]


def status_line(status: StatusTriwulan) -> str:
    """The report's line on the kepala's approval, as printed under the table."""
    if status.status != StatusPersetujuan.DISETUJUI:
        return _("Status: belum disetujui kepala (%(status)s).") % {
            "status": status.get_status_display().lower()
        }
    return _("Status: Disetujui oleh %(nama)s pada %(tanggal)s.") % {
        "nama": user_display(status.diubah_oleh),
        "tanggal": date_display(status.diubah_pada),
    }


def footer_lines() -> list[str]:
    bounds = [p.minimum for p in PREDIKAT]
    parts = []
    for index, grade in enumerate(PREDIKAT):
        if index == 0:
            parts.append(_("%(label)s: %(low)s ke atas") % {"label": grade.label, "low": bounds[0]})
        elif grade.minimum.is_finite():
            parts.append(
                _("%(label)s: %(low)s s.d. di bawah %(high)s")
                % {"label": grade.label, "low": grade.minimum, "high": bounds[index - 1]}
            )
        else:
            parts.append(
                _("%(label)s: di bawah %(high)s")
                % {"label": grade.label, "high": bounds[index - 1]}
            )
    return [
        _(
            "Capaian = realisasi ÷ target × 100 (semakin tinggi semakin baik); "
            "(2 × target - realisasi) ÷ target × 100, tidak kurang dari 0 "
            "(semakin rendah semakin baik)."
        ),
        _(
            "S.D. triwulan: Σ realisasi ÷ Σ target triwulan yang sudah berjalan (metode "
            'kumulatif; "-" selama ada triwulan bertarget yang belum dilaporkan) atau nilai '
            "triwulan berjalan, atau triwulan terakhir sebelumnya yang bertarget dan sudah "
            'dilaporkan (metode nilai terakhir). Tanpa target: "-".'
        ),
        _("Predikat (Permendagri 86/2017): %(scale)s.") % {"scale": "; ".join(parts)},
    ]

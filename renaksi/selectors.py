"""Reads: the plans a user may see, the printed layout of a plan, a quarter's review status."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from renaksi.capaian import capaian_triwulan
from renaksi.layout import Cell, Column, Kind, QuarterValue, Row, Signature, Table
from renaksi.models import (
    Bidang,
    Indikator,
    IndikatorSasaran,
    Kegiatan,
    Peran,
    Profile,
    Realisasi,
    RencanaAksi,
    StatusTriwulan,
    SubKegiatan,
)
from renaksi.nip import format_nip


def rencana_list(*, instansi_id: int) -> QuerySet[RencanaAksi]:
    return RencanaAksi.objects.filter(instansi_id=instansi_id).order_by("-tahun")


def rencana_get(*, instansi_id: int, tahun: int) -> RencanaAksi | None:
    return (
        RencanaAksi.objects.select_related("instansi")
        .filter(instansi_id=instansi_id, tahun=tahun)
        .first()
    )


def status_triwulan(*, rencana: RencanaAksi, triwulan: int) -> StatusTriwulan:
    """The review status of a quarter, with who changed it last, in one query.

    A quarter never submitted has no row: it gets an unsaved one with status "diisi" (and no
    ``diubah_oleh``/``diubah_pada``).
    """
    found = (
        StatusTriwulan.objects.select_related("diubah_oleh")
        .filter(rencana=rencana, triwulan=triwulan)
        .first()
    )
    if found is None:
        return StatusTriwulan(rencana=rencana, triwulan=triwulan)
    found.rencana = rencana  # already loaded; spares a query when it is followed
    return found


def kegiatan_of_plan(*, rencana: RencanaAksi) -> QuerySet[Kegiatan]:
    """Every kegiatan of the plan in NO order, with all a printed row needs, in two queries."""
    return (
        Kegiatan.objects.filter(program__rencana=rencana)
        .select_related("program", "indikator_sasaran__sasaran")
        .prefetch_related(
            Prefetch(
                "sub_kegiatan",
                queryset=SubKegiatan.objects.select_related("bidang").order_by("urutan"),
            )
        )
        .order_by("nomor")
    )


def quarter_values(indikator: Indikator) -> tuple[QuarterValue, ...]:
    return tuple(
        QuarterValue(triwulan=q, value=value, percent=indikator.target_persen)
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
        Cell("target_sasaran", quarters=quarter_values(indikator), rowspan=rowspan),
        Cell("program", text=kegiatan.program.nama, rowspan=rowspan),
        Cell("kegiatan", text=kegiatan.nama, rowspan=rowspan),
    ]


def rencana_aksi_table(*, rencana: RencanaAksi) -> Table:
    """The signed Rencana Aksi table of a plan: one row per sub kegiatan, NO blocks merged.

    Runs two queries whatever the size of the plan (``rencana.instansi`` must be loaded).
    """
    rows: list[Row] = []
    for kegiatan in kegiatan_of_plan(rencana=rencana):
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
    return Table(
        title_lines=plan_title(rencana, _("TABEL RENCANA AKSI")),
        columns=plan_columns(),
        rows=rows,
        signature=signature_of(rencana),
        author=rencana.instansi.nama,
        filename_stem=f"rencana-aksi-{rencana.instansi.kode}-{rencana.tahun}",
    )


# --- Quarterly realisation -------------------------------------------------------------------


@dataclass
class EntryRow:
    """One indicator a user reports on for a quarter, with what the entry page shows beside it."""

    key: str  # "sub-<id>" or "ind-<id>": stable across pages, forms and spreadsheets
    indikator: Indikator
    nomor: int | None  # the NO of the kegiatan (sub kegiatan rows)
    uraian: str
    bidang: Bidang | None
    realisasi: list[Realisasi | None]  # index 0..3 for TW 1..4
    can_edit: bool
    children: list["EntryRow"] = field(default_factory=list)  # sub kegiatan of a sasaran row

    @property
    def is_sasaran(self) -> bool:
        return isinstance(self.indikator, IndikatorSasaran)

    def values(self) -> list[Decimal | None]:
        return [r.nilai if r is not None else None for r in self.realisasi]

    def current(self, triwulan: int) -> Realisasi | None:
        return self.realisasi[triwulan - 1]

    def rollup(self, triwulan: int) -> Decimal | None:
        """For a sasaran row: its quarter target × the mean capaian of its sub kegiatan ÷ 100.

        A suggestion only; the user decides the sasaran's realisation.
        """
        target = self.indikator.target(triwulan)
        scores = [
            score
            for child in self.children
            if (
                score := capaian_triwulan(
                    child.indikator.targets(), child.values(), triwulan, child.indikator.arah
                )
            )
            is not None
        ]
        if target is None or not scores:
            return None
        return target * (sum(scores) / len(scores)) / 100


def realisasi_of_plan(
    *, rencana: RencanaAksi, with_bukti: bool = True
) -> dict[str, list[Realisasi | None]]:
    """Every realisation of the plan by row key (and its evidence files), in one or two queries."""
    found: dict[str, list[Realisasi | None]] = {}
    queryset = Realisasi.objects.filter(
        Q(sub_kegiatan__kegiatan__program__rencana=rencana)
        | Q(indikator_sasaran__sasaran__rencana=rencana)
    ).select_related("diubah_oleh")
    if with_bukti:
        queryset = queryset.prefetch_related("bukti")
    for realisasi in queryset:
        found.setdefault(realisasi.row_key, [None, None, None, None])[realisasi.triwulan - 1] = (
            realisasi
        )
    return found


def may_edit_row(profile: Profile, bidang_id: int | None) -> bool:
    """Admin reports on every row; staff on the sub kegiatan of their own bidang only."""
    if profile.peran == Peran.ADMIN:
        return True
    return profile.peran == Peran.STAF and bidang_id is not None and bidang_id == profile.bidang_id


def may_see_row(profile: Profile, bidang_id: int | None) -> bool:
    """Kepala and pemeriksa see every row (read-only); staff only their bidang's rows."""
    if profile.peran in (Peran.ADMIN, Peran.KEPALA, Peran.PEMERIKSA):
        return True
    return may_edit_row(profile, bidang_id)


def entry_rows(
    *, rencana: RencanaAksi, profile: Profile, with_bukti: bool = True
) -> list[EntryRow]:
    """The rows ``profile`` may see for the plan, sasaran rows first-class with their children.

    Sasaran indicator rows come before the sub kegiatan under them, in plan order. Runs a
    constant number of queries (kegiatan, sub kegiatan, realisasi, and unless ``with_bukti`` is
    False the evidence, which only the entry page shows) for any plan size.
    """
    stored = realisasi_of_plan(rencana=rencana, with_bukti=with_bukti)
    empty: list[Realisasi | None] = [None, None, None, None]
    rows: list[EntryRow] = []
    sasaran_rows: dict[int, EntryRow] = {}
    for kegiatan in kegiatan_of_plan(rencana=rencana):
        indikator = kegiatan.indikator_sasaran
        parent = sasaran_rows.get(indikator.pk)
        if parent is None:
            parent = EntryRow(
                key=indikator.row_key,
                indikator=indikator,
                nomor=None,
                uraian=indikator.sasaran.uraian,
                bidang=None,
                realisasi=stored.get(indikator.row_key, list(empty)),
                can_edit=may_edit_row(profile, None),
            )
            sasaran_rows[indikator.pk] = parent
            if may_see_row(profile, None):
                rows.append(parent)
        for sub in kegiatan.sub_kegiatan.all():
            row = EntryRow(
                key=sub.row_key,
                indikator=sub,
                nomor=kegiatan.nomor,
                uraian=sub.uraian,
                bidang=sub.bidang,
                realisasi=stored.get(sub.row_key, list(empty)),
                can_edit=may_edit_row(profile, sub.bidang_id),
            )
            parent.children.append(row)
            if may_see_row(profile, sub.bidang_id):
                rows.append(row)
    return rows

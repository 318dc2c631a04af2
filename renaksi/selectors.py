"""Reads: plans, a quarter's review status, the rows a user reports on, evidence files.

Each runs a fixed number of queries whatever the size of the plan.
"""

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from renaksi import permissions
from renaksi.capaian import capaian_triwulan, realisasi_for_capaian
from renaksi.models import (
    QUARTERS,
    STATUS_TERKUNCI,
    Bidang,
    Bukti,
    DokumenTertanda,
    Indikator,
    IndikatorSasaran,
    Kegiatan,
    Profile,
    Program,
    Realisasi,
    RealisasiRiwayat,
    RencanaAksi,
    Sasaran,
    StatusTriwulan,
    SubKegiatan,
)
from renaksi.rencana_import import spec


def rencana_list(*, instansi_id: int) -> QuerySet[RencanaAksi]:
    return RencanaAksi.objects.filter(instansi_id=instansi_id).order_by("-tahun")


def rencana_years(*, instansi_id: int, with_drafts: bool) -> list[tuple[int, bool]]:
    """(year, published) of the agency's plans, newest first; drafts only ``with_drafts``."""
    plans = rencana_list(instansi_id=instansi_id)
    if not with_drafts:
        plans = plans.filter(diterbitkan=True)
    return list(plans.values_list("tahun", "diterbitkan"))


def rencana_current(*, instansi_id: int, today_year: int) -> RencanaAksi | None:
    """The plan people work on: the published plan of this year, else the latest published.

    Never a draft, even a newer one: a plan being prepared for next year must not take over
    the home page while this year's quarters are reported.
    """
    published = RencanaAksi.objects.filter(instansi_id=instansi_id, diterbitkan=True)
    return (
        published.filter(tahun=today_year).first()
        or published.filter(tahun__lte=today_year).order_by("-tahun").first()
        or published.order_by("-tahun").first()
    )


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
        Kegiatan.objects.filter(rencana=rencana)
        .select_related("program", "indikator_sasaran__sasaran")
        .prefetch_related(
            Prefetch(
                "sub_kegiatan",
                queryset=SubKegiatan.objects.select_related("bidang").order_by("urutan"),
            )
        )
        .order_by("nomor")
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
        """For a sasaran row: the realisation that scores the mean capaian of its sub kegiatan.

        Against the sasaran's quarter target, by its direction (``realisasi_for_capaian``): for
        higher-is-better the target × the mean ÷ 100; for lower-is-better a sub kegiatan at 110 %
        suggests fewer incidents than the target, not more. A suggestion only; the user decides
        the sasaran's realisation.
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
        return realisasi_for_capaian(sum(scores) / len(scores), target, self.indikator.arah)


def realisasi_of_plan(
    *, rencana: RencanaAksi, with_bukti: bool = True
) -> dict[str, list[Realisasi | None]]:
    """Every realisation of the plan by row key (and its evidence files), in one or two queries."""
    return _by_row_key(
        Realisasi.objects.filter(
            Q(sub_kegiatan__kegiatan__rencana=rencana)
            | Q(indikator_sasaran__sasaran__rencana=rencana)
        ),
        with_bukti=with_bukti,
    )


def _by_row_key(queryset, *, with_bukti: bool) -> dict[str, list[Realisasi | None]]:
    """Realisations as TW 1–4 lists by row key, with who saved them (and their evidence)."""
    queryset = queryset.select_related("diubah_oleh")
    if with_bukti:
        queryset = queryset.prefetch_related("bukti")
    found: dict[str, list[Realisasi | None]] = {}
    for realisasi in queryset:
        found.setdefault(realisasi.row_key, [None, None, None, None])[realisasi.triwulan - 1] = (
            realisasi
        )
    return found


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
                can_edit=permissions.may_edit_row(profile, None),
            )
            sasaran_rows[indikator.pk] = parent
            if permissions.may_see_row(profile, None):
                rows.append(parent)
        for sub in kegiatan.sub_kegiatan.all():
            row = EntryRow(
                key=sub.row_key,
                indikator=sub,
                nomor=kegiatan.nomor,
                uraian=sub.uraian,
                bidang=sub.bidang,
                realisasi=stored.get(sub.row_key, list(empty)),
                can_edit=permissions.may_edit_row(profile, sub.bidang_id),
            )
            parent.children.append(row)
            if permissions.may_see_row(profile, sub.bidang_id):
                rows.append(row)
    return rows


# --- The entry page, one page of a large plan at a time ----------------------------------------


@dataclass(frozen=True)
class KegiatanOutline:
    """A kegiatan as the entry page's pager sees it: where it stands and how many rows it has."""

    pk: int
    nomor: int
    indikator_sasaran_id: int
    rows: int  # its sub kegiatan rows shown (of the bidang, under a bidang filter)


def entry_outline(*, kegiatan: QuerySet[Kegiatan], bidang_id: int | None) -> list[KegiatanOutline]:
    """The kegiatan of ``kegiatan`` in NO order with their sub kegiatan counts, in one query.

    Under a bidang only the kegiatan with a sub kegiatan of that bidang, counting only those.
    """
    count = Count(
        "sub_kegiatan", filter=Q(sub_kegiatan__bidang_id=bidang_id) if bidang_id else None
    )
    found = kegiatan.annotate(rows=count).order_by("nomor", "pk")
    if bidang_id:
        found = found.filter(rows__gt=0)
    return [
        KegiatanOutline(*values)
        for values in found.values_list("pk", "nomor", "indikator_sasaran_id", "rows")
    ]


def _realisasi_of_rows(
    sub_ids: Collection[int], ind_ids: Collection[int], *, with_bukti: bool
) -> dict[str, list[Realisasi | None]]:
    """The realisations (TW 1–4) of the rows named, by row key, in one or two queries."""
    if not sub_ids and not ind_ids:
        return {}
    return _by_row_key(
        Realisasi.objects.filter(
            Q(sub_kegiatan_id__in=sub_ids) | Q(indikator_sasaran_id__in=ind_ids)
        ),
        with_bukti=with_bukti,
    )


def _sub_row(sub: SubKegiatan, nomor: int, stored: dict, profile: Profile) -> EntryRow:
    return EntryRow(
        key=sub.row_key,
        indikator=sub,
        nomor=nomor,
        uraian=sub.uraian,
        bidang=sub.bidang,
        realisasi=stored.get(sub.row_key) or [None, None, None, None],
        can_edit=permissions.may_edit_row(profile, sub.bidang_id),
    )


def _sasaran_row(indikator: IndikatorSasaran, stored: dict, profile: Profile) -> EntryRow:
    return EntryRow(
        key=indikator.row_key,
        indikator=indikator,
        nomor=None,
        uraian=indikator.sasaran.uraian,
        bidang=None,
        realisasi=stored.get(indikator.row_key) or [None, None, None, None],
        can_edit=permissions.may_edit_row(profile, None),
    )


def entry_rows_of_kegiatan(
    *,
    rencana: RencanaAksi,
    profile: Profile,
    kegiatan_ids: Collection[int],
    bidang_id: int | None = None,
    sasaran_ids: Collection[int] = (),
) -> list[EntryRow]:
    """``entry_rows`` for some kegiatan only (one page of the entry page), same order and rows.

    Under a bidang only its sub kegiatan. The sasaran indicator rows of ``sasaran_ids`` (for a
    profile that sees them) come before their first kegiatan here, each with all its sub
    kegiatan of the plan as children (its suggested value needs them all). Runs the same
    queries for any plan size: kegiatan, sub kegiatan, the sasaran rows' children when asked,
    realisations and their evidence; the rows read grow with the page, not the plan.
    """
    subs = SubKegiatan.objects.select_related("bidang").order_by("urutan")
    if bidang_id:
        subs = subs.filter(bidang_id=bidang_id)
    kegiatan = list(
        Kegiatan.objects.filter(rencana=rencana, pk__in=list(kegiatan_ids))
        .select_related("indikator_sasaran__sasaran")
        .prefetch_related(Prefetch("sub_kegiatan", queryset=subs))
        .order_by("nomor", "pk")
    )
    shown = set(sasaran_ids) if permissions.may_see_row(profile, None) else set()
    indikator = {
        k.indikator_sasaran_id: k.indikator_sasaran
        for k in kegiatan
        if k.indikator_sasaran_id in shown
    }
    children = (
        SubKegiatan.objects.filter(
            kegiatan__rencana=rencana, kegiatan__indikator_sasaran_id__in=list(indikator)
        )
        .annotate(indikator_sasaran_id=F("kegiatan__indikator_sasaran_id"))
        .order_by("kegiatan__nomor", "urutan")
        if indikator
        else []
    )
    children = list(children)
    sub_ids = {sub.pk for k in kegiatan for sub in k.sub_kegiatan.all()}
    sub_ids |= {sub.pk for sub in children}
    stored = _realisasi_of_rows(sub_ids, list(indikator), with_bukti=True)
    parents = {pk: _sasaran_row(ind, stored, profile) for pk, ind in indikator.items()}
    for sub in children:
        # Only what the suggestion reads: targets, direction and values.
        parents[sub.indikator_sasaran_id].children.append(
            EntryRow(
                key=sub.row_key,
                indikator=sub,
                nomor=None,
                uraian=sub.uraian,
                bidang=None,
                realisasi=stored.get(sub.row_key) or [None, None, None, None],
                can_edit=False,
            )
        )
    rows: list[EntryRow] = []
    for k in kegiatan:
        parent = parents.pop(k.indikator_sasaran_id, None)
        if parent is not None:
            rows.append(parent)
        for sub in k.sub_kegiatan.all():
            if permissions.may_see_row(profile, sub.bidang_id):
                rows.append(_sub_row(sub, k.nomor, stored, profile))
    return rows


def entry_rows_by_key(
    *, rencana: RencanaAksi, profile: Profile, keys: Collection[str]
) -> list[EntryRow]:
    """The rows of ``rencana`` named by row keys that ``profile`` may see, in four queries.

    What a save needs (the rows posted, not the page, not the plan): keys of other plans, of
    rows the profile may not see and of no row at all are left out. No sasaran children.
    """
    sub_ids, ind_ids = _ids_of_keys(keys)
    subs = (
        SubKegiatan.objects.filter(pk__in=sub_ids, kegiatan__rencana=rencana)
        .select_related("kegiatan", "bidang")
        .order_by("kegiatan__nomor", "urutan")
        if sub_ids
        else []
    )
    inds = (
        IndikatorSasaran.objects.filter(pk__in=ind_ids, sasaran__rencana=rencana)
        .select_related("sasaran")
        .order_by("sasaran__urutan", "urutan")
        if ind_ids
        else []
    )
    subs, inds = list(subs), list(inds)
    stored = _realisasi_of_rows([s.pk for s in subs], [i.pk for i in inds], with_bukti=True)
    rows = [_sasaran_row(ind, stored, profile) for ind in inds]
    rows += [_sub_row(sub, sub.kegiatan.nomor, stored, profile) for sub in subs]
    return [
        row
        for row in rows
        if permissions.may_see_row(profile, getattr(row.indikator, "bidang_id", None))
    ]


ROW_ID = re.compile(r"[0-9]{1,18}")  # fits a database integer; longer is no row of ours


def _ids_of_keys(keys: Collection[str]) -> tuple[list[int], list[int]]:
    """The sub kegiatan and sasaran indicator ids named by row keys; malformed keys dropped."""
    sub_ids, ind_ids = [], []
    for key in keys:
        kind, _sep, raw = key.partition("-")
        if kind in ("sub", "ind") and ROW_ID.fullmatch(raw):
            (sub_ids if kind == "sub" else ind_ids).append(int(raw))
    return sub_ids, ind_ids


def indikator_by_key(*, rencana: RencanaAksi, keys: list[str]) -> dict[str, Indikator]:
    """The plan's indicators named by row keys, in two queries; keys of other plans are absent."""
    sub_ids, ind_ids = _ids_of_keys(keys)
    found: dict[str, Indikator] = {}
    for sub in SubKegiatan.objects.filter(pk__in=sub_ids, kegiatan__rencana=rencana):
        found[sub.row_key] = sub
    for ind in IndikatorSasaran.objects.filter(pk__in=ind_ids, sasaran__rencana=rencana):
        found[ind.row_key] = ind
    return found


def bukti_of_agency(*, instansi_id: int) -> QuerySet[Bukti]:
    """The evidence files of an agency's plans, each with its row's bidang, plan and year.

    ``bidang_id`` is None for a sasaran row's file.
    """
    return (
        Bukti.objects.filter(
            Q(realisasi__sub_kegiatan__kegiatan__rencana__instansi_id=instansi_id)
            | Q(realisasi__indikator_sasaran__sasaran__rencana__instansi_id=instansi_id)
        )
        .select_related("realisasi")
        .annotate(
            bidang_id=F("realisasi__sub_kegiatan__bidang_id"),
            tahun=Coalesce(
                "realisasi__sub_kegiatan__kegiatan__rencana__tahun",
                "realisasi__indikator_sasaran__sasaran__rencana__tahun",
            ),
            rencana_id=Coalesce(
                "realisasi__sub_kegiatan__kegiatan__rencana_id",
                "realisasi__indikator_sasaran__sasaran__rencana_id",
            ),
        )
    )


def bukti_of_quarter(*, rencana: RencanaAksi, triwulan: int) -> dict[str, list[Bukti]]:
    """The evidence files of one quarter of the plan by row key, in one query."""
    found: dict[str, list[Bukti]] = {}
    queryset = (
        Bukti.objects.filter(
            Q(realisasi__sub_kegiatan__kegiatan__rencana=rencana)
            | Q(realisasi__indikator_sasaran__sasaran__rencana=rencana),
            realisasi__triwulan=triwulan,
        )
        .select_related("realisasi")
        .order_by("diunggah_pada", "pk")
    )
    for bukti in queryset:
        found.setdefault(bukti.realisasi.row_key, []).append(bukti)
    return found


def statuses_of_plan(*, rencana: RencanaAksi) -> list[StatusTriwulan]:
    """TW 1–4's review status, in one query (a quarter never submitted: an unsaved "diisi")."""
    found = {
        status.triwulan: status
        for status in StatusTriwulan.objects.select_related("diubah_oleh").filter(rencana=rencana)
    }
    return [found.get(q) or StatusTriwulan(rencana=rencana, triwulan=q) for q in QUARTERS]


def sub_kegiatan_owed(
    *, rencana: RencanaAksi, triwulan: int, bidang_id: int | None = None
) -> QuerySet[SubKegiatan]:
    """Sub kegiatan with a target in ``triwulan`` and no realisation value yet (one query)."""
    reported = Realisasi.objects.filter(
        sub_kegiatan=OuterRef("pk"), triwulan=triwulan, nilai__isnull=False
    )
    owed = (
        SubKegiatan.objects.filter(kegiatan__rencana=rencana)
        .filter(**{f"target_tw{triwulan}__isnull": False})
        .exclude(Exists(reported))
        .select_related("kegiatan", "bidang")
    )
    if bidang_id is not None:
        owed = owed.filter(bidang_id=bidang_id)
    return owed


def last_saves(*, user, rencana: RencanaAksi, limit: int = 8) -> list[RealisasiRiwayat]:
    """The user's latest saved versions in this plan, newest first, with their rows."""
    return list(
        RealisasiRiwayat.objects.filter(diubah_oleh=user)
        .filter(
            Q(realisasi__sub_kegiatan__kegiatan__rencana=rencana)
            | Q(realisasi__indikator_sasaran__sasaran__rencana=rencana)
        )
        .select_related("realisasi__sub_kegiatan", "realisasi__indikator_sasaran")
        .order_by("-diubah_pada", "-pk")[:limit]
    )


# --- A plan as plain data (export's Data sheet, import, copy) ----------------------------------


def _ukuran(indikator: Indikator) -> spec.Ukuran:
    return spec.Ukuran(
        indikator=indikator.indikator,
        satuan=indikator.satuan,
        persen=indikator.target_persen,
        arah=indikator.arah,
        metode=indikator.metode_capaian,
        targets=tuple(indikator.targets()),
        bulat=indikator.bilangan_bulat,
        target_renstra=indikator.target_renstra,
        realisasi_lalu=indikator.realisasi_lalu,
    )


def _anggaran(sub: SubKegiatan) -> spec.Anggaran:
    return spec.Anggaran(
        pagu=sub.pagu,
        kas=tuple(sub.kas(q) for q in (1, 2, 3, 4)),
        pagu_renstra=sub.pagu_renstra,
        realisasi_lalu_rp=sub.realisasi_lalu_rp,
    )


def rencana_data(*, rencana: RencanaAksi) -> spec.RencanaData:
    """The whole plan without ids (``rencana_import.spec.RencanaData``), in five queries.

    Also the sasaran, indicators and programs no kegiatan refers to, which the printed table
    cannot show.
    """
    sasaran = Sasaran.objects.filter(rencana=rencana).prefetch_related(
        Prefetch("indikator", queryset=IndikatorSasaran.objects.order_by("urutan"))
    )
    programs = Program.objects.filter(rencana=rencana).order_by("urutan")
    return spec.RencanaData(
        penandatangan=spec.Penandatangan(
            tempat=rencana.tempat_ttd,
            bulan=rencana.bulan_ttd,
            tahun=rencana.tahun_ttd,
            jabatan=rencana.jabatan_penandatangan,
            nama=rencana.nama_penandatangan,
            pangkat=rencana.pangkat_penandatangan,
            nip=rencana.nip_penandatangan,
        ),
        sasaran=tuple(
            spec.SasaranData(
                urutan=s.urutan,
                uraian=s.uraian,
                indikator=tuple(
                    spec.IndikatorSasaranData(urutan=i.urutan, ukuran=_ukuran(i))
                    for i in s.indikator.all()
                ),
            )
            for s in sasaran.order_by("urutan")
        ),
        program=tuple(spec.ProgramData(urutan=p.urutan, nama=p.nama) for p in programs),
        kegiatan=tuple(
            spec.KegiatanData(
                nomor=k.nomor,
                program=k.program.urutan,
                sasaran=k.indikator_sasaran.sasaran.urutan,
                indikator=k.indikator_sasaran.urutan,
                nama=k.nama,
                sub_kegiatan=tuple(
                    spec.SubKegiatanData(
                        urutan=sub.urutan,
                        uraian=sub.uraian,
                        ukuran=_ukuran(sub),
                        bidang=sub.bidang.nama,
                        ket=sub.ket,
                        anggaran=_anggaran(sub),
                    )
                    for sub in k.sub_kegiatan.all()
                ),
            )
            for k in kegiatan_of_plan(rencana=rencana)
        ),
    )


def rencana_under_review(*, rencana_id: int) -> bool:
    """Whether a quarter of the plan is submitted to or approved by the kepala."""
    return StatusTriwulan.objects.filter(rencana_id=rencana_id, status__in=STATUS_TERKUNCI).exists()


# --- The plan's history ------------------------------------------------------------------------


@dataclass(frozen=True)
class RiwayatEntry:
    """One recorded change of a plan's row: who, when, what, old → new, and why."""

    pada: object  # datetime
    oleh: object  # User or None (a command)
    objek: str  # "Sub kegiatan 3.2", "Rencana aksi"
    jenis: str  # "+", "~", "-" (simple-history's history_type)
    perubahan: list[tuple[str, str, str]]  # (field label, old, new)
    alasan: str


HISTORY_SKIP = {"id", "diperbarui"}


def _shown(value) -> object:
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    return value


def rencana_history(*, rencana: RencanaAksi) -> list[RiwayatEntry]:
    """Every recorded change of the plan and its rows, newest first, in nine queries.

    Old → new is computed between consecutive versions of each row, in Python.
    """
    # Numbers of the parents as they are now (a removed parent shows "?").
    sasaran_no = dict(Sasaran.objects.filter(rencana=rencana).values_list("pk", "urutan"))
    kegiatan_no = dict(Kegiatan.objects.filter(rencana=rencana).values_list("pk", "nomor"))
    history_models = [
        (RencanaAksi, RencanaAksi.history.filter(id=rencana.pk), lambda r: _("Rencana aksi")),
        (
            Sasaran,
            Sasaran.history.filter(rencana_id=rencana.pk),
            lambda r: _("Sasaran %(n)s") % {"n": r.urutan},
        ),
        (
            IndikatorSasaran,
            IndikatorSasaran.history.filter(
                sasaran_id__in=Sasaran.history.filter(rencana_id=rencana.pk).values("id")
            ),
            lambda r: (
                _("Indikator sasaran %(s)s.%(n)s")
                % {"s": sasaran_no.get(r.sasaran_id, "?"), "n": r.urutan}
            ),
        ),
        (
            Program,
            Program.history.filter(rencana_id=rencana.pk),
            lambda r: _("Program %(n)s") % {"n": r.urutan},
        ),
        (
            Kegiatan,
            Kegiatan.history.filter(rencana_id=rencana.pk),
            lambda r: _("Kegiatan NO %(n)s") % {"n": r.nomor},
        ),
        (
            SubKegiatan,
            SubKegiatan.history.filter(
                kegiatan_id__in=Kegiatan.history.filter(rencana_id=rencana.pk).values("id")
            ),
            lambda r: (
                _("Sub kegiatan %(k)s.%(n)s")
                % {"k": kegiatan_no.get(r.kegiatan_id, "?"), "n": r.urutan}
            ),
        ),
    ]
    bidang = dict(Bidang.objects.filter(instansi_id=rencana.instansi_id).values_list("pk", "nama"))
    entries: list[RiwayatEntry] = []
    for model, records, label in history_models:
        fields = [
            f
            for f in model._meta.concrete_fields
            if f.name not in HISTORY_SKIP and not f.name.startswith("history")
        ]
        previous: dict[int, object] = {}
        for record in records.select_related("history_user").order_by(
            "id", "history_date", "history_id"
        ):
            before = previous.get(record.id)
            changes = []
            for f in fields:
                new = getattr(record, f.attname)
                old = getattr(before, f.attname) if before is not None else None
                if before is not None and old == new:
                    continue
                if before is None and record.history_type != "~":
                    continue  # a created or deleted row: its values are the row itself
                show = (lambda v: bidang.get(v, v)) if f.name == "bidang" else _shown
                changes.append(
                    (
                        str(f.verbose_name),
                        "" if old is None else str(show(old)),
                        "" if new is None else str(show(new)),
                    )
                )
            previous[record.id] = record
            if record.history_type == "~" and before is not None and not changes:
                continue  # saved without a change of any recorded field
            entries.append(
                RiwayatEntry(
                    pada=record.history_date,
                    oleh=record.history_user,
                    objek=label(record),
                    jenis=record.history_type,
                    perubahan=changes,
                    alasan=record.history_change_reason or "",
                )
            )
    entries.sort(key=lambda e: e.pada, reverse=True)
    return entries


# --- Signed documents ----------------------------------------------------------------------------


def dokumen_berlaku(
    *, rencana: RencanaAksi, jenis: str, triwulan: int | None = None
) -> DokumenTertanda | None:
    """The signed document in force of a plan (its table, or a quarter's report), one query."""
    return DokumenTertanda.objects.filter(
        rencana=rencana, jenis=jenis, triwulan=triwulan, diganti_pada__isnull=True
    ).first()


def dokumen_by_kode(*, kode: str) -> DokumenTertanda | None:
    """A signed document by its verification code, with its plan and agency, one query."""
    return DokumenTertanda.objects.select_related("rencana__instansi").filter(kode=kode).first()


def penandatangan_default(*, user, rencana: RencanaAksi) -> dict[str, str]:
    """What the approval form proposes: the kepala's own profile, today, the agency's city.

    The profile's jabatan, pangkat and NIP where filled in, else the plan's signatory's.
    """

    profile = getattr(user, "profile", None)
    return {
        "tempat": rencana.instansi.kota,
        "tanggal": timezone.localdate().isoformat(),
        "sebagai": "",
        "jabatan": (profile.jabatan if profile else "") or rencana.jabatan_penandatangan,
        "nama": user.get_full_name() or rencana.nama_penandatangan,
        "pangkat": (profile.pangkat if profile else "") or rencana.pangkat_penandatangan,
        "nip": (profile.nip if profile else "") or rencana.nip_penandatangan,
    }

"""Reads: plans, a quarter's review status, the rows a user reports on, evidence files.

Each runs a fixed number of queries whatever the size of the plan.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from renaksi import permissions
from renaksi.capaian import capaian_triwulan, realisasi_for_capaian
from renaksi.models import (
    Bidang,
    Bukti,
    DokumenTertanda,
    Indikator,
    IndikatorSasaran,
    Kegiatan,
    Profile,
    Realisasi,
    RencanaAksi,
    StatusTriwulan,
    SubKegiatan,
)


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
    found: dict[str, list[Realisasi | None]] = {}
    queryset = Realisasi.objects.filter(
        Q(sub_kegiatan__kegiatan__rencana=rencana) | Q(indikator_sasaran__sasaran__rencana=rencana)
    ).select_related("diubah_oleh")
    if with_bukti:
        queryset = queryset.prefetch_related("bukti")
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


ROW_ID = re.compile(r"[0-9]{1,18}")  # fits a database integer; longer is no row of ours


def indikator_by_key(*, rencana: RencanaAksi, keys: list[str]) -> dict[str, Indikator]:
    """The plan's indicators named by row keys, in two queries; keys of other plans are absent."""
    sub_ids, ind_ids = [], []
    for key in keys:
        kind, _sep, raw = key.partition("-")
        if kind in ("sub", "ind") and ROW_ID.fullmatch(raw):
            (sub_ids if kind == "sub" else ind_ids).append(int(raw))
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

"""Writes: saving quarterly realisations (from the page and from a spreadsheet)."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from renaksi.models import (
    Indikator,
    IndikatorSasaran,
    Realisasi,
    RealisasiRiwayat,
    RencanaAksi,
    SubKegiatan,
)
from renaksi.permissions import profile_of
from renaksi.selectors import may_edit_row

MAX_NILAI = Decimal("999999999999.99")


@dataclass(frozen=True)
class RealisasiInput:
    key: str  # "sub-<id>" or "ind-<id>", as in selectors.EntryRow
    nilai: Decimal | None  # None: not reported yet
    ket: str = ""
    kendala: str = ""
    tindak_lanjut: str = ""
    versi: int = 0  # the version the user was shown; 0 when nothing was stored then


@dataclass(frozen=True)
class Conflict:
    key: str
    stored: Realisasi  # what is stored now, saved by someone else since the user loaded it


class RealisasiConflict(Exception):
    def __init__(self, conflicts: list[Conflict]):
        super().__init__(f"{len(conflicts)} baris sudah diubah orang lain")
        self.conflicts = conflicts


def nilai_validate(indikator: Indikator, nilai: Decimal | None) -> None:
    """The rules every realisation obeys, whichever way it is entered."""
    if nilai is None:
        return
    if not nilai.is_finite():
        raise ValidationError(_("Realisasi harus berupa angka."), code="invalid")
    if nilai < 0:
        raise ValidationError(_("Realisasi tidak boleh negatif."), code="negative")
    if indikator.target_persen and nilai > 100:
        raise ValidationError(
            _("Realisasi dalam persen tidak boleh lebih dari 100."), code="above_100"
        )
    if nilai > MAX_NILAI:
        raise ValidationError(_("Realisasi terlalu besar."), code="too_large")


def indikator_by_key(*, rencana: RencanaAksi, keys: list[str]) -> dict[str, Indikator]:
    """The plan's indicators named by row keys, in two queries; keys of other plans are absent."""
    sub_ids, ind_ids = [], []
    for key in keys:
        kind, _sep, raw = key.partition("-")
        if raw.isdigit() and kind in ("sub", "ind"):
            (sub_ids if kind == "sub" else ind_ids).append(int(raw))
    found: dict[str, Indikator] = {}
    for sub in SubKegiatan.objects.filter(pk__in=sub_ids, kegiatan__program__rencana=rencana):
        found[f"sub-{sub.pk}"] = sub
    for ind in IndikatorSasaran.objects.filter(pk__in=ind_ids, sasaran__rencana=rencana):
        found[f"ind-{ind.pk}"] = ind
    return found


def _stored(indikator, triwulan: int) -> dict[str, Realisasi]:
    subs = [i.pk for i in indikator if isinstance(i, SubKegiatan)]
    inds = [i.pk for i in indikator if isinstance(i, IndikatorSasaran)]
    rows = Realisasi.objects.filter(triwulan=triwulan).filter(
        Q(sub_kegiatan_id__in=subs) | Q(indikator_sasaran_id__in=inds)
    )
    return {
        (f"sub-{r.sub_kegiatan_id}" if r.sub_kegiatan_id else f"ind-{r.indikator_sasaran_id}"): r
        for r in rows
    }


def _owner_fields(indikator: Indikator) -> dict:
    if isinstance(indikator, SubKegiatan):
        return {"sub_kegiatan": indikator}
    return {"indikator_sasaran": indikator}


def _unchanged(stored: Realisasi, item: RealisasiInput) -> bool:
    return (stored.nilai, stored.ket, stored.kendala, stored.tindak_lanjut) == (
        item.nilai,
        item.ket,
        item.kendala,
        item.tindak_lanjut,
    )


def realisasi_save_many(
    *,
    user,
    rencana: RencanaAksi,
    triwulan: int,
    inputs: list[RealisasiInput],
    sumber: str = "web",
) -> list[Realisasi]:
    """Save one quarter's inputs in one transaction and return the rows that changed.

    Each input must name a row of ``rencana`` that ``user`` may edit (else PermissionDenied,
    nothing saved) and pass ``nilai_validate`` (else ValidationError). A row whose stored
    version differs from the one the user saw is a conflict: nothing at all is saved and
    ``RealisasiConflict`` lists what is stored now. The version is checked inside the UPDATE
    itself, so two saves racing on SQLite or PostgreSQL cannot both win.
    """
    if triwulan not in (1, 2, 3, 4):
        raise ValidationError(_("Triwulan harus 1 sampai 4."))
    profile = profile_of(user)
    if profile.instansi_id != rencana.instansi_id:
        raise PermissionDenied(_("Rencana aksi ini bukan milik instansi Anda."))
    indikator = indikator_by_key(rencana=rencana, keys=[item.key for item in inputs])
    for item in inputs:
        target = indikator.get(item.key)
        if target is None or not may_edit_row(profile, getattr(target, "bidang_id", None)):
            raise PermissionDenied(
                _("Anda tidak berhak mengisi baris %(key)s.") % {"key": item.key}
            )
        nilai_validate(target, item.nilai)

    now = timezone.now()
    changed: list[Realisasi] = []
    conflicts: list[Conflict] = []
    with transaction.atomic():
        stored = _stored(indikator.values(), triwulan)
        for item in inputs:
            current = stored.get(item.key)
            fields = {
                "nilai": item.nilai,
                "ket": item.ket,
                "kendala": item.kendala,
                "tindak_lanjut": item.tindak_lanjut,
            }
            if current is None:
                if item.versi != 0:
                    # The row the user saw was deleted since; treat as a conflict to be safe.
                    conflicts.append(Conflict(item.key, Realisasi(triwulan=triwulan, versi=0)))
                    continue
                if item.nilai is None and not any((item.ket, item.kendala, item.tindak_lanjut)):
                    continue  # nothing typed, nothing to store
                try:
                    with transaction.atomic():
                        row = Realisasi.objects.create(
                            **_owner_fields(indikator[item.key]),
                            triwulan=triwulan,
                            versi=1,
                            diubah_oleh=user,
                            diubah_pada=now,
                            **fields,
                        )
                except IntegrityError:
                    # Someone created the row between our read and our insert.
                    row = Realisasi.objects.get(
                        **_owner_fields(indikator[item.key]), triwulan=triwulan
                    )
                    conflicts.append(Conflict(item.key, row))
                    continue
            else:
                if _unchanged(current, item):
                    continue
                updated = Realisasi.objects.filter(pk=current.pk, versi=item.versi).update(
                    versi=F("versi") + 1, diubah_oleh=user, diubah_pada=now, **fields
                )
                if updated == 0:
                    current.refresh_from_db()
                    conflicts.append(Conflict(item.key, current))
                    continue
                for name, value in fields.items():
                    setattr(current, name, value)
                current.versi, current.diubah_oleh, current.diubah_pada = item.versi + 1, user, now
                row = current
            changed.append(row)
        if conflicts:
            # Raising inside the block rolls everything back: the page is all-or-nothing and
            # the user, shown what is stored now, decides and saves again.
            raise RealisasiConflict(conflicts)
        RealisasiRiwayat.objects.bulk_create(
            RealisasiRiwayat(
                realisasi=row,
                versi=row.versi,
                nilai=row.nilai,
                ket=row.ket,
                kendala=row.kendala,
                tindak_lanjut=row.tindak_lanjut,
                diubah_oleh=user,
                diubah_pada=now,
                sumber=sumber,
            )
            for row in changed
        )
    return changed

"""Writes: saving quarterly realisations (from the page and from a spreadsheet)."""

import re
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
ROW_ID = re.compile(r"[0-9]{1,18}")  # fits a database integer; longer is no row of ours
TEKS_MAX = 4000  # characters of a note (KET, kendala, tindak lanjut)


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
    # Compared with its own rounding, not normalize(), which rounds to 28 digits first.
    if nilai != nilai.quantize(Decimal("0.01")):
        raise ValidationError(
            _("Realisasi paling banyak dua angka di belakang koma."), code="decimals"
        )


def teks_validate(label: str, text: str) -> None:
    """A note is at most ``TEKS_MAX`` characters, whichever way it is entered."""
    if len(text) > TEKS_MAX:
        raise ValidationError(
            _("%(label)s paling banyak %(max)d karakter (sekarang %(len)d).")
            % {"label": label, "max": TEKS_MAX, "len": len(text)},
            code="too_long",
        )


def indikator_by_key(*, rencana: RencanaAksi, keys: list[str]) -> dict[str, Indikator]:
    """The plan's indicators named by row keys, in two queries; keys of other plans are absent."""
    sub_ids, ind_ids = [], []
    for key in keys:
        kind, _sep, raw = key.partition("-")
        if kind in ("sub", "ind") and ROW_ID.fullmatch(raw):
            (sub_ids if kind == "sub" else ind_ids).append(int(raw))
    found: dict[str, Indikator] = {}
    for sub in SubKegiatan.objects.filter(pk__in=sub_ids, kegiatan__program__rencana=rencana):
        found[f"sub-{sub.pk}"] = sub
    for ind in IndikatorSasaran.objects.filter(pk__in=ind_ids, sasaran__rencana=rencana):
        found[f"ind-{ind.pk}"] = ind
    return found


def _stored(indikator, triwulan: int, *, with_user: bool = False) -> dict[str, Realisasi]:
    subs = [i.pk for i in indikator if isinstance(i, SubKegiatan)]
    inds = [i.pk for i in indikator if isinstance(i, IndikatorSasaran)]
    rows = Realisasi.objects.filter(triwulan=triwulan).filter(
        Q(sub_kegiatan_id__in=subs) | Q(indikator_sasaran_id__in=inds)
    )
    if with_user:
        rows = rows.select_related("diubah_oleh")
    return {
        (f"sub-{r.sub_kegiatan_id}" if r.sub_kegiatan_id else f"ind-{r.indikator_sasaran_id}"): r
        for r in rows
    }


def _insert(rows: list[tuple[str, Realisasi]]) -> list[str]:
    """Insert new rows in one statement; return the keys someone else created meanwhile."""
    if not rows:
        return []
    try:
        with transaction.atomic():
            Realisasi.objects.bulk_create([row for _key, row in rows])
        return []
    except IntegrityError:
        pass
    # Someone created some of these rows since we read (possible on PostgreSQL, where the
    # transaction does not lock the table as SQLite's IMMEDIATE does): find which, one by one.
    raced = []
    for key, row in rows:
        row.pk = None
        try:
            with transaction.atomic():
                row.save(force_insert=True)
        except IntegrityError:
            raced.append(key)
    return raced


def _conflicts(keys: list[str], indikator: dict[str, Indikator], triwulan: int) -> list[Conflict]:
    """What is stored now for each conflicting key, with who saved it, in one query."""
    now_stored = _stored([indikator[key] for key in keys], triwulan, with_user=True)
    # A key with nothing stored any more gets an unsaved placeholder (versi 0).
    return [
        Conflict(key, now_stored.get(key) or Realisasi(triwulan=triwulan, versi=0)) for key in keys
    ]


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
        teks_validate(_("Keterangan"), item.ket)
        teks_validate(_("Kendala"), item.kendala)
        teks_validate(_("Tindak lanjut"), item.tindak_lanjut)

    now = timezone.now()
    changed: list[Realisasi] = []
    new_rows: list[tuple[str, Realisasi]] = []
    lost: list[str] = []  # keys whose stored version is not the one the user saw
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
                    lost.append(item.key)  # the row the user saw was deleted since
                elif item.nilai is not None or any((item.ket, item.kendala, item.tindak_lanjut)):
                    row = Realisasi(
                        **_owner_fields(indikator[item.key]),
                        triwulan=triwulan,
                        versi=1,
                        diubah_oleh=user,
                        diubah_pada=now,
                        **fields,
                    )
                    new_rows.append((item.key, row))
                continue
            if _unchanged(current, item):
                continue
            updated = Realisasi.objects.filter(pk=current.pk, versi=item.versi).update(
                versi=F("versi") + 1, diubah_oleh=user, diubah_pada=now, **fields
            )
            if updated == 0:
                lost.append(item.key)
                continue
            for name, value in fields.items():
                setattr(current, name, value)
            current.versi, current.diubah_oleh, current.diubah_pada = item.versi + 1, user, now
            changed.append(current)
        if not lost:
            raced = _insert(new_rows)
            lost += raced
            changed += [row for key, row in new_rows if key not in raced]
        if lost:
            # Raising inside the block rolls everything back: the page is all-or-nothing and
            # the user, shown what is stored now, decides and saves again.
            raise RealisasiConflict(_conflicts(lost, indikator, triwulan))
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

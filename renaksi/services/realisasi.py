"""Writes of a quarter's realisations: values, notes and evidence, from the page, the
spreadsheet form and the command, through one save (``_save``).

One transaction for a quarter's values and files: a conflict on any row stores nothing, and a
file written to storage before a failed commit is removed again. Every version gets its
``RealisasiRiwayat`` row, with where it was entered (``Sumber``).
"""

from dataclasses import dataclass, replace
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from renaksi import evidence, keuangan, permissions
from renaksi.evidence import CheckedUpload
from renaksi.models import (
    CATATAN,
    Bukti,
    Indikator,
    IndikatorSasaran,
    Realisasi,
    RealisasiRiwayat,
    RencanaAksi,
    SubKegiatan,
    Sumber,
)
from renaksi.numbers import NilaiRefused, nilai_check
from renaksi.services.bukti import bukti_discard, bukti_store
from renaksi.services.locks import triwulan_check_open

TEKS_MAX = 4000  # characters of a note (each of ``CATATAN``)


@dataclass(frozen=True)
class RealisasiInput:
    key: str  # "sub-<id>" or "ind-<id>", as in selectors.EntryRow
    nilai: Decimal | None  # None: not reported yet
    keuangan: int | None = None  # rupiah spent in the quarter; sub kegiatan rows only
    ket: str = ""
    faktor_pendorong: str = ""
    kendala: str = ""
    tindak_lanjut: str = ""
    versi: int = 0  # the version the user was shown; 0 when nothing was stored then

    def same_as(self, stored: Realisasi | None) -> bool:
        """Whether saving this would change nothing (no row stored counts as a blank one)."""
        if stored is None:
            return is_blank(self)
        return realisasi_values(self) == realisasi_values(stored)

    def versi_expected(self, stored: Realisasi) -> int:
        """The stored version this input may overwrite.

        The one the user was shown; or, for a page opened when nothing was stored, the version
        of a row that is still blank (evidence alone creates one): nothing typed can be lost.
        """
        if self.versi == 0 and is_blank(stored):
            return stored.versi
        return self.versi


TEXT_FIELDS = tuple(CATATAN)
# What a version holds and what a stale page is checked on: the performance value, the rupiah
# spent and the notes, alike.
VALUE_FIELDS = ("nilai", "keuangan", *TEXT_FIELDS)


def realisasi_values(row: "Realisasi | RealisasiInput") -> tuple:
    return tuple(getattr(row, name) for name in VALUE_FIELDS)


def is_blank(row: "Realisasi | RealisasiInput") -> bool:
    """No value and no note: what a row that was never filled in holds."""
    return not any(value not in (None, "") for value in realisasi_values(row))


@dataclass(frozen=True)
class Conflict:
    key: str
    stored: Realisasi  # what is stored now, saved by someone else since the user loaded it


class RealisasiConflict(Exception):
    def __init__(self, conflicts: list[Conflict]):
        super().__init__(f"{len(conflicts)} baris sudah diubah orang lain")
        self.conflicts = conflicts


def teks_normalize(text: str) -> str:
    """A note as stored, whichever way it came: "\n" line breaks, no space around it.

    The page, the spreadsheet and the kepala's note all go through this, so the same words
    typed in two places compare equal and saving them again changes nothing.
    """
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def teks_validate(label: str, text: str) -> None:
    """A note is at most ``TEKS_MAX`` characters, whichever way it is entered."""
    if len(text) > TEKS_MAX:
        raise ValidationError(
            _("%(label)s paling banyak %(max)d karakter (sekarang %(len)d).")
            % {"label": label, "max": TEKS_MAX, "len": len(text)},
            code="too_long",
        )


def _stored(indikator, triwulan: int, *, with_user: bool = False) -> dict[str, Realisasi]:
    subs = [i.pk for i in indikator if isinstance(i, SubKegiatan)]
    inds = [i.pk for i in indikator if isinstance(i, IndikatorSasaran)]
    rows = Realisasi.objects.filter(triwulan=triwulan).filter(
        Q(sub_kegiatan_id__in=subs) | Q(indikator_sasaran_id__in=inds)
    )
    if with_user:
        rows = rows.select_related("diubah_oleh")
    return {r.row_key: r for r in rows}


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


def nilai_validate(indikator: Indikator, nilai: Decimal | None) -> None:
    """The rules every realisation obeys (``numbers.nilai_check``), as a ValidationError."""
    try:
        nilai_check(
            nilai,
            percent=indikator.target_persen,
            bulat=indikator.bilangan_bulat,
            satuan=indikator.satuan,
        )
    except NilaiRefused as refused:
        raise ValidationError(refused.message, code=refused.code) from None


def keuangan_validate(indikator: Indikator, rupiah: int | None) -> None:
    """Realisasi keuangan: whole rupiah ≥ 0 (``keuangan.rupiah_check``), on sub kegiatan only.

    An indikator sasaran carries no budget of its own; its money is its sub kegiatan's.
    """
    if rupiah is None:
        return
    if not isinstance(indikator, SubKegiatan):
        raise ValidationError(
            _("Indikator sasaran tidak memiliki realisasi keuangan; isi pada sub kegiatannya."),
            code="sasaran",
        )
    try:
        keuangan.rupiah_check(rupiah)
    except keuangan.RupiahRefused as refused:
        raise ValidationError(str(refused), code=refused.code) from None


def _history(rows: list[Realisasi], *, user, now, sumber: str) -> None:
    RealisasiRiwayat.objects.bulk_create(
        RealisasiRiwayat(
            realisasi=row,
            versi=row.versi,
            **{name: getattr(row, name) for name in VALUE_FIELDS},
            diubah_oleh=user,
            diubah_pada=now,
            sumber=sumber,
        )
        for row in rows
    )


def _values_write(
    *, user, triwulan: int, indikator: dict[str, Indikator], inputs: list[RealisasiInput], now
) -> list[Realisasi]:
    """Write the inputs inside the save's transaction; RealisasiConflict if any row moved on."""
    changed: list[Realisasi] = []
    new_rows: list[tuple[str, Realisasi]] = []
    lost: list[str] = []  # keys whose stored version is not the one the user saw
    stored = _stored([indikator[item.key] for item in inputs], triwulan)
    for item in inputs:
        current = stored.get(item.key)
        fields = dict(zip(VALUE_FIELDS, realisasi_values(item), strict=True))
        if current is None:
            if item.versi != 0:
                lost.append(item.key)  # the row the user saw was deleted since
            elif not is_blank(item):
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
        if item.same_as(current):
            continue
        expected = item.versi_expected(current)
        updated = Realisasi.objects.filter(pk=current.pk, versi=expected).update(
            versi=F("versi") + 1, diubah_oleh=user, diubah_pada=now, **fields
        )
        if updated == 0:
            lost.append(item.key)
            continue
        for name, value in fields.items():
            setattr(current, name, value)
        current.versi, current.diubah_oleh, current.diubah_pada = expected + 1, user, now
        changed.append(current)
    if not lost:
        raced = _insert(new_rows)
        lost += raced
        changed += [row for key, row in new_rows if key not in raced]
    if lost:
        # Raised inside the transaction, which rolls everything back: the save is
        # all-or-nothing and the user, shown what is stored now, decides and saves again.
        raise RealisasiConflict(_conflicts(lost, indikator, triwulan))
    return changed


def _row_for_files(indikator: Indikator, *, triwulan: int, user, now) -> Realisasi:
    """The realisation files hang on; evidence alone (no value yet) creates an unreported one.

    Adding files does not bump ``versi``: files are only ever added, so they cannot overwrite
    anyone's work.
    """
    realisasi, created = Realisasi.objects.get_or_create(
        **_owner_fields(indikator),
        triwulan=triwulan,
        defaults={"nilai": None, "versi": 1, "diubah_oleh": user, "diubah_pada": now},
    )
    if created:
        # Every version of a realisation has its history row, this first one too.
        _history([realisasi], user=user, now=now, sumber=Sumber.BUKTI)
    return realisasi


@dataclass(frozen=True)
class Saved:
    changed: list[Realisasi]  # the rows whose values changed
    bukti: list[Bukti]  # the files added


Uploads = dict[str, list["UploadedFile | CheckedUpload"]]


def _save(
    *,
    user,
    rencana: RencanaAksi,
    triwulan: int,
    inputs: list[RealisasiInput],
    uploads: Uploads,
    sumber: str,
) -> Saved:
    inputs = [
        replace(item, **{name: teks_normalize(getattr(item, name)) for name in TEXT_FIELDS})
        for item in inputs
    ]
    uploads = {key: files for key, files in uploads.items() if files}
    keys = list(dict.fromkeys([*(item.key for item in inputs), *uploads]))
    indikator = permissions.indikator_editable(user=user, rencana=rencana, keys=keys)
    for item in inputs:
        nilai_validate(indikator[item.key], item.nilai)
        keuangan_validate(indikator[item.key], item.keuangan)
        for name, label in CATATAN.items():
            teks_validate(str(label), getattr(item, name))
    files = {key: [evidence.checked(upload) for upload in items] for key, items in uploads.items()}

    now = timezone.now()
    stored: list[Bukti] = []
    try:
        with transaction.atomic():
            triwulan_check_open(rencana_id=rencana.pk, triwulan=triwulan)
            changed = _values_write(
                user=user, triwulan=triwulan, indikator=indikator, inputs=inputs, now=now
            )
            _history(changed, user=user, now=now, sumber=sumber)
            for key, checked in files.items():
                row = _row_for_files(indikator[key], triwulan=triwulan, user=user, now=now)
                bukti_store(realisasi=row, files=checked, user=user, now=now, stored=stored)
    except BaseException:
        # Even a failure at the commit itself: no orphan file stays behind.
        bukti_discard(stored)
        raise
    return Saved(changed, stored)


def realisasi_bukti_save(
    *,
    user,
    rencana: RencanaAksi,
    triwulan: int,
    inputs: list[RealisasiInput],
    uploads: Uploads,
    sumber: str = Sumber.WEB,
) -> Saved:
    """Save a quarter's values and evidence files together, all or nothing.

    Each row named must be one of ``rencana`` that ``user`` may fill in (else PermissionDenied,
    nothing saved); values pass ``nilai_validate``, rupiah ``keuangan_validate`` and notes
    ``teks_validate`` (else ValidationError); each file passes ``evidence.bukti_validate`` unless
    the form checked it already. A row whose stored version differs from the one the user saw is
    a conflict: nothing at all is saved and ``RealisasiConflict`` lists what is stored now. The
    version is checked inside the UPDATE itself, so two saves racing on SQLite or PostgreSQL
    cannot both win. A quarter submitted to or approved by the kepala refuses every save
    (``TriwulanTerkunci``, a ValidationError). Notes are stored as ``teks_normalize`` makes them.
    """
    return _save(
        user=user, rencana=rencana, triwulan=triwulan, inputs=inputs, uploads=uploads, sumber=sumber
    )


def realisasi_save_many(
    *,
    user,
    rencana: RencanaAksi,
    triwulan: int,
    inputs: list[RealisasiInput],
    sumber: str = Sumber.WEB,
) -> list[Realisasi]:
    """Save one quarter's values (no files) by ``realisasi_bukti_save``'s rules."""
    return _save(
        user=user, rencana=rencana, triwulan=triwulan, inputs=inputs, uploads={}, sumber=sumber
    ).changed


def bukti_add(*, user, rencana: RencanaAksi, triwulan: int, uploads: Uploads) -> list[Bukti]:
    """Attach evidence files to rows of ``triwulan`` (by row key), by the same rules; the files."""
    return _save(
        user=user, rencana=rencana, triwulan=triwulan, inputs=[], uploads=uploads, sumber=Sumber.WEB
    ).bukti

"""Writes: saving quarterly realisations (from the page and from a spreadsheet), and the
kepala's review of a quarter (submit, approve, return).

Every write to a quarter (values, evidence, its review status) first takes the plan's row lock
and reads the quarter's status in the same transaction: on PostgreSQL the writes of one plan
take turns, as every write does on SQLite (``IMMEDIATE`` transactions), so a save can never
slip in after the quarter was submitted.
"""

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from renaksi.models import (
    QUARTERS,
    Indikator,
    IndikatorSasaran,
    Peran,
    Realisasi,
    RealisasiRiwayat,
    RencanaAksi,
    RiwayatStatusTriwulan,
    StatusPersetujuan,
    StatusTriwulan,
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


TEXT_FIELDS = ("ket", "kendala", "tindak_lanjut")
VALUE_FIELDS = ("nilai", *TEXT_FIELDS)


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


class TriwulanTerkunci(ValidationError):
    """A write to a quarter that is under the kepala's review or approved: nothing is saved."""

    def __init__(self, status: StatusTriwulan):
        super().__init__(terkunci_message(status), code="terkunci")
        self.status = status


def nama_pengguna(user) -> str:
    """How a user is named in messages: full name, else username."""
    if user is None:
        return _("pengguna yang sudah dihapus")
    return user.get_full_name() or user.get_username()


def moment_display(moment) -> str:
    """A stored moment as messages show it: local time, "29 November 2026 09:58"."""
    return formats.date_format(timezone.localtime(moment), "j F Y H:i")


def terkunci_message(status: StatusTriwulan) -> str:
    """Why a locked quarter refuses a write, and whom to ask."""
    values = {
        "n": status.triwulan,
        "nama": nama_pengguna(status.diubah_oleh),
        "waktu": moment_display(status.diubah_pada),
    }
    if status.status == StatusPersetujuan.DISETUJUI:
        return (
            _(
                "TW %(n)d sudah disetujui kepala (oleh %(nama)s pada %(waktu)s): realisasi dan "
                "bukti dukung TW %(n)d tidak dapat diubah lagi. Bila masih ada yang harus "
                "dikoreksi, minta kepala membuka kembali TW %(n)d."
            )
            % values
        )
    return (
        _(
            "TW %(n)d sedang diperiksa kepala (diajukan oleh %(nama)s pada %(waktu)s): realisasi "
            "dan bukti dukung TW %(n)d tidak dapat diubah. Bila perlu perbaikan, minta kepala "
            "mengembalikan TW %(n)d."
        )
        % values
    )


def _status_for_write(*, rencana_id: int, triwulan: int) -> StatusTriwulan | None:
    """Lock the plan's row, then read the quarter's status (None: never changed, "diisi").

    Call inside the transaction of the write. ``no_key``: the lock does not hold up rows
    that only point at the plan (a new sasaran); it does hold up every other write of the plan.
    """
    # order_by(): the model's default ordering would join (and lock) the agency's row too.
    list(
        RencanaAksi.objects.select_for_update(no_key=True, of=("self",))
        .filter(pk=rencana_id)
        .order_by()
        .values_list("pk", flat=True)
    )
    return (
        StatusTriwulan.objects.select_related("diubah_oleh")
        .filter(rencana_id=rencana_id, triwulan=triwulan)
        .first()
    )


def triwulan_check_open(*, rencana_id: int, triwulan: int) -> None:
    """Raise ``TriwulanTerkunci`` when the quarter is submitted or approved.

    Must run inside the transaction of the write it guards: the plan stays locked until that
    transaction ends, so the quarter cannot be submitted between this check and the write.
    """
    status = _status_for_write(rencana_id=rencana_id, triwulan=triwulan)
    if status is not None and status.terkunci:
        raise TriwulanTerkunci(status)


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


def indikator_by_key(*, rencana: RencanaAksi, keys: list[str]) -> dict[str, Indikator]:
    """The plan's indicators named by row keys, in two queries; keys of other plans are absent."""
    sub_ids, ind_ids = [], []
    for key in keys:
        kind, _sep, raw = key.partition("-")
        if kind in ("sub", "ind") and ROW_ID.fullmatch(raw):
            (sub_ids if kind == "sub" else ind_ids).append(int(raw))
    found: dict[str, Indikator] = {}
    for sub in SubKegiatan.objects.filter(pk__in=sub_ids, kegiatan__program__rencana=rencana):
        found[sub.row_key] = sub
    for ind in IndikatorSasaran.objects.filter(pk__in=ind_ids, sasaran__rencana=rencana):
        found[ind.row_key] = ind
    return found


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


def indikator_editable(*, user, rencana: RencanaAksi, keys: list[str]) -> dict[str, Indikator]:
    """The rows named by ``keys``, each one ``user`` may fill in; else PermissionDenied."""
    profile = profile_of(user)
    if profile.instansi_id != rencana.instansi_id:
        raise PermissionDenied(_("Rencana aksi ini bukan milik instansi Anda."))
    indikator = indikator_by_key(rencana=rencana, keys=keys)
    for key in keys:
        target = indikator.get(key)
        if target is None or not may_edit_row(profile, getattr(target, "bidang_id", None)):
            raise PermissionDenied(_("Anda tidak berhak mengisi baris %(key)s.") % {"key": key})
    return indikator


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
    itself, so two saves racing on SQLite or PostgreSQL cannot both win. A quarter submitted to
    or approved by the kepala refuses every save (``TriwulanTerkunci``, a ValidationError).
    Notes are stored as ``teks_normalize`` makes them.
    """
    if triwulan not in QUARTERS:
        raise ValidationError(_("Triwulan harus 1 sampai 4."))
    inputs = [
        replace(item, **{name: teks_normalize(getattr(item, name)) for name in TEXT_FIELDS})
        for item in inputs
    ]
    indikator = indikator_editable(user=user, rencana=rencana, keys=[item.key for item in inputs])
    for item in inputs:
        nilai_validate(indikator[item.key], item.nilai)
        teks_validate(_("Keterangan"), item.ket)
        teks_validate(_("Kendala"), item.kendala)
        teks_validate(_("Tindak lanjut"), item.tindak_lanjut)

    now = timezone.now()
    changed: list[Realisasi] = []
    new_rows: list[tuple[str, Realisasi]] = []
    lost: list[str] = []  # keys whose stored version is not the one the user saw
    with transaction.atomic():
        triwulan_check_open(rencana_id=rencana.pk, triwulan=triwulan)
        stored = _stored(indikator.values(), triwulan)
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


# --- The kepala's review of a quarter ----------------------------------------------------------


KEMBALIKAN_DARI = (StatusPersetujuan.DIAJUKAN, StatusPersetujuan.DISETUJUI)


def refusal_message(action: str, triwulan: int, status: str) -> str:
    """Why ``action`` ("ajukan", "setujui", "kembalikan") is not possible in ``status``."""
    return _refusal(action, triwulan, status).messages[0]


def _refusal(action: str, triwulan: int, status: str) -> ValidationError:
    label = StatusPersetujuan(status).label
    messages = {
        "ajukan": _(
            "TW %(n)d tidak dapat diajukan ke kepala: statusnya %(status)s. Hanya triwulan yang "
            "sedang diisi atau dikembalikan yang dapat diajukan."
        ),
        "setujui": _(
            "TW %(n)d tidak dapat disetujui: statusnya %(status)s. Hanya triwulan yang diajukan "
            "ke kepala yang dapat disetujui."
        ),
        "kembalikan": _(
            "TW %(n)d tidak dapat dikembalikan: statusnya %(status)s. Hanya triwulan yang "
            "diajukan ke kepala atau sudah disetujui yang dapat dikembalikan."
        ),
    }
    if action == "kembalikan" and status in KEMBALIKAN_DARI:
        # The quarter could be returned, just not from the state the kepala was looking at:
        # another tab (or a double click) moved it on meanwhile.
        return ValidationError(
            _(
                "TW %(n)d sudah berstatus %(status)s sejak halaman ini dibuka, jadi tidak ada "
                "yang diubah. Periksa statusnya, lalu kirim lagi bila tetap perlu dikembalikan."
            )
            % {"n": triwulan, "status": label},
            code="status_berubah",
        )
    return ValidationError(messages[action] % {"n": triwulan, "status": label}, code="status_salah")


def _check_role(*, user, rencana: RencanaAksi, triwulan: int, peran: str) -> None:
    if triwulan not in QUARTERS:
        raise ValidationError(_("Triwulan harus 1 sampai 4."))
    profile = profile_of(user)
    if profile.instansi_id != rencana.instansi_id:
        raise PermissionDenied(_("Rencana aksi ini bukan milik instansi Anda."))
    if profile.peran != peran:
        raise PermissionDenied(
            _("Hanya admin instansi yang dapat mengajukan triwulan ke kepala.")
            if peran == Peran.ADMIN
            else _("Hanya kepala yang dapat menyetujui atau mengembalikan triwulan.")
        )


def triwulan_check_reviewer(*, user, rencana: RencanaAksi, triwulan: int) -> None:
    """PermissionDenied unless ``user`` is the kepala of the plan's agency."""
    _check_role(user=user, rencana=rencana, triwulan=triwulan, peran=Peran.KEPALA)


def _transition(
    *,
    action: str,
    user,
    rencana: RencanaAksi,
    triwulan: int,
    dari: tuple[str, ...],
    ke: str,
    catatan: str = "",
) -> StatusTriwulan:
    now = timezone.now()
    fields = {"status": ke, "catatan": catatan, "diubah_oleh": user, "diubah_pada": now}
    with transaction.atomic():
        current = _status_for_write(rencana_id=rencana.pk, triwulan=triwulan)
        sebelumnya = current.status if current is not None else StatusPersetujuan.DIISI
        if sebelumnya not in dari:
            raise _refusal(action, triwulan, sebelumnya)
        if (
            sebelumnya == StatusPersetujuan.DIAJUKAN
            and current is not None
            and current.diubah_oleh_id == user.pk
        ):
            # Four eyes: whoever submitted a quarter does not also judge it, whatever role the
            # account holds now.
            raise PermissionDenied(
                _("TW %(n)d diajukan oleh akun Anda sendiri; kepala lain yang harus memeriksanya.")
                % {"n": triwulan}
            )
        if current is None:
            current = StatusTriwulan(rencana=rencana, triwulan=triwulan, **fields)
            try:
                with transaction.atomic():
                    current.save(force_insert=True)
            except IntegrityError:
                # Created meanwhile (only without the plan lock, which every write takes).
                now_stored = StatusTriwulan.objects.get(rencana=rencana, triwulan=triwulan)
                raise _refusal(action, triwulan, now_stored.status) from None
        else:
            # The state is checked again inside the UPDATE itself, so of two clicks racing
            # each other only one can move the quarter on.
            updated = StatusTriwulan.objects.filter(pk=current.pk, status=sebelumnya).update(
                **fields
            )
            if not updated:
                now_stored = StatusTriwulan.objects.get(pk=current.pk)
                raise _refusal(action, triwulan, now_stored.status)
            for name, value in fields.items():
                setattr(current, name, value)
        RiwayatStatusTriwulan.objects.create(
            status_triwulan=current,
            status_sebelumnya=sebelumnya,
            status=ke,
            catatan=catatan,
            oleh=user,
            pada=now,
        )
    return current


def triwulan_ajukan(*, user, rencana: RencanaAksi, triwulan: int) -> StatusTriwulan:
    """The agency admin submits a quarter to the kepala; from then on the quarter is locked.

    Allowed from "diisi" and "dikembalikan" (ValidationError otherwise), to the admin of the
    plan's agency only (PermissionDenied otherwise). Writes a history row.
    """
    _check_role(user=user, rencana=rencana, triwulan=triwulan, peran=Peran.ADMIN)
    return _transition(
        action="ajukan",
        user=user,
        rencana=rencana,
        triwulan=triwulan,
        dari=(StatusPersetujuan.DIISI, StatusPersetujuan.DIKEMBALIKAN),
        ke=StatusPersetujuan.DIAJUKAN,
    )


def triwulan_setujui(*, user, rencana: RencanaAksi, triwulan: int) -> StatusTriwulan:
    """The kepala approves a submitted quarter; it stays locked unless the kepala returns it.

    Allowed from "diajukan" only (ValidationError otherwise), to the kepala of the plan's
    agency only (PermissionDenied otherwise). Writes a history row.
    """
    _check_role(user=user, rencana=rencana, triwulan=triwulan, peran=Peran.KEPALA)
    return _transition(
        action="setujui",
        user=user,
        rencana=rencana,
        triwulan=triwulan,
        dari=(StatusPersetujuan.DIAJUKAN,),
        ke=StatusPersetujuan.DISETUJUI,
    )


def catatan_validate(catatan: str) -> str:
    """The kepala's note when returning a quarter: required, at most ``TEKS_MAX`` characters."""
    catatan = teks_normalize(catatan)
    if not catatan:
        raise ValidationError(
            _("Tulis catatan untuk admin: apa yang harus diperbaiki sebelum diajukan lagi."),
            code="required",
        )
    teks_validate(_("Catatan"), catatan)
    return catatan


def triwulan_kembalikan(
    *, user, rencana: RencanaAksi, triwulan: int, catatan: str, status_dilihat: str
) -> StatusTriwulan:
    """The kepala returns a quarter with a note; it can be changed and submitted again.

    From "diajukan", and also from "disetujui": an approved quarter found wrong later (an
    audit, a late correction) is reopened the same way, with the reason in the note and the
    history. ``status_dilihat`` is the state the kepala saw when deciding; the quarter is
    returned only if it is still in that state, so a "Kembalikan" clicked on a submitted
    quarter never silently reopens one approved meanwhile in another tab. ``catatan`` is
    required and at most ``TEKS_MAX`` characters (ValidationError); any other state is a
    ValidationError; only the kepala of the plan's agency may do it (PermissionDenied
    otherwise). Writes a history row.
    """
    _check_role(user=user, rencana=rencana, triwulan=triwulan, peran=Peran.KEPALA)
    catatan = catatan_validate(catatan)
    if status_dilihat not in StatusPersetujuan.values:
        raise ValidationError(
            _("Status TW %(n)d yang dilihat tidak dikenal; muat ulang halaman lalu ulangi.")
            % {"n": triwulan},
            code="status_tidak_dikenal",
        )
    if status_dilihat not in KEMBALIKAN_DARI:
        raise _refusal("kembalikan", triwulan, status_dilihat)
    return _transition(
        action="kembalikan",
        user=user,
        rencana=rencana,
        triwulan=triwulan,
        dari=(status_dilihat,),
        ke=StatusPersetujuan.DIKEMBALIKAN,
        catatan=catatan,
    )

"""The kepala's review of a quarter: the admin submits it, the kepala approves or returns it.

The moves and who makes them are the table ``models.LANGKAH``; this module only carries them
out, each in one transaction with a history row. The functions keep the workflow's own verbs
(``triwulan_ajukan``, ``triwulan_setujui``, ``triwulan_kembalikan``): they are the names the
agency uses for these steps, and every page, message and test calls them so.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renaksi import permissions, selectors
from renaksi.models import (
    LANGKAH,
    JenisDokumen,
    Langkah,
    RencanaAksi,
    RiwayatStatusTriwulan,
    StatusPersetujuan,
    StatusTriwulan,
)
from renaksi.presentation import refusal_message, status_changed_message
from renaksi.services.dokumen import (
    Penandatangan,
    dokumen_supersede,
    laporan_sign,
    penandatangan_validate,
)
from renaksi.services.locks import status_for_write
from renaksi.services.realisasi import teks_normalize, teks_validate


def refusal(langkah: Langkah, triwulan: int, status: str) -> ValidationError:
    """The error for ``langkah`` tried in ``status``."""
    if langkah == Langkah.KEMBALIKAN and status in LANGKAH[langkah].dari:
        # The quarter could be returned, just not from the state the kepala was looking at:
        # another tab (or a double click) moved it on meanwhile.
        return ValidationError(status_changed_message(triwulan, status), code="status_berubah")
    return ValidationError(refusal_message(langkah, triwulan, status), code="status_salah")


def _move(
    *,
    langkah: Langkah,
    user,
    rencana: RencanaAksi,
    triwulan: int,
    dari: tuple[str, ...],
    catatan: str = "",
) -> StatusTriwulan:
    ke = LANGKAH[langkah].ke
    now = timezone.now()
    fields = {"status": ke, "catatan": catatan, "diubah_oleh": user, "diubah_pada": now}
    with transaction.atomic():
        current = status_for_write(rencana_id=rencana.pk, triwulan=triwulan)
        sebelumnya = current.status if current is not None else StatusPersetujuan.DIISI
        if sebelumnya not in dari:
            raise refusal(langkah, triwulan, sebelumnya)
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
                raise refusal(langkah, triwulan, now_stored.status) from None
        else:
            # The state is checked again inside the UPDATE itself, so of two clicks racing
            # each other only one can move the quarter on.
            updated = StatusTriwulan.objects.filter(pk=current.pk, status=sebelumnya).update(
                **fields
            )
            if not updated:
                now_stored = StatusTriwulan.objects.get(pk=current.pk)
                raise refusal(langkah, triwulan, now_stored.status)
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
    permissions.langkah_check(user=user, rencana=rencana, langkah=Langkah.AJUKAN)
    return _move(
        langkah=Langkah.AJUKAN,
        user=user,
        rencana=rencana,
        triwulan=triwulan,
        dari=LANGKAH[Langkah.AJUKAN].dari,
    )


def triwulan_setujui(
    *,
    user,
    rencana: RencanaAksi,
    triwulan: int,
    penandatangan: Penandatangan | None = None,
    base_url: str = "",
) -> StatusTriwulan:
    """The kepala approves a submitted quarter; it stays locked unless the kepala returns it.

    Allowed from "diajukan" only (ValidationError otherwise), to the kepala of the plan's
    agency only (PermissionDenied otherwise). Writes a history row, and in the same
    transaction stores the quarter's report as signed (``services.dokumen.laporan_sign``):
    by ``penandatangan``, else by the default (the kepala's profile, today, the agency's
    city). ``base_url`` ("https://host") starts the verification address printed on it.
    """
    permissions.langkah_check(user=user, rencana=rencana, langkah=Langkah.SETUJUI)
    if penandatangan is None:
        penandatangan = penandatangan_of_default(user=user, rencana=rencana)
    with transaction.atomic():
        status = _move(
            langkah=Langkah.SETUJUI,
            user=user,
            rencana=rencana,
            triwulan=triwulan,
            dari=LANGKAH[Langkah.SETUJUI].dari,
        )
        laporan_sign(
            rencana=rencana,
            status=status,
            penandatangan=penandatangan,
            user=user,
            base_url=base_url,
        )
    return status


def penandatangan_of_default(*, user, rencana: RencanaAksi) -> Penandatangan:
    default = selectors.penandatangan_default(user=user, rencana=rencana)
    return penandatangan_validate(**{**default, "tanggal": date.fromisoformat(default["tanggal"])})


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

    From "diajukan", and also from "disetujui" (``LANGKAH``). ``status_dilihat`` is the state
    the kepala saw when deciding; the quarter is returned only if it is still in that state, so
    a "Kembalikan" clicked on a submitted quarter never silently reopens one approved meanwhile
    in another tab. ``catatan`` is required and at most ``TEKS_MAX`` characters
    (ValidationError); any other state is a ValidationError; only the kepala of the plan's
    agency may do it (PermissionDenied otherwise). Writes a history row.
    """
    permissions.langkah_check(user=user, rencana=rencana, langkah=Langkah.KEMBALIKAN)
    catatan = catatan_validate(catatan)
    if status_dilihat not in StatusPersetujuan.values:
        raise ValidationError(
            _("Status TW %(n)d yang dilihat tidak dikenal; muat ulang halaman lalu ulangi.")
            % {"n": triwulan},
            code="status_tidak_dikenal",
        )
    if status_dilihat not in LANGKAH[Langkah.KEMBALIKAN].dari:
        raise refusal(Langkah.KEMBALIKAN, triwulan, status_dilihat)
    with transaction.atomic():
        status = _move(
            langkah=Langkah.KEMBALIKAN,
            user=user,
            rencana=rencana,
            triwulan=triwulan,
            dari=(status_dilihat,),
            catatan=catatan,
        )
        # A reopened quarter's signed report is kept, marked superseded: its code still
        # answers, and the next approval stores a new one.
        dokumen_supersede(rencana=rencana, jenis=JenisDokumen.LAPORAN, triwulan=triwulan)
    return status

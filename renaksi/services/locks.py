"""The review lock every write to a quarter takes first.

Every write to a quarter (values, evidence, its review status) takes the plan's row lock and
reads the quarter's status in the same transaction: on PostgreSQL the writes of one plan take
turns, as every write does on SQLite (``IMMEDIATE`` transactions), so a save can never slip in
after the quarter was submitted.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from renaksi.models import RencanaAksi, StatusTriwulan, Triwulan
from renaksi.presentation import terkunci_message


class TriwulanTerkunci(ValidationError):
    """A write to a quarter that is under the kepala's review or approved: nothing is saved."""

    def __init__(self, status: StatusTriwulan):
        super().__init__(terkunci_message(status), code="terkunci")
        self.status = status


def plan_lock(*, rencana_id: int) -> bool | None:
    """Lock the plan's row until the current transaction ends (writes of a plan take turns).

    Returns whether the plan is published (None: there is no such plan).
    """
    # order_by(): the model's default ordering would join (and lock) the agency's row too.
    locked = list(
        RencanaAksi.objects.select_for_update(no_key=True, of=("self",))
        .filter(pk=rencana_id)
        .order_by()
        .values_list("diterbitkan", flat=True)
    )
    return locked[0] if locked else None


def status_for_write(*, rencana_id: int, triwulan: int) -> StatusTriwulan | None:
    """Lock the plan's row, then read the quarter's status (None: never changed, "diisi").

    Call inside the transaction of the write. ``no_key``: the lock does not hold up rows that
    only point at the plan (a new sasaran); it does hold up every other write of the plan. A
    quarter outside 1–4 is a ValidationError: URLs never carry one (the ``tw`` converter), but a
    caller in code might.
    """
    if triwulan not in Triwulan.values:
        raise ValidationError(_("Triwulan harus 1 sampai 4."), code="triwulan")
    if plan_lock(rencana_id=rencana_id) is False:
        # A draft is still being prepared: its rows may yet change or go.
        raise ValidationError(
            _("Rencana aksi ini masih draf; realisasi dapat diisi setelah diterbitkan admin."),
            code="draf",
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
    status = status_for_write(rencana_id=rencana_id, triwulan=triwulan)
    if status is not None and status.terkunci:
        raise TriwulanTerkunci(status)

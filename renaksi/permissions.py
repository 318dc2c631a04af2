"""Who may see and change what: every view, service and command asks here.

Per object and server-side: another agency's plan or file is a 404 (its ids reveal nothing), a
role that may not act a PermissionDenied. The admin site narrows its screens with its own
scoping mixin (``renaksi/admin/scoping.py``), which asks ``is_platform_admin`` and
``rencana_under_review`` here.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from renaksi import selectors
from renaksi.models import (
    LANGKAH,
    STATUS_TERKUNCI,
    Bukti,
    Indikator,
    Langkah,
    Peran,
    Profile,
    RencanaAksi,
    StatusPersetujuan,
    StatusTriwulan,
)


def profile_of(user) -> Profile:
    """The profile of a logged-in user; a user without one belongs to no agency and sees nothing."""
    try:
        return user.profile
    except Profile.DoesNotExist:
        raise PermissionDenied(_("Akun ini belum terdaftar pada instansi mana pun.")) from None


def is_platform_admin(user) -> bool:
    """The platform operator: an active superuser, who sees every agency (in the admin only)."""
    return user.is_active and user.is_superuser


def rencana_for_user(user, tahun: int) -> RencanaAksi:
    """The plan of ``tahun`` of the user's own agency, or a 404 that says no plan exists."""
    profile = profile_of(user)
    rencana = selectors.rencana_get(instansi_id=profile.instansi_id, tahun=tahun)
    if rencana is None or not may_see_plan(profile, rencana):
        raise Http404(
            _("Belum ada rencana aksi tahun %(tahun)s untuk instansi Anda.") % {"tahun": tahun}
        )
    return rencana


def may_see_drafts(profile: Profile) -> bool:
    """A draft plan is seen by the agency admin, who prepares it, and the kepala, who signs it."""
    return profile.peran in (Peran.ADMIN, Peran.KEPALA)


def may_see_plan(profile: Profile, rencana: RencanaAksi) -> bool:
    return profile.instansi_id == rencana.instansi_id and (
        rencana.diterbitkan or may_see_drafts(profile)
    )


def rencana_check_admin(user, instansi_id: int) -> Profile:
    """The profile of the agency admin of ``instansi_id``; PermissionDenied for anyone else.

    Importing, copying and publishing plans is the agency admin's.
    """
    profile = profile_of(user)
    if profile.instansi_id != instansi_id or profile.peran != Peran.ADMIN:
        raise PermissionDenied(
            _("Hanya admin instansi yang dapat mengimpor atau menerbitkan rencana aksi.")
        )
    return profile


def may_see_history(profile: Profile) -> bool:
    """The plan's history: admin, kepala and pemeriksa (read-only); not the staff."""
    return profile.peran in (Peran.ADMIN, Peran.KEPALA, Peran.PEMERIKSA)


def rencana_for_entry(user, tahun: int) -> tuple[RencanaAksi, Profile]:
    """The user's plan for ``tahun`` when the user may fill realisations (admin or staf).

    Http404 (no such plan) or PermissionDenied (no agency, a read-only role), for the
    spreadsheet pages and the commands alike.
    """
    rencana = rencana_for_user(user, tahun)
    profile = profile_of(user)
    if profile.peran not in (Peran.ADMIN, Peran.STAF):
        raise PermissionDenied(
            _("Peran Anda hanya dapat melihat realisasi; formulir diisi oleh admin atau staf.")
        )
    if not rencana.diterbitkan:
        raise PermissionDenied(
            _("Rencana aksi ini masih draf; realisasi dapat diisi setelah diterbitkan admin.")
        )
    return rencana, profile


# --- Rows of a plan ----------------------------------------------------------------------------


def may_edit_row(profile: Profile, bidang_id: int | None) -> bool:
    """Admin reports on every row; staff on the sub kegiatan of their own bidang only.

    ``bidang_id`` None is a sasaran row, which only the admin fills.
    """
    if profile.peran == Peran.ADMIN:
        return True
    return profile.peran == Peran.STAF and bidang_id is not None and bidang_id == profile.bidang_id


def may_edit_some_row(profile: Profile) -> bool:
    """Whether ``may_edit_row`` can hold for any row: the admin, and staff with a bidang."""
    return profile.peran == Peran.ADMIN or (
        profile.peran == Peran.STAF and profile.bidang_id is not None
    )


def may_see_row(profile: Profile, bidang_id: int | None) -> bool:
    """Kepala and pemeriksa see every row (read-only); staff only their bidang's rows."""
    if profile.peran in (Peran.ADMIN, Peran.KEPALA, Peran.PEMERIKSA):
        return True
    return may_edit_row(profile, bidang_id)


def _own_agency(profile: Profile, rencana: RencanaAksi) -> None:
    if profile.instansi_id != rencana.instansi_id:
        raise PermissionDenied(_("Rencana aksi ini bukan milik instansi Anda."))


def indikator_editable(*, user, rencana: RencanaAksi, keys: list[str]) -> dict[str, Indikator]:
    """The rows named by ``keys``, each one ``user`` may fill in; else PermissionDenied."""
    profile = profile_of(user)
    _own_agency(profile, rencana)
    indikator = selectors.indikator_by_key(rencana=rencana, keys=keys)
    for key in keys:
        target = indikator.get(key)
        if target is None or not may_edit_row(profile, getattr(target, "bidang_id", None)):
            raise PermissionDenied(_("Anda tidak berhak mengisi baris %(key)s.") % {"key": key})
    return indikator


# --- Evidence files ----------------------------------------------------------------------------


def bukti_for_user(*, user, pk: int) -> Bukti:
    """An evidence file the user may see, or 404 (another agency, another bidang, no such file).

    One query. A 404 rather than a 403 so that ids of other agencies' files reveal nothing.
    """
    profile = profile_of(user)
    bukti = selectors.bukti_of_agency(instansi_id=profile.instansi_id).filter(pk=pk).first()
    if bukti is None or not may_see_row(profile, bukti.bidang_id):
        raise Http404(_("Berkas bukti tidak ditemukan."))
    return bukti


def bukti_check_removable(*, user, bukti: Bukti) -> None:
    """404 unless the user may see ``bukti``; PermissionDenied unless the user may change it."""
    profile = profile_of(user)
    if not may_see_row(profile, bukti.bidang_id):
        raise Http404(_("Berkas bukti tidak ditemukan."))
    if not may_edit_row(profile, bukti.bidang_id):
        raise PermissionDenied(_("Anda tidak berhak menghapus berkas bukti ini."))


# --- The kepala's review -----------------------------------------------------------------------


def langkah_check(*, user, rencana: RencanaAksi, langkah: Langkah) -> None:
    """PermissionDenied unless ``user`` holds the role that makes ``langkah`` in this agency."""
    profile = profile_of(user)
    _own_agency(profile, rencana)
    if profile.peran != LANGKAH[langkah].peran:
        raise PermissionDenied(
            _("Hanya admin instansi yang dapat mengajukan triwulan ke kepala.")
            if LANGKAH[langkah].peran == Peran.ADMIN
            else _("Hanya kepala yang dapat menyetujui atau mengembalikan triwulan.")
        )


def langkah_offered(profile: Profile, status: StatusTriwulan, langkah: Langkah) -> bool:
    """Whether the status banner offers ``langkah`` to this role in this state."""
    move = LANGKAH[langkah]
    return profile.peran == move.peran and status.status in move.dari


def review_actions(profile: Profile, status: StatusTriwulan) -> dict[str, bool]:
    """What the status banner offers: submit, review (approve or return), reopen."""
    return {
        "can_ajukan": langkah_offered(profile, status, Langkah.AJUKAN),
        "can_review": langkah_offered(profile, status, Langkah.SETUJUI),
        "can_reopen": langkah_offered(profile, status, Langkah.KEMBALIKAN)
        and status.status == StatusPersetujuan.DISETUJUI,
    }


def rencana_under_review(rencana_id: int) -> bool:
    """Whether a quarter of the plan is submitted to or approved by the kepala.

    Such a plan is read-only in the admin: a changed target would silently change a report the
    kepala is judging or has approved.
    """
    return StatusTriwulan.objects.filter(rencana_id=rencana_id, status__in=STATUS_TERKUNCI).exists()


# --- Signed documents --------------------------------------------------------------------------


def rencana_sign_check(*, user, rencana: RencanaAksi) -> None:
    """PermissionDenied unless ``user`` is the kepala of the plan's agency ("Tandatangani")."""
    profile = profile_of(user)
    _own_agency(profile, rencana)
    if profile.peran != Peran.KEPALA:
        raise PermissionDenied(_("Hanya kepala yang dapat menandatangani rencana aksi."))


def may_sign_rencana(profile: Profile, rencana: RencanaAksi) -> bool:
    return profile.instansi_id == rencana.instansi_id and profile.peran == Peran.KEPALA


def may_receive_signed_laporan(profile: Profile) -> bool:
    """Whether a user gets a quarter's stored signed report: it holds every row.

    Staff see only their bidang's rows, so they get their own rendering instead.
    """
    return profile.peran in (Peran.ADMIN, Peran.KEPALA, Peran.PEMERIKSA)

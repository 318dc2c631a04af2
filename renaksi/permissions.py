"""Who may see and change what. Every view fetches its objects through these helpers."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from renaksi import selectors
from renaksi.models import Profile, RencanaAksi


def profile_of(user) -> Profile:
    """The profile of a logged-in user; a user without one belongs to no agency and sees nothing."""
    try:
        return user.profile
    except Profile.DoesNotExist:
        raise PermissionDenied(_("Akun ini belum terdaftar pada instansi mana pun.")) from None


def rencana_for_user(user, tahun: int) -> RencanaAksi:
    """The plan of ``tahun`` of the user's own agency, or a 404 that says no plan exists."""
    profile = profile_of(user)
    rencana = selectors.rencana_get(instansi_id=profile.instansi_id, tahun=tahun)
    if rencana is None:
        raise Http404(
            _("Belum ada rencana aksi tahun %(tahun)s untuk instansi Anda.") % {"tahun": tahun}
        )
    return rencana

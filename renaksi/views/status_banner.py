"""What the quarter's status banner (``_status_triwulan.html``) shows and offers."""

from renaksi import permissions
from renaksi.models import Profile, StatusPersetujuan, StatusTriwulan
from renaksi.presentation import user_display


def status_context(status: StatusTriwulan, *, profile: Profile) -> dict:
    """The banner's context: the status, who set it, and the moves this role is offered."""
    return {
        "status": status,
        "Status": StatusPersetujuan,
        "status_oleh": user_display(status.diubah_oleh) if status.pk else "",
        **permissions.review_actions(profile, status),
    }

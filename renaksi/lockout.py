"""Login lockout (django-axes): whose address counts, which locks an admin may see and lift.

django-axes counts failed logins per account and address and refuses the pair after
``AXES_FAILURE_LIMIT`` failures for ``AXES_COOLOFF_TIME`` (settings.py). Here: the client
address axes counts by, the locks still in force that a user may lift (a superuser every lock,
an agency admin those on accounts of its own agency), and the small page that lifts them.
"""

import logging

from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from renaksi.models import Peran, Profile

logger = logging.getLogger(__name__)


def client_ip(request) -> str | None:
    """The address a login comes from, as axes should count it.

    Behind the TLS proxy every request comes from the proxy itself, so REMOTE_ADDR would put
    every user of the agency behind one address; the proxy appends the real client to
    X-Forwarded-For, and only its last entry is the proxy's own word (earlier ones are whatever
    the client sent). Without the proxy the header is the client's own claim and is ignored.
    """
    if settings.BEHIND_HTTPS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR")


def client_username(request, credentials=None) -> str:
    """AXES_USERNAME_CALLABLE: the username axes records, cut to what a username can be.

    axes stores it in a 255-character column; a longer one typed into the login form would be
    a DataError (500) on PostgreSQL. No account has a username over 150 characters (Django's
    limit), so cutting it changes which attempts count together for no real account.
    """
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(username)[:150]


def cooloff_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the lockout page, on our login and on the admin's alike.

    429 (Too Many Requests), as axes answers by default; the page says for how long, and that
    trying again meanwhile starts the wait anew (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT).
    """
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    logger.warning("login locked out: account %r from %s", username, client_ip(request))
    return render(
        request,
        "registration/terkunci.html",
        {"username": username, "menit": cooloff_minutes()},
        status=429,
    )


def may_unlock(user) -> bool:
    """A superuser, or the admin of an agency."""
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    profile = Profile.objects.filter(user=user).first()
    return profile is not None and profile.peran == Peran.ADMIN


def lockouts_for(*, user) -> QuerySet[AccessAttempt]:
    """The locks in force that ``user`` may lift, newest first.

    A lock is in force while its failures reached the limit and the last one is younger than
    the cool-off; an agency admin sees only the locks on usernames of its own agency's accounts
    (a lock on a mistyped or unknown username belongs to no agency: only a superuser sees it).
    """
    if not may_unlock(user):
        raise PermissionDenied(_("Hanya admin instansi yang dapat membuka kunci akun."))
    attempts = AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME,
    ).order_by("-attempt_time")
    if user.is_superuser:
        return attempts
    usernames = get_user_model().objects.filter(profile__instansi=user.profile.instansi_id)
    return attempts.filter(username__in=usernames.values("username"))


def lockout_lift(*, user, attempt_id: int) -> AccessAttempt:
    """Lift one lock (that account from that address); another agency's lock is a 404."""
    attempt = lockouts_for(user=user).filter(pk=attempt_id).first()
    if attempt is None:
        raise Http404(_("Kunci ini tidak ada lagi atau bukan milik instansi Anda."))
    AxesProxyHandler.reset_attempts(username=attempt.username, ip_address=attempt.ip_address)
    logger.info(
        "lockout lifted: account %r from %s by %s",
        attempt.username,
        attempt.ip_address,
        user.username,
    )
    return attempt


@login_required
@require_http_methods(["GET", "POST"])
def lockout_list(request):
    if request.method == "POST":
        raw = request.POST.get("attempt", "")
        # A number the database cannot hold would be a 500 on SQLite (OverflowError).
        attempt_id = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 18 else 0
        attempt = lockout_lift(user=request.user, attempt_id=attempt_id)
        messages.success(
            request,
            _("Kunci akun %(username)s dari alamat %(ip)s sudah dibuka.")
            % {"username": attempt.username, "ip": attempt.ip_address},
        )
        return redirect("lockout_list")
    return render(
        request,
        "akun/terkunci.html",
        {"attempts": lockouts_for(user=request.user), "cooloff_minutes": cooloff_minutes()},
    )

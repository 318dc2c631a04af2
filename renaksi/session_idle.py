"""A session ends after a working day without a request, without a write on every request.

SESSION_COOKIE_AGE (settings.py) is the idle limit. Django's SESSION_SAVE_EVERY_REQUEST would
move the end forward on every request, at the cost of an UPDATE of the session row each time:
on SQLite a write lock per page view, queued behind the realisation saves. Here the end moves
forward only when the last move is more than REFRESH old, so a session expires between
SESSION_COOKIE_AGE - REFRESH and SESSION_COOKIE_AGE after its last request.
"""

import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

REFRESH = 5 * 60  # seconds
KEY = "_renaksi_refreshed"


class IdleSessionMiddleware:
    """Below SessionMiddleware: marks the session modified when its end should move forward."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # Only a session that exists: an anonymous visitor's empty one is never stored.
        if session is not None and session.session_key and not session.is_empty():
            now = int(time.time())
            if now - session.get(KEY, 0) >= REFRESH:
                session[KEY] = now  # modified: SessionMiddleware saves it with a new expiry
        return response


@receiver(user_logged_in)
def stamp_new_session(sender, request, user, **kwargs):
    # login() saves the session anyway; stamping it then spares the next request a write.
    if request is not None and hasattr(request, "session"):
        request.session[KEY] = int(time.time())

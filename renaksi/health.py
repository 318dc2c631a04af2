"""Is the application able to serve: /healthz, and a 503 page when the database is not there.

/healthz needs no login and asks the database one trivial question, so a monitor or a load
balancer learns both that the process answers and that its database does. When the database
is down every page answers 503 with a page that says so (it is not a bug to report, and it
passes), instead of the generic 500.
"""

import logging
import sys

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.defaults import server_error as django_server_error

logger = logging.getLogger(__name__)

# The errors that mean "cannot reach or use the database now", not "our query is wrong".
UNAVAILABLE = (OperationalError, InterfaceError)


@never_cache
@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        # The exception class only: its text may hold a host name or a path.
        logger.error("healthz: database unavailable (%s)", type(exc).__name__)
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def server_error(request, template_name="500.html"):
    """handler500: a 503 page when the exception being handled is the database being away.

    Django calls handler500 inside its ``except`` block, so the exception is still at hand; it
    is logged by Django as usual (with this response's 503) before we are called.
    """
    exc = sys.exc_info()[1]
    if isinstance(exc, UNAVAILABLE):
        # Rendered without the request: the context processors would ask the database for the
        # user again. Retry-After tells a proxy and a script when to try again.
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        return response
    return django_server_error(request, template_name)

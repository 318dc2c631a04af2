"""A request id on every request, its log lines and its response.

The id comes from the proxy's X-Request-ID header when it sends a sane one, so one id follows a
request from the proxy's log through gunicorn's access log to the application's; otherwise a
fresh one is made. A context variable carries it to the logging filter, which works for threads
(gunicorn's gthread workers) and for code that never sees the request.
"""

import contextvars
import logging
import re
import uuid

HEADER = "X-Request-ID"
# Letters, digits and a few separators, at most 64: anything else could forge log lines.
_SANE = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")

_current: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


def current() -> str:
    """The id of the request being handled, or "-" outside a request."""
    return _current.get()


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.headers.get(HEADER, "")
        request.id = offered if _SANE.match(offered) else uuid.uuid4().hex
        token = _current.set(request.id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request.id
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        # Django logs an error response ("Service Unavailable: /healthz") after the middleware
        # has returned, with the request attached to the record: take the id from there.
        request_id = getattr(getattr(record, "request", None), "id", None)
        record.request_id = request_id if isinstance(request_id, str) else current()
        return True


class OneLineFormatter(logging.Formatter):
    """Newlines in a message or traceback become " | ": one event, one line, easy to grep."""

    def format(self, record: logging.LogRecord) -> str:
        return super().format(record).replace("\r", "").replace("\n", " | ")

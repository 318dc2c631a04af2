"""Every request has an id: in the X-Request-ID header, and on each log line it causes."""

import io
import logging
import sys
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.urls import reverse

from renaksi.requestid import OneLineFormatter, RequestIdFilter

pytestmark = pytest.mark.django_db


def test_it_makes_a_fresh_id_for_each_request(client):
    first = client.get(reverse("healthz"))["X-Request-ID"]
    second = client.get(reverse("healthz"))["X-Request-ID"]
    assert len(first) == 32 and first != second


def test_it_keeps_the_id_the_proxy_sent_when_it_is_sane(client):
    response = client.get(reverse("healthz"), headers={"x-request-id": "proxy-7f3a.01"})
    assert response["X-Request-ID"] == "proxy-7f3a.01"
    forged = client.get(reverse("healthz"), headers={"x-request-id": "a\nFAKE log line"})
    assert forged["X-Request-ID"] != "a\nFAKE log line" and len(forged["X-Request-ID"]) == 32


def test_it_writes_the_request_id_on_the_log_line_of_the_request(client):
    """Through the handler, filter and format of settings.LOGGING."""

    def refuse(*args, **kwargs):
        raise OperationalError("database is down")

    (console,) = [
        handler
        for handler in logging.getLogger("renaksi").handlers
        if any(isinstance(f, RequestIdFilter) for f in handler.filters)
    ]
    stream = io.StringIO()
    saved = console.setStream(stream)  # the root logger's handler too: one handler, "console"
    try:
        with mock.patch.object(connection, "cursor", refuse):
            response = client.get(reverse("healthz"), headers={"x-request-id": "abc-123"})
        logging.getLogger("renaksi.health").warning("outside any request")
    finally:
        console.setStream(saved)
    assert response.status_code == 503
    lines = stream.getvalue().splitlines()
    (inside,) = [line for line in lines if "healthz: database unavailable" in line]
    assert " ERROR renaksi.health rid=abc-123 healthz: database unavailable" in inside
    # Django's own line for the 503, written after the middleware returned, has it too.
    (django_line,) = [line for line in lines if "Service Unavailable" in line]
    assert " ERROR django.request rid=abc-123 Service Unavailable: /healthz" in django_line
    (outside,) = [line for line in lines if "outside any request" in line]
    assert " WARNING renaksi.health rid=- outside any request" in outside


def test_it_keeps_a_traceback_on_one_line():
    formatter = OneLineFormatter("%(levelname)s %(message)s")
    try:
        raise ValueError("baris\nkedua")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "gagal", None, sys.exc_info())
    line = formatter.format(record)
    assert "\n" not in line
    assert line.startswith("ERROR gagal | Traceback") and "ValueError: baris | kedua" in line

"""/healthz, and a database outage answering 503 with a page that says so instead of a 500."""

import logging
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from renaksi import health

pytestmark = pytest.mark.django_db


def database_down():
    """Every new query fails as it would with the server gone or the file unreachable."""

    def refuse(*args, **kwargs):
        raise OperationalError("connection to server failed: Connection refused")

    return mock.patch.object(connection, "cursor", refuse)


def test_it_answers_healthz_without_a_login(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_it_answers_503_on_healthz_when_the_database_is_unreachable(client, caplog):
    with database_down(), caplog.at_level(logging.ERROR, logger="renaksi.health"):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}
    # The log names what failed, not the connection string or host the message holds.
    assert "healthz: database unavailable (OperationalError)" in caplog.text
    assert "Connection refused" not in caplog.text


def test_it_answers_503_with_a_friendly_page_when_the_database_is_down(users, rencana):
    client = Client(raise_request_exception=False)
    client.force_login(users["kepala"])
    with database_down():
        response = client.get(reverse("rencana_aksi", args=[2023]))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    text = response.content.decode()
    assert "Layanan sedang tidak tersedia" in text
    assert "Basis data Renaksi sedang tidak dapat dihubungi" in text
    # And as soon as it is back, the same page works again.
    assert client.get(reverse("rencana_aksi", args=[2023])).status_code == 200


def test_it_keeps_the_500_page_for_every_other_error(rf):
    request = rf.get("/")
    try:
        raise ValueError("a bug, not an outage")
    except ValueError:
        response = health.server_error(request)
    assert response.status_code == 500
    assert "Terjadi kesalahan pada server" in response.content.decode()
    try:
        raise OperationalError("database is locked")
    except OperationalError:
        assert health.server_error(request).status_code == 503

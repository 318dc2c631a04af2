"""Login lockout (django-axes): five wrong passwords lock that account from that address, on
our login and on the admin's; the agency admin lifts the locks of its own agency's accounts."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.factories import PASSWORD, make_instansi, make_user

pytestmark = pytest.mark.django_db

LIMIT = 5
ALAMAT = "10.1.2.3"


def attempt(client, username, password, *, url=None, ip=ALAMAT):
    return client.post(
        url or reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
    )


def lock(client, username, *, url=None, ip=ALAMAT):
    for _ in range(LIMIT):
        attempt(client, username, "salah", url=url, ip=ip)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def logged_in_as(client) -> str | None:
    response = client.get(reverse("home"))
    user = response.wsgi_request.user
    return user.username if user.is_authenticated else None


def test_it_locks_an_account_after_five_failures_and_says_how_long(client, users):
    staf = users["staf_politik"]
    for _ in range(LIMIT - 1):
        assert attempt(client, staf.username, "salah").status_code == 200
    locked = attempt(client, staf.username, "salah")
    assert locked.status_code == 429
    # Now even the right password is refused, with the reason and the wait in Indonesian.
    refused = attempt(client, staf.username, PASSWORD)
    assert refused.status_code == 429
    text = refused.content.decode()
    assert "Akun dikunci sementara" in text
    assert f"Terlalu banyak percobaan masuk yang gagal untuk akun {staf.username}" in text
    assert "Silakan coba lagi setelah 15 menit" in text
    assert logged_in_as(client) is None


def test_it_speaks_english_on_the_lockout_page_when_english_is_chosen(client, users):
    lock(client, users["kepala"].username)
    client.cookies["django_language"] = "en"
    response = attempt(client, users["kepala"].username, PASSWORD)
    assert response.status_code == 429
    assert "Please try again after 15 minutes" in response.content.decode()
    translation.activate("id")


def test_it_locks_the_pair_not_the_account_everywhere(client, users):
    staf = users["staf_sekretariat"]
    lock(client, staf.username, ip="10.9.9.9")
    # The owner at their own desk still logs in: a stranger cannot lock a colleague out.
    assert attempt(client, staf.username, PASSWORD, ip=ALAMAT).status_code == 302
    assert logged_in_as(client) == staf.username


def test_it_locks_the_admin_login_too(client, users):
    admin = users["admin"]
    admin.is_staff = True
    admin.save()
    admin_login = reverse("admin:login")
    lock(client, admin.username, url=admin_login)
    response = attempt(client, admin.username, PASSWORD, url=admin_login)
    assert response.status_code == 429
    assert "Akun dikunci sementara" in response.content.decode()


def test_it_forgets_the_failures_after_a_successful_login(client, users):
    staf = users["staf_politik"]
    for _ in range(LIMIT - 1):
        attempt(client, staf.username, "salah")
    assert attempt(client, staf.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(LIMIT - 1):
        attempt(client, staf.username, "salah")
    assert attempt(client, staf.username, PASSWORD).status_code == 302


@pytest.fixture
def other_agency_admin(instansi):
    other = make_instansi(kode="instansi-lain", nama="Instansi Lain")
    return make_user("admin-lain", other, "admin")


def test_it_lets_the_agency_admin_unlock_an_account_of_its_agency(client, users):
    staf = users["staf_politik"]
    lock(client, staf.username)
    assert attempt(client, staf.username, PASSWORD).status_code == 429

    admin = client_for(users["admin"])
    page = admin.get(reverse("lockout_list"))
    assert page.status_code == 200
    (shown,) = page.context["attempts"]
    assert (shown.username, shown.ip_address) == (staf.username, ALAMAT)
    response = admin.post(reverse("lockout_list"), {"attempt": shown.pk}, follow=True)
    assert f"Kunci akun {staf.username} dari alamat {ALAMAT} sudah dibuka." in (
        response.content.decode()
    )
    assert not admin.get(reverse("lockout_list")).context["attempts"]

    assert attempt(client, staf.username, PASSWORD).status_code == 302
    assert logged_in_as(client) == staf.username


def test_it_hides_and_refuses_another_agencys_lock(client, users, other_agency_admin):
    lock(client, users["kepala"].username)
    lock(client, "nama-salah-ketik")  # an unknown username belongs to no agency
    outsider = client_for(other_agency_admin)
    assert list(outsider.get(reverse("lockout_list")).context["attempts"]) == []
    theirs = AccessAttempt.objects.get(username=users["kepala"].username)
    assert outsider.post(reverse("lockout_list"), {"attempt": theirs.pk}).status_code == 404
    assert attempt(client, users["kepala"].username, PASSWORD).status_code == 429
    # The agency's own admin does not see the unknown username either; a superuser sees both.
    own = client_for(users["admin"]).get(reverse("lockout_list")).context["attempts"]
    assert [a.username for a in own] == [users["kepala"].username]
    root = User.objects.create_superuser("operator", password=PASSWORD)
    every = client_for(root).get(reverse("lockout_list")).context["attempts"]
    assert sorted(a.username for a in every) == sorted(
        [users["kepala"].username, "nama-salah-ketik"]
    )


@pytest.mark.parametrize("role", ["kepala", "pemeriksa", "staf_sekretariat"])
def test_it_refuses_the_unlock_page_to_everyone_else(users, role):
    assert client_for(users[role]).get(reverse("lockout_list")).status_code == 403


def test_it_shows_the_unlock_link_only_to_those_who_may_use_it(users, rencana):
    link = f'href="{reverse("lockout_list")}"'
    assert link in client_for(users["admin"]).get(reverse("lockout_list")).content.decode()
    page = client_for(users["kepala"]).get(reverse("rencana_aksi", args=[2023]))
    assert page.status_code == 200
    assert link not in page.content.decode()

"""``load_demo``: the 2023 plan and the demo accounts once; running it again changes nothing."""

from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.http import HttpRequest
from django.urls import reverse

from renaksi.models import Bidang, Instansi, Peran, Profile, RencanaAksi, SubKegiatan
from renaksi.services import ADMIN_INSTANSI_GROUP
from tests.factories import make_instansi, make_plan, make_user

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "renaksi-demo-2023"
KODE = "kesbangpol-maluku"


def load_demo() -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("load_demo", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def snapshot() -> dict[str, int]:
    models = (Instansi, Bidang, RencanaAksi, SubKegiatan, User, Profile, Group)
    return {model.__name__: model.objects.count() for model in models}


def test_it_loads_the_plan_and_the_accounts_once():
    out, _err = load_demo()
    assert "Rencana aksi 2023 dimuat; 9 akun baru" in out
    first = snapshot()
    assert first["User"] == first["Profile"] == 9 and first["Group"] == 1
    out, err = load_demo()
    assert out.strip() == (
        "Rencana aksi 2023 sudah ada, tidak dimuat ulang; 0 akun baru, 9 akun sudah ada "
        "(tidak diubah), 0 profil baru."
    )
    assert err == ""
    assert snapshot() == first


def test_it_keeps_an_admins_correction_and_a_role_change():
    load_demo()
    sub = SubKegiatan.objects.filter(kegiatan__program__rencana__instansi__kode=KODE).first()
    sub.uraian = "Dikoreksi admin"
    sub.target_tw1 = Decimal("42")
    sub.save()
    instansi = Instansi.objects.get(kode=KODE)
    instansi.nama = "Badan Kesbangpol Provinsi Maluku (dikoreksi)"
    instansi.save()
    staf = Profile.objects.get(user__username="staf-politik")
    staf.bidang = Bidang.objects.get(instansi=instansi, urutan=4)
    staf.save()
    kepala = Profile.objects.get(user__username="kepala")
    kepala.peran = Peran.PEMERIKSA
    kepala.save()
    pemeriksa = User.objects.get(username="pemeriksa")
    pemeriksa.set_password("sandi-baru-pemeriksa")
    pemeriksa.first_name = "Ibu"
    pemeriksa.save()

    load_demo()

    sub.refresh_from_db()
    assert sub.uraian == "Dikoreksi admin" and sub.target_tw1 == 42
    assert Instansi.objects.get(kode=KODE).nama.endswith("(dikoreksi)")
    assert Profile.objects.get(user__username="staf-politik").bidang.urutan == 4
    assert Profile.objects.get(user__username="kepala").peran == Peran.PEMERIKSA
    pemeriksa.refresh_from_db()
    assert pemeriksa.check_password("sandi-baru-pemeriksa") and pemeriksa.first_name == "Ibu"


def test_it_adds_what_is_missing_and_touches_nothing_else():
    load_demo()
    User.objects.get(username="staf-ormas").delete()
    Profile.objects.get(user__username="staf-ekonomi").delete()
    out, _err = load_demo()
    assert "1 akun baru, 8 akun sudah ada (tidak diubah), 2 profil baru" in out
    assert Profile.objects.get(user__username="staf-ekonomi").bidang.urutan == 5
    assert User.objects.get(username="staf-ormas").check_password(DEMO_PASSWORD)


def test_it_leaves_another_agencys_plan_alone():
    other = make_instansi(kode="lain", nama="Instansi Lain")
    make_plan(other)
    load_demo()
    load_demo()
    assert RencanaAksi.objects.filter(tahun=2023).count() == 2
    assert RencanaAksi.objects.get(instansi=other).nama_penandatangan == "DANIEL UJI, S.Sos"


def test_it_makes_the_demo_admin_an_agency_admin_not_a_superuser(client):
    other = make_instansi(kode="lain", nama="Instansi Lain")
    their_plan = make_plan(other, tahun=2031)
    their_staf = make_user("staf-lain", other, Peran.STAF, other.bidang.first())
    load_demo()
    admin = User.objects.get(username="admin")
    assert admin.is_staff and not admin.is_superuser
    assert list(admin.groups.values_list("name", flat=True)) == [ADMIN_INSTANSI_GROUP]
    assert admin.profile.peran == Peran.ADMIN and admin.profile.instansi.kode == KODE
    for username in ("kepala", "pemeriksa", "staf-politik"):
        user = User.objects.get(username=username)
        assert not user.is_staff and not user.is_superuser

    # django-axes checks every authenticate() against a request; the test client's login has none.
    assert client.login(request=HttpRequest(), username="admin", password=DEMO_PASSWORD)
    response = client.get(reverse("admin:renaksi_rencanaaksi_changelist"))
    assert response.status_code == 200
    assert [plan.instansi.kode for plan in response.context["cl"].queryset] == [KODE]
    own = RencanaAksi.objects.get(instansi__kode=KODE, tahun=2023)
    assert client.get(reverse("admin:renaksi_rencanaaksi_change", args=[own.pk])).status_code == 200
    other_plan = reverse("admin:renaksi_rencanaaksi_change", args=[their_plan.pk])
    assert client.get(other_plan).status_code == 404
    password = reverse("admin:auth_user_password_change", args=[their_staf.pk])
    assert client.get(password).status_code == 404


def test_it_warns_about_a_demo_admin_that_an_older_version_made_superuser():
    load_demo()
    admin = User.objects.get(username="admin")
    admin.is_superuser = True
    admin.save()
    _out, err = load_demo()
    assert "'admin' adalah superuser" in err
    admin.refresh_from_db()
    assert admin.is_superuser  # Reported, not changed behind the operator's back.


def test_ensure_groups_creates_the_agency_admin_group_on_a_fresh_database(db):
    out = StringIO()
    call_command("ensure_groups", stdout=out)
    call_command("ensure_groups", stdout=out)
    group = Group.objects.get(name="Admin instansi")
    assert group.permissions.filter(codename="change_subkegiatan").exists()
    assert not group.permissions.filter(codename="change_statustriwulan").exists()
    assert Group.objects.filter(name="Admin instansi").count() == 1

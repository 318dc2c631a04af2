"""The Django admin: a platform superuser sees every agency, an agency admin only its own."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission, User
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from renaksi.admin.scoping import INSTANSI_PATH, scope_to_instansi
from renaksi.models import (
    DokumenTertanda,
    IndikatorSasaran,
    Instansi,
    JenisDokumen,
    Kegiatan,
    Peran,
    Realisasi,
    RencanaAksi,
    RiwayatStatusTriwulan,
    StatusPersetujuan,
    StatusTriwulan,
    SubKegiatan,
)
from renaksi.services import ADMIN_INSTANSI_GROUP, ensure_admin_instansi_group
from renaksi.services.groups import ADMIN_INSTANSI_PERMISSIONS
from tests.factories import make_instansi, make_plan, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    """The platform operator (``createsuperuser``): no agency, sees everything."""
    return User.objects.create_superuser("operator", password="rahasia-uji-123")


@pytest.fixture
def agency_admin(instansi):
    """An agency admin as ``load_demo`` makes one: staff, in the group, not a superuser."""
    user = make_user("admin-instansi", instansi, Peran.ADMIN)
    user.is_staff = True
    user.save()
    user.groups.add(ensure_admin_instansi_group())
    return user


def submitted(rencana: RencanaAksi) -> StatusTriwulan:
    """TW 1 of ``rencana`` reported on (one sub kegiatan, one sasaran indicator) and submitted
    to the kepala, with its history row."""
    now = timezone.now()
    sub = SubKegiatan.objects.filter(kegiatan__program__rencana=rencana).order_by("pk").first()
    indikator = IndikatorSasaran.objects.filter(sasaran__rencana=rencana).order_by("pk").first()
    Realisasi.objects.create(sub_kegiatan=sub, triwulan=1, nilai=10, diubah_pada=now)
    Realisasi.objects.create(indikator_sasaran=indikator, triwulan=1, nilai=20, diubah_pada=now)
    status = StatusTriwulan.objects.create(
        rencana=rencana, triwulan=1, status=StatusPersetujuan.DIAJUKAN, diubah_pada=now
    )
    RiwayatStatusTriwulan.objects.create(
        status_triwulan=status,
        status_sebelumnya=StatusPersetujuan.DIISI,
        status=StatusPersetujuan.DIAJUKAN,
        pada=now,
    )
    return status


def signed(rencana: RencanaAksi) -> DokumenTertanda:
    """A signed copy of ``rencana``'s table on record, so its read-only screen has a row."""
    return DokumenTertanda.objects.create(
        rencana=rencana,
        jenis=JenisDokumen.RENCANA_AKSI,
        kode=f"KODE{rencana.pk:08d}",
        tautan="https://renaksi.example/verifikasi/",
        berkas=ContentFile(b"%PDF-1.4\n%%EOF\n", name="rencana.pdf"),
        sha256="0" * 64,
        ukuran=15,
        tempat_tanggal="Ambon, Januari 2023",
        jabatan="Kepala Badan",
        nama="Kepala Uji",
        nip="196812101989021002",
        ditandatangani_pada=timezone.now(),
    )


@pytest.fixture
def under_review(rencana, media):
    """The conftest plan with TW 1 under review and its table signed, so the status and
    document screens have a row to show."""
    signed(rencana)
    return submitted(rencana)


@pytest.fixture
def other(db, media):
    """Another agency with its own plan, a staff account and an agency admin."""
    instansi = make_instansi(kode="instansi-lain", nama="Instansi Lain Sekali")
    rencana = make_plan(instansi, tahun=2031)
    submitted(rencana)
    signed(rencana)
    staf = make_user("staf-lain", instansi, Peran.STAF, instansi.bidang.first())
    return {"instansi": instansi, "rencana": rencana, "staf": staf}


def admin_url(model, action, *args):
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{action}", args=args)


def scoped_models():
    """Every registered model with a path to Instansi, and that path."""
    return [
        (model, INSTANSI_PATH[model]) for model in admin.site._registry if model in INSTANSI_PATH
    ]


def one_object_of(model, path, instansi):
    if path == "pk":
        return instansi
    return scope_to_instansi(model.objects.all(), instansi.pk).order_by("pk").first()


def test_it_lists_and_opens_every_model(client, superuser, rencana, under_review):
    client.force_login(superuser)
    for model in admin.site._registry:
        meta = model._meta
        changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        assert client.get(changelist).status_code == 200, changelist
        instance = model.objects.first()
        if instance is not None:
            change = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[instance.pk])
            assert client.get(change).status_code == 200, change


def test_it_lets_an_admin_correct_a_sub_kegiatan_inline(client, superuser, rencana):
    kegiatan = Kegiatan.objects.get(nomor=2)
    sub = kegiatan.sub_kegiatan.get()
    client.force_login(superuser)
    url = reverse("admin:renaksi_kegiatan_change", args=[kegiatan.pk])
    prefix = "sub_kegiatan"
    data = {
        "program": kegiatan.program_id,
        "nomor": 2,
        "nama": kegiatan.nama,
        "indikator_sasaran": kegiatan.indikator_sasaran_id,
        f"{prefix}-TOTAL_FORMS": 1,
        f"{prefix}-INITIAL_FORMS": 1,
        f"{prefix}-0-id": sub.pk,
        f"{prefix}-0-kegiatan": kegiatan.pk,
        f"{prefix}-0-urutan": 1,
        f"{prefix}-0-uraian": "Pemantauan Situasi Politik (dikoreksi)",
        f"{prefix}-0-bidang": sub.bidang_id,
        f"{prefix}-0-indikator": sub.indikator,
        f"{prefix}-0-satuan": "Bulan",
        f"{prefix}-0-target_persen": "on",
        f"{prefix}-0-arah": "naik",
        f"{prefix}-0-metode_capaian": "kumulatif",
        f"{prefix}-0-target_tw1": "60",
        f"{prefix}-0-target_tw2": "40",
        f"{prefix}-0-target_tw3": "",
        f"{prefix}-0-target_tw4": "",
        f"{prefix}-0-ket": "",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    sub.refresh_from_db()
    assert sub.uraian == "Pemantauan Situasi Politik (dikoreksi)"
    assert sub.targets()[0] == 60 and sub.targets()[2] is None


def test_it_refuses_a_percentage_target_above_100(client, superuser, rencana):
    sub = SubKegiatan.objects.first()
    client.force_login(superuser)
    url = reverse("admin:renaksi_subkegiatan_change", args=[sub.pk])
    data = {
        "kegiatan": sub.kegiatan_id,
        "urutan": sub.urutan,
        "uraian": sub.uraian,
        "bidang": sub.bidang_id,
        "indikator": sub.indikator,
        "satuan": sub.satuan,
        "target_persen": "on",
        "arah": "naik",
        "metode_capaian": "kumulatif",
        "target_tw1": "120",
        "ket": "",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Target dalam persen harus antara 0 dan 100." in response.content.decode()
    sub.refresh_from_db()
    assert sub.target_tw1 != 120


def test_deleting_a_plan_with_realisations_is_refused(rencana, users):
    from decimal import Decimal

    from django.db.models import ProtectedError

    from renaksi.services import RealisasiInput, realisasi_save_many

    sub = SubKegiatan.objects.first()
    realisasi_save_many(
        user=users["admin"],
        rencana=rencana,
        triwulan=1,
        inputs=[RealisasiInput(sub.row_key, Decimal(5))],
    )
    with pytest.raises(ProtectedError):
        RencanaAksi.objects.get(pk=rencana.pk).delete()
    assert SubKegiatan.objects.filter(pk=sub.pk).exists()


def test_deleting_a_plan_whose_quarter_was_submitted_is_refused(rencana, under_review):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        RencanaAksi.objects.get(pk=rencana.pk).delete()
    assert RiwayatStatusTriwulan.objects.filter(status_triwulan=under_review).exists()


@pytest.mark.parametrize("model", [StatusTriwulan, RiwayatStatusTriwulan])
def test_it_shows_the_review_status_and_its_history_read_only(
    client, agency_admin, superuser, under_review, model
):
    obj = model.objects.first()
    for user in (agency_admin, superuser):
        client.force_login(user)
        response = client.get(admin_url(model, "change", obj.pk))
        assert response.status_code == 200
        html = response.content.decode()
        assert 'name="_save"' not in html
        assert "Diajukan ke kepala" in html
        assert client.get(admin_url(model, "add")).status_code == 403
        assert client.post(admin_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=obj.pk).exists()


# --------------------------------------------------------------------------------------------
# An agency admin stays inside its agency
# --------------------------------------------------------------------------------------------


def test_it_registers_every_admin_model_with_a_path_to_its_agency():
    # A model registered later without a path would be shown to agency admins unfiltered.
    # The others (Group, the task queue's results) are the operator's: the agency admin group
    # holds no permission on them.
    agency_models = set(ADMIN_INSTANSI_PERMISSIONS)
    for model in admin.site._registry:
        assert model in INSTANSI_PATH or model not in agency_models, model


def test_the_operator_sees_the_task_queue_and_an_agency_admin_does_not(
    client, superuser, agency_admin
):
    from django_tasks_db.models import DBTaskResult

    url = admin_url(DBTaskResult, "changelist")
    client.force_login(superuser)
    assert client.get(url).status_code == 200
    client.force_login(agency_admin)
    assert client.get(url).status_code == 403


def test_it_shows_an_agency_admin_only_its_own_agency_in_every_changelist(
    client, agency_admin, instansi, rencana, under_review, other
):
    client.force_login(agency_admin)
    for model, _path in scoped_models():
        response = client.get(admin_url(model, "changelist"))
        assert response.status_code == 200, model
        shown = {obj.pk for obj in response.context["cl"].queryset}
        own = set(scope_to_instansi(model.objects.all(), instansi.pk).values_list("pk", flat=True))
        assert shown == own, model
        assert own, model
        # Not even in a filter of the sidebar: neither its name nor the year of its plan.
        assert "Instansi Lain Sekali" not in response.content.decode(), model
        for spec in response.context["cl"].filter_specs:
            assert 2031 not in list(getattr(spec, "lookup_choices", [])), (model, spec)


def test_it_answers_404_for_another_agencys_pages(
    client, agency_admin, rencana, under_review, other
):
    client.force_login(agency_admin)
    for model, path in scoped_models():
        theirs = one_object_of(model, path, other["instansi"])
        for action in ("change", "delete", "history"):
            url = admin_url(model, action, theirs.pk)
            assert client.get(url).status_code == 404, url
    staf = other["staf"]
    assert client.get(admin_url(User, "password_change", staf.pk)).status_code == 404
    response = client.post(
        admin_url(User, "password_change", staf.pk),
        {"password1": "diambil-alih-123", "password2": "diambil-alih-123"},
    )
    assert response.status_code == 404
    staf.refresh_from_db()
    assert staf.check_password("rahasia-uji-123")
    # Nor can a POST change another agency's plan.
    response = client.post(admin_url(RencanaAksi, "change", other["rencana"].pk), {"tahun": 2030})
    assert response.status_code == 404
    assert RencanaAksi.objects.get(pk=other["rencana"].pk).tahun == 2031


def test_it_keeps_a_platform_superuser_out_of_reach_of_an_agency_admin(
    client, agency_admin, instansi
):
    # A superuser with a profile in the agency is still the platform operator's.
    operator = make_user("operator-instansi", instansi, Peran.ADMIN)
    operator.is_staff = operator.is_superuser = True
    operator.save()
    client.force_login(agency_admin)
    response = client.get(admin_url(User, "changelist"))
    assert operator.username not in response.content.decode()
    assert client.get(admin_url(User, "change", operator.pk)).status_code == 404
    assert client.get(admin_url(User, "password_change", operator.pk)).status_code == 404


def test_it_offers_only_its_own_bidang_and_refuses_another_agencys(
    client, agency_admin, instansi, rencana, other
):
    sub = SubKegiatan.objects.filter(kegiatan__program__rencana=rencana).first()
    client.force_login(agency_admin)
    url = admin_url(SubKegiatan, "change", sub.pk)
    form = client.get(url).context["adminform"].form
    assert set(form.fields["bidang"].queryset) == set(instansi.bidang.all())
    assert set(form.fields["kegiatan"].queryset) == set(
        Kegiatan.objects.filter(program__rencana=rencana)
    )
    data = {
        "kegiatan": sub.kegiatan_id,
        "urutan": sub.urutan,
        "uraian": sub.uraian,
        "bidang": other["instansi"].bidang.first().pk,
        "indikator": sub.indikator,
        "satuan": sub.satuan,
        "target_persen": "on",
        "arah": "naik",
        "metode_capaian": "kumulatif",
        "ket": "",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "bidang" in response.context["adminform"].form.errors
    # Nor can it move the row under another agency's kegiatan.
    theirs = Kegiatan.objects.filter(program__rencana=other["rencana"]).first()
    data.update(bidang=sub.bidang_id, kegiatan=theirs.pk)
    response = client.post(url, data)
    assert response.status_code == 200
    assert "kegiatan" in response.context["adminform"].form.errors
    sub.refresh_from_db()
    assert sub.bidang.instansi == instansi and sub.kegiatan.program.rencana == rencana


def test_it_creates_a_plan_only_in_its_own_agency(client, agency_admin, instansi, other):
    client.force_login(agency_admin)
    url = admin_url(RencanaAksi, "add")
    form = client.get(url).context["adminform"].form
    assert list(form.fields["instansi"].queryset) == [instansi]
    data = {
        "instansi": other["instansi"].pk,
        "tahun": 2024,
        "tempat_ttd": "Ambon",
        "bulan_ttd": 1,
        "tahun_ttd": 2024,
        "jabatan_penandatangan": "KEPALA",
        "nama_penandatangan": "NAMA",
        "pangkat_penandatangan": "Pembina",
        "nip_penandatangan": "196812101989021002",
    }
    for prefix in ("sasaran", "program"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    response = client.post(url, data)
    assert response.status_code == 200
    assert not RencanaAksi.objects.filter(tahun=2024).exists()
    data["instansi"] = instansi.pk
    assert client.post(url, data).status_code == 302
    assert RencanaAksi.objects.get(tahun=2024).instansi == instansi


def user_change_data(user, **extra):
    profile = user.profile
    return {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "profile-TOTAL_FORMS": 1,
        "profile-INITIAL_FORMS": 1,
        "profile-MIN_NUM_FORMS": 1,
        "profile-MAX_NUM_FORMS": 1,
        "profile-0-id": profile.pk,
        "profile-0-user": user.pk,
        "profile-0-instansi": profile.instansi_id,
        "profile-0-peran": profile.peran,
        "profile-0-bidang": profile.bidang_id or "",
        "profile-0-nip": profile.nip,
        **extra,
    }


def test_it_does_not_let_an_agency_admin_make_itself_superuser(client, agency_admin):
    client.force_login(agency_admin)
    url = admin_url(User, "change", agency_admin.pk)
    page = client.get(url).content.decode()
    for field in ("is_superuser", "is_staff", "groups", "user_permissions"):
        assert f'name="{field}"' not in page, field
    superuser_permission = Permission.objects.get(codename="change_group")
    data = user_change_data(
        agency_admin,
        first_name="Baru",
        is_superuser="on",
        is_staff="on",
        groups=[],
        user_permissions=[superuser_permission.pk],
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    agency_admin.refresh_from_db()
    assert agency_admin.first_name == "Baru"
    assert not agency_admin.is_superuser
    assert agency_admin.is_staff
    assert list(agency_admin.groups.values_list("name", flat=True)) == [ADMIN_INSTANSI_GROUP]
    assert not agency_admin.user_permissions.exists()


@pytest.mark.parametrize(
    ("typed", "stored", "error"),
    [
        ("19681210 198902 1 002", "196812101989021002", None),
        ("", "", None),
        ("000000000000000000", None, "Delapan angka pertama NIP bukan tanggal lahir yang sah."),
        ("19681210 198902 3 002", None, "Angka ke-15 NIP (jenis kelamin) harus 1 atau 2."),
    ],
)
def test_it_checks_a_staff_nip_as_it_checks_the_signatorys(
    client, agency_admin, users, typed, stored, error
):
    staf = users["staf_politik"]
    client.force_login(agency_admin)
    response = client.post(
        admin_url(User, "change", staf.pk), user_change_data(staf, **{"profile-0-nip": typed})
    )
    staf.profile.refresh_from_db()
    if error is None:
        assert response.status_code == 302
        assert staf.profile.nip == stored
    else:
        assert response.status_code == 200
        assert error in response.content.decode()
        assert f'value="{typed}"' in response.content.decode()
        assert staf.profile.nip == ""


def test_it_does_not_let_an_agency_admin_move_an_account_to_another_agency(
    client, agency_admin, users, other
):
    staf = users["staf_politik"]
    client.force_login(agency_admin)
    url = admin_url(User, "change", staf.pk)
    data = user_change_data(
        staf,
        **{
            "profile-0-instansi": other["instansi"].pk,
            "profile-0-bidang": other["instansi"].bidang.first().pk,
        },
    )
    response = client.post(url, data)
    assert response.status_code == 200
    staf.profile.refresh_from_db()
    assert staf.profile.instansi == users["admin"].profile.instansi


def add_user_data(username, **profile):
    data = {
        "username": username,
        "usable_password": "true",
        "password1": "sandi-baru-123456",
        "password2": "sandi-baru-123456",
        "profile-TOTAL_FORMS": 1,
        "profile-INITIAL_FORMS": 0,
        "profile-MIN_NUM_FORMS": 1,
        "profile-MAX_NUM_FORMS": 1,
        "profile-0-instansi": "",
        "profile-0-peran": "",
        "profile-0-bidang": "",
        "profile-0-nip": "",
    }
    data.update({f"profile-0-{key}": value for key, value in profile.items()})
    return data


def test_it_lets_an_agency_admin_add_accounts_of_its_own_agency_only(
    client, agency_admin, instansi, other
):
    client.force_login(agency_admin)
    url = admin_url(User, "add")
    # Without a profile the account would belong to no agency.
    assert client.post(url, add_user_data("tanpa-profil")).status_code == 200
    theirs = other["instansi"]
    response = client.post(
        url,
        add_user_data(
            "staf-lain-baru", instansi=theirs.pk, peran=Peran.STAF, bidang=theirs.bidang.first().pk
        ),
    )
    assert response.status_code == 200
    assert not User.objects.filter(username__in=["tanpa-profil", "staf-lain-baru"]).exists()
    bidang = instansi.bidang.first()
    response = client.post(
        url, add_user_data("staf-baru", instansi=instansi.pk, peran=Peran.STAF, bidang=bidang.pk)
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    new = User.objects.get(username="staf-baru")
    assert new.profile.instansi == instansi and new.profile.bidang == bidang
    assert not new.is_staff and not new.is_superuser


def test_it_shows_a_staff_account_without_agency_nothing(client, rencana):
    lost = User.objects.create_user("tanpa-instansi", is_staff=True)
    lost.groups.add(ensure_admin_instansi_group())
    client.force_login(lost)
    for model, _path in scoped_models():
        response = client.get(admin_url(model, "changelist"))
        assert response.status_code == 200
        assert not response.context["cl"].queryset.exists(), model


def test_it_refuses_an_agency_admin_the_groups(client, agency_admin):
    client.force_login(agency_admin)
    assert client.get(admin_url(Group, "changelist")).status_code == 403


def test_it_lets_a_platform_superuser_see_every_agency(client, superuser, rencana, other):
    client.force_login(superuser)
    response = client.get(admin_url(RencanaAksi, "changelist"))
    assert set(response.context["cl"].queryset) == {rencana, other["rencana"]}
    assert client.get(admin_url(RencanaAksi, "change", other["rencana"].pk)).status_code == 200
    assert client.get(admin_url(User, "password_change", other["staf"].pk)).status_code == 200
    response = client.get(admin_url(User, "change", other["staf"].pk))
    assert 'name="is_superuser"' in response.content.decode()
    assert set(
        response.context["inline_admin_formsets"][0].formset.forms[0].fields["instansi"].queryset
    ) == set(Instansi.objects.all())


def test_it_creates_the_group_once_and_keeps_permissions_added_by_hand():
    group = ensure_admin_instansi_group()
    extra = Permission.objects.get(codename="view_group")
    group.permissions.add(extra)
    again = ensure_admin_instansi_group()
    assert again == group and Group.objects.filter(name=ADMIN_INSTANSI_GROUP).count() == 1
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"view_group", "change_instansi", "delete_subkegiatan", "add_user"} <= codenames
    assert "add_instansi" not in codenames and "delete_instansi" not in codenames


# --------------------------------------------------------------------------------------------
# Query counts
# --------------------------------------------------------------------------------------------


def grow_kegiatan(rencana, size: int) -> Kegiatan:
    """Kegiatan NO 2 of the plan with ``size`` sub kegiatan."""
    kegiatan = Kegiatan.objects.get(program__rencana=rencana, nomor=2)
    bidang = kegiatan.sub_kegiatan.get().bidang
    SubKegiatan.objects.bulk_create(
        SubKegiatan(
            kegiatan=kegiatan,
            bidang=bidang,
            urutan=urutan,
            uraian=f"Sub kegiatan {urutan}",
            indikator="Terlaksananya kegiatan",
            satuan="Bulan",
            target_tw1=Decimal(10),
        )
        for urutan in range(2, size + 1)
    )
    return kegiatan


@pytest.mark.parametrize("size", [5, 50])
@pytest.mark.parametrize(
    ("who", "queries"),
    [
        # session, user, profile, permissions of the user and of its groups, the kegiatan, its
        # sub kegiatan, and the program, indikator sasaran and bidang dropdowns once each (the
        # bidang options of the inline are shared by every row), plus the review lock: the
        # kegiatan's program (to find the plan) and whether a quarter is under review.
        ("agency_admin", 12),
        # A superuser has no agency to look up and every permission.
        ("superuser", 7),
    ],
)
def test_it_opens_a_kegiatan_in_constant_queries(
    client, request, rencana, other, who, queries, size, django_assert_num_queries
):
    user = request.getfixturevalue(who)
    kegiatan = grow_kegiatan(rencana, size)
    client.force_login(user)
    url = admin_url(Kegiatan, "change", kegiatan.pk)
    client.get(url)  # Warms the per-process caches (content types).
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200
    assert f"Sub kegiatan {size}" in response.content.decode()
    assert len(response.context["inline_admin_formsets"][0].formset.forms) == size


def signatory_post(rencana, nip: str) -> dict:
    return {
        "instansi": rencana.instansi_id,
        "tahun": rencana.tahun,
        "tempat_ttd": "Ambon",
        "bulan_ttd": 3,
        "tahun_ttd": rencana.tahun,
        "jabatan_penandatangan": rencana.jabatan_penandatangan,
        "nama_penandatangan": rencana.nama_penandatangan,
        "pangkat_penandatangan": rencana.pangkat_penandatangan,
        "nip_penandatangan": nip,
        "sasaran-TOTAL_FORMS": 0,
        "sasaran-INITIAL_FORMS": 0,
        "program-TOTAL_FORMS": 0,
        "program-INITIAL_FORMS": 0,
    }


def test_it_accepts_a_nip_typed_as_printed(client, agency_admin, rencana):
    client.force_login(agency_admin)
    url = reverse("admin:renaksi_rencanaaksi_change", args=[rencana.pk])
    response = client.post(url, signatory_post(rencana, "19700101 200003 1 001"))
    assert response.status_code == 302, response.content.decode()[:3000]
    rencana.refresh_from_db()
    assert rencana.nip_penandatangan == "197001012000031001"


def test_it_names_what_is_wrong_with_a_nip(client, agency_admin, rencana):
    client.force_login(agency_admin)
    url = reverse("admin:renaksi_rencanaaksi_change", args=[rencana.pk])
    response = client.post(url, signatory_post(rencana, "19701301 200003 1 001"))
    assert response.status_code == 200
    assert "Delapan angka pertama NIP bukan tanggal lahir yang sah." in response.content.decode()
    rencana.refresh_from_db()
    assert rencana.nip_penandatangan == "196812101989021002"


def test_it_shows_an_agency_admin_its_realisations_read_only_with_history_and_evidence(
    client, agency_admin, users, rencana, subs, other
):
    from decimal import Decimal

    from django.core.files.uploadedfile import SimpleUploadedFile

    from renaksi.models import Realisasi
    from renaksi.services import RealisasiInput, bukti_add, realisasi_save_many

    sub = subs["Pemantauan Situasi Politik Uji"]
    realisasi_save_many(
        user=users["staf_politik"],
        rencana=rencana,
        triwulan=1,
        inputs=[RealisasiInput(sub.row_key, Decimal(40), ket="Rapat selesai")],
    )
    pdf = SimpleUploadedFile("notulen.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    (bukti,) = bukti_add(
        user=users["staf_politik"], rencana=rencana, triwulan=1, uploads={sub.row_key: [pdf]}
    )
    realisasi = Realisasi.objects.get(sub_kegiatan=sub, triwulan=1)
    client.force_login(agency_admin)
    html = client.get(reverse("admin:renaksi_realisasi_change", args=[realisasi.pk])).content
    html = html.decode()
    assert "Rapat selesai" in html
    assert f'href="{reverse("bukti_download", args=[bukti.pk])}"' in html  # never a media URL
    assert 'name="nilai"' not in html  # read only: changes go through the services
    assert client.get(reverse("admin:renaksi_realisasi_add")).status_code == 403
    changelist = client.get(reverse("admin:renaksi_realisasi_changelist")).content.decode()
    assert "Pemantauan Situasi Politik Uji" in changelist

    # Another agency's admin sees none of it.
    outsider = make_user("admin-lain", other["instansi"], Peran.ADMIN)
    outsider.is_staff = True
    outsider.save()
    outsider.groups.add(ensure_admin_instansi_group())
    client.force_login(outsider)
    url = reverse("admin:renaksi_realisasi_change", args=[realisasi.pk])
    assert client.get(url).status_code == 404
    changelist = client.get(reverse("admin:renaksi_realisasi_changelist")).content.decode()
    assert "Pemantauan Situasi Politik Uji" not in changelist


def test_it_shows_a_plan_under_review_read_only_to_the_agency_admin(
    client, agency_admin, superuser, rencana, subs
):
    submitted(rencana)
    sub = subs["Penyusunan Laporan Keuangan Uji"]
    url = reverse("admin:renaksi_subkegiatan_change", args=[sub.pk])
    client.force_login(agency_admin)
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="target_tw1"' not in html
    assert "hanya dapat dilihat" in html
    assert client.post(url, {"target_tw1": "80"}).status_code == 403
    kegiatan = reverse("admin:renaksi_kegiatan_change", args=[sub.kegiatan_id])
    assert 'name="sub_kegiatan-0-target_tw1"' not in client.get(kegiatan).content.decode()
    sub.refresh_from_db()
    assert sub.target_tw1 == 26
    # The platform operator may still correct it.
    client.force_login(superuser)
    assert 'name="target_tw1"' in client.get(url).content.decode()


def sub_kegiatan_form(sub: SubKegiatan, **changes) -> dict:
    """The admin form of ``sub`` as its page would post it, with ``changes``."""
    from django.forms.models import model_to_dict

    data = {**model_to_dict(sub), **changes}
    return {name: "" if value is None else value for name, value in data.items()}


def test_it_refuses_rows_added_or_moved_into_a_plan_under_review(
    client, agency_admin, instansi, rencana, subs
):
    submitted(rencana)
    other_year = make_plan(instansi, tahun=2024)
    kegiatan_2023 = subs["Penyusunan Laporan Keuangan Uji"].kegiatan
    moved = SubKegiatan.objects.filter(kegiatan__program__rencana=other_year).first()
    before = list(SubKegiatan.objects.order_by("pk").values_list("pk", "kegiatan_id"))
    client.force_login(agency_admin)
    added = client.post(
        reverse("admin:renaksi_subkegiatan_add"),
        sub_kegiatan_form(moved, kegiatan=kegiatan_2023.pk, urutan=9, uraian="Baris baru"),
    )
    assert added.status_code == 403
    assert "hanya dapat dilihat" in added.content.decode()
    response = client.post(
        reverse("admin:renaksi_subkegiatan_change", args=[moved.pk]),
        sub_kegiatan_form(moved, kegiatan=kegiatan_2023.pk, urutan=9),
    )
    assert response.status_code == 403
    assert list(SubKegiatan.objects.order_by("pk").values_list("pk", "kegiatan_id")) == before
    # Within the plan that is not under review, the same form saves.
    response = client.post(
        reverse("admin:renaksi_subkegiatan_change", args=[moved.pk]),
        sub_kegiatan_form(moved, uraian="Diperbaiki"),
    )
    assert response.status_code == 302
    moved.refresh_from_db()
    assert moved.uraian == "Diperbaiki"


def test_an_agency_admin_cannot_make_itself_kepala_or_reach_the_kepala(
    client, agency_admin, users, instansi
):
    client.force_login(agency_admin)
    own = client.get(reverse("admin:auth_user_change", args=[agency_admin.pk])).content.decode()
    assert 'name="profile-0-peran"' not in own  # its own role is read only
    new_user = client.get(reverse("admin:auth_user_change", args=[users["staf_politik"].pk]))
    options = new_user.content.decode()
    assert 'value="staf"' in options and 'value="kepala"' not in options
    kepala = users["kepala"]
    for action in ("change", "password", "delete"):
        args = [kepala.pk]
        url = (
            reverse("admin:auth_user_password_change", args=args)
            if action == "password"
            else reverse(f"admin:auth_user_{action}", args=args)
        )
        assert client.get(url).status_code == 404, action


def test_whoever_submitted_cannot_approve(users, rencana):
    from django.core.exceptions import PermissionDenied

    from renaksi.services import triwulan_ajukan, triwulan_setujui

    triwulan_ajukan(user=users["admin"], rencana=rencana, triwulan=1)
    # As if the admin's account had become kepala since.
    profile = users["admin"].profile
    profile.peran = Peran.KEPALA
    profile.save()
    with pytest.raises(PermissionDenied, match="akun Anda sendiri"):
        triwulan_setujui(user=users["admin"], rencana=rencana, triwulan=1)
    assert StatusTriwulan.objects.get(rencana=rencana, triwulan=1).status == "diajukan"


@pytest.mark.parametrize("saves", [3, 30])
def test_it_opens_a_realisation_with_its_history_in_constant_queries(
    client, agency_admin, users, rencana, subs, saves, django_assert_num_queries
):
    from decimal import Decimal

    from renaksi.services import RealisasiInput, realisasi_save_many

    key = subs["Pemantauan Situasi Politik Uji"].row_key
    for versi in range(saves):
        realisasi_save_many(
            user=users["staf_politik"],
            rencana=rencana,
            triwulan=1,
            inputs=[RealisasiInput(key, Decimal(versi + 1), versi=versi)],
        )
    realisasi = Realisasi.objects.get(sub_kegiatan__pk=int(key[4:]), triwulan=1)
    url = reverse("admin:renaksi_realisasi_change", args=[realisasi.pk])
    client.force_login(agency_admin)
    client.get(url)  # warms the per-process caches
    with django_assert_num_queries(10):
        response = client.get(url)
    assert response.content.decode().count('class="field-versi"') >= saves


def test_it_keeps_each_kegiatan_number_once_per_plan_in_the_database(rencana):
    from django.db import IntegrityError, transaction

    from renaksi.models import Kegiatan, Program

    second = Program.objects.create(rencana=rencana, urutan=2, nama="Program Kedua")
    indikator = IndikatorSasaran.objects.filter(sasaran__rencana=rencana).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        # NO 1 exists under the first program of the same plan.
        Kegiatan.objects.create(
            program=second, rencana=rencana, indikator_sasaran=indikator, nomor=1, nama="Ganda"
        )


def test_it_names_a_kegiatan_number_used_elsewhere_in_the_plan(client, superuser, rencana):
    """A new program with an inline kegiatan whose NO is taken: the form says so, no 500."""
    from renaksi.models import Kegiatan, Program

    indikator = IndikatorSasaran.objects.filter(sasaran__rencana=rencana).first()
    client.force_login(superuser)
    response = client.post(
        admin_url(Program, "add"),
        {
            "rencana": rencana.pk,
            "urutan": 2,
            "nama": "Program Kedua",
            "kegiatan-TOTAL_FORMS": 1,
            "kegiatan-INITIAL_FORMS": 0,
            "kegiatan-0-nomor": 1,
            "kegiatan-0-nama": "Kegiatan Ganda",
            "kegiatan-0-indikator_sasaran": indikator.pk,
        },
    )
    assert response.status_code == 200
    assert "Nomor ini sudah dipakai di rencana aksi ini." in response.content.decode()
    assert not Program.objects.filter(nama="Program Kedua").exists()
    assert Kegiatan.objects.filter(rencana=rencana).count() == 2

    # A free NO is saved, with the program's plan.
    response = client.post(
        admin_url(Program, "add"),
        {
            "rencana": rencana.pk,
            "urutan": 2,
            "nama": "Program Kedua",
            "kegiatan-TOTAL_FORMS": 1,
            "kegiatan-INITIAL_FORMS": 0,
            "kegiatan-0-nomor": 3,
            "kegiatan-0-nama": "Kegiatan Baru",
            "kegiatan-0-indikator_sasaran": indikator.pk,
        },
    )
    assert response.status_code == 302
    assert Kegiatan.objects.get(nama="Kegiatan Baru").rencana_id == rencana.pk


def test_it_does_not_move_a_program_to_another_plan(client, superuser, rencana):
    from renaksi.models import Program

    program = Program.objects.get(rencana=rencana)
    client.force_login(superuser)
    page = client.get(admin_url(Program, "change", program.pk)).content.decode()
    assert 'name="rencana"' not in page


def test_it_shows_an_agency_admin_its_signed_documents_read_only(
    client, agency_admin, rencana, under_review
):
    dokumen = DokumenTertanda.objects.get(rencana=rencana)
    client.force_login(agency_admin)
    changelist = client.get(admin_url(DokumenTertanda, "changelist")).content.decode()
    assert f'href="{reverse("verifikasi", args=[dokumen.kode])}"' in changelist
    html = client.get(admin_url(DokumenTertanda, "change", dokumen.pk)).content.decode()
    assert "Kepala Uji" in html
    assert 'name="nip"' not in html  # read only: documents are signed by the review services
    assert client.get(admin_url(DokumenTertanda, "add")).status_code == 403
    assert client.post(admin_url(DokumenTertanda, "delete", dokumen.pk)).status_code == 403
    assert DokumenTertanda.objects.filter(pk=dokumen.pk).exists()

import pytest
from django.contrib import admin
from django.urls import reverse

from renaksi.models import Kegiatan, Peran, RencanaAksi, SubKegiatan
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(instansi):
    user = make_user("admin-situs", instansi, Peran.ADMIN)
    user.is_staff = user.is_superuser = True
    user.save()
    return user


def test_it_lists_and_opens_every_model(client, superuser, rencana):
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
        inputs=[RealisasiInput(f"sub-{sub.pk}", Decimal(5))],
    )
    with pytest.raises(ProtectedError):
        RencanaAksi.objects.get(pk=rencana.pk).delete()
    assert SubKegiatan.objects.filter(pk=sub.pk).exists()

"""The agency admin's plan pages: import (upload → preview → confirm), template, publish, copy,
history; drafts seen only by the admin and the kepala; the home page's year."""

import io

import openpyxl
import pytest
from django.urls import reverse
from openpyxl.cell.cell import MergedCell

from renaksi.models import RencanaAksi, SubKegiatan
from renaksi.rencana_import.payload import payload_sign
from renaksi.rencana_import.read import rencana_read
from renaksi.services.rencana import rencana_copy
from tests.factories import (
    SIGNATORY,
    bidang_names,
    data_cell,
    edit_xlsx,
    make_instansi,
    make_plan,
    make_user,
    plan_xlsx,
    template_fill,
)

pytestmark = pytest.mark.django_db

IMPOR = reverse("rencana_impor")


def upload(client, content: bytes, tahun=2024, name="rencana-2024.xlsx", **extra):
    berkas = io.BytesIO(content)
    berkas.name = name
    return client.post(IMPOR, {"tahun": tahun, "berkas": berkas, **extra})


def payload_of(response) -> str:
    return response.context["payload"]


def test_it_shows_the_import_page_to_the_agency_admin_only(client, users):
    for role, status in (
        ("admin", 200),
        ("kepala", 403),
        ("pemeriksa", 403),
        ("staf_politik", 403),
    ):
        client.force_login(users[role])
        assert client.get(IMPOR).status_code == status, role


def test_it_previews_an_upload_exactly_as_it_will_print_and_writes_nothing(client, users, rencana):
    client.force_login(users["admin"])
    response = upload(client, plan_xlsx(rencana))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Pratinjau impor rencana aksi 2024" in html
    assert "3 sub kegiatan" in html and "2 kegiatan" in html
    assert "Penyusunan Laporan Keuangan Uji" in html and "TW 1 : 26%" in html
    assert "TAHUN 2024" in html  # the table of the year it goes into
    assert not RencanaAksi.objects.filter(tahun=2024).exists()


def test_it_writes_the_previewed_plan_as_a_draft_on_confirmation(client, users, rencana):
    client.force_login(users["admin"])
    token = payload_of(upload(client, plan_xlsx(rencana)))
    response = client.post(IMPOR, {"payload": token})
    assert response.status_code == 302 and response["Location"] == reverse(
        "rencana_aksi", args=[2024]
    )
    draft = RencanaAksi.objects.get(instansi=rencana.instansi, tahun=2024)
    assert not draft.diterbitkan
    assert SubKegiatan.objects.filter(kegiatan__rencana=draft).count() == 3
    # The same payload again: the year has a plan now.
    again = client.post(IMPOR, {"payload": token})
    assert again.status_code == 409 and "sudah memiliki rencana aksi" in again.content.decode()


def test_it_refuses_a_payload_signed_for_another_user_or_changed(client, users, rencana):
    data = rencana_read(plan_xlsx(rencana), bidang=bidang_names(rencana.instansi)).data
    other = make_user("admin-kedua", rencana.instansi, "admin")
    token = payload_sign(
        data,
        user=other,
        instansi_id=rencana.instansi_id,
        tahun=2024,
        replace_targets=False,
        nama_berkas="x.xlsx",
        printed=False,
    )
    client.force_login(users["admin"])
    assert client.post(IMPOR, {"payload": token}).status_code == 400
    assert client.post(IMPOR, {"payload": token[:-3] + "abc"}).status_code == 400
    assert not RencanaAksi.objects.filter(tahun=2024).exists()


def test_it_refuses_a_payload_of_another_agency(client, rencana):
    lain = make_instansi(kode="lain", nama="Lain")
    admin_lain = make_user("admin-lain", lain, "admin")
    data = rencana_read(plan_xlsx(rencana), bidang=bidang_names(rencana.instansi)).data
    token = payload_sign(
        data,
        user=admin_lain,
        instansi_id=rencana.instansi_id,
        tahun=2024,
        replace_targets=False,
        nama_berkas="x.xlsx",
        printed=False,
    )
    client.force_login(admin_lain)
    assert client.post(IMPOR, {"payload": token}).status_code == 400


def test_it_shows_every_fault_of_a_refused_upload(client, users, rencana):
    def break_it(workbook):
        data_cell(workbook, "sub kegiatan", "TARGET TW 1").value = "banyak"
        data_cell(workbook, "sub kegiatan", "BIDANG", nth=2).value = "Bidang Rahasia"

    client.force_login(users["admin"])
    html = upload(client, edit_xlsx(plan_xlsx(rencana), break_it)).content.decode()
    assert "Berkas ditolak; tidak ada yang disimpan." in html
    assert "kolom Q (TARGET TW 1)" in html and "Bidang Rahasia" in html


def test_it_asks_to_accept_the_warnings_before_importing(client, users, rencana):
    content = edit_xlsx(
        plan_xlsx(rencana),
        lambda wb: setattr(data_cell(wb, "sub kegiatan", "TARGET TW 4"), "value", 10),
    )
    client.force_login(users["admin"])
    preview = upload(client, content)
    assert "berjumlah 87%" in preview.content.decode()
    refused = client.post(IMPOR, {"payload": payload_of(preview)})
    assert refused.status_code == 400
    # Refreshing the preview keeps them: its new payload asks as well.
    again = client.post(IMPOR, {"payload": payload_of(preview), "aksi": "pratinjau"})
    assert "berjumlah 87%" in again.content.decode()
    assert client.post(IMPOR, {"payload": payload_of(again)}).status_code == 400
    accepted = client.post(IMPOR, {"payload": payload_of(preview), "terima": "on"})
    assert accepted.status_code == 302


def test_it_lets_the_admin_choose_the_bidang_of_a_printed_layout_import(client, users, rencana):
    content = edit_xlsx(plan_xlsx(rencana), lambda wb: wb.remove(wb["Data"]))
    client.force_login(users["admin"])
    preview = upload(client, content)
    html = preview.content.decode()
    assert 'name="bidang-sk-2.1"' in html
    response = client.post(
        IMPOR, {"payload": payload_of(preview), "bidang-sk-2.1": "Bidang Politik"}
    )
    assert response.status_code == 302
    sub = SubKegiatan.objects.get(kegiatan__rencana__tahun=2024, kegiatan__nomor=2, urutan=1)
    assert sub.bidang.nama == "Bidang Politik"
    first = SubKegiatan.objects.get(kegiatan__rencana__tahun=2024, kegiatan__nomor=1, urutan=1)
    assert first.bidang.nama == "Sekretariat"


def test_it_gives_the_admin_a_template_with_printed_data_and_instruction_sheets(
    client, users, rencana
):
    client.force_login(users["admin"])
    response = client.get(reverse("rencana_templat"))
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    printed, *rest = workbook.sheetnames
    assert rest == ["Data", "Petunjuk"]
    assert workbook.active.title == "Data"  # what the admin fills in
    text = " ".join(
        str(c.value) for row in workbook["Petunjuk"].iter_rows() for c in row if c.value
    )
    assert "Bidang Politik" in text and "TARGET PERSEN" in text and "kumulatif" in text
    assert "BILANGAN BULAT" in text and "Contoh" in text
    # The printed sheet: the headers as the export prints them, no rows, the signature's place.
    cells = [str(c.value) for row in workbook[printed].iter_rows() for c in row if c.value]
    assert "TABEL RENCANA AKSI" in cells and "INDIKATOR KINERJA" in cells
    assert {"NO", "SASARAN", "PROGRAM", "KEGIATAN", "SUB KEGIATAN", "TARGET", "KET"} <= set(cells)
    assert "[NAMA PENANDATANGAN]" in cells and "NIP. [18 angka]" in cells
    export = openpyxl.load_workbook(io.BytesIO(plan_xlsx(rencana)))
    first = export.worksheets[0]
    header = [first.cell(4, c).value for c in range(1, 16)]
    assert [workbook[printed].cell(4, c).value for c in range(1, 16)] == header


def test_it_says_the_untouched_template_has_no_rows(client, users):
    client.force_login(users["admin"])
    content = client.get(reverse("rencana_templat")).content
    response = upload(client, content, name="templat.xlsx")
    assert response.status_code == 200
    html = response.content.decode()
    assert "belum berisi baris rencana aksi" in html
    assert "TEMPAT TTD" not in html  # one clear message, not every empty key
    assert not RencanaAksi.objects.filter(tahun=2024).exists()


def test_it_imports_the_template_filled_with_its_example(client, users):
    from renaksi.rencana_import import spec
    from renaksi.rencana_import.template import example

    client.force_login(users["admin"])
    content = client.get(reverse("rencana_templat")).content
    filled = template_fill(
        content, spec.flatten(example("Bidang Politik")), {**SIGNATORY, "tahun_ttd": 2024}
    )
    preview = upload(client, filled, name="templat-isi.xlsx")
    assert preview.status_code == 200, preview.content.decode()[:2000]
    assert "Penyusunan Laporan Keuangan" in preview.content.decode()
    assert client.post(IMPOR, {"payload": payload_of(preview)}).status_code == 302
    sub = SubKegiatan.objects.get(kegiatan__rencana__tahun=2024)
    assert sub.bidang.nama == "Bidang Politik" and sub.target_tw1 == 25


def test_it_reads_a_table_typed_into_the_templates_printed_sheet(client, users, rencana):
    """The Data sheet left empty, the printed sheet filled (as agencies keep it): read that."""
    client.force_login(users["admin"])
    template = openpyxl.load_workbook(io.BytesIO(client.get(reverse("rencana_templat")).content))
    export = openpyxl.load_workbook(io.BytesIO(plan_xlsx(rencana)))
    source, target = export.worksheets[0], template.worksheets[0]
    for row in source.iter_rows():
        for cell in row:
            if not isinstance(target.cell(cell.row, cell.column), MergedCell):
                target.cell(cell.row, cell.column).value = cell.value
    buffer = io.BytesIO()
    template.save(buffer)
    preview = upload(client, buffer.getvalue())
    assert preview.status_code == 200
    assert preview.context["printed"] and 'name="arah-sk-1.1"' in preview.content.decode()


def test_the_plan_xlsx_download_carries_the_data_sheet(client, users, rencana):
    client.force_login(users["staf_politik"])
    response = client.get(reverse("rencana_aksi_xlsx", args=[2023]))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[1] == "Data"


# --- Drafts -------------------------------------------------------------------------------------


def test_a_draft_is_seen_by_admin_and_kepala_marked_draf_and_by_nobody_else(client, users, rencana):
    rencana_copy(instansi=rencana.instansi, dari=2023, ke=2024)
    url = reverse("rencana_aksi", args=[2024])
    for role in ("admin", "kepala"):
        client.force_login(users[role])
        html = client.get(url).content.decode()
        assert "Draf" in html and "belum diterbitkan" in html, role
        assert "Isi realisasi" not in html and "Lihat realisasi" not in html
    for role in ("pemeriksa", "staf_politik"):
        client.force_login(users[role])
        assert client.get(url).status_code == 404, role
        assert client.get(reverse("rencana_aksi_xlsx", args=[2024])).status_code == 404
        assert "2024" not in client.get(reverse("rencana_aksi", args=[2023])).content.decode()


def test_the_home_page_is_the_current_published_plan_never_a_newer_draft(client, users, rencana):
    rencana_copy(instansi=rencana.instansi, dari=2023, ke=2099)
    for role in ("admin", "kepala", "staf_politik"):
        client.force_login(users[role])
        # The dashboard of 2023 (over by now: it opens on TW 4), not of the 2099 draft.
        assert client.get(reverse("home"))["Location"] == reverse("dasbor", args=[2023, 4])


def test_the_entry_page_of_a_draft_takes_no_realisations(client, users, rencana):
    rencana_copy(instansi=rencana.instansi, dari=2023, ke=2024)
    sub = SubKegiatan.objects.filter(kegiatan__rencana__tahun=2024).first()
    client.force_login(users["admin"])
    url = reverse("realisasi_form", args=[2024, 1])
    assert client.get(url).status_code == 200
    response = client.post(url, {f"{sub.row_key}-nilai": "5", f"{sub.row_key}-versi": "0"})
    assert response.status_code == 403
    assert client.get(reverse("formulir_unggah", args=[2024, 1])).status_code == 403


def test_the_admin_publishes_a_draft_and_then_everyone_sees_it(client, users, rencana):
    rencana_copy(instansi=rencana.instansi, dari=2023, ke=2024)
    client.force_login(users["kepala"])
    assert client.post(reverse("rencana_terbitkan", args=[2024])).status_code == 403
    client.force_login(users["admin"])
    response = client.post(reverse("rencana_terbitkan", args=[2024]))
    assert response.status_code == 302
    assert RencanaAksi.objects.get(tahun=2024).diterbitkan
    client.force_login(users["staf_politik"])
    assert client.get(reverse("rencana_aksi", args=[2024])).status_code == 200


def test_the_copy_button_makes_a_draft_of_the_next_year(client, users, rencana):
    client.force_login(users["admin"])
    response = client.post(
        reverse("rencana_salin", args=[2023]), {"ke": "2024", "tanpa_target": "on"}
    )
    assert response["Location"] == reverse("rencana_aksi", args=[2024])
    copy = RencanaAksi.objects.get(tahun=2024)
    assert not copy.diterbitkan
    assert (copy.bulan_ttd, copy.tahun_ttd) == (rencana.bulan_ttd, rencana.tahun_ttd + 1)
    assert not SubKegiatan.objects.filter(kegiatan__rencana=copy, target_tw1__isnull=False).exists()
    # The draft's page says so, with the moved signing date under the table.
    page = client.get(reverse("rencana_aksi", args=[2024])).content.decode()
    assert "Draf" in page and copy.tempat_tanggal_ttd in page
    client.force_login(users["staf_politik"])
    assert client.post(reverse("rencana_salin", args=[2023]), {"ke": "2025"}).status_code == 403


# --- History ----------------------------------------------------------------------------------


def test_the_history_page_is_for_admin_kepala_and_pemeriksa(client, users, rencana):
    sub = SubKegiatan.objects.filter(kegiatan__rencana=rencana).order_by("pk").first()
    sub.target_tw1 = 40
    sub._history_user = users["admin"]
    sub.save()
    url = reverse("rencana_riwayat", args=[2023])
    for role in ("admin", "kepala", "pemeriksa"):
        client.force_login(users[role])
        html = client.get(url).content.decode()
        assert "Riwayat perubahan rencana aksi 2023" in html, role
        assert "target TW 1" in html and "26.00" in html and "40.00" in html
    client.force_login(users["staf_politik"])
    assert client.get(url).status_code == 403
    client.force_login(users["admin"])
    assert client.post(url, {"x": "1"}).status_code == 200  # nothing to post: read-only


# 30, not more: on SQLite Django cuts a bulk insert at 999 parameters (a sub kegiatan's history
# row has 32 columns since the money fields came); see test_rencana_import.
@pytest.mark.parametrize("size", [5, 30])
def test_the_preview_page_runs_a_fixed_number_of_queries(size, client, django_assert_num_queries):
    from renaksi.synthetic import plan_generate

    instansi = make_instansi(kode="besar", nama="Besar")
    admin = make_user("admin-besar", instansi, "admin")
    source = plan_generate(instansi=instansi, tahun=2030, sub_kegiatan=size)
    source.instansi = instansi
    content = plan_xlsx(source)
    client.force_login(admin)
    with django_assert_num_queries(PREVIEW_PAGE_QUERIES):
        assert upload(client, content, tahun=2031).status_code == 200


PREVIEW_PAGE_QUERIES = 27


def test_it_imports_a_plan_of_another_agency_without_touching_ours(client, users, rencana):
    lain = make_instansi(kode="lain", nama="Lain")
    admin_lain = make_user("admin-lain", lain, "admin")
    make_plan(lain, tahun=2023)
    client.force_login(admin_lain)
    token = payload_of(upload(client, plan_xlsx(rencana), tahun=2025))
    assert client.post(IMPOR, {"payload": token}).status_code == 302
    assert RencanaAksi.objects.get(tahun=2025).instansi == lain
    client.force_login(users["kepala"])
    assert client.get(reverse("rencana_aksi", args=[2025])).status_code == 404


# --- The printed layout's defaults, reviewed and changed in the preview (issue 8) ------------


def printed_only(rencana) -> bytes:
    return edit_xlsx(plan_xlsx(rencana), lambda wb: wb.remove(wb["Data"]))


def test_it_offers_every_guessed_default_per_row_of_a_printed_layout_import(client, users, rencana):
    client.force_login(users["admin"])
    html = upload(client, printed_only(rencana)).content.decode()
    for field in ("arah", "metode", "persen", "bulat"):
        assert f'name="{field}-is-1.1"' in html  # indikator sasaran 1.1
        assert f'name="{field}-sk-2.1"' in html  # sub kegiatan 2.1
        assert f'name="semua-{field}"' in html
    assert 'name="bidang-sk-2.1"' in html and 'name="bidang-is-1.1"' not in html


def test_it_shows_the_changed_choices_in_the_preview_and_imports_them(client, users, rencana):
    client.force_login(users["admin"])
    preview = upload(client, printed_only(rencana))
    choices = {
        "payload": payload_of(preview),
        "arah-sk-2.1": "turun",
        "metode-sk-2.1": "terakhir",
        "metode-is-1.1": "terakhir",
        "bidang-sk-2.1": "Bidang Politik",
    }
    again = client.post(IMPOR, {**choices, "aksi": "pratinjau"})
    assert again.status_code == 200
    html = again.content.decode()
    assert '<option value="turun" selected>' in html
    assert not RencanaAksi.objects.filter(tahun=2024).exists()
    # The new payload carries the choices: confirming it alone imports them.
    assert client.post(IMPOR, {"payload": payload_of(again), "terima": "on"}).status_code == 302
    sub = SubKegiatan.objects.get(kegiatan__rencana__tahun=2024, kegiatan__nomor=2, urutan=1)
    assert (sub.arah, sub.metode_capaian, sub.bidang.nama) == (
        "turun",
        "terakhir",
        "Bidang Politik",
    )
    other = SubKegiatan.objects.get(kegiatan__rencana__tahun=2024, kegiatan__nomor=1, urutan=1)
    assert (other.arah, other.metode_capaian) == ("naik", "kumulatif")
    indikator = RencanaAksi.objects.get(tahun=2024).sasaran.get(urutan=1).indikator.get(urutan=1)
    assert indikator.metode_capaian == "terakhir"


def test_it_applies_a_choice_to_every_row_at_once(client, users, rencana):
    client.force_login(users["admin"])
    preview = upload(client, printed_only(rencana))
    again = client.post(
        IMPOR, {"payload": payload_of(preview), "aksi": "semua", "semua-arah": "turun"}
    )
    assert again.status_code == 200
    html = again.content.decode()
    assert html.count('<option value="turun" selected>') == len(again.context["baris"])
    assert client.post(IMPOR, {"payload": payload_of(again), "terima": "on"}).status_code == 302
    rows = SubKegiatan.objects.filter(kegiatan__rencana__tahun=2024)
    assert set(rows.values_list("arah", flat=True)) == {"turun"}


def test_it_imports_the_choices_posted_with_the_confirmation(client, users, rencana):
    client.force_login(users["admin"])
    preview = upload(client, printed_only(rencana))
    response = client.post(
        IMPOR,
        {"payload": payload_of(preview), "bulat-sk-2.1": "ya", "terima": "on", "aksi": "impor"},
    )
    assert response.status_code == 302
    sub = SubKegiatan.objects.get(kegiatan__rencana__tahun=2024, kegiatan__nomor=2, urutan=1)
    assert sub.bilangan_bulat


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("arah-sk-2.1", "miring", "Sub kegiatan 2.1: pilihan arah «miring» tidak dikenal"),
        ("metode-is-1.1", "<script>", "Indikator sasaran 1.1: pilihan metode capaian"),
        ("bidang-sk-2.1", "Bidang Rahasia", "Sub kegiatan 2.1: bidang yang dipilih tidak dikenal"),
        ("persen-is-1.1", "tidak", "Indikator sasaran 1.1: satuan «%» berarti"),
    ],
)
@pytest.mark.parametrize("aksi", ["pratinjau", "impor"])
def test_it_refuses_a_tampered_choice_saying_which_row(
    client, users, rencana, field, value, message, aksi
):
    client.force_login(users["admin"])
    preview = upload(client, printed_only(rencana))
    response = client.post(
        IMPOR, {"payload": payload_of(preview), field: value, "terima": "on", "aksi": aksi}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not RencanaAksi.objects.filter(tahun=2024).exists()


def test_it_refuses_the_choices_of_a_preview_signed_for_another_user(client, users, rencana):
    client.force_login(users["admin"])
    token = payload_of(upload(client, printed_only(rencana)))
    other = make_user("admin-kedua", rencana.instansi, "admin")
    client.force_login(other)
    response = client.post(IMPOR, {"payload": token, "aksi": "pratinjau"})
    assert response.status_code == 400
    assert "bukan untuk Anda" in response.content.decode()

"""The kepala's review on the pages: the status banner, the buttons per role, the POST views
(submit, approve, return), the read-only entry page of a locked quarter, the report footer."""

import html as html_module
import re
import subprocess
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone
from openpyxl import load_workbook

from renaksi.models import (
    Bukti,
    IndikatorSasaran,
    Peran,
    Realisasi,
    RealisasiRiwayat,
    RiwayatStatusTriwulan,
    StatusPersetujuan,
    StatusTriwulan,
)
from renaksi.presentation import NAMED_EMPTY_ROWS, ajukan_confirmation
from renaksi.selectors import entry_rows
from renaksi.services import (
    RealisasiInput,
    bukti_add,
    realisasi_save_many,
    triwulan_ajukan,
    triwulan_kembalikan,
    triwulan_setujui,
)
from tests.factories import make_instansi, make_plan, make_user
from tests.helpers import form_fields, load

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ROLES = ["admin", "kepala", "pemeriksa", "staf_sekretariat", "staf_politik"]
LOCKED = ["diajukan", "disetujui"]


def entry(n: int = 1) -> str:
    return reverse("realisasi_form", kwargs={"tahun": 2023, "triwulan": n})


def report(n: int = 1) -> str:
    return reverse("laporan_capaian", args=[2023, n])


def action(name: str, n: int = 1, tahun: int = 2023) -> str:
    return reverse(f"triwulan_{name}", args=[tahun, n])


@pytest.fixture
def keuangan(subs):
    return subs["Penyusunan Laporan Keuangan Uji"]  # Sekretariat


# What the report page's return form carries when it showed a submitted quarter.
SEEN = {"status_dilihat": "diajukan"}


def bring_to(state: str, users, rencana) -> None:
    """Move TW 1 of the plan to ``state`` through the services, as the pages would."""
    if state == "diisi":
        return
    triwulan_ajukan(user=users["admin"], rencana=rencana, triwulan=1)
    if state == "disetujui":
        triwulan_setujui(user=users["kepala"], rencana=rencana, triwulan=1)
    elif state == "dikembalikan":
        triwulan_kembalikan(
            user=users["kepala"],
            rencana=rencana,
            triwulan=1,
            catatan="Lengkapi bukti NO 1",
            status_dilihat="diajukan",
        )


def status() -> str:
    found = StatusTriwulan.objects.filter(triwulan=1).first()
    return found.status if found else "diisi"


def entry_inputs(response) -> dict[str, str]:
    """The inputs of the entry page, without the language switcher's."""
    fields = form_fields(response)
    fields.pop("next", None)
    return fields


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def with_evidence(users, rencana, sub) -> Bukti:
    realisasi_save_many(
        user=users["staf_sekretariat"],
        rencana=rencana,
        triwulan=1,
        inputs=[RealisasiInput(sub.row_key, Decimal(10))],
    )
    (bukti,) = bukti_add(
        user=users["staf_sekretariat"],
        rencana=rencana,
        triwulan=1,
        uploads={sub.row_key: [SimpleUploadedFile("bukti.pdf", PDF, "application/pdf")]},
    )
    return bukti


# --- The banner and the buttons on the entry page ---------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_it_shows_a_quarter_being_filled_and_offers_submission_to_the_admin_only(
    client, users, rencana, role
):
    client.force_login(users[role])
    html = client.get(entry()).content.decode()
    assert "Status TW 1: Sedang diisi" in html
    assert "Bila realisasi TW 1 sudah lengkap, admin mengajukannya ke kepala" in html
    button = "Ajukan TW 1 ke kepala</button>"
    form = f'<form method="post" action="{action("ajukan")}"'
    if role == "admin":
        assert button in html and form in html
    else:
        assert button not in html and form not in html


@pytest.mark.parametrize("state", LOCKED)
@pytest.mark.parametrize("role", ROLES)
def test_it_shows_a_locked_quarter_read_only_to_everyone(
    client, users, rencana, keuangan, role, state
):
    bukti = with_evidence(users, rencana, keuangan)
    bring_to(state, users, rencana)
    client.force_login(users[role])
    response = client.get(entry())
    html = response.content.decode()
    assert response.status_code == 200
    assert entry_inputs(response) == {}  # no input, no textarea
    assert "<textarea" not in html and 'type="file"' not in html
    assert ">Simpan</button>" not in html
    assert reverse("bukti_hapus", args=[bukti.pk]) not in html and ">Hapus</button>" not in html
    assert "Ajukan TW 1 ke kepala</button>" not in html
    assert "Anda dapat melihat realisasi triwulan ini, tetapi tidak mengubahnya." not in html
    when = formats.date_format(
        timezone.localtime(StatusTriwulan.objects.get().diubah_pada), "j F Y"
    )
    if state == "diajukan":
        assert "Status TW 1: Diajukan ke kepala" in html
        assert f"oleh admin-uji pada {when}" in html
        assert "TW 1 sedang diperiksa kepala: realisasi dan bukti dukung tidak dapat diubah" in html
        assert "minta kepala mengembalikan TW 1" in html
    else:
        assert "Status TW 1: Disetujui" in html
        assert f"oleh kepala-uji pada {when}" in html
        assert (
            "TW 1 sudah disetujui kepala: realisasi dan bukti dukung tidak dapat diubah lagi"
            in (html)
        )
    # What is stored stays readable, evidence included.
    if role in ("admin", "kepala", "pemeriksa", "staf_sekretariat"):
        assert "bukti.pdf" in html
    # The kepala is sent to the report to decide.
    review_link = f'<a href="{report()}">Buka laporan TW 1 untuk menyetujui atau mengembalikannya'
    assert (review_link in html) == (role == "kepala" and state == "diajukan")


def test_it_shows_the_kepalas_note_and_opens_the_page_again_once_returned(
    client, users, rencana, keuangan
):
    bring_to("dikembalikan", users, rencana)
    StatusTriwulan.objects.update(catatan="Lengkapi bukti NO 1\nPeriksa target <b>TW 1</b>")
    users["kepala"].first_name, users["kepala"].last_name = "Daniel", "Uji"
    users["kepala"].save()
    client.force_login(users["admin"])
    response = client.get(entry())
    html = response.content.decode()
    assert "Status TW 1: Dikembalikan" in html
    assert "oleh Daniel Uji pada" in html
    assert (
        "Catatan kepala:</strong> Lengkapi bukti NO 1<br>Periksa target &lt;b&gt;TW 1&lt;/b&gt;"
        in (html)
    )
    assert "Ajukan TW 1 ke kepala</button>" in html
    assert f"{keuangan.row_key}-nilai" in entry_inputs(response)
    # Saving works again.
    client.force_login(users["staf_sekretariat"])
    data = load(client, users["staf_sekretariat"])
    data[f"{keuangan.row_key}-nilai"] = "26"
    assert client.post(entry(), data).status_code == 302
    assert Realisasi.objects.get(sub_kegiatan=keuangan, triwulan=1).nilai == 26


def test_it_keeps_other_quarters_open(client, users, rencana, keuangan):
    bring_to("disetujui", users, rencana)
    client.force_login(users["staf_sekretariat"])
    response = client.get(entry(2))
    assert "Status TW 2: Sedang diisi" in response.content.decode()
    assert f"{keuangan.row_key}-nilai" in entry_inputs(response)


# --- Saving a locked quarter from the entry page -----------------------------------------------


@pytest.mark.parametrize("state", LOCKED)
def test_it_saves_nothing_from_a_page_loaded_before_the_quarter_was_locked(
    client, users, rencana, keuangan, media, state
):
    data = load(client, users["staf_sekretariat"])
    data[f"{keuangan.row_key}-nilai"] = "26"
    data[f"{keuangan.row_key}-bukti"] = SimpleUploadedFile("baru.pdf", PDF, "application/pdf")
    bring_to(state, users, rencana)
    response = client.post(entry(), data)
    html = response.content.decode()
    assert response.status_code == 200
    expected = {
        "diajukan": "Belum tersimpan: TW 1 sedang diperiksa kepala (diajukan oleh admin-uji pada",
        "disetujui": "Belum tersimpan: TW 1 sudah disetujui kepala (oleh kepala-uji pada",
    }[state]
    assert expected in html
    assert entry_inputs(response) == {}
    assert not Realisasi.objects.exists() and not Bukti.objects.exists()
    assert not any(path.is_file() for path in (media / "bukti").rglob("*"))


def test_it_saves_nothing_when_locked_between_loading_the_status_and_saving(
    client, users, rencana, keuangan, monkeypatch
):
    """The service's own check, inside the saving transaction, answers with the same message."""
    from renaksi import selectors
    from renaksi.models import StatusTriwulan as Model

    data = load(client, users["staf_sekretariat"])
    data[f"{keuangan.row_key}-nilai"] = "26"
    bring_to("diajukan", users, rencana)
    # As if the view had read the status just before the admin's submission was committed.
    monkeypatch.setattr(
        selectors,
        "status_triwulan",
        lambda *, rencana, triwulan: Model(rencana=rencana, triwulan=triwulan),
    )
    response = client.post(entry(), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Belum tersimpan: TW 1 sedang diperiksa kepala (diajukan oleh admin-uji pada" in html
    assert "Status TW 1: Diajukan ke kepala" in html
    assert entry_inputs(response) == {}
    assert not Realisasi.objects.exists()


@pytest.mark.parametrize("state", LOCKED)
def test_it_refuses_to_delete_evidence_of_a_locked_quarter(
    client, users, rencana, keuangan, media, state
):
    bukti = with_evidence(users, rencana, keuangan)
    bring_to(state, users, rencana)
    client.force_login(users["staf_sekretariat"])
    response = client.post(reverse("bukti_hapus", args=[bukti.pk]))
    assert response.status_code == 302
    assert response["Location"] == entry()
    page = client.get(entry())
    assert any("tidak dapat diubah" in message for message in messages_of(page))
    assert Bukti.objects.filter(pk=bukti.pk).exists()
    assert (media / bukti.berkas.name).is_file()


# --- Submitting ---------------------------------------------------------------------------------


@pytest.mark.parametrize("before", ["diisi", "dikembalikan"])
def test_it_lets_the_admin_submit(client, users, rencana, before):
    bring_to(before, users, rencana)
    client.force_login(users["admin"])
    response = client.post(action("ajukan"), follow=True)
    assert response.redirect_chain == [(entry(), 302)]
    assert messages_of(response) == [
        "TW 1 diajukan ke kepala. Selama diperiksa, realisasi dan bukti dukung TW 1 tidak dapat "
        "diubah."
    ]
    assert status() == "diajukan"
    assert "Status TW 1: Diajukan ke kepala" in response.content.decode()


def konfirmasi_of(html: str) -> str:
    """The text the submit button's confirm() shows."""
    (found,) = re.findall(r'data-konfirmasi="([^"]*)" onclick="return confirm', html)
    return html_module.unescape(found)


def test_it_names_the_empty_rows_before_the_admin_submits(client, users, rencana, subs):
    realisasi_save_many(
        user=users["admin"],
        rencana=rencana,
        triwulan=1,
        inputs=[RealisasiInput(subs["Penyusunan Laporan Keuangan Uji"].row_key, Decimal(26))],
    )
    politik = subs["Pemantauan Situasi Politik Uji"]
    client.force_login(users["admin"])
    html = client.get(entry()).content.decode()
    # On the page beside the button, each a link to its row.
    assert '<div class="peringatan belum-diisi" id="belum-diisi">' in html
    assert f'<a href="#{politik.row_key}">NO 2 Pemantauan Situasi Politik Uji</a>' in html
    assert ">Indikator Naik</a>" in html and ">Menurunnya Tingkat Kriminalitas</a>" in html
    assert 'aria-describedby="belum-diisi"' in html
    # And in the question asked again before submitting.
    question = konfirmasi_of(html)
    assert question.startswith("Masih kosong, padahal bertarget TW 1:\n")
    assert "- Sasaran: Indikator Naik\n" in question
    assert "- Sasaran: Menurunnya Tingkat Kriminalitas\n" in question
    assert "- NO 2 Pemantauan Situasi Politik Uji\n" in question
    # Filled, or without a target this quarter: not named.
    assert "Laporan Keuangan" not in question and "Peralatan" not in question
    assert "Tetap ajukan TW 1 ke kepala dengan baris kosong ini?" in question


def test_it_asks_plainly_when_every_row_is_filled(client, users, rencana, subs):
    keys = [
        *(s.row_key for s in subs.values() if s.uraian != "Penyediaan Peralatan Kantor Uji"),
        *(i.row_key for i in IndikatorSasaran.objects.all()),
    ]
    realisasi_save_many(
        user=users["admin"],
        rencana=rencana,
        triwulan=1,
        inputs=[RealisasiInput(key, Decimal(20)) for key in keys],
    )
    client.force_login(users["admin"])
    html = client.get(entry()).content.decode()
    assert 'id="belum-diisi"' not in html
    assert konfirmasi_of(html) == (
        "Ajukan TW 1 ke kepala? Selama diperiksa, realisasi dan bukti dukung TW 1 tidak dapat "
        "diubah. Isian yang belum disimpan akan hilang."
    )


def test_it_names_at_most_a_few_rows_in_the_question(client, users, rencana, subs):
    (row,) = [
        r for r in entry_rows(rencana=rencana, profile=users["admin"].profile) if r.nomor == 2
    ]
    question = ajukan_confirmation(1, [], [row] * (NAMED_EMPTY_ROWS + 5))
    assert question.count("- NO 2 Pemantauan Situasi Politik Uji") == NAMED_EMPTY_ROWS
    assert "- dan 5 baris lainnya\n" in question


@pytest.mark.parametrize("role", ["kepala", "pemeriksa", "staf_sekretariat", "staf_politik"])
def test_it_refuses_submission_to_other_roles(client, users, rencana, role):
    client.force_login(users[role])
    assert client.post(action("ajukan")).status_code == 403
    assert status() == "diisi"
    assert not RiwayatStatusTriwulan.objects.exists()


@pytest.mark.parametrize("state", LOCKED)
def test_it_says_why_a_quarter_cannot_be_submitted_again(client, users, rencana, state):
    bring_to(state, users, rencana)
    client.force_login(users["admin"])
    response = client.post(action("ajukan"), follow=True)
    assert response.redirect_chain == [(entry(), 302)]
    label = StatusPersetujuan(state).label
    assert messages_of(response) == [
        f"TW 1 tidak dapat diajukan ke kepala: statusnya {label}. Hanya triwulan yang sedang "
        "diisi atau dikembalikan yang dapat diajukan."
    ]
    assert status() == state


# --- Approving and returning on the report page -------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", ["diisi", "diajukan", "dikembalikan", "disetujui"])
def test_it_offers_approve_and_return_to_the_kepala_of_a_submitted_quarter_only(
    client, users, rencana, role, state
):
    bring_to(state, users, rencana)
    client.force_login(users[role])
    html = client.get(report()).content.decode()
    assert f"Status TW 1: {StatusPersetujuan(state).label}" in html
    offered = role == "kepala" and state == "diajukan"
    reopen = role == "kepala" and state == "disetujui"
    assert (f'action="{action("setujui")}"' in html) == offered
    assert (">Setujui</button>" in html) == offered
    assert (f'action="{action("kembalikan")}"' in html) == (offered or reopen)
    assert ('name="catatan"' in html) == (offered or reopen)
    assert ("Buka kembali dan kembalikan ke admin</button>" in html) == reopen
    # Submission is done from the entry page.
    assert "Ajukan TW 1 ke kepala</button>" not in html


def test_it_lets_the_kepala_approve(client, users, rencana):
    bring_to("diajukan", users, rencana)
    client.force_login(users["kepala"])
    response = client.post(action("setujui"), follow=True)
    assert response.redirect_chain == [(report(), 302)]
    assert messages_of(response) == ["TW 1 disetujui."]
    assert status() == "disetujui"
    html = response.content.decode()
    assert "Status TW 1: Disetujui" in html
    assert ">Setujui</button>" not in html


def test_it_lets_the_kepala_return_with_a_note(client, users, rencana):
    bring_to("diajukan", users, rencana)
    client.force_login(users["kepala"])
    response = client.post(
        action("kembalikan"), {"catatan": "  Lengkapi bukti NO 1  ", **SEEN}, follow=True
    )
    assert response.redirect_chain == [(report(), 302)]
    assert messages_of(response) == ["TW 1 dikembalikan ke admin dengan catatan Anda."]
    stored = StatusTriwulan.objects.get()
    assert (stored.status, stored.catatan, stored.diubah_oleh) == (
        "dikembalikan",
        "Lengkapi bukti NO 1",
        users["kepala"],
    )
    assert "Catatan kepala:</strong> Lengkapi bukti NO 1" in response.content.decode()


def test_it_links_each_report_row_to_its_evidence_and_its_entry(client, users, rencana, keuangan):
    bukti = with_evidence(users, rencana, keuangan)
    bring_to("diajukan", users, rencana)
    client.force_login(users["kepala"])
    html = client.get(report()).content.decode()
    download = reverse("bukti_download", args=[bukti.pk])
    assert f'<a href="{download}" aria-label="Bukti dukung: bukti.pdf">bukti.pdf</a>' in html
    assert f'href="{entry()}#{keuangan.row_key}"' in html
    assert f'aria-label="Isian TW 1: {keuangan.uraian}"' in html
    # The link the kepala follows serves the file.
    assert client.get(download).status_code == 200


def test_it_links_no_evidence_of_another_quarter_or_another_bidang(
    client, users, rencana, keuangan
):
    bukti = with_evidence(users, rencana, keuangan)
    client.force_login(users["kepala"])
    assert reverse("bukti_download", args=[bukti.pk]) not in client.get(report(2)).content.decode()
    client.force_login(users["staf_politik"])
    html = client.get(report()).content.decode()
    assert reverse("bukti_download", args=[bukti.pk]) not in html
    assert keuangan.row_key not in html


def test_it_folds_the_reopening_away_once_approved(client, users, rencana):
    """Right after "Setujui" no empty note box: reopening is a folded, labelled choice."""
    bring_to("disetujui", users, rencana)
    client.force_login(users["kepala"])
    html = client.get(report()).content.decode()
    assert '<details class="buka-kembali">' in html
    assert "<summary>Buka kembali TW 1 (kembalikan ke admin untuk diperbaiki)</summary>" in html
    assert html.index('<details class="buka-kembali">') < html.index('name="catatan"')
    assert ">Setujui</button>" not in html
    # An empty note opens it again, with the error in view.
    response = client.post(action("kembalikan"), {"catatan": "", "status_dilihat": "disetujui"})
    assert '<details class="buka-kembali" open>' in response.content.decode()
    assert status() == "disetujui"


def test_it_keeps_approving_and_returning_apart(client, users, rencana):
    bring_to("diajukan", users, rencana)
    client.force_login(users["kepala"])
    html = client.get(report()).content.decode()
    approve = html.index('id="setujui-judul"')
    give_back = html.index('id="kembalikan-judul"')
    # The approve button ends its own panel, before the return panel and its note begin.
    assert approve < html.index(">Setujui</button>") < give_back < html.index('name="catatan"')
    assert "<details" not in html


@pytest.mark.parametrize("catatan", [None, "", "   "])
def test_it_reshows_the_report_when_the_note_is_empty(client, users, rencana, catatan):
    bring_to("diajukan", users, rencana)
    client.force_login(users["kepala"])
    response = client.post(
        action("kembalikan"), SEEN if catatan is None else {"catatan": catatan, **SEEN}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        '<div class="pesan-salah" id="catatan-salah" role="alert">Tulis catatan untuk admin: apa '
        "yang harus diperbaiki sebelum diajukan lagi.</div>" in html
    )
    assert 'aria-invalid="true"' in html
    assert "LAPORAN CAPAIAN KINERJA TRIWULAN 1" in html
    assert status() == "diajukan"
    assert RiwayatStatusTriwulan.objects.count() == 1


def test_it_keeps_a_note_too_long_on_screen(client, users, rencana):
    bring_to("diajukan", users, rencana)
    client.force_login(users["kepala"])
    response = client.post(action("kembalikan"), {"catatan": "x" * 4001, **SEEN})
    assert response.status_code == 200
    html = response.content.decode()
    assert "paling banyak 4000 karakter" in html
    assert "x" * 4001 in html
    assert status() == "diajukan"


@pytest.mark.parametrize("role", ["admin", "pemeriksa", "staf_sekretariat", "staf_politik"])
def test_it_refuses_approval_and_return_to_other_roles(client, users, rencana, role):
    bring_to("diajukan", users, rencana)
    client.force_login(users[role])
    assert client.post(action("setujui")).status_code == 403
    assert client.post(action("kembalikan"), {"catatan": "Ulang"}).status_code == 403
    # An empty note does not turn the refusal into a form error.
    assert client.post(action("kembalikan"), {"catatan": ""}).status_code == 403
    assert status() == "diajukan"
    assert RiwayatStatusTriwulan.objects.count() == 1


@pytest.mark.parametrize("state", ["diisi", "dikembalikan", "disetujui"])
def test_it_says_why_a_quarter_cannot_be_approved(client, users, rencana, state):
    bring_to(state, users, rencana)
    client.force_login(users["kepala"])
    label = StatusPersetujuan(state).label
    response = client.post(action("setujui"), follow=True)
    assert response.redirect_chain == [(report(), 302)]
    assert messages_of(response) == [
        f"TW 1 tidak dapat disetujui: statusnya {label}. Hanya triwulan yang diajukan ke kepala "
        "yang dapat disetujui."
    ]
    assert status() == state


@pytest.mark.parametrize("state", ["diisi", "dikembalikan"])
def test_it_says_why_a_quarter_cannot_be_returned(client, users, rencana, state):
    bring_to(state, users, rencana)
    client.force_login(users["kepala"])
    label = StatusPersetujuan(state).label
    response = client.post(action("kembalikan"), {"catatan": "Ulang"}, follow=True)
    assert messages_of(response) == [
        f"TW 1 tidak dapat dikembalikan: statusnya {label}. Hanya triwulan yang diajukan ke "
        "kepala atau sudah disetujui yang dapat dikembalikan."
    ]
    assert status() == state


def test_it_lets_the_kepala_reopen_an_approved_quarter(client, users, rencana):
    bring_to("disetujui", users, rencana)
    client.force_login(users["kepala"])
    response = client.post(
        action("kembalikan"),
        {"catatan": "Koreksi audit", "status_dilihat": "disetujui"},
        follow=True,
    )
    assert messages_of(response) == ["TW 1 dikembalikan ke admin dengan catatan Anda."]
    assert status() == "dikembalikan"
    assert "Koreksi audit" in response.content.decode()


def test_a_double_click_on_setujui_approves_once(client, users, rencana):
    bring_to("diajukan", users, rencana)
    client.force_login(users["kepala"])
    assert messages_of(client.post(action("setujui"), follow=True)) == ["TW 1 disetujui."]
    response = client.post(action("setujui"), follow=True)
    assert "tidak dapat disetujui: statusnya Disetujui" in messages_of(response)[0]
    assert list(RiwayatStatusTriwulan.objects.values_list("status", flat=True)) == [
        "diajukan",
        "disetujui",
    ]


# --- Access -------------------------------------------------------------------------------------


@pytest.mark.parametrize("peran", [Peran.ADMIN, Peran.KEPALA, Peran.PEMERIKSA, Peran.STAF])
@pytest.mark.parametrize("name", ["ajukan", "setujui", "kembalikan"])
def test_it_404s_for_everyone_of_another_agency(client, users, rencana, peran, name):
    bring_to("diajukan" if name != "ajukan" else "diisi", users, rencana)
    other = make_instansi(kode="lain", nama="Instansi Lain")
    make_plan(other, tahun=2024)  # a plan of their own, of another year
    bidang = other.bidang.first() if peran == Peran.STAF else None
    client.force_login(make_user(f"{peran}-lain", other, peran, bidang))
    response = client.post(action(name), {"catatan": "Ulang"})
    assert response.status_code == 404
    assert status() == ("diajukan" if name != "ajukan" else "diisi")


@pytest.mark.parametrize("name", ["ajukan", "setujui", "kembalikan"])
def test_it_answers_only_post_and_only_logged_in(client, users, rencana, name):
    response = client.post(action(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    client.force_login(users["kepala" if name != "ajukan" else "admin"])
    assert client.get(action(name)).status_code == 405
    # No such quarter is a URL of ours (the tw converter).
    assert client.post(f"/rencana-aksi/2023/tw/5/status/{name}/").status_code == 404
    assert client.post(action(name, tahun=2022)).status_code == 404
    assert not StatusTriwulan.objects.exists()


@pytest.mark.parametrize(
    ("name", "role", "before", "page", "data"),
    [
        ("ajukan", "admin", "diisi", "entry", {}),
        ("setujui", "kepala", "diajukan", "report", {}),
        ("kembalikan", "kepala", "diajukan", "report", {"catatan": "Lengkapi bukti", **SEEN}),
    ],
)
def test_it_enforces_csrf(users, rencana, name, role, before, page, data):
    bring_to(before, users, rencana)
    client = Client(enforce_csrf_checks=True)
    client.force_login(users[role])
    assert client.post(action(name), data).status_code == 403
    assert status() == before
    # With the token the page's form carries, the same request goes through.
    html = client.get(entry() if page == "entry" else report()).content.decode()
    assert f'action="{action(name)}"' in html
    token = client.cookies["csrftoken"].value
    response = client.post(action(name), {**data, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert status() != before


# --- The report's footer ------------------------------------------------------------------------


def approved_line(users) -> str:
    moment = StatusTriwulan.objects.get(triwulan=1).diubah_pada
    return (
        f"Status: Disetujui oleh {users['kepala'].username} pada "
        f"{formats.date_format(timezone.localtime(moment), 'j F Y')}."
    )


@pytest.mark.parametrize(
    ("state", "line"),
    [
        ("diisi", "Status: belum disetujui kepala (sedang diisi)."),
        ("diajukan", "Status: belum disetujui kepala (diajukan ke kepala)."),
        ("dikembalikan", "Status: belum disetujui kepala (dikembalikan)."),
        ("disetujui", None),
    ],
)
def test_it_prints_the_status_under_the_report(client, users, rencana, state, line):
    bring_to(state, users, rencana)
    line = line or approved_line(users)
    client.force_login(users["staf_politik"])
    html = client.get(report()).content.decode()
    assert f"<li>{line}</li>" in html
    response = client.get(reverse("laporan_capaian_xlsx", args=[2023, 1]))
    values = [
        cell.value
        for row in load_workbook(BytesIO(response.content)).active.iter_rows()
        for cell in row
    ]
    assert line in values


def test_it_prints_the_approval_in_a_fresh_pdf(client, users, rencana):
    client.force_login(users["kepala"])

    def pdf_text() -> str:
        response = client.get(reverse("laporan_capaian_pdf", args=[2023, 1]))
        return " ".join(
            subprocess.run(
                ["pdftotext", "-raw", "-", "-"], input=response.content, capture_output=True
            )
            .stdout.decode()
            .split()
        )

    assert "Status: belum disetujui kepala (sedang diisi)." in pdf_text()
    bring_to("disetujui", users, rencana)
    # The cached PDF of before the approval is not served again.
    assert approved_line(users) in pdf_text()


def test_the_review_leaves_realisations_and_their_history_alone(client, users, rencana, keuangan):
    with_evidence(users, rencana, keuangan)
    before = (
        list(Realisasi.objects.values_list("pk", "nilai", "versi")),
        RealisasiRiwayat.objects.count(),
    )
    bring_to("disetujui", users, rencana)
    after = (
        list(Realisasi.objects.values_list("pk", "nilai", "versi")),
        RealisasiRiwayat.objects.count(),
    )
    assert after == before


def test_it_counts_a_browsers_line_breaks_once_in_the_note(client, users, rencana):
    bring_to("diajukan", users, rencana)
    client.force_login(users["kepala"])
    note = "\r\n".join(["baris"] * 600)  # 3,599 characters once "\r\n" is "\n"
    response = client.post(action("kembalikan"), {"catatan": note, **SEEN}, follow=True)
    assert messages_of(response) == ["TW 1 dikembalikan ke admin dengan catatan Anda."]
    assert StatusTriwulan.objects.get().catatan == note.replace("\r\n", "\n")


def test_it_says_why_at_once_when_a_stale_tab_returns_a_quarter_with_an_empty_note(
    client, users, rencana
):
    client.force_login(users["kepala"])
    response = client.post(action("kembalikan"), {"catatan": ""}, follow=True)
    assert response.redirect_chain == [(report(), 302)]
    assert "tidak dapat dikembalikan: statusnya Sedang diisi" in messages_of(response)[0]


def test_it_keeps_the_note_when_the_quarter_was_approved_in_another_tab(client, users, rencana):
    """Kembalikan clicked on a page that showed "diajukan" never reopens an approved quarter."""
    bring_to("diajukan", users, rencana)
    client.force_login(users["kepala"])
    assert client.post(action("setujui")).status_code == 302  # the other tab
    response = client.post(action("kembalikan"), {"catatan": "Lengkapi bukti NO 2", **SEEN})
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "TW 1 sudah berstatus Disetujui sejak halaman ini dibuka, jadi tidak ada yang diubah."
        in html
    )
    assert "Lengkapi bukti NO 2</textarea>" in html
    assert 'name="status_dilihat" value="disetujui"' in html
    assert "Buka kembali dan kembalikan ke admin" in html
    assert status() == "disetujui"
    assert RiwayatStatusTriwulan.objects.count() == 2
    # The re-shown form now carries what the page shows, so a deliberate second click reopens.
    response = client.post(
        action("kembalikan"),
        {"catatan": "Lengkapi bukti NO 2", "status_dilihat": "disetujui"},
        follow=True,
    )
    assert messages_of(response) == ["TW 1 dikembalikan ke admin dengan catatan Anda."]
    assert status() == "dikembalikan"


@pytest.mark.parametrize("seen", [None, "", "dihapus"])
def test_it_reshows_a_form_from_a_page_that_said_nothing_of_the_status(
    client, users, rencana, seen
):
    bring_to("diajukan", users, rencana)
    client.force_login(users["kepala"])
    data = {"catatan": "Lengkapi bukti NO 2"}
    if seen is not None:
        data["status_dilihat"] = seen
    response = client.post(action("kembalikan"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Halaman ini sudah usang; muat ulang lalu ulangi." in html
    assert "Lengkapi bukti NO 2</textarea>" in html
    assert status() == "diajukan"

"""The signed Rencana Aksi table: page, PDF, XLSX and the kepala's signing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renaksi import documents, permissions, selectors, services
from renaksi.exports.download import (
    CONTENT_TYPES,
    PAPERS,
    ExportFile,
    attachment,
    export_rencana_aksi,
    export_table,
)
from renaksi.layout import Table
from renaksi.models import DokumenTertanda, JenisDokumen, Peran, Triwulan


def table_download(request, table: Table, fmt: str):
    """The PDF (``?kertas=a4|f4``) or XLSX of a printed table, as an attachment."""
    paper = request.GET.get("kertas", "a4")
    if paper not in PAPERS:
        return HttpResponseBadRequest(_("Ukuran kertas harus A4 atau F4."))
    return attachment(export_table(table, fmt=fmt, paper=paper))


def signed_download(request, dokumen: DokumenTertanda):
    """The stored PDF of a signed document, byte for byte (it is A4, whatever was asked)."""
    with dokumen.berkas.open("rb") as handle:
        content = handle.read()
    return attachment(
        ExportFile(content, CONTENT_TYPES["pdf"], f"{table_stem(dokumen)}-{dokumen.kode}.pdf")
    )


def table_stem(dokumen: DokumenTertanda) -> str:
    rencana = dokumen.rencana
    if dokumen.jenis == JenisDokumen.LAPORAN:
        return f"laporan-capaian-{rencana.instansi.kode}-{rencana.tahun}-tw{dokumen.triwulan}"
    return f"rencana-aksi-{rencana.instansi.kode}-{rencana.tahun}"


def base_url(request) -> str:
    """Where this site is reached, to start the verification address printed on a document."""
    return request.build_absolute_uri("/").rstrip("/")


@login_required
def rencana_aksi(request, tahun: int):
    rencana = permissions.rencana_for_user(request.user, tahun)
    profile = permissions.profile_of(request.user)
    dokumen = selectors.dokumen_berlaku(rencana=rencana, jenis=JenisDokumen.RENCANA_AKSI)
    table = documents.rencana_aksi_table(rencana=rencana, dokumen=dokumen)
    years = selectors.rencana_years(
        instansi_id=rencana.instansi_id, with_drafts=permissions.may_see_drafts(profile)
    )
    is_admin = profile.peran == Peran.ADMIN
    return render(
        request,
        "renaksi/rencana_aksi.html",
        {
            "rencana": rencana,
            "table": table,
            "years": years,
            "is_admin": is_admin,
            "may_see_history": permissions.may_see_history(profile),
            "next_year": rencana.tahun + 1,
            "papers": PAPERS.values(),
            "quarters": Triwulan.values,
            "halaman": "rencana",
            "dokumen": dokumen,
            "can_sign": permissions.may_sign_rencana(profile, rencana),
        },
    )


@login_required
def rencana_aksi_download(request, tahun: int, fmt: str):
    rencana = permissions.rencana_for_user(request.user, tahun)
    dokumen = selectors.dokumen_berlaku(rencana=rencana, jenis=JenisDokumen.RENCANA_AKSI)
    if fmt == "pdf" and dokumen is not None:
        return signed_download(request, dokumen)
    paper = request.GET.get("kertas", "a4")
    if paper not in PAPERS:
        return HttpResponseBadRequest(_("Ukuran kertas harus A4 atau F4."))
    return attachment(export_rencana_aksi(rencana, fmt=fmt, paper=paper))


@login_required
@require_POST
def rencana_tandatangani(request, tahun: int):
    """The kepala signs the plan's table: stored once as PDF, verifiable by its code."""
    rencana = permissions.rencana_for_user(request.user, tahun)
    dokumen = services.rencana_tandatangani(
        user=request.user, rencana=rencana, base_url=base_url(request)
    )
    messages.success(
        request,
        _("Rencana aksi %(tahun)s ditandatangani. Kode verifikasi: %(kode)s.")
        % {"tahun": tahun, "kode": dokumen.kode},
    )
    return redirect("rencana_aksi", tahun=tahun)

"""The signed Rencana Aksi table: page, PDF, XLSX and the kepala's signing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
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
    pdf_filename,
)
from renaksi.layout import Table
from renaksi.models import DokumenTertanda, JenisDokumen, Peran, StatusRender, Triwulan
from renaksi.services import render as render_service


def table_download(request, table: Table, fmt: str, *, spec, back_url: str):
    """The PDF (``?kertas=a4|f4``) or XLSX of a printed table, as an attachment.

    ``spec(paper)`` names the table for a worker (``services.render``) should the PDF be too
    large to render in the request; ``back_url`` is the page the progress page leads back to.
    """
    paper = request.GET.get("kertas", "a4")
    if paper not in PAPERS:
        return HttpResponseBadRequest(_("Ukuran kertas harus A4 atau F4."))
    if fmt == "pdf":
        return pdf_download(request, table, paper=paper, spec=spec(paper), back_url=back_url)
    return attachment(export_table(table, fmt=fmt, paper=paper))


def pdf_download(request, table: Table, *, paper: str, spec: dict, back_url: str):
    """The PDF when it is cached or small; else the page showing its rendering's progress
    (202), which asks again with ``?progres=1`` (JSON) and downloads it when ready."""
    if "progres" in request.GET:
        progress = render_service.progress_of(table=table, paper=paper)
        return JsonResponse(
            {
                "status": progress.status,
                "siap": progress.ready,
                "gagal": progress.status == StatusRender.FAILED,
                "baris": progress.rows_done,
                "baris_total": progress.rows_total,
                "halaman": progress.pages,
                "persen": progress.percent,
            }
        )
    result = render_service.pdf_for_request(table=table, paper=paper, spec=spec)
    if isinstance(result, bytes):
        return attachment(ExportFile(result, CONTENT_TYPES["pdf"], pdf_filename(table, paper)))
    return render(
        request,
        "renaksi/dokumen_disiapkan.html",
        {
            "judul": " ".join(table.title_lines),
            "job": result,
            "gagal": result.status == StatusRender.FAILED,
            "persen": render_service.progress_of(table=table, paper=paper).percent,
            "pdf_url": f"{request.path}?kertas={paper}",
            "back_url": back_url,
            "paper": PAPERS[paper],
        },
        status=202,
    )


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
    if fmt == "pdf":
        return pdf_download(
            request,
            documents.rencana_aksi_table(rencana=rencana),
            paper=paper,
            spec=render_service.spec_rencana(rencana_id=rencana.pk, paper=paper),
            back_url=reverse("rencana_aksi", kwargs={"tahun": tahun}),
        )
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

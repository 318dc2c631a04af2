"""The Laporan Capaian Kinerja Triwulan: page, PDF and XLSX."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse

from renaksi import documents, evaluasi, permissions, selectors
from renaksi.exports.download import PAPERS
from renaksi.forms import KembalikanForm, SetujuiForm
from renaksi.models import JenisDokumen, RencanaAksi, StatusPersetujuan, Triwulan
from renaksi.services import render as render_service
from renaksi.views.rencana import signed_download, table_download
from renaksi.views.status_banner import status_context


def laporan_render(
    request,
    rencana: RencanaAksi,
    triwulan: int,
    *,
    kembalikan_form: KembalikanForm | None = None,
    setujui_form: SetujuiForm | None = None,
):
    """The report page; with a bound ``kembalikan_form`` or ``setujui_form``, with its errors."""
    profile = permissions.profile_of(request.user)
    status = selectors.status_triwulan(rencana=rencana, triwulan=triwulan)
    dokumen = (
        selectors.dokumen_berlaku(rencana=rencana, jenis=JenisDokumen.LAPORAN, triwulan=triwulan)
        if status.status == StatusPersetujuan.DISETUJUI
        else None
    )
    table = documents.laporan_table(
        rencana=rencana, triwulan=triwulan, profile=profile, status=status, dokumen=dokumen
    )
    documents.laporan_links_add(table, rencana=rencana, triwulan=triwulan)
    if setujui_form is None:
        setujui_form = SetujuiForm(
            default=selectors.penandatangan_default(user=request.user, rencana=rencana)
        )
    return render(
        request,
        "renaksi/laporan.html",
        {
            "rencana": rencana,
            "table": table,
            "triwulan": triwulan,
            "quarters": Triwulan.values,
            "papers": PAPERS.values(),
            "kembalikan_form": kembalikan_form or KembalikanForm(),
            "setujui_form": setujui_form,
            "dokumen": dokumen,
            "halaman": "laporan",
            **status_context(status, profile=profile),
        },
    )


@login_required
def laporan_capaian(request, tahun: int, triwulan: int):
    rencana = permissions.rencana_for_user(request.user, tahun)
    return laporan_render(request, rencana, triwulan)


@login_required
def laporan_capaian_download(request, tahun: int, triwulan: int, fmt: str):
    """The report as a file; the PDF of an approved quarter is the very file signed."""
    rencana = permissions.rencana_for_user(request.user, tahun)
    profile = permissions.profile_of(request.user)
    status = selectors.status_triwulan(rencana=rencana, triwulan=triwulan)
    dokumen = (
        selectors.dokumen_berlaku(rencana=rencana, jenis=JenisDokumen.LAPORAN, triwulan=triwulan)
        if status.status == StatusPersetujuan.DISETUJUI
        else None
    )
    if fmt == "pdf" and dokumen is not None and permissions.may_receive_signed_laporan(profile):
        return signed_download(request, dokumen)
    table = documents.laporan_table(
        rencana=rencana, triwulan=triwulan, profile=profile, status=status, dokumen=dokumen
    )
    return table_download(
        request,
        table,
        fmt,
        spec=lambda paper: render_service.spec_laporan(
            rencana_id=rencana.pk, triwulan=triwulan, user_id=request.user.pk, paper=paper
        ),
        back_url=reverse("laporan_capaian", kwargs={"tahun": tahun, "triwulan": triwulan}),
    )


# --- The Renja evaluation (Permendagri 86/2017) -----------------------------------------------


@login_required
def evaluasi_renja(request, tahun: int, triwulan: int):
    """The evaluation form of the plan up to a quarter; who may see it as for the report."""
    rencana = permissions.rencana_for_user(request.user, tahun)
    profile = permissions.profile_of(request.user)
    table = evaluasi.evaluasi_table(rencana=rencana, triwulan=triwulan, profile=profile)
    return render(
        request,
        "renaksi/evaluasi_renja.html",
        {
            "rencana": rencana,
            "table": table,
            "triwulan": triwulan,
            "quarters": Triwulan.values,
            "papers": PAPERS.values(),
            "halaman": "evaluasi",
        },
    )


@login_required
def evaluasi_renja_download(request, tahun: int, triwulan: int, fmt: str):
    rencana = permissions.rencana_for_user(request.user, tahun)
    profile = permissions.profile_of(request.user)
    table = evaluasi.evaluasi_table(rencana=rencana, triwulan=triwulan, profile=profile)
    return table_download(
        request,
        table,
        fmt,
        spec=lambda paper: render_service.spec_evaluasi(
            rencana_id=rencana.pk, triwulan=triwulan, user_id=request.user.pk, paper=paper
        ),
        back_url=reverse("evaluasi_renja", kwargs={"tahun": tahun, "triwulan": triwulan}),
    )

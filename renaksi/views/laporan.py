"""The Laporan Capaian Kinerja Triwulan: page, PDF and XLSX."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from renaksi import documents, permissions, selectors
from renaksi.exports.download import PAPERS
from renaksi.forms import KembalikanForm
from renaksi.models import RencanaAksi, Triwulan
from renaksi.views.rencana import table_download
from renaksi.views.status_banner import status_context


def laporan_render(
    request,
    rencana: RencanaAksi,
    triwulan: int,
    *,
    kembalikan_form: KembalikanForm | None = None,
):
    """The report page; with a bound ``kembalikan_form``, re-shown with its errors."""
    profile = permissions.profile_of(request.user)
    status = selectors.status_triwulan(rencana=rencana, triwulan=triwulan)
    table = documents.laporan_table(
        rencana=rencana, triwulan=triwulan, profile=profile, status=status
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
    rencana = permissions.rencana_for_user(request.user, tahun)
    profile = permissions.profile_of(request.user)
    table = documents.laporan_table(rencana=rencana, triwulan=triwulan, profile=profile)
    return table_download(request, table, fmt)

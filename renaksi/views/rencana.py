"""The signed Rencana Aksi table: page, PDF and XLSX."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _

from renaksi import documents, permissions, selectors
from renaksi.exports.download import PAPERS, attachment, export_rencana_aksi, export_table
from renaksi.layout import Table
from renaksi.models import Peran, Triwulan


def table_download(request, table: Table, fmt: str):
    """The PDF (``?kertas=a4|f4``) or XLSX of a printed table, as an attachment."""
    paper = request.GET.get("kertas", "a4")
    if paper not in PAPERS:
        return HttpResponseBadRequest(_("Ukuran kertas harus A4 atau F4."))
    return attachment(export_table(table, fmt=fmt, paper=paper))


@login_required
def rencana_aksi(request, tahun: int):
    rencana = permissions.rencana_for_user(request.user, tahun)
    profile = permissions.profile_of(request.user)
    table = documents.rencana_aksi_table(rencana=rencana)
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
        },
    )


@login_required
def rencana_aksi_download(request, tahun: int, fmt: str):
    rencana = permissions.rencana_for_user(request.user, tahun)
    paper = request.GET.get("kertas", "a4")
    if paper not in PAPERS:
        return HttpResponseBadRequest(_("Ukuran kertas harus A4 atau F4."))
    return attachment(export_rencana_aksi(rencana, fmt=fmt, paper=paper))

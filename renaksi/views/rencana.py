"""The home page and the signed Rencana Aksi table: page, PDF and XLSX."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from renaksi import documents, permissions, selectors
from renaksi.exports.download import PAPERS, attachment, export_rencana_aksi, export_table
from renaksi.layout import Table
from renaksi.models import Peran, Triwulan


@login_required
def home(request):
    if not hasattr(request.user, "profile") and request.user.is_superuser:
        # The platform operator belongs to no agency: its place is the admin.
        return redirect("admin:index")
    profile = permissions.profile_of(request.user)
    rencana = selectors.rencana_current(
        instansi_id=profile.instansi_id, today_year=timezone.localdate().year
    )
    if rencana is not None:
        return redirect("rencana_aksi", tahun=rencana.tahun)
    drafts = selectors.rencana_years(
        instansi_id=profile.instansi_id, with_drafts=permissions.may_see_drafts(profile)
    )
    return render(
        request,
        "renaksi/belum_ada_rencana.html",
        {"profile": profile, "drafts": [tahun for tahun, _published in drafts]},
    )


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
        },
    )


@login_required
def rencana_aksi_download(request, tahun: int, fmt: str):
    rencana = permissions.rencana_for_user(request.user, tahun)
    paper = request.GET.get("kertas", "a4")
    if paper not in PAPERS:
        return HttpResponseBadRequest(_("Ukuran kertas harus A4 atau F4."))
    return attachment(export_rencana_aksi(rencana, fmt=fmt, paper=paper))

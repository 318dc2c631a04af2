from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from renaksi import permissions, selectors
from renaksi.exports.download import PAPERS, attachment, export_table


@login_required
def home(request):
    profile = permissions.profile_of(request.user)
    rencana = selectors.rencana_list(instansi_id=profile.instansi_id).first()
    if rencana is not None:
        return redirect("rencana_aksi", tahun=rencana.tahun)
    return render(request, "renaksi/belum_ada_rencana.html", {"profile": profile})


@login_required
def rencana_aksi(request, tahun: int):
    rencana = permissions.rencana_for_user(request.user, tahun)
    table = selectors.rencana_aksi_table(rencana=rencana)
    years = selectors.rencana_list(instansi_id=rencana.instansi_id).values_list("tahun", flat=True)
    return render(
        request,
        "renaksi/rencana_aksi.html",
        {"rencana": rencana, "table": table, "years": list(years), "papers": PAPERS.values()},
    )


@login_required
def rencana_aksi_pdf(request, tahun: int):
    rencana = permissions.rencana_for_user(request.user, tahun)
    paper = request.GET.get("kertas", "a4")
    if paper not in PAPERS:
        return HttpResponseBadRequest(_("Ukuran kertas harus A4 atau F4."))
    table = selectors.rencana_aksi_table(rencana=rencana)
    return attachment(export_table(table, fmt="pdf", paper=paper))


@login_required
def rencana_aksi_xlsx(request, tahun: int):
    rencana = permissions.rencana_for_user(request.user, tahun)
    table = selectors.rencana_aksi_table(rencana=rencana)
    return attachment(export_table(table, fmt="xlsx"))

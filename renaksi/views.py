from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from renaksi import permissions, selectors


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
        {"rencana": rencana, "table": table, "years": list(years)},
    )

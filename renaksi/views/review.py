"""The kepala's review moves: the admin submits a quarter, the kepala approves or returns it.

POST only; each answers with a redirect and a message (PRG). Another agency's plan is a 404
(``permissions.rencana_for_user``), a role that may not act a 403 (the service's
PermissionDenied), a quarter in the wrong state a message on the page it came from.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renaksi import permissions, selectors, services
from renaksi.forms import KembalikanForm, SetujuiForm
from renaksi.models import LANGKAH, Langkah
from renaksi.presentation import refusal_message
from renaksi.views.laporan import laporan_render
from renaksi.views.rencana import base_url

RETURNABLE = LANGKAH[Langkah.KEMBALIKAN].dari


@login_required
@require_POST
def triwulan_ajukan(request, tahun: int, triwulan: int):
    rencana = permissions.rencana_for_user(request.user, tahun)
    try:
        services.triwulan_ajukan(user=request.user, rencana=rencana, triwulan=triwulan)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _(
                "TW %(n)d diajukan ke kepala. Selama diperiksa, realisasi dan bukti dukung "
                "TW %(n)d tidak dapat diubah."
            )
            % {"n": triwulan},
        )
    return redirect("realisasi_form", tahun=tahun, triwulan=triwulan)


@login_required
@require_POST
def triwulan_setujui(request, tahun: int, triwulan: int):
    rencana = permissions.rencana_for_user(request.user, tahun)
    # Only the kepala is shown the form; anyone else is refused before it is read.
    permissions.langkah_check(user=request.user, rencana=rencana, langkah=Langkah.SETUJUI)
    form = SetujuiForm(
        request.POST, default=selectors.penandatangan_default(user=request.user, rencana=rencana)
    )
    if not form.is_valid():
        return laporan_render(request, rencana, triwulan, setujui_form=form)
    try:
        services.triwulan_setujui(
            user=request.user,
            rencana=rencana,
            triwulan=triwulan,
            penandatangan=form.penandatangan,
            base_url=base_url(request),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("TW %(n)d disetujui.") % {"n": triwulan})
    return redirect("laporan_capaian", tahun=tahun, triwulan=triwulan)


@login_required
@require_POST
def triwulan_kembalikan(request, tahun: int, triwulan: int):
    rencana = permissions.rencana_for_user(request.user, tahun)
    # Only the kepala is shown the form; anyone else is refused before their note is read.
    permissions.langkah_check(user=request.user, rencana=rencana, langkah=Langkah.KEMBALIKAN)
    status = selectors.status_triwulan(rencana=rencana, triwulan=triwulan)
    if status.status not in RETURNABLE:
        # A stale tab: no form to re-show on the page, so say why straight away.
        messages.error(request, refusal_message(Langkah.KEMBALIKAN, triwulan, status.status))
        return redirect("laporan_capaian", tahun=tahun, triwulan=triwulan)
    form = KembalikanForm(request.POST)
    if form.is_valid():
        try:
            services.triwulan_kembalikan(
                user=request.user,
                rencana=rencana,
                triwulan=triwulan,
                catatan=form.cleaned_data["catatan"],
                status_dilihat=form.cleaned_data["status_dilihat"],
            )
        except ValidationError as error:
            now = selectors.status_triwulan(rencana=rencana, triwulan=triwulan).status
            if now not in RETURNABLE:
                # Returned in another tab meanwhile: there is no form left to show.
                messages.error(request, " ".join(error.messages))
                return redirect("laporan_capaian", tahun=tahun, triwulan=triwulan)
            # Approved in another tab meanwhile: re-show the page as it is now, with the
            # kepala's note kept, so a deliberate second click decides.
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("TW %(n)d dikembalikan ke admin dengan catatan Anda.") % {"n": triwulan},
            )
            return redirect("laporan_capaian", tahun=tahun, triwulan=triwulan)
    return laporan_render(request, rencana, triwulan, kembalikan_form=form)

"""Quarterly realisation by spreadsheet: download the form, upload it, check the preview, save.

The upload is two POSTs to the same page: the file (answered with a preview, nothing saved) and
the confirmation, which carries the preview's inputs in a signed payload and saves them through
``services.realisasi_save_many`` in one transaction.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from renaksi import formulir, permissions, selectors, services, uploads
from renaksi.exports.download import CONTENT_TYPES, ExportFile, attachment
from renaksi.forms import FormulirUnggahForm
from renaksi.formulir import (
    FormulirInvalid,
    conflict_changes,
    formulir_read,
    inputs_sign,
    inputs_unsign,
)
from renaksi.models import Sumber
from renaksi.presentation import terkunci_message


@never_cache
@login_required
def formulir_unduh(request, tahun: int, triwulan: int):
    rencana, profile = permissions.rencana_for_entry(request.user, tahun)
    rows = selectors.entry_rows(rencana=rencana, profile=profile, with_bukti=False)
    content = formulir.render_formulir(
        rencana=rencana, triwulan=triwulan, profile=profile, rows=rows, now=timezone.now()
    )
    filename = formulir.formulir_filename(rencana=rencana, triwulan=triwulan)
    return attachment(ExportFile(content, CONTENT_TYPES["xlsx"], filename))


@never_cache
@login_required
def formulir_unggah(request, tahun: int, triwulan: int):
    rencana, profile = permissions.rencana_for_entry(request.user, tahun)
    context = {"rencana": rencana, "triwulan": triwulan, "errors": []}
    status = selectors.status_triwulan(rencana=rencana, triwulan=triwulan)
    if status.terkunci:
        # Under the kepala's review or approved: nothing to upload, nor to preview or confirm.
        context["terkunci"] = terkunci_message(status)
        return render(
            request,
            "renaksi/formulir_unggah.html",
            context,
            status=409 if request.method == "POST" else 200,
        )
    if request.method == "POST" and "payload" in request.POST:
        return _simpan(request, rencana, profile, triwulan, context)
    if request.method != "POST":
        context["form"] = FormulirUnggahForm()
        return render(request, "renaksi/formulir_unggah.html", context)
    form = FormulirUnggahForm(request.POST, request.FILES)
    if uploads.refused(request):
        context.update(form=form, errors=[item.message for item in uploads.refused(request)])
        return render(request, "renaksi/formulir_unggah.html", context)
    if not form.is_valid():
        context.update(form=form, errors=[e for errors in form.errors.values() for e in errors])
        return render(request, "renaksi/formulir_unggah.html", context)
    berkas = form.cleaned_data["berkas"]
    try:
        pratinjau = formulir_read(
            berkas.read(), rencana=rencana, triwulan=triwulan, profile=profile
        )
    except FormulirInvalid as exc:
        context.update(form=form, errors=exc.messages)
        return render(request, "renaksi/formulir_unggah.html", context)
    payload = ""
    if pratinjau.changes and not pratinjau.conflicts:
        payload = inputs_sign(
            pratinjau.inputs, rencana=rencana, triwulan=triwulan, user=request.user
        )
    context.update(
        pratinjau=pratinjau,
        changes=pratinjau.changes,
        conflicts=pratinjau.conflicts,
        payload=payload,
        nama_berkas=berkas.name,
    )
    return render(request, "renaksi/formulir_pratinjau.html", context)


def _simpan(request, rencana, profile, triwulan, context):
    try:
        inputs = inputs_unsign(
            request.POST["payload"], rencana=rencana, triwulan=triwulan, user=request.user
        )
    except FormulirInvalid as exc:
        context.update(form=FormulirUnggahForm(), errors=exc.messages)
        return render(request, "renaksi/formulir_unggah.html", context, status=400)
    try:
        changed = services.realisasi_save_many(
            user=request.user,
            rencana=rencana,
            triwulan=triwulan,
            inputs=inputs,
            sumber=Sumber.FORMULIR,
        )
    except services.RealisasiConflict as exc:
        conflicts = conflict_changes(exc, inputs=inputs, rencana=rencana, profile=profile)
        context.update(changes=conflicts, conflicts=conflicts, payload="", after_confirm=True)
        return render(request, "renaksi/formulir_pratinjau.html", context, status=409)
    except services.TriwulanTerkunci as exc:
        # Submitted to the kepala between the check above and the save's own.
        context["terkunci"] = " ".join(exc.messages)
        return render(request, "renaksi/formulir_unggah.html", context, status=409)
    except ValidationError as exc:
        # Only when the plan changed between preview and confirmation (a target made percent).
        context.update(form=FormulirUnggahForm(), errors=exc.messages)
        return render(request, "renaksi/formulir_unggah.html", context, status=400)
    messages.success(
        request,
        _("%(n)d baris realisasi TW %(tw)d disimpan dari formulir.")
        % {"n": len(changed), "tw": triwulan},
    )
    return redirect("formulir_unggah", tahun=rencana.tahun, triwulan=triwulan)

"""Evidence files: the access-checked download, and removal by someone who may change the row."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from renaksi import permissions, services


@login_required
@require_GET
def bukti_download(request, pk: int):
    bukti = permissions.bukti_for_user(user=request.user, pk=pk)
    try:
        handle = bukti.berkas.open("rb")
    except FileNotFoundError:
        raise Http404(_("Berkas bukti tidak ditemukan.")) from None
    response = FileResponse(
        handle, as_attachment=True, filename=bukti.nama_asli, content_type=bukti.jenis
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Even if a browser ignored the attachment header, the file could run no script.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def bukti_hapus(request, pk: int):
    try:
        removed = services.bukti_remove(user=request.user, pk=pk)
    except services.TriwulanTerkunci as locked:
        messages.error(request, " ".join(locked.messages))
        status = locked.status
        return redirect("realisasi_form", tahun=status.rencana.tahun, triwulan=status.triwulan)
    messages.success(request, _("Berkas «%(nama)s» dihapus.") % {"nama": removed.nama_asli})
    return redirect("realisasi_form", tahun=removed.tahun, triwulan=removed.triwulan)

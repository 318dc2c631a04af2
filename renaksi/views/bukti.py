"""Evidence files: the access-checked download, and removal by someone who may change the row."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from renaksi import permissions, services

ENTRY_QUERY = ("bidang", "kegiatan", "halaman")  # the entry page's filter and page


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
        return _back_to_entry(request, tahun=status.rencana.tahun, triwulan=status.triwulan)
    messages.success(request, _("Berkas «%(nama)s» dihapus.") % {"nama": removed.nama_asli})
    return _back_to_entry(request, tahun=removed.tahun, triwulan=removed.triwulan)


def _back_to_entry(request, *, tahun: int, triwulan: int):
    """To the entry page with the filter and page it was sent from (numbers only, as they
    came: the entry page itself refuses what it cannot use)."""
    target = reverse("realisasi_form", kwargs={"tahun": tahun, "triwulan": triwulan})
    kept = {
        name: value
        for name in ENTRY_QUERY
        if (value := request.GET.get(name, "")).isascii() and value.isdigit() and len(value) < 12
    }
    return redirect(f"{target}?{urlencode(kept)}" if kept else target)

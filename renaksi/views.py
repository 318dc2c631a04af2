"""Views of the plan and of the quarterly report: permission helper → selector → render."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from renaksi import laporan, permissions, selectors, services
from renaksi.exports.download import PAPERS, attachment, export_table
from renaksi.forms import KembalikanForm
from renaksi.layout import Table
from renaksi.models import QUARTERS, Peran, RencanaAksi, StatusPersetujuan, StatusTriwulan


@login_required
def home(request):
    if not hasattr(request.user, "profile") and request.user.is_superuser:
        # The platform operator belongs to no agency: its place is the admin.
        return redirect("admin:index")
    profile = permissions.profile_of(request.user)
    rencana = selectors.rencana_list(instansi_id=profile.instansi_id).first()
    if rencana is not None:
        return redirect("rencana_aksi", tahun=rencana.tahun)
    return render(request, "renaksi/belum_ada_rencana.html", {"profile": profile})


def _download(request, table: Table, fmt: str):
    """The PDF (``?kertas=a4|f4``) or XLSX of a table, as an attachment."""
    paper = request.GET.get("kertas", "a4")
    if paper not in PAPERS:
        return HttpResponseBadRequest(_("Ukuran kertas harus A4 atau F4."))
    return attachment(export_table(table, fmt=fmt, paper=paper))


def _check_triwulan(triwulan: int) -> None:
    if triwulan not in QUARTERS:
        raise Http404(_("Triwulan harus 1 sampai 4."))


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
def rencana_aksi_download(request, tahun: int, fmt: str):
    rencana = permissions.rencana_for_user(request.user, tahun)
    return _download(request, selectors.rencana_aksi_table(rencana=rencana), fmt)


def status_context(status: StatusTriwulan, *, peran: str) -> dict:
    """What the status banner (``_status_triwulan.html``) shows and offers to this role."""
    return {
        "status": status,
        "status_oleh": services.nama_pengguna(status.diubah_oleh) if status.pk else "",
        "can_ajukan": peran == Peran.ADMIN
        and status.status in (StatusPersetujuan.DIISI, StatusPersetujuan.DIKEMBALIKAN),
        "can_review": peran == Peran.KEPALA and status.status == StatusPersetujuan.DIAJUKAN,
        "can_reopen": peran == Peran.KEPALA and status.status == StatusPersetujuan.DISETUJUI,
    }


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
    table = laporan.laporan_table(
        rencana=rencana, triwulan=triwulan, profile=profile, status=status
    )
    return render(
        request,
        "renaksi/laporan.html",
        {
            "rencana": rencana,
            "table": table,
            "triwulan": triwulan,
            "quarters": QUARTERS,
            "papers": PAPERS.values(),
            "kembalikan_form": kembalikan_form or KembalikanForm(),
            "halaman": "laporan",
            **status_context(status, peran=profile.peran),
        },
    )


@login_required
def laporan_capaian(request, tahun: int, triwulan: int):
    _check_triwulan(triwulan)
    rencana = permissions.rencana_for_user(request.user, tahun)
    return laporan_render(request, rencana, triwulan)


@login_required
def laporan_capaian_download(request, tahun: int, triwulan: int, fmt: str):
    _check_triwulan(triwulan)
    rencana = permissions.rencana_for_user(request.user, tahun)
    profile = permissions.profile_of(request.user)
    table = laporan.laporan_table(rencana=rencana, triwulan=triwulan, profile=profile)
    return _download(request, table, fmt)

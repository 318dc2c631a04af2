"""A plan without a developer: import it from a spreadsheet, copy it, publish it, its history.

The import is two POSTs to one page, as the realisation form's: the file (answered with a
preview: counts, warnings, the printed table exactly as it will be; nothing written) and the
confirmation, which carries the previewed plan in a signed payload bound to the user, agency
and year, and writes it through ``services.rencana.rencana_import`` in one transaction.
"""

import django_tables2 as tables
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from renaksi import permissions, selectors, uploads
from renaksi.exports.download import CONTENT_TYPES, ExportFile, attachment
from renaksi.forms import RencanaImporForm, RencanaSalinForm
from renaksi.models import Bidang
from renaksi.presentation import moment_display, user_display
from renaksi.rencana_import import pilihan
from renaksi.rencana_import.payload import payload_sign, payload_unsign
from renaksi.rencana_import.preview import pratinjau
from renaksi.rencana_import.read import rencana_read
from renaksi.rencana_import.template import render_template
from renaksi.services import rencana as rencana_services
from renaksi.spreadsheets import FileRefused


def _admin_profile(request):
    profile = permissions.profile_of(request.user)
    permissions.rencana_check_admin(request.user, profile.instansi_id)
    return profile


def _bidang_names(instansi_id: int) -> list[str]:
    return list(
        Bidang.objects.filter(instansi_id=instansi_id)
        .order_by("urutan")
        .values_list("nama", flat=True)
    )


@never_cache
@login_required
def rencana_templat(request):
    profile = _admin_profile(request)
    tahun = timezone.localdate().year + 1
    content = render_template(
        instansi=profile.instansi, tahun=tahun, bidang=_bidang_names(profile.instansi_id)
    )
    name = f"templat-rencana-aksi-{profile.instansi.kode}.xlsx"
    return attachment(ExportFile(content, CONTENT_TYPES["xlsx"], name))


@never_cache
@login_required
def rencana_impor(request):
    profile = _admin_profile(request)
    instansi = profile.instansi
    context = {"errors": [], "instansi": instansi}
    if request.method == "POST" and "payload" in request.POST:
        aksi = request.POST.get("aksi", "")
        if aksi in ("pratinjau", "semua"):
            return _pratinjau_ulang(request, profile, context, semua=aksi == "semua")
        return _simpan(request, profile, context)
    if request.method != "POST":
        context["form"] = RencanaImporForm(initial={"tahun": timezone.localdate().year + 1})
        return render(request, "renaksi/rencana_impor.html", context)
    form = RencanaImporForm(request.POST, request.FILES)
    context["form"] = form
    if uploads.refused(request):
        context["errors"] = [item.message for item in uploads.refused(request)]
        return render(request, "renaksi/rencana_impor.html", context)
    if not form.is_valid():
        context["errors"] = [e for errors in form.errors.values() for e in errors]
        return render(request, "renaksi/rencana_impor.html", context)
    berkas, tahun = form.cleaned_data["berkas"], form.cleaned_data["tahun"]
    bidang = _bidang_names(instansi.pk)
    try:
        hasil = rencana_read(berkas.read(), bidang=bidang)
    except (FileRefused, ValidationError) as exc:
        context["errors"] = exc.messages
        return render(request, "renaksi/rencana_impor.html", context)
    meta = {
        "tahun": tahun,
        "replace": form.cleaned_data["ganti_target"],
        "berkas": berkas.name,
        "printed": hasil.printed,
    }
    return _preview(
        request, profile, context, hasil.data, meta, bidang=bidang, warnings=hasil.warnings
    )


def _preview(request, profile, context, data, meta, *, bidang, warnings, errors=(), status=200):
    """The preview page of ``data``: counts, choices, warnings, the table as it will print."""
    try:
        preview = pratinjau(
            instansi=profile.instansi,
            tahun=meta["tahun"],
            data=data,
            user=request.user,
            nama_berkas=meta["berkas"],
            replace_targets=meta["replace"],
        )
    except ValidationError as exc:
        context.update(form=RencanaImporForm(initial={"tahun": meta["tahun"]}))
        context["errors"] = [*errors, *exc.messages]
        return render(request, "renaksi/rencana_impor.html", context, status=400)
    payload = payload_sign(
        data,
        user=request.user,
        instansi_id=profile.instansi_id,
        tahun=meta["tahun"],
        replace_targets=meta["replace"],
        nama_berkas=meta["berkas"],
        printed=meta["printed"],
        warnings=len(warnings),
    )
    context.update(
        tahun=meta["tahun"],
        printed=meta["printed"],
        warnings=warnings,
        errors=list(errors),
        preview=preview,
        table=preview.table,
        payload=payload,
        nama_berkas=meta["berkas"],
    )
    if meta["printed"]:
        context.update(
            baris=pilihan.baris_list(data, bidang),
            semua=pilihan.semua_selects(bidang),
            pilihan_labels=[pilihan.LABELS[field] for field in pilihan.FIELDS],
        )
    return render(request, "renaksi/rencana_impor_pratinjau.html", context, status=status)


def _unsigned(request, profile, context):
    """The signed preview posted back, or the upload page saying why it is refused."""
    try:
        return payload_unsign(
            request.POST["payload"], user=request.user, instansi_id=profile.instansi_id
        ), None
    except FileRefused as exc:
        context.update(form=RencanaImporForm(), errors=exc.messages)
        return None, render(request, "renaksi/rencana_impor.html", context, status=400)


def _pratinjau_ulang(request, profile, context, *, semua: bool):
    """The preview again, with the choices of the printed-layout rows applied (or refused)."""
    payload, refused = _unsigned(request, profile, context)
    if refused is not None:
        return refused
    data = payload["data"]
    bidang = _bidang_names(profile.instansi_id)
    if not payload["printed"]:  # nothing to choose: the same preview again
        warnings = pilihan.warnings_of(data)
        return _preview(request, profile, context, data, payload, bidang=bidang, warnings=warnings)
    chosen, errors = pilihan.pilihan_apply(data, request.POST, bidang, semua=semua)
    return _preview(
        request,
        profile,
        context,
        chosen,
        payload,
        bidang=bidang,
        warnings=pilihan.warnings_of(chosen),
        errors=errors,
        status=400 if errors else 200,
    )


def _simpan(request, profile, context):
    payload, refused = _unsigned(request, profile, context)
    if refused is not None:
        return refused
    data = payload["data"]
    warnings = payload.get("warnings")
    if payload["printed"]:
        bidang = _bidang_names(profile.instansi_id)
        data, errors = pilihan.pilihan_apply(data, request.POST, bidang)
        if errors:
            return _preview(
                request,
                profile,
                context,
                payload["data"],
                payload,
                bidang=bidang,
                warnings=pilihan.warnings_of(payload["data"]),
                errors=errors,
                status=400,
            )
        warnings = pilihan.warnings_of(data)
    if warnings and not request.POST.get("terima"):
        context.update(form=RencanaImporForm(initial={"tahun": payload["tahun"]}))
        context["errors"] = [
            _("Pratinjau memberi peringatan; centang bahwa Anda menerimanya, atau perbaiki berkas.")
        ]
        return render(request, "renaksi/rencana_impor.html", context, status=400)
    try:
        rencana = rencana_services.rencana_import(
            instansi=profile.instansi,
            tahun=payload["tahun"],
            data=data,
            user=request.user,
            nama_berkas=payload["berkas"],
            replace_targets=payload["replace"],
        )
    except ValidationError as exc:
        context.update(form=RencanaImporForm(initial={"tahun": payload["tahun"]}))
        context["errors"] = exc.messages
        return render(request, "renaksi/rencana_impor.html", context, status=409)
    messages.success(
        request,
        _("Rencana aksi %(tahun)s diimpor dari %(file)s (%(n)d baris). Periksa, lalu terbitkan.")
        % {"tahun": rencana.tahun, "file": payload["berkas"], "n": data.rows},
    )
    return redirect("rencana_aksi", tahun=rencana.tahun)


@require_POST
@login_required
def rencana_terbitkan(request, tahun: int):
    rencana = permissions.rencana_for_user(request.user, tahun)
    permissions.rencana_check_admin(request.user, rencana.instansi_id)
    try:
        rencana_services.rencana_publish(rencana=rencana, user=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("rencana_aksi", tahun=tahun)
    messages.success(request, _("Rencana aksi %(tahun)s diterbitkan.") % {"tahun": tahun})
    return redirect("rencana_aksi", tahun=tahun)


@require_POST
@login_required
def rencana_salin(request, tahun: int):
    rencana = permissions.rencana_for_user(request.user, tahun)
    permissions.rencana_check_admin(request.user, rencana.instansi_id)
    form = RencanaSalinForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("rencana_aksi", tahun=tahun)
    ke = form.cleaned_data["ke"]
    try:
        copy = rencana_services.rencana_copy(
            instansi=rencana.instansi,
            dari=tahun,
            ke=ke,
            tanpa_target=form.cleaned_data["tanpa_target"],
            user=request.user,
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("rencana_aksi", tahun=tahun)
    messages.success(
        request,
        _(
            "Rencana aksi %(dari)s disalin ke %(ke)s sebagai draf, ditandatangani «%(ttd)s». "
            "Periksa tanggal penandatanganan, lalu terbitkan."
        )
        % {"dari": tahun, "ke": ke, "ttd": copy.tempat_tanggal_ttd},
    )
    return redirect("rencana_aksi", tahun=ke)


class RiwayatTable(tables.Table):
    """The plan's history: one row per recorded change, newest first."""

    pada = tables.Column(verbose_name=gettext_lazy("Waktu"), orderable=False)
    oleh = tables.Column(verbose_name=gettext_lazy("Oleh"), orderable=False)
    objek = tables.Column(verbose_name=gettext_lazy("Baris"), orderable=False)
    jenis = tables.Column(verbose_name=gettext_lazy("Jenis"), orderable=False)
    perubahan = tables.TemplateColumn(
        template_name="renaksi/_riwayat_perubahan.html",
        verbose_name=gettext_lazy("Perubahan (lama → baru)"),
        orderable=False,
    )
    alasan = tables.Column(verbose_name=gettext_lazy("Keterangan"), orderable=False)

    class Meta:
        attrs = {"class": "daftar riwayat"}
        template_name = "django_tables2/table.html"

    def render_pada(self, value):
        return moment_display(value)

    def render_oleh(self, value):
        return user_display(value) if value is not None else _("perintah manage.py")

    def render_jenis(self, value):
        return {"+": _("dibuat"), "~": _("diubah"), "-": _("dihapus")}.get(value, value)


@login_required
def rencana_riwayat(request, tahun: int):
    rencana = permissions.rencana_for_user(request.user, tahun)
    if not permissions.may_see_history(permissions.profile_of(request.user)):
        raise PermissionDenied(_("Riwayat rencana aksi hanya untuk admin, kepala dan pemeriksa."))
    table = RiwayatTable(selectors.rencana_history(rencana=rencana))
    tables.RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, "renaksi/rencana_riwayat.html", {"rencana": rencana, "table": table})

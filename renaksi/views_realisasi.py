"""The quarterly realisation page (one Simpan for the whole quarter); evidence download, removal."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from renaksi import evidence, permissions, selectors, services
from renaksi.capaian import sum_to_date
from renaksi.forms import RealisasiPageForms, RealisasiRowForm
from renaksi.models import QUARTERS, Realisasi
from renaksi.numbers import format_number
from renaksi.selectors import EntryRow
from renaksi.views import status_context


def _shown(value: Decimal | None, percent: bool, empty: str = "-") -> str:
    if value is None:
        return empty
    return format_number(value) + ("%" if percent else "")


def conflict_message(stored: Realisasi, percent: bool) -> str:
    if not stored.versi:
        return _(
            "Baris ini sudah berubah sejak halaman dimuat: kini tidak ada realisasi tersimpan. "
            "Tekan Simpan lagi untuk menyimpan isian Anda."
        )
    return _(
        "Sudah diubah oleh %(nama)s pada %(waktu)s: nilai tersimpan %(nilai)s. "
        "Isian Anda belum disimpan; tekan Simpan lagi untuk menimpanya."
    ) % {
        "nama": services.nama_pengguna(stored.diubah_oleh),
        "waktu": services.moment_display(stored.diubah_pada),
        "nilai": _shown(stored.nilai, percent, empty=_("belum diisi")),
    }


@dataclass
class EntryLine:
    """One row of the page as shown: the selector's row, its form and the figures beside it."""

    row: EntryRow
    form: RealisasiRowForm | None  # None: the user may only read this row
    target: str
    target_to_date: str
    earlier: list[tuple[int, str]]
    current: Realisasi | None
    value: str  # the stored value, for read-only rows
    saran: str | None  # sasaran rows: the roll-up of their sub kegiatan
    conflict: str | None = None
    stored_texts: list[tuple[str, str]] = field(default_factory=list)  # conflicting texts
    files_to_reselect: list[str] = field(default_factory=list)
    fields: dict = field(default_factory=dict)  # the form's inputs, see RealisasiRowForm

    @property
    def text_fields(self) -> list:
        return [(name, self.fields[name]) for name in ("ket", "kendala", "tindak_lanjut")]


def entry_lines(
    rows: list[EntryRow], triwulan: int, page: RealisasiPageForms, *, failed: bool
) -> list[EntryLine]:
    lines = []
    for row in rows:
        indikator = row.indikator
        percent = indikator.target_persen
        values = row.values()
        form = page.get(row.key)
        line = EntryLine(
            row=row,
            form=form,
            target=_shown(indikator.target(triwulan), percent),
            target_to_date=_shown(sum_to_date(indikator.targets(), triwulan), percent),
            earlier=[
                (q, _shown(values[q - 1], percent, empty=_("belum diisi")))
                for q in range(1, triwulan)
            ],
            current=row.current(triwulan),
            value=_shown(values[triwulan - 1], percent, empty=_("belum diisi")),
            saran=(
                _shown(rollup, percent)
                if row.is_sasaran and (rollup := row.rollup(triwulan)) is not None
                else None
            ),
        )
        conflict = page.conflicts.get(row.key)
        if conflict is not None:
            line.conflict = conflict_message(conflict.stored, percent)
            line.stored_texts = [
                (form.fields[name].label, getattr(conflict.stored, name))
                for name in ("ket", "kendala", "tindak_lanjut")
                if getattr(conflict.stored, name)
                and getattr(conflict.stored, name)
                != services.teks_normalize(form.data.get(f"{row.key}-{name}", ""))
            ]
        if failed and form is not None and form.is_bound and form.files:
            # A browser never refills a file input: say which files must be chosen again.
            line.files_to_reselect = [f.name for f in form.files.getlist(f"{row.key}-bukti")]
        if form is not None:
            line.fields = form.page_fields()
        lines.append(line)
    return lines


def _save(user, rencana, triwulan: int, inputs, uploads):
    """Values and files in one transaction: a conflict on any row stores nothing.

    Files are written to storage before the commit; if the transaction fails, even at the
    commit itself, they are removed again so no orphan file stays behind.
    """
    stored = []
    try:
        with transaction.atomic():
            changed = services.realisasi_save_many(
                user=user, rencana=rencana, triwulan=triwulan, inputs=inputs
            )
            stored = evidence.bukti_add(
                user=user, rencana=rencana, triwulan=triwulan, uploads=uploads
            )
    except BaseException:
        evidence.bukti_discard(stored)
        raise
    return changed, stored


@login_required
@require_http_methods(["GET", "POST"])
def realisasi_form(request, tahun: int, n: int):
    if n not in QUARTERS:
        raise Http404(_("Triwulan harus 1 sampai 4."))
    rencana = permissions.rencana_for_user(request.user, tahun)
    profile = permissions.profile_of(request.user)
    status = selectors.status_triwulan(rencana=rencana, triwulan=n)
    rows = selectors.entry_rows(rencana=rencana, profile=profile)
    # A quarter under review or approved is read-only for everyone: no forms at all.
    page = RealisasiPageForms(rows=[] if status.terkunci else rows, triwulan=n)
    problem = ""
    if request.method == "POST" and status.terkunci and any(row.can_edit for row in rows):
        # Loaded before the quarter was submitted: say why nothing was saved.
        problem = _("Belum tersimpan: %(pesan)s") % {"pesan": services.terkunci_message(status)}
    elif request.method == "POST":
        if not page.forms:
            raise PermissionDenied(_("Anda hanya dapat melihat realisasi, tidak mengubahnya."))
        foreign = page.posted_keys(request.POST, request.FILES) - page.forms.keys()
        if foreign:
            raise PermissionDenied(
                _("Anda tidak berhak mengisi baris %(key)s.") % {"key": sorted(foreign)[0]}
            )
        page = RealisasiPageForms(rows=rows, triwulan=n, data=request.POST, files=request.FILES)
        if page.is_valid():
            inputs, uploads = page.inputs(), page.uploads()
            try:
                changed, stored = _save(request.user, rencana, n, inputs, uploads)
            except services.TriwulanTerkunci as locked:
                # Submitted between loading the status above and the save's own check.
                status = locked.status
                page = RealisasiPageForms(rows=[], triwulan=n)
                problem = _("Belum tersimpan: %(pesan)s") % {"pesan": " ".join(locked.messages)}
            except services.RealisasiConflict as conflict:
                page.conflicts_apply(conflict.conflicts)
                problem = _(
                    "Belum tersimpan: %(count)d baris sudah diubah orang lain sejak halaman "
                    "ini dimuat. Periksa baris bertanda, lalu tekan Simpan lagi."
                ) % {"count": len(conflict.conflicts)}
            except ValidationError as error:
                # The forms apply the service's rules already; this is a last line of defence.
                problem = _("Belum tersimpan: %(pesan)s") % {"pesan": " ".join(error.messages)}
            else:
                if changed or stored:
                    messages.success(
                        request,
                        _("Realisasi TW %(n)d tersimpan: %(baris)d baris, %(berkas)d berkas bukti.")
                        % {"n": n, "baris": len(changed), "berkas": len(stored)},
                    )
                else:
                    messages.info(request, _("Tidak ada perubahan untuk disimpan."))
                return redirect("realisasi_form", tahun=tahun, n=n)
        else:
            problem = _("Belum tersimpan: periksa %(count)d baris bertanda merah.") % {
                "count": len(page.invalid())
            }
    lines = entry_lines(rows, n, page, failed=bool(problem))
    return render(
        request,
        "renaksi/realisasi_form.html",
        {
            "rencana": rencana,
            "triwulan": n,
            "quarters": QUARTERS,
            "lines": lines,
            "page": page,
            "editable": bool(page.forms),
            "problem": problem,
            "problem_lines": [line for line in lines if line.conflict or _has_errors(line)],
            "max_mb": evidence.MAX_BUKTI_BYTES // (1024 * 1024),
            "accepted": evidence.accepted_labels(),
            "accept": evidence.ACCEPT,
            "halaman": "realisasi",
            **status_context(status, peran=profile.peran),
        },
    )


def _has_errors(line: EntryLine) -> bool:
    return line.form is not None and line.form.is_bound and bool(line.form.errors)


@login_required
@require_GET
def bukti_download(request, pk: int):
    bukti = evidence.bukti_for_user(user=request.user, pk=pk)
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
        removed = evidence.bukti_remove(user=request.user, pk=pk)
    except services.TriwulanTerkunci as locked:
        messages.error(request, " ".join(locked.messages))
        status = locked.status
        return redirect("realisasi_form", tahun=status.rencana.tahun, n=status.triwulan)
    messages.success(request, _("Berkas «%(nama)s» dihapus.") % {"nama": removed.nama_asli})
    return redirect("realisasi_form", tahun=removed.tahun, n=removed.triwulan)

"""The quarter's entry page: one Simpan saves the values, notes and evidence of every row."""

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from renaksi import evidence, permissions, selectors, services, uploads
from renaksi.capaian import target_to_date
from renaksi.forms import RealisasiPageForms, RealisasiRowForm
from renaksi.keuangan import format_rupiah
from renaksi.models import CATATAN, Realisasi, Triwulan
from renaksi.presentation import conflict_message, terkunci_message, value_display
from renaksi.selectors import EntryRow
from renaksi.views.status_banner import status_context


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
    keuangan: str = ""  # the stored rupiah of the quarter, for read-only sub kegiatan rows
    pagu: str | None = None  # the row's pagu and the quarter's anggaran kas, when set
    kas: str | None = None
    conflict: str | None = None
    stored_texts: list[tuple[str, str]] = field(default_factory=list)  # conflicting texts
    files_to_reselect: list[str] = field(default_factory=list)
    errors_of_files: list[str] = field(default_factory=list)  # files dropped on the way in
    fields: dict = field(default_factory=dict)  # the form's inputs, see RealisasiRowForm

    @property
    def text_fields(self) -> list:
        return [(name, label, self.fields[name]) for name, label in CATATAN.items()]

    @property
    def stored_notes(self) -> list[tuple[str, str, str]]:
        """(name, label, text) of each note as stored, for a row the user may only read."""
        current = self.current
        return [
            (name, label, getattr(current, name) if current is not None else "")
            for name, label in CATATAN.items()
        ]

    @property
    def has_errors(self) -> bool:
        form_errors = self.form is not None and self.form.is_bound and bool(self.form.errors)
        return form_errors or bool(self.errors_of_files)


def entry_lines(
    rows: list[EntryRow],
    triwulan: int,
    page: RealisasiPageForms,
    *,
    failed: bool,
    refused: list[uploads.RefusedUpload] = (),
) -> list[EntryLine]:
    lines = []
    for row in rows:
        indikator = row.indikator
        percent = indikator.target_persen
        values = row.values()
        form = page.get(row.key)
        not_yet = _("belum diisi")
        line = EntryLine(
            row=row,
            form=form,
            target=value_display(indikator.target(triwulan), percent),
            target_to_date=value_display(
                target_to_date(indikator.targets(), triwulan, indikator.metode_capaian), percent
            ),
            earlier=[
                (q, value_display(values[q - 1], percent, empty=not_yet))
                for q in range(1, triwulan)
            ],
            current=row.current(triwulan),
            value=value_display(values[triwulan - 1], percent, empty=not_yet),
            saran=(
                value_display(rollup, percent)
                if row.is_sasaran and (rollup := row.rollup(triwulan)) is not None
                else None
            ),
        )
        if not row.is_sasaran:
            current = line.current
            line.keuangan = format_rupiah(current.keuangan if current is not None else None)
            if indikator.pagu is not None:
                line.pagu = format_rupiah(indikator.pagu)
            if indikator.kas(triwulan) is not None:
                line.kas = format_rupiah(indikator.kas(triwulan))
        conflict = page.conflicts.get(row.key)
        if conflict is not None:
            line.conflict = conflict_message(conflict.stored, percent)
            line.stored_texts = [
                (label, getattr(conflict.stored, name))
                for name, label in CATATAN.items()
                if getattr(conflict.stored, name)
                and getattr(conflict.stored, name)
                != services.teks_normalize(form.data.get(f"{row.key}-{name}", ""))
            ]
        if failed and form is not None and form.is_bound:
            # A browser never refills a file input: say which files must be chosen again,
            # those received and those dropped on the way in alike.
            field_name = f"{row.key}-bukti"
            received = form.files.getlist(field_name) if form.files else []
            line.files_to_reselect = [f.name for f in received]
            line.files_to_reselect += [item.name for item in refused if item.field == field_name]
            line.errors_of_files = [item.message for item in refused if item.field == field_name]
        if form is not None:
            line.fields = form.page_fields()
        lines.append(line)
    return lines


def not_saved(reason: str) -> str:
    return _("Belum tersimpan: %(pesan)s") % {"pesan": reason}


def _check_posted_rows(request, page: RealisasiPageForms) -> None:
    """PermissionDenied when the POST names a row this user may not fill (or any, read-only)."""
    if not page.forms:
        raise PermissionDenied(_("Anda hanya dapat melihat realisasi, tidak mengubahnya."))
    foreign = page.posted_keys(request.POST, request.FILES) - page.forms.keys()
    if foreign:
        raise PermissionDenied(
            _("Anda tidak berhak mengisi baris %(key)s.") % {"key": sorted(foreign)[0]}
        )


@login_required
@require_http_methods(["GET", "POST"])
def realisasi_form(request, tahun: int, triwulan: int):
    rencana = permissions.rencana_for_user(request.user, tahun)
    profile = permissions.profile_of(request.user)
    status = selectors.status_triwulan(rencana=rencana, triwulan=triwulan)
    rows = selectors.entry_rows(rencana=rencana, profile=profile)
    # A quarter under review or approved is read-only for everyone: no forms at all; so is a
    # draft plan, which takes no realisations until it is published.
    read_only = status.terkunci or not rencana.diterbitkan
    page = RealisasiPageForms(rows=[] if read_only else rows, triwulan=triwulan)
    problem = ""
    if request.method == "POST" and status.terkunci and any(row.can_edit for row in rows):
        # Loaded before the quarter was submitted: say why nothing was saved.
        problem = not_saved(terkunci_message(status))
    elif request.method == "POST":
        _check_posted_rows(request, page)
        page = RealisasiPageForms(
            rows=rows, triwulan=triwulan, data=request.POST, files=request.FILES
        )
        refused_files = uploads.refused(request)
        if not page.is_valid():
            problem = _("Belum tersimpan: periksa %(count)d baris bertanda merah.") % {
                "count": len(page.invalid())
            }
        elif refused_files:
            # Dropped while they streamed in: save nothing, keep what was typed, say which.
            problem = not_saved(" ".join(item.message for item in refused_files))
        else:
            try:
                saved = services.realisasi_bukti_save(
                    user=request.user,
                    rencana=rencana,
                    triwulan=triwulan,
                    inputs=page.inputs(),
                    uploads=page.uploads(),
                )
            except services.TriwulanTerkunci as locked:
                # Submitted between loading the status above and the save's own check.
                status = locked.status
                page = RealisasiPageForms(rows=[], triwulan=triwulan)
                problem = not_saved(" ".join(locked.messages))
            except services.RealisasiConflict as conflict:
                page.conflicts_apply(conflict.conflicts)
                problem = _(
                    "Belum tersimpan: %(count)d baris sudah diubah orang lain sejak halaman "
                    "ini dimuat. Periksa baris bertanda, lalu tekan Simpan lagi."
                ) % {"count": len(conflict.conflicts)}
            except ValidationError as error:
                # The forms apply the service's rules already; this is a last line of defence.
                problem = not_saved(" ".join(error.messages))
            else:
                _say_saved(request, triwulan, saved)
                return redirect("realisasi_form", tahun=tahun, triwulan=triwulan)
    lines = entry_lines(
        rows, triwulan, page, failed=bool(problem), refused=uploads.refused(request)
    )
    return render(
        request,
        "renaksi/realisasi_form.html",
        {
            "rencana": rencana,
            "triwulan": triwulan,
            "quarters": Triwulan.values,
            "lines": lines,
            "page": page,
            "editable": bool(page.forms),
            "problem": problem,
            "problem_lines": [line for line in lines if line.conflict or line.has_errors],
            # The skip link's target: the first row this user may fill that is still empty.
            "first_empty": next(
                (
                    line.row.key
                    for line in lines
                    if line.form is not None
                    and (line.current is None or line.current.nilai is None)
                ),
                "",
            ),
            "max_mb": evidence.MAX_BUKTI_BYTES // (1024 * 1024),
            "accepted": evidence.accepted_labels(),
            "accept": evidence.ACCEPT,
            "halaman": "realisasi",
            **status_context(status, profile=profile),
        },
    )


def _say_saved(request, triwulan: int, saved: services.Saved) -> None:
    if saved.changed or saved.bukti:
        messages.success(
            request,
            _("Realisasi TW %(n)d tersimpan: %(baris)d baris, %(berkas)d berkas bukti.")
            % {"n": triwulan, "baris": len(saved.changed), "berkas": len(saved.bukti)},
        )
    else:
        messages.info(request, _("Tidak ada perubahan untuk disimpan."))

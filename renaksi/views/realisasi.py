"""The quarter's entry page: one Simpan saves the values, notes and evidence of every row."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from renaksi import evidence, paging, permissions, progress, selectors, services, uploads
from renaksi.capaian import target_to_date
from renaksi.forms import RealisasiPageForms, RealisasiRowForm
from renaksi.keuangan import format_rupiah
from renaksi.models import CATATAN, Realisasi, Triwulan
from renaksi.presentation import (
    ajukan_confirmation,
    conflict_message,
    terkunci_message,
    value_display,
)
from renaksi.selectors import EntryRow
from renaksi.tables import RealisasiFilter
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


@dataclass
class PagerLink:
    number: int | None  # None: a gap in the pager
    href: str = ""
    label: str = ""  # the kegiatan NO the page holds


@dataclass
class EntryPage:
    """Which rows of the plan this request shows: the filter, the page, links to the others."""

    filter: RealisasiFilter
    number: int
    count: int
    kegiatan_ids: list[int]
    sasaran_ids: set[int]
    pager: list[PagerLink]
    query: dict[str, str]  # the filter and page as shown, for the save's redirect
    notice: str = ""  # the page asked for is not the one shown

    @property
    def querystring(self) -> str:
        return urlencode(self.query)


def entry_page(request, found: RealisasiFilter, profile) -> EntryPage:
    """The rows the filter (bidang, kegiatan) and page of the query string show.

    Pages end at kegiatan boundaries (``paging.pages_of_blocks``); a sasaran row counts on the
    page of its first kegiatan shown, where it stands. Junk falls back to the defaults.
    """
    bidang_id = found.bidang_id
    outline = selectors.entry_outline(kegiatan=found.qs, bidang_id=bidang_id)
    # A sasaran row has no bidang: it shows only when every bidang does.
    show_sasaran = bidang_id is None and permissions.may_see_row(profile, None)
    first_of: dict[int, int] = {}  # sasaran indicator -> index of its first kegiatan shown
    sizes = []
    for index, kegiatan in enumerate(outline):
        new = show_sasaran and kegiatan.indikator_sasaran_id not in first_of
        first_of.setdefault(kegiatan.indikator_sasaran_id, index)
        sizes.append(kegiatan.rows + int(new))
    pages = paging.pages_of_blocks(sizes)
    number, moved = paging.page_number(request.GET.get("halaman"), len(pages))
    shown = pages[number - 1]
    query = found.query()
    pager = []
    if len(pages) > 1:
        for n in paging.page_window(number, len(pages)):
            if n is None:
                pager.append(PagerLink(None))
                continue
            blocks = pages[n - 1]
            first, last = outline[blocks[0]].nomor, outline[blocks[-1]].nomor
            pager.append(
                PagerLink(
                    n,
                    "?" + urlencode({**query, "halaman": n}),
                    str(first) if first == last else f"{first}–{last}",
                )
            )
    if number > 1:
        query["halaman"] = str(number)
    return EntryPage(
        filter=found,
        number=number,
        count=len(pages),
        kegiatan_ids=[outline[i].pk for i in shown],
        sasaran_ids={
            outline[i].indikator_sasaran_id
            for i in shown
            if show_sasaran and first_of[outline[i].indikator_sasaran_id] == i
        },
        pager=pager,
        query=query,
        notice=(
            _("Halaman yang diminta tidak ada; ditampilkan halaman %(n)d dari %(jumlah)d.")
            % {"n": number, "jumlah": len(pages)}
            if moved
            else ""
        ),
    )


def _check_may_post(profile, rencana) -> None:
    """PermissionDenied for a read-only role or a draft plan, before the body is read."""
    if not rencana.diterbitkan or not permissions.may_edit_some_row(profile):
        raise PermissionDenied(_("Anda hanya dapat melihat realisasi, tidak mengubahnya."))


def _check_posted_rows(request, page: RealisasiPageForms) -> None:
    """PermissionDenied when the POST names a row this user may not fill."""
    foreign = page.posted_keys(request.POST, request.FILES) - page.forms.keys()
    if foreign:
        raise PermissionDenied(
            _("Anda tidak berhak mengisi baris %(key)s.") % {"key": sorted(foreign)[0]}
        )


def _problem_of_post(request, rencana, triwulan: int, page: RealisasiPageForms):
    """Validate and save the rows posted; (problem, page, status) to show, or a Saved."""
    refused_files = uploads.refused(request)
    if not page.is_valid():
        return (
            _("Belum tersimpan: periksa %(count)d baris bertanda merah.")
            % {"count": len(page.invalid())},
            page,
            None,
        )
    if refused_files:
        # Dropped while they streamed in: save nothing, keep what was typed, say which.
        return not_saved(" ".join(item.message for item in refused_files)), page, None
    try:
        return services.realisasi_bukti_save(
            user=request.user,
            rencana=rencana,
            triwulan=triwulan,
            inputs=page.inputs(),
            uploads=page.uploads(),
        )
    except services.TriwulanTerkunci as locked:
        # Submitted between loading the status and the save's own check.
        page = RealisasiPageForms(rows=[], triwulan=triwulan)
        return not_saved(" ".join(locked.messages)), page, locked.status
    except services.RealisasiConflict as conflict:
        page.conflicts_apply(conflict.conflicts)
        return (
            _(
                "Belum tersimpan: %(count)d baris sudah diubah orang lain sejak halaman "
                "ini dimuat. Periksa baris bertanda, lalu tekan Simpan lagi."
            )
            % {"count": len(conflict.conflicts)},
            page,
            None,
        )
    except ValidationError as error:
        # The forms apply the service's rules already; this is a last line of defence.
        return not_saved(" ".join(error.messages)), page, None


@login_required
@require_http_methods(["GET", "POST"])
def realisasi_form(request, tahun: int, triwulan: int):
    rencana = permissions.rencana_for_user(request.user, tahun)
    profile = permissions.profile_of(request.user)
    status = selectors.status_triwulan(rencana=rencana, triwulan=triwulan)
    found = RealisasiFilter(request.GET, rencana=rencana, profile=profile)
    problem = ""
    posted: list[EntryRow] = []
    page = None
    if request.method == "POST" and status.terkunci and permissions.may_edit_some_row(profile):
        # Loaded before the quarter was submitted: say why nothing was saved.
        problem = not_saved(terkunci_message(status))
    elif request.method == "POST":
        # Only the rows posted are read, checked and saved: the page script leaves untouched
        # rows out, so a save costs the same in a plan of 30 rows or of 2,000.
        _check_may_post(profile, rencana)
        keys = RealisasiPageForms.posted_keys(request.POST, request.FILES)
        posted = selectors.entry_rows_by_key(rencana=rencana, profile=profile, keys=keys)
        page = RealisasiPageForms(
            rows=posted, triwulan=triwulan, data=request.POST, files=request.FILES
        )
        _check_posted_rows(request, page)
        outcome = _problem_of_post(request, rencana, triwulan, page)
        if isinstance(outcome, services.Saved):
            _say_saved(request, triwulan, outcome)
            # Back to the same filter and page (a page past the end, should the plan have
            # shrunk meanwhile, shows the last one).
            query = found.query()
            number = request.GET.get("halaman", "")
            if number.isascii() and number.isdigit() and 1 < int(number) < 10**9:
                query["halaman"] = str(int(number))
            target = reverse("realisasi_form", kwargs={"tahun": tahun, "triwulan": triwulan})
            return redirect(f"{target}?{urlencode(query)}" if query else target)
        problem, page, locked_status = outcome
        status = locked_status or status
    scope = entry_page(request, found, profile)
    rows = selectors.entry_rows_of_kegiatan(
        rencana=rencana,
        profile=profile,
        kegiatan_ids=scope.kegiatan_ids,
        bidang_id=scope.filter.bidang_id,
        sasaran_ids=scope.sasaran_ids,
    )
    # A quarter under review or approved is read-only for everyone: no forms at all; so is a
    # draft plan, which takes no realisations until it is published.
    read_only = status.terkunci or not rencana.diterbitkan
    if read_only or page is None:
        shown = RealisasiPageForms(rows=[] if read_only else rows, triwulan=triwulan)
    else:
        # A row posted but no longer on this page (the plan changed since it was loaded)
        # still shows, with what was typed in it.
        on_page = {row.key for row in rows}
        rows += [row for row in posted if row.key not in on_page]
        shown = page.spread_over(rows)
    lines = entry_lines(
        rows, triwulan, shown, failed=bool(problem), refused=uploads.refused(request)
    )
    return render(
        request,
        "renaksi/realisasi_form.html",
        {
            "rencana": rencana,
            "triwulan": triwulan,
            "quarters": Triwulan.values,
            "lines": lines,
            "page": shown,
            "scope": scope,
            "editable": bool(shown.forms),
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
            **_readiness(rows, triwulan),
        },
    )


def _readiness(rows, triwulan: int) -> dict:
    """The rows with a target this quarter still empty, which the submit button names."""
    empty = progress.owed_rows(rows, triwulan)
    sasaran = [row for row in empty if row.is_sasaran]
    sub_kegiatan = [row for row in empty if not row.is_sasaran]
    return {
        "kosong_sasaran": sasaran,
        "kosong_sub": sub_kegiatan,
        "ajukan_konfirmasi": ajukan_confirmation(triwulan, sasaran, sub_kegiatan),
    }


def _say_saved(request, triwulan: int, saved: services.Saved) -> None:
    if saved.changed or saved.bukti:
        messages.success(
            request,
            _("Realisasi TW %(n)d tersimpan: %(baris)d baris, %(berkas)d berkas bukti.")
            % {"n": triwulan, "baris": len(saved.changed), "berkas": len(saved.bukti)},
        )
    else:
        messages.info(request, _("Tidak ada perubahan untuk disimpan."))

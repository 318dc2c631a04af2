"""The dashboard (``/``): where the agency stands in a quarter, for each role."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from renaksi import charts, keuangan, permissions, progress, selectors
from renaksi.exports.download import CONTENT_TYPES, ExportFile, attachment
from renaksi.exports.lists import render_list_xlsx
from renaksi.models import Peran, StatusPersetujuan, Triwulan
from renaksi.presentation import triwulan_label
from renaksi.tables import BidangProgressTable, OwedFilter, OwedTable
from renaksi.views.status_banner import status_context

LISTS_PER_PAGE = 25


@login_required
def home(request):
    if not hasattr(request.user, "profile") and request.user.is_superuser:
        # The platform operator belongs to no agency: its place is the admin.
        return redirect("admin:index")
    profile = permissions.profile_of(request.user)
    today = timezone.localdate()
    # The current published plan, never a newer draft (a plan being prepared for next year
    # must not take over while this year's quarters are reported).
    rencana = selectors.rencana_current(instansi_id=profile.instansi_id, today_year=today.year)
    if rencana is None:
        drafts = selectors.rencana_years(
            instansi_id=profile.instansi_id, with_drafts=permissions.may_see_drafts(profile)
        )
        return render(
            request,
            "renaksi/belum_ada_rencana.html",
            {"profile": profile, "drafts": [tahun for tahun, _published in drafts]},
        )
    triwulan = progress.default_triwulan(rencana.tahun, today)
    return redirect("dasbor", tahun=rencana.tahun, triwulan=triwulan)


@login_required
def dasbor(request, tahun: int, triwulan: int):
    rencana = permissions.rencana_for_user(request.user, tahun)
    profile = permissions.profile_of(request.user)
    statuses = selectors.statuses_of_plan(rencana=rencana)
    status = statuses[triwulan - 1]
    owed = OwedFilter(
        request.GET,
        queryset=selectors.sub_kegiatan_owed(
            rencana=rencana,
            triwulan=triwulan,
            bidang_id=profile.bidang_id if profile.peran == Peran.STAF else None,
        ),
        instansi_id=rencana.instansi_id,
    )
    owed_table = OwedTable(owed.qs, prefix="owed-")
    rows = selectors.entry_rows(rencana=rencana, profile=profile)
    bidang_table = BidangProgressTable(progress.bidang_progress(rows, triwulan), prefix="bidang-")
    # RequestConfig reads each table's sort and page from the query string, and shows the
    # first (or last) page for a page number that is junk (or past the end).
    config = RequestConfig(request, paginate={"per_page": LISTS_PER_PAGE})
    config.configure(owed_table)
    config.configure(bidang_table)
    export = request.GET.get("_export")
    if export in ("bidang", "owed"):
        table, title = (
            (bidang_table, _("Status per bidang"))
            if export == "bidang"
            else (owed_table, _("Belum diisi"))
        )
        filename = f"{export}-{rencana.instansi.kode}-{rencana.tahun}-tw{triwulan}.xlsx"
        content = render_list_xlsx(table, title=title)
        return attachment(ExportFile(content, CONTENT_TYPES["xlsx"], filename))
    context = {
        "rencana": rencana,
        "triwulan": triwulan,
        "quarters": Triwulan.values,
        # Published years only: a draft has no quarters to report yet.
        "years": [
            tahun
            for tahun, _published in selectors.rencana_years(
                instansi_id=rencana.instansi_id, with_drafts=False
            )
        ],
        "statuses": statuses,
        "waiting": [s for s in statuses if s.status == StatusPersetujuan.DIAJUKAN],
        "owed_filter": owed,
        "owed_table": owed_table,
        "bidang_table": bidang_table,
        "halaman": "dasbor",
        **status_context(status, profile=profile),
    }
    if profile.peran == Peran.STAF:
        context["last_saves"] = selectors.last_saves(user=request.user, rencana=rencana)
    else:
        context.update(_overview(rows, triwulan))
        if progress.has_pagu(rows):
            context.update(_serapan(rows, triwulan, rencana.instansi))
    return render(request, "renaksi/dasbor.html", context)


def _serapan(rows, triwulan: int, instansi) -> dict:
    """Serapan beside capaian per bidang and for the agency: only for a plan with pagu."""
    summaries = progress.serapan_per_bidang(rows, triwulan, _("Instansi"))
    bands = {
        item.nama: keuangan.efisiensi_band(
            item.efisiensi,
            batas_atas=instansi.efisiensi_batas_atas,
            batas_bawah=instansi.efisiensi_batas_bawah,
        )
        for item in summaries
    }
    capaian_label = _("Capaian kinerja s.d. TW %(n)d") % {"n": triwulan}
    serapan_label = _("Serapan anggaran s.d. TW %(n)d") % {"n": triwulan}
    return {
        "serapan": [(item, bands[item.nama]) for item in summaries],
        "chart_serapan": charts.grouped_bar_chart(
            "grafik-serapan",
            _("Capaian kinerja dan serapan anggaran per bidang s.d. TW %(n)d (%%)")
            % {"n": triwulan},
            [(capaian_label, "0B5CAB"), (serapan_label, "E0A100")],
            [(item.nama, [item.capaian, item.serapan]) for item in summaries],
        ),
    }


def _overview(rows, triwulan: int) -> dict:
    """What the kepala, pemeriksa and admin see beside the lists: capaian, charts, readiness."""
    sasaran = progress.sasaran_capaian(rows, triwulan)
    predikat = progress.predikat_counts(rows, triwulan)
    by_quarter = progress.reporting_by_quarter(rows)
    agency = progress.agency_series(rows, _("Instansi"))
    quarter_labels = [triwulan_label(q) for q in Triwulan.values]
    return {
        "sasaran": sasaran,
        "predikat": predikat,
        "by_quarter": by_quarter,
        "sasaran_empty": [
            item.row
            for item in sasaran
            if item.row.indikator.target(triwulan) is not None
            and not progress.is_reported(item.row, triwulan)
        ],
        "bidang_silent": [
            item
            for item in progress.bidang_progress(rows, triwulan)
            if item.with_target and not item.reported
        ],
        "chart_cumulative": charts.line_chart(
            "grafik-kumulatif",
            _("Target dan realisasi kumulatif instansi (rata-rata indikator sasaran, %)"),
            quarter_labels,
            [
                (_("Target s.d. triwulan"), "target", agency.targets),
                (_("Realisasi s.d. triwulan"), "realisasi", agency.realisasi),
            ],
        ),
        "chart_sasaran": charts.bar_chart(
            "grafik-sasaran",
            _("Capaian per indikator sasaran s.d. TW %(n)d") % {"n": triwulan},
            [
                (
                    item.row.indikator.indikator,
                    item.to_date,
                    item.predikat_to_date.color if item.predikat_to_date else "",
                )
                for item in sasaran
            ],
            unit="%",
        ),
        "chart_predikat": charts.bar_chart(
            "grafik-predikat",
            _("Jumlah sub kegiatan per predikat, TW %(n)d") % {"n": triwulan},
            [(grade.label, count, grade.color) for grade, count in predikat],
        ),
        "chart_reporting": charts.bar_chart(
            "grafik-pelaporan",
            _("Baris bertarget yang sudah dilaporkan per triwulan"),
            [(triwulan_label(item.triwulan), item.percent, "0B5CAB") for item in by_quarter],
            unit="%",
        ),
    }

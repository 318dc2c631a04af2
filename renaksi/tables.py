"""Flat lists as django-tables2 tables: sortable, paged, exportable to XLSX.

The signed Rencana Aksi table is not one of them: it has row spans and is drawn from
``layout.Table`` (``documents.py``). ``exports/lists.py`` writes any of them to XLSX through
``exports.cells``, so no exported text becomes a spreadsheet formula.
"""

import django_filters
import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from renaksi.models import Bidang, SubKegiatan


class BidangProgressTable(tables.Table):
    """Per bidang in one quarter: rows with a target, reported, with evidence, still owed."""

    nama = tables.Column(verbose_name=_("Bidang"))
    with_target = tables.Column(verbose_name=_("Baris bertarget"))
    reported = tables.Column(verbose_name=_("Sudah dilaporkan"))
    with_evidence = tables.Column(verbose_name=_("Dengan bukti dukung"))
    owed = tables.Column(verbose_name=_("Belum diisi"), orderable=False)
    percent = tables.Column(verbose_name=_("Kemajuan (%)"), orderable=False)

    class Meta:
        attrs = {"class": "daftar"}
        orderable = True


class OwedTable(tables.Table):
    """Sub kegiatan with a target in the quarter and no realisation yet."""

    nomor = tables.Column(accessor="kegiatan__nomor", verbose_name=_("NO"))
    bidang = tables.Column(accessor="bidang__nama", verbose_name=_("Bidang"))
    uraian = tables.Column(verbose_name=_("Sub kegiatan"))
    indikator = tables.Column(verbose_name=_("Indikator kinerja"))

    class Meta:
        model = SubKegiatan
        fields = ("nomor", "bidang", "uraian", "indikator")
        attrs = {"class": "daftar"}
        order_by = ("nomor",)


class OwedFilter(django_filters.FilterSet):
    bidang = django_filters.ModelChoiceFilter(
        queryset=Bidang.objects.none(), label=_("Bidang"), empty_label=_("Semua bidang")
    )

    class Meta:
        model = SubKegiatan
        fields = ("bidang",)

    def __init__(self, *args, instansi_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["bidang"].queryset = Bidang.objects.filter(instansi_id=instansi_id)

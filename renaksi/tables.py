"""Flat lists as django-tables2 tables: sortable, paged, exportable to XLSX.

The signed Rencana Aksi table is not one of them: it has row spans and is drawn from
``layout.Table`` (``documents.py``). ``exports/lists.py`` writes any of them to XLSX through
``exports.cells``, so no exported text becomes a spreadsheet formula.
"""

from dataclasses import dataclass

import django_filters
import django_tables2 as tables
from django.db.models import Exists, OuterRef
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from renaksi.models import Bidang, Kegiatan, Peran, Profile, RencanaAksi, SubKegiatan


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


KEGIATAN_LABEL = 60  # characters of a kegiatan's name in the filter's choices


def kegiatan_label(nomor: int, nama: str) -> str:
    # Short: a plan of 2,000 sub kegiatan lists some 700 kegiatan in this select.
    short = nama if len(nama) <= KEGIATAN_LABEL else nama[: KEGIATAN_LABEL - 1].rstrip() + "…"
    return f"{nomor} · {short}"


class KegiatanChoiceField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj: Kegiatan) -> str:
        return kegiatan_label(obj.nomor, obj.nama)


class KegiatanChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = KegiatanChoiceField


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    selected: bool


class RealisasiFilter(django_filters.FilterSet):
    """The entry page's filter bar: the kegiatan of a plan, by bidang and by kegiatan.

    ``qs`` is the plan's kegiatan the page shows (before paging). Staff see only their own
    bidang's rows (``permissions.may_see_row``): their bidang is the only choice and the
    default. A value that is no choice (junk, another agency's or another bidang's) is an
    error of the form and filters nothing, ``bidang_id`` stays the default.
    """

    bidang = django_filters.ModelChoiceFilter(
        queryset=Bidang.objects.none(),
        method="filter_bidang",
        label=_("Bidang"),
        empty_label=_("Semua bidang"),
    )
    kegiatan = KegiatanChoiceFilter(
        queryset=Kegiatan.objects.none(),
        method="filter_kegiatan",
        label=_("Kegiatan"),
        empty_label=_("Semua kegiatan"),
    )

    class Meta:
        model = Kegiatan
        fields = ("bidang", "kegiatan")

    def __init__(self, data, *, rencana: RencanaAksi, profile: Profile):
        self.own_bidang_id = profile.bidang_id if profile.peran == Peran.STAF else None
        kegiatan = Kegiatan.objects.filter(rencana=rencana)
        super().__init__(data, queryset=kegiatan)
        # The querysets are set before the form is first built, which copies them.
        if self.own_bidang_id is not None:
            bidang = Bidang.objects.filter(pk=self.own_bidang_id)
            self.filters["bidang"].extra["empty_label"] = None
        else:
            bidang = Bidang.objects.filter(instansi_id=rencana.instansi_id).order_by("urutan")
        self.filters["bidang"].queryset = bidang
        # The kegiatan to choose from: those with rows of the bidang asked for (a plan of 2,000
        # rows has some 700 kegiatan, 120 a bidang); a bidang that is no choice leaves none.
        raw = str(self.own_bidang_id or (data or {}).get("bidang", ""))
        if raw.isascii() and raw.isdigit() and len(raw) <= 9:
            kegiatan = kegiatan.filter(
                Exists(
                    SubKegiatan.objects.filter(
                        kegiatan=OuterRef("pk"),
                        bidang_id=int(raw),
                        bidang__instansi_id=rencana.instansi_id,
                    )
                )
            )
        self.filters["kegiatan"].queryset = kegiatan.order_by("nomor", "pk")

    @cached_property
    def bidang_choices(self) -> list[tuple[int, str]]:
        return list(self.filters["bidang"].queryset.values_list("pk", "nama"))

    @staticmethod
    def _has_rows_of(bidang_id: int) -> Exists:
        return Exists(SubKegiatan.objects.filter(kegiatan=OuterRef("pk"), bidang_id=bidang_id))

    def filter_bidang(self, queryset, name, value):
        return queryset.filter(self._has_rows_of(value.pk)) if value else queryset

    def filter_kegiatan(self, queryset, name, value):
        return queryset.filter(pk=value.pk) if value else queryset

    @property
    def bidang_id(self) -> int | None:
        """The bidang whose rows the page shows; None: every bidang."""
        if self.own_bidang_id is not None:
            return self.own_bidang_id
        self.is_valid()  # an invalid field is left out of cleaned_data
        chosen = self.form.cleaned_data.get("bidang")
        return chosen.pk if chosen else None

    @property
    def kegiatan_id(self) -> int | None:
        self.is_valid()
        chosen = self.form.cleaned_data.get("kegiatan")
        return chosen.pk if chosen else None

    def bidang_options(self) -> list[Option]:
        """The bidang select's options, the bidang shown selected (staff: their own only)."""
        chosen = self.bidang_id
        return [Option(str(pk), nama, pk == chosen) for pk, nama in self.bidang_choices]

    def kegiatan_options(self) -> list[Option]:
        """The kegiatan select's options, in one query and without a template per option
        (Django's select widget renders one per option: a third of a second for 700)."""
        chosen = self.kegiatan_id
        return [
            Option(str(pk), kegiatan_label(nomor, nama), pk == chosen)
            for pk, nomor, nama in self.filters["kegiatan"].queryset.values_list(
                "pk", "nomor", "nama"
            )
        ]

    def query(self) -> dict[str, str]:
        """The valid choices as query parameters (the defaults left out), for links."""
        self.is_valid()
        found = {}
        if self.own_bidang_id is None and self.bidang_id is not None:
            found["bidang"] = str(self.bidang_id)
        if self.kegiatan_id is not None:
            found["kegiatan"] = str(self.kegiatan_id)
        return found

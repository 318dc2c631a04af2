"""Forms of the quarterly realisation page: one small form per row, keyed by the row key.

Every value field carries its original value in a hidden input (``show_hidden_initial``; the
template writes it as ``initial-<row key>-<field>``), so the page knows which rows the user
changed and sends only those to the service: a row the user did not touch can never cause a
conflict.
"""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from renaksi import keuangan, numbers
from renaksi.evidence import CheckedUpload, checked
from renaksi.formulir import MAX_BYTES
from renaksi.models import CATATAN, SebagaiPenandatangan, StatusPersetujuan
from renaksi.presentation import nilai_for_input, rupiah_for_input
from renaksi.rencana_import.read import MAX_BYTES as RENCANA_MAX_BYTES
from renaksi.selectors import EntryRow
from renaksi.services import (
    TEKS_MAX,
    VALUE_FIELDS,
    Conflict,
    RealisasiInput,
    catatan_validate,
    keuangan_validate,
    nilai_validate,
    penandatangan_validate,
    teks_normalize,
)

ROW_KEY_OF_FIELD = re.compile(r"^(?:initial-)?((?:sub|ind)-\d+)-")


def nilai_parse(text: str) -> Decimal | None:
    """A typed realisation as a Decimal; "" is None (not reported), which is not 0.

    What counts as a number is ``numbers.nilai_parse``, shared with the spreadsheet import.
    """
    try:
        return numbers.nilai_parse(text)
    except numbers.NilaiRefused as refused:
        raise ValidationError(refused.message, code=refused.code) from None


class NilaiField(forms.Field):
    """A realisation typed the Indonesian or the English way; the rules are the service's."""

    widget = forms.TextInput

    def to_python(self, value):
        if isinstance(value, Decimal) or value is None:
            return value
        return nilai_parse(str(value))

    def prepare_value(self, value):
        return nilai_for_input(value) if isinstance(value, Decimal) else value


class RupiahField(forms.IntegerField):
    """Whole rupiah read by ``keuangan.rupiah_parse`` (the spreadsheet's rule too): "Rp 1.250.000",
    "1.250.000" and "1250000" are the same amount. The entry page's realisasi keuangan and the
    admin's pagu and anggaran kas."""

    widget = forms.TextInput

    def to_python(self, value):
        if isinstance(value, int) or value is None:
            return value
        try:
            return keuangan.rupiah_parse(str(value))
        except keuangan.RupiahRefused as refused:
            raise ValidationError(str(refused), code=refused.code) from None

    def prepare_value(self, value):
        return rupiah_for_input(value) if isinstance(value, int) else value


class TeksField(forms.CharField):
    """Free text, as ``services.teks_normalize`` stores it whatever the browser sent."""

    def to_python(self, value):
        return teks_normalize(super().to_python(value))


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files in one input; each is checked by ``evidence.bukti_validate``."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(item, initial) for item in files]

    def has_changed(self, initial, data):
        return not self.disabled and bool(data)


@dataclass(frozen=True)
class PageField:
    name: str
    initial_name: str  # the hidden input holding the value the user was shown
    id: str
    value: str
    initial: str
    errors: list[str]


USER_FIELDS = (*VALUE_FIELDS, "bukti")


def note_field(label) -> "TeksField":
    """A free-text note of a row (one of ``CATATAN``), its original kept hidden."""
    return TeksField(
        label=label,
        required=False,
        show_hidden_initial=True,
        max_length=TEKS_MAX,
        widget=forms.Textarea,
    )


class RealisasiRowForm(forms.Form):
    """What the user types for one row in one quarter, with the version the user was shown."""

    nilai = NilaiField(label=_("Realisasi"), required=False, show_hidden_initial=True)
    keuangan = RupiahField(
        label=_("Realisasi keuangan (Rp)"), required=False, show_hidden_initial=True
    )
    ket = note_field(CATATAN["ket"])
    faktor_pendorong = note_field(CATATAN["faktor_pendorong"])
    kendala = note_field(CATATAN["kendala"])
    tindak_lanjut = note_field(CATATAN["tindak_lanjut"])
    bukti = MultipleFileField(label=_("Bukti dukung"), required=False)
    versi = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        error_messages={
            "required": _("Data halaman tidak lengkap; muat ulang halaman lalu isi lagi."),
            "invalid": _("Data halaman tidak lengkap; muat ulang halaman lalu isi lagi."),
            "min_value": _("Data halaman tidak lengkap; muat ulang halaman lalu isi lagi."),
        },
    )

    def __init__(self, data=None, files=None, *, row: EntryRow, triwulan: int):
        current = row.current(triwulan)
        initial = {"versi": current.versi if current is not None else 0}
        if current is not None:
            initial.update({name: getattr(current, name) for name in VALUE_FIELDS})
        # empty_permitted: a row the user left alone is not validated at all, so an old stored
        # value that breaks today's rules never blocks saving the rest of the page.
        super().__init__(
            data,
            files,
            prefix=row.key,
            initial=initial,
            empty_permitted=True,
            use_required_attribute=False,
        )
        self.row = row
        if row.is_sasaran:
            # An indikator sasaran has no budget: no money field (``keuangan_validate``).
            del self.fields["keuangan"]
        self.value_fields = tuple(name for name in VALUE_FIELDS if name in self.fields)

    def page_fields(self) -> dict[str, "PageField"]:
        """What the page template needs to write each input itself.

        A page of 300 rows would spend over a second in Django's per-widget templates; the
        template writes these few plain inputs directly from this data instead.
        """
        fields = {}
        for name in (*self.value_fields, "versi"):
            bound = self[name]
            value = bound.value()
            if self.is_bound and bound.html_initial_name in self.data:
                initial = self.data.get(bound.html_initial_name)
            else:
                initial = bound.field.prepare_value(bound.initial)
            fields[name] = PageField(
                name=bound.html_name,
                initial_name=bound.html_initial_name,
                id=bound.auto_id,
                value="" if value is None else str(value),
                initial="" if initial is None else str(initial),
                errors=list(bound.errors) if self.is_bound else [],
            )
        bukti = self["bukti"]
        fields["bukti"] = PageField(
            name=bukti.html_name,
            initial_name="",
            id=bukti.auto_id,
            value="",
            initial="",
            errors=list(bukti.errors) if self.is_bound else [],
        )
        return fields

    def has_changed(self) -> bool:
        return any(name in self.changed_data for name in USER_FIELDS)

    def values_changed(self) -> bool:
        return any(name in self.changed_data for name in self.value_fields)

    def clean_nilai(self):
        nilai = self.cleaned_data["nilai"]
        nilai_validate(self.row.indikator, nilai)
        return nilai

    def clean_keuangan(self):
        rupiah = self.cleaned_data["keuangan"]
        keuangan_validate(self.row.indikator, rupiah)
        return rupiah

    def clean_bukti(self) -> list[CheckedUpload]:
        # Each file's content is checked here, once; the save takes the checked files.
        files, problems = [], []
        for upload in self.cleaned_data["bukti"]:
            try:
                files.append(checked(upload))
            except ValidationError as error:
                problems.extend(error.messages)
        if problems:
            raise ValidationError(problems)
        return files

    def realisasi_input(self) -> RealisasiInput:
        data = self.cleaned_data
        return RealisasiInput(
            key=self.row.key,
            nilai=data["nilai"],
            keuangan=data.get("keuangan"),
            **{name: data[name] for name in CATATAN},
            versi=data["versi"],
        )


class RealisasiPageForms:
    """The row forms of one quarter's page: one per row the user may edit, keyed by row key.

    A row absent from the POST (the page script leaves untouched rows out) is unbound: it
    shows what is stored and counts as unchanged.
    """

    def __init__(self, *, rows: list[EntryRow], triwulan: int, data=None, files=None):
        self.triwulan = triwulan
        self.data = data
        self.files = files
        self.rows = {row.key: row for row in rows if row.can_edit}
        posted = self.posted_keys(data, files) if data is not None else set()
        self.forms: dict[str, RealisasiRowForm] = {
            key: self._form(row, bound=key in posted) for key, row in self.rows.items()
        }
        self.conflicts: dict[str, Conflict] = {}

    def _form(self, row: EntryRow, *, bound: bool, data=None) -> RealisasiRowForm:
        if not bound:
            return RealisasiRowForm(row=row, triwulan=self.triwulan)
        return RealisasiRowForm(
            self.data if data is None else data, self.files, row=row, triwulan=self.triwulan
        )

    @staticmethod
    def posted_keys(data, files) -> set[str]:
        """The row keys named by the POST's field names, editable or not."""
        names = [*(data or {}).keys(), *(files or {}).keys()]
        return {match.group(1) for name in names if (match := ROW_KEY_OF_FIELD.match(name))}

    def __iter__(self):
        return iter(self.forms.values())

    def get(self, key: str) -> RealisasiRowForm | None:
        return self.forms.get(key)

    def changed(self) -> list[RealisasiRowForm]:
        return [form for form in self.forms.values() if form.is_bound and form.has_changed()]

    def is_valid(self) -> bool:
        # Every posted form is validated (not just up to the first error) so all problems show
        # at once; a row absent from the POST is unbound and has nothing to validate.
        results = [form.is_valid() for form in self.forms.values() if form.is_bound]
        return all(results)

    def invalid(self) -> list[RealisasiRowForm]:
        return [form for form in self.forms.values() if form.is_bound and form.errors]

    def inputs(self) -> list[RealisasiInput]:
        """What the service saves: the rows whose values the user changed, nothing else."""
        return [form.realisasi_input() for form in self.changed() if form.values_changed()]

    def uploads(self) -> dict:
        return {
            form.row.key: form.cleaned_data["bukti"]
            for form in self.changed()
            if form.cleaned_data.get("bukti")
        }

    def spread_over(self, rows: list[EntryRow]) -> "RealisasiPageForms":
        """The same POST over the rows a page shows: the posted rows bound, the rest as stored.

        The save reads only the rows posted; when it fails the page shows them again among
        the rows of its filter and page, with what was typed and the conflicts found.
        """
        page = RealisasiPageForms(
            rows=rows, triwulan=self.triwulan, data=self.data, files=self.files
        )
        page.conflicts = self.conflicts
        return page

    def conflicts_apply(self, conflicts: list[Conflict]) -> None:
        """Re-show conflicting rows against what is stored now, keeping what the user typed.

        In each such row, fields the user changed keep the user's input; fields the user left
        alone show the stored value. The hidden originals and ``versi`` become the stored ones,
        so a second Simpan overwrites deliberately and only what the user really changed.
        """
        data: QueryDict = self.data.copy()
        for conflict in conflicts:
            form = self.forms[conflict.key]
            prefix, stored = form.prefix, conflict.stored
            changed = set(form.changed_data)
            for name in form.value_fields:
                value = getattr(stored, name)
                if name == "nilai":
                    shown = nilai_for_input(value)
                elif name == "keuangan":
                    shown = rupiah_for_input(value)
                else:
                    shown = value or ""
                data[f"initial-{prefix}-{name}"] = shown
                if name not in changed:
                    data[f"{prefix}-{name}"] = shown
            data[f"{prefix}-versi"] = str(stored.versi)
            self.conflicts[conflict.key] = conflict
        self.data = data
        for conflict in conflicts:
            self.forms[conflict.key] = self._form(self.rows[conflict.key], bound=True, data=data)


class KembalikanForm(forms.Form):
    """The kepala's note when returning a quarter; the rules are the service's."""

    catatan = TeksField(
        label=_("Catatan untuk admin"),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        max_length=TEKS_MAX,
        error_messages={
            "required": _(
                "Tulis catatan untuk admin: apa yang harus diperbaiki sebelum diajukan lagi."
            )
        },
    )

    # The state the page showed when the kepala decided (a hidden field); the service returns
    # the quarter only from that state.
    status_dilihat = forms.ChoiceField(
        choices=StatusPersetujuan.choices,
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Halaman ini sudah usang; muat ulang lalu ulangi."),
            "invalid_choice": _("Halaman ini sudah usang; muat ulang lalu ulangi."),
        },
    )

    def clean_catatan(self):
        return catatan_validate(self.cleaned_data["catatan"])


class FormulirUnggahForm(forms.Form):
    """The spreadsheet form to upload; refused by its size before anything reads it."""

    berkas = forms.FileField(
        label=_("Berkas formulir (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def clean_berkas(self):
        berkas = self.cleaned_data["berkas"]
        # Refused before reading it: the size is known from the upload itself.
        if berkas.size > MAX_BYTES:
            raise forms.ValidationError(
                _("Berkas terlalu besar; batasnya %(max)d MB.") % {"max": MAX_BYTES >> 20}
            )
        return berkas


class TahunField(forms.IntegerField):
    """A plan year 2000–2100 in ASCII digits: int() would read "٢٠٢٤" as 2024 too."""

    def __init__(self, **kwargs):
        super().__init__(min_value=2000, max_value=2100, **kwargs)

    def to_python(self, value):
        text = str(value).strip() if value is not None else ""
        if text and not (text.isascii() and text.isdigit()):
            raise forms.ValidationError(_("Tahun harus ditulis dengan angka 0–9."), code="invalid")
        return super().to_python(text)


class RencanaImporForm(forms.Form):
    """A Rencana Aksi spreadsheet to import into a year; refused by its size before reading."""

    tahun = TahunField(label=_("Tahun rencana aksi"))
    berkas = forms.FileField(
        label=_("Berkas rencana aksi (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
    ganti_target = forms.BooleanField(
        label=_(
            "Tahun ini sudah memiliki rencana aksi: ganti target dan teksnya (realisasi, bukti "
            "dan status triwulan tetap)"
        ),
        required=False,
    )

    def clean_berkas(self):
        berkas = self.cleaned_data["berkas"]
        if berkas.size > RENCANA_MAX_BYTES:
            raise forms.ValidationError(
                _("Berkas terlalu besar; batasnya %(max)d MB.") % {"max": RENCANA_MAX_BYTES >> 20}
            )
        return berkas


class RencanaSalinForm(forms.Form):
    """Copy a plan into another year as a draft."""

    ke = TahunField(label=_("Ke tahun"))
    tanpa_target = forms.BooleanField(label=_("Tanpa target"), required=False)


class SetujuiForm(forms.Form):
    """The signature of an approved quarter's report, as the kepala chooses it when approving.

    Every field starts from ``selectors.penandatangan_default`` (the kepala's profile, today,
    the agency's city); a field sent empty keeps its default. The rules are the service's
    (``services.penandatangan_validate``).
    """

    tempat = forms.CharField(label=_("Tempat"), max_length=100, required=False)
    tanggal = forms.DateField(
        label=_("Tanggal"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"],
    )
    sebagai = forms.ChoiceField(
        label=_("Sebagai"), choices=SebagaiPenandatangan.choices, required=False
    )
    jabatan = forms.CharField(label=_("Jabatan"), max_length=255, required=False)
    nama = forms.CharField(label=_("Nama"), max_length=255, required=False)
    pangkat = forms.CharField(label=_("Pangkat/golongan"), max_length=100, required=False)
    nip = forms.CharField(label=_("NIP"), max_length=18, required=False)

    def __init__(self, data=None, *, default: dict[str, str]):
        super().__init__(data, initial=default)
        self.default = default
        self.penandatangan = None

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        values = {
            name: cleaned.get(name) or self.default[name]
            for name in ("tempat", "jabatan", "nama", "pangkat", "nip")
        }
        values["sebagai"] = cleaned.get("sebagai") or ""
        values["tanggal"] = cleaned.get("tanggal") or date.fromisoformat(self.default["tanggal"])
        try:
            self.penandatangan = penandatangan_validate(**values)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                self.add_error(name, messages)
        return cleaned

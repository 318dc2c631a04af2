"""NIP (Nomor Induk Pegawai) of a civil servant: 18 digits, validated and formatted.

Layout: birth date YYYYMMDD, TMT (start of service) YYYYMM, sex digit (1 man, 2 woman),
sequence number of three digits. Printed in groups 8-6-1-3: ``19681210 198902 1 002``.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


def normalize_nip(value: str) -> str:
    """The digits of a NIP typed with or without the usual spaces."""
    return "".join(str(value).split())


def validate_nip(value: str) -> None:
    nip = normalize_nip(value)
    # isascii(): str.isdigit() also accepts "²" or "１", which int() then refuses.
    if len(nip) != 18 or not (nip.isascii() and nip.isdigit()):
        raise ValidationError(_("NIP harus terdiri dari 18 angka."), code="nip_length")
    try:
        born = datetime.date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        raise ValidationError(
            _("Delapan angka pertama NIP bukan tanggal lahir yang sah."), code="nip_birth"
        ) from None
    tmt_year, tmt_month = int(nip[8:12]), int(nip[12:14])
    if not 1 <= tmt_month <= 12 or tmt_year < born.year:
        raise ValidationError(_("Angka ke-9 s.d. 14 NIP bukan TMT yang sah."), code="nip_tmt")
    if nip[14] not in "12":
        raise ValidationError(_("Angka ke-15 NIP (jenis kelamin) harus 1 atau 2."), code="nip_sex")
    if nip[15:] == "000":
        raise ValidationError(_("Nomor urut NIP tidak boleh 000."), code="nip_sequence")


class NipField(forms.CharField):
    """A NIP as people copy it, with or without the printed spaces; cleaned to 18 digits."""

    default_help_text = gettext_lazy(
        "18 angka, boleh dengan spasi seperti tercetak: 19681210 198902 1 002."
    )

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 24)
        kwargs.setdefault("help_text", self.default_help_text)
        super().__init__(**kwargs)

    def clean(self, value):
        nip = normalize_nip(super().clean(value))
        if nip:
            validate_nip(nip)
        return nip


def format_nip(value: str) -> str:
    """``196812101989021002`` → ``19681210 198902 1 002``."""
    nip = normalize_nip(value)
    if len(nip) != 18:
        return value
    return f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"

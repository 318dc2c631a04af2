"""Money beside performance: rupiah as typed, serapan and efisiensi. Pure functions, no database.

- Rupiah are whole: "Rp 1.250.000", "1.250.000", "1250000" and "1 250 000" are all 1,250,000.
  Dots group thousands in Indonesian and commas in English (a rupiah amount has no decimals, so
  "1.500" is 1,500 here, unlike a realisation); zero cents (",00") are accepted and dropped; any
  other fraction, a negative amount or text that is no amount is refused (``RupiahRefused``)
  with the message the page and the spreadsheet show.
- Serapan (budget absorption) = realised rupiah ÷ pagu × 100. No pagu (or a pagu of 0) means no
  serapan: ``None``, printed "-". Parents (kegiatan, program, sasaran, the agency) add up their
  children's rupiah and compute serapan from the sums; percentages are never averaged.
- Efisiensi = capaian kinerja − serapan, in percentage points: spending less than the
  performance delivered is efficient. Bands per agency (default above +5 "efisien",
  −5 … +5 "sesuai", below −5 "kurang efisien").
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renaksi.numbers import separators

HUNDRED = Decimal(100)
# A quadrillion rupiah is beyond any agency's budget (Indonesia's whole APBN is ~3.3 × 10^15):
# a longer figure is a typing slip, refused before it reaches a BigInteger column.
MAX_RUPIAH = 10**15
RUPIAH_MAX_CHARS = 40

_PREFIX = re.compile(r"^rp\.?", re.IGNORECASE)
_PLAIN = re.compile(r"^[0-9]+$")
_NUMBER = re.compile(r"^[0-9]+(?:[.,][0-9]+)*$")
_GROUPS = {sep: re.compile(rf"^[0-9]{{1,3}}(?:\{sep}[0-9]{{3}})+$") for sep in ".,"}


class RupiahRefused(ValueError):
    """An amount that is not a whole, non-negative number of rupiah; ``str`` is the message."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


def rupiah_parse(text: str | None, language: str | None = None) -> int | None:
    """Typed text as whole rupiah, the same rule on the page and in the spreadsheet; "" is None.

    Thousands may be grouped with dots or commas. A separator that appears more than once, or
    that comes before the other, groups thousands; a single one is read by ``language`` (the
    active one by default): the language's thousands separator before three digits groups them
    ("1.500" is 1,500 in Indonesian, "1,500" in English), otherwise it starts cents, which must
    be zero ("1.250.000,00"). ``RupiahRefused`` names what is wrong: not a number, a fraction,
    negative, too large.
    """
    text = (text or "").strip()
    invalid = _("Realisasi keuangan harus berupa angka rupiah, misalnya 1.250.000.")
    if len(text) > RUPIAH_MAX_CHARS:
        raise RupiahRefused(invalid, "invalid")
    text = _PREFIX.sub("", text).strip()
    text = text.replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    negative = text.startswith("-")
    body = text[1:] if negative else text
    if not _NUMBER.match(body):
        raise RupiahRefused(invalid, "invalid")
    if negative:
        raise RupiahRefused(_("Rupiah tidak boleh negatif."), "negative")
    whole, cents = _split_cents(body, separators(language)[1])
    if cents.strip("0"):
        raise RupiahRefused(
            _("Rupiah harus bilangan bulat, tanpa sen; titik hanya pemisah ribuan."), "fraction"
        )
    if len(cents) > 2:  # "1.250,000": zero cents have at most two digits; a slip, not 1.250
        raise RupiahRefused(invalid, "invalid")
    if _PLAIN.match(whole):
        value = int(whole)
    elif any(pattern.match(whole) for pattern in _GROUPS.values()):
        value = int(whole.replace(".", "").replace(",", ""))
    else:
        raise RupiahRefused(invalid, "invalid")
    return rupiah_check(value)


def _split_cents(text: str, group_sep: str) -> tuple[str, str]:
    """``text`` as its whole part and the digits of its cents ("" when it has none)."""
    used = [sep for sep in ".," if sep in text]
    if not used:
        return text, ""
    last = max(used, key=text.rindex)
    if len(used) == 2 or text.count(last) == 1:
        head, _sep, tail = text.rpartition(last)
        # One separator alone: the language's thousands separator before three digits groups.
        if len(used) == 1 and last == group_sep and len(tail) == 3:
            return text, ""
        return head, tail
    return text, ""


def rupiah_from_cell(value) -> int | None:
    """A spreadsheet cell as whole rupiah: numbers as numbers, text by ``rupiah_parse``."""
    if value is None or isinstance(value, bool):
        if value is None:
            return None
        raise RupiahRefused(_("Realisasi keuangan harus berupa angka rupiah."), "invalid")
    if isinstance(value, int):
        return rupiah_check(value)
    if isinstance(value, float | Decimal):
        number = Decimal(str(value))
        if not number.is_finite():
            raise RupiahRefused(_("Realisasi keuangan harus berupa angka rupiah."), "invalid")
        if number < 0:
            raise RupiahRefused(_("Rupiah tidak boleh negatif."), "negative")
        if number != number.to_integral_value():
            raise RupiahRefused(_("Rupiah harus bilangan bulat, tanpa sen."), "fraction")
        return rupiah_check(int(number))
    return rupiah_parse(str(value))


def rupiah_check(value: int) -> int:
    """The rules every stored amount obeys (whole, ≥ 0, below ``MAX_RUPIAH``)."""
    if value < 0:
        raise RupiahRefused(_("Rupiah tidak boleh negatif."), "negative")
    if value >= MAX_RUPIAH:
        raise RupiahRefused(_("Jumlah rupiah terlalu besar."), "too_large")
    return value


def format_rupiah(value: int | None, language: str | None = None) -> str:
    """``1250000`` → ``"1.250.000"`` (in English ``"1,250,000"``); None → "-" (not set,
    distinct from 0)."""
    if value is None:
        return "-"
    return f"{value:,}".replace(",", separators(language)[1])


def rupiah_sum(values: Iterable[int | None]) -> int | None:
    """The sum of the amounts that are set; None when none is (a parent of "-" rows is "-")."""
    present = [value for value in values if value is not None]
    return sum(present) if present else None


def serapan(realisasi_rp: int | None, pagu: int | None) -> Decimal | None:
    """Realised rupiah as a percentage of the pagu; None without a pagu or a realisation."""
    if realisasi_rp is None or not pagu:
        return None
    return Decimal(realisasi_rp) / Decimal(pagu) * HUNDRED


def efisiensi(capaian: Decimal | None, serapan_persen: Decimal | None) -> Decimal | None:
    """Capaian kinerja minus serapan, in percentage points; None when either is missing."""
    if capaian is None or serapan_persen is None:
        return None
    return capaian - serapan_persen


@dataclass(frozen=True)
class Efisiensi:
    label: str
    css: str


EFISIEN = Efisiensi(gettext_lazy("Efisien"), "efisiensi-efisien")
SESUAI = Efisiensi(gettext_lazy("Sesuai"), "efisiensi-sesuai")
KURANG_EFISIEN = Efisiensi(gettext_lazy("Kurang efisien"), "efisiensi-kurang")

DEFAULT_BATAS_ATAS = Decimal(5)
DEFAULT_BATAS_BAWAH = Decimal(-5)


def efisiensi_band(
    value: Decimal | None,
    *,
    batas_atas: Decimal = DEFAULT_BATAS_ATAS,
    batas_bawah: Decimal = DEFAULT_BATAS_BAWAH,
) -> Efisiensi | None:
    """The band of an efisiensi: above ``batas_atas`` efisien, below ``batas_bawah`` kurang."""
    if value is None:
        return None
    if value > batas_atas:
        return EFISIEN
    if value < batas_bawah:
        return KURANG_EFISIEN
    return SESUAI


# --- The money of a row, and of a parent as the sum of its rows --------------------------------


@dataclass(frozen=True)
class Anggaran:
    """The rupiah of one sub kegiatan, or of a parent as the sum of its children (``total``).

    ``realisasi[q - 1]`` is what was spent in quarter q (not to date), None where nothing was
    reported; ``kas`` the planned disbursement per quarter. Every percentage is computed from
    these amounts, so a parent's serapan is Σ realised ÷ Σ pagu, never a mean of its children's.
    """

    pagu: int | None = None
    realisasi: tuple[int | None, int | None, int | None, int | None] = (None, None, None, None)
    kas: tuple[int | None, int | None, int | None, int | None] = (None, None, None, None)
    pagu_renstra: int | None = None
    realisasi_lalu: int | None = None

    @classmethod
    def of(cls, sub_kegiatan, realisasi) -> "Anggaran":
        """From a sub kegiatan and its four stored realisations (None where there is none).

        Duck-typed on the model's fields (``pagu``, ``kas(q)``, ``keuangan``), so this module
        stays free of the ORM.
        """
        return cls(
            pagu=sub_kegiatan.pagu,
            realisasi=tuple(r.keuangan if r is not None else None for r in realisasi),
            kas=tuple(sub_kegiatan.kas(q) for q in range(1, 5)),
            pagu_renstra=sub_kegiatan.pagu_renstra,
            realisasi_lalu=sub_kegiatan.realisasi_lalu_rp,
        )

    @property
    def is_empty(self) -> bool:
        """No amount at all: the row prints "-" in every money column."""
        return self == EMPTY_ANGGARAN

    def realisasi_tw(self, triwulan: int) -> int | None:
        return self.realisasi[triwulan - 1]

    def realisasi_sd(self, triwulan: int) -> int | None:
        """Realised from TW 1 to ``triwulan``; None when no quarter so far has an amount."""
        return rupiah_sum(self.realisasi[:triwulan])

    def kas_sd(self, triwulan: int) -> int | None:
        return rupiah_sum(self.kas[:triwulan])

    def serapan_tw(self, triwulan: int) -> Decimal | None:
        """What the quarter spent as a percentage of the year's pagu."""
        return serapan(self.realisasi_tw(triwulan), self.pagu)

    def serapan_sd(self, triwulan: int) -> Decimal | None:
        """Realised to date as a percentage of the year's pagu."""
        return serapan(self.realisasi_sd(triwulan), self.pagu)


EMPTY_ANGGARAN = Anggaran()


def anggaran_total(items: Iterable[Anggaran]) -> Anggaran:
    """The sum of ``items``, amount by amount (``rupiah_sum``: "-" only where all are "-")."""
    items = list(items)

    def per_quarter(name: str) -> tuple:
        return tuple(rupiah_sum(getattr(item, name)[q] for item in items) for q in range(4))

    return Anggaran(
        pagu=rupiah_sum(item.pagu for item in items),
        realisasi=per_quarter("realisasi"),
        kas=per_quarter("kas"),
        pagu_renstra=rupiah_sum(item.pagu_renstra for item in items),
        realisasi_lalu=rupiah_sum(item.realisasi_lalu for item in items),
    )

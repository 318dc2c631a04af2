"""Capaian (achievement) of an indicator: pure functions, no database.

- Higher is better (``naik``): capaian = realisasi / target × 100.
- Lower is better (``turun``, e.g. "Menurunnya Tingkat Kriminalitas"):
  capaian = (2 × target − realisasi) / target × 100, never below 0 — the convention of
  Maluku's LKjIP reports. Both give 100 when realisasi equals target.
- A quarter without a target (or a target of 0, where a ratio means nothing) has no capaian:
  ``None``, printed "-", never 0 % and never a division error. So has a quarter not reported.
- Cumulative to date: by the indicator's method, either Σ realisasi ÷ Σ target over the quarters
  so far (``kumulatif``, the default: the 2023 targets are quarterly shares adding up to 100) or
  the current quarter's own capaian (``terakhir``).
- Predicate (Permendagri 86/2017): ≥ 91 Sangat Tinggi, 76 to < 91 Tinggi, 66 to < 76 Sedang,
  51 to < 66 Rendah, < 51 Sangat Rendah.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Predikat:
    label: str
    css: str  # class used on screen and in print (static/css/dokumen.css)
    color: str  # the same colour as hex, for the XLSX fill
    minimum: Decimal


PREDIKAT = (
    Predikat("Sangat Tinggi", "predikat-sangat-tinggi", "C8E6C9", Decimal(91)),
    Predikat("Tinggi", "predikat-tinggi", "DCEDC8", Decimal(76)),
    Predikat("Sedang", "predikat-sedang", "FFF9C4", Decimal(66)),
    Predikat("Rendah", "predikat-rendah", "FFE0B2", Decimal(51)),
    Predikat("Sangat Rendah", "predikat-sangat-rendah", "FFCDD2", Decimal("-Infinity")),
)


def capaian(realisasi: Decimal | None, target: Decimal | None, arah: str) -> Decimal | None:
    """Capaian in percent of one realisation against one target, or None where undefined."""
    if realisasi is None or target is None or target <= 0:
        return None
    if arah == "turun":
        return max(Decimal(0), (2 * target - realisasi) / target * HUNDRED)
    return realisasi / target * HUNDRED


def capaian_triwulan(
    targets: Sequence[Decimal | None],
    realisasi: Sequence[Decimal | None],
    triwulan: int,
    arah: str,
) -> Decimal | None:
    """Capaian of quarter ``triwulan`` (1–4) alone."""
    return capaian(realisasi[triwulan - 1], targets[triwulan - 1], arah)


def sum_to_date(values: Sequence[Decimal | None], triwulan: int) -> Decimal | None:
    """Σ of the quarters 1..triwulan that have a value; None when none has."""
    present = [v for v in values[:triwulan] if v is not None]
    return sum(present, Decimal(0)) if present else None


def to_date(values: Sequence[Decimal | None], triwulan: int, metode: str) -> Decimal | None:
    """The figure "s.d. TW n" of targets or realisations: Σ so far, or TW n's own value."""
    if metode == "terakhir":
        return values[triwulan - 1]
    return sum_to_date(values, triwulan)


def capaian_kumulatif(
    targets: Sequence[Decimal | None],
    realisasi: Sequence[Decimal | None],
    triwulan: int,
    arah: str,
    metode: str = "kumulatif",
) -> Decimal | None:
    """Capaian to date at quarter ``triwulan`` by the indicator's method."""
    return capaian(to_date(realisasi, triwulan, metode), to_date(targets, triwulan, metode), arah)


def predikat(nilai: Decimal | None) -> Predikat | None:
    if nilai is None:
        return None
    return next(p for p in PREDIKAT if nilai >= p.minimum)

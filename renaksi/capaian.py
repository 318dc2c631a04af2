"""Capaian (achievement) of an indicator: pure functions, no database.

- Higher is better (``naik``): capaian = realisasi / target × 100.
- Lower is better (``turun``, e.g. "Menurunnya Tingkat Kriminalitas"):
  capaian = (2 × target − realisasi) / target × 100, never below 0 — the convention of
  Maluku's LKjIP reports. Both give 100 when realisasi equals target.
- A quarter without a target (or a target of 0, where a ratio means nothing) has no capaian:
  ``None``, printed "-", never 0 % and never a division error. So has a quarter not reported.
- To date ("s.d. TW n"), by the indicator's method (``sampai_dengan``):
  ``kumulatif`` (the default: the 2023 targets are quarterly shares adding up to 100) is
  Σ realisasi ÷ Σ target over the quarters so far, and has no capaian while a quarter so far
  that has a target has no realisation: counting it as 0 would print a silent "Rendah". The
  quarters missing are named (``SampaiDengan.belum_dilaporkan``).
  ``terakhir`` (last value, e.g. an index) is the capaian of TW n; when TW n has no target, of
  the latest earlier quarter that has both a target and a realisation. Its target to date is
  the latest target so far (``target_to_date``), never a sum.
- Predicate (Permendagri 86/2017): ≥ 91 Sangat Tinggi, 76 to < 91 Tinggi, 66 to < 76 Sedang,
  51 to < 66 Rendah, < 51 Sangat Rendah.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext, gettext_noop

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Predikat:
    nama: str  # the Permendagri's word, in Indonesian; ``label`` in the active language
    css: str  # class used on screen and in print (static/css/dokumen.css)
    color: str  # the same colour as hex, for the XLSX fill
    minimum: Decimal

    @property
    def label(self) -> str:
        return gettext(self.nama)


PREDIKAT = (
    Predikat(gettext_noop("Sangat Tinggi"), "predikat-sangat-tinggi", "C8E6C9", Decimal(91)),
    Predikat(gettext_noop("Tinggi"), "predikat-tinggi", "DCEDC8", Decimal(76)),
    Predikat(gettext_noop("Sedang"), "predikat-sedang", "FFF9C4", Decimal(66)),
    Predikat(gettext_noop("Rendah"), "predikat-rendah", "FFE0B2", Decimal(51)),
    Predikat(
        gettext_noop("Sangat Rendah"), "predikat-sangat-rendah", "FFCDD2", Decimal("-Infinity")
    ),
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


def latest_to_date(values: Sequence[Decimal | None], triwulan: int) -> Decimal | None:
    """The value of the latest quarter 1..triwulan that has one; None when none has."""
    return next((v for v in reversed(values[:triwulan]) if v is not None), None)


def to_date(values: Sequence[Decimal | None], triwulan: int, metode: str) -> Decimal | None:
    """The figure "s.d. TW n" of targets or realisations: Σ so far, or the latest value so far."""
    if metode == "terakhir":
        return latest_to_date(values, triwulan)
    return sum_to_date(values, triwulan)


def target_to_date(targets: Sequence[Decimal | None], triwulan: int, metode: str) -> Decimal | None:
    """ "Target s.d. TW n" as the entry page, the spreadsheet form and the report print it.

    Last value (``terakhir``): the latest target so far (82,75 for targets 80 in TW 2 and 82,75
    in TW 4), never their sum; cumulative: the Σ of the targets so far.
    """
    return to_date(targets, triwulan, metode)


@dataclass(frozen=True)
class SampaiDengan:
    """The figures "s.d. TW n" of one indicator, as the report prints them."""

    target: Decimal | None
    realisasi: Decimal | None
    capaian: Decimal | None
    # Quarters so far that have a target but no realisation: while there are any, a cumulative
    # capaian is "-" (they are not 0), and the report names them.
    belum_dilaporkan: tuple[int, ...] = ()


def sampai_dengan(
    targets: Sequence[Decimal | None],
    realisasi: Sequence[Decimal | None],
    triwulan: int,
    arah: str,
    metode: str = "kumulatif",
) -> SampaiDengan:
    """Target, realisation and capaian to date at quarter ``triwulan`` by the method."""
    if metode == "terakhir":
        if targets[triwulan - 1] is None:
            # No target this quarter: the latest earlier quarter with target and realisation.
            basis = next(
                (
                    q
                    for q in range(triwulan - 1, 0, -1)
                    if targets[q - 1] is not None and realisasi[q - 1] is not None
                ),
                None,
            )
        else:
            basis = triwulan
        if basis is None:
            latest = next((q for q in range(triwulan, 0, -1) if targets[q - 1] is not None), None)
            missing = (latest,) if latest is not None and realisasi[latest - 1] is None else ()
            return SampaiDengan(latest_to_date(targets, triwulan), None, None, missing)
        target, nilai = targets[basis - 1], realisasi[basis - 1]
        missing = (basis,) if nilai is None else ()
        return SampaiDengan(target, nilai, capaian(nilai, target, arah), missing)
    missing = tuple(
        q for q in range(1, triwulan + 1) if targets[q - 1] is not None and realisasi[q - 1] is None
    )
    target = sum_to_date(targets, triwulan)
    nilai = sum_to_date(realisasi, triwulan)
    return SampaiDengan(target, nilai, None if missing else capaian(nilai, target, arah), missing)


def capaian_kumulatif(
    targets: Sequence[Decimal | None],
    realisasi: Sequence[Decimal | None],
    triwulan: int,
    arah: str,
    metode: str = "kumulatif",
) -> Decimal | None:
    """Capaian to date at quarter ``triwulan`` by the indicator's method (``sampai_dengan``)."""
    return sampai_dengan(targets, realisasi, triwulan, arah, metode).capaian


def realisasi_for_capaian(nilai: Decimal, target: Decimal, arah: str) -> Decimal:
    """The realisation that scores ``nilai`` % against ``target``: ``capaian``'s inverse.

    Higher is better: target × nilai ÷ 100. Lower is better: target × (2 − nilai ÷ 100), not
    below 0 (a capaian above 200 % cannot be reached by fewer than 0 incidents).
    """
    if arah == "turun":
        return max(Decimal(0), target * (2 - nilai / HUNDRED))
    return target * nilai / HUNDRED


def predikat(nilai: Decimal | None) -> Predikat | None:
    if nilai is None:
        return None
    return next(p for p in PREDIKAT if nilai >= p.minimum)

"""Where a plan stands in a quarter, from the rows a user sees: pure, no queries.

Every figure of the dashboards comes from ``selectors.entry_rows`` (a fixed number of queries),
so a dashboard costs the same as the entry page whatever the size of the plan.
"""

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from renaksi.capaian import PREDIKAT, Predikat, capaian_kumulatif, capaian_triwulan, predikat
from renaksi.capaian import to_date as figure_to_date
from renaksi.keuangan import Anggaran, anggaran_total, efisiensi
from renaksi.models import QUARTERS
from renaksi.selectors import EntryRow


def has_target(row: EntryRow, triwulan: int) -> bool:
    return row.indikator.target(triwulan) is not None


def is_reported(row: EntryRow, triwulan: int) -> bool:
    current = row.current(triwulan)
    return current is not None and current.nilai is not None


def has_evidence(row: EntryRow, triwulan: int) -> bool:
    current = row.current(triwulan)
    return current is not None and bool(current.bukti.all())


@dataclass(frozen=True)
class BidangProgress:
    """One bidang in one quarter: its rows with a target, how many are reported, with evidence."""

    nama: str
    with_target: int
    reported: int
    with_evidence: int

    @property
    def owed(self) -> int:
        return self.with_target - self.reported

    @property
    def percent(self) -> int:
        return round(100 * self.reported / self.with_target) if self.with_target else 100


def bidang_progress(rows: list[EntryRow], triwulan: int) -> list[BidangProgress]:
    """Per bidang, in plan order; sasaran rows (the admin's) are counted apart, not here."""
    by_bidang: dict[str, list[EntryRow]] = {}
    for row in rows:
        if row.bidang is not None:
            by_bidang.setdefault(row.bidang.nama, []).append(row)
    result = []
    for nama, owned in by_bidang.items():
        targeted = [row for row in owned if has_target(row, triwulan)]
        result.append(
            BidangProgress(
                nama=nama,
                with_target=len(targeted),
                reported=sum(is_reported(row, triwulan) for row in targeted),
                with_evidence=sum(has_evidence(row, triwulan) for row in targeted),
            )
        )
    return result


def owed_rows(rows: list[EntryRow], triwulan: int) -> list[EntryRow]:
    """Rows with a target this quarter and no realisation yet."""
    return [row for row in rows if has_target(row, triwulan) and not is_reported(row, triwulan)]


@dataclass(frozen=True)
class SasaranCapaian:
    row: EntryRow
    quarter: Decimal | None
    to_date: Decimal | None

    @property
    def predikat_quarter(self) -> Predikat | None:
        return predikat(self.quarter)

    @property
    def predikat_to_date(self) -> Predikat | None:
        return predikat(self.to_date)


def _scores(row: EntryRow, triwulan: int) -> tuple[Decimal | None, Decimal | None]:
    indikator = row.indikator
    targets, values = indikator.targets(), row.values()
    return (
        capaian_triwulan(targets, values, triwulan, indikator.arah),
        capaian_kumulatif(targets, values, triwulan, indikator.arah, indikator.metode_capaian),
    )


def sasaran_capaian(rows: list[EntryRow], triwulan: int) -> list[SasaranCapaian]:
    """Each sasaran indicator's capaian for the quarter and to date."""
    return [SasaranCapaian(row, *_scores(row, triwulan)) for row in rows if row.is_sasaran]


def predikat_counts(rows: list[EntryRow], triwulan: int) -> list[tuple[Predikat, int]]:
    """How many sub kegiatan rows fall in each predicate this quarter (no capaian: none)."""
    counts = Counter(
        grade.label
        for row in rows
        if not row.is_sasaran and (grade := predikat(_scores(row, triwulan)[0])) is not None
    )
    return [(grade, counts.get(grade.label, 0)) for grade in PREDIKAT]


@dataclass(frozen=True)
class QuarterProgress:
    triwulan: int
    with_target: int
    reported: int

    @property
    def percent(self) -> int:
        return round(100 * self.reported / self.with_target) if self.with_target else 0


def reporting_by_quarter(rows: list[EntryRow]) -> list[QuarterProgress]:
    """For TW 1–4: rows with a target and how many of them are reported."""
    result = []
    for triwulan in QUARTERS:
        targeted = [row for row in rows if has_target(row, triwulan)]
        reported = sum(is_reported(row, triwulan) for row in targeted)
        result.append(QuarterProgress(triwulan, len(targeted), reported))
    return result


@dataclass(frozen=True)
class Series:
    """Target and realisation to date over TW 1–4 (None where there is none)."""

    label: str
    targets: list[Decimal | None]
    realisasi: list[Decimal | None]


def cumulative_series(row: EntryRow) -> Series:
    indikator = row.indikator
    metode = indikator.metode_capaian
    return Series(
        label=row.indikator.indikator,
        targets=[figure_to_date(indikator.targets(), q, metode) for q in QUARTERS],
        realisasi=[figure_to_date(row.values(), q, metode) for q in QUARTERS],
    )


def agency_series(rows: list[EntryRow], label: str) -> Series:
    """The mean of the percent sasaran indicators' series: the agency's line."""
    series = [
        cumulative_series(row) for row in rows if row.is_sasaran and row.indikator.target_persen
    ]

    def mean(values: list[Decimal | None]) -> Decimal | None:
        present = [value for value in values if value is not None]
        return sum(present, Decimal(0)) / len(present) if present else None

    return Series(
        label=label,
        targets=[mean([s.targets[i] for s in series]) for i in range(len(QUARTERS))],
        realisasi=[mean([s.realisasi[i] for s in series]) for i in range(len(QUARTERS))],
    )


@dataclass(frozen=True)
class Serapan:
    """A bidang (or the agency) to date: its rupiah summed, beside its capaian kinerja."""

    nama: str
    anggaran: Anggaran  # the sum of its sub kegiatan
    realisasi_sd: int | None  # rupiah realised to date
    serapan: Decimal | None  # Σ realised to date ÷ Σ pagu × 100
    # The mean capaian to date of its sub kegiatan that have one: capaian of different
    # indicators cannot be added up, so the mean is the only summary; rupiah can, and are.
    capaian: Decimal | None
    is_instansi: bool = False

    @property
    def efisiensi(self) -> Decimal | None:
        return efisiensi(self.capaian, self.serapan)


def has_pagu(rows: list[EntryRow]) -> bool:
    """Whether any sub kegiatan the user sees has a pagu: only then is there money to show."""
    return any(not row.is_sasaran and row.indikator.pagu is not None for row in rows)


def serapan_per_bidang(rows: list[EntryRow], triwulan: int, instansi: str) -> list[Serapan]:
    """Per bidang in plan order, then the agency (all the rows given): serapan and capaian."""
    by_bidang: dict[str, list[EntryRow]] = {}
    for row in rows:
        if not row.is_sasaran and row.bidang is not None:
            by_bidang.setdefault(row.bidang.nama, []).append(row)

    def summary(nama: str, owned: list[EntryRow], is_instansi: bool = False) -> Serapan:
        total = anggaran_total(Anggaran.of(row.indikator, row.realisasi) for row in owned)
        scores = [score for row in owned if (score := _scores(row, triwulan)[1]) is not None]
        return Serapan(
            nama=nama,
            anggaran=total,
            realisasi_sd=total.realisasi_sd(triwulan),
            serapan=total.serapan_sd(triwulan),
            capaian=sum(scores, Decimal(0)) / len(scores) if scores else None,
            is_instansi=is_instansi,
        )

    result = [summary(nama, owned) for nama, owned in by_bidang.items()]
    everything = [row for owned in by_bidang.values() for row in owned]
    result.append(summary(instansi, everything, is_instansi=True))
    return result


def default_triwulan(tahun: int, today) -> int:
    """The quarter a dashboard opens on: today's in the plan's own year, else TW 4 or TW 1."""
    if today.year == tahun:
        return (today.month - 1) // 3 + 1
    return 4 if today.year > tahun else 1

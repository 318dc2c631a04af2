"""Micro-benchmark for the XLSX export: merging cells one by one versus in bulk, and the whole
``render_xlsx`` on a small and a large hand-made plan table.

Run from the project root: ``.venv/bin/python -m bench.xlsx_merge`` (no database needed).
"""

import statistics
import sys
import time
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.worksheet.cell_range import CellRange, MultiCellRange

from renaksi.exports.xlsx import render_xlsx
from renaksi.layout import Cell, Column, Kind, QuarterValue, Row, Signature, Table


def plan_table(sub_count: int, per_kegiatan: int = 5) -> Table:
    """A Rencana Aksi shaped table: ``sub_count`` rows, a kegiatan every ``per_kegiatan``."""
    columns = [
        Column("no", "NO", width=0.4, center=True),
        Column("sasaran", "URAIAN", group="SASARAN", width=2),
        Column("indikator_sasaran", "INDIKATOR KINERJA", group="SASARAN", width=2),
        Column("target_sasaran", "TARGET", kind=Kind.QUARTERS, width=1.2),
        Column("program", "PROGRAM", width=1.8),
        Column("kegiatan", "KEGIATAN", width=1.8),
        Column("sub", "URAIAN", group="SUB KEGIATAN", width=2),
        Column("indikator_sub", "INDIKATOR KINERJA", group="SUB KEGIATAN", width=2),
        Column("satuan", "SATUAN", group="SUB KEGIATAN", width=0.8, center=True),
        Column("target_sub", "TARGET", kind=Kind.QUARTERS, width=1.2),
        Column("ket", "KET", width=1),
    ]

    def quarters(seed: int) -> tuple[QuarterValue, ...]:
        return tuple(
            QuarterValue(t, Decimal(25 * t) if (seed + t) % 7 else None, True) for t in (1, 2, 3, 4)
        )

    rows = []
    for index in range(sub_count):
        cells = []
        if index % per_kegiatan == 0:
            span = min(per_kegiatan, sub_count - index)
            number = index // per_kegiatan + 1
            cells += [
                Cell("no", str(number), rowspan=span),
                Cell("sasaran", f"Meningkatnya kewaspadaan nasional {number}", rowspan=span),
                Cell(
                    "indikator_sasaran", "Persentase konflik sosial yang tertangani", rowspan=span
                ),
                Cell("target_sasaran", quarters=quarters(number), rowspan=span),
                Cell("program", "Program Peningkatan Kewaspadaan Nasional", rowspan=span),
                Cell("kegiatan", f"Kegiatan pembinaan dan pengembangan {number}", rowspan=span),
            ]
        cells += [
            Cell("sub", f"Sub kegiatan penyelenggaraan forum kewaspadaan dini {index}"),
            Cell("indikator_sub", "Jumlah laporan hasil pelaksanaan forum"),
            Cell("satuan", "Laporan"),
            Cell("target_sub", quarters=quarters(index)),
            Cell("ket", ""),
        ]
        rows.append(Row(cells, key=f"sub-{index}"))
    return Table(
        title_lines=["RENCANA AKSI", "BADAN KESATUAN BANGSA DAN POLITIK", "TAHUN 2025"],
        columns=columns,
        rows=rows,
        signature=Signature(
            "Kota Contoh, 2 Januari 2025",
            "KEPALA BADAN",
            "Budi Santoso, S.Sos",
            "Pembina Utama Muda",
            "19681210 198902 1 002",
        ),
        author="Badan Kesbangpol",
    )


def ranges(count: int) -> list[str]:
    return [f"A{4 * i + 1}:A{4 * i + 4}" for i in range(count)]


def merge_one_by_one(count: int) -> float:
    sheet = Workbook().active
    start = time.perf_counter()
    for coord in ranges(count):
        sheet.merge_cells(coord)
    return time.perf_counter() - start


def merge_in_bulk(count: int) -> float:
    sheet = Workbook().active
    start = time.perf_counter()
    sheet.merged_cells = MultiCellRange(CellRange(coord) for coord in ranges(count))
    return time.perf_counter() - start


def best_of(repeat: int, function, *args) -> tuple[float, float]:
    times = [function(*args) for _ in range(repeat)]
    return min(times), statistics.median(times)


def render_time(table: Table) -> float:
    start = time.perf_counter()
    render_xlsx(table)
    return time.perf_counter() - start


def main() -> None:
    for count in (1_000, 2_000, 5_000, 10_000):
        one, _ = best_of(1, merge_one_by_one, count)
        bulk, _ = best_of(3, merge_in_bulk, count)
        print(f"{count:>6} ranges: merge_cells {one:7.2f} s   bulk {bulk:6.3f} s")
    for size in (27, 2_000):
        table = plan_table(size)
        low, median = best_of(5 if size < 100 else 3, render_time, table)
        print(f"render_xlsx {size:>5} rows: best {low:.3f} s, median {median:.3f} s")


if __name__ == "__main__":
    sys.exit(main())

"""The printed table as plain data: columns, header, rows of cells with row spans, signature.

A selector builds one ``Table`` from the models (see ``selectors.py``); the HTML page, the PDF
and the XLSX are three renderings of it and never walk the models themselves. Keeping this
module free of Django models means every renderer can be tested on a hand-made ``Table``.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext

from renaksi.numbers import format_number


def quarter_name(triwulan: int) -> str:
    """A quarter's short name in the printed table: "TW 2", in English "Q2"."""
    return gettext("TW %(n)s") % {"n": triwulan}


class Kind(StrEnum):
    TEXT = "text"  # free text, wrapped
    QUARTERS = "quarters"  # "TW 1 : 25%" lines; XLSX gives each quarter a sheet row
    NUMBER = "number"  # one figure (a target, a realisation, a capaian)


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    kind: Kind = Kind.TEXT
    group: str = ""  # a header spanning consecutive columns, e.g. "SASARAN"
    width: float = 1.0  # relative width, shared by the print CSS and the XLSX
    center: bool = False
    right: bool = False  # amounts (rupiah) line up on the right


@dataclass(frozen=True)
class HeaderCell:
    text: str
    colspan: int = 1
    rowspan: int = 1


@dataclass(frozen=True)
class QuarterValue:
    triwulan: int
    value: Decimal | None  # None: no target in this quarter, printed "-"
    percent: bool
    # Printed after a figure that is not a percentage where the table has no unit column of
    # its own (the sasaran targets): "TW 1 : 5 Kejadian".
    unit: str = ""

    @property
    def display(self) -> str:
        if self.value is None:
            return "-"
        if self.percent:
            return format_number(self.value) + "%"
        return format_number(self.value) + (f" {self.unit}" if self.unit else "")

    @property
    def label(self) -> str:
        return f"{quarter_name(self.triwulan)} : {self.display}"


@dataclass(frozen=True)
class Cell:
    column: str
    text: str = ""
    quarters: tuple[QuarterValue, ...] = ()
    number: Decimal | None = None
    percent: bool = False
    rowspan: int = 1
    css: str = ""  # a class for the HTML/PDF, e.g. the predicate colour of a capaian
    # Over this many consecutive columns from ``column`` (a summary row's label, a long note).
    colspan: int = 1

    @property
    def display(self) -> str:
        """The cell as one string, for the number kind and for plain-text checks."""
        if self.quarters:
            return "\n".join(q.label for q in self.quarters)
        if self.number is not None:
            return format_number(self.number) + (" %" if self.percent else "")
        return self.text


@dataclass(frozen=True)
class Link:
    """A link shown beside a row on the page only (never printed): its evidence, its entry."""

    text: str
    url: str
    label: str = ""  # the accessible name when ``text`` alone says too little ("Isian")


@dataclass
class Row:
    """One printed row: only the cells that start in it, as in an HTML table."""

    cells: list[Cell]
    key: str = ""  # a stable identity of what the row shows, e.g. "sub-12"
    css: str = ""  # e.g. "baris-sasaran" for the sasaran rows of a report
    # Page-only links under the row's uraian (the report page's evidence and entry links);
    # the PDF and the XLSX never show them.
    links: list[Link] = field(default_factory=list)


@dataclass(frozen=True)
class Signature:
    place_date: str
    jabatan: str
    nama: str
    pangkat: str
    nip: str  # already printed in groups: "19681210 198902 1 002"


@dataclass(frozen=True)
class Verification:
    """Where anyone can check a signed document: its code, the address and a QR code of it."""

    kode: str
    url: str
    qr_svg: str  # an SVG data URI of the QR code of ``url``


@dataclass
class Table:
    title_lines: list[str]
    columns: list[Column]
    rows: list[Row]
    signature: Signature | None
    author: str = ""  # document author (the agency) for PDF and XLSX metadata
    filename_stem: str = "tabel"
    footer_lines: list[str] = field(default_factory=list)
    # What whoever approves should know first (a quarter counted as not yet reported).
    warnings: list[str] = field(default_factory=list)
    verification: Verification | None = None
    # A second table printed after this one (the report's money and notes): its own title,
    # columns and rows; the footer and the signature close the last of them.
    lampiran: "Table | None" = None

    @property
    def parts(self) -> list[tuple["Table", bool]]:
        """The tables to print in order, each with whether the footer and signature follow it."""
        if self.lampiran is None:
            return [(self, True)]
        return [(self, False), (self.lampiran, True)]

    # A form with a header of its own (the Renja evaluation: three rows, a K/Rp pair under
    # each title) gives its rows here and its column-number row in ``numbers``; without them
    # the header comes from the columns' groups and the columns are numbered 1 … n.
    header: list[list[HeaderCell]] | None = None
    numbers: list[HeaderCell] | None = None
    css: str = ""  # a class on the whole document, e.g. a smaller type for a wide form

    @property
    def header_rows(self) -> list[list[HeaderCell]]:
        """Two header rows: grouped columns get a spanning top cell, others span both rows."""
        if self.header is not None:
            return self.header
        top: list[HeaderCell] = []
        bottom: list[HeaderCell] = []
        index = 0
        while index < len(self.columns):
            column = self.columns[index]
            if not column.group:
                top.append(HeaderCell(column.title, rowspan=2))
                index += 1
                continue
            members = [column]
            while (
                index + len(members) < len(self.columns)
                and self.columns[index + len(members)].group == column.group
            ):
                members.append(self.columns[index + len(members)])
            top.append(HeaderCell(column.group, colspan=len(members)))
            bottom.extend(HeaderCell(member.title) for member in members)
            index += len(members)
        return [top, bottom]

    @property
    def column_widths(self) -> list[tuple[Column, float]]:
        """Each column with its share of the page width in percent."""
        total = sum(column.width for column in self.columns)
        return [(column, round(column.width * 100 / total, 2)) for column in self.columns]

    @property
    def column_numbers(self) -> list[int]:
        return list(range(1, len(self.columns) + 1))

    @property
    def number_cells(self) -> list[HeaderCell]:
        """The column-number row under the header: "1", "2", … or the form's own."""
        if self.numbers is not None:
            return self.numbers
        return [HeaderCell(str(n)) for n in self.column_numbers]

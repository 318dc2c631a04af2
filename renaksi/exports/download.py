"""One entry point for every export of a layout table, shared by views and commands."""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from django.http import HttpResponse

from renaksi.exports.pdf import PAPERS, render_pdf
from renaksi.exports.rencana_data import write_data_sheet
from renaksi.exports.xlsx import render_xlsx
from renaksi.layout import Table

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMATS = tuple(CONTENT_TYPES)


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    content_type: str
    filename: str
    cached: bool = False


def pdf_filename(table: Table, paper: str) -> str:
    # A4 keeps the plain name agencies expect; other papers say so in the name.
    stem = table.filename_stem if paper == "a4" else f"{table.filename_stem}-{paper}"
    return f"{stem}.pdf"


def export_table(
    table: Table, *, fmt: str, paper: str = "a4", extra_sheets: Sequence = ()
) -> ExportFile:
    """The file of ``table`` in ``fmt`` ("pdf" or "xlsx"); ``paper`` applies to the PDF only,
    ``extra_sheets`` (see ``render_xlsx``) to the XLSX only."""
    if fmt == "pdf":
        result = render_pdf(table, paper=paper)
        return ExportFile(
            result.content, CONTENT_TYPES["pdf"], pdf_filename(table, paper), result.cached
        )
    if fmt == "xlsx":
        content = render_xlsx(table, extra_sheets)
        return ExportFile(content, CONTENT_TYPES["xlsx"], f"{table.filename_stem}.xlsx")
    raise ValueError(f"unknown export format {fmt!r}")


def export_rencana_aksi(rencana, *, fmt: str, paper: str = "a4") -> ExportFile:
    """The signed plan as PDF or XLSX; the XLSX carries the Data sheet, the import format.

    Both sheets are rendered from reads of the same plan (``documents.rencana_aksi_table`` and
    ``selectors.rencana_data``): seven queries.
    """
    from renaksi import documents, selectors  # documents imports the exports' layout types

    table = documents.rencana_aksi_table(rencana=rencana)
    extra = ()
    if fmt == "xlsx":
        data = selectors.rencana_data(rencana=rencana)
        extra = (
            partial(
                write_data_sheet, data=data, instansi=rencana.instansi.kode, tahun=rencana.tahun
            ),
        )
    return export_table(table, fmt=fmt, paper=paper, extra_sheets=extra)


def attachment(export: ExportFile) -> HttpResponse:
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Content-Length"] = str(len(export.content))
    response["X-Content-Type-Options"] = "nosniff"
    return response


__all__ = [
    "FORMATS",
    "PAPERS",
    "ExportFile",
    "attachment",
    "export_rencana_aksi",
    "export_table",
    "pdf_filename",
]

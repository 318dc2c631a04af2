"""One entry point for every export of a layout table, shared by views and commands."""

from dataclasses import dataclass

from django.http import HttpResponse

from renaksi.exports.pdf import PAPERS, render_pdf
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


def export_table(table: Table, *, fmt: str, paper: str = "a4") -> ExportFile:
    """The file of ``table`` in ``fmt`` ("pdf" or "xlsx"); ``paper`` applies to the PDF only."""
    if fmt == "pdf":
        result = render_pdf(table, paper=paper)
        # A4 keeps the plain name agencies expect; other papers say so in the name.
        stem = table.filename_stem if paper == "a4" else f"{table.filename_stem}-{paper}"
        return ExportFile(result.content, CONTENT_TYPES["pdf"], f"{stem}.pdf", result.cached)
    if fmt == "xlsx":
        return ExportFile(render_xlsx(table), CONTENT_TYPES["xlsx"], f"{table.filename_stem}.xlsx")
    raise ValueError(f"unknown export format {fmt!r}")


def attachment(export: ExportFile) -> HttpResponse:
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Content-Length"] = str(len(export.content))
    response["X-Content-Type-Options"] = "nosniff"
    return response


__all__ = ["FORMATS", "PAPERS", "ExportFile", "attachment", "export_table"]

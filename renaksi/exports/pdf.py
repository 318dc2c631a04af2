"""PDF of a layout table, rendered by WeasyPrint from the page's own document template.

The PDF is cached in the "exports" storage (``STORAGES``; the local ``var/exports/`` by
default, shared storage with several servers) under a SHA-256 of everything it is made of: the
layout table (every text, target and the signatory), the paper, the templates and
stylesheets, and the WeasyPrint version. Any change to the plan gives a new name and the next
request renders anew, while an unchanged plan is served from the stored file without even
rendering its HTML. Who renders a name not yet stored is decided by a database row
(``services.render``), so two servers never render the same document twice.

A table of more than ``settings.PDF_CHUNK_ROWS`` rows is cut between kegiatan into chunks that
render in parallel in child processes (``exports.weasy``), each with the repeated header; the
chunks are merged with pypdf and "Halaman X dari Y" is stamped over the whole. Memory per
process stays bounded by the chunk, not the plan.
"""

import hashlib
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace
from io import BytesIO
from multiprocessing import get_context
from pathlib import Path

import weasyprint
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.template.loader import render_to_string
from django.utils.translation import get_language

from renaksi.exports import weasy
from renaksi.layout import Row, Table

STATIC_DIR = Path(settings.BASE_DIR) / "static"
TEMPLATE_DIR = Path(settings.BASE_DIR) / "templates" / "renaksi"
BASE_URL = f"{STATIC_DIR}/"
# The files a PDF is made of besides its table: a change to any of them invalidates the cache.
SOURCE_FILES = (
    TEMPLATE_DIR / "cetak.html",
    TEMPLATE_DIR / "_dokumen.html",
    TEMPLATE_DIR / "cetak_halaman.html",
    STATIC_DIR / "css" / "dokumen.css",
    STATIC_DIR / "css" / "fonts.css",
    Path(__file__),
)


@dataclass(frozen=True)
class Paper:
    code: str
    label: str
    width: str
    height: str


# Landscape sizes. F4 (215 × 330 mm) is what many Indonesian offices print on.
PAPERS = {
    "a4": Paper("a4", "A4", "297mm", "210mm"),
    "f4": Paper("f4", "F4", "330mm", "215mm"),
}

# WeasyPrint's font handling is not meant to be shared between threads; one render at a time
# per process also keeps a 2-core server responsive when several people print at once.
_render_lock = threading.Lock()


@dataclass(frozen=True)
class PdfResult:
    content: bytes
    cached: bool


@dataclass(frozen=True)
class Part:
    """Which pieces of the document a chunk prints: the title on the first, the notes and
    signature on the last; the page numbers are stamped after the merge (``numbered`` off)."""

    first: bool = True
    last: bool = True
    numbered: bool = True


# Progress of a rendering: rows rendered so far, pages so far.
Progress = Callable[[int, int], None]


def table_html(table: Table, *, paper: Paper, part: Part | None = None) -> str:
    return render_to_string(
        "renaksi/cetak.html", {"table": table, "paper": paper, "part": part or Part()}
    )


def _weasyprint(html: str) -> weasy.Rendered:
    return weasy.render(html, BASE_URL)


def exports_storage():
    return storages["exports"]


# --- Names in the cache --------------------------------------------------------------------


def cache_scope(table: Table, paper: Paper) -> str:
    """``<stem>-<paper>-<scope>``: what tells apart renderings that are all current at once,
    each language and each viewer's rows (a staff member's report holds only the bidang's)."""
    language = get_language()
    scope = hashlib.sha256(
        "\n".join([language, *(row.key for row in table.rows)]).encode()
    ).hexdigest()[:12]
    return f"{table.filename_stem}-{paper.code}-{scope}"


def cache_name(table: Table, paper: Paper) -> str:
    """``<scope>-<content>.pdf``: the content hash changes with anything printed, the
    templates, the CSS, this module and WeasyPrint."""
    # The footer's words come from the template in the active language.
    key = f"{weasyprint.__version__}\n{get_language()}\n{paper}\n{table!r}"
    digest = hashlib.sha256(key.encode())
    for source in SOURCE_FILES:
        digest.update(source.read_bytes())
    return f"{cache_scope(table, paper)}-{digest.hexdigest()[:40]}.pdf"


def cached(name: str) -> bytes | None:
    storage = exports_storage()
    try:
        with storage.open(name, "rb") as handle:
            return handle.read()
    except (FileNotFoundError, OSError):
        return None


def store(name: str, content: bytes) -> None:
    """Keep ``content`` as ``name`` in the exports storage.

    Only the holder of the render row of ``name`` stores it (``services.render``, which also
    removes the older renderings of the same scope), so the name is never written twice at once.
    """
    storage = exports_storage()
    if storage.exists(name):
        storage.delete(name)
    saved = storage.save(name, ContentFile(content))
    if saved != name:  # a storage that renamed it on a clash: ours must have the expected name
        storage.delete(saved)
        raise RuntimeError(f"the exports storage stored {name!r} as {saved!r}")


# --- Rendering -----------------------------------------------------------------------------


def table_blocks(rows: list[Row]) -> list[list[Row]]:
    """The rows in blocks that must stay together: a NO block (rows under one row span) and,
    in a report, the sasaran row with the kegiatan block that follows it."""
    blocks: list[list[Row]] = []
    open_until = 0
    glue = False  # the previous block was a lone sasaran row: the next block joins it
    for index, row in enumerate(rows):
        if index >= open_until and not glue:
            blocks.append([])
        elif index >= open_until:
            glue = False
        blocks[-1].append(row)
        span = max((cell.rowspan for cell in row.cells), default=1)
        open_until = max(open_until, index + span)
        if index + 1 >= open_until and row.css == "baris-sasaran" and span == 1:
            glue = True
    return blocks


def table_chunks(table: Table, size: int) -> list[Table]:
    """``table`` cut between blocks into tables of about ``size`` rows (at least one block)."""
    chunks: list[list[Row]] = [[]]
    for block in table_blocks(table.rows):
        if chunks[-1] and len(chunks[-1]) + len(block) > size:
            chunks.append([])
        chunks[-1].extend(block)
    return [replace(table, rows=rows) for rows in chunks]


def render_table(table: Table, *, paper: Paper, progress: Progress | None = None) -> bytes:
    """The PDF of ``table``: one WeasyPrint render up to ``PDF_CHUNK_ROWS`` rows, else chunks
    rendered in parallel processes, merged and numbered."""
    chunks = table_chunks(table, settings.PDF_CHUNK_ROWS)
    if len(chunks) == 1:
        html = table_html(table, paper=paper)
        with _render_lock:
            rendered = _weasyprint(html)
        if progress:
            progress(len(table.rows), rendered.pages)
        return rendered.content
    return render_chunked(chunks, paper=paper, progress=progress).content


@dataclass(frozen=True)
class ChunkedPdf:
    content: bytes
    pages: int
    chunk_peaks_mb: list[float]  # the peak memory of each process that rendered chunks


def render_chunked(
    chunks: list[Table], *, paper: Paper, progress: Progress | None = None, processes: int = 0
) -> ChunkedPdf:
    """Render ``chunks`` (from ``table_chunks``) in a pool of processes; merge and number."""
    last = len(chunks) - 1
    htmls = [
        table_html(
            chunk, paper=paper, part=Part(first=index == 0, last=index == last, numbered=False)
        )
        for index, chunk in enumerate(chunks)
    ]
    results: list[weasy.Rendered | None] = [None] * len(chunks)
    workers = min(processes or settings.PDF_PROCESSES, len(chunks))
    rows_done = pages_done = 0
    # spawn, not fork: a worker holds database connections and threads a fork would copy.
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
        futures = {
            pool.submit(weasy.render, html, BASE_URL): index for index, html in enumerate(htmls)
        }
        del htmls
        for future in as_completed(futures):
            index = futures[future]
            results[index] = future.result()
            rows_done += len(chunks[index].rows)
            pages_done += results[index].pages
            if progress:
                progress(rows_done, pages_done)
    rendered = [result for result in results if result is not None]
    content = merge_numbered(rendered, paper=paper)
    return ChunkedPdf(content, pages_done, [result.peak_rss_mb for result in rendered])


def page_numbers_pdf(pages: int, *, paper: Paper) -> bytes:
    """``pages`` empty pages carrying only the footer "Halaman X dari Y" as the single render
    prints it (same @page box, font and size), to lay over the merged chunks."""
    html = render_to_string("renaksi/cetak_halaman.html", {"paper": paper, "pages": range(pages)})
    return weasy.render(html, BASE_URL).content


def merge_numbered(rendered: list[weasy.Rendered], *, paper: Paper) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    readers = [PdfReader(BytesIO(result.content)) for result in rendered]
    for reader in readers:
        for page in reader.pages:
            writer.add_page(page)
    total = len(writer.pages)
    numbers = PdfReader(BytesIO(page_numbers_pdf(total, paper=paper)))
    for page, number in zip(writer.pages, numbers.pages, strict=True):
        page.merge_page(number, over=True)
    metadata = readers[0].metadata or {}
    writer.add_metadata({key: value for key, value in metadata.items() if isinstance(key, str)})
    output = BytesIO()
    writer.write(output)
    return output.getvalue()


def render_pdf(table: Table, *, paper: str = "a4") -> PdfResult:
    """The PDF of ``table`` on ``paper`` ("a4" or "f4", landscape), from cache when unchanged.

    Renders now, in this process, when no one else is rendering it (commands, small documents
    in a request); the database row of ``services.render`` makes every other caller wait for
    that one rendering.
    """
    from renaksi.services import render as render_service

    return render_service.pdf_render_now(table, paper=PAPERS[paper])


def render_pdf_fresh(table: Table, *, paper: str = "a4") -> bytes:
    """The PDF of ``table`` rendered now, never from or into the cache: a signed document is
    rendered once and stored by the caller (``services.dokumen``)."""
    return render_table(table, paper=PAPERS[paper])

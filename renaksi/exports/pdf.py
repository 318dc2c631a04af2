"""PDF of a layout table, rendered by WeasyPrint from the page's own document template.

The PDF is cached on disk under ``settings.EXPORT_CACHE_DIR`` by a SHA-256 of everything it is
made of: the layout table (every text, target and the signatory), the paper, the templates and
stylesheets, and the WeasyPrint version. Any change to the plan gives a new digest and the next
request renders anew, while an unchanged plan is served from the stored file without even
rendering its HTML.
"""

import hashlib
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import weasyprint
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import get_language

from renaksi.layout import Table

STATIC_DIR = Path(settings.BASE_DIR) / "static"
TEMPLATE_DIR = Path(settings.BASE_DIR) / "templates" / "renaksi"
# The files a PDF is made of besides its table: a change to any of them invalidates the cache.
SOURCE_FILES = (
    TEMPLATE_DIR / "cetak.html",
    TEMPLATE_DIR / "_dokumen.html",
    STATIC_DIR / "css" / "dokumen.css",
    STATIC_DIR / "css" / "fonts.css",
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
# also keeps a 2-core server responsive when several people print at once.
_render_lock = threading.Lock()


@dataclass(frozen=True)
class PdfResult:
    content: bytes
    cached: bool


def table_html(table: Table, *, paper: Paper) -> str:
    return render_to_string("renaksi/cetak.html", {"table": table, "paper": paper})


def _weasyprint(html: str) -> bytes:
    return weasyprint.HTML(string=html, base_url=f"{STATIC_DIR}/").write_pdf()


def _cache_path(table: Table, paper: Paper) -> Path:
    """``<stem>-<paper>-<scope>-<content>.pdf``.

    The scope tells apart renderings that are all current at once: each language, and each
    viewer's rows (a staff member's report holds only the bidang's rows). The content hash
    changes with anything printed, the templates, the CSS and WeasyPrint.
    """
    language = get_language()
    scope = hashlib.sha256(
        "\n".join([language, *(row.key for row in table.rows)]).encode()
    ).hexdigest()[:12]
    # The footer's words come from the template in the active language.
    key = f"{weasyprint.__version__}\n{language}\n{paper}\n{table!r}"
    digest = hashlib.sha256(key.encode())
    for source in SOURCE_FILES:
        digest.update(source.read_bytes())
    name = f"{table.filename_stem}-{paper.code}-{scope}-{digest.hexdigest()[:40]}.pdf"
    return Path(settings.EXPORT_CACHE_DIR) / name


def _cached(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _store(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Older renderings of the same document for the same scope are stale once a new one exists.
    for old in path.parent.glob(f"{path.name.rsplit('-', 1)[0]}-*.pdf"):
        if old != path:
            old.unlink(missing_ok=True)
    # Write then rename, so a reader never sees half a file.
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as handle:
        handle.write(content)
    os.replace(tmp, path)


def render_pdf(table: Table, *, paper: str = "a4") -> PdfResult:
    """The PDF of ``table`` on ``paper`` ("a4" or "f4", landscape), from cache when unchanged."""
    chosen = PAPERS[paper]
    path = _cache_path(table, chosen)
    content = _cached(path)
    if content is not None:
        return PdfResult(content, cached=True)
    html = table_html(table, paper=chosen)
    with _render_lock:
        # Whoever held the lock may have been rendering this very document.
        content = _cached(path)
        if content is not None:
            return PdfResult(content, cached=True)
        content = _weasyprint(html)
        _store(path, content)
    return PdfResult(content, cached=False)


def render_pdf_fresh(table: Table, *, paper: str = "a4") -> bytes:
    """The PDF of ``table`` rendered now, never from or into the cache: a signed document is
    rendered once and stored by the caller (``services.dokumen``)."""
    html = table_html(table, paper=PAPERS[paper])
    with _render_lock:
        return _weasyprint(html)

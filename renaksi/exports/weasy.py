"""WeasyPrint in a rendering process: HTML in, PDF bytes out, without Django.

The chunks of a large table (see ``exports.pdf``) are rendered here in child processes of a
pool; keeping this module free of Django means a child imports WeasyPrint and nothing else,
and reports its own peak memory so the benchmark can show every rendering process's.
"""

import resource
import sys
from dataclasses import dataclass
from io import BytesIO


@dataclass(frozen=True)
class Rendered:
    content: bytes
    pages: int
    peak_rss_mb: float  # the peak resident memory of the process that rendered, so far


def peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports kilobytes, macOS bytes.
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def render(html: str, base_url: str) -> Rendered:
    import weasyprint

    document = weasyprint.HTML(string=html, base_url=base_url).render()
    pages = len(document.pages)
    output = BytesIO()
    document.write_pdf(output)
    return Rendered(output.getvalue(), pages, peak_rss_mb())

"""Pages of a table made of blocks that must stay together (a kegiatan and its sub kegiatan).

Pure: sizes in, pages out; no ORM. The entry page uses it so that a kegiatan's sub kegiatan
are never split across two pages.
"""

from collections.abc import Sequence

ROWS_PER_PAGE = 80  # about 200 KB of entry page (2.5 KB a row with its inputs)


def pages_of_blocks(sizes: Sequence[int], *, per_page: int = ROWS_PER_PAGE) -> list[range]:
    """Consecutive blocks grouped into pages of at most ``per_page`` rows, as index ranges.

    A block is never split: one larger than ``per_page`` gets a page of its own. No blocks
    give one empty page, so there is always a page 1 to show.
    """
    pages: list[range] = []
    start, rows = 0, 0
    for index, size in enumerate(sizes):
        if index > start and rows + size > per_page:
            pages.append(range(start, index))
            start, rows = index, 0
        rows += size
    pages.append(range(start, len(sizes)))
    return pages


def page_number(raw: str | None, count: int) -> tuple[int, bool]:
    """The page to show for a requested number, and whether the request was not that page.

    Missing gives page 1 (not a fault); junk gives page 1 and a number past the end the last
    page, both flagged so the page can say so.
    """
    if raw is None or raw == "":
        return 1, False
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9:
        return 1, True
    number = int(raw)
    if number < 1:
        return 1, True
    if number > count:
        return count, True
    return number, False


def page_window(number: int, count: int, *, around: int = 2) -> list[int | None]:
    """The page numbers a pager shows: the first, the last and those near ``number``.

    ``None`` stands for a gap ("…").
    """
    shown = sorted({1, count, *range(max(1, number - around), min(count, number + around) + 1)})
    window: list[int | None] = []
    previous = 0
    for page in shown:
        if page - previous > 1:
            window.append(None)
        window.append(page)
        previous = page
    return window

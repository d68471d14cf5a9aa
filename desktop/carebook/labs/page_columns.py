"""Pages printed in two columns: a table that runs down the left half and on in the right.

Layout text puts both halves on the same lines, so a left-hand name would be paired with a
right-hand value. When a vertical gutter of blank space runs down the page and each side
has its own table header with a result column, the page is read as two streams, left first.
Side-by-side tables that print one header across the whole line are read the same way.
"""

from __future__ import annotations

from carebook.labs.columns import header_kind, read_header, split_cells

MIN_GUTTER = 3  # blank character columns between the halves
SHARE_CROSSING = 0.8  # of the lines reaching the gutter, blank there (titles may cross)


def split_page_columns(page: str) -> list[str]:
    """The page as one stream, or as its left and right halves when it has two columns."""
    lines = page.splitlines()
    width = max((len(line) for line in lines), default=0)
    if width < 60:
        return [page]
    for gutter in _gutters(lines, width):
        left = [line[:gutter].rstrip() for line in lines]
        right = [line[gutter:] for line in lines]
        if _has_result_header(left) and _has_result_header(right):
            return ["\n".join(left), "\n".join(right)]
    return [page]


def _gutters(lines: list[str], width: int) -> list[int]:
    # Middles of blank vertical bands in the middle of the page, widest first.
    blank = []
    for x in range(int(width * 0.3), int(width * 0.7)):
        reaching = [line for line in lines if len(line.rstrip()) > x + 1]
        if len(reaching) < 6:
            blank.append(False)
            continue
        clear = sum(1 for line in reaching if not line[x - 1:x + 2].strip())
        blank.append(clear >= SHARE_CROSSING * len(reaching))
    bands, start = [], None
    for offset, is_blank in enumerate([*blank, False]):
        if is_blank and start is None:
            start = offset
        elif not is_blank and start is not None:
            if offset - start >= MIN_GUTTER:
                bands.append((offset - start, int(width * 0.3) + (start + offset) // 2))
            start = None
    return [middle for _size, middle in sorted(bands, reverse=True)]


def _has_result_header(lines: list[str]) -> bool:
    # A table of its own: a header naming both the test column and the result column.
    for line in lines:
        cells = split_cells(line)
        if read_header(cells):
            kinds = {header_kind(cell.text) for cell in cells}
            if {"name", "result"} <= kinds:
                return True
    return False

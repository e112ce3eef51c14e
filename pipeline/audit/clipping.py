"""No text cut off: every word of a PDF inside the page's printable area, and none across a box's border.

A layout can push a word past the paper's edge (an unbreakable address), into the strip office printers leave
blank, or through the border of a box (the clinic's contact box): the PDF is still valid and tagged, and every
other check passes, but the patient reads half an e-mail address. Word boxes come from poppler's
``pdftotext -bbox`` (each word from its font's ascent to its descent); borders are the even-odd filled rings
WeasyPrint paints a box's border with (:class:`pipeline.audit.content.Fill`, an outer rectangle with an inner
one cut out), whose sides a word may touch but not straddle.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.audit.content import Fill, PageContent

PRINTABLE_MARGIN_PT = 0.3 * 72
"""Office printers print reliably from 0.3 in (7.6 mm) from the paper's edge; nearer, text may be cut off."""
TOLERANCE_PT = 0.5
"""Rounding of positions: a word this little past an edge or a border is not counted."""
MM = 72 / 25.4
"""PostScript points in a millimetre."""


@dataclass(slots=True, frozen=True)
class Word:
    """A word as pdftotext places it, in PDF page space (points, origin at the bottom left)."""

    page: int
    """Page number, from 1."""
    text: str
    """The word."""
    x0: float
    """Left edge."""
    y0: float
    """Bottom (the font's descent)."""
    x1: float
    """Right edge."""
    y1: float
    """Top (the font's ascent)."""


def pdf_words(path: Path) -> tuple[list[Word], list[tuple[float, float]]]:
    """Every word of the PDF at ``path`` with its box, and each page's (width, height); RuntimeError without
    poppler's pdftotext."""
    if shutil.which("pdftotext") is None:
        raise RuntimeError("pdftotext (poppler-utils) is not installed")
    out = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    words: list[Word] = []
    sizes: list[tuple[float, float]] = []
    pages = re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.S)
    for number, (width, height, body) in enumerate(pages, 1):
        top = float(height)
        sizes.append((float(width), top))
        for x0, y0, x1, y1, text in re.findall(
            r'xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">([^<]*)<', body
        ):
            words.append(Word(number, html.unescape(text), float(x0), top - float(y1), float(x1), top - float(y0)))
    return words, sizes


Side = tuple[float, float, float, float]
"""One side of a box's border: (x0, y0, x1, y1) in page space."""


def border_sides(fill: Fill) -> list[Side]:
    """The sides of a border painted as ``fill``: an even-odd ring of two rectangles, one inside the other."""
    if not fill.even_odd or len(fill.rectangles) != 2:
        return []
    (a0, b0, a1, b1, _), (c0, d0, c1, d1, _) = fill.rectangles
    first = (min(a0, a1), min(b0, b1), max(a0, a1), max(b0, b1))
    second = (min(c0, c1), min(d0, d1), max(c0, c1), max(d0, d1))
    area = (first[2] - first[0]) * (first[3] - first[1]), (second[2] - second[0]) * (second[3] - second[1])
    outer, inner = (first, second) if area[0] >= area[1] else (second, first)
    if not (outer[0] <= inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2] and inner[3] <= outer[3]):
        return []
    x0, y0, x1, y1 = outer
    i0, j0, i1, j1 = inner
    sides = [(x0, y0, i0, y1), (i1, y0, x1, y1), (x0, y0, x1, j0), (x0, j1, x1, y1)]
    return [side for side in sides if side[2] - side[0] > 0.05 and side[3] - side[1] > 0.05]


def _crosses(word: Word, side: Side) -> bool:
    """Whether ``word`` straddles ``side``: glyphs on both sides of a vertical side at the word's height, or a
    horizontal side through the middle half of the word (an underline below the baseline is not a border)."""
    x0, y0, x1, y1 = side
    if x1 - x0 <= y1 - y0:  # vertical
        height = word.y1 - word.y0
        overlap = min(word.y1, y1) - max(word.y0, y0)
        return word.x0 < x0 - TOLERANCE_PT and word.x1 > x1 + TOLERANCE_PT and overlap > height / 2
    quarter = (word.y1 - word.y0) / 4
    overlap = min(word.x1, x1) - max(word.x0, x0)
    return overlap > TOLERANCE_PT and word.y0 + quarter < y0 and y1 < word.y1 - quarter


def _edge(word: Word, width: float, height: float) -> tuple[str, float] | None:
    """The edge ``word`` comes nearest to inside the unprintable strip, and its distance from the edge."""
    gaps = {"left": word.x0, "right": width - word.x1, "bottom": word.y0, "top": height - word.y1}
    edge, gap = min(gaps.items(), key=lambda item: item[1])
    return (edge, gap) if gap < PRINTABLE_MARGIN_PT - TOLERANCE_PT else None


def clipped_text(path: Path, pages: Sequence[PageContent]) -> Iterator[tuple[int, str]]:
    """(page, what) for every word of the PDF at ``path`` (whose ``pages`` were read by
    :func:`pipeline.audit.content.read_pages`) outside the page's printable area or across a box's border."""
    words, sizes = pdf_words(path)
    sides = {page.number: [side for fill in page.fills for side in border_sides(fill)] for page in pages}
    for word in words:
        # A mark pdftotext takes for a word of its own (an Arabic fatha drawn with no advance) gets the box of a
        # whole line's ascent raised by its offset, far above its ink, which lies within its letter's word.
        if not word.text.strip() or all(unicodedata.category(char).startswith("M") for char in word.text.strip()):
            continue
        width, height = sizes[word.page - 1]
        edge = _edge(word, width, height)
        if edge is not None:
            name, gap = edge
            where = (
                f"{-gap / MM:.1f} mm past the {name} edge of the paper"
                if gap < 0
                else f"{gap / MM:.1f} mm from the {name} edge, where printers may cut it off"
            )
            yield word.page, f"\u201c{word.text}\u201d is {where}"
            continue
        for side in sides.get(word.page, []):
            if _crosses(word, side):
                yield word.page, f"\u201c{word.text}\u201d crosses the border of a box"
                break

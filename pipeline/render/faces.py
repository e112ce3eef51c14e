"""Faces used for a few characters only (CSS ``unicode-range``): plain-zero digits and the continuation arrow.

Atkinson Hyperlegible's zero is slashed, and many older patients read it as Ø ("6Ø8"); its GSUB has no feature
for a plain one (aalt case ccmp frac locl ordn pnum sups tnum; ``zero.tf`` is slashed too). So every digit of a
product set in Atkinson comes from Noto Sans, whose zero is plain, through a face declared for U+0030-0039 only:
"CD40", times, addresses and dates as well as telephone numbers. A web or e-mail address broken across lines
ends the line with an arrow (base.css ``hyphenate-character``), which only Noto Sans Symbols among our fonts has.
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.render.fonts import ATKINSON, Font, FontCatalog, FontSpec

CONTINUATION_MARK = "\u2192"
"""Printed at the end of a line where a web or e-mail address continues on the next (RIGHTWARDS ARROW): not a
character of any address, so nobody types it."""

PLAIN_ZERO = FontSpec(
    "Plainleaf Digits", "NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "the Debian package fonts-noto-core",
    unicode_range=((0x30, 0x39),),
)  # fmt: skip
"""Noto Sans for the digits 0-9 only, ahead of Atkinson Hyperlegible."""

MARKS = FontSpec(
    "Plainleaf Marks", "NotoSansSymbols-Regular.ttf", "NotoSansSymbols-Bold.ttf", "the Debian package fonts-noto-core",
    unicode_range=((ord(CONTINUATION_MARK), ord(CONTINUATION_MARK)),),
)  # fmt: skip
"""Noto Sans Symbols for the continuation arrow only."""


def with_partial_faces(catalog: FontCatalog, fonts: Sequence[Font]) -> list[Font]:
    """The font stack ``fonts`` with, when it starts with Atkinson Hyperlegible, the plain-zero digits' face before
    it, and the continuation arrow's face last: no other face has the arrow, and a face's place in the stack
    decides the line's metrics only when it comes first."""
    first = [catalog.font(PLAIN_ZERO)] if fonts and fonts[0].family == ATKINSON.family else []
    return [*first, *fonts, catalog.font(MARKS)]

"""The text a product's HTML shows, whole and block by block, to compare with what its PDF draws and tags."""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser

BLOCK_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "td", "th", "caption", "dt", "dd"})
"""HTML elements whose own text is one unit of reading order (as WeasyPrint tags them: H1..H6, P, LI, TD ...)."""
HIDDEN_TAGS = frozenset({"head", "style", "script", "template", "title", "noscript"})
"""Elements whose text is never drawn (an SVG ``<title>`` is alternative text, not print)."""
VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)


CONTINUATION_MARK = "\u2192"
"""The arrow the layout prints where a web or e-mail address breaks at a soft hyphen (base.css
``hyphenate-character``): in the PDF's text, never in the HTML's."""


def comparable(text: str) -> str:
    """``text`` as the audit compares it: NFKC (Arabic presentation forms become letters), without whitespace,
    format characters (soft hyphen, zero-width and bidi controls), private-use characters or the continuation
    arrow of a broken address."""
    normal = unicodedata.normalize("NFKC", text)
    return "".join(
        char
        for char in normal
        if not char.isspace()
        and unicodedata.category(char) not in ("Cf", "Co", "Cc", "Zs")
        and char != CONTINUATION_MARK
    )


def signature(text: str) -> str:
    """The characters of ``text`` sorted: equal for the same text in logical or visual (right-to-left) order."""
    return "".join(sorted(comparable(text)))


@dataclass(slots=True)
class HtmlBlock:
    """One heading, paragraph, list item or cell of the HTML, with only its own text (not nested blocks')."""

    tag: str
    """``h2``, ``p``, ``li`` ..."""
    text: str
    """Its own text."""


@dataclass(slots=True)
class HtmlText:
    """What a page shows: all of its text, and its blocks in document order."""

    text: str
    """All visible text."""
    blocks: list[HtmlBlock] = field(default_factory=list)
    """Blocks with text, in document order."""

    def characters(self) -> Counter[str]:
        """How often each comparable character occurs."""
        return Counter(comparable(self.text))


@dataclass(slots=True)
class _Open:
    tag: str
    block: HtmlBlock | None
    hidden: bool


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.open: list[_Open] = []
        self.blocks: list[HtmlBlock] = []

    @property
    def hidden(self) -> bool:
        return bool(self.open) and self.open[-1].hidden

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID_TAGS:
            return
        hidden = self.hidden or tag in HIDDEN_TAGS or any(name == "hidden" for name, _ in attrs)
        block = None
        if tag in BLOCK_TAGS and not hidden:
            block = HtmlBlock(tag, "")
            self.blocks.append(block)
        self.open.append(_Open(tag, block, hidden))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pass

    def handle_endtag(self, tag: str) -> None:
        # Close up to the matching tag (HTML lets some end tags be omitted); ignore a stray one.
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index].tag == tag:
                del self.open[index:]
                return

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        self.parts.append(data)
        for element in reversed(self.open):
            if element.block is not None:
                element.block.text += data
                break


def read_html(html: str) -> HtmlText:
    """The visible text and text blocks of an HTML page."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    blocks = [block for block in collector.blocks if comparable(block.text)]
    return HtmlText("".join(collector.parts), blocks)

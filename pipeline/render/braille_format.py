"""Braille pages after BANA's *Braille Formats* (2016): the rules read from ``data/braille.toml``, the front matter
(title page, transcriber's note, contents with print and braille page numbers), and the page layout (print page
number at the top right, braille page number at the bottom right, print page change indicators, headings kept
with two lines of their text).

Pure: cells in, pages of cells out; the translation to cells is :mod:`pipeline.render.braille`'s (liblouis).
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data" / "braille.toml"
"""The braille formats as data: geometry, indicators, layout, codes and wording per language, with sources."""
BLANK = "\u2800"
"""The blank braille cell."""
NUMBER_SIGN = "\u283c"
"""Numeric indicator (dots 3-4-5-6), followed by the digits' letters a to j: page numbers in every code used."""
DIGITS = "\u281a\u2801\u2803\u2809\u2819\u2811\u280b\u281b\u2813\u280a"
"""Braille digits 0 to 9 after the numeric indicator (the cells of j, a, b ... i)."""
LETTERS = (
    "\u2801\u2803\u2809\u2819\u2811\u280b\u281b\u2813\u280a\u281a\u2805\u2807\u280d"
    "\u281d\u2815\u280f\u281f\u2817\u280e\u281e\u2825\u2827\u283a\u282d\u283d\u2835"
)
"""The Latin letters a to z in braille (the same cells in every code used), for page-number prefixes."""
HYPHEN = "\u2824"
"""Dots 3-6: the hyphen that marks a word divided at the end of a line."""


@dataclass(slots=True, frozen=True)
class LanguageCode:
    """The braille code of one language: its liblouis table and grade (from the language's file in
    :mod:`pipeline.languages`) and what ``data/braille.toml`` says of it."""

    code: str = ""
    """The code's name in the language, for the title page (the table's name when empty)."""
    why: str = ""
    """Why this code and grade (the README repeats it)."""
    foreign: dict[str, str] = field(default_factory=dict)
    """For Latin words inside a text in another script: ``table`` (liblouis), ``open`` and ``close`` code-switch
    cells (empty: none)."""
    segment_words: bool = False
    """Whether words must be cut apart before translation (Chinese, written without spaces)."""
    table: str = ""
    """The liblouis table list (the language file's ``braille_table``)."""
    grade: int = 0
    """Its grade (the language file's ``braille_grade``)."""


@dataclass(slots=True, frozen=True)
class Formats:
    """The braille formatting rules of :data:`DATA`."""

    cells: int
    """Cells a line."""
    lines: int
    """Lines a page."""
    number_gap: int
    """Blank cells at least before a page number on its line."""
    front_matter_prefix: str
    """Letter before the numbers of transcriber-generated pages (``t``)."""
    continuation_letters: str
    """Letters before a print page number continued on further braille pages."""
    print_page_change: str
    """The cell repeated along a print page change indicator line."""
    guide_dot: str
    """The cell of the guide dots in the contents."""
    identifier_table: str
    """liblouis table the edition's identifier is written with (a code of Latin letters and digits)."""
    centred_margin: int
    """Blank cells at least each side of a centred heading."""
    heading_level_centred: int
    """Deepest heading level that is centred."""
    heading_indent: dict[int, int]
    """Indent (cells) of the headings that are not centred, per level."""
    heading_keep_lines: int
    """Lines of its text a heading keeps on its page."""
    paragraph: tuple[int, int]
    """Indent of a paragraph's first line and of its runovers."""
    item: tuple[int, int]
    """Indent of a list item's first line and runovers (two more a nesting level)."""
    note: tuple[int, int]
    """Indent of a notice's first line and runovers."""
    contents_runover: int
    """Indent of a contents entry's runover lines."""
    contents_number_width: int
    """Cells kept at the right of a contents entry for its page numbers."""
    languages: dict[str, LanguageCode]
    """What the braille formats say of each language's code, per language tag (table and grade are the language
    files')."""
    wording: dict[str, dict[str, str]]
    """Front matter words per language or locale code."""

    def language(self, keys: list[str]) -> LanguageCode | None:
        """The code of the first of ``keys`` (locale code, language_script, language) that has one."""
        return next((self.languages[key] for key in keys if key in self.languages), None)

    def words(self, keys: list[str]) -> dict[str, str]:
        """The front matter words of the first of ``keys`` that has them, English for the rest."""
        found = next((self.wording[key] for key in keys if key in self.wording), {})
        return {**self.wording["en"], **found}


@functools.cache
def formats(path: Path = DATA) -> Formats:
    """The rules of ``path`` (read once a process)."""
    data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    page, numbers, indicators, layout = data["page"], data["numbers"], data["indicators"], data["layout"]
    languages = {
        key: LanguageCode(
            str(value["code"]),
            str(value["why"]),
            {k: str(v) for k, v in value.get("foreign", {}).items()},
            bool(value.get("segment_words", False)),
        )
        for key, value in data["languages"].items()
    }
    return Formats(
        cells=int(page["cells"]),
        lines=int(page["lines"]),
        number_gap=int(page["number_gap"]),
        front_matter_prefix=str(numbers["front_matter_prefix"]),
        continuation_letters=str(numbers["continuation_letters"]),
        print_page_change=str(indicators["print_page_change"]),
        guide_dot=str(indicators["guide_dot"]),
        identifier_table=str(data["identifiers"]["table"]),
        centred_margin=int(layout["centred_margin"]),
        heading_level_centred=int(layout["heading_level_centred"]),
        heading_indent={int(k): int(v) for k, v in layout["heading_indent"].items()},
        heading_keep_lines=int(layout["heading_keep_lines"]),
        paragraph=(int(layout["paragraph"][0]), int(layout["paragraph"][1])),
        item=(int(layout["item"][0]), int(layout["item"][1])),
        note=(int(layout["note"][0]), int(layout["note"][1])),
        contents_runover=int(layout["contents_runover"]),
        contents_number_width=int(layout["contents_number_width"]),
        languages=languages,
        wording={key: {k: str(v) for k, v in value.items()} for key, value in data["wording"].items()},
    )


def number_cells(number: int, prefix: str = "") -> str:
    """A page number in braille: an optional letter (``t`` of a transcriber-generated page, ``a`` of a continued
    print page), the numeric indicator and the digits."""
    letters = "".join(LETTERS[ord(char) - ord("a")] for char in prefix.lower() if "a" <= char <= "z")
    return letters + NUMBER_SIGN + "".join(DIGITS[int(digit)] for digit in str(number))


def wrap(cells: str, width: int, first: int, rest: int, divide: str = HYPHEN) -> list[str]:
    """Lines of at most ``width`` cells: the first indented by ``first`` blank cells, the others by ``rest``; a word
    longer than a line is divided, ``divide`` marking the division (none in scripts written without spaces)."""
    lines: list[str] = []
    line = BLANK * first
    indent = first
    for word in cells.split(BLANK):
        if not word:
            continue
        while True:
            room = width - len(line) - (0 if len(line) == indent else 1)
            if len(word) <= room:
                line += ("" if len(line) == indent else BLANK) + word
                break
            if len(line) > indent:
                lines.append(line)
                indent = rest
                line = BLANK * rest
                continue
            cut = width - len(line) - len(divide)
            lines.append(line + word[:cut] + divide)
            word = word[cut:]
            indent = rest
            line = BLANK * rest
    if len(line) > indent:
        lines.append(line)
    return lines


def centred(cells: str, width: int, margin: int, divide: str) -> list[str]:
    """Centred lines, with at least ``margin`` blank cells at each side (BANA's centred headings)."""
    lines = wrap(cells, width - 2 * margin, 0, 0, divide)
    return [BLANK * ((width - len(line)) // 2) + line for line in lines]


def right(cells: str, width: int) -> str:
    """``cells`` at the right margin of an otherwise blank line."""
    return BLANK * (width - len(cells)) + cells


@dataclass(slots=True)
class Unit:
    """A block laid out as lines, with what the page layout must know of it."""

    lines: list[str]
    """Its lines of cells."""
    blank_before: bool = False
    """Whether a blank line comes before it (not at the top of a page)."""
    keep_lines: int = 0
    """Lines of the next unit that must be on the same page (a heading's two lines of text)."""
    print_page: int = 0
    """The print page it begins on (0: none; front matter)."""
    heading: bool = False
    """Whether it is a heading (the tests check none ends a page)."""
    page: str = ""
    """The braille page its first line is on, once laid out (for the contents)."""
    whole: bool = False
    """Whether it must not be divided between pages (a contents entry)."""


@dataclass(slots=True)
class Page:
    """One braille page: its lines (line 1 to the last) and what is on it."""

    lines: list[str]
    """Every line, numbers included."""
    number: str
    """The braille page number as printed (``t1``, ``12``)."""
    print_pages: list[int] = field(default_factory=list)
    """Print pages whose text is on this page, in order."""
    headings: list[int] = field(default_factory=list)
    """Line numbers (1-based) where headings are."""


@dataclass(slots=True)
class _Builder:
    """Fills pages line by line: text from line 1 (front matter) or 2 (body) to the line before the last."""

    rules: Formats
    """The formatting rules."""
    front: bool
    """Whether these are transcriber-generated pages (t1, t2 ...: no print page, text from line 1)."""
    pages: list[Page] = field(default_factory=list)
    """The pages filled so far."""
    text: list[str] = field(default_factory=list)
    """The text lines of the page being filled."""
    prints: list[int] = field(default_factory=list)
    """The print page of each of its text lines."""
    headings: list[int] = field(default_factory=list)
    """Line numbers of its heading lines."""
    top_print: int = 0
    """The print page its line 1 shows."""
    shown: dict[int, int] = field(default_factory=dict)
    """How many braille pages so far hold text of each print page (for the continuation letters)."""
    start: int = 1
    """The number of the first page."""

    @property
    def capacity(self) -> int:
        """Text lines a page holds: the last line is the braille page number's, line 1 the print page's."""
        return self.rules.lines - 1 - (0 if self.front else 1)

    def room(self) -> int:
        """Text lines still free on the page being filled."""
        return self.capacity - len(self.text)

    def close(self) -> None:
        """Finish the page being filled: print page on line 1 (text pages), braille page number on the last."""
        if not self.text and self.pages:
            return
        width = self.rules.cells
        number = len(self.pages) + self.start
        label = f"{self.rules.front_matter_prefix}{number}" if self.front else str(number)
        cells = number_cells(number, self.rules.front_matter_prefix if self.front else "")
        lines = list(self.text)
        if not self.front:
            lines.insert(0, self._print_number(width))
        lines += [""] * (self.rules.lines - 1 - len(lines))
        lines.append(right(cells, width))
        self.pages.append(Page(lines, label, list(dict.fromkeys(self.prints)), list(self.headings)))
        for page in set(self.prints):
            self.shown[page] = self.shown.get(page, 0) + 1
        self.text, self.prints, self.headings = [], [], []

    def _print_number(self, width: int) -> str:
        """Line 1 of a text page: its print page at the right margin, a letter before it when the print page
        began on an earlier braille page."""
        page = self.top_print
        if page <= 0:
            return ""
        before = self.shown.get(page, 0)
        letters = self.rules.continuation_letters
        prefix = letters[min(before, len(letters)) - 1] if before else ""
        return right(number_cells(page, prefix), width)


def _kept_after(units: list[Unit], index: int) -> int:
    """Lines after ``units[index]`` that must share its page: enough of what follows for ``keep_lines`` lines of
    text (headings in between, and blank lines, come along)."""
    wanted = units[index].keep_lines
    total = text = 0
    for unit in units[index + 1 :]:
        if text >= wanted:
            break
        total += int(unit.blank_before)
        if unit.heading:
            total += len(unit.lines)
            continue
        taken = min(len(unit.lines), wanted - text)
        total, text = total + taken, text + taken
    return total if wanted else 0


def layout_pages(units: list[Unit], rules: Formats, front: bool = False, start: int = 1) -> list[Page]:
    """Lay ``units`` out on pages: a blank line before headings except at the top of a page, each heading kept
    with ``heading_keep_lines`` lines of what follows, a print page change indicator where the print page turns
    (none at the top of a braille page: line 1 shows the new print page there), numbers on lines 1 and 25."""
    builder = _Builder(rules, front, start=start)
    width = rules.cells
    current = 0
    for index, unit in enumerate(units):
        change = not front and unit.print_page > current and current > 0
        keep = _kept_after(units, index)
        indicator = 1 if change and builder.text else 0
        blank = 1 if unit.blank_before and builder.text else 0
        needed = indicator + blank + len(unit.lines) + keep
        # Only what must stay together moves to a new page: a heading with the lines it keeps, and an indicator
        # with at least one line of its page's text; paragraphs and items run on over the page turn.
        if not keep and not unit.whole:
            needed = indicator + blank + min(len(unit.lines), 1)
        if builder.text and needed > builder.room():
            builder.close()
            indicator = blank = 0
        if not front and unit.print_page > 0:
            if not builder.text:
                builder.top_print = max(unit.print_page, current)
            if indicator:
                number = number_cells(unit.print_page)
                builder.text.append(rules.print_page_change * (width - len(number)) + number)
            current = max(current, unit.print_page)
        if blank:
            builder.text.append("")
        for line in unit.lines:
            if builder.room() <= 0:
                builder.close()
                builder.top_print = current
            if not unit.page:
                unit.page = str(len(builder.pages) + start)
            if unit.heading:
                builder.headings.append(len(builder.text) + (1 if front else 2))
            builder.text.append(line)
            if not front and current:
                builder.prints.append(current)
    if builder.text or not builder.pages:
        builder.close()
    return builder.pages


def contents_lines(entries: list[tuple[int, str, int, str]], rules: Formats, divide: str) -> list[list[str]]:
    """Contents entries (level, cells of the heading, print page, braille page label) as lines: the heading from
    cell 1 (two cells more a level), guide dots, then the print page and the braille page at the right margin."""
    width = rules.cells
    out = []
    for level, cells, print_page, braille in entries:
        # Without print pages (the print edition could not be laid out) the entry gives its braille page only.
        numbers = (number_cells(print_page) + BLANK if print_page else "") + number_cells(int(braille))
        indent = 2 * max(level - 2, 0)
        lines = wrap(cells, width - len(numbers) - 2, indent, indent + rules.contents_runover, divide)
        last = lines[-1] if lines else BLANK * indent
        dots = width - len(last) - len(numbers) - 2
        if dots >= 2:
            lines[-1] = last + BLANK + rules.guide_dot * dots + BLANK + numbers
        else:
            lines.append(right(numbers, width))
        out.append(lines)
    return out

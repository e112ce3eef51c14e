"""Braille: the translated document through liblouis, formatted for an embosser as a Braille Ready File (BRF).

The table is chosen per language (``[tool.plainleaf.braille.tables]``, else the language file's ``braille_table`` in
:mod:`pipeline.languages`); a language with
no table is reported, never guessed. liblouis is called through ctypes (Debian's ``liblouis20``; the Python binding
is Debian-only), translating each block to Unicode braille cells; the page layout is ours, after BANA's *Braille
Formats* (2016): 40 cells a line, 25 lines a page, the braille page number at the right of the first line, the
title and second-level headings centred, third-level headings in cell 5, paragraphs indented to cell 3, list
items in cell 1 with runovers in cell 3, a form feed between pages. The ``.brf`` holds North American Braille
ASCII; the ``.txt`` the same pages in Unicode braille, to check on screen.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from pipeline.config import Config
from pipeline.languages import languages
from pipeline.render.alternative import AlternativeProduct
from pipeline.render.content import Renderer, prepare_content
from pipeline.render.errors import RenderError
from pipeline.render.jobs import Job
from pipeline.render.locales import TextLocale

CELLS_PER_LINE = 40
"""Cells a line: the common embosser line on 11 x 11.5 inch braille paper (BANA)."""
LINES_PER_PAGE = 25
"""Lines a page, on the same paper."""
TABLE_DIRS = (Path("/usr/share/liblouis/tables"), Path("/usr/local/share/liblouis/tables"))
"""Where Debian's ``liblouis-data`` and a local build install the tables."""
BRAILLE_ASCII = " A1B'K2L@CIF/MSP\"E3H9O6R^DJG>NTQ,*5<-U8V.%[$+X!&;:4\\0Z7(_?W]#Y)="
"""North American Braille ASCII (the BRF character set) of the 64 six-dot cells U+2800 to U+283F, in order."""
BLANK = "\u2800"
"""The blank braille cell."""
NUMBER_SIGN = "\u283c"
"""Numeric indicator (dots 3-4-5-6), followed by the digits' letters a to j: page numbers in every table used."""
DIGITS = "\u281a\u2801\u2803\u2809\u2819\u2811\u280b\u281b\u2813\u280a"
"""Braille digits 0 to 9 after the numeric indicator (the cells of j, a, b ... i)."""
HYPHEN = "\u2824"
"""Dots 3-6: the hyphen that marks a word divided at the end of a line."""
_MODE_UNICODE_CELLS = 4 | 64
"""liblouis ``dotsIO | ucBrl``: output cells as Unicode braille, whatever display table the table names."""


def braille_table(config: Config, locale: TextLocale) -> str | None:
    """The liblouis table list of ``locale``: configured, else the default for its code or language; None when
    the language has none (reported, never guessed). Pseudo-locales use their base language's."""
    language = locale.data.language
    for key in (locale.code, f"{language}_{locale.script}", language):
        if key in config.braille_tables:
            return config.braille_tables[key]
    # Each language file names its table (pipeline/languages/<tag>.py); only an exact tag counts, so ``zh_Hant``
    # never gets the simplified-character table of ``zh_Hans``.
    for key in (locale.code, f"{language}_{locale.script}", language):
        known = languages().find(key)
        if known is not None and known.braille_table is not None:
            return known.braille_table
    return None


def _table_path(name: str) -> Path | None:
    for folder in TABLE_DIRS:
        if (folder / name).is_file():
            return folder / name
    return None


def table_files(tables: str) -> list[Path]:
    """Every file of a table list and of the tables they include, so a build sees an edited or upgraded table;
    a table that is not installed is named by its bare name (the build then fails saying so)."""
    found: list[Path] = []
    pending = [name.strip() for name in tables.split(",") if name.strip()]
    seen: set[str] = set()
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        path = _table_path(name)
        if path is None:
            found.append(Path(name))
            continue
        found.append(path)
        text = path.read_text(encoding="utf-8", errors="replace")
        pending += re.findall(r"^\s*include\s+(\S+)", text, flags=re.MULTILINE)
    return sorted(found)


def library_file() -> Path | None:
    """The liblouis shared library, hashed by the build so an upgrade rebuilds the braille."""
    name = ctypes.util.find_library("louis")
    for folder in (Path("/lib/x86_64-linux-gnu"), Path("/usr/lib/x86_64-linux-gnu"), Path("/usr/lib"), Path("/lib")):
        if name and (folder / name).exists():
            return (folder / name).resolve()
    return None


@functools.cache
def _library() -> ctypes.CDLL:
    name = ctypes.util.find_library("louis")
    if name is None:
        raise RenderError("liblouis is not installed; install the Debian packages liblouis20 and liblouis-data")
    return ctypes.CDLL(name)


def translate(tables: str, text: str) -> str:
    """``text`` in braille, as Unicode braille cells (U+2800 blank between words), through liblouis."""
    for name in tables.split(","):
        if _table_path(name.strip()) is None:
            raise RenderError(f"liblouis table {name.strip()!r} is not installed (Debian package liblouis-data)")
    if not text:
        return ""
    library = _library()
    size = library.lou_charSize()
    kind = ctypes.c_uint16 if size == 2 else ctypes.c_uint32
    encoded = text.encode("utf-16-le" if size == 2 else "utf-32-le")
    length = len(encoded) // size
    source = (kind * length).from_buffer_copy(encoded)
    capacity = length * 4 + 64
    while True:
        target = (kind * capacity)()
        in_length, out_length = ctypes.c_int(length), ctypes.c_int(capacity)
        ok = library.lou_translateString(
            tables.encode("utf-8"),
            source,
            ctypes.byref(in_length),
            target,
            ctypes.byref(out_length),
            None,
            None,
            _MODE_UNICODE_CELLS,
        )
        if not ok:
            raise RenderError(f"liblouis could not translate with {tables!r} (is the table installed and valid?)")
        if in_length.value >= length or capacity > length * 16:
            break
        capacity *= 2  # output buffer was too small: liblouis stopped early
    cells = "".join(chr(target[i]) for i in range(out_length.value))
    return cells.replace(" ", BLANK)


def page_number(number: int) -> str:
    """A braille page number: the numeric indicator and the digits."""
    return NUMBER_SIGN + "".join(DIGITS[int(digit)] for digit in str(number))


def to_brf(cells: str) -> str:
    """Unicode braille to North American Braille ASCII; an eight-dot cell cannot be embossed on a six-dot line."""
    out = []
    for char in cells:
        code = ord(char) - 0x2800
        if char == " ":
            out.append(" ")
        elif 0 <= code < 64:
            out.append(BRAILLE_ASCII[code])
        else:
            raise RenderError(f"{char!r} (U+{ord(char):04X}) is not a six-dot braille cell: cannot be written as BRF")
    return "".join(out)


@dataclass(slots=True, frozen=True)
class Block:
    """A block of the document as braille formatting sees it."""

    kind: str
    """``title``, ``heading``, ``paragraph``, ``item`` or ``note``."""
    text: str
    """Its print text."""
    level: int = 0
    """Heading level, or list nesting depth (0 outermost)."""


class _Blocks(HTMLParser):
    """The blocks of an HTML body, in reading order: headings, paragraphs, list items (numbered in ordered lists)."""

    BLOCKS = frozenset(("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "dt", "dd", "caption"))

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self._text: list[str] = []
        self._open: list[tuple[str, int]] = []
        self._lists: list[list[int]] = []
        self._skip = 0

    def _flush(self) -> None:
        text = " ".join("".join(self._text).split())
        self._text = []
        if not text:
            return
        tag, level = self._open[-1] if self._open else ("p", 0)
        if tag.startswith("h") and tag[1:].isdigit():
            self.blocks.append(Block("heading", text, int(tag[1:])))
        elif tag == "li" or (tag == "p" and len(self._open) > 1 and self._open[-2][0] == "li"):
            self.blocks.append(Block("item", text, level))
        else:
            self.blocks.append(Block("paragraph", text))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self._skip += 1
        elif tag in ("ul", "ol"):
            self._flush()
            self._lists.append([1 if tag == "ol" else 0, 0])
        elif tag in self.BLOCKS:
            self._flush()
            level = max(len(self._lists) - 1, 0)
            self._open.append((tag, level))
            if tag == "li" and self._lists:
                numbered = self._lists[-1]
                numbered[1] += 1
                if numbered[0]:
                    self._text.append(f"{numbered[1]}. ")
        elif tag == "br":
            self._text.append(" ")
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self._text.append(alt)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._skip -= 1
        elif tag in ("ul", "ol"):
            self._flush()
            if self._lists:
                self._lists.pop()
        elif tag in self.BLOCKS:
            self._flush()
            if self._open:
                self._open.pop()

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._text.append(data)


def blocks_of(html: str) -> list[Block]:
    """The blocks of an HTML body."""
    parser = _Blocks()
    parser.feed(html)
    parser.close()
    parser._flush()
    return parser.blocks


def _wrap(cells: str, width: int, first: int, rest: int, divide: str = HYPHEN) -> list[str]:
    """Lines of at most ``width`` cells: the first indented by ``first`` blank cells, the others by ``rest``; a word
    longer than a line is divided, ``divide`` marking the division (none in Chinese braille, written without
    spaces between words by liblouis)."""
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


def _centred(cells: str, width: int, divide: str) -> list[str]:
    """Centred lines, with at least three blank cells at each side (BANA's centred headings)."""
    lines = _wrap(cells, width - 6, 0, 0, divide)
    return [BLANK * ((width - len(line)) // 2) + line for line in lines]


@dataclass(slots=True)
class _Unit:
    lines: list[str]
    blank_before: bool
    keep_with_next: bool


def format_pages(units: list[_Unit], width: int = CELLS_PER_LINE, height: int = LINES_PER_PAGE) -> list[list[str]]:
    """Lay units out on pages: line 1 holds the page number at the right margin, a heading is never the last thing
    on a page, no page starts with a blank line."""
    pages: list[list[str]] = []
    page: list[str] = []

    def new_page() -> None:
        nonlocal page
        if page:
            pages.append(page)
        number = page_number(len(pages) + 1)
        page = [BLANK * (width - len(number)) + number]

    new_page()
    for index, unit in enumerate(units):
        blank = unit.blank_before and len(page) > 1
        needed = len(unit.lines) + int(blank)
        if unit.keep_with_next and index + 1 < len(units):
            needed += 1 + int(units[index + 1].blank_before)
        if len(page) + needed > height and len(page) > 1 and needed <= height - 1:
            new_page()
            blank = False
        if blank:
            page.append("")
        for line in unit.lines:
            if len(page) >= height:
                new_page()
            page.append(line)
    pages.append(page)
    return pages


UNSPACED_SCRIPTS = frozenset(("Hans", "Hant", "Jpan", "Thai", "Khmr", "Laoo", "Mymr"))
"""Scripts written without spaces between words: a long run of cells is divided without a hyphen."""


def layout(blocks: list[Block], tables: str, script: str = "Latn", width: int = CELLS_PER_LINE) -> list[list[str]]:
    """The blocks translated and laid out on braille pages (lines of Unicode braille cells)."""
    units = []
    divide = "" if script in UNSPACED_SCRIPTS else HYPHEN
    for block in blocks:
        cells = translate(tables, block.text)
        if block.kind == "title" or (block.kind == "heading" and block.level <= 2):
            units.append(_Unit(_centred(cells, width, divide), True, True))
        elif block.kind == "heading":
            indent = 4 if block.level == 3 else 6
            units.append(_Unit(_wrap(cells, width, indent, indent, divide), True, True))
        elif block.kind == "item":
            units.append(_Unit(_wrap(cells, width, 2 * block.level, 2 * block.level + 2, divide), False, False))
        elif block.kind == "note":
            units.append(_Unit(_wrap(cells, width, 0, 2, divide), True, False))
        else:
            units.append(_Unit(_wrap(cells, width, 2, 0, divide), False, False))
    return format_pages(units, width)


def brf_bytes(pages: list[list[str]]) -> bytes:
    """The BRF file: Braille ASCII lines ending CR LF, a form feed before each page after the first."""
    text = "\f".join("".join(to_brf(line).rstrip() + "\r\n" for line in page) for page in pages)
    return text.encode("ascii")


def unicode_text(pages: list[list[str]]) -> bytes:
    """The same pages in Unicode braille (UTF-8), a form feed before each page after the first."""
    return "\f".join("".join(line.rstrip(BLANK) + "\n" for line in page) for page in pages).encode("utf-8")


def check_brf(data: bytes, width: int = CELLS_PER_LINE, height: int = LINES_PER_PAGE) -> Iterator[str]:
    """What in a BRF breaks the embosser's geometry: a line over ``width`` cells, a page over ``height`` lines,
    a character outside Braille ASCII."""
    allowed = set(BRAILLE_ASCII)
    for number, page in enumerate(data.decode("ascii", errors="replace").split("\f"), 1):
        lines = page.split("\r\n")
        if lines and lines[-1] == "":
            lines.pop()
        if len(lines) > height:
            yield f"page {number}: {len(lines)} lines, more than {height}"
        for row, line in enumerate(lines, 1):
            if len(line) > width:
                yield f"page {number} line {row}: {len(line)} cells, more than {width}"
            strange = sorted(set(line) - allowed)
            if strange:
                yield f"page {number} line {row}: not Braille ASCII: {''.join(strange)!r}"


def render_braille(renderer: Renderer, job: Job) -> AlternativeProduct:
    """The job's ``.brf`` and Unicode braille ``.txt``, checked against the embosser's line and page lengths."""
    started = time.perf_counter()
    tables = braille_table(renderer.config, job.locale)
    if tables is None:
        raise RenderError(
            f"{job.locale.code} braille: no liblouis table for this language; name one in"
            f" [tool.plainleaf.braille.tables] of pyproject.toml"
        )
    content = prepare_content(renderer, job)
    context, words = content.context, content.translations
    blocks = [Block("title", str(context["title"]))]
    if context["incomplete"]:
        notice = words.gettext("this translation is not complete. Do not give it to patients.")
        blocks.append(Block("note", f"{words.gettext('Draft')}: {notice}"))
    if not context["reviewed"]:
        blocks.append(
            Block(
                "note", words.gettext("This translation has not yet been reviewed by a qualified medical translator.")
            )
        )
    blocks += blocks_of(str(context["body"]))
    prepared = time.perf_counter()
    pages = layout(blocks, tables, job.locale.script)
    brf = brf_bytes(pages)
    problems = list(check_brf(brf))
    if problems:
        raise RenderError(f"{job.locale.code} {job.product.document} braille: {problems[0]}", job.catalog)
    done = time.perf_counter()
    return AlternativeProduct(
        job,
        {"brf": brf, "txt": unicode_text(pages)},
        str(context["title"]),
        str(context["date_text"]),
        pages=len(pages),
        timings={"prepare": prepared - started, "write": done - prepared},
    )


def unavailable(config: Config, locale: TextLocale) -> str | None:
    """Why no braille is made in ``locale``, or None when it is (the format registry's gate, asked by the planner):
    a language without a braille table is reported as not buildable, never guessed."""
    if locale.pseudo:
        # Pseudo-locales test the print layouts' room and direction; braille has no layout to test, and ar-XB's
        # accented Latin stand-ins are not Arabic text an Arabic braille table can transcribe (8-dot cells).
        return "pseudo-locales are for testing print layouts; no braille is made of them"
    if braille_table(config, locale) is None:
        return f"no braille table for {locale.code} (name one in [tool.plainleaf.braille.tables])"
    return None


def format_inputs(config: Config, locale: TextLocale) -> list[tuple[str, Path]]:
    """Files braille reads besides the document's, by role (the format registry's inputs, hashed by the planner):
    the braille tables and liblouis, so an edited table or an upgrade rebuilds the braille."""
    tables = braille_table(config, locale)
    files = table_files(tables) if tables else []
    library = library_file()
    return [("braille-table", path) for path in files] + ([("braille-library", library)] if library else [])

"""Braille: the translated document through liblouis, formatted for an embosser as a Braille Ready File (BRF).

The code is chosen per language (``[tool.plainleaf.braille.tables]``, else the ``braille_table`` and grade of the
language's file in :mod:`pipeline.languages`); a language with no table is reported, never guessed. liblouis is
called through ctypes (Debian's ``liblouis20``; the Python binding is Debian-only), translating each block to
Unicode braille cells; the pages are ours (:mod:`.braille_format`, its rules and wording in ``data/braille.toml``),
after BANA's *Braille Formats* (2016): a title page, a transcriber's note and a contents page (pages t1, t2 ...),
then the text on 40 cells by 25 lines, the print page of the print edition at the right of line 1 and the braille
page number at the right of line 25, a print page change indicator where a print page begins, headings kept with
two lines of their text. The ``.brf`` holds North American Braille
ASCII; the ``.txt`` the same pages in Unicode braille, to check on screen.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import dataclasses
import functools
import re
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from pipeline.config import Config
from pipeline.languages import languages
from pipeline.render.alternative import AlternativeProduct
from pipeline.render.braille_format import (
    BLANK,
    HYPHEN,
    Formats,
    LanguageCode,
    Page,
    Unit,
    centred,
    contents_lines,
    formats,
    layout_pages,
    number_cells,
    wrap,
)
from pipeline.render.content import Renderer, prepare_content
from pipeline.render.errors import RenderError
from pipeline.render.jobs import Job
from pipeline.render.locales import TextLocale
from pipeline.render.print_pages import BLOCK_TAGS, PrintPages, print_pages

CELLS_PER_LINE = formats().cells
"""Cells a line: the common embosser line on 11 x 11.5 inch braille paper (BANA)."""
LINES_PER_PAGE = formats().lines
"""Lines a page, on the same paper."""
TABLE_DIRS = (Path("/usr/share/liblouis/tables"), Path("/usr/local/share/liblouis/tables"))
"""Where Debian's ``liblouis-data`` and a local build install the tables."""
BRAILLE_ASCII = " A1B'K2L@CIF/MSP\"E3H9O6R^DJG>NTQ,*5<-U8V.%[$+X!&;:4\\0Z7(_?W]#Y)="
"""North American Braille ASCII (the BRF character set) of the 64 six-dot cells U+2800 to U+283F, in order."""
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


def language_code(locale: TextLocale) -> LanguageCode | None:
    """The braille code of the locale's language: its table and grade from its language file, what the braille
    formats data says of it (the code's name, code switches, word segmentation); None when it has no table."""
    keys = [locale.code, f"{locale.data.language}_{locale.script}", locale.data.language]
    known = next((found for key in keys if (found := languages().find(key)) is not None and found.braille_table), None)
    if known is None or known.braille_table is None:
        return None
    rules = formats().language([known.tag, *keys]) or LanguageCode()
    return dataclasses.replace(rules, table=known.braille_table, grade=known.braille_grade or 0)


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
    library = ctypes.CDLL(name)
    # Errors only: zhcn-cbs.ctb declares its emphasis classes twice, which liblouis warns about on stderr every
    # time a process compiles it.
    library.lou_setLogLevel(40000)  # LOU_LOG_ERROR
    return library


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


def page_number(number: int, prefix: str = "") -> str:
    """A braille page number: an optional letter (``t`` of the front matter), the numeric indicator, the digits."""
    return number_cells(number, prefix)


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
    print_page: int = 0
    """The page of the print edition it begins on (0: not in the print edition's text, as the front matter)."""


class _Blocks(HTMLParser):
    """The blocks of an HTML body, in reading order: headings, paragraphs, list items (numbered in ordered lists),
    each with the print page it begins on when ``pages`` gives them."""

    BLOCKS = BLOCK_TAGS

    def __init__(self, pages: PrintPages | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self._text: list[str] = []
        self._open: list[tuple[str, int, int]] = []
        self._lists: list[list[int]] = []
        self._skip = 0
        self._pages = pages
        self._count = 0

    def _flush(self) -> None:
        text = " ".join("".join(self._text).split())
        self._text = []
        if not text:
            return
        tag, level, page = self._open[-1] if self._open else ("p", 0, 0)
        if tag.startswith("h") and tag[1:].isdigit():
            self.blocks.append(Block("heading", text, int(tag[1:]), page))
        elif tag == "li" or (tag == "p" and len(self._open) > 1 and self._open[-2][0] == "li"):
            self.blocks.append(Block("item", text, level, page))
        else:
            self.blocks.append(Block("paragraph", text, 0, page))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self._skip += 1
        elif tag in ("ul", "ol"):
            self._flush()
            self._lists.append([1 if tag == "ol" else 0, 0])
        elif tag in self.BLOCKS:
            self._flush()
            level = max(len(self._lists) - 1, 0)
            page = self._pages.page_of(self._count) if self._pages is not None else 0
            self._count += 1
            self._open.append((tag, level, page))
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


def blocks_of(html: str, pages: PrintPages | None = None) -> list[Block]:
    """The blocks of an HTML body, each with its print page when ``pages`` gives them."""
    parser = _Blocks(pages)
    parser.feed(html)
    parser.close()
    parser._flush()
    return parser.blocks


LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-/.][A-Za-z0-9]+)*(?:\s+[A-Za-z][A-Za-z0-9]*(?:[-/.][A-Za-z0-9]+)*)*")
"""A run of Latin-letter words (CAR-T, KRAS G12D, CD40) inside a text in another script."""


def translate_text(tables: str, text: str, code: LanguageCode | None = None) -> str:
    """``text`` in braille with ``tables``; where the language's code switches to another table for Latin words
    (Arabic), each run of them is translated with that table between its code-switch indicators, so neither the
    reader nor liblouis's back-translation takes a capital sign for a shadda or a Latin letter for an Arabic one."""
    if code is not None and code.segment_words:
        text = segment_words(text)
    foreign = code.foreign if code is not None and tables == code.table else {}
    if not foreign:
        return translate(tables, text)
    parts, position = [], 0
    for match in LATIN_RUN.finditer(text):
        parts.append(translate(tables, text[position : match.start()]))
        parts.append(foreign["open"] + translate(foreign["table"], match.group()) + foreign["close"])
        position = match.end()
    parts.append(translate(tables, text[position:]))
    return "".join(parts)


def segment_words(text: str) -> str:
    """Chinese text with a space between words (分词连写: Chinese braille writes words apart), cut by jieba's
    dictionary; text in other scripts is left as it is."""
    out = ""
    for word in _tokenizer().cut(text):
        # Words apart, and Latin words and numbers apart from the characters around them: zhcn-cbs.ctb writes
        # "CAR-T" with its capital signs and hyphen only when it stands alone.
        if out and word and _word_boundary(out[-1], word[0]):
            out += " "
        out += word
    return out


@functools.cache
def _tokenizer() -> Any:
    """jieba's tokenizer with its own dictionary, loaded once a process (about a second). Its cache goes in a folder
    of its own, removed at once: jieba would otherwise read ``jieba.cache`` from the shared temporary folder,
    whoever put it there."""
    import jieba  # only Chinese braille needs it

    jieba.setLogLevel(60)
    tokenizer = jieba.Tokenizer()
    with tempfile.TemporaryDirectory(prefix="plainleaf-jieba-") as folder:
        tokenizer.tmp_dir = folder
        tokenizer.initialize()
    return tokenizer


def _word_boundary(before: str, after: str) -> bool:
    latin_before = before.isascii() and before.isalnum()
    latin_after = after.isascii() and after.isalnum()
    return (_cjk(before) and (_cjk(after) or latin_after)) or (latin_before and _cjk(after))


def _cjk(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


UNSPACED_SCRIPTS = frozenset(("Hans", "Hant", "Jpan", "Thai", "Khmr", "Laoo", "Mymr"))
"""Scripts written without spaces between words: a long run of cells is divided without a hyphen."""


def _block_units(
    blocks: list[Block], tables: str, rules: Formats, divide: str, code: LanguageCode | None
) -> list[Unit]:
    """Each block translated and laid out as lines, after its kind (BANA: centred title and main headings, other
    headings indented, paragraphs in cell 3 and list items in cell 1, each with its runovers)."""
    width = rules.cells
    units = []
    for block in blocks:
        cells = translate_text(tables, block.text, code)
        if block.kind == "title" or (block.kind == "heading" and block.level <= rules.heading_level_centred):
            lines = centred(cells, width, rules.centred_margin, divide)
            units.append(Unit(lines, True, rules.heading_keep_lines, block.print_page, heading=True))
        elif block.kind == "heading":
            indent = rules.heading_indent.get(block.level, max(rules.heading_indent.values()))
            lines = wrap(cells, width, indent, indent, divide)
            units.append(Unit(lines, True, rules.heading_keep_lines, block.print_page, heading=True))
        elif block.kind == "item":
            first, rest = rules.item
            lines = wrap(cells, width, first + 2 * block.level, rest + 2 * block.level, divide)
            units.append(Unit(lines, False, 0, block.print_page))
        elif block.kind == "note":
            units.append(Unit(wrap(cells, width, *rules.note, divide), True, 0, block.print_page))
        else:
            units.append(Unit(wrap(cells, width, *rules.paragraph, divide), False, 0, block.print_page))
    return units


def layout(blocks: list[Block], tables: str, script: str = "Latn", width: int = CELLS_PER_LINE) -> list[list[str]]:
    """The blocks translated and laid out on braille pages (lines of Unicode braille cells), without front
    matter."""
    rules = formats()
    divide = "" if script in UNSPACED_SCRIPTS else HYPHEN
    units = _block_units(blocks, tables, rules, divide, None)
    return [page.lines for page in layout_pages(units, rules)]


@dataclass(slots=True, frozen=True)
class FrontMatter:
    """What the braille front matter says, in the document's language."""

    title: str
    """The document's title."""
    edition: str
    """Version and date, as the print edition's title block gives them."""
    notices: list[str]
    """Draft and review notices, as the print edition carries them."""
    words: dict[str, str]
    """The front matter wording of ``data/braille.toml`` in the document's language."""
    code: str
    """The name of the braille code used, in the document's language."""
    edition_id: str = ""
    """The edition's short identifier (:mod:`pipeline.builder.editions`), as every other product prints it after
    the version and date: on the title page, on its own line under them; empty when not known."""
    print_pages: bool = True
    """Whether the text carries the print edition's page numbers: False for a document that declares no print
    product (or whose print product cannot be laid out), whose transcriber's note and contents then say nothing of
    print pages."""


def braille_pages(
    front: FrontMatter, blocks: list[Block], tables: str, script: str, code: LanguageCode | None = None
) -> list[Page]:
    """The whole braille edition: title page, transcriber's note and contents (pages t1, t2 ...), then the text
    (pages 1, 2 ...) with print page numbers and indicators."""
    rules = formats()
    width = rules.cells
    divide = "" if script in UNSPACED_SCRIPTS else HYPHEN

    def cells(text: str) -> str:
        return translate_text(tables, text, code)

    body = _block_units(blocks, tables, rules, divide, code)
    body_pages = layout_pages(body, rules)

    words = front.words
    if not front.print_pages:
        words = {
            **words,
            "transcriber_note": words["transcriber_note_no_print"],
            "contents_columns": words["contents_columns_no_print"],
        }
    title = [Unit(centred(cells(front.title), width, rules.centred_margin, divide))]
    if front.edition:
        lines = centred(cells(front.edition), width, rules.centred_margin, divide)
        if front.edition_id:
            lines += centred(identifier_cells(front.edition_id, code), width, rules.centred_margin, divide)
        title.append(Unit(lines, True))
    title.append(Unit(centred(cells(words["transcribed"]), width, rules.centred_margin, divide), True))
    code_label = words["code_label"].replace("{code}", front.code)
    title.append(Unit(centred(cells(code_label), width, rules.centred_margin, divide), True))
    for notice in front.notices:
        title.append(Unit(wrap(cells(notice), width, *rules.note, divide), True))
    note_text = words["transcriber_note"]
    notes = [
        Unit(centred(cells(words["transcriber_note_heading"]), width, rules.centred_margin, divide), False, 2),
        Unit(wrap(cells(note_text), width, *rules.paragraph, divide)),
    ]
    if code is not None and code.foreign.get("open"):
        foreign = words["foreign_note"]
        before, _, rest = foreign.partition("{open}")
        middle, _, after = rest.partition("{close}")
        text = cells(before) + code.foreign["open"] + cells(middle) + code.foreign["close"] + cells(after)
        notes.append(Unit(wrap(text, width, *rules.paragraph, divide)))
    entries = [
        (block.level, cells(block.text), block.print_page, unit.page)
        for block, unit in zip(blocks, body, strict=True)
        if block.kind == "heading" and block.level in (2, 3)
    ]
    contents = [
        Unit(centred(cells(words["contents"]), width, rules.centred_margin, divide), False, 2),
        Unit(wrap(cells(words["contents_columns"]), width, *rules.paragraph, divide)),
        *(Unit(lines, False, whole=True) for lines in contents_lines(entries, rules, divide)),
    ]
    # BANA: the title page is a page of its own; the transcriber's note and the contents each begin a new page.
    front_pages = layout_pages(title, rules, front=True)
    front_pages += layout_pages(notes, rules, front=True, start=len(front_pages) + 1)
    if entries:
        front_pages += layout_pages(contents, rules, front=True, start=len(front_pages) + 1)
    return front_pages + body_pages


def identifier_cells(identifier: str, code: LanguageCode | None = None) -> str:
    """An edition identifier (``a1b2c3d4``) in braille: letter by letter in uncontracted UEB
    (``[identifiers]`` of ``data/braille.toml``: a letter after a digit keeps its grade 1 indicator), between the
    language's code-switch indicators where its code has them (Arabic)."""
    cells = translate(formats().identifier_table, identifier)
    if code is not None and code.foreign.get("open"):
        return code.foreign["open"] + cells + code.foreign["close"]
    return cells


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
    code = language_code(job.locale)
    notices = []
    if context["incomplete"]:
        notice = words.gettext("this translation is not complete. Do not give it to patients.")
        notices.append(f"{words.gettext('Draft')}: {notice}")
    if not context["reviewed"]:
        notices.append(words.gettext("This translation has not yet been reviewed by a qualified medical translator."))
    edition = ""
    if context["version"] or context["date_text"]:
        edition = words.gettext("Version %(version)s, %(date)s") % {
            "version": context["version"],
            "date": context["date_text"],
        }
    keys = [job.locale.code, f"{job.locale.data.language}_{job.locale.script}", job.locale.data.language]
    body = str(context["body"])
    pages = print_pages(renderer, job, body)
    front = FrontMatter(
        str(context["title"]),
        edition,
        notices,
        formats().words(keys),
        (code.code or tables) if code is not None and tables == code.table else tables,
        edition_id=str(context.get("edition_id") or ""),
        print_pages=pages is not None,
    )
    blocks = blocks_of(body, pages)
    prepared = time.perf_counter()
    laid_out = [page.lines for page in braille_pages(front, blocks, tables, job.locale.script, code)]
    brf = brf_bytes(laid_out)
    problems = list(check_brf(brf))
    if problems:
        raise RenderError(f"{job.locale.code} {job.product.document} braille: {problems[0]}", job.catalog)
    done = time.perf_counter()
    return AlternativeProduct(
        job,
        {"brf": brf, "txt": unicode_text(laid_out)},
        str(context["title"]),
        str(context["date_text"]),
        pages=len(laid_out),
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

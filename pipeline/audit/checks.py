"""The checks of a print product, each a function over what was read from its PDF and HTML.

:data:`CHECKS` is the ordered list the audit runs; each entry names the rule it stands for. A check yields
``(page, severity, message)``; the audit adds the file and the check id. Checks never raise on odd input:
what they cannot measure they report as a limitation ("not checked").
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf

from pipeline.audit.clipping import clipped_text
from pipeline.audit.content import Colour, PageContent, TextRun
from pipeline.audit.fonts import PdfFont
from pipeline.audit.html_text import HtmlText, comparable
from pipeline.audit.model import Check
from pipeline.audit.structure import Element, StructureTree
from pipeline.audit.validator import run_validator, validator_version
from pipeline.errors import Severity

MIN_CONTRAST = 7.0
"""WCAG 2.2 success criterion 1.4.6 (contrast, enhanced): 7:1 for text."""
SIZE_TOLERANCE_PT = 0.05
"""Rounding of sizes written with six decimals (16 pt is 21.333008 px x 0.75)."""
SKEW_TOLERANCE_DEGREES = 2.0
"""Glyph axes leaning more than this are slanted (synthetic oblique)."""
MAX_EXAMPLES = 5
"""Findings of one kind listed one by one before the rest are counted."""
WHITE: Colour = (1.0, 1.0, 1.0)
HEADING = re.compile(r"H([1-6])?\Z")
BLOCK_ROLES = frozenset({"H", "H1", "H2", "H3", "H4", "H5", "H6", "P", "LI", "TD", "TH", "Caption"})
"""Structure roles that hold one reading unit, as the HTML tags of :data:`html_text.BLOCK_TAGS` become."""
_HTML_ROLE = {"p": "P", "li": "LI", "dt": "LI", "dd": "LI", "td": "TD", "th": "TH", "caption": "Caption"}
_SKIPPED_IN_BLOCKS = frozenset({"L", "Lbl", "Table", "Figure", "Formula"})

Result = tuple[int | None, Severity, str]
"""What a check yields: page (or None), severity, message."""


@dataclass(slots=True, frozen=True)
class Expectations:
    """What a product must be, from its name and folder."""

    product: str | None = None
    """Product name, None for a PDF no product makes."""
    min_text_pt: float | None = None
    """Smallest text size allowed."""
    max_pages: int | None = None
    """Page budget."""
    no_italics: bool = False
    """Large print: no italic or slanted text at all."""
    language: str | None = None
    """Expected BCP 47 ``/Lang`` (``zh-Hans``), None when the folder is not a locale."""


@dataclass(slots=True)
class Evidence:
    """Everything read from one product, which every check looks at."""

    path: Path
    """The PDF file."""
    pdf: pikepdf.Pdf
    """The open PDF."""
    pages: list[PageContent]
    """What each page draws."""
    tree: StructureTree | None
    """Its structure tree."""
    html: HtmlText | None
    """What its HTML twin shows, None without one."""
    html_name: str | None
    """The HTML twin as the report names it."""
    expect: Expectations
    """What the product must be."""
    measured: dict[str, float] = field(default_factory=dict)
    """Figures checks measure for the summary (``smallest_text_pt``, ``lowest_contrast``)."""

    def mcid_text(self) -> dict[tuple[int, int], str]:
        """Text drawn inside each (page, MCID)."""
        return {(page.number, mcid): "".join(texts) for page in self.pages for mcid, texts in page.mcids.items()}


def _quote(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return "\u201c" + (text if len(text) <= limit else text[: limit - 1] + "\u2026") + "\u201d"


def _describe(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, 'UNNAMED')} {char!r}"


def _shown(run: TextRun) -> bool:
    return run.visible and bool(comparable(run.text))


# --- PDF/UA essentials ------------------------------------------------------------------------------------


def check_tagged(evidence: Evidence) -> Iterator[Result]:
    """``/MarkInfo /Marked true`` and a structure tree with elements."""
    mark_info = evidence.pdf.Root.get("/MarkInfo")
    if not (isinstance(mark_info, pikepdf.Dictionary) and bool(mark_info.get("/Marked", False))):
        yield None, Severity.ERROR, "the catalog has no /MarkInfo with /Marked true: the file is not a tagged PDF"
    if evidence.tree is None:
        yield None, Severity.ERROR, "no structure tree (/StructTreeRoot): assistive technology cannot read it"
        return
    if not any(True for _ in evidence.tree.elements()):
        yield None, Severity.ERROR, "the structure tree is empty"
    for problem in evidence.tree.problems[:MAX_EXAMPLES]:
        yield None, Severity.ERROR, f"structure tree: {problem}"


def check_language(evidence: Evidence) -> Iterator[Result]:
    """``/Lang`` set, and equal to the locale the product is filed under."""
    value = evidence.pdf.Root.get("/Lang")
    language = str(value) if isinstance(value, pikepdf.String) else ""
    if not language.strip():
        yield None, Severity.ERROR, "no document language (/Lang in the catalog): screen readers guess the voice"
        return
    if not re.fullmatch(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*", language):
        yield None, Severity.ERROR, f"document language {language!r} is not a BCP 47 tag"
    expected = evidence.expect.language
    if expected and language.lower() != expected.lower():
        yield None, Severity.ERROR, f"document language is {language!r}, but the product is filed as {expected!r}"


def _xmp(pdf: pikepdf.Pdf) -> dict[str, str]:
    try:
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as metadata:
            return {str(key): str(value) for key, value in metadata.items()}
    except Exception:  # malformed XMP is reported as missing metadata
        return {}


def check_title(evidence: Evidence) -> Iterator[Result]:
    """A title in XMP ``dc:title``, and ``/ViewerPreferences /DisplayDocTitle true``."""
    title = _xmp(evidence.pdf).get("{http://purl.org/dc/elements/1.1/}title", "").strip()
    if not title:
        yield None, Severity.ERROR, "no title in the XMP metadata (dc:title)"
    preferences = evidence.pdf.Root.get("/ViewerPreferences")
    if not (isinstance(preferences, pikepdf.Dictionary) and bool(preferences.get("/DisplayDocTitle", False))):
        yield None, Severity.ERROR, "/ViewerPreferences /DisplayDocTitle is not true: viewers show the file name"


def check_identification(evidence: Evidence) -> Iterator[Result]:
    """XMP ``pdfuaid:part`` = 1."""
    part = _xmp(evidence.pdf).get("{http://www.aiim.org/pdfua/ns/id/}part", "").strip()
    if part != "1":
        shown = f"is {part!r}" if part else "is missing"
        yield None, Severity.ERROR, f"PDF/UA identification (XMP pdfuaid:part = 1) {shown}"


def _element_text(element: Element, texts: dict[tuple[int, int], str]) -> str:
    parts: list[str] = []
    stack: list[Element | tuple[int, int]] = list(reversed(element.kids))
    while stack:
        kid = stack.pop()
        if isinstance(kid, tuple):
            parts.append(texts.get(kid, ""))
        else:
            stack.extend(reversed(kid.kids))
    return "".join(parts)


def check_headings(evidence: Evidence) -> Iterator[Result]:
    """Headings: H1 first, no skipped levels, numbered and plain ``H`` not mixed, none empty."""
    if evidence.tree is None:
        return
    texts = evidence.mcid_text()
    headings = [e for e in evidence.tree.elements() if HEADING.fullmatch(e.role)]
    if not headings:
        yield None, Severity.WARNING, "no headings: readers cannot move through the product by heading"
        return
    if {h.role == "H" for h in headings} == {True, False}:
        yield None, Severity.ERROR, "numbered headings (H1-H6) are mixed with plain H"
    numbered = [h for h in headings if h.role != "H"]
    previous = 0
    for heading in numbered:
        level = int(heading.role[1])
        text = _element_text(heading, texts)
        if not comparable(text) and not (heading.alt or heading.actual_text):
            yield heading.page, Severity.ERROR, f"empty {heading.role} heading"
        if previous == 0 and level != 1:
            yield heading.page, Severity.ERROR, f"the first heading is {heading.role} {_quote(text)}, not H1"
        elif level > previous + 1 and previous:
            yield (
                heading.page,
                Severity.ERROR,
                f"{heading.role} {_quote(text)} follows H{previous}: heading level H{previous + 1} is skipped",
            )
        previous = level


def check_lists(evidence: Evidence) -> Iterator[Result]:
    """Lists: ``L`` holds ``LI`` (or nested ``L``, ``Caption``); ``LI`` holds ``Lbl`` and ``LBody``."""
    if evidence.tree is None:
        return
    count = 0
    for element in evidence.tree.elements():
        children = [kid for kid in element.kids if isinstance(kid, Element)]
        problem = None
        if element.role == "L":
            wrong = sorted({kid.role for kid in children} - {"LI", "L", "Caption"})
            if wrong:
                problem = f"list (L) holds {', '.join(wrong)}; only LI, nested L and Caption belong there"
            elif not children:
                problem = "empty list (L)"
        elif element.role == "LI":
            roles = {kid.role for kid in children}
            if element.parent is None or element.parent.role != "L":
                problem = "list item (LI) outside a list (L)"
            elif roles - {"Lbl", "LBody"} or any(isinstance(kid, tuple) for kid in element.kids):
                problem = "list item (LI) holds content outside Lbl and LBody"
            elif "LBody" not in roles:
                problem = "list item (LI) has no LBody"
        elif element.role in ("Lbl", "LBody") and (element.parent is None or element.parent.role != "LI"):
            problem = f"{element.role} outside a list item (LI)"
        if problem:
            count += 1
            if count <= MAX_EXAMPLES:
                yield element.page, Severity.ERROR, problem
    if count > MAX_EXAMPLES:
        yield None, Severity.ERROR, f"{count - MAX_EXAMPLES} more list structure problems"


def _furniture_key(run: TextRun) -> tuple[int, str]:
    text = "".join("#" if unicodedata.category(c) == "Nd" else c for c in comparable(run.text))
    return round(run.baseline[1]), text


def check_artifacts(evidence: Evidence) -> Iterator[Result]:
    """Page furniture (running heads, page numbers) is an artifact; everything else is tagged and in the tree."""
    tree_references = evidence.tree.references if evidence.tree else set()
    drawn: set[tuple[int, int]] = set()
    edge_keys: dict[tuple[int, str], set[int]] = {}
    for page in evidence.pages:
        shown = [run for run in page.runs if _shown(run)]
        untagged = [run for run in shown if run.mcid is None and not run.artifact]
        if untagged:
            more = f" and {len(untagged) - 1} more" if len(untagged) > 1 else ""
            yield (
                page.number,
                Severity.ERROR,
                f"text {_quote(untagged[0].text)}{more} is neither tagged nor an artifact",
            )
        loose_pictures = [
            p for p in page.pictures if not any(m.tag == "Artifact" or m.mcid is not None for m in p.marked)
        ]
        if loose_pictures:
            yield page.number, Severity.ERROR, f"{len(loose_pictures)} images are neither tagged nor artifacts"
        for mcid, texts in sorted(page.mcids.items()):
            drawn.add((page.number, mcid))
            if evidence.tree is not None and (page.number, mcid) not in tree_references:
                yield (
                    page.number,
                    Severity.ERROR,
                    f"marked content {mcid} {_quote(''.join(texts))} is tagged but not in the structure tree;"
                    " mark page furniture as /Artifact",
                )
        if shown:
            top = max(run.baseline[1] for run in shown)
            bottom = min(run.baseline[1] for run in shown)
            for run in shown:
                if abs(run.baseline[1] - top) < 1 or abs(run.baseline[1] - bottom) < 1:
                    edge_keys.setdefault(_furniture_key(run), set()).add(page.number)
    missing = sorted(tree_references - drawn)
    if missing and evidence.tree is not None:
        first_page, mcid = missing[0]
        yield (
            first_page,
            Severity.WARNING,
            f"the structure tree points at marked content {mcid} that is not on the page"
            + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""),
        )
    if len(evidence.pages) < 2:
        return
    furniture = {key for key, pages in edge_keys.items() if len(pages) >= 2}
    for page in evidence.pages:
        tagged = [run for run in page.runs if _shown(run) and not run.artifact and _furniture_key(run) in furniture]
        if tagged:
            yield (
                page.number,
                Severity.ERROR,
                f"running head or page number {_quote(tagged[0].text)} repeats on every page but is tagged"
                " content; it must be an /Artifact",
            )


def check_figures(evidence: Evidence) -> Iterator[Result]:
    """Every ``Figure`` has alternative text."""
    if evidence.tree is None:
        return
    for element in evidence.tree.elements():
        if element.role == "Figure" and not (element.alt or "").strip() and not (element.actual_text or "").strip():
            yield element.page, Severity.ERROR, "figure without alternative text (/Alt)"


def check_pdfua(evidence: Evidence) -> Iterator[Result]:
    """Every rule of the independent validator; a rule that crashes is a limitation, not a pass."""
    completed, findings = run_validator(evidence.path)
    for finding in findings:
        yield finding.page, finding.severity, finding.message
    yield None, Severity.INFO, f"pdfua {validator_version()}: {completed} rules completed"


# --- fonts and text ---------------------------------------------------------------------------------------


def _fonts(pages: Iterable[PageContent]) -> dict[int, tuple[PdfFont, int]]:
    used: dict[int, tuple[PdfFont, int]] = {}
    for page in pages:
        for run in page.runs:
            used.setdefault(id(run.font), (run.font, page.number))
    return used


def check_fonts(evidence: Evidence) -> Iterator[Result]:
    """Every font drawn with is embedded and maps its glyphs to Unicode."""
    for font, first_page in _fonts(evidence.pages).values():
        if not font.embedded:
            yield first_page, Severity.ERROR, f"font {font.name} is not embedded"
        if not font.has_to_unicode:
            yield first_page, Severity.ERROR, f"font {font.name} has no ToUnicode map: its text cannot be extracted"
        if font.problem:
            yield first_page, Severity.LIMITATION, font.problem
    for page in evidence.pages:
        unmapped = [run for run in page.runs if run.visible and run.unmapped and run.font.has_to_unicode]
        if unmapped:
            count = sum(run.unmapped for run in unmapped)
            yield (
                page.number,
                Severity.ERROR,
                f"{count} glyphs of {unmapped[0].font.name} have no Unicode text (near {_quote(unmapped[0].text)})",
            )
        for problem in page.problems[:MAX_EXAMPLES]:
            yield page.number, Severity.LIMITATION, f"content not fully interpreted: {problem}"


def check_glyphs(evidence: Evidence) -> Iterator[Result]:
    """No character is drawn with a font's missing glyph (it prints as a blank box)."""
    for page in evidence.pages:
        missing: dict[str, str] = {}
        for run in page.runs:
            if run.visible:
                for text in run.missing:
                    missing.setdefault(text, run.font.name)
        if missing:
            listed = ", ".join(
                f"{_describe(c[0]) if c != '?' else 'a character with no Unicode text'} ({font})"
                for c, font in list(missing.items())[:MAX_EXAMPLES]
            )
            yield page.number, Severity.ERROR, f"drawn with the missing glyph (.notdef, a blank box): {listed}"


def check_characters(evidence: Evidence) -> Iterator[Result]:
    """Every character of the product's HTML text is in the text extracted from the PDF."""
    if evidence.html is None:
        yield None, Severity.LIMITATION, "no HTML twin next to the PDF: the printed text could not be compared"
        return
    drawn = set(comparable("".join(run.text for page in evidence.pages for run in page.runs if run.visible)))
    source = evidence.html.characters()
    missing = sorted(set(source) - drawn)
    if not missing:
        return
    text = comparable(evidence.html.text)
    pages = [
        (page.number, comparable("".join(run.text for run in page.runs if run.visible and not run.artifact)))
        for page in evidence.pages
    ]
    for char in missing[:MAX_EXAMPLES]:
        index = text.find(char)
        before, after = text[max(0, index - 4) : index], text[index + 1 : index + 3]
        where: int | None = None
        instead = ""
        for number, drawn_text in pages:
            swapped = re.search(re.escape(before) + "(.)" + re.escape(after), drawn_text) if before and after else None
            if swapped:
                where, instead = number, f"; the PDF text has {_describe(swapped.group(1))} there"
                break
            if where is None and before and before in drawn_text:
                where = number
        yield (
            where,
            Severity.ERROR,
            f"{_describe(char)} of {evidence.html_name} ({_quote(text[max(0, index - 12) : index + 12], 40)}) is not"
            f" in the PDF text{instead}",
        )
    if len(missing) > MAX_EXAMPLES:
        yield None, Severity.ERROR, f"{len(missing) - MAX_EXAMPLES} more characters missing from the PDF text"


# --- measured on the pages --------------------------------------------------------------------------------


def check_text_size(evidence: Evidence) -> Iterator[Result]:
    """The smallest visible text, page furniture included, is at least the product's minimum."""
    smallest: TextRun | None = None
    floor = evidence.expect.min_text_pt
    for page in evidence.pages:
        shown = [run for run in page.runs if _shown(run)]
        if not shown:
            continue
        low = min(shown, key=lambda run: run.size_pt)
        if smallest is None or low.size_pt < smallest.size_pt:
            smallest = low
        if floor is not None and low.size_pt < floor - SIZE_TOLERANCE_PT:
            count = sum(run.size_pt < floor - SIZE_TOLERANCE_PT for run in shown)
            yield (
                page.number,
                Severity.ERROR,
                f"text at {low.size_pt:.1f} pt ({_quote(low.text, 40)}{f' and {count - 1} more' if count > 1 else ''})"
                f" is below the {floor:g} pt minimum of {evidence.expect.product}",
            )
    if smallest is not None:
        evidence.measured["smallest_text_pt"] = smallest.size_pt
    if floor is None:
        yield None, Severity.INFO, "not a known product: no minimum text size to hold it to"


def check_italics(evidence: Evidence) -> Iterator[Result]:
    """No italic face and no slanted (synthetic oblique) text in large print."""
    severity = Severity.ERROR if evidence.expect.no_italics else Severity.WARNING
    for page in evidence.pages:
        for run in page.runs:
            if not _shown(run):
                continue
            reason = run.font.italic
            if reason is None and run.skew_degrees > SKEW_TOLERANCE_DEGREES:
                reason = f"text is slanted {run.skew_degrees:.0f} degrees (synthetic italic)"
            if reason:
                yield page.number, severity, f"{reason}: {_quote(run.text, 40)}"
                break


def relative_luminance(colour: Colour) -> float:
    """WCAG 2.2 relative luminance of an sRGB colour."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(v) for v in colour)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: Colour, second: Colour) -> float:
    """WCAG contrast ratio, 1 to 21."""
    light, dark = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _blend(top: Colour, alpha: float, bottom: Colour) -> Colour:
    return (
        top[0] * alpha + bottom[0] * (1 - alpha),
        top[1] * alpha + bottom[1] * (1 - alpha),
        top[2] * alpha + bottom[2] * (1 - alpha),
    )


def _hex(colour: Colour) -> str:
    return "#" + "".join(f"{round(v * 255):02x}" for v in colour)


def background(page: PageContent, order: int, x: float, y: float) -> Colour | None:
    """The colour painted at ``(x, y)`` before paint number ``order``: white paper, then every fill over it.

    None when an image or a fill of unknown colour lies there (the contrast cannot be measured).
    """
    colour: Colour | None = WHITE
    events: list[tuple[int, object]] = [(f.order, f) for f in page.fills if f.order < order]
    events += [(p.order, p) for p in page.pictures if p.order < order]
    for _order, paint in sorted(events, key=lambda item: item[0]):
        if not paint.covers(x, y):  # type: ignore[attr-defined]
            continue
        fill_colour = getattr(paint, "colour", None)
        alpha = getattr(paint, "alpha", 1.0)
        if fill_colour is None:
            colour = None
        elif colour is None:
            colour = fill_colour if alpha >= 1 else None
        else:
            colour = _blend(fill_colour, alpha, colour)
    return colour


def check_contrast(evidence: Evidence) -> Iterator[Result]:
    """Every visible text's colour against what is painted beneath it: at least 7:1."""
    lowest: float | None = None
    unmeasured = 0
    for page in evidence.pages:
        worst: tuple[float, TextRun, Colour, Colour] | None = None
        for run in page.runs:
            if not _shown(run):
                continue
            if run.colour is None:
                unmeasured += 1
                continue
            for x, y in run.samples:
                behind = background(page, run.order, x, y)
                if behind is None:
                    unmeasured += 1
                    break
                front = _blend(run.colour, run.alpha, behind)
                ratio = contrast_ratio(front, behind)
                if worst is None or ratio < worst[0]:
                    worst = (ratio, run, front, behind)
        if worst is None:
            continue
        lowest = worst[0] if lowest is None else min(lowest, worst[0])
        if worst[0] < MIN_CONTRAST:
            ratio, run, front, behind = worst
            yield (
                page.number,
                Severity.ERROR,
                f"text {_quote(run.text, 40)} is {_hex(front)} on {_hex(behind)}: contrast {ratio:.1f}:1,"
                f" below {MIN_CONTRAST:g}:1",
            )
    if lowest is not None:
        evidence.measured["lowest_contrast"] = lowest
    if unmeasured:
        yield (
            None,
            Severity.LIMITATION,
            f"{unmeasured} text runs lie on an image or use a colour the audit cannot read; their contrast was not"
            " measured",
        )


def check_pages(evidence: Evidence) -> Iterator[Result]:
    """The page count is within the product's budget."""
    limit = evidence.expect.max_pages
    if limit is not None and len(evidence.pages) > limit:
        yield (
            None,
            Severity.ERROR,
            f"{len(evidence.pages)} pages; {evidence.expect.product} must fit on {limit}",
        )


# --- reading order ----------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Block:
    role: str
    page: int | None
    text: str
    key: str
    counts: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self.counts = Counter(self.key)


def _own_text(element: Element, texts: dict[tuple[int, int], str]) -> str:
    """Text of ``element`` outside nested blocks, lists, labels and generated link text (``a::after``)."""
    parts: list[str] = []
    stack: list[tuple[Element | tuple[int, int], bool]] = [
        (kid, element.role == "Link") for kid in reversed(element.kids)
    ]
    while stack:
        kid, in_link = stack.pop()
        if isinstance(kid, tuple):
            parts.append(texts.get(kid, ""))
            continue
        if kid.role in BLOCK_ROLES or kid.role in _SKIPPED_IN_BLOCKS or (kid.role == "Link" and in_link):
            continue
        stack.extend((grandchild, in_link or kid.role == "Link") for grandchild in reversed(kid.kids))
    return "".join(parts)


def _keyed(text: str, known: set[str]) -> str:
    """The signature of ``text`` with characters the other side lacks as U+FFFD, so one wrong character (reported
    by the ``characters`` check) does not also make its paragraph look lost."""
    return "".join(sorted(char if char in known else "\ufffd" for char in comparable(text)))


def _pdf_blocks(evidence: Evidence, known: set[str]) -> list[_Block]:
    assert evidence.tree is not None
    texts = evidence.mcid_text()
    blocks = []
    for element in evidence.tree.elements():
        if element.role in BLOCK_ROLES:
            text = _own_text(element, texts)
            if comparable(text):
                role = "H" if HEADING.fullmatch(element.role) else element.role
                blocks.append(_Block(role, element.page, text, _keyed(text, known)))
    return blocks


def _find(blocks: Sequence[_Block], wanted: _Block, start: int) -> tuple[int, int] | None:
    """Where ``wanted`` is among ``blocks`` from ``start``: (index, how many consecutive pieces make it up).

    A paragraph broken across pages is one block of the HTML and two of the structure tree (WeasyPrint tags
    each page apart), so consecutive pieces of the same role whose characters add up to it count as it.
    """
    for index in range(start, len(blocks)):
        block = blocks[index]
        if block.key == wanted.key:
            return index, 1
        if block.role != wanted.role or block.counts - wanted.counts:
            continue
        total = Counter(block.counts)
        end = index + 1
        while end < len(blocks) and blocks[end].role == wanted.role:
            total += blocks[end].counts
            end += 1
            if total - wanted.counts:
                break
            if total == wanted.counts:
                return index, end - index
    return None


def check_reading_order(evidence: Evidence) -> Iterator[Result]:
    """Headings, paragraphs, list items and cells come in the structure tree in the order of the source."""
    if evidence.html is None:
        yield None, Severity.LIMITATION, "no HTML twin next to the PDF: the reading order could not be compared"
        return
    if evidence.tree is None:
        return
    drawn = set(comparable("".join(run.text for page in evidence.pages for run in page.runs)))
    written = set(evidence.html.characters())
    pdf_blocks = _pdf_blocks(evidence, written)
    html_blocks = [
        _Block("H" if block.tag[0] == "h" else _HTML_ROLE[block.tag], None, block.text, _keyed(block.text, drawn))
        for block in evidence.html.blocks
    ]
    cursor = 0
    misplaced = lost = 0
    previous: _Block | None = None
    for block in html_blocks:
        found = _find(pdf_blocks, block, cursor)
        if found is not None:
            cursor = found[0] + found[1]
            previous = block
            continue
        earlier = _find(pdf_blocks, block, 0)
        if earlier is not None:
            misplaced += 1
            if misplaced <= MAX_EXAMPLES:
                after = f" after {_quote(previous.text, 40)}" if previous else ""
                yield (
                    pdf_blocks[earlier[0]].page,
                    Severity.ERROR,
                    f"{_quote(block.text, 40)} comes{after} in the source but before it in the structure tree",
                )
            continue
        lost += 1
        if lost <= MAX_EXAMPLES:
            yield (
                None,
                Severity.ERROR,
                f"{block.role} {_quote(block.text, 50)} of {evidence.html_name} is not a block of the structure tree",
            )
    if misplaced > MAX_EXAMPLES:
        yield None, Severity.ERROR, f"{misplaced - MAX_EXAMPLES} more blocks out of source order"
    if lost > MAX_EXAMPLES:
        yield None, Severity.ERROR, f"{lost - MAX_EXAMPLES} more blocks not found in the structure tree"


def check_clipping(evidence: Evidence) -> Iterator[tuple[int | None, Severity, str]]:
    """Every word inside the printable area and within the boxes it is set in."""
    try:
        found = list(clipped_text(evidence.path, evidence.pages))
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        yield None, Severity.WARNING, f"not checked: {exc}"
        return
    for page, message in found[:MAX_EXAMPLES]:
        yield page, Severity.ERROR, f"text cut off: {message}"
    if len(found) > MAX_EXAMPLES:
        yield None, Severity.ERROR, f"text cut off: {len(found) - MAX_EXAMPLES} more words"


CHECKS: list[tuple[Check, Callable[[Evidence], Iterable[Result]]]] = [
    (Check("tagged", "Marked and tagged: /MarkInfo /Marked true and a structure tree", "PDF/UA-1 7.1"), check_tagged),
    (Check("language", "Document language set to the product's locale", "PDF/UA-1 7.2; WCAG 3.1.1"), check_language),
    (Check("title", "Title in XMP dc:title, shown by viewers (DisplayDocTitle)", "PDF/UA-1 7.1"), check_title),
    (Check("identification", "PDF/UA identification: XMP pdfuaid:part = 1", "PDF/UA-1 5"), check_identification),
    (Check("headings", "Headings: H1 first, no skipped level, none empty", "PDF/UA-1 7.4; WCAG 1.3.1"), check_headings),
    (Check("lists", "Lists tagged L > LI > Lbl + LBody", "PDF/UA-1 7.6; ISO 32000-1 14.8.4.3"), check_lists),
    (
        Check("artifacts", "Running heads and page numbers are artifacts; all else is tagged", "PDF/UA-1 7.1, 7.8"),
        check_artifacts,
    ),
    (Check("figures", "Figures have alternative text", "PDF/UA-1 7.3; WCAG 1.1.1"), check_figures),
    (Check("pdfua", "Independent validator (PyPI pdfua), every rule", "PDF/UA-1"), check_pdfua),
    (Check("fonts", "Fonts embedded, with Unicode maps (ToUnicode)", "PDF/UA-1 7.21"), check_fonts),
    (Check("glyphs", "No character drawn with a missing glyph (.notdef)", "PDF/UA-1 7.21.8"), check_glyphs),
    (
        Check("characters", "Every character of the HTML text is in the PDF text", "WCAG 1.1.1; PDF/UA-1 7.21.7"),
        check_characters,
    ),
    (Check("text-size", "Smallest text at or above the product's minimum", "APH/ACB large print"), check_text_size),
    (Check("italics", "No italic or slanted text in large print", "APH/ACB large print"), check_italics),
    (Check("contrast", "Text contrast at least 7:1 against its background", "WCAG 2.2 1.4.6"), check_contrast),
    (Check("pages", "Page count within the product's budget", "product page budget"), check_pages),
    (
        Check("clipping", "No text cut off at the paper's edge or across a box's border", "printable area"),
        check_clipping,
    ),
    (
        Check("reading-order", "Structure order of headings and paragraphs equals the source", "WCAG 1.3.2"),
        check_reading_order,
    ),
]
"""The checks of every product, in report order."""

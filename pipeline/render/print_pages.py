"""Print page equivalents: on which page of the document's print product (the large-print guide, the handout, the
summary) each block of the text begins, so the editions without pages of their own (braille, EPUB, web) can say
"print page 10" where a clinician holding the print copy says "see page 10".

The pages come from laying the print product out with the same renderer, fonts and paper as the PDF the build
writes (:func:`pipeline.render.product.render_product`), not from reading a PDF file back: a braille or EPUB job
may run before or without the PDF job, and reading text back out of a PDF would have to guess where a heading
that repeats in the contents really is. The layout is WeasyPrint's box tree: the page where an element's first box
lies is the page it begins on. The text's blocks are matched to the print elements in order, by tag and text, so
the contents, the running head and the notices, which only print has, are never taken for text.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

from pipeline.render.errors import PageBudgetError
from pipeline.render.jobs import Job, PageMap

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from pipeline.render.content import Renderer

BLOCK_TAGS = frozenset(("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "dt", "dd", "caption"))
"""Elements that begin a block of text: what the alternative formats mark a print page turn before."""


@dataclass(slots=True, frozen=True)
class PrintPages:
    """Where the print product's pages begin, block by block of the document's body."""

    product: str
    """The print product the pages are of (``large-print``)."""
    count: int
    """Its number of pages."""
    starts: tuple[int, ...]
    """For each block element of the body HTML (:data:`BLOCK_TAGS`, in document order), the print page it begins
    on (1 for the first page)."""

    def page_of(self, index: int) -> int:
        """The print page of the ``index``-th block (the last known one past the end, 1 when none is known)."""
        if not self.starts:
            return 1
        return self.starts[min(index, len(self.starts) - 1)]


class _BodyBlocks(HTMLParser):
    """Tag and text of each block element of an HTML fragment, in document order (nested blocks each count)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, list[str]]] = []
        self._open: list[int] = []
        self._stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCK_TAGS:
            self._open.append(len(self.blocks))
            self.blocks.append((tag, []))
            self._stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCK_TAGS and self._stack and tag in self._stack:
            while self._stack:
                self._open.pop()
                if self._stack.pop() == tag:
                    break

    def handle_data(self, data: str) -> None:
        for index in self._open:
            self.blocks[index][1].append(data)


def _normal(text: str) -> str:
    return " ".join(text.split())


def body_blocks(html: str) -> list[tuple[str, str]]:
    """``(tag, text)`` of every block element of ``html``, in order."""
    parser = _BodyBlocks()
    parser.feed(html)
    parser.close()
    return [(tag, _normal("".join(parts))) for tag, parts in parser.blocks]


def page_map(product: str, pages: int, document: Any) -> PageMap:
    """The page map of a print product laid out as WeasyPrint's ``document`` (its PDF's layout)."""
    return PageMap(product, pages, tuple(_laid_out_blocks(document)))


def print_product_for(job: Job) -> Job | None:
    """The job of the print product made from the same document in the same language (the large-print guide for
    the guide, the large print a clinic's own document declares), or None when the document declares none
    (:attr:`Job.print_product`, which the planner fills in from the declared products)."""
    if job.print_product is None or job.product.format == "pdf":
        return None
    return dataclasses.replace(job, product=job.print_product, print_product=None)


def _laid_out_blocks(document: Any) -> list[tuple[str, str, int]]:
    """``(tag, text, page)`` of each block element of a WeasyPrint document that is on a page, in document order."""
    first_page: dict[int, int] = {}
    elements: dict[int, Any] = {}
    for number, page in enumerate(document.pages, 1):
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is None or getattr(box, "element_tag", None) not in BLOCK_TAGS:
                continue
            if id(element) not in first_page:
                first_page[id(element)] = number
                elements[id(element)] = element
    root = next(iter(elements.values()), None)
    if root is None:
        return []
    # Document order: the elements' order in their tree (the page walk gives it too, except for floats).
    tree = root.getroottree() if hasattr(root, "getroottree") else None
    ordered = list(tree.iter()) if tree is not None else list(elements.values())
    result = []
    for element in ordered:
        if id(element) in first_page:
            tag = str(element.tag).rsplit("}", 1)[-1]
            result.append((tag, _normal("".join(element.itertext())), first_page[id(element)]))
    return result


def match_pages(body: list[tuple[str, str]], laid_out: list[tuple[str, str, int]]) -> tuple[int, ...]:
    """The print page of each body block: the next laid-out element of the same tag and text, in order; a block
    print does not have keeps the page of the block before it."""
    starts: list[int] = []
    position = 0
    page = 1
    for tag, text in body:
        for index in range(position, len(laid_out)):
            if laid_out[index][0] == tag and laid_out[index][1] == text:
                page = laid_out[index][2]
                position = index + 1
                break
        starts.append(page)
    return tuple(starts)


def print_pages(renderer: Renderer, job: Job, body: str) -> PrintPages | None:
    """The print page of each block of ``body`` (the job's body HTML), from the print product of the same document
    and language: its page map as its PDF job recorded it (:attr:`Job.print_map`), else laid out as the build lays
    it out; None when the document has no print product."""
    print_job = print_product_for(job)
    if print_job is None:
        return None
    known = job.print_map
    if known is not None and known.product == print_job.product.name:
        # Its PDF job's layout, kept by the builder for exactly the print product's inputs: no layout here.
        return PrintPages(known.product, known.count, match_pages(body_blocks(body), list(known.blocks)))
    try:
        return _cached(renderer, print_job, body)
    except PageBudgetError as exc:
        # A print product that cannot be made (its text does not fit its pages) has no pages to refer to: the
        # alternative formats are still made, without print page numbers, and the print job reports why.
        log.warning("%s: no print page numbers: %s", job.stem, exc)
        return None


_LAYOUTS: dict[tuple[object, ...], tuple[int, list[tuple[str, str, int]]]] = {}
"""Page count and laid-out blocks of the print products laid out in this process, by renderer, product, language
and the stamps of the files the text comes from."""
_LAYOUTS_KEPT = 8
"""How many layouts the process keeps (a worker builds one language's formats of a document one after another)."""


def _stamp(path: Any) -> tuple[int, int]:
    try:
        status = path.stat()
    except (OSError, AttributeError):
        return (0, 0)
    return (status.st_mtime_ns, status.st_size)


def _cached(renderer: Renderer, print_job: Job, body: str) -> PrintPages:
    # One layout per print product and language in a process: the web page, EPUB and braille of the same document
    # and language, built one after the other by the same worker, share it.
    key = (
        id(renderer), str(print_job.document), print_job.product.name, print_job.locale.code, print_job.draft,
        _stamp(print_job.document), _stamp(print_job.catalog),
    )  # fmt: skip
    if key not in _LAYOUTS:
        from pipeline.render.product import render_product

        rendered = render_product(renderer, print_job, write=False)  # its pages only: 0.3 s less for the guide
        while len(_LAYOUTS) >= _LAYOUTS_KEPT:
            del _LAYOUTS[next(iter(_LAYOUTS))]
        _LAYOUTS[key] = (rendered.pages, _laid_out_blocks(rendered.layout.document))
    count, laid_out = _LAYOUTS[key]
    return PrintPages(print_job.product.name, count, match_pages(body_blocks(body), laid_out))


INSIDE = frozenset(("li", "td", "th", "dt", "dd", "caption"))
"""Blocks whose parent may hold only them (a list, a table row): a page break marker goes inside them, first."""


class _BlockOffsets(HTMLParser):
    """Where each block element's start tag begins and ends in the HTML text, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, tuple[int, int], int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCK_TAGS:
            self.tags.append((tag, self.getpos(), len(self.get_starttag_text() or "")))


def mark_page_breaks(html: str, pages: PrintPages, marker: Callable[[int], str]) -> str:
    """``html`` with ``marker(page)`` where each print page begins: before the first block on the page, or inside
    it, first, where its parent may hold nothing else (a list item). Page 1 is marked at the first block."""
    parser = _BlockOffsets()
    parser.feed(html)
    parser.close()
    starts = [0]
    for text_line in html.splitlines(keepends=True):
        starts.append(starts[-1] + len(text_line))
    inserts: list[tuple[int, str]] = []
    current = 0
    for index, (tag, (line, column), length) in enumerate(parser.tags):
        page = pages.page_of(index)
        if page <= current:
            continue
        offset = starts[line - 1] + column
        # A print page no block begins on (a long paragraph runs over it) is marked with the next one, so every
        # page can be found.
        markers = "".join(marker(number) for number in range(current + 1, page + 1))
        inserts.append((offset + length if tag in INSIDE else offset, markers))
        current = page
    out, position = [], 0
    for offset, text in inserts:
        out += [html[position:offset], text]
        position = offset
    out.append(html[position:])
    return "".join(out)


class _BlockIds(HTMLParser):
    """The ``id`` of each block element (None where it has none), in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCK_TAGS:
            self.ids.append(dict(attrs).get("id"))


def anchor_pages(html: str, pages: PrintPages) -> dict[str, int]:
    """The print page each block element with an ``id`` (a heading's anchor) begins on."""
    parser = _BlockIds()
    parser.feed(html)
    parser.close()
    return {anchor: pages.page_of(index) for index, anchor in enumerate(parser.ids) if anchor}

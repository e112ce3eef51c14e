"""HTML to PDF/UA-1 with WeasyPrint: layout (pure, in memory) apart from writing the PDF bytes."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pydyf

from pipeline.render.engine import CSS, HTML, FatalURLFetchingError, FontConfiguration
from pipeline.render.engine import Document as LaidOutDocument
from pipeline.render.errors import RenderError
from pipeline.render.fonts import Font
from pipeline.render.safety import LayoutsFetcher

log = logging.getLogger(__name__)

PDF_VARIANT = "pdf/ua-1"
"""WeasyPrint's PDF/UA-1 variant: tagged PDF 1.7, /Lang, DisplayDocTitle, XMP ``pdfuaid:part=1``."""


@dataclass(slots=True)
class Layout:
    """A product laid out in pages, not yet written."""

    document: LaidOutDocument
    """WeasyPrint's laid-out document (pages and boxes, for checks)."""
    seconds: float
    """Time WeasyPrint spent parsing and laying out."""
    fetcher: LayoutsFetcher
    """The fetcher images are drawn through when the PDF is written."""

    @property
    def pages(self) -> int:
        """Number of pages."""
        return len(self.document.pages)


def font_face_css(fonts: Sequence[Font]) -> str:
    """``@font-face`` rules loading the chosen single-face fonts from their files (never the network).

    Families only fontconfig can pick from a collection (Noto Sans CJK) are used by name instead.
    """
    rules = []
    for font in fonts:
        if not font.spec.declare:
            continue
        ranges = ", ".join(f"U+{first:04X}-{last:04X}" for first, last in font.spec.unicode_range)
        limit = f" unicode-range: {ranges};" if ranges else ""
        for weight, path in (("normal", font.regular), ("bold", font.bold)):
            rules.append(
                f'@font-face {{ font-family: "{font.family}"; font-weight: {weight}; font-style: normal;'
                f' src: url("{path.resolve().as_uri()}");{limit} }}'
            )
    return "\n".join(rules)


def fetcher_for(layouts_dir: Path, fonts: Sequence[Font]) -> LayoutsFetcher:
    """The fetcher that serves ``layouts_dir`` and the font files of ``fonts`` only."""
    return LayoutsFetcher([layouts_dir], [path for font in fonts for path in (font.regular, font.bold)])


_FONT_SETUPS: dict[str, tuple[Any, Any]] = {}
"""WeasyPrint's font configuration with the ``@font-face`` rules of some fonts registered, and the stylesheet that
declares them, by those rules: the layouts of one product (a handout tries up to 12) and the products of one
language use the same fonts. Registering them copies each font file for fontconfig; doing it once instead of for
every layout made the handouts of four clinic files in five languages 27 % faster (25 s to 18 s here), with every
shipped product byte-identical."""
_FONT_SETUPS_KEPT = 8
"""Most font sets kept (a build's languages and scripts)."""


def _font_setup(fonts: Sequence[Font]) -> tuple[Any, Any]:
    """The font configuration and ``@font-face`` stylesheet of ``fonts``, made once per process (WeasyPrint lets
    documents share one configuration)."""
    rules = font_face_css(fonts)
    if rules not in _FONT_SETUPS:
        if len(_FONT_SETUPS) >= _FONT_SETUPS_KEPT:
            _FONT_SETUPS.clear()
        # The stylesheet fetches the font files only: a fetcher of its own, which nothing else can refuse through.
        fetcher = LayoutsFetcher([], [path for font in fonts for path in (font.regular, font.bold)])
        with _refusals(fetcher):
            font_config = FontConfiguration()
            _FONT_SETUPS[rules] = (font_config, CSS(string=rules, url_fetcher=fetcher, font_config=font_config))
    return _FONT_SETUPS[rules]


def layout_html(html: str, fonts: Sequence[Font], layouts_dir: Path) -> Layout:
    """Lay ``html`` out in pages; RenderError if it asks for any file or URL outside the layouts and fonts."""
    fetcher = fetcher_for(layouts_dir, fonts)
    started = time.perf_counter()
    font_config, stylesheet = _font_setup(fonts)
    with _refusals(fetcher):
        document = HTML(string=html, base_url=layouts_dir.resolve().as_uri() + "/", url_fetcher=fetcher).render(
            stylesheets=[stylesheet], font_config=font_config
        )
    return Layout(document, time.perf_counter() - started, fetcher)


@contextlib.contextmanager
def _refusals(fetcher: LayoutsFetcher) -> Iterator[None]:
    """Turn a request the fetcher refused, whether WeasyPrint stopped on it or went on, into a RenderError."""
    try:
        yield
    except FatalURLFetchingError as exc:
        raise RenderError(
            f"rendering tried to read {fetcher.refused[-1] if fetcher.refused else exc}; refused"
        ) from None
    if fetcher.refused:
        raise RenderError(f"rendering tried to read {fetcher.refused[0]}; refused")


def _number(reference: Any) -> int:
    return int(bytes(reference).split()[0])


def _running_content_as_artifacts(document: LaidOutDocument, pdf: pydyf.PDF) -> None:
    """Mark the page margin boxes (running head, page numbers, "Draft") as pagination artifacts.

    WeasyPrint 70 tags text in margin boxes as /Span marked content whose structure elements hang outside the
    structure tree; PDF/UA wants such repeated page furniture as /Artifact, out of the tree.
    """
    objects = pdf.objects
    root = objects[_number(pdf.catalog["StructTreeRoot"])]
    reachable: set[int] = set()
    stack = [_number(ref) for ref in root["K"]]
    while stack:
        number = stack.pop()
        if number in reachable:
            continue
        reachable.add(number)
        for kid in objects[number].get("K", ()):
            if isinstance(kid, bytes) and kid.endswith(b" R"):
                stack.append(_number(kid))
    nums = objects[_number(root["ParentTree"])]["Nums"]
    orphans: dict[int, set[int]] = {}
    for position in range(0, len(nums), 2):
        page, elements = nums[position], nums[position + 1]
        if not isinstance(elements, pydyf.Array) or page >= len(document.pages):
            continue
        for mcid, reference in enumerate(elements):
            if isinstance(reference, bytes) and reference.endswith(b" R") and _number(reference) not in reachable:
                orphans.setdefault(page, set()).add(mcid)
                elements[mcid] = b"null"
    for page, mcids in orphans.items():
        page_object = objects[_number(pdf.page_references[page])]
        items = objects[_number(page_object["Contents"])].stream
        marked = 0
        for index in range(len(items) - 2):
            properties = items[index + 1]
            if (
                items[index + 2] == b"BDC"
                and isinstance(properties, pydyf.Dictionary)
                and properties.get("MCID") in mcids
            ):
                items[index] = "/Artifact"
                items[index + 1] = pydyf.Dictionary({"Type": "/Pagination"})
                marked += 1
        if marked != len(mcids):
            raise RenderError(f"page {page + 1}: could not mark {len(mcids) - marked} running-head items as artifacts")


PRINT_FLAG = 4
"""PDF annotation flag bit 3 (ISO 32000-1 12.5.3), Print: without it a link annotation is left out of printing,
and PDF/UA-1 (7.18.1) and PDF/A ask every annotation to carry it."""


def _printable_annotations(pdf: pydyf.PDF) -> None:
    """Give every annotation WeasyPrint wrote (the links) the Print flag, which WeasyPrint 70 leaves unset."""
    for reference in pdf.page_references:
        page = pdf.objects[_number(reference)]
        for annotation in page.get("Annots", ()):
            target = pdf.objects[_number(annotation)] if isinstance(annotation, bytes) else annotation
            if isinstance(target, pydyf.Dictionary):
                target["F"] = int(target.get("F", 0)) | PRINT_FLAG


def _list_bodies(pdf: pydyf.PDF) -> None:
    """Give each list item one label and one body: ``LI`` holds ``Lbl`` and ``LBody`` (PDF/UA-1 7.6).

    The layouts set list markers inside the item (base.css), so the page paints them in reading order; WeasyPrint 70
    then tags the item's text straight under ``LI``, next to its ``Lbl``, with no ``LBody``; and when the item holds
    blocks (a second paragraph, a nested list) it wraps the first line, marker and all, in an ``LBody`` of its own,
    so the ``Lbl`` ends up inside a body. Labels are lifted to the item and everything else gathered in one
    ``LBody``. Only elements are moved (marked content stays with the spans that own it, so the parent tree is
    unchanged).
    """
    objects = pdf.objects

    def role(reference: Any) -> Any:
        return objects[_number(reference)].get("S")

    def references(values: Any) -> bool:
        return all(isinstance(value, bytes) and value.endswith(b" R") for value in values)

    for element in list(objects):
        if not isinstance(element, pydyf.Dictionary) or element.get("S") != "/LI":
            continue
        kids = list(element.get("K", ()))
        if not references(kids):
            continue
        labels, content = [], []
        for kid in kids:
            if role(kid) == "/Lbl":
                labels.append(kid)
            elif role(kid) == "/LBody" and references(objects[_number(kid)].get("K", ())):
                inner = list(objects[_number(kid)].get("K", ()))
                labels += [item for item in inner if role(item) == "/Lbl"]
                content += [item for item in inner if role(item) != "/Lbl"]
            else:
                content.append(kid)
        if (
            len(kids) == len(labels) + 1
            and role(kids[-1]) == "/LBody"
            and not any(role(item) == "/Lbl" for item in objects[_number(kids[-1])].get("K", ()))
        ):
            continue  # already a label and one body
        body = pydyf.Dictionary(
            {"Type": "/StructElem", "S": "/LBody", "K": pydyf.Array(content), "P": element.reference}
        )
        if "Pg" in element:
            body["Pg"] = element["Pg"]
        pdf.add_object(body)
        for kid in content:
            objects[_number(kid)]["P"] = body.reference
        for kid in labels:
            objects[_number(kid)]["P"] = element.reference
        element["K"] = pydyf.Array([*labels, body.reference])


def _header_scopes(pdf: pydyf.PDF) -> None:
    """Give each header cell of a table's head row the scope ``Column`` (PDF/UA-1 7.5: a header cell says which
    cells it heads). WeasyPrint links data cells to their headers by ``Headers`` but leaves ``Scope`` out, so a
    checker cannot tell column headers from row headers; a Markdown table's header row is always column headers."""
    objects = pdf.objects

    def parent(element: Any) -> Any:
        reference = element.get("P")
        return objects[_number(reference)] if isinstance(reference, bytes) else None

    for element in list(objects):
        if not isinstance(element, pydyf.Dictionary) or element.get("S") != "/TH":
            continue
        row = parent(element)
        group = parent(row) if row is not None else None
        if group is None or group.get("S") != "/THead":
            continue
        attributes = element.get("A")
        if isinstance(attributes, pydyf.Dictionary) and "Scope" not in attributes:
            attributes["Scope"] = "/Column"


def _links_with_text(pdf: pydyf.PDF) -> None:
    """Fold each ``Link`` element that holds only annotations into the ``Link`` it is nested in.

    WeasyPrint 70 tags the fragment of a link's generated text (the contents' leader and page number, ``a::after``)
    as a ``Link`` of its own inside the link, holding an annotation and no text: a link without text or alternate
    description (PDF/UA-1 7.18.5; outloud LNK-003). Its annotations join the enclosing ``Link``, which has the
    entry's text, and the parent tree points them there.
    """
    objects = pdf.objects
    root = objects[_number(pdf.catalog["StructTreeRoot"])]
    nums = objects[_number(root["ParentTree"])]["Nums"]
    for element in list(objects):
        if not isinstance(element, pydyf.Dictionary) or element.get("S") != "/Link" or "P" not in element:
            continue
        value = element.get("K", ())
        kids = [value] if isinstance(value, pydyf.Dictionary) else list(value)  # one kid may stand alone
        resolved = [objects[_number(kid)] if isinstance(kid, bytes) and kid.endswith(b" R") else kid for kid in kids]
        if not kids or not all(isinstance(kid, pydyf.Dictionary) and kid.get("Type") == "/OBJR" for kid in resolved):
            continue
        parent = objects[_number(element["P"])]
        if not isinstance(parent, pydyf.Dictionary) or parent.get("S") != "/Link":
            continue
        reference = element.reference
        siblings = list(parent.get("K", ()))
        parent["K"] = pydyf.Array([new for kid in siblings for new in (kids if kid == reference else [kid])])
        for position in range(1, len(nums), 2):
            if nums[position] == reference:
                nums[position] = parent.reference


def _finish(document: LaidOutDocument, pdf: pydyf.PDF) -> None:
    """Everything WeasyPrint's PDF needs after writing: running content as artifacts, list bodies, links with
    their text, printable links."""
    _running_content_as_artifacts(document, pdf)
    _list_bodies(pdf)
    _header_scopes(pdf)
    _links_with_text(pdf)
    _printable_annotations(pdf)


def write_pdf(layout: Layout) -> tuple[bytes, float]:
    """The PDF/UA-1 bytes of a laid-out product and the seconds WeasyPrint took to write them."""
    started = time.perf_counter()
    with _refusals(layout.fetcher):
        data = layout.document.write_pdf(pdf_variant=PDF_VARIANT, finisher=_finish)
    assert isinstance(data, bytes)
    return data, time.perf_counter() - started

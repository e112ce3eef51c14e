"""EPUB 3: the translated document as an e-book for reading apps and braille displays, in memory and
byte-for-byte reproducible.

One XHTML content document made from the same HTML body as the print products, a navigation document, the
EPUB Accessibility 1.1 metadata, ``page-progression-direction="rtl"`` for right-to-left languages, and subsets of
Noto Sans Arabic or Noto Sans CJK embedded where a reading system may lack the script. The zip is deterministic:
``mimetype`` first and stored, entries in a fixed order with the timestamp of ``SOURCE_DATE_EPOCH`` (or the
document's date), so the same input gives the same bytes.
"""

from __future__ import annotations

import datetime
import io
import os
import time
import uuid
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree
from xml.sax.saxutils import escape, quoteattr

from pipeline.render.alternative import AlternativeProduct
from pipeline.render.braille_format import formats
from pipeline.render.content import Renderer, prepare_content, visible_text
from pipeline.render.errors import RenderError
from pipeline.render.fonts import CJK, NOTO_ARABIC, FontSpec
from pipeline.render.jobs import Job
from pipeline.render.messages import LayoutTranslations
from pipeline.render.print_pages import mark_page_breaks, print_pages

CONFORMANCE_EVALUATOR = ""
"""Who evaluated the books against EPUB Accessibility 1.1 and WCAG 2.2 AA, for ``a11y:certifiedBy``. Empty: no
person or body has, so the book claims no conformance (``dcterms:conformsTo`` is left out). EPUBCheck, DAISY Ace and
axe-core pass every book in the tests, but automated checks are not an evaluation, and a translation not yet
reviewed cannot be claimed to conform at all (EPUB Accessibility 1.1, 2.3 and the Techniques' "Conformance
reporting")."""
FEATURES = ("structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability")
"""``schema:accessibilityFeature`` values that hold for every book we make."""
PAGE_FEATURES = ("pageBreakMarkers", "pageNavigation")
"""Features of a book whose print pages are marked (a page list and page break markers from the print edition)."""
IMAGE_FEATURES = ("alternativeText",)
"""Features of a book with images: every image a source may show carries alternative text (render/safety.py)."""
DEFAULT_EPOCH = 946684800
"""2000-01-01T00:00:00Z: the timestamp when neither ``SOURCE_DATE_EPOCH`` nor the document gives one."""
VOID = frozenset(("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"))
"""HTML elements without end tag, written ``<br/>`` in XHTML."""
STYLESHEET = """\
html { line-height: 1.5; }
body { margin: 0 0.5em; hyphens: auto; overflow-wrap: break-word; }
h1, h2, h3, h4 { line-height: 1.25; }
em, i { font-style: normal; font-weight: bold; }
.draft-banner { border: 0.2em solid currentColor; padding: 0.25em 0.5em; }
.review-notice { border-inline-start: 0.4em solid currentColor; padding-inline-start: 0.5em; font-weight: bold; }
"""
"""The book's own style: structure only; the reading system's font, size and colours are the reader's. Long words
hyphenate where the reading system has the language's dictionary and break rather than run off a narrow screen
with large text (no soft hyphens in the text: a braille display would show them)."""


@dataclass(slots=True, frozen=True)
class EmbeddedFont:
    """A font subset carried in the book."""

    family: str
    """CSS family name."""
    bold: bool
    """Whether it is the bold face."""
    name: str
    """File name in the book."""
    data: bytes
    """The subset font (OpenType)."""


class _Xhtml(HTMLParser):
    """HTML (as markdown-it and our templates write it) re-serialised as XHTML: void elements closed, text and
    attributes escaped for XML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]], close: bool) -> None:
        text = "".join(f" {name}={quoteattr(value if value is not None else name)}" for name, value in attrs)
        self.out.append(f"<{tag}{text}{'/' if close else ''}>")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs, tag in VOID)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs, True)

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID:
            self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.out.append(escape(data))


def xhtml(html: str) -> str:
    """``html`` as well-formed XHTML."""
    parser = _Xhtml()
    parser.feed(html)
    parser.close()
    return "".join(parser.out)


def _epoch(job: Job) -> int:
    """Seconds since 1970 for every timestamp of the book: ``SOURCE_DATE_EPOCH``, else the document's date."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if value.isdigit():
        return int(value)
    from pipeline.document import load_document
    from pipeline.render.content import front_matter_date

    date = front_matter_date(load_document(job.document, ("title",)).front_matter.get("date"))
    if date is not None:
        return int(datetime.datetime(date.year, date.month, date.day, tzinfo=datetime.UTC).timestamp())
    return DEFAULT_EPOCH


def _face_number(path: Path, family: str) -> int:
    """Index of ``family``'s face in a font collection (0 for a single font)."""
    if path.suffix.lower() not in (".ttc", ".otc"):
        return 0
    from fontTools.ttLib import TTCollection

    collection = TTCollection(str(path), lazy=True)
    for number, font in enumerate(collection.fonts):
        if font["name"].getDebugName(1) == family:
            return number
    raise RenderError(f"font file {path} holds no face of {family!r}")


def subset_font(path: Path, family: str, text: str) -> bytes:
    """The face of ``family`` in ``path`` cut down to the glyphs ``text`` needs (with every OpenType layout
    feature, for Arabic joining), its timestamps kept so the bytes depend on the input only. HarfBuzz's subsetter
    (:mod:`pipeline.render.subset`: 16 ms a CJK face) where it is installed, else fontTools' (3.0 s a CJK face)."""
    from pipeline.render.subset import harfbuzz_subset

    face = _face_number(path, family)
    fast = harfbuzz_subset(path, face, text)
    if fast is not None:
        return fast
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), fontNumber=face, recalcTimestamp=False, lazy=False)
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.recalc_timestamp = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def embedded_fonts(renderer: Renderer, script: str, text: str) -> list[EmbeddedFont]:
    """Subsets of the script's font where reading systems may lack it (Arabic, Chinese, Japanese, Korean); none
    for Latin-script languages, which every reading system can show."""
    spec: FontSpec | None = CJK.get(script) or (NOTO_ARABIC if script == "Arab" else None)
    if spec is None:
        return []
    font = renderer.fonts.font(spec)
    chars = "".join(sorted(set(text))) + "0123456789.,:;()-\u2013\u2022 "
    fonts = []
    for bold, path in ((False, font.regular), (True, font.bold)):
        data = subset_font(path, spec.family, chars)
        suffix = "otf" if data[:4] == b"OTTO" else "ttf"
        fonts.append(EmbeddedFont(spec.family, bold, f"fonts/{'bold' if bold else 'regular'}.{suffix}", data))
    return fonts


def _word(words: LayoutTranslations, message: str, source: str, translated: bool) -> str:
    """A layout word in the book's language, or in the source language marked so when it has no translation."""
    text = escape(words.gettext(message))
    if translated and message in words.missing:
        return f'<span lang="{source}" xml:lang="{source}" dir="ltr">{text}</span>'
    return text


class _Outline(HTMLParser):
    """The h2 and h3 headings of an HTML body that have an id: level, id and their text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[tuple[int, str, str]] = []
        self._open: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        anchor = dict(attrs).get("id")
        if tag in ("h2", "h3") and anchor:
            self.headings.append((int(tag[1]), anchor, ""))
            self._open = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h2", "h3") and self._open is not None:
            level, anchor, _ = self.headings[-1]
            self.headings[-1] = (level, anchor, " ".join("".join(self._open).split()))
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open.append(data)


def outline(html: str) -> list[tuple[int, str, str]]:
    """``(level, id, text)`` of the h2 and h3 headings of ``html``, in order."""
    parser = _Outline()
    parser.feed(html)
    parser.close()
    return parser.headings


def _contents(headings: list[tuple[int, str, str]]) -> str:
    """Contents list items: each h2, with its h3s in a list of their own."""
    items: list[str] = []
    for level, anchor, text in headings:
        link = f'<a href="content.xhtml#{anchor}">{escape(text)}</a>'
        if level == 3 and items:
            if items[-1].endswith("</ol></li>"):
                items[-1] = items[-1][: -len("</ol></li>")] + f"<li>{link}</li></ol></li>"
            else:
                items[-1] = items[-1][: -len("</li>")] + f"<ol><li>{link}</li></ol></li>"
        else:
            items.append(f"<li>{link}</li>")
    return "\n".join(items)


def _document(title: str, tag: str, direction: str, body: str, stylesheet: bool = True) -> str:
    link = '<link rel="stylesheet" type="text/css" href="style.css"/>\n' if stylesheet else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
        f'<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="{tag}"'
        f' xml:lang="{tag}" dir="{direction}">\n<head>\n<meta charset="utf-8"/>\n<title>{escape(title)}</title>\n'
        f"{link}</head>\n{body}\n</html>\n"
    )


def _package(
    job: Job,
    title: str,
    modified: str,
    fonts: list[EmbeddedFont],
    description: str | None,
    summary: str = "",
    page_source: str = "",
    images: bool = False,
) -> str:
    tag, rtl = job.locale.tag, job.locale.direction == "rtl"
    features = (*FEATURES, *(PAGE_FEATURES if page_source else ()), *(IMAGE_FEATURES if images else ()))
    # EPUB Accessibility 1.1 / schema.org: a book with images is read visually as well as textually, and the text
    # alone suffices because each image has alternative text.
    modes = ["textual", "visual"] if images else ["textual"]
    sufficient = ["textual", "textual,visual"] if images else ["textual"]
    # EPUB Accessibility 1.1: a conformance claim names its evaluator; the book makes none unless one is named.
    claim = (
        [
            '<meta property="dcterms:conformsTo">EPUB Accessibility 1.1 - WCAG 2.2 Level AA</meta>',
            f'<meta property="a11y:certifiedBy">{escape(CONFORMANCE_EVALUATOR)}</meta>',
        ]
        if CONFORMANCE_EVALUATOR and job.reviewed and not job.draft
        else []
    )
    identifier = uuid.uuid5(uuid.NAMESPACE_URL, f"plainleaf:{job.product.document}:{job.locale.code}")
    meta = [
        f'<dc:identifier id="uid">urn:uuid:{identifier}</dc:identifier>',
        f"<dc:title>{escape(title)}</dc:title>",
        f"<dc:language>{tag}</dc:language>",
        *([f"<dc:description>{escape(description)}</dc:description>"] if description else []),
        f'<meta property="dcterms:modified">{modified}</meta>',
        *(f'<meta property="schema:accessMode">{mode}</meta>' for mode in modes),
        *(f'<meta property="schema:accessModeSufficient">{mode}</meta>' for mode in sufficient),
        *(f'<meta property="schema:accessibilityFeature">{feature}</meta>' for feature in features),
        '<meta property="schema:accessibilityHazard">none</meta>',
        f'<meta property="schema:accessibilitySummary">{escape(summary)}</meta>',
        # Where the page numbers come from. EPUB Accessibility 1.1 names it a11y:pageBreakSource, which
        # EPUBCheck 4.2 (Debian's) reports as undefined; dc:source refined as the source of the pagination is the
        # EPUB 3.2 form, which it validates and reading systems read.
        *(
            [
                f'<dc:source id="page-source">{escape(page_source)}</dc:source>',
                '<meta refines="#page-source" property="source-of">pagination</meta>',
            ]
            if page_source
            else []
        ),
        *claim,
    ]
    items = [
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
        '<item id="content" href="content.xhtml" media-type="application/xhtml+xml"/>',
        '<item id="style" href="style.css" media-type="text/css"/>',
        *(
            f'<item id="font{n}" href="{font.name}" media-type="font/{font.name.rsplit(".", 1)[-1]}"/>'
            for n, font in enumerate(fonts)
        ),
    ]
    spine = ' page-progression-direction="rtl"' if rtl else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid" xml:lang="{tag}"'
        f' dir="{job.locale.direction}">\n<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        + "\n".join(meta)
        + "\n</metadata>\n<manifest>\n"
        + "\n".join(items)
        + f'\n</manifest>\n<spine{spine}>\n<itemref idref="content"/>\n'
        # The navigation document is in the spine (out of the reading order) because the landmarks link to it.
        + '<itemref idref="nav" linear="no"/>\n</spine>\n</package>\n'
    )


CONTAINER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">\n<rootfiles>\n'
    '<rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>\n</rootfiles>\n</container>\n'
)
"""``META-INF/container.xml``: where the package document is."""


def zip_book(entries: list[tuple[str, bytes]], epoch: int) -> bytes:
    """The EPUB container: ``mimetype`` first and stored, then ``entries`` deflated, every timestamp ``epoch``."""
    stamp = time.gmtime(max(epoch, 315532800))[:6]  # zip cannot hold times before 1980
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as book:
        for name, data in [("mimetype", b"application/epub+zip"), *entries]:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            book.writestr(info, data, compresslevel=9)
    return out.getvalue()


def render_epub(renderer: Renderer, job: Job) -> AlternativeProduct:
    """The job's EPUB 3 book, its XHTML checked well-formed."""
    started = time.perf_counter()
    content = prepare_content(renderer, job)
    context, words = content.context, content.translations
    locale = job.locale
    tag, direction = locale.tag, locale.direction
    source = renderer.config.source_language
    translated = locale.code != source and not locale.pseudo
    title = str(context["title"])
    header = []
    if context["incomplete"]:
        notice = _word(words, "this translation is not complete. Do not give it to patients.", source, translated)
        header.append(
            f'<p class="draft-banner" role="note"><strong>{_word(words, "Draft", source, translated)}</strong>:'
            f" {notice}</p>"
        )
    if not context["reviewed"]:
        notice = "This translation has not yet been reviewed by a qualified medical translator."
        header.append(f'<p class="review-notice" role="note">{_word(words, notice, source, translated)}</p>')
    header.append(f"<h1>{xhtml(str(context['title_html']))}</h1>")
    if context["version"] or context["date_text"]:
        edition = words.gettext("Version %(version)s, %(date)s") % {
            "version": context["version"],
            "date": context["date_text"],
        }
        edition += f" · {context['edition_id']}" if context.get("edition_id") else ""
        header.append(f'<p class="edition">{escape(edition)}</p>')
    html = str(context["body"])
    pages = print_pages(renderer, job, html)
    if pages is not None:
        # Page break markers where the print edition's pages begin (EPUB 3.3 page-list; DPUB-ARIA), named by title:
        # axe-core reports aria-label on them as prohibited.
        html = mark_page_breaks(
            html,
            pages,
            lambda page: f'<span epub:type="pagebreak" role="doc-pagebreak" id="page-{page}" title="{page}"></span>',
        )
    body = (
        '<body>\n<header epub:type="frontmatter">\n'
        + "\n".join(header)
        + '\n</header>\n<main id="main" epub:type="bodymatter">\n'
        + xhtml(html)
        + "\n</main>\n</body>"
    )
    contents = _word(words, "Contents", source, translated)
    toc = _contents(outline(html)) or f'<li><a href="content.xhtml">{escape(title)}</a></li>'
    landmarks = (
        '<nav epub:type="landmarks" id="landmarks" hidden="hidden">\n<ol>\n'
        f'<li><a epub:type="toc" href="nav.xhtml#toc">{contents}</a></li>\n'
        f'<li><a epub:type="bodymatter" href="content.xhtml#main">{escape(title)}</a></li>\n</ol>\n</nav>\n'
    )
    page_list = ""
    if pages is not None and pages.count:
        numbers = sorted(set(pages.starts)) if pages.starts else []
        numbers = list(range(1, max(numbers) + 1)) if numbers else []
        items = "\n".join(f'<li><a href="content.xhtml#page-{n}">{n}</a></li>' for n in numbers)
        page_list = f'<nav epub:type="page-list" id="page-list" hidden="hidden">\n<ol>\n{items}\n</ol>\n</nav>\n'
    nav = (
        f'<body>\n<nav epub:type="toc" id="toc" role="doc-toc" aria-labelledby="toc-title">\n'
        f'<h1 id="toc-title">{contents}</h1>\n<ol>\n{toc}\n</ol>\n</nav>\n{landmarks}{page_list}</body>'
    )
    documents = {
        "EPUB/content.xhtml": _document(title, tag, direction, body),
        "EPUB/nav.xhtml": _document(
            contents if "<" not in contents else words.gettext("Contents"), tag, direction, nav
        ),
    }
    for name, text in documents.items():
        try:
            ElementTree.fromstring(text.encode("utf-8"))
        except ElementTree.ParseError as exc:
            raise RenderError(
                f"{locale.code} {job.product.document} EPUB: {name} is not well-formed XML: {exc}"
            ) from None
    prepared = time.perf_counter()
    fonts = embedded_fonts(renderer, locale.script, visible_text(documents["EPUB/content.xhtml"]) + title)
    css = STYLESHEET
    if fonts:
        faces = "".join(
            f'@font-face {{ font-family: "{font.family}"; font-weight: {"bold" if font.bold else "normal"};'
            f' src: url("{font.name}"); }}\n'
            for font in fonts
        )
        css = faces + f':root {{ font-family: "{fonts[0].family}", sans-serif; }}\n' + css
    keys = [locale.code, f"{locale.data.language}_{locale.script}", locale.data.language]
    wording = formats().words(keys)
    # The images the Markdown body shows (counted where they are made, not looked for in the XHTML text, where a
    # code span may spell "<img"); the header and the clinic's section are text.
    images = content.images > 0
    paged = pages is not None and pages.count > 0
    summary = wording[
        ("accessibility_summary_images" if images else "accessibility_summary") + ("" if paged else "_no_print")
    ]
    source_of_pages = ""
    if pages is not None and pages.count:
        # The print edition the page numbers are from.
        edition = " ".join(str(context[key]) for key in ("version", "date_text") if context[key])
        source_of_pages = f"Plainleaf {pages.product}: {title}" + (f", {edition}" if edition else "")
    epoch = _epoch(job)
    modified = datetime.datetime.fromtimestamp(epoch, datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    entries = [
        ("META-INF/container.xml", CONTAINER.encode("utf-8")),
        (
            "EPUB/package.opf",
            _package(job, title, modified, fonts, context.get("description"), summary, source_of_pages, images).encode(
                "utf-8"
            ),
        ),
        ("EPUB/nav.xhtml", documents["EPUB/nav.xhtml"].encode("utf-8")),
        ("EPUB/content.xhtml", documents["EPUB/content.xhtml"].encode("utf-8")),
        ("EPUB/style.css", css.encode("utf-8")),
        *((f"EPUB/{font.name}", font.data) for font in fonts),
    ]
    book = zip_book(entries, epoch)
    done = time.perf_counter()
    return AlternativeProduct(
        job,
        {"epub": book},
        title,
        str(context["date_text"]),
        timings={"prepare": prepared - started, "write": done - prepared},
    )

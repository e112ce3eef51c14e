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
from pipeline.render.content import Renderer, prepare_content, visible_text
from pipeline.render.errors import RenderError
from pipeline.render.fonts import CJK, NOTO_ARABIC, FontSpec
from pipeline.render.jobs import Job
from pipeline.render.messages import LayoutTranslations

CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"
"""What the book claims (``dcterms:conformsTo``): its content is the web edition's HTML, checked by axe-core's
WCAG 2.2 AA rules in the tests, in a structure EPUBCheck validates."""
SUMMARY = (
    "Text only: headings in order, lists and a table of contents, in the language of the book and marked so;"
    " no images, sound, video or motion. The text reflows and the reader's font, size and colours apply."
)
"""``schema:accessibilitySummary``: what a reader can expect, in words."""
FEATURES = ("structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability")
"""``schema:accessibilityFeature`` values that hold for every book we make."""
DEFAULT_EPOCH = 946684800
"""2000-01-01T00:00:00Z: the timestamp when neither ``SOURCE_DATE_EPOCH`` nor the document gives one."""
VOID = frozenset(("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"))
"""HTML elements without end tag, written ``<br/>`` in XHTML."""
STYLESHEET = """\
html { line-height: 1.5; }
body { margin: 0 0.5em; }
h1, h2, h3, h4 { line-height: 1.25; }
em, i { font-style: normal; font-weight: bold; }
.draft-banner { border: 0.2em solid currentColor; padding: 0.25em 0.5em; }
.review-notice { border-inline-start: 0.4em solid currentColor; padding-inline-start: 0.5em; font-weight: bold; }
"""
"""The book's own style: structure only; the reading system's font, size and colours are the reader's."""


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
    feature, for Arabic joining), its timestamps kept so the bytes depend on the input only."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), fontNumber=_face_number(path, family), recalcTimestamp=False, lazy=False)
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


def _document(title: str, tag: str, direction: str, body: str, stylesheet: bool = True) -> str:
    link = '<link rel="stylesheet" type="text/css" href="style.css"/>\n' if stylesheet else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
        f'<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="{tag}"'
        f' xml:lang="{tag}" dir="{direction}">\n<head>\n<meta charset="utf-8"/>\n<title>{escape(title)}</title>\n'
        f"{link}</head>\n{body}\n</html>\n"
    )


def _package(job: Job, title: str, modified: str, fonts: list[EmbeddedFont], description: str | None) -> str:
    tag, rtl = job.locale.tag, job.locale.direction == "rtl"
    identifier = uuid.uuid5(uuid.NAMESPACE_URL, f"plainleaf:{job.product.document}:{job.locale.code}")
    meta = [
        f'<dc:identifier id="uid">urn:uuid:{identifier}</dc:identifier>',
        f"<dc:title>{escape(title)}</dc:title>",
        f"<dc:language>{tag}</dc:language>",
        *([f"<dc:description>{escape(description)}</dc:description>"] if description else []),
        f'<meta property="dcterms:modified">{modified}</meta>',
        '<meta property="schema:accessMode">textual</meta>',
        '<meta property="schema:accessModeSufficient">textual</meta>',
        *(f'<meta property="schema:accessibilityFeature">{feature}</meta>' for feature in FEATURES),
        '<meta property="schema:accessibilityHazard">none</meta>',
        f'<meta property="schema:accessibilitySummary">{escape(SUMMARY)}</meta>',
        f'<meta property="dcterms:conformsTo">{CONFORMANCE}</meta>',
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
        + f'\n</manifest>\n<spine{spine}>\n<itemref idref="content"/>\n</spine>\n</package>\n'
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
    body = (
        "<body>\n<header>\n"
        + "\n".join(header)
        + "\n</header>\n<main>\n"
        + xhtml(str(context["body"]))
        + "\n</main>\n</body>"
    )
    contents = _word(words, "Contents", source, translated)
    toc = (
        "\n".join(
            f'<li><a href="content.xhtml#{heading.anchor}">{xhtml(str(heading.html))}</a></li>'
            for heading in context["toc"]
        )
        or f'<li><a href="content.xhtml">{escape(title)}</a></li>'
    )
    nav = (
        f'<body>\n<nav epub:type="toc" id="toc" role="doc-toc" aria-labelledby="toc-title">\n'
        f'<h1 id="toc-title">{contents}</h1>\n<ol>\n{toc}\n</ol>\n</nav>\n</body>'
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
    epoch = _epoch(job)
    modified = datetime.datetime.fromtimestamp(epoch, datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    entries = [
        ("META-INF/container.xml", CONTAINER.encode("utf-8")),
        ("EPUB/package.opf", _package(job, title, modified, fonts, context.get("description")).encode("utf-8")),
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

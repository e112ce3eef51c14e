"""Untrusted text stays text: what a source or translation may contain, and the only files rendering may read.

Three fences. Before rendering, :func:`check_tokens` refuses remote or ``file:`` images, links to anything but
http(s), ``mailto:``, ``tel:`` and in-document anchors, and raw HTML that could load or run anything (script,
style sheets that load, frames, objects, images, SVG, forms, event handlers), naming the document and line.
While rendering, the raw HTML left is sanitized (:func:`sanitize_block` with ``nh3``, the binding of the Ammonia
sanitizer; :func:`sanitize_inline` tag by tag): a safe subset of tags and attributes is kept, anything else is
dropped and its text kept. :class:`LayoutsFetcher` serves only the layouts folder, the chosen font files and
``data:`` URLs; any other request stops the rendering with a RenderError, so nothing reaches the network or the disk.
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Iterable, Sequence
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from markdown_it.token import Token

from pipeline.document import plain_text
from pipeline.render.engine import FatalURLFetchingError, URLFetcher, URLFetcherResponse
from pipeline.render.errors import RenderError

ALLOWED_TAGS = frozenset({"br", "wbr", "sup", "sub", "abbr", "span", "bdi", "bdo", "strong", "b", "small"})
"""Raw inline HTML kept as a tag (``sanitize_inline``); another harmless inline tag is dropped, its text kept."""
BLOCK_TAGS = ALLOWED_TAGS | frozenset(
    {
        "p", "div", "section", "article", "aside", "header", "footer", "figure", "figcaption", "blockquote",
        "details", "summary", "dl", "dt", "dd", "ul", "ol", "li", "table", "caption", "thead", "tbody", "tfoot",
        "tr", "th", "td", "hr", "pre", "code", "em", "mark", "kbd", "q", "cite", "dfn", "time", "del", "ins", "a",
    }
)  # fmt: skip
"""Tags a raw HTML block keeps once sanitized (``sanitize_block``): structure and phrasing, never a heading (the
document's outline is its Markdown's), italics-only tags or anything that loads or runs."""
ALLOWED_ATTRIBUTES = frozenset({"title", "lang", "dir"})
"""Attributes kept on any tag: none that can load anything or carry CSS."""
TABLE_ATTRIBUTES = frozenset({"colspan", "rowspan", "scope", "headers", "abbr"})
"""Attributes kept on table cells, which give a table its structure."""
REFUSED_TAGS = frozenset(
    {
        "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "img", "image", "picture",
        "source", "track", "video", "audio", "svg", "math", "link", "meta", "base", "form", "input", "button",
        "select", "textarea", "template", "portal", "noscript", "canvas", "map", "area",
    }
)  # fmt: skip
"""Raw HTML refused with an error naming the line: what loads, runs, submits or draws something. A source needs
none of them (an image is written in Markdown, where its file is checked), so one is a mistake or an attack."""
LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
"""Schemes a link may point to, besides ``#anchors`` inside the document: web pages, e-mail and telephone."""
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg"})
"""Image files a source may show (raster only: an SVG can reference other files)."""
_CSS_LOADING = re.compile(r"@import|url\s*\(|expression\s*\(|image-set\s*\(", re.IGNORECASE)


class _RawHtml(HTMLParser):
    """Collects why a raw HTML fragment is refused (:data:`REFUSED_TAGS`, event handlers, declarations)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in REFUSED_TAGS:
            self.problems.append(f"raw HTML <{tag}> is not allowed")
            return
        for name, _value in attrs:
            if name.startswith("on") or (name in ("src", "srcset", "href") and tag != "a"):
                self.problems.append(f"raw HTML attribute {name!r} on <{tag}> is not allowed")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_decl(self, decl: str) -> None:
        self.problems.append(f"raw HTML declaration <!{decl}> is not allowed")

    def handle_pi(self, data: str) -> None:
        self.problems.append("raw HTML processing instruction is not allowed")

    def unknown_decl(self, data: str) -> None:
        self.problems.append("raw HTML CDATA section is not allowed")


def raw_html_problems(html: str) -> list[str]:
    """Why a raw HTML fragment of a source may not be rendered; empty when it may, once sanitized (comments are
    dropped)."""
    problems = []
    if _CSS_LOADING.search(html):
        problems.append("raw HTML with CSS that loads resources (@import, url()) is not allowed")
    parser = _RawHtml()
    parser.feed(_without_comments(html))
    parser.close()
    return problems + parser.problems


def _without_comments(html: str) -> str:
    return re.sub(r"<!--.*?(-->|\Z)", "", html, flags=re.DOTALL)


def sanitize_block(html: str) -> str:
    """A raw HTML block as the page may show it: ``nh3`` (Ammonia) keeps :data:`BLOCK_TAGS` with
    :data:`ALLOWED_ATTRIBUTES` (and table structure, and http(s)/mailto/tel links), drops every other tag and
    attribute and keeps their text; script and style contents go entirely."""
    import nh3  # 1 ms; only documents with raw HTML need it

    attributes: dict[str, set[str]] = {"*": set(ALLOWED_ATTRIBUTES), "a": {"href"}}
    for cell in ("th", "td"):
        attributes[cell] = set(TABLE_ATTRIBUTES)
    return str(
        nh3.clean(
            _without_comments(html), tags=set(BLOCK_TAGS), attributes=attributes, url_schemes=set(LINK_SCHEMES),
            link_rel=None, strip_comments=True,
        )
    )  # fmt: skip


class _Inline(HTMLParser):
    """Rebuilds inline raw HTML from :data:`ALLOWED_TAGS` and :data:`ALLOWED_ATTRIBUTES` alone, tag by tag."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ALLOWED_TAGS:
            kept = "".join(
                f' {name}="{escape(value or "", quote=True)}"' for name, value in attrs if name in ALLOWED_ATTRIBUTES
            )
            self.parts.append(f"<{tag}{kept}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in ALLOWED_TAGS and tag not in ("br", "wbr"):
            self.parts.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.parts.append(escape(data, quote=False))


def sanitize_inline(html: str) -> str:
    """One inline raw HTML token (markdown-it gives ``<span lang="es">`` and ``</span>`` apart, so a whole-fragment
    sanitizer would close the tag at once): the tag rebuilt from the allowed names, or nothing."""
    parser = _Inline()
    parser.feed(_without_comments(html))
    parser.close()
    return "".join(parser.parts)


def is_comment(html: str) -> bool:
    """Whether a raw HTML fragment is only comments (directives and notes), which print nothing."""
    return not re.sub(r"<!--.*?-->", "", html, flags=re.DOTALL).strip()


def image_problem(src: str) -> str | None:
    """Why an image source may not be shown, or None for a relative PNG/JPEG path."""
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or src.startswith("//"):
        return f"image {src!r} is not a file of the project (remote, file: and data: images are refused)"
    path = unquote(parts.path)
    if path.startswith("/") or ".." in Path(path).parts:
        return f"image {src!r} must be a relative path inside the source folder"
    if Path(path).suffix.lower() not in IMAGE_SUFFIXES:
        return f"image {src!r} must be a PNG or JPEG file"
    return None


def link_problem(href: str) -> str | None:
    """Why a link target may not be printed, or None for http(s), ``mailto:``, ``tel:`` and ``#anchor`` links."""
    if href.startswith("#"):
        return None
    scheme = urlsplit(href).scheme.lower()
    if scheme in LINK_SCHEMES:
        return None
    if not scheme:
        return f"link to {href!r} is relative; only http(s), mailto: and tel: links and #anchors can be printed"
    return f"link to {href!r} uses the scheme {scheme!r}; only http(s), mailto: and tel: links are allowed"


_LINK_TARGET = re.compile(
    r"(?:\]\(\s*<?|^[ \t]{0,3}\[[^\]]+\]:\s*<?|<)([A-Za-z][A-Za-z0-9+.-]{1,31}):(?=[^\s>]*)", re.MULTILINE
)


def check_source(text: str, path: Path | str) -> None:
    """Refuse link and image targets with a scheme other than http(s), mailto: or tel: anywhere in a Markdown source
    (an image may only be a file: :func:`image_problem`).

    markdown-it leaves ``[x](javascript:...)`` or ``![x](file:...)`` as plain text rather than a link, which
    is harmless, but such a target in a patient guide is a mistake or an attack and must be reported.
    """
    for match in _LINK_TARGET.finditer(text):
        scheme = match.group(1).lower()
        if scheme in LINK_SCHEMES or (match.group(0).startswith("<") and scheme not in _URL_SCHEMES):
            continue
        line = text.count("\n", 0, match.start()) + 1
        raise RenderError(
            f"link or image target with the scheme {scheme!r}; only http(s), mailto: and tel: are allowed", path, line
        )


_URL_SCHEMES = frozenset(
    {
        "file",
        "data",
        "javascript",
        "vbscript",
        "ftp",
        "ftps",
        "smb",
        "mailto",
        "tel",
        "about",
        "blob",
        "filesystem",
        "jar",
        "gopher",
        "ws",
        "wss",
    }
)
"""Schemes that make ``<scheme:...>`` an autolink attempt rather than some other angle-bracketed text."""


def check_tokens(tokens: Sequence[Token], path: Path | str, line_of: Sequence[int | None] | None = None) -> None:
    """Raise RenderError for the first unsafe image, link or raw HTML in markdown-it ``tokens`` of a document.

    ``line_of`` gives the source line for each block token when ``tokens`` come from a translation whose lines
    differ from the source's.
    """
    for index, token in enumerate(tokens):
        line = (token.map[0] + 1) if token.map else None
        if line_of is not None:
            line = line_of[index] if index < len(line_of) else None
        problems: list[str] = []
        if token.type == "html_block":
            problems = raw_html_problems(token.content)
        for child in token.children or []:
            if child.type == "html_inline":
                problems += raw_html_problems(child.content)
            elif child.type == "image":
                problem = image_problem(str(child.attrs.get("src", "")))
                problems += [problem] if problem else []
                if not plain_text(child).strip():
                    problems.append(f"image {child.attrs.get('src', '')!r} has no alternative text")
            elif child.type == "link_open":
                problem = link_problem(str(child.attrs.get("href", "")))
                problems += [problem] if problem else []
        if problems:
            raise RenderError(problems[0], path, line)


class LayoutsFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no type hints
    """The only URL fetcher rendering uses: layouts folder, chosen font files and ``data:`` URLs, nothing else."""

    def __init__(self, folders: Iterable[Path], files: Iterable[Path]) -> None:
        super().__init__(allowed_protocols=("file", "data"), fail_on_errors=True, allow_redirects=False)
        self.folders = tuple(folder.resolve() for folder in folders)
        self.files = frozenset(path.resolve() for path in files)
        self.refused: list[str] = []
        """Every URL refused, in order."""

    def _allowed(self, path: Path) -> bool:
        return path in self.files or any(path.is_relative_to(folder) for folder in self.folders)

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        """Serve an allowed file or a ``data:`` URL; stop the rendering on anything else."""
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = Path(url2pathname(urlsplit(url).path)).resolve()
            if self._allowed(path) and path.is_file():
                content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": content_type})
        self.refused.append(url)
        raise FatalURLFetchingError(f"refused to fetch {url}")

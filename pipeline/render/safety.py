"""Untrusted text stays text: what a source or translation may contain, and the only files rendering may read.

Two fences. Before rendering, :func:`check_tokens` refuses remote or ``file:`` images, links to anything but
http(s) and in-document anchors, and raw HTML beyond a few harmless inline tags, naming the document and line.
While rendering, :class:`LayoutsFetcher` serves only the layouts folder, the chosen font files and ``data:``
URLs; any other request stops the rendering with a RenderError, so nothing reaches the network or the disk.
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Iterable, Sequence
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
"""Raw inline HTML a source may use; everything else (script, style, link, iframe, img, object ...) is refused."""
ALLOWED_ATTRIBUTES = frozenset({"title", "lang", "dir"})
"""Attributes allowed on those tags: none that can load anything or carry CSS."""
LINK_SCHEMES = frozenset({"http", "https"})
"""Schemes a link may point to, besides ``#anchors`` inside the document."""
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg"})
"""Image files a source may show (raster only: an SVG can reference other files)."""
_CSS_LOADING = re.compile(r"@import|url\s*\(|expression\s*\(|image-set\s*\(", re.IGNORECASE)


class _RawHtml(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"raw HTML <{tag}> is not allowed")
            return
        for name, _value in attrs:
            if name not in ALLOWED_ATTRIBUTES:
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
    """Why a raw HTML fragment of a source may not be rendered; empty when it may (comments are dropped)."""
    problems = []
    if _CSS_LOADING.search(html):
        problems.append("raw HTML with CSS that loads resources (@import, url()) is not allowed")
    parser = _RawHtml()
    parser.feed(re.sub(r"<!--.*?(-->|\Z)", "", html, flags=re.DOTALL))
    parser.close()
    return problems + parser.problems


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
    """Why a link target may not be printed, or None for http(s) and ``#anchor`` links."""
    if href.startswith("#"):
        return None
    scheme = urlsplit(href).scheme.lower()
    if scheme in LINK_SCHEMES:
        return None
    if not scheme:
        return f"link to {href!r} is relative; only http(s) links and #anchors can be printed"
    return f"link to {href!r} uses the scheme {scheme!r}; only http(s) links are allowed"


_LINK_TARGET = re.compile(
    r"(?:\]\(\s*<?|^[ \t]{0,3}\[[^\]]+\]:\s*<?|<)([A-Za-z][A-Za-z0-9+.-]{1,31}):(?=[^\s>]*)", re.MULTILINE
)


def check_source(text: str, path: Path | str) -> None:
    """Refuse link and image targets with a scheme other than http(s) anywhere in a Markdown source.

    markdown-it leaves ``[x](javascript:...)`` or ``![x](file:...)`` as plain text rather than a link, which
    is harmless, but such a target in a patient guide is a mistake or an attack and must be reported.
    """
    for match in _LINK_TARGET.finditer(text):
        scheme = match.group(1).lower()
        if scheme in LINK_SCHEMES or (match.group(0).startswith("<") and scheme not in _URL_SCHEMES):
            continue
        line = text.count("\n", 0, match.start()) + 1
        raise RenderError(f"link or image target with the scheme {scheme!r}; only http(s) is allowed", path, line)


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

"""One side of a message (msgid or msgstr) analysed once: prose, placeholders, markup, unsafe content.

Every check reads the :class:`InlineText` that :func:`analyse` makes, so a msgid checked in five locales is
parsed once.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Final

from markdown_it import MarkdownIt
from markdown_it.token import Token

HIDDEN: Final = "\ufffc"
"""Stands in the prose for a code span or placeholder: neither a letter, a digit nor a space."""
# Without one of these (or "](") a text has no emphasis, code, HTML, link or break to parse.
_MARKDOWN_SPECIALS: Final = frozenset("*_`<\n")

_INLINE_SYNTAX: Final = re.compile(
    r"\\(?P<escaped>[!-/:-@\[-`{-~])"
    r"|(?P<ticks>`+)"
    r"|\]\[(?P<ref>[0-9]+)\]"
    r"|\{(?P<atom>[0-9]+)\}"
    r"|\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)\}"
    r"|(?P<open>!?\[)"
    r"|(?P<close>\])"
)
_HTML: Final = re.compile(r"<(?:[A-Za-z][A-Za-z0-9-]*(?=[\s/>]|$)|/[A-Za-z]|[!?])[^<>]{0,60}>?")
_URL: Final = re.compile(
    r"(?i)\b(?:[a-z][a-z0-9+.-]*://|www\.)[^\s<>()\ufffc]*"
    r"|\b(?:javascript|vbscript):[^\s<>\ufffc]*"
    r"|\bdata:[a-z]+/[^\s<>\ufffc]*"
    r"|\b(?:file:/|mailto:)[^\s<>\ufffc]*"
)
# Non-ASCII decimal digits (Arabic-Indic, full-width...) and the invisible format
# characters (bidi marks, soft hyphen) that may sit between a number and its sign.
_DIGIT_OR_FORMAT: Final = re.compile(
    r"(?![0-9])\d|[\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
_INVISIBLE: Final = re.compile(r"[\s\ufffc]+")
_DELIMITER_RUN: Final = re.compile(r"\*+|_+|`+")


@dataclass(slots=True, frozen=True)
class InlineText:
    """One side of a message (msgid or msgstr), parsed once and shared by every check."""

    raw: str
    """The text as written in the PO file."""
    prose: str
    """Readable text: escapes resolved, code spans and placeholders replaced by U+FFFC."""
    digits: str
    """:attr:`prose` with every Unicode decimal digit as ASCII and bidi controls removed."""
    length: int
    """Visible characters of :attr:`prose`: no spaces, no hidden code or placeholders."""
    placeholders: tuple[str, ...]
    """Link refs ``[..][N]``, atoms ``{N}`` and named ``{name}`` placeholders, in order."""
    orphan_refs: tuple[str, ...]
    """Link refs ``[..][N]`` whose opening bracket is missing: they would print as text."""
    image_refs: tuple[str, ...]
    """``![..][N]``: a link target turned into an image source."""
    code: tuple[str, ...]
    """Contents of the inline code spans, as markdown-it reads them."""
    emphasis: int
    """Number of ``*em*`` spans."""
    strong: int
    """Number of ``**strong**`` spans."""
    hardbreaks: int
    """Number of hard line breaks (backslash at line end)."""
    strays: tuple[str, ...]
    """Runs of ``*``, ``_`` or backticks that markdown-it left as literal text."""
    unsafe: tuple[str, ...]
    """Raw HTML, URLs, inline links and images, described for a message."""


@cache
def _markdown() -> MarkdownIt:
    # text_join would merge escaped characters into plain text; keeping them apart
    # tells a literal "\*" from a stray "*".
    return MarkdownIt("commonmark").disable("text_join")


def _plain_digit(match: re.Match[str]) -> str:
    char = match[0]
    return str(unicodedata.decimal(char)) if char.isdecimal() else ""


_REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
"""An HTML character reference in Markdown text, as CommonMark reads it."""


def _scan(text: str) -> tuple[str, list[str], list[str], list[str]]:
    """Split placeholders and code spans from prose; return prose, placeholders, orphans, images."""
    prose: list[str] = []
    placeholders: list[str] = []
    orphans: list[str] = []
    images: list[str] = []
    openers: list[bool] = []  # one per unclosed "[", True when it is "!["
    pos = 0
    while (match := _INLINE_SYNTAX.search(text, pos)) is not None:
        prose.append(text[pos : match.start()])
        pos = match.end()
        kind = match.lastgroup
        if kind == "escaped":
            prose.append(match["escaped"])
        elif kind == "ticks":
            ticks = match["ticks"]
            closing = re.compile(rf"(?<!`){ticks}(?!`)").search(text, pos)
            if closing is None:
                prose.append(ticks)
            else:
                prose.append(HIDDEN)
                pos = closing.end()
        elif kind == "ref":
            number = match["ref"]
            prose.append(HIDDEN)
            if not openers:
                orphans.append(f"[..][{number}]")
            else:
                placeholders.append(f"[..][{number}]")
                if openers.pop():
                    images.append(f"![..][{number}]")
        elif kind in ("atom", "name"):
            placeholders.append(f"{{{match['atom'] or match['name']}}}")
            prose.append(HIDDEN)
        elif kind == "open":
            openers.append(match["open"] == "![")
            prose.append(match["open"])
        else:
            if openers:
                openers.pop()
            prose.append("]")
    prose.append(text[pos:])
    # A character reference is the character to the reader (msgids write a percent sign Babel would take for a
    # directive as "&#37;"): its digits are no number of the text.
    return _REFERENCE.sub(lambda found: html.unescape(found.group(0)), "".join(prose)), placeholders, orphans, images


def _inline_tokens(text: str) -> list[Token]:
    if _MARKDOWN_SPECIALS.isdisjoint(text) and "](" not in text:
        return []
    children = _markdown().parseInline(text)[0].children
    return children or []


def _strays(token: Token) -> Iterator[str]:
    content = token.content
    for run in _DELIMITER_RUN.finditer(content):
        if run[0][0] == "_":
            before = content[run.start() - 1 : run.start()]
            after = content[run.end() : run.end() + 1]
            if before.isalnum() and after.isalnum():
                continue  # snake_case: never emphasis, so never a stray marker
        yield run[0]


def _trim_url(url: str) -> str:
    """A URL without the sentence punctuation after it; a closing parenthesis stays if it has a pair."""
    while url and url[-1] in ".,;:!?'\"\u201d\u2019)":
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def _unsafe(prose: str, tokens: list[Token]) -> list[str]:
    found: dict[str, None] = {}
    targets: set[str] = set()
    for token in tokens:
        if token.type == "link_open":
            href = str(token.attrs.get("href", ""))
            targets.add(href)
            if token.markup == "autolink":
                found[f'autolink "<{href}>"'] = None
            else:
                found[f'inline link to "{href}"'] = None
        elif token.type == "image":
            src = str(token.attrs.get("src", ""))
            targets.add(src)
            found[f'image "{src}"'] = None
        elif token.type == "html_inline":
            found[f'raw HTML "{token.content}"'] = None
    for tag in _HTML.finditer(prose) if "<" in prose else ():
        found[f'raw HTML "{tag[0]}"'] = None
    for match in _URL.finditer(prose) if ":" in prose or "www." in prose else ():
        url = _trim_url(match[0])
        if url not in targets:
            found[f'link target "{url}"'] = None
    return list(found)


@lru_cache(maxsize=8192)
def analyse(text: str) -> InlineText:
    """Parse one msgid or msgstr; cached because a msgid is checked once per locale."""
    prose, placeholders, orphans, images = _scan(text)
    tokens = _inline_tokens(text)
    counts = Counter(token.type for token in tokens)
    return InlineText(
        raw=text,
        prose=prose,
        digits=prose if prose.isascii() else _DIGIT_OR_FORMAT.sub(_plain_digit, prose),
        length=len(_INVISIBLE.sub("", prose)),
        placeholders=tuple(placeholders),
        orphan_refs=tuple(orphans),
        image_refs=tuple(images),
        code=tuple(token.content for token in tokens if token.type == "code_inline"),
        emphasis=counts["em_open"],
        strong=counts["strong_open"],
        hardbreaks=counts["hardbreak"],
        strays=tuple(run for token in tokens if token.type == "text" for run in _strays(token)),
        unsafe=tuple(_unsafe(prose, tokens)),
    )

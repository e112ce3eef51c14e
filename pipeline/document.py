"""The document model: a Markdown source parsed into translatable blocks with stable ids.

A block's ``text`` is what translators see as a msgid: the inline Markdown of one
paragraph, heading, list item or table cell, on one line, with emphasis and code
kept, and with everything a translator must neither see nor change replaced by
numbered placeholders: links become ``[text][N]``, images, autolinks and raw HTML
become ``{N}``. The targets are listed in :attr:`Block.placeholders`.
"""

from __future__ import annotations

import datetime
import logging
import re
import unicodedata
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdformat.renderer import DEFAULT_RENDERERS, RenderContext, RenderTreeNode
from mdit_py_plugins.front_matter import front_matter_plugin
from mdit_py_plugins.front_matter.index import _front_matter_rule

from pipeline.errors import SourceError

log = logging.getLogger(__name__)

DIRECTIVE = re.compile(r"\A<!--\s*plainleaf:\s*([a-z][a-z-]*)\b\s*(.*?)\s*-->\s*\Z", re.DOTALL)
"""An HTML comment giving the pipeline an instruction, such as ``<!-- plainleaf: skip -->``."""

DIRECTIVES = ("note", "context", "skip", "reading-time")
"""Directive names the parser understands; any other is an error, so typos do not pass silently."""

READING_TIME = ("Estimated reading time: {minutes} minute", "Estimated reading time: {minutes} minutes")
"""Singular and plural msgid of the reading-time line the ``reading-time`` directive stands for."""

PLACEHOLDER_ATOM = re.compile(r"(?<!\\)((?:\\\\)*)\{(\d+)\}")
"""An inline atom placeholder ``{N}`` not preceded by an escaping backslash."""


@dataclass(slots=True, frozen=True)
class Placeholder:
    """Something in a block's text that translators must keep but never see or edit."""

    number: int
    """The N of ``[text][N]`` or ``{N}``, unique within its block."""
    kind: str
    """``link``, ``image``, ``autolink`` or ``html``."""
    target: str
    """The URL, image source or raw HTML the placeholder stands for."""
    child: int
    """Index of the placeholder's token among the inline token's children."""

    def describe(self) -> str:
        """One line for the extracted comment of the entry."""
        if self.kind == "link":
            return f"[{self.number}]: {self.target}"
        return f"{{{self.number}}}: {self.kind} {self.target}"


@dataclass(slots=True)
class Block:
    """One translatable unit of a document: one gettext entry."""

    id: str
    """Stable id: the enclosing section's anchor and the block's place in it, like ``introduction/p2``."""
    kind: str
    """What the block is, for translators: ``heading 2``, ``paragraph``, ``list item``, ``table cell`` ..."""
    text: str
    """The msgid: inline Markdown with placeholders."""
    line: int
    """1-based line of the block in its source file."""
    section: str
    """Anchor (slug) of the heading the block is under; ``#:`` references use it so they do not churn."""
    token: int
    """Index of the block's token in :attr:`Document.tokens` (the inline token, or the front matter)."""
    child: int | None = None
    """For an image's alt text or a link's title: the index of that token among the inline children."""
    field: str | None = None
    """For a front-matter value: its key."""
    plural: str | None = None
    """msgid_plural, for the pipeline's own counted lines (reading time)."""
    context: str | None = None
    """msgctxt from a ``context`` directive."""
    notes: tuple[str, ...] = ()
    """Notes for translators from ``note`` directives."""
    placeholders: tuple[Placeholder, ...] = ()
    """Targets of the numbered placeholders in :attr:`text`."""
    breaks: tuple[int, ...] = ()
    """Offsets in :attr:`text` of the spaces that stand for the source's soft line breaks, so that a translation
    keeping the source's lines is written back on those lines."""
    skip: bool = False
    """Excluded from translation by a ``skip`` directive: the source text is kept."""


@dataclass(slots=True)
class Document:
    """A parsed Markdown source: its tokens and its translatable blocks."""

    path: Path
    """The source file, as given (reports show it this way)."""
    domain: str
    """gettext domain of the document: the file's stem."""
    source: str
    """The whole Markdown text."""
    tokens: list[Token]
    """markdown-it-py block tokens; inline tokens carry ``map`` with source lines."""
    env: MutableMapping[str, Any]
    """Parser environment (link reference definitions)."""
    front_matter: dict[str, Any] = field(default_factory=dict)
    """YAML front matter (title, lang, version, date ...)."""
    blocks: list[Block] = field(default_factory=list)
    """Translatable blocks in document order."""

    @property
    def language(self) -> str | None:
        """Language declared in the front matter."""
        value = self.front_matter.get("lang") or self.front_matter.get("language")
        return str(value) if value else None


def _front_matter_at_the_top(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    if start_line != 0 or state.bMarks[0] + state.tShift[0] != 0:  # a list item's first line starts later
        return False
    return _front_matter_rule(state, start_line, end_line, silent)


_PLAIN_INLINE = re.compile(r"[^\\`*_\[\]!<&\n]+")
"""Inline content that no inline rule of CommonMark acts on (no escape, code span, emphasis, link, image,
autolink, raw HTML, entity or line break): markdown-it would make it a single text token."""


def _inline(state: StateCore) -> None:
    for token in state.tokens:
        if token.type != "inline":
            continue
        if token.children is None:
            token.children = []
        if _PLAIN_INLINE.fullmatch(token.content):
            text = Token("text", "", 0)
            text.content = token.content
            token.children.append(text)
        else:
            state.md.inline.parse(token.content, state.md, state.env, token.children)


def plain_inline(md: MarkdownIt) -> None:
    """markdown-it's ``inline`` core rule, except that plain text becomes its one text token directly instead of
    going through every inline rule: the same tokens (a property test compares them with markdown-it's own on
    random documents), a sixth less parse time on prose."""
    md.core.ruler.at("inline", _inline)


def front_matter(md: MarkdownIt) -> None:
    """YAML front matter (mdit-py-plugins), read only where it can be: at the very start of the document.

    The plugin's rule (0.7.0) looks at the document's first character, not the line's, so when the document
    opens with a list item whose first line ends in ``--`` (``- Dose--twice daily``), it reads that item as front
    matter and its text is lost. Guarded, it never sees a line that does not start the document.
    """
    front_matter_plugin(md)
    md.block.ruler.at(
        "front_matter", _front_matter_at_the_top, {"alt": ["paragraph", "reference", "blockquote", "list"]}
    )


@cache
def markdown_parser() -> MarkdownIt:
    """CommonMark with tables and YAML front matter, as the whole pipeline parses Markdown."""
    return MarkdownIt("commonmark").enable("table").use(front_matter).use(plain_inline)


_NOT_SLUG = re.compile(r"[^\w -]|_")


def slugify(text: str) -> str:
    """A heading anchor: lower case letters and digits of any script, joined by hyphens."""
    kept = _NOT_SLUG.sub(" ", unicodedata.normalize("NFKC", text).lower())
    return "-".join(kept.split()) or "section"


def _escape_atoms(text: str) -> str:
    """Escape literal ``{N}`` in source text so it cannot be taken for a placeholder."""
    return re.sub(r"\{(\d+)\}", r"\\{\1}", text)


PERCENT_DIRECTIVE = re.compile(r"%(?=(?:\(\w*\))?[-#0 +]?(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?[diouxXeEfFgGcrs%])")
"""A percent sign Babel's ``PYTHON_FORMAT`` reads as a printf directive (``84.6% in`` holds ``% i``): Babel flags
such a message ``python-format`` whatever the flags say, then ``pybabel compile`` refuses every translation that
does not repeat the directive ("placeholders are incompatible") and ``msgfmt -c`` every one after ``pybabel
update``."""
PERCENT_ENTITY = "&#37;"
"""How a msgid writes such a percent sign: the same character to Markdown (a character reference), no directive to
Babel or gettext. Translators write ``%`` as usual; ``update`` keeps the translations of a msgid that wrote it plain."""


def shield_percent(text: str) -> str:
    """``text`` with each percent sign that Babel would read as a format directive written as ``&#37;``."""
    return PERCENT_DIRECTIVE.sub(PERCENT_ENTITY, text) if "%" in text else text


def _render_context(renderers: Mapping[str, Callable[..., str]]) -> RenderContext:
    return RenderContext({**DEFAULT_RENDERERS, **renderers}, {}, {}, {"used_refs": set(), "indent_width": 0})


_ONLY_ATOMS = re.compile(r"(\{\d+\}\s*)+")
"""A block that is nothing but images and raw HTML: nothing to translate."""
_PLAIN_UNSAFE = re.compile(r"[\\*_\[\]<>&`!{}\t|#]")
"""Characters the Markdown renderer would escape: text without them (and without a double space, which it
collapses) is its own msgid. One character class, not an alternation, so the regex engine scans it fast."""


_SOFT_BREAK = "\ue007"
"""Stands for a soft line break while a msgid is rendered, so that where the breaks were can be told."""


def _joined(rendered: str, mark: str) -> tuple[str, tuple[int, ...]]:
    """``rendered`` with each soft line break (``mark``) a space and outer spaces stripped, and the offsets of
    those spaces."""
    joined = rendered.replace(mark, " ")
    text = joined.strip(" ")
    if mark not in rendered:
        return text, ()
    lead = len(joined) - len(joined.lstrip(" "))
    offsets = (match.start() - lead for match in re.finditer(mark, rendered))
    return text, tuple(offset for offset in offsets if 0 <= offset < len(text))


def render_inline(token: Token) -> tuple[str, tuple[Placeholder, ...], tuple[int, ...]]:
    """The msgid of an inline token, its placeholders and where its soft line breaks are (:attr:`Block.breaks`)."""
    children = token.children or []
    content = token.content
    if (
        not _PLAIN_UNSAFE.search(content)
        and "  " not in content
        and ("%" not in content or not PERCENT_DIRECTIVE.search(content))
        and (
            (len(children) == 1 and children[0].type == "text" and children[0].content == content)  # one line
            or (
                all(child.type in ("text", "softbreak") for child in children)
                and "".join(child.content if child.type == "text" else "\n" for child in children) == content
            )
        )
    ):
        # Most blocks are plain prose: their source text already is the canonical msgid.
        text, breaks = _joined(content, "\n")
        return text, (), breaks
    placeholders: list[Placeholder] = []
    index_of = {id(child): index for index, child in enumerate(token.children or [])}

    def atom(node: RenderTreeNode, kind: str, target: str) -> str:
        assert node.token is not None or node.nester_tokens is not None
        first = node.token if node.token is not None else node.nester_tokens.opening  # type: ignore[union-attr]
        placeholders.append(Placeholder(len(placeholders) + 1, kind, target, index_of[id(first)]))
        return f"{{{len(placeholders)}}}"

    def link(node: RenderTreeNode, context: RenderContext) -> str:
        href = str(node.attrs.get("href", ""))
        if node.info == "auto":
            return atom(node, "autolink", href)
        opening = node.nester_tokens.opening  # type: ignore[union-attr]
        placeholders.append(Placeholder(len(placeholders) + 1, "link", href, index_of[id(opening)]))
        number = len(placeholders)
        text = "".join(child.render(context) for child in node.children)
        return f"[{text}][{number}]"

    renderers = {
        "text": lambda node, context: shield_percent(_escape_atoms(DEFAULT_RENDERERS["text"](node, context))),
        # A source holding the mark itself (a private-use character) gets no breaks rather than a changed msgid.
        "softbreak": lambda node, context: " " if _SOFT_BREAK in content else _SOFT_BREAK,
        "hardbreak": lambda node, context: "\\\n",
        "link": link,
        "image": lambda node, context: atom(node, "image", str(node.attrs.get("src", ""))),
        "html_inline": lambda node, context: atom(node, "html", node.content),
    }
    wrapper = [Token("paragraph_open", "p", 1), token, Token("paragraph_close", "p", -1)]
    inline_node = RenderTreeNode(wrapper).children[0].children[0]
    text, breaks = _joined(inline_node.render(_render_context(renderers)), _SOFT_BREAK)
    return text, tuple(placeholders), breaks


def plain_text(token: Token) -> str:
    """The text an inline token shows a reader: no markup, breaks as spaces."""
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(child.content)
    return "".join(parts)


def heading_text(token: Token) -> str:
    """The words of a heading's inline token without its images' alternative text: what its anchor is made of, so a
    pictogram beside "What to do next" leaves the section's anchor (and every ``#:`` reference) as it was."""
    return " ".join(
        "".join(
            child.content if child.type in ("text", "code_inline") else " " for child in token.children or []
        ).split()
    )


def _directive(token: Token, path: Path) -> tuple[str, str] | None:
    match = DIRECTIVE.match(token.content.strip())
    if not match:
        return None
    name, argument = match.group(1), " ".join(match.group(2).split())
    line = token.map[0] + 1 if token.map else None
    if name not in DIRECTIVES:
        known = ", ".join(DIRECTIVES)
        raise SourceError(f"unknown directive 'plainleaf: {name}' (known: {known})", path, line)
    if name in ("note", "context") and not argument:
        raise SourceError(f"directive 'plainleaf: {name}' needs a text", path, line)
    return name, argument


def _block_end(tokens: list[Token], start: int) -> int:
    """Index just past the block element that starts at ``start``."""
    depth = 0
    for index in range(start, len(tokens)):
        depth += tokens[index].nesting
        if depth <= 0:
            return index + 1
    return len(tokens)


def _kind(tokens: list[Token], index: int, stack: list[str]) -> str:
    opening = tokens[index - 1] if index else None
    if opening is not None and opening.type == "heading_open":
        return f"heading {opening.tag[1:]}"
    if opening is not None and opening.type == "th_open":
        return "table header cell"
    if opening is not None and opening.type == "td_open":
        return "table cell"
    if "list_item_open" in stack:
        return "list item"
    if "blockquote_open" in stack:
        return "block quote paragraph"
    return "paragraph"


_ABBREVIATIONS = {
    "heading": "h", "paragraph": "p", "list item": "li", "table cell": "td", "table header cell": "th",
    "block quote paragraph": "q", "image alt text": "alt", "link title": "title", "image title": "title",
    "reading time": "time", "front matter": "meta",
}  # fmt: skip
"""Short names of block kinds in block ids."""


@cache
def _abbreviation(kind: str) -> str:
    return _ABBREVIATIONS.get(kind.split(":")[0].rstrip(" 0123456789"), "x")


_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when PyYAML was built with it: the same result, many times faster."""


_SCALARS = (str, bytes, int, float, bool, datetime.date, type(None))
"""What YAML reads a scalar as: a date or time stamp is a ``date`` or ``datetime``, ``!!binary`` bytes, a comment
alone ``None``."""


_SCALAR_FRONT_MATTER = "plainleaf_scalar"
"""Key set in a front-matter token's ``meta`` when it holds a scalar."""


def front_matter_is_scalar(token: Token) -> bool:
    """Whether a front-matter token, once read, holds a YAML scalar rather than a mapping: often prose between two
    ``---`` lines, which CommonMark alone reads as a rule and a setext heading. Translations keep it as it is."""
    return bool(token.meta.get(_SCALAR_FRONT_MATTER))


def _front_matter(token: Token, path: Path) -> dict[str, Any]:
    """The mapping of a front-matter token; an empty one, with a warning, for a scalar (the token is marked)."""
    line = (token.map[0] + 1) if token.map else 1
    try:
        try:
            data = yaml.load(token.content, Loader=_YAML_LOADER) if token.content.strip() else {}
        except yaml.YAMLError:
            # Errors are rare: let the pure-Python loader, whose messages and marks read better, report it.
            data = yaml.safe_load(token.content)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise SourceError(f"front matter: {problem}", path, line + 1 + mark.line if mark else line) from None
    if isinstance(data, _SCALARS):
        # Often prose between two "---" lines, which CommonMark alone reads as a rule and a setext heading: it is
        # nobody's metadata, and refusing the document would leave the clinic nothing to print.
        log.warning(
            "%s:%d: front matter is a YAML scalar, not a mapping of keys to values: it is kept as it is,"
            " and neither read (title, lang) nor offered for translation",
            path,
            line,
        )
        token.meta[_SCALAR_FRONT_MATTER] = True
        return {}
    if not isinstance(data, dict):
        raise SourceError("front matter must be a mapping of keys to values", path, line)
    return data


def front_matter_of(tokens: list[Token], path: Path) -> dict[str, Any]:
    """The YAML front matter of parsed Markdown, or an empty mapping."""
    for token in tokens:
        if token.type == "front_matter":
            return _front_matter(token, path)
    return {}


def _front_matter_line(token: Token, key: str) -> int:
    first = (token.map[0] + 1) if token.map else 1
    for offset, text in enumerate(token.content.splitlines(), start=1):
        if re.match(rf"{re.escape(key)}\s*:", text):
            return first + offset
    return first


def read_source(path: Path) -> str:
    """The text of a Markdown source: UTF-8, byte-order mark and CRLF tolerated."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceError("no such file", path) from None
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror}", path) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(f"not valid UTF-8 (byte 0x{data[exc.start]:02x})", path, line) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_document(text: str, path: Path, front_matter_fields: tuple[str, ...] = ("title", "description")) -> Document:
    """Parse Markdown ``text`` into a :class:`Document` of translatable blocks."""
    env: MutableMapping[str, Any] = {}
    parser = markdown_parser()
    tokens = parser.parse(text, env)
    # markdown-it stops nesting at maxNesting and silently drops what is deeper: refuse instead of losing text.
    deepest = parser.options["maxNesting"] - 2
    document = Document(path=path, domain=path.stem, source=text, tokens=tokens, env=env)

    section = "top"
    slugs: dict[str, int] = {}
    counters: dict[tuple[str, str], int] = {}
    pending_notes: list[str] = []
    pending_context: str | None = None
    pending_skip = False
    scope_end = -1
    scope: tuple[tuple[str, ...], str | None, bool] = ((), None, False)
    stack: list[str] = []

    def add(kind: str, index: int, text: str, line: int, **extra: Any) -> None:
        abbreviation = _abbreviation(kind)
        number = counters[(section, abbreviation)] = counters.get((section, abbreviation), 0) + 1
        notes, context, skip = scope if index < scope_end else ((), None, False)
        document.blocks.append(
            Block(
                id=f"{section}/{abbreviation}{number}",
                kind=kind,
                text=text,
                line=line,
                section=section,
                token=index,
                notes=notes,
                context=context,
                skip=skip,
                **extra,
            )
        )

    for index, token in enumerate(tokens):
        if token.nesting == 1:
            stack.append(token.type)
            if token.level >= deepest and token.type in ("blockquote_open", "list_item_open"):
                line = token.map[0] + 1 if token.map else None
                raise SourceError(
                    "lists and block quotes nested this deep are not supported: text would be lost", path, line
                )
        elif token.nesting == -1:
            stack.pop()
            continue  # a closing tag: nothing to translate, no directive to apply

        if token.type == "front_matter":
            document.front_matter = _front_matter(token, path)
            for key in front_matter_fields:
                value = document.front_matter.get(key)
                if isinstance(value, str) and value.strip():
                    add(f"front matter: {key}", index, value, _front_matter_line(token, key), field=key)
            continue

        if token.type == "html_block":
            directive = _directive(token, path)
            if directive is None:
                continue
            name, argument = directive
            if name == "note":
                pending_notes.append(argument)
            elif name == "context":
                pending_context = argument
            elif name == "skip":
                pending_skip = True
            else:
                line = token.map[0] + 1 if token.map else 1
                add("reading time", index, READING_TIME[0], line, plural=READING_TIME[1])
            continue

        if (pending_notes or pending_context or pending_skip) and token.type != "inline":
            scope_end = _block_end(tokens, index)
            scope = (tuple(pending_notes), pending_context, pending_skip)
            pending_notes, pending_context, pending_skip = [], None, False

        if token.type != "inline":
            continue
        line = token.map[0] + 1 if token.map else 1
        kind = _kind(tokens, index, stack)
        if kind.startswith("heading"):
            slug = slugify(heading_text(token))
            slugs[slug] = slugs.get(slug, 0) + 1
            section = slug if slugs[slug] == 1 else f"{slug}-{slugs[slug] - 1}"
        msgid, placeholders, breaks = render_inline(token)
        if msgid.strip() and not (placeholders and _ONLY_ATOMS.fullmatch(msgid)):
            add(kind, index, msgid, line, placeholders=placeholders, breaks=breaks)
        for placeholder in placeholders:
            child = (token.children or [])[placeholder.child]
            alt = plain_text(child) if placeholder.kind == "image" else ""
            if alt.strip():
                add("image alt text", index, alt, line, child=placeholder.child)
            title = child.attrs.get("title")
            if placeholder.kind in ("link", "image") and isinstance(title, str) and title.strip():
                add(f"{placeholder.kind} title", index, title, line, child=placeholder.child)

    if pending_notes or pending_context or pending_skip:
        raise SourceError("directive at the end of the document applies to nothing", path)
    return document


def load_document(path: Path, front_matter_fields: tuple[str, ...] = ("title", "description")) -> Document:
    """Read and parse the Markdown source at ``path``."""
    return parse_document(read_source(path), path, front_matter_fields)


@dataclass(slots=True, frozen=True)
class SourceWarning:
    """Something in a source that will not print as its author meant, found before anything is rendered."""

    path: Path
    """The source file."""
    line: int
    """1-based line."""
    message: str
    """What it is and what to do, in one line."""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


SITE_GENERATOR_SYNTAX = (
    (re.compile(r"\{:\s*[^}\n]*\}"), "kramdown attribute list {: ...} (Jekyll)"),
    (re.compile(r"\{\{<?%?[^}\n]*%?>?\}\}"), "template expression {{ ... }} (Liquid, Jinja or a Hugo shortcode)"),
    (re.compile(r"\{%[^%\n]*%\}"), "template tag {% ... %} (Liquid or Jinja)"),
)
"""Site-generator syntax that a plain Markdown renderer prints as it is: a page copied from a Jekyll or Hugo site
would show its readers ``{: .note}`` or ``{{ site.baseurl }}``."""


def source_warnings(document: Document) -> list[SourceWarning]:
    """What in ``document`` would print literally though its author meant something else: site-generator syntax
    (:data:`SITE_GENERATOR_SYNTAX`) outside code, each with its line. Pure: the command line reports them."""
    warnings = []
    code_lines: set[int] = set()
    for token in document.tokens:
        if token.type in ("fence", "code_block", "front_matter") and token.map:
            code_lines.update(range(token.map[0], token.map[1]))
    for number, text in enumerate(document.source.splitlines()):
        if number in code_lines:
            continue
        text = re.sub(r"`[^`]*`", "", text)  # code spans show syntax on purpose
        for pattern, name in SITE_GENERATOR_SYNTAX:
            found = pattern.search(text)
            if found:
                warnings.append(
                    SourceWarning(
                        document.path, number + 1,
                        f"{name} {found.group(0)!r} will print as it is: Plainleaf reads plain CommonMark;"
                        " remove it or write what it stands for",
                    )
                )  # fmt: skip
                break
    return warnings


_TOP_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_FIRST_H1 = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.MULTILINE)


def read_heading_and_front_matter(path: Path) -> tuple[dict[str, Any], str | None]:
    """A document's front matter and its first ``#`` heading, read without parsing the Markdown (the planner asks
    every document what it declares, and what it is called, before anything is rendered). Errors name the file and
    line, as :func:`parse_document`'s do."""
    text = read_source(path)
    front: dict[str, Any] = {}
    match = _TOP_FRONT_MATTER.match(text)
    if match:
        token = Token("front_matter", "", 0)
        token.content, token.map = match.group(1), [0, match.group(0).count("\n")]
        front = _front_matter(token, path)
    heading = _FIRST_H1.search(text, match.end() if match else 0)
    return front, heading.group(1).strip() if heading else None

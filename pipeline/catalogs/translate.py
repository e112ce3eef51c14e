"""Translation: a document and a catalog to the translated Markdown, like po4a's and mdpo's po2md.

Only confirmed translations are used. Fuzzy and untranslated entries, and translations
that would change what the document links to or add raw HTML, leave the source text in
place and are counted, so no stale or unsafe text reaches a patient.
"""

from __future__ import annotations

import copy
import gettext
import logging
import re
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass, field
from typing import Any

import mdformat.plugins
import polib
import yaml
from babel.numbers import format_decimal
from markdown_it.rules_block.html_block import HTML_SEQUENCES
from markdown_it.token import Token
from mdformat.renderer import DEFAULT_RENDERERS, MDRenderer, RenderContext, RenderTreeNode

from pipeline.document import (
    PLACEHOLDER_ATOM,
    READING_TIME,
    Block,
    Document,
    front_matter_is_scalar,
    markdown_parser,
    plain_text,
)
from pipeline.errors import SourceError
from pipeline.languages import languages
from pipeline.languages.defaults import DEFAULT_READING_SPEED

log = logging.getLogger(__name__)

_ATOM_OPEN, _ATOM_CLOSE = "<\ue000", "\ue001>"
"""What carries a ``{N}`` placeholder safely through the inline parser: private-use characters, which no inline
rule acts on (and a ``<`` before one starts no tag or autolink), between ``<`` and ``>``. Every atom it stands for
begins and ends with punctuation (``<`` and ``>`` of raw HTML and autolinks, ``!`` and ``)`` or ``]`` of images),
so emphasis next to it opens and closes as next to the atom itself: ``**ADDRESSES:**<br>`` stays strong."""
_ATOM = re.compile(f"{_ATOM_OPEN}(\\d+){_ATOM_CLOSE}")
_LINK_PREFIX = "#plainleaf-placeholder-"

_ALLOWED = {
    "text", "softbreak", "hardbreak", "em_open", "em_close", "strong_open", "strong_close",
    "code_inline", "link_open", "link_close",
}  # fmt: skip
"""Inline tokens a translation may produce; links only through placeholders."""

_CHARACTER_SCRIPTS = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@dataclass(slots=True)
class TranslationResult:
    """A translated document and how complete the translation was."""

    markdown: str
    """The translated Markdown."""
    total: int
    """Translatable blocks in the document (skipped ones excluded)."""
    translated: int
    """Blocks printed in translation."""
    untranslated: list[Block] = field(default_factory=list)
    """Blocks left in the source language (untranslated, fuzzy or rejected)."""
    rejected: list[str] = field(default_factory=list)
    """Why translations were refused, one line each, naming the catalog line."""

    @property
    def percent(self) -> float:
        """Share of blocks printed in translation."""
        return 100.0 if not self.total else 100.0 * self.translated / self.total


class Translations:
    """Confirmed translations of one catalog, looked up by (msgctxt, msgid)."""

    def __init__(self, catalog: polib.POFile | None, path: str = "") -> None:
        self.path = path
        self.entries: dict[tuple[str | None, str], polib.POEntry] = {}
        self.plural: Callable[[int], int] = lambda n: int(n != 1)
        if catalog is None:
            return
        for entry in catalog:
            if entry.obsolete or entry.fuzzy or not entry.translated():
                continue
            self.entries[(entry.msgctxt or None, entry.msgid)] = entry
        forms = catalog.metadata.get("Plural-Forms", "")
        match = re.search(r"plural=([^;]+)", forms)
        if match:
            try:
                self.plural = gettext.c2py(match.group(1).strip())
            except (ValueError, SyntaxError):
                log.warning("%s: cannot use Plural-Forms %r; using English plural rules", path, forms)

    def get(self, block: Block) -> polib.POEntry | None:
        """The confirmed entry for ``block``, if any."""
        return self.entries.get((block.context, block.text))

    def where(self, entry: polib.POEntry) -> str:
        """``file:line`` of an entry, for messages."""
        return f"{self.path}:{entry.linenum}" if self.path else f"line {entry.linenum}"


def _encode_atoms(text: str) -> str:
    return PLACEHOLDER_ATOM.sub(lambda m: f"{m.group(1)}{_ATOM_OPEN}{m.group(2)}{_ATOM_CLOSE}", text)


def _decode_atoms(text: str) -> str:
    return _ATOM.sub(lambda m: f"{{{m.group(1)}}}", text)


def _with_line_breaks(msgstr: str, block: Block) -> str:
    """``msgstr`` with the source's soft line breaks back where the translation keeps the text on one side of one,
    up to the start or the end of the block (all of them in the identity translation); elsewhere lines stay joined.

    A space becomes a line break only after at most one space (two make a hard break) and no escaping backslash,
    and before no white space, so that it can only be read as a soft break (inside a code span, as the space it
    was).
    """
    msgid = block.text
    chars = list(msgstr)
    for offset in block.breaks:
        if msgstr.startswith(msgid[: offset + 1]):
            position = offset
        elif msgstr.endswith(msgid[offset:]):
            position = len(msgstr) - (len(msgid) - offset)
        else:
            continue
        before, after = msgstr[:position], msgstr[position + 1 :]
        if (
            before.strip()
            and after
            and not before.endswith(("  ", "\t"))
            and not after[0].isspace()
            and (len(before) - len(before.rstrip("\\"))) % 2 == 0
        ):
            chars[position] = "\n"
    return "".join(chars)


def _parse_translation(msgstr: str, block: Block, source: list[Token]) -> list[Token]:
    """Inline tokens of a translated block, placeholders resolved to the source's own tokens.

    Raises ValueError naming what the translation tried to add (a link target, an image, raw HTML).
    """
    links = {p.number: p for p in block.placeholders if p.kind == "link"}
    atoms = {p.number: p for p in block.placeholders if p.kind != "link"}
    env: MutableMapping[str, Any] = {
        "references": {str(n): {"href": f"{_LINK_PREFIX}{n}", "title": None} for n in links}
    }
    text = _with_line_breaks(msgstr, block) if block.breaks else msgstr
    parsed = markdown_parser().parseInline(_encode_atoms(text), env)[0].children or []
    result: list[Token] = []
    for token in parsed:
        if token.type not in _ALLOWED:
            raise ValueError(f"adds {token.type.replace('_', ' ')} {token.content!r}")
        if token.type == "code_inline":
            token.content = _decode_atoms(token.content)
        if token.type == "link_open":
            href = str(token.attrs.get("href", ""))
            if not href.startswith(_LINK_PREFIX) or token.info == "auto":
                raise ValueError(f"adds a link to {href!r}")
            child = links[int(href[len(_LINK_PREFIX) :])].child
            token.attrs = dict(source[child].attrs)
            token.meta["source_child"] = child
        if token.type != "text":
            result.append(token)
            continue
        pieces = _ATOM.split(token.content)
        for index, piece in enumerate(pieces):
            if index % 2 == 0:
                if piece:
                    result.append(Token("text", "", 0, content=piece))
                continue
            number = int(piece)
            if number not in atoms:
                result.append(Token("text", "", 0, content=f"{{{number}}}"))
                continue
            start = atoms[number].child
            end = start + 3 if atoms[number].kind == "autolink" else start + 1
            for child in range(start, end):
                atom = copy.deepcopy(source[child])
                atom.meta["source_child"] = child
                result.append(atom)
    return result


def _source_copy(source: list[Token]) -> list[Token]:
    children = [copy.copy(token) for token in source]
    for index, token in enumerate(children):
        token.meta = {**token.meta, "source_child": index}
    return children


def _apply_extras(children: list[Token], extras: dict[int, dict[str, str]]) -> None:
    """Put translated image alt texts and link titles on the tokens copied from the source."""
    for token in children:
        changes = extras.get(token.meta.get("source_child", -1), {})
        if "alt" in changes:
            token.content = changes["alt"]
            token.children = [Token("text", "", 0, content=changes["alt"])]
        if "title" in changes:
            token.attrs = {**token.attrs, "title": changes["title"]}


_LINE_SEPARATORS = re.compile("[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
"""Characters Python's ``splitlines`` breaks at but Markdown does not."""
_REFERENCE_MARK = re.compile("\ue002([0-9A-F]+)\ue003")
_EMPTY_PARAGRAPH = "\ue002\ue003"
"""Stands for a line holding only a form feed: markdown-it reads such a line (and one of any white space Python's
``strip`` removes, such as a no-break space) as an empty paragraph, which mdformat would not write at all."""


def _escape_alt(image: Token, in_table: bool) -> None:
    """mdformat writes alt text as it is; escape its punctuation so a backtick or bracket stays text.

    A ``|`` only in a table cell, as mdformat escapes it in text: elsewhere ``\\|`` changes how many cells a line
    would have as a table's header (``![|](i.png)`` over a setext ``---`` would become a table).
    """
    alt = plain_text(image)
    escaped = re.sub(r"([!-/:-@\[-`{-~])" if in_table else r"([!-/:-@\[-`{}~])", r"\\\1", alt)
    image.children = [Token("text", "", 0, content=escaped)]


def _reading_minutes(words: int, language: str) -> int:
    # Reading speeds are per language, not per region or script (IReST measured languages).
    known = languages().for_subtag(language.split("_")[0].split("-")[0])
    speed = known.reading_speed if known is not None and known.reading_speed is not None else DEFAULT_READING_SPEED
    return max(1, round(words / speed))


def count_words(text: str) -> int:
    """Words for reading time: space-separated words, and each Han or kana character as one."""
    characters = len(_CHARACTER_SCRIPTS.findall(text))
    return characters + len(_CHARACTER_SCRIPTS.sub(" ", text).split())


def _reading_time_tokens(text: str, line: list[int] | None) -> list[Token]:
    opening = Token("paragraph_open", "p", 1, map=line)
    inline = Token("inline", "", 0, content=text, map=line, children=[Token("text", "", 0, content=text)])
    return [opening, inline, Token("paragraph_close", "p", -1)]


def translate_document(
    document: Document, catalog: polib.POFile | None, locale: str, catalog_path: str = ""
) -> TranslationResult:
    """Translate ``document`` with the confirmed entries of ``catalog`` into Markdown for ``locale``."""
    translations = Translations(catalog, catalog_path)
    # Tokens are copied one level deep: every change below replaces a token's fields or children rather than
    # mutating what it shares with the source document.
    tokens = [copy.copy(token) for token in document.tokens]
    for token in tokens:
        if token.children:
            token.children = [copy.copy(child) for child in token.children]
    result = TranslationResult(markdown="", total=0, translated=0)

    def lookup(block: Block) -> str | None:
        result.total += 1
        entry = translations.get(block)
        if entry is None:
            result.untranslated.append(block)
            return None
        result.translated += 1
        return str(entry.msgstr)

    by_token: dict[int, list[Block]] = {}
    for block in document.blocks:
        if not block.skip:
            by_token.setdefault(block.token, []).append(block)

    reading_time: list[tuple[int, Block]] = []
    for index, blocks in by_token.items():
        token = tokens[index]
        if token.type == "front_matter":
            data = dict(document.front_matter)
            for block in blocks:
                text = lookup(block)
                if text is not None and block.field:
                    data[block.field] = text
            data["lang"] = locale.replace("_", "-")
            token.content = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6).rstrip("\n")
            continue
        if token.type == "html_block":
            reading_time.append((index, blocks[0]))
            continue
        source = document.tokens[index].children or []
        extras: dict[int, dict[str, str]] = {}
        children = _source_copy(source)
        for block in blocks:
            if block.child is not None:
                text = lookup(block)
                if text is not None:
                    extras.setdefault(block.child, {})["alt" if block.kind == "image alt text" else "title"] = text
                continue
            text = lookup(block)
            if text is None:
                continue
            try:
                children = _parse_translation(text, block, source)
            except ValueError as exc:
                entry = translations.get(block)
                assert entry is not None
                result.rejected.append(f"{translations.where(entry)}: translation {exc}; the source text is used")
                result.translated -= 1
                result.untranslated.append(block)
        _apply_extras(children, extras)
        token.children = children

    words = sum(count_words(plain_text(t)) for t in tokens if t.type == "inline")
    for index, block in reversed(reading_time):
        minutes = _reading_minutes(words, locale)
        entry = translations.get(block)
        result.total += 1
        if entry is not None:
            result.translated += 1
            form = entry.msgstr_plural.get(translations.plural(minutes), "")
        else:
            result.untranslated.append(block)
            form = READING_TIME[0] if minutes == 1 else READING_TIME[1]
        number = format_decimal(minutes, locale=locale if entry is not None else "en")
        text = form.replace("{minutes}", number)
        tokens[index : index + 1] = _reading_time_tokens(text, tokens[index].map)

    for index, token in enumerate(tokens):
        if token.type == "inline" and not token.content and tokens[index - 1].type == "paragraph_open":
            token.children = [Token("text", "", 0, content=_EMPTY_PARAGRAPH)]
        in_table = token.type == "inline" and tokens[index - 1].type in ("th_open", "td_open")
        for child in token.children or []:
            if child.type == "image":
                _escape_alt(child, in_table)
            elif child.type == "text" and _LINE_SEPARATORS.search(child.content):
                child.content = _LINE_SEPARATORS.sub(lambda m: f"\ue002{ord(m.group()):X}\ue003", child.content)
    # mdformat would turn these into line breaks: write them as character references instead.
    markdown = render_markdown(tokens, document.env).replace(_EMPTY_PARAGRAPH, "\f")
    result.markdown = _REFERENCE_MARK.sub(r"&#x\1;", markdown)
    _verify(tokens, document, result.markdown)
    return result


def _structure(tokens: list[Token]) -> list[tuple[str, str]]:
    same = {"code_block": "fence"}
    return [(same.get(t.type, t.type), t.tag) for t in tokens if t.type not in ("inline", "front_matter")]


def _verify(tokens: list[Token], document: Document, markdown: str) -> None:
    """Refuse output whose block structure differs from what was meant: a safety net, should the Markdown writer
    meet a structure it cannot write (none known since lists nested down to an empty item are handled)."""
    written = _structure(markdown_parser().parse(markdown))
    if written != _structure(tokens):
        meant = _structure(tokens)
        pairs = enumerate(zip(written, meant, strict=False))
        index = next((i for i, (got, want) in pairs if got != want), min(len(written), len(meant)))
        lines = [t.map[0] + 1 for t in tokens if t.type != "inline" and t.type != "front_matter" and t.map]
        line = lines[min(index, len(lines) - 1)] if lines else None
        raise SourceError(
            "this block structure cannot be written back as Markdown (please report it: Plainleaf refuses rather"
            " than print a different document)",
            document.path,
            line,
        )


_THEMATIC_BREAK = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*")
"""A line CommonMark reads as a thematic break (``- - -``, ``* * *``)."""


def _list_item(text: str, node: RenderTreeNode, context: RenderContext) -> str:
    """Start an item's content on the line after its marker when, on the marker's line, it would read otherwise.

    - A bullet item whose first line would read as a thematic break with its marker: mdformat writes an item
      holding lists nested down to an empty item (``- *  *``) as ``- - -``.
    - An item opening with an indented HTML block (``-\\n    <div>``): spaces after a marker only move where the
      item's content starts, so on the marker's line the HTML would lose its indentation.
    """
    if text.startswith(" "):
        return "\n" + text
    if node.parent is not None and node.parent.type == "bullet_list":
        first = text.split("\n", 1)[0]
        # Whatever marker mdformat picks for this list ("-" or "*"), the line is a break only if it is the
        # character the content starts with; moving content that needed no moving changes nothing either.
        if first and _THEMATIC_BREAK.fullmatch(f"{first[0]} {first}"):
            return "\n" + text
    return text


def _html_block_as_it_is(node: RenderTreeNode, context: RenderContext) -> str:
    """Raw HTML as it is, indentation included: mdformat strips the spaces before its first line, which are part
    of the HTML a browser gets (``  <div>`` stays ``  <div>``).

    Except right after a list indented as far as mdformat writes the list's content (two columns after ``-``,
    three after ``1.``): there the HTML would be read as part of the last item, so it loses its indentation, as
    mdformat always does (the spaces before a tag change nothing a reader sees).
    """
    # One line end only: HTML left open (``<pre>`` without ``</pre>``) runs to the end and holds its blank lines.
    content = node.content.removesuffix("\n")
    before = node.previous_sibling
    if before is not None and before.type in ("bullet_list", "ordered_list"):
        indent = len(content) - len(content.lstrip(" "))
        if indent >= (2 if before.type == "bullet_list" else 3):
            return content.lstrip(" ")
    return content


_HTML_LINE_BREAK = "\ue004"
"""Stands for a line break inside raw inline HTML until the paragraph is written: mdformat strips every line of a
paragraph and escapes what starts one, which would change the HTML (``<a href="foo  \\nbar">``)."""


def _html_inline(node: RenderTreeNode, context: RenderContext) -> str:
    return node.content.replace("\n", _HTML_LINE_BREAK)


def _inline_html_line_breaks(text: str, node: RenderTreeNode, context: RenderContext) -> str:
    """Put the line breaks of raw inline HTML back once its paragraph or heading is written."""
    return text.replace(_HTML_LINE_BREAK, "\n")


def _in_setext_heading(node: RenderTreeNode) -> bool:
    parent = node.parent
    while parent is not None and parent.type != "heading":
        parent = parent.parent
    return parent is not None and parent.markup in ("=", "-")


def _hardbreak(node: RenderTreeNode, context: RenderContext) -> str:
    """A hard break ends its line, in a setext heading too (mdformat writes ``<br />`` and joins the lines)."""
    return "\\\n" if _in_setext_heading(node) else DEFAULT_RENDERERS["hardbreak"](node, context)


def _heading(node: RenderTreeNode, context: RenderContext) -> str:
    """A setext heading of more than one line keeps its lines, which mdformat writes joined as an ATX heading: its
    lines are written as a paragraph's (escaped where they would start another block), then the underline."""
    if node.markup in ("=", "-"):
        lines = DEFAULT_RENDERERS["paragraph"](node, context)
        if "\n" in lines or _HTML_LINE_BREAK in lines:
            return f"{lines}\n{node.markup * 3}"
    return DEFAULT_RENDERERS["heading"](node, context)


_FRONT_MATTER = mdformat.plugins.PARSER_EXTENSIONS["frontmatter"].RENDERERS["front_matter"]


def _front_matter(node: RenderTreeNode, context: RenderContext) -> str:
    """Front matter holding a YAML scalar as it is: mdformat-frontmatter would rewrite it as YAML (joining its
    lines), which changes what CommonMark alone shows of it."""
    if node.token is not None and front_matter_is_scalar(node.token):
        return f"{node.markup}\n{node.content}\n{node.markup}"
    return _FRONT_MATTER(node, context)


_NO_BLANK_LINE = "\ue005"
"""Ends a block written on the line right before the HTML block that follows it, as in the source."""
_BLANK_LINE_AFTER = re.compile(f"{_NO_BLANK_LINE}(?:\n[ >]*(?=\n))?")
"""The mark and the blank line mdformat writes after its block (in a block quote, ``>`` alone)."""


def _html_block_next(text: str, node: RenderTreeNode, context: RenderContext) -> str:
    """Mark a paragraph or HTML block that the next HTML block followed on the next line in the source, where that
    block can follow it so (a paragraph ends where HTML that can interrupt one starts; an HTML block closed by its
    end marker, like ``</pre>``, is followed by anything): mdformat separates every block with a blank line."""
    after = node.next_sibling
    if after is None or after.type != "html_block" or node.map is None or after.map is None:
        return text
    if node.map[1] != after.map[0]:
        return text
    if node.type == "paragraph" and not any(
        interrupts and opening.search(after.content.lstrip(" ")) for opening, _, interrupts in HTML_SEQUENCES
    ):
        return text
    return text + _NO_BLANK_LINE


def _ends_at_a_blank_line(node: RenderTreeNode) -> bool:
    """Whether an HTML block is of a kind that only a blank line ends (a ``<div>``, any complete tag), not one
    closed by its end marker (``</pre>``, ``-->``)."""
    first = node.content.lstrip(" ")
    sequence = next((sequence for sequence in HTML_SEQUENCES if sequence[0].search(first)), None)
    return sequence is None or sequence[1].pattern == "^$"


def _in_a_tight_list(item: RenderTreeNode) -> bool:
    """Whether mdformat writes the blocks of a list item one line after another: it does when no paragraph of the
    list is loose, so also in a list holding no paragraph at all."""
    return item.parent is not None and all(
        block.hidden for other in item.parent.children for block in other.children if block.type == "paragraph"
    )


def _html_block(text: str, node: RenderTreeNode, context: RenderContext) -> str:
    """An HTML block, followed as in the source (:func:`_html_block_next`), and by a blank line where only that
    ends it but mdformat would write the list item's next block on the next line (an item of HTML blocks alone)."""
    parent = node.parent
    if (
        node.next_sibling is not None
        and parent is not None
        and parent.type == "list_item"
        and _ends_at_a_blank_line(node)
        and _in_a_tight_list(parent)
    ):
        return text + "\n"
    return _html_block_next(text, node, context)


def _paragraph(text: str, node: RenderTreeNode, context: RenderContext) -> str:
    return _html_block_next(_inline_html_line_breaks(text, node, context), node, context)


class _Writer:
    """An mdformat extension of ours: the renderers and post-processing above, which keep what the HTML shows."""

    RENDERERS: Mapping[str, Any] = {
        "html_block": _html_block_as_it_is,
        "html_inline": _html_inline,
        "hardbreak": _hardbreak,
        "heading": _heading,
        "front_matter": _front_matter,
    }
    POSTPROCESSORS: Mapping[str, Any] = {
        "list_item": _list_item,
        "paragraph": _paragraph,
        "heading": _inline_html_line_breaks,
        "html_block": _html_block,
    }


def render_markdown(tokens: list[Token], env: MutableMapping[str, Any]) -> str:
    """CommonMark text for ``tokens``, rendering to the same HTML as they do."""
    extensions = [mdformat.plugins.PARSER_EXTENSIONS["tables"], _Writer]
    options = {"parser_extension": extensions, "mdformat": {"wrap": "keep", "number": True}}
    return _BLANK_LINE_AFTER.sub("", MDRenderer().render(tokens, options, dict(env)))

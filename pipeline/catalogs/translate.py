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
from markdown_it.token import Token
from mdformat.renderer import MDRenderer, RenderContext, RenderTreeNode

from pipeline.document import PLACEHOLDER_ATOM, READING_TIME, Block, Document, markdown_parser, plain_text
from pipeline.errors import SourceError

log = logging.getLogger(__name__)

_ATOM_OPEN, _ATOM_CLOSE = "\ue000", "\ue001"
"""Private-use characters that carry ``{N}`` placeholders safely through the inline parser."""
_ATOM = re.compile(f"{_ATOM_OPEN}(\\d+){_ATOM_CLOSE}")
_LINK_PREFIX = "#plainleaf-placeholder-"

_ALLOWED = {
    "text", "softbreak", "hardbreak", "em_open", "em_close", "strong_open", "strong_close",
    "code_inline", "link_open", "link_close",
}  # fmt: skip
"""Inline tokens a translation may produce; links only through placeholders."""

READING_SPEED = {
    "en": 228, "es": 218, "ar": 138, "fr": 195, "de": 179, "it": 188, "pt": 181, "ru": 184, "zh": 255, "ja": 357,
    "vi": 340,
}  # fmt: skip
"""Silent reading speed of adults per minute: words, characters for zh and ja (IReST study, Trauzettel-Klosinski
and Dietz, 2012). Vietnamese, which IReST lacks, counts syllables (its written words): 340 is the English rate of
228 words at about 1.5 syllables a word, an estimate. Other languages use :data:`DEFAULT_READING_SPEED`."""
DEFAULT_READING_SPEED = 200
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


def _parse_translation(msgstr: str, block: Block, source: list[Token]) -> list[Token]:
    """Inline tokens of a translated block, placeholders resolved to the source's own tokens.

    Raises ValueError naming what the translation tried to add (a link target, an image, raw HTML).
    """
    links = {p.number: p for p in block.placeholders if p.kind == "link"}
    atoms = {p.number: p for p in block.placeholders if p.kind != "link"}
    env: MutableMapping[str, Any] = {
        "references": {str(n): {"href": f"{_LINK_PREFIX}{n}", "title": None} for n in links}
    }
    parsed = markdown_parser().parseInline(_encode_atoms(msgstr), env)[0].children or []
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


def _escape_alt(image: Token) -> None:
    """mdformat writes alt text as it is; escape its punctuation so a backtick or bracket stays text."""
    alt = plain_text(image)
    escaped = re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", alt)
    image.children = [Token("text", "", 0, content=escaped)]


def _reading_minutes(words: int, language: str) -> int:
    speed = READING_SPEED.get(language.split("_")[0].split("-")[0], DEFAULT_READING_SPEED)
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
        for child in token.children or []:
            if child.type == "image":
                _escape_alt(child)
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


def _item_not_a_rule(text: str, node: RenderTreeNode, context: RenderContext) -> str:
    """Start a bullet item's content on the line after its marker when both on one line would read as a thematic
    break: mdformat writes an item holding lists nested down to an empty item (``- *  *``) as ``- - -``."""
    if node.parent is not None and node.parent.type == "bullet_list":
        first = text.split("\n", 1)[0]
        # Whatever marker mdformat picks for this list ("-" or "*"), the line is a break only if it is the
        # character the content starts with; moving content that needed no moving changes nothing either.
        if first and _THEMATIC_BREAK.fullmatch(f"{first[0]} {first}"):
            return "\n" + text
    return text


class _ListItems:
    """An mdformat extension of ours: the post-processing of list items above."""

    RENDERERS: Mapping[str, Any] = {}
    POSTPROCESSORS: Mapping[str, Any] = {"list_item": _item_not_a_rule}


def render_markdown(tokens: list[Token], env: MutableMapping[str, Any]) -> str:
    """CommonMark text for ``tokens``, rendering to the same HTML as they do."""
    extensions = [mdformat.plugins.PARSER_EXTENSIONS[name] for name in ("tables", "frontmatter")] + [_ListItems]
    options = {"parser_extension": extensions, "mdformat": {"wrap": "keep", "number": True}}
    return MDRenderer().render(tokens, options, dict(env))

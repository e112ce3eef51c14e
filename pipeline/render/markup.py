"""Markdown to the HTML the templates place: headings with anchors, emphasis kept semantic, images inlined."""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup, escape

from pipeline.document import front_matter, heading_text, plain_inline, plain_text, slugify
from pipeline.render.errors import RenderError
from pipeline.render.safety import IMAGE_SUFFIXES, is_comment, sanitize_block, sanitize_inline

QUESTION_MARKS = ("?", "\uff1f", "\u061f")
"""Question marks: Latin, full-width (Chinese, Japanese) and Arabic. A list item holding one is a question (pseudo-
locales add words after it)."""

MEDIA_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


@dataclass(slots=True)
class Heading:
    """A heading of the body, for the table of contents."""

    level: int
    """2 for ``##``."""
    anchor: str
    """Its ``id``."""
    html: Markup
    """Its inline HTML."""
    text: str
    """Its plain text."""


@dataclass(slots=True)
class Body:
    """A document's Markdown rendered as HTML, its first H1 taken out as the title."""

    html: Markup
    """Everything but the title heading."""
    title_html: Markup | None
    """The H1's inline HTML, if the document has one."""
    headings: list[Heading] = field(default_factory=list)
    """Headings after the title, in order."""
    text: str = ""
    """All the text a reader sees (for the glyph check)."""
    lead_html: Markup = field(default_factory=Markup)
    """The paragraph right after the title (the estimated reading time), taken out of :attr:`html` so the
    layout keeps it with the title."""
    images: int = 0
    """How many images the title, lead and body show (Markdown images, each with its alternative text; raw
    ``<img>`` is refused by :mod:`.safety`): whether an EPUB is read visually too. Counted from the tokens, so
    text that merely contains ``<img`` (a code span, an escaped tag) is no image."""


def data_uri(path: Path) -> str:
    """A ``data:`` URL holding the PNG or JPEG at ``path``."""
    media = MEDIA_TYPES[path.suffix.lower()]
    return f"data:{media};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable("table").use(front_matter).use(plain_inline)


def _inline_of(tokens: Sequence[Token], opening: int) -> Token:
    """The text of the link opened at ``opening`` (its children up to the closing token), as one inline token."""
    inline = Token("inline", "", 0)
    inline.children = []
    depth = 0
    for token in tokens[opening:]:
        depth += 1 if token.type == "link_open" else -1 if token.type == "link_close" else 0
        if depth == 0:
            break
        inline.children.append(token)
    return inline


def _attrs(token: Token) -> str:
    return "".join(f' {name}="{escape(str(value))}"' for name, value in token.attrs.items())


def render_body(tokens: Sequence[Token], document: Path, images_dir: Path | None) -> Body:
    """HTML of markdown-it ``tokens`` (already checked by :func:`safety.check_tokens`)."""
    md = _parser()
    tokens = list(tokens)
    title: Markup | None = None
    headings: list[Heading] = []
    anchors: dict[str, int] = {}
    texts: list[str] = []
    images = 0

    for index, token in enumerate(tokens):
        if token.type == "inline":
            texts.append(plain_text(token))
            for child in token.children or []:
                if child.type == "image":
                    texts.append(child.content)
                    images += 1  # every inline token is rendered once: in the title, the lead or the body
        if token.type != "heading_open":
            continue
        slug = slugify(heading_text(tokens[index + 1]))
        anchors[slug] = anchors.get(slug, 0) + 1
        anchor = slug if anchors[slug] == 1 else f"{slug}-{anchors[slug]}"
        token.attrSet("id", anchor)

    _mark_question_lists(tokens)
    _tighten_list_items(tokens)

    def image(_renderer: Any, tokens: Sequence[Token], index: int, options: Any, env: Any) -> str:
        token = tokens[index]
        src = str(token.attrs.get("src", ""))
        if images_dir is None or Path(src).suffix.lower() not in IMAGE_SUFFIXES:
            raise RenderError(f"image {src!r} cannot be shown", document, token.map[0] + 1 if token.map else None)
        path = (images_dir / src).resolve()
        if not path.is_relative_to(images_dir.resolve()) or not path.is_file():
            raise RenderError(f"image {src!r} not found in {images_dir}", document)
        alt = escape(plain_text(token))
        return f'<img src="{data_uri(path)}" alt="{alt}">'

    def raw(_renderer: Any, tokens: Sequence[Token], index: int, options: Any, env: Any) -> str:
        token = tokens[index]
        if is_comment(token.content):
            return ""
        return sanitize_block(token.content) if token.type == "html_block" else sanitize_inline(token.content)

    def link_open(_renderer: Any, tokens: Sequence[Token], index: int, options: Any, env: Any) -> str:
        token = tokens[index]
        href = str(token.attrs.get("href", ""))
        if href.startswith("http"):
            token.attrSet("class", "external")
        elif href.startswith(("mailto:", "tel:")):
            # Print shows the address or number after the link text, unless the text already is it.
            address = unquote(href.split(":", 1)[1]).split("?", 1)[0]
            if address and address not in plain_text(_inline_of(tokens, index)):
                token.attrSet("class", "contact")
                token.attrSet("data-address", address)
        return f"<a{_attrs(token)}>"

    def ordered_list_open(_renderer: Any, tokens: Sequence[Token], index: int, options: Any, env: Any) -> str:
        # WeasyPrint 70's stylesheet resets the list-item counter on every <ol> and ignores "start", so a list that
        # Markdown resumes at 2 after a paragraph or a list of questions printed "1." again: reset it to start - 1.
        token = tokens[index]
        start = int(str(token.attrs.get("start", 1)))
        if start != 1:
            token.attrSet("style", f"counter-reset: list-item {start - 1}")
        return f"<ol{_attrs(token)}>"

    rules: dict[str, Callable[..., str]] = {
        "image": image, "html_block": raw, "html_inline": raw, "link_open": link_open,
        "ordered_list_open": ordered_list_open,
        "front_matter": lambda *args: "",
    }  # fmt: skip
    for name, rule in rules.items():
        md.add_render_rule(name, rule)

    start = next((i for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == "h1"), None)
    lead = Markup("")
    if start is not None:
        title = Markup(md.renderer.render(tokens[start + 1 : start + 2], md.options, {}))
        tokens = tokens[:start] + tokens[start + 3 :]
        # A translator's note (an HTML comment) before the first paragraph is not the paragraph: look past it.
        first = start
        while first < len(tokens) and tokens[first].type == "html_block" and is_comment(tokens[first].content):
            first += 1
        if (
            first + 2 < len(tokens)
            and tokens[first].type == "paragraph_open"
            and tokens[first + 2].type == "paragraph_close"
        ):
            lead = Markup(md.renderer.render(tokens[first : first + 3], md.options, {}))
            tokens = tokens[:first] + tokens[first + 3 :]
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            inline = tokens[index + 1]
            html = Markup(md.renderer.render([inline], md.options, {}))
            headings.append(Heading(int(token.tag[1]), str(token.attrs["id"]), html, plain_text(inline)))
    html = Markup(md.renderer.render(tokens, md.options, {}))
    return Body(html, title, headings, "\n".join(texts), lead, images)


def _tighten_list_items(tokens: list[Token]) -> None:
    """Set the first paragraph of every list item without its ``<p>``, as a tight list is: in a loose list (blank
    lines between items, as most pages are written) the marker would otherwise stand on a line of its own above the
    paragraph, and WeasyPrint tags it as a label outside its list item (PDF/UA: Lbl in LBody). Later paragraphs of
    the item keep theirs."""
    for index, token in enumerate(tokens[:-1]):
        following = tokens[index + 1]
        if token.type == "list_item_open" and following.type == "paragraph_open" and not following.hidden:
            following.hidden = True
            depth = 0
            for closing in tokens[index + 1 :]:
                depth += closing.nesting
                if depth == 0:
                    closing.hidden = True
                    break


def _mark_question_lists(tokens: list[Token]) -> None:
    """Give ``class="questions"`` to every list whose items are all questions, in any language: the handout
    keeps such a list on one side with a line under each question to write the answer on."""
    for index, token in enumerate(tokens):
        if token.type not in ("bullet_list_open", "ordered_list_open"):
            continue
        depth, texts = 0, []
        for inner in tokens[index:]:
            depth += inner.nesting
            if inner.type == "inline":
                texts.append(plain_text(inner).strip())
            if depth == 0:
                break
        if texts and all(any(mark in text for mark in QUESTION_MARKS) for text in texts):
            token.attrSet("class", "questions")


def parse_markdown(text: str) -> list[Token]:
    """markdown-it tokens of a Markdown text, parsed as the pipeline parses it, raw HTML kept for the checks."""
    return _parser().parse(text)

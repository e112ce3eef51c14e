"""The document model: blocks, stable ids, placeholders, directives and source errors."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from pipeline.document import front_matter, load_document, markdown_parser, parse_document
from pipeline.errors import SourceError

FIXTURES = Path(__file__).parent / "fixtures" / "roundtrip"


def blocks(source: str) -> list[tuple[str, str, str, int]]:
    return [(b.id, b.kind, b.text, b.line) for b in parse_document(source, Path("doc.md")).blocks]


def test_one_block_per_paragraph_heading_item_and_cell() -> None:
    source = "# Title\n\nA *para*\nover lines.\n\n- item `x`\n- two\n\n| a | b |\n|---|---|\n| c | d |\n"
    assert blocks(source) == [
        ("title/h1", "heading 1", "Title", 1),
        ("title/p1", "paragraph", "A *para* over lines.", 3),
        ("title/li1", "list item", "item `x`", 6),
        ("title/li2", "list item", "two", 7),
        ("title/th1", "table header cell", "a", 9),
        ("title/th2", "table header cell", "b", 9),
        ("title/td1", "table cell", "c", 11),
        ("title/td2", "table cell", "d", 11),
    ]


def test_ids_are_stable_when_text_is_inserted_in_another_section() -> None:
    before = "# A\n\nOne.\n\n## B\n\nTwo.\n\nThree.\n"
    after = "# A\n\nNew.\n\nOne.\n\n## B\n\nTwo.\n\nThree.\n"
    ids_before = {b.text: b.id for b in parse_document(before, Path("d.md")).blocks}
    ids_after = {b.text: b.id for b in parse_document(after, Path("d.md")).blocks}
    assert ids_before["Two."] == ids_after["Two."] == "b/p1"
    assert ids_before["Three."] == ids_after["Three."] == "b/p2"


def test_links_images_and_html_become_placeholders() -> None:
    document = parse_document(
        'Read [this](https://e.org/x "Title") ![alt](a.png) <kbd>K</kbd> <https://e.org>.\n', Path("d.md")
    )
    paragraph, title, alt = document.blocks
    assert paragraph.text == "Read [this][1] {2} {3}K{4} {5}."
    assert "https" not in paragraph.text and "<" not in paragraph.text
    assert [p.describe() for p in paragraph.placeholders] == [
        "[1]: https://e.org/x",
        "{2}: image a.png",
        "{3}: html <kbd>",
        "{4}: html </kbd>",
        "{5}: autolink https://e.org",
    ]
    assert (title.kind, title.text) == ("link title", "Title")
    assert (alt.kind, alt.text) == ("image alt text", "alt")


def test_raw_html_and_code_blocks_are_not_offered() -> None:
    source = "<div>\nHidden *text*\n</div>\n\n```\ncode\n```\n\n    indented\n\nShown.\n"
    assert [b[2] for b in blocks(source)] == ["Shown."]


def test_directives_set_notes_context_and_skip() -> None:
    document = load_document(FIXTURES / "directives.md")
    by_text = {b.text: b for b in document.blocks}
    assert by_text["Call us"].notes == ("Keep this short: it is printed on a button.",)
    assert by_text["Call"].context == "verb"
    assert by_text["NCT01234567"].skip and by_text["NCT07654321"].skip
    assert not by_text["Ordinary paragraph."].skip and by_text["Ordinary paragraph."].context is None
    assert by_text["Directive sample"].kind == "heading 1"
    assert by_text["A test of the directives"].kind == "front matter: description"
    assert document.front_matter["lang"] == "en"
    reading = next(b for b in document.blocks if b.kind == "reading time")
    assert reading.plural == "Estimated reading time: {minutes} minutes"


@pytest.mark.parametrize(
    ("source", "line", "message"),
    [
        ("# T\n\n<!-- plainleaf: skipp -->\nText\n", 3, "unknown directive 'plainleaf: skipp'"),
        ("# T\n\n<!-- plainleaf: note -->\nText\n", 3, "needs a text"),
        ("---\ntitle: [unclosed\n---\n\n# T\n", 2, "front matter"),
        ("---\n- a list\n---\n\n# T\n", 1, "front matter must be a mapping"),
        ("# T\n\n<!-- plainleaf: skip -->\n", None, "applies to nothing"),
    ],
    ids=[
        "unknown-directive",
        "empty-note",
        "bad-yaml",
        "front-matter-not-mapping",
        "dangling-directive",
    ],
)
def test_bad_sources_give_file_line_and_reason(source: str, line: int | None, message: str) -> None:
    with pytest.raises(SourceError) as caught:
        parse_document(source, Path("bad.md"))
    assert caught.value.line == line
    assert message in str(caught.value)
    assert str(caught.value).startswith("bad.md")


@pytest.mark.parametrize(
    ("source", "text", "breaks"),
    [
        ("One line\nnext line\n", "One line next line", (8,)),
        ("A *para*\nover\n`two` lines.\n", "A *para* over `two` lines.", (8, 13)),
        ("Hard\\\nthen\nsoft\n", "Hard\\\nthen soft", (10,)),
        ("# One line\n", "One line", ()),
    ],
    ids=["plain", "marked-up", "after-a-hard-break", "none"],
)
def test_blocks_record_where_their_soft_line_breaks_were(source: str, text: str, breaks: tuple[int, ...]) -> None:
    (block,) = parse_document(source, Path("doc.md")).blocks
    assert (block.text, block.breaks) == (text, breaks)
    assert all(block.text[offset] == " " for offset in block.breaks)


@pytest.mark.parametrize(
    "front",
    ["Prose between\ntwo rules", "# a comment alone", "2026-12-05", "42"],
    ids=["prose", "null", "date", "number"],
)
def test_front_matter_that_is_a_yaml_scalar_is_kept_with_a_warning(
    front: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="pipeline.document"):
        document = parse_document(f"---\n{front}\n---\n\n# Title\n", Path("doc.md"))
    assert document.front_matter == {}
    assert [b.text for b in document.blocks] == ["Title"]
    (record,) = caplog.records
    assert record.levelno == logging.WARNING
    assert record.getMessage().startswith("doc.md:1: front matter is a YAML scalar, not a mapping")


@pytest.mark.parametrize("source", ["- Dose--twice daily\nwith food\n", "- 0--\n0\n", "- a--\n\nText\n", "* b---\nc\n"])
def test_a_document_opening_with_a_list_item_ending_in_dashes_keeps_its_text(source: str) -> None:
    # mdit-py-plugins 0.7.0 alone reads such an item as YAML front matter, and its text is lost.
    document = parse_document(source, Path("dashes.md"))
    assert document.front_matter == {}
    assert document.blocks[0].kind == "list item"
    first_line = source.split("\n")[0]
    assert document.blocks[0].text.startswith(first_line[first_line.index(" ") + 1 :])


def test_unreadable_sources(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.md"
    bad.write_bytes(b"# Title\n\nCaf\xe9\n")
    with pytest.raises(SourceError, match=r"latin1.md:3: not valid UTF-8"):
        load_document(bad)
    with pytest.raises(SourceError, match="no such file"):
        load_document(tmp_path / "missing.md")
    crlf = tmp_path / "crlf.md"
    crlf.write_bytes(b"\xef\xbb\xbf# Title\r\n\r\nText\r\nmore\r\n")
    assert [b.text for b in load_document(crlf).blocks] == ["Title", "Text more"]


INLINE_ALPHABET = "ab 1.,:;#%+-=@^~$'\"\t\\`*_[]()!<>&/\n"
markdown_texts = st.lists(
    st.text(alphabet=st.sampled_from(INLINE_ALPHABET), max_size=60).map(lambda text: text.strip("\n")),
    max_size=8,
).map(lambda lines: "\n".join(lines) + "\n")
block_prefixes = st.sampled_from(["", "# ", "- ", "1. ", "> ", "| a | b |\n| - | - |\n| ", "    ", "* - "])


@settings(max_examples=1500, deadline=None)
@given(block_prefixes, markdown_texts, markdown_texts)
def test_plain_text_shortcut_gives_the_tokens_markdown_it_gives(prefix: str, first: str, second: str) -> None:
    # Plain inline text skips markdown-it's inline rules; every token, children included, must stay the same.
    stock = MarkdownIt("commonmark").enable("table").use(front_matter)
    text = f"{prefix}{first}\n{second}"
    assert [t.as_dict() for t in markdown_parser().parse(text)] == [t.as_dict() for t in stock.parse(text)]

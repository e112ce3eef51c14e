"""``source/guide.md`` carries the user's guide faithfully.

The seed (``tests/data/guide-seed.txt``, a byte-identical copy of the plain text the
user supplied) is the reference: every sentence of it must reach the rendered guide
unchanged, in the same order, with nothing added. Only the documented scraping debris
is dropped, and the frozen reading time is replaced by the pipeline's directive.
"""

from __future__ import annotations

import datetime
import difflib
import re
from pathlib import Path

import pytest
import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "source" / "guide.md"
SEED = ROOT / "tests" / "data" / "guide-seed.txt"

READING_TIME_DIRECTIVE = "<!-- plainleaf: reading-time -->"
# Scraping debris, dropped on purpose (each must occur exactly once in the seed):
#  - the breadcrumb/link residue repeating the title with an empty "()";
#  - the frozen reading time, replaced by READING_TIME_DIRECTIVE.
BREADCRUMB_DEBRIS = "Immunotherapy for Pancreatic Cancer Clinical Trials ()"
READING_TIME_RE = re.compile(r"Estimated reading time: \d+ minutes?")

BULLET_RE = re.compile(r"^\s+\u2022\s+")  # "  • item"
NUMBERED_RE = re.compile(r"^\s+(\d+)\.\s+")  # "  1. step" (indented: a list item, not a heading)

H1 = "Immunotherapy for Pancreatic Cancer Clinical Trials Guide"
SECTIONS = [
    "1. What Immunotherapy for Pancreatic Cancer Is",
    "2. Why Immunotherapy Has Been Challenging in Pancreatic Cancer",
    "3. Clinical Trials Testing New Immunotherapy Approaches",
    "4. CAR-T Therapy and Other Cell-Based Treatments",
    "5. Current Research Breakthroughs in Pancreatic Cancer Immunotherapy",
    "6. Who May Be Eligible for Immunotherapy Trials",
    "7. How Patients and Families Can Evaluate Next Steps",
]
FAQ = "FAQ: Immunotherapy for Pancreatic Cancer"
H2S = [
    "Key Takeaways",
    "Introduction",
    *SECTIONS,
    FAQ,
    "Moving Forward: What Patients and Families Should Know",
]
# (H3 text, parent H2 text), in document order.
H3S = [
    ("Why Pancreatic Tumors Are Hard to Target", SECTIONS[0]),
    ("Examples of Trial Approaches Being Studied", SECTIONS[2]),
    ("Other Cell-Based Approaches", SECTIONS[3]),
    ("Why Molecular Testing Matters", SECTIONS[5]),
    ("What is the latest immunotherapy for pancreatic cancer?", FAQ),
    ("Is immunotherapy effective for pancreatic cancer?", FAQ),
    ("Are there any clinical trials for pancreatic cancer immunotherapy?", FAQ),
    ("Is CAR-T therapy available for pancreatic cancer?", FAQ),
    ("What research breakthroughs are there for pancreatic cancer?", FAQ),
    ("Who qualifies for immunotherapy clinical trials?", FAQ),
]
# (list type, item count, enclosing H2), in document order.
LISTS = [
    ("bullet_list", 7, "Key Takeaways"),  # key takeaways
    ("bullet_list", 4, SECTIONS[0]),  # comparison with other treatments
    ("bullet_list", 3, SECTIONS[2]),  # trial phases
    ("ordered_list", 5, SECTIONS[3]),  # CAR-T steps
    ("bullet_list", 5, SECTIONS[5]),  # eligibility factors
    ("bullet_list", 7, SECTIONS[6]),  # questions for the oncologist
]


def normalise(text: str) -> str:
    return " ".join(text.split())


def inline_text(token: Token) -> str:
    parts = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return normalise("".join(parts))


@pytest.fixture(scope="module")
def tokens() -> list[Token]:
    md = MarkdownIt("commonmark").enable("table").use(front_matter_plugin)
    return md.parse(GUIDE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def front_matter(tokens: list[Token]) -> dict:
    assert tokens and tokens[0].type == "front_matter", "source/guide.md must start with YAML front matter"
    data = yaml.safe_load(tokens[0].content)
    assert isinstance(data, dict), "front matter must be a YAML mapping"
    return data


@pytest.fixture(scope="module")
def seed_lines() -> list[str]:
    return SEED.read_text(encoding="utf-8").splitlines()


def seed_blocks(lines: list[str]) -> list[tuple[str, str]]:
    """The seed as (kind, text) blocks: kind is "item" for list items, "block" otherwise.

    The debris lines are dropped; the reading-time line becomes a ("directive", ...) marker
    so its position can be checked too.
    """
    blocks: list[tuple[str, str]] = []
    for line in lines:
        if not line.strip() or line == BREADCRUMB_DEBRIS:
            continue
        if READING_TIME_RE.fullmatch(line.strip()):
            blocks.append(("directive", READING_TIME_DIRECTIVE))
        elif BULLET_RE.match(line):
            blocks.append(("item", normalise(BULLET_RE.sub("", line, count=1))))
        elif NUMBERED_RE.match(line):
            blocks.append(("item", normalise(NUMBERED_RE.sub("", line, count=1))))
        else:
            blocks.append(("block", normalise(line)))
    return blocks


def guide_blocks(tokens: list[Token]) -> list[tuple[str, str]]:
    """The guide as (kind, text) blocks, in document order, with the same kinds as seed_blocks."""
    blocks: list[tuple[str, str]] = []
    depth = 0  # list_item nesting
    for tok in tokens:
        if tok.type == "list_item_open":
            depth += 1
        elif tok.type == "list_item_close":
            depth -= 1
        elif tok.type == "html_block":
            blocks.append(("directive", tok.content.strip()))
        elif tok.type == "inline":
            blocks.append(("item" if depth else "block", inline_text(tok)))
    return blocks


def first_difference(expected: list, actual: list) -> str:
    for i, (exp, act) in enumerate(zip(expected, actual, strict=False)):
        if exp != act:
            return (
                f"first differing block is #{i}:\n"
                f"  seed : {exp!r}\n"
                f"  guide: {act!r}\n"
                f"  (previous block, equal on both sides: {expected[i - 1] if i else None!r})"
            )
    shorter, longer, name = (actual, expected, "seed") if len(expected) > len(actual) else (expected, actual, "guide")
    return (
        f"{len(expected)} seed blocks vs {len(actual)} guide blocks; the first extra {name} "
        f"block is #{len(shorter)}: {longer[len(shorter)]!r}"
    )


# --- the seed copy and its debris -------------------------------------------------------


def test_seed_copy_holds_the_documented_debris_once(seed_lines: list[str]) -> None:
    assert seed_lines[0] == H1
    assert seed_lines.count(BREADCRUMB_DEBRIS) == 1
    assert sum(bool(READING_TIME_RE.fullmatch(line.strip())) for line in seed_lines) == 1


def test_does_not_depend_on_shared_directory() -> None:
    assert "/work/shared" not in str(SEED.resolve())
    assert SEED.is_file()


# --- front matter -----------------------------------------------------------------------


def test_front_matter(front_matter: dict, seed_lines: list[str]) -> None:
    assert front_matter.get("title") == seed_lines[0] == H1
    assert front_matter.get("lang") == "en"
    assert front_matter.get("version") == "1.0", "version must be the string '1.0' (quoted)"
    assert front_matter.get("date") in (datetime.date(2026, 11, 29), "2026-11-29")
    allowed = {"title", "short-title", "lang", "version", "date", "description"}  # short-title: the running head
    assert set(front_matter) <= allowed, f"unexpected front-matter keys: {set(front_matter) - allowed}"
    if "description" in front_matter:
        seed_text = normalise(" ".join(seed_lines))
        assert normalise(front_matter["description"]) in seed_text, "description must be verbatim from the seed"


# --- the text itself --------------------------------------------------------------------


def test_every_block_is_carried_verbatim_and_in_order(tokens: list[Token], seed_lines: list[str]) -> None:
    expected = seed_blocks(seed_lines)
    actual = guide_blocks(tokens)
    if expected != actual:
        diff = "\n".join(
            difflib.unified_diff(
                [f"{k}: {t}" for k, t in expected],
                [f"{k}: {t}" for k, t in actual],
                "seed",
                "guide",
                n=1,
                lineterm="",
            )
        )
        pytest.fail(f"{first_difference(expected, actual)}\n\n{diff}", pytrace=False)


def test_reading_time_is_a_directive_not_frozen_text(tokens: list[Token]) -> None:
    html = [t for t in tokens if t.type == "html_block"]
    assert [t.content.strip() for t in html] == [READING_TIME_DIRECTIVE]
    text = " ".join(inline_text(t) for t in tokens if t.type == "inline")
    assert "reading time" not in text.lower()


def test_no_markup_sneaks_in(tokens: list[Token]) -> None:
    """No links (none exist in the source), emphasis, inline HTML, tables or code; no wrapped lines."""
    allowed_children = {"text"}
    for tok in tokens:
        assert tok.type not in ("table_open", "fence", "code_block", "blockquote_open", "hr"), (
            f"unexpected {tok.type} at line {tok.map[0] + 1 if tok.map else '?'}"
        )
        if tok.type == "inline":
            kinds = {c.type for c in tok.children or []}
            assert kinds <= allowed_children, (
                f"line {tok.map[0] + 1}: unexpected inline markup {sorted(kinds - allowed_children)}"
            )
            assert tok.map[1] - tok.map[0] == 1, f"line {tok.map[0] + 1}: paragraph must be on one line"


# --- structure --------------------------------------------------------------------------


def headings(tokens: list[Token]) -> list[tuple[int, str, str | None]]:
    """(level, text, enclosing H2 text) for every heading."""
    out = []
    current_h2 = None
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open":
            level = int(tok.tag[1])
            text = inline_text(tokens[i + 1])
            if level == 2:
                current_h2 = text
            out.append((level, text, current_h2 if level > 2 else None))
    return out


def test_single_h1_is_the_title(tokens: list[Token]) -> None:
    h1 = [text for level, text, _ in headings(tokens) if level == 1]
    assert h1 == [H1]
    first = next(t for t in tokens if t.type == "heading_open")
    assert first.tag == "h1", "the H1 must come first"


def test_h2_sections(tokens: list[Token]) -> None:
    assert [text for level, text, _ in headings(tokens) if level == 2] == H2S


def test_h3_subsections_and_faq_questions(tokens: list[Token]) -> None:
    assert [(text, parent) for level, text, parent in headings(tokens) if level == 3] == H3S
    assert not [h for h in headings(tokens) if h[0] > 3], "no headings deeper than H3"


def test_lists(tokens: list[Token]) -> None:
    found = []
    current_h2 = None
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and tok.tag == "h2":
            current_h2 = inline_text(tokens[i + 1])
        elif tok.type in ("bullet_list_open", "ordered_list_open"):
            assert tok.level == 0, f"line {tok.map[0] + 1}: nested list"
            items = []
            for t in tokens[i + 1 :]:
                if t.type == tok.type.replace("_open", "_close") and t.level == tok.level:
                    break
                if t.type == "list_item_open" and t.level == tok.level + 1:
                    items.append(t)
            found.append((tok.type.removesuffix("_open"), len(items), current_h2))
            if tok.type == "ordered_list_open":
                assert tok.attrGet("start") in (None, 1), "CAR-T steps must start at 1"
                assert [t.info for t in items] == [str(n) for n in range(1, len(items) + 1)]
    assert found == LISTS

"""``source/summary.md`` and ``source/handout.md`` (the project's own texts) stay faithful to the guide.

They are rewritten for plain language and health literacy (issue 23: PEMAT-P and the CDC Clear Communication
Index, scored in ``source/health-literacy-scoring.txt``), never for new claims: every caution of the guide they
rely on is kept, every number, gene and drug name they use comes from the guide, the one main message comes
first in bold, the next steps are a list under "What to do next", and the Spanish catalogs keep the
wording a Spanish-speaking patient reads as meant ("estudio clínico", never "estudio" alone for a trial).
Read with markdown-it and polib only, so these tests do not depend on the ``pipeline`` package.
"""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from markdown_it import MarkdownIt
from mdit_py_plugins.front_matter import front_matter_plugin

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "source"
GUIDE = (SOURCE / "guide.md").read_text(encoding="utf-8")
TEXTS = ("summary", "handout")

# What each text must still say (lower case), and where the guide says it. A rewrite may reword around these,
# never drop them: they are the guide's cautions and the facts the texts' advice rests on.
CAUTIONS = {
    "still being tested": "investigational for most patients",
    "not yet **standard care**": "not yet a standard part of routine care",
    "not proof": "not proven cures",
    "experimental for this cancer": "remains experimental for pancreatic cancer",
    "in general": "generally available only through specialized clinical trial centers",
    "only in trials at special centers": "generally available only through clinical trials at specialized centers",
    "serious risk": "cytokine release syndrome is one of the most serious",
    "**cytokine release syndrome**": "cytokine release syndrome",
    "extra visits, tests, and travel": "extra visits, more testing",
    "could not get otherwise": "would not be available outside of a study",
    "early": "best started early, before treatment paths become more limited",
    "tumor testing": "some trials require a specific biomarker",
    "supportive care": "supportive care should be part of every treatment plan",
    "symptoms, pain, food, and feelings": "symptom control, nutrition, pain management, and emotional support",
}
HANDOUT_ONLY = {
    "no one knows yet if it will help": "uncertainty of whether a new treatment will help",
    "national pancreatic cancer foundation": "national pancreatic cancer foundation",
    "phase": "trials are organized into phases",
    "second opinion": "second opinion at a research hospital",
}
MAIN_MESSAGE = "**Main message: ask your care team early if a clinical trial is right for you.**"
# Medical words each text explains in plain words where it first uses them: (word, start of its explanation).
DEFINED = {
    "summary": [
        ("**Immunotherapy**", "helps your immune system attack cancer"),
        ("**standard care**", "(the usual treatment)"),
        ("**clinical trial**", ": a study of whether a new treatment is safe and works"),
        ("**CAR-T**", "changes your own immune cells in a lab"),
        ("**cytokine release syndrome**", ": an immune response that inflames the whole body"),
        ("tumor testing", "help? (Some trials need these lab tests.)"),
        ("supportive care**", ", trial or not: help with symptoms"),
    ],
    "handout": [
        ("**Immunotherapy**", "is a treatment that helps your immune system"),
        ("immune system", "(your body's defense)"),
        ("**standard care**", "(the usual treatment)"),
        ("**clinical trial**", ": a research study of whether a new treatment is safe and works"),
        ("**CAR-T**", "changes your own immune cells in a lab"),
        ("**cytokine release syndrome**", ": a strong immune response that inflames the whole body"),
        ("oncologist", "(cancer doctor)"),
        ("trial coordinator", "(who helps people join trials)"),
        ("navigator", "(who guides you through your care)"),
        ("phase", "(step of testing)"),
    ],
}


def body(name: str) -> str:
    text = (SOURCE / f"{name}.md").read_text(encoding="utf-8")
    return re.sub(r"(?s)\A---\n.*?\n---\n", "", text)


def tokens(name: str) -> list:  # type: ignore[type-arg]
    return MarkdownIt("commonmark").use(front_matter_plugin).parse((SOURCE / f"{name}.md").read_text("utf-8"))


@pytest.mark.parametrize("name", TEXTS)
def test_every_caution_is_kept_and_comes_from_the_guide(name: str) -> None:
    text = " ".join(body(name).lower().split())
    guide = " ".join(GUIDE.lower().split())
    needed = {**CAUTIONS, **(HANDOUT_ONLY if name == "handout" else {})}
    for phrase, in_guide in needed.items():
        assert phrase.lower() in text, f"{name}: {phrase!r} was dropped"
        assert in_guide in guide, f"the guide no longer says {in_guide!r}"
    if name == "summary":
        assert "it may not help" in text, "the uncertainty of benefit"


@pytest.mark.parametrize("name", TEXTS)
def test_numbers_and_names_come_from_the_guide(name: str) -> None:
    text = body(name)
    for number in re.findall(r"\d+(?:[.,]\d+)?", text):
        assert number in GUIDE, f"{name}: the number {number} is not in the guide"
    terms = [t.strip() for t in (SOURCE / "do-not-translate.txt").read_text("utf-8").splitlines()]
    for term in (t for t in terms if t and not t.startswith("#")):
        if re.search(rf"(?<![\w-]){re.escape(term)}(?![\w-])", text):
            assert term in GUIDE, f"{name}: {term} is not in the guide"


@pytest.mark.parametrize("name", TEXTS)
def test_purpose_and_main_message_come_first_then_key_points_and_next_steps(name: str) -> None:
    found = tokens(name)
    paragraphs = [
        t.content for i, t in enumerate(found) if t.type == "inline" and found[i - 1].type == "paragraph_open"
    ]
    first = paragraphs[0]
    assert first.startswith(f"This {'page' if name == 'summary' else 'sheet'} helps you"), "the purpose first"
    assert first.endswith(MAIN_MESSAGE), "the one main message, in bold, right after it"
    # A heading's words without its pictogram (the main action's visual cue, an image with alternative text).
    words = [re.sub(r"!\[[^\]]*\]\([^)]*\)\s*", "", t.content) if t.type == "inline" else "" for t in found]
    headings = [words[i + 1] for i, t in enumerate(found) if t.type == "heading_open" and t.tag == "h2"]
    assert headings[:2] == ["Key points", "What to do next"]
    assert "![" in found[next(i for i, w in enumerate(words) if w == "What to do next")].content, "the pictogram"
    heading = next(i for i, w in enumerate(words) if found[i].type == "inline" and w == "What to do next")
    following = next((i for i in range(heading, len(found)) if found[i].type == "heading_open"), len(found))
    # The summary numbers its steps, with the questions to ask as a list between step 1 and step 2 (a list nested
    # in a step is tagged with a label outside its item in the PDF); the handout lists its steps with bullets (an
    # ordered list in Arabic overflows the handout's 0.5 in side margin: WeasyPrint 70 puts the hanging indent at
    # the left end of a right-to-left line).
    kind = "ordered_list" if name == "summary" else "bullet_list"
    steps, questions, inside = [], [], ""
    for i in range(heading + 2, following):
        token = found[i]
        if token.type.endswith("_list_open"):
            inside = token.type.removesuffix("_open")
        if token.type == "inline" and found[i - 1].type == "paragraph_open":
            (steps if inside == kind else questions).append(token.content)
    assert found[next(i for i in range(heading + 2, following) if found[i].type != "html_block")].type == (
        f"{kind}_open"
    ), "the next steps come right under the heading, as a list"
    assert steps and all(re.match(r"\*\*[A-Z]", step) for step in steps), "each step starts with a verb in bold"
    assert all(question.endswith(("?", ".)")) for question in questions), questions
    assert len(questions) == (2 if name == "summary" else 0), "the summary's questions to take to the doctor"
    assert any("**Call your clinic**" in step for step in steps), "how to reach someone"


@pytest.mark.parametrize("name", TEXTS)
def test_medical_words_are_explained_where_they_first_appear(name: str) -> None:
    text = " ".join(body(name).split())
    for word, explanation in DEFINED[name]:
        at = text.find(word)
        assert at >= 0, f"{name}: {word!r} is not used"
        after = text[at + len(word) :]
        assert after.lstrip().startswith(explanation.lstrip(" ,:")) or after.startswith(explanation), (
            f"{name}: {word!r} is not explained where it first appears"
        )


def test_handout_points_at_the_contact_box_by_its_title() -> None:
    assert 'Use the box "Your clinic" at the end of this sheet.' in body("handout")
    layouts = (ROOT / "layouts" / "contact.html.j2").read_text(encoding="utf-8")
    assert '_("Your clinic")' in layouts, "the box's title, which the handout names"
    for locale in ("es", "zh_Hans", "vi", "ar"):
        box = next(e.msgstr for e in polib.pofile(str(ROOT / "locales" / locale / "LC_MESSAGES" / "layouts.po"))
                   if e.msgid == "Your clinic")  # fmt: skip
        handout = polib.pofile(str(ROOT / "locales" / locale / "LC_MESSAGES" / "handout.po"))
        step = next(e.msgstr for e in handout if e.msgid.startswith("**Call your clinic**"))
        assert box in step, f"{locale}: the handout names the box as the box is titled ({box})"


SPANISH = [
    ROOT / "locales" / "es" / "LC_MESSAGES" / f"{domain}.po" for domain in ("summary", "handout", "guide", "layouts")
]


@pytest.mark.parametrize("path", SPANISH, ids=lambda p: p.stem)
def test_spanish_says_estudio_clinico_and_avoids_calques(path: Path) -> None:
    for entry in polib.pofile(str(path)):
        if entry.obsolete or not entry.msgstr:
            continue
        where = f"{path.name}: {entry.msgid[:50]!r}"
        text = entry.msgstr.lower()
        # A trial is an "estudio clínico" every time: "estudio" alone reads as a medical test.
        for match in re.finditer(r"\bestudios?\b", text):
            assert re.match(r"estudios? clínicos?", text[match.start() :]), where
        assert "atención estándar" not in text, where
        assert "navegador" not in text, where

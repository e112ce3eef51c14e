"""Extraction: what a translator finds in the template, and that references do not churn."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import polib
from commands import BASIC, copy_basic
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.catalogs.extract import generate_template, glossary_csv
from pipeline.catalogs.pofile import format_catalog
from pipeline.catalogs.qa import load_terms
from pipeline.document import parse_document

ROOT = BASIC
GUIDE = Path(__file__).parent.parent / "source" / "guide.md"


def template_of(path: Path, root: Path) -> polib.POFile:
    document = parse_document(path.read_text(encoding="utf-8"), path)
    return generate_template([document], "test", root)


def test_template_entries_carry_flags_comments_and_section_references() -> None:
    template = template_of(ROOT / "source" / "leaflet.md", ROOT)
    by_id = {e.msgid: e for e in template}
    title = by_id["Trial leaflet"]
    assert title.flags == ["markdown-text", "md-text"]
    assert title.comment.splitlines() == ["front matter: title", "heading 1"]
    assert title.occurrences == [("source/leaflet.md#top", ""), ("source/leaflet.md#trial-leaflet", "")]
    kras = by_id["KRAS mutations are common. See [the trial list][1]."]
    assert kras.comment.splitlines() == [
        "paragraph",
        'Note: "KRAS" is a gene name.',
        "[1]: https://example.org/trials",
    ]
    assert kras.occurrences == [("source/leaflet.md#what-it-is", "")]
    assert by_id["Open trials"].comment.splitlines() == ["link title", 'Note: "KRAS" is a gene name.']
    reading = by_id["Estimated reading time: {minutes} minute"]
    assert reading.msgid_plural == "Estimated reading time: {minutes} minutes"
    assert reading.flags == ["markdown-text", "md-text", "python-brace-format"]
    assert template.metadata["Project-Id-Version"] == "test 2"
    assert all("https://" not in e.msgid for e in template)


def test_repeated_text_is_one_entry_with_every_reference() -> None:
    source = "# A\n\nSame.\n\n## B\n\nSame.\n"
    template = generate_template([parse_document(source, Path("d.md"))], "test")
    (entry,) = [e for e in template if e.msgid == "Same."]
    assert entry.occurrences == [("d.md#a", ""), ("d.md#b", "")]


def test_the_round_trip_cases_of_issue_12_give_the_msgids_they_always_gave() -> None:
    # Soft line breaks are spaces, inline HTML next to emphasis a placeholder; scalar front matter offers nothing.
    fixtures = Path(__file__).parent / "fixtures" / "roundtrip"
    documents = [
        parse_document((fixtures / f"{name}.md").read_text(encoding="utf-8"), Path(f"{name}.md"))
        for name in ("emphasis-next-to-html", "front-matter-scalar")
    ]
    by_id = {e.msgid: e for e in generate_template(documents, "test")}
    addresses = by_id["**ADDRESSES:**{1} 12 Harbour Road{2} *Clinic:*{3}open daily{4}."]
    assert addresses.comment.splitlines() == [
        "paragraph", "{1}: html <br>", "{2}: html <br>", '{3}: html <span class="x">', "{4}: html </span>"
    ]  # fmt: skip
    assert "Body text." in by_id
    assert not any("Prose" in msgid for msgid in by_id)


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_inserting_a_paragraph_does_not_change_other_references(data: st.DataObject) -> None:
    lines = GUIDE.read_text(encoding="utf-8").split("\n\n")
    position = data.draw(st.integers(2, len(lines)), label="position")
    edited = "\n\n".join([*lines[:position], "A paragraph the author added.", *lines[position:]])
    before = {
        (e.msgctxt, e.msgid): e.occurrences for e in generate_template([parse_document("\n\n".join(lines), GUIDE)], "t")
    }
    after = {(e.msgctxt, e.msgid): e.occurrences for e in generate_template([parse_document(edited, GUIDE)], "t")}
    del after[(None, "A paragraph the author added.")]
    assert before == after


def test_babel_extractor_gives_the_same_messages(tmp_path: Path) -> None:
    project = copy_basic(tmp_path)
    (project / "babel.cfg").write_text("[plainleaf-markdown: source/**.md]\n", encoding="utf-8")
    pybabel = Path(sys.executable).parent / "pybabel"
    subprocess.run(
        [str(pybabel), "-q", "extract", "-F", "babel.cfg", "-o", "babel.pot", "."],
        cwd=project, check=True, capture_output=True,
    )  # fmt: skip
    babel = polib.pofile(str(project / "babel.pot"))
    ours = template_of(project / "source" / "leaflet.md", project)

    def messages(catalog: polib.POFile) -> list[tuple[str | None, str, str]]:
        return sorted((e.msgctxt, e.msgid, e.msgid_plural) for e in catalog)

    assert messages(babel) == messages(ours)
    assert {e.msgid: e.comment for e in babel} == {e.msgid: e.comment for e in ours}


def test_template_is_valid_for_gettext(tmp_path: Path) -> None:
    pot = tmp_path / "guide.pot"
    pot.write_text(format_catalog(template_of(GUIDE, GUIDE.parent.parent)), encoding="utf-8")
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(pot)], check=True, capture_output=True)


def test_layouts_template_has_the_documents_header() -> None:
    from pipeline.catalogs.layouts import extract_layout_messages

    layouts = extract_layout_messages(Path(__file__).parent.parent / "layouts", "plainleaf")
    guide = template_of(GUIDE, GUIDE.parent.parent)
    assert list(layouts.metadata) == list(guide.metadata)
    assert layouts.metadata["POT-Creation-Date"][:4].isdigit()
    assert layouts.metadata_is_fuzzy
    assert "plainleaf extract" in layouts.header


def test_glossary_csv_is_weblates_csv_with_every_term_its_own_target() -> None:
    text = glossary_csv(["KRAS", 'A "quoted", term'])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["source", "target", "context", "developer_comments"]
    assert [row[:3] for row in rows[1:]] == [["KRAS", "KRAS", ""], ['A "quoted", term', 'A "quoted", term', ""]]
    assert text.splitlines()[1].startswith('"KRAS","KRAS",""')


def test_shipped_glossary_is_the_do_not_translate_list() -> None:
    root = Path(__file__).parent.parent
    shipped = (root / "locales" / "glossary.csv").read_text(encoding="utf-8")
    assert shipped == glossary_csv(load_terms(root / "source" / "do-not-translate.txt")), "run plainleaf extract"

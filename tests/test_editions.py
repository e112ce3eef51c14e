"""Editions: identity from the exact text, what changed in the source since, and the bounded archive of older ones."""

from __future__ import annotations

import html
import json
import logging
import re
import shutil
from pathlib import Path

import polib
import pytest
from catalogs import complete_catalogs
from commands import index_rows, run_fresh

from pipeline.builder.core import build
from pipeline.builder.editions import (
    LISTING,
    Edition,
    archive_edition,
    describe_changes,
    edition_id,
    front_matter_edition,
    prune_snapshots,
    read_archive,
    read_snapshot,
    source_changes,
    write_snapshot,
)
from pipeline.builder.jobs import BuildOptions, BuildReport
from pipeline.builder.manifest import JobRecord, load_manifest
from pipeline.catalogs.pofile import read_catalog, write_catalog
from pipeline.catalogs.project import extract_templates, update_catalogs
from pipeline.catalogs.review import review_locale, sign_off_entries
from pipeline.config import load_config

GUIDE = b'---\ntitle: "Guide"\nversion: "1.0"\ndate: 2026-11-29\n---\n\n# Guide\n\nWhat are the risks?\n'


def _catalog(msgstr: str, comment: str = "") -> polib.POFile:
    catalog = polib.POFile()
    catalog.append(polib.POEntry(msgid="What are the risks?", msgstr=msgstr, tcomment=comment))
    catalog.append(polib.POEntry(msgid="Guide", msgstr="Guía"))
    return catalog


def test_front_matter_gives_version_and_date() -> None:
    assert front_matter_edition(GUIDE.decode()) == ("1.0", "2026-11-29")
    assert front_matter_edition("# No front matter\n") == ("", "")
    assert front_matter_edition("---\n: [broken\n---\n") == ("", "")


def test_the_edition_id_follows_the_text_not_the_comments() -> None:
    first = edition_id(GUIDE, [_catalog("¿Cuáles son los riesgos?")])
    assert first == edition_id(GUIDE, [_catalog("¿Cuáles son los riesgos?", "reviewed: 2026-12-07 Ana ...")])
    assert first != edition_id(GUIDE, [_catalog("¿Qué riesgos hay?")])
    assert first != edition_id(GUIDE.replace(b"risks", b"risk"), [_catalog("¿Cuáles son los riesgos?")])
    fuzzy = _catalog("¿Cuáles son los riesgos?")
    fuzzy[0].flags.append("fuzzy")
    assert edition_id(GUIDE, [fuzzy]) == edition_id(GUIDE, [_catalog("")])  # a fuzzy msgstr is never printed


def test_a_one_word_fix_is_described_as_a_spelling_fix() -> None:
    old = ["Guide", "What are the risks?", "Ask your team.", "Keep this."]
    new = ["Guide", "What are the risk?", "Ask your care team.", "A new paragraph about supportive care.", "Keep this."]
    changes = source_changes(old, new)
    assert [change.kind for change in changes] == ["changed", "changed", "added"]
    text = describe_changes(changes, "2026-12-07")
    assert text.startswith("3 entries changed on 2026-12-07: a spelling fix in \u201cWhat are the risks?\u201d")
    assert "(risks \u2192 risk)" in text and "(added \u201ccare\u201d)" in text
    assert describe_changes(source_changes(old, old[:3])) == "1 entry changed: removed \u201cKeep this.\u201d"


def test_snapshots_are_kept_once(tmp_path: Path) -> None:
    assert write_snapshot(tmp_path, "guide", "abcd1234", ["Guide", "What are the risks?"])
    assert not write_snapshot(tmp_path, "guide", "abcd1234", ["other"])
    assert read_snapshot(tmp_path, "guide", "abcd1234") == ["Guide", "What are the risks?"]
    assert read_snapshot(tmp_path, "guide", "00000000") is None
    write_snapshot(tmp_path, "guide", "00000000", ["Guide"])
    record = JobRecord("built", "digest", edition={"source": "abcd1234"})
    assert [path.name for path in prune_snapshots(tmp_path, [record], [])] == ["guide-00000000.json"]
    assert read_snapshot(tmp_path, "guide", "abcd1234") is not None, "a snapshot an edition names stays"


def test_the_archive_keeps_the_newest_editions_of_each_product(tmp_path: Path) -> None:
    files = {"pdf": "es/guide-large-print.pdf", "html": "es/guide-large-print.html"}
    (tmp_path / "es").mkdir()
    for number in range(1, 5):
        for relative in files.values():
            (tmp_path / relative).write_text(f"edition {number}")
        edition = Edition(f"1.{number}", "2026-12-0{number}", f"{number:08x}", "0000abcd")
        archived = archive_edition(tmp_path, "es", "guide-large-print", edition, files, f"2026-12-0{number}", keep=2)
        assert (
            archived is not None
            and archived.files["pdf"] == f"es/editions/guide-large-print-1.{number}-{number:08x}.pdf"
        )
        assert archive_edition(tmp_path, "es", "guide-large-print", edition, files, "2026-12-09", keep=2) is None
    listing = read_archive(tmp_path / "es" / "editions")
    assert [item.edition.version for item in listing] == ["1.4", "1.3"]
    kept = sorted(path.name for path in (tmp_path / "es" / "editions").iterdir() if path.name != LISTING)
    assert kept == [
        "guide-large-print-1.3-00000003.html", "guide-large-print-1.3-00000003.pdf",
        "guide-large-print-1.4-00000004.html", "guide-large-print-1.4-00000004.pdf",
    ]  # fmt: skip
    assert (tmp_path / "es" / "editions" / "guide-large-print-1.3-00000003.pdf").read_text() == "edition 3"
    assert json.loads((tmp_path / "es" / "editions" / LISTING).read_text())[0]["superseded"] == "2026-12-04"


# --- the build keeps the last ready edition -----------------------------------------------------------------------

logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)
ROOT = Path(__file__).resolve().parent.parent
PRINT_PROJECT = Path(__file__).parent / "roots" / "print"


@pytest.fixture()
def printed(tmp_path: Path) -> Path:
    """The print project, Spanish complete and not marked reviewed, with templates and merged catalogs."""
    root = tmp_path / "project"
    shutil.copytree(PRINT_PROJECT, root)
    shutil.copytree(ROOT / "layouts", root / "layouts")
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('code = "es", reviewed = true', 'code = "es", reviewed = false'))
    complete_catalogs(root, "es")
    config = load_config(pyproject)
    # The templates' words in the project's own Spanish: English copied into a Spanish catalog fails check.
    layouts = config.catalog_path("es", "layouts")
    shutil.copy(ROOT / "locales" / "es" / "LC_MESSAGES" / "layouts.po", layouts)
    extract_templates(config)
    update_catalogs(config, ["es"])
    pending = [e.msgid for e in read_catalog(layouts) if not e.obsolete and (e.fuzzy or not e.translated())]
    assert not pending, f"locales/es/LC_MESSAGES/layouts.po is behind layouts/: {pending}"
    return root


def _build(root: Path) -> BuildReport:
    options = BuildOptions(products=["summary"], locales=["en", "es"], workers=1)
    return build(load_config(root / "pyproject.toml"), options)


def _state(root: Path, name: str) -> str:
    row = index_rows(root)[name]
    cell = re.findall(r'<td class="state">(.*?)</td>', row, re.DOTALL)[0]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", cell)).split())


def _fix_one_word(root: Path) -> None:
    source = root / "source" / "summary.md"
    source.write_text(source.read_text().replace("the extra visits", "the extra visit"))
    config = load_config(root / "pyproject.toml")
    extract_templates(config)
    update_catalogs(config, ["es"])


def _confirm_fuzzy(root: Path) -> None:
    path = load_config(root / "pyproject.toml").catalog_path("es", "summary")
    catalog = read_catalog(path)
    for entry in catalog:
        if entry.fuzzy:
            entry.flags.remove("fuzzy")
            entry.previous_msgid = None
            # The translator's update for _fix_one_word's "the extra visits" -> "the extra visit".
            fixed = entry.msgstr.replace("las visitas adicionales", "la visita adicional")
            assert fixed != entry.msgstr, entry.msgstr
            entry.msgstr = fixed
    write_catalog(catalog, path)


def test_a_one_word_source_fix_keeps_the_last_ready_edition_printable(printed: Path) -> None:
    output = printed / "output"
    report = _build(printed)
    assert {outcome.status for outcome in report.outcomes} == {"built"}
    pdf = output / "es" / "summary.pdf"
    first = pdf.read_bytes()
    first_edition = load_manifest(output).jobs["es/summary/summary"].edition
    assert first_edition["version"] == "2.1" and first_edition["date"] == "2026-03-05" and first_edition["id"]
    printed_edition = f'· <span class="edition-id" dir="ltr">{first_edition["id"]}</span>'
    assert printed_edition in (output / "es" / "summary.html").read_text(), "the edition is printed"
    assert _state(printed, "es summary").startswith("Ready to print: translation not reviewed (")

    _fix_one_word(printed)
    report = _build(printed)
    outcomes = {outcome.id: outcome for outcome in report.outcomes}
    assert outcomes["es/summary/summary"].status == "previous"
    assert outcomes["en/summary/summary"].status == "built"
    assert pdf.read_bytes() == first, "the Spanish summary stays printable, unchanged, under its final name"
    state = _state(printed, "es summary")
    assert state.startswith("Previous edition: update waiting for translation (1 entry); 1 entry changed on ")
    assert (
        "a spelling fix in \u201cThe choice is yours. Ask your care team" in state and "(visits \u2192 visit)" in state
    )
    assert "Edition 2.1, 2026-03-05 (" + first_edition["id"] in index_rows(printed)["es summary"]
    english = read_archive(output / "en" / "editions")
    assert [item.product for item in english] == ["summary"], "the English edition it replaced is archived"
    assert _build(printed).outcomes[1].status == "previous", "and stays so build after build"
    argv = ["build", "--product", "summary", "--locale", "en", "--locale", "es"]
    status, imported, said = run_fresh(printed, argv, ("weasyprint",))
    assert (status, imported) == (0, {"weasyprint": False}), said  # decided from the manifest alone
    assert "previous es summary  update waiting for translation (1 entry)" in said

    _confirm_fuzzy(printed)
    report = _build(printed)
    assert {outcome.status for outcome in report.outcomes} == {"built", "up to date"}
    assert pdf.read_bytes() != first
    archived = read_archive(output / "es" / "editions")
    assert [item.edition.id for item in archived] == [first_edition["id"]]
    assert (output / archived[0].files["pdf"]).read_bytes() == first, "the replaced edition is kept"
    assert "Older editions (1)" in index_rows(printed)["es summary"]


def test_a_reviewed_edition_stays_until_its_successor_is_reviewed(printed: Path) -> None:
    config = load_config(printed / "pyproject.toml")
    result = sign_off_entries(review_locale(config, "es", recover=False), "Ana López", "2026-12-07", None)
    assert not result.refused
    _build(printed)
    assert _state(printed, "es summary") == "Ready to print (reviewed)"
    first = (printed / "output" / "es" / "summary.pdf").read_bytes()
    _fix_one_word(printed)
    _confirm_fuzzy(printed)
    _build(printed)
    assert _state(printed, "es summary").startswith("Previous edition: update waiting for review (1 entry)")
    assert (printed / "output" / "es" / "summary.pdf").read_bytes() == first
    sign_off_entries(review_locale(config, "es", recover=False), "Ana López", "2026-12-08", None)
    _build(printed)
    assert _state(printed, "es summary") == "Ready to print (reviewed)"
    assert (printed / "output" / "es" / "summary.pdf").read_bytes() != first


def test_a_product_never_ready_is_not_built(printed: Path) -> None:
    _fix_one_word(printed)
    _build(printed)
    assert _state(printed, "es summary").startswith("Not built: ")
    assert not (printed / "output" / "es" / "summary.pdf").exists()


def test_a_translation_failing_check_is_held_back_and_its_last_edition_archived(printed: Path) -> None:
    output = printed / "output"
    _build(printed)
    first = (output / "es" / "summary.pdf").read_bytes()
    path = load_config(printed / "pyproject.toml").catalog_path("es", "summary")
    catalog = read_catalog(path)
    entry = next(entry for entry in catalog if entry.msgid.startswith("The choice is yours."))
    entry.msgstr += " <script>alert(1)</script>"
    write_catalog(catalog, path)
    report = _build(printed)
    assert {outcome.id: outcome.status for outcome in report.outcomes}["es/summary/summary"] == "held back"
    assert not (output / "es" / "summary.pdf").exists(), "nothing failing check stays printable"
    assert _state(printed, "es summary").startswith("Held back (check errors): locales/es/LC_MESSAGES/summary.po:")
    (archived,) = read_archive(output / "es" / "editions")
    assert (output / archived.files["pdf"]).read_bytes() == first, "but the last ready edition is kept on record"

"""Editions: identity from the exact text, what changed in the source since, and the bounded archive of older ones."""

from __future__ import annotations

import json
from pathlib import Path

import polib

from pipeline.builder.editions import (
    LISTING,
    Edition,
    archive_edition,
    describe_changes,
    edition_id,
    front_matter_edition,
    read_archive,
    read_snapshot,
    source_changes,
    write_snapshot,
)

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

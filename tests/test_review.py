"""Entry-level review: a sign-off lives in the PO file, survives every tool translators' files pass through, and is
invalidated only by a change of its own entry; ``plainleaf review`` lists, signs off and writes the sheet."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import polib
import pytest
from commands import copy_basic, plainleaf

from pipeline.catalogs.pofile import parse_catalog, read_catalog, write_catalog
from pipeline.catalogs.project import extract_templates, update_catalogs
from pipeline.catalogs.review import (
    NEEDS_REVIEW,
    NEVER_REVIEWED,
    REVIEWED,
    SOURCE_CHANGED,
    TRANSLATION_CHANGED,
    WAITING,
    CatalogReview,
    SignOff,
    catalog_review,
    diff_words,
    review_locale,
    sign_off_entries,
    sign_off_of,
)
from pipeline.config import Config, load_config
from pipeline.errors import CatalogError

DAY = "2026-12-07"
LONG_NAME = "María Fernanda de los Ángeles Rodríguez-Castellanos y Villanueva"
"""Long enough that Babel, which wraps comments at 76 columns, breaks the sign-off over two lines."""
SIGN_OFF_LINE = re.compile(r"^# reviewed: \d{4}-\d{2}-\d{2} .+ source:[0-9a-f]{8} translation:[0-9a-f]{8}$")


SPANISH = {
    "Trial leaflet": "Folleto del estudio clínico",
    "Estimated reading time: {minutes} minute": "Tiempo estimado de lectura: {minutes} minuto",
    "Estimated reading time: {minutes} minutes": "Tiempo estimado de lectura: {minutes} minutos",
    "What it is": "Qué es",
    "CAR-T therapy is *investigational*. One study reported 84.6&#37; disease control.": (
        "La terapia CAR-T es *experimental*. Un estudio informó un control de la enfermedad del 84.6&#37;."
    ),
    "KRAS mutations are common. See [the trial list][1].": (
        "Las mutaciones de KRAS son frecuentes. Vea [la lista de estudios clínicos][1]."
    ),
    "Open trials": "Estudios clínicos abiertos",
    "What phase is the trial?": "¿En qué fase está el estudio clínico?",
    "What are the risks?": "¿Cuáles son los riesgos?",
}
"""Spanish for the basic project's leaflet: real Spanish, because check reads the language and the meaning of
every translation and refuses a sign-off of text that is not Spanish. "Questions" stays a marked stand-in
("ES Questions") the tests edit."""


def _spanish(msgid: str) -> str:
    return SPANISH.get(msgid, f"ES {msgid}")


def _translate(path: Path, text: Callable[[str], str] = _spanish) -> None:
    catalog = read_catalog(path)
    for entry in catalog:
        if entry.msgid_plural:
            entry.msgstr_plural = {0: text(entry.msgid), 1: text(entry.msgid_plural)}
        else:
            entry.msgstr = text(entry.msgid)
    write_catalog(catalog, path)


@pytest.fixture()
def project(tmp_path: Path) -> Config:
    """The basic project with a complete Spanish catalog, no entry signed off."""
    root = copy_basic(tmp_path)
    config = load_config(root / "pyproject.toml")
    extract_templates(config)
    update_catalogs(config, ["es"])
    _translate(config.catalog_path("es", "leaflet"))
    return config


def _catalog(config: Config) -> Path:
    return config.catalog_path("es", "leaflet")


def _states(config: Config) -> dict[str, tuple[str, str | None]]:
    reviews = catalog_review(read_catalog(_catalog(config)), "leaflet.po")
    return {review.msgid.split("\n")[0]: (review.state, review.why) for review in reviews}


def _sign_all(config: Config, name: str = "Ana López") -> None:
    result = sign_off_entries(review_locale(config, "es", recover=False), name, DAY, None)
    assert result.signed and not result.refused


def test_a_sign_off_is_one_comment_line_and_no_other_byte_changes(project: Config) -> None:
    before = _catalog(project).read_text(encoding="utf-8").split("\n")
    result = sign_off_entries(review_locale(project, "es", recover=False), "Ana López", DAY, ["What it is"])
    assert [entry.msgid for entry in result.signed] == ["What it is"]
    after = _catalog(project).read_text(encoding="utf-8").split("\n")
    added = [line for line in after if line not in before]
    assert len(after) == len(before) + 1 and len(added) == 1
    assert SIGN_OFF_LINE.match(added[0]) and added[0].startswith(f"# reviewed: {DAY} Ana López source:")
    position = after.index(added[0])
    assert after[:position] + after[position + 1 :] == before
    assert after[position + 1] == "#. heading 2"  # a translator comment, before the extracted ones, as gettext puts it
    states = _states(project)
    assert states.pop("What it is") == (REVIEWED, None)
    assert set(states.values()) == {(NEEDS_REVIEW, NEVER_REVIEWED)}
    # What our own writer makes of the file is the same bytes: the sign-off sits where write_catalog puts it.
    assert not write_catalog(read_catalog(_catalog(project)), _catalog(project))


def test_signing_again_replaces_the_sign_off(project: Config) -> None:
    _sign_all(project)
    path = _catalog(project)
    text = path.read_text(encoding="utf-8").replace('msgstr "Qué es"', 'msgstr "Qué es esto"')
    path.write_text(text, encoding="utf-8")
    sign_off_entries(review_locale(project, "es", recover=False), "Luis Pérez", "2026-12-08", ["What it is"])
    entry = next(entry for entry in read_catalog(path) if entry.msgid == "What it is")
    assert entry.tcomment.count("reviewed:") == 1
    assert sign_off_of(entry) == SignOff.of(entry, "Luis Pérez", "2026-12-08")


def test_a_changed_msgstr_invalidates_only_its_own_entry(project: Config) -> None:
    _sign_all(project)
    path = _catalog(project)
    path.write_text(
        path.read_text(encoding="utf-8").replace('msgstr "ES Questions"', 'msgstr "ES Preguntas"'), encoding="utf-8"
    )
    states = _states(project)
    assert states.pop("Questions") == (NEEDS_REVIEW, TRANSLATION_CHANGED)
    assert set(states.values()) == {(REVIEWED, None)}


def test_a_changed_msgid_invalidates_only_its_own_entry(project: Config) -> None:
    _sign_all(project)
    source = project.path(project.source_dir) / "leaflet.md"
    source.write_text(source.read_text(encoding="utf-8").replace("What are the risks?", "What are the risk?"))
    extract_templates(project)
    update_catalogs(project, ["es"])
    states = _states(project)
    assert states.pop("What are the risk?") == (WAITING, "fuzzy")  # the translator's turn first
    assert set(states.values()) == {(REVIEWED, None)}
    # The translator confirms it (as Poedit does: the fuzzy flag and the previous msgid go): the reviewer's turn.
    catalog = read_catalog(_catalog(project))
    changed = next(entry for entry in catalog if entry.msgid == "What are the risk?")
    assert changed.previous_msgid == "What are the risks?"
    changed.flags.remove("fuzzy")
    changed.previous_msgid = None
    write_catalog(catalog, _catalog(project))
    reviews = review_locale(project, "es", recover=False)[0].entries
    (review,) = [review for review in reviews if review.state != REVIEWED]
    assert (review.msgid, review.why) == ("What are the risk?", SOURCE_CHANGED)


# --- the sign-off survives every tool a catalog goes through --------------------------------------------------------


def _assert_signed(text: str, reviewer: str = "Ana López") -> None:
    catalog = parse_catalog(text)
    reviews = catalog_review(catalog, "leaflet.po")
    assert reviews and all(review.state == REVIEWED for review in reviews), [
        (review.msgid, review.why) for review in reviews if review.state != REVIEWED
    ]
    assert {review.sign_off.reviewer for review in reviews if review.sign_off} == {reviewer}


def test_the_sign_off_survives_plainleaf_update(project: Config) -> None:
    _sign_all(project)
    source = project.path(project.source_dir) / "leaflet.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nA new paragraph nobody translated yet.\n")
    extract_templates(project)
    update_catalogs(project, ["es"])
    catalog = read_catalog(_catalog(project))
    reviews = catalog_review(catalog, "leaflet.po")
    assert {(review.state, review.why) for review in reviews} == {(REVIEWED, None), (WAITING, "untranslated")}
    assert sum(review.state == WAITING for review in reviews) == 1


def test_the_sign_off_survives_msgcat_and_msgmerge(project: Config, tmp_path: Path) -> None:
    if shutil.which("msgcat") is None or shutil.which("msgmerge") is None:
        pytest.skip("GNU gettext (msgcat, msgmerge) is not installed")
    _sign_all(project)
    path = _catalog(project)
    concatenated = tmp_path / "msgcat.po"
    subprocess.run(["msgcat", str(path), "-o", str(concatenated)], check=True)
    _assert_signed(concatenated.read_text(encoding="utf-8"))
    merged = tmp_path / "msgmerge.po"
    template = project.template_path("leaflet")
    subprocess.run(["msgmerge", "--quiet", "--previous", str(path), str(template), "-o", str(merged)], check=True)
    _assert_signed(merged.read_text(encoding="utf-8"))


def test_the_sign_off_survives_a_translate_toolkit_round_trip(project: Config) -> None:
    """What Weblate does to a PO file: translate-toolkit parses it and writes it back."""
    pypo = pytest.importorskip("translate.storage.pypo")
    _sign_all(project, LONG_NAME)
    store = pypo.pofile.parsefile(str(_catalog(project)))
    _assert_signed(bytes(store).decode("utf-8"), LONG_NAME)
    # A translator editing another entry in Weblate keeps every other sign-off.
    unit = next(unit for unit in store.units if unit.source == "Questions")
    unit.target = "ES Preguntas"
    reviews = catalog_review(parse_catalog(bytes(store).decode("utf-8")), "leaflet.po")
    assert [review.msgid for review in reviews if review.state != REVIEWED] == ["Questions"]


def test_the_sign_off_survives_babel_even_wrapped(project: Config) -> None:
    from io import BytesIO

    from babel.messages.pofile import read_po, write_po

    _sign_all(project, LONG_NAME)
    with _catalog(project).open("rb") as stream:
        catalog = read_po(stream)
    written = BytesIO()
    write_po(written, catalog)
    text = written.getvalue().decode("utf-8")
    assert any(line.startswith("# reviewed:") and "translation:" not in line for line in text.split("\n"))  # wrapped
    _assert_signed(text, LONG_NAME)


# --- refusals ------------------------------------------------------------------------------------------------------


def test_fuzzy_untranslated_and_check_failing_entries_are_refused(project: Config) -> None:
    path = _catalog(project)
    catalog = read_catalog(path)
    for entry in catalog:
        if entry.msgid == "What it is":
            entry.flags.insert(0, "fuzzy")
        elif entry.msgid == "Questions":
            entry.msgstr = ""
        elif entry.msgid.startswith("CAR-T"):
            entry.msgstr = entry.msgstr.replace("84.6&#37;", "48.6&#37;")
    write_catalog(catalog, path)
    before = path.read_bytes()
    catalogs = review_locale(project, "es", recover=False)
    named = ["What it is", "Questions", "leaflet.po:44", "What phase is the trial?"]
    result = sign_off_entries(catalogs, "Ana López", DAY, named)
    reasons = {review.msgid.split(".")[0]: why for review, why in result.refused}
    assert reasons["What it is"].startswith("fuzzy")
    assert reasons["Questions"].startswith("untranslated")
    assert reasons["CAR-T therapy is *investigational*"].startswith("fails plainleaf check")
    assert not result.signed and path.read_bytes() == before  # a named entry refused: nothing written
    result = sign_off_entries(catalogs, "Ana López", DAY, None)
    assert len(result.refused) == 3 and len(result.signed) == len(catalogs[0].entries) - 3


def test_an_unknown_entry_or_a_bad_name_is_an_error(project: Config) -> None:
    catalogs = review_locale(project, "es", recover=False)
    with pytest.raises(CatalogError, match="no entry"):
        sign_off_entries(catalogs, "Ana", DAY, ["No such text"])
    with pytest.raises(CatalogError, match="name"):
        sign_off_entries(catalogs, "Ana\nsource:00000000", DAY, None)


# --- what changed, the listing and the sheet -----------------------------------------------------------------------


def test_word_diff() -> None:
    assert diff_words("What are the risks?", "What are the risk?") == [
        ("=", "What are the "), ("-", "risks"), ("+", "risk"), ("=", "?"),
    ]  # fmt: skip
    assert ("+", "不") in diff_words("我们知道", "我们不知道")


def test_the_previous_translation_is_recovered_from_git(project: Config) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    _sign_all(project)
    root = project.root
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "signed"], cwd=root, check=True)
    path = _catalog(project)
    path.write_text(path.read_text(encoding="utf-8").replace('"ES Questions"', '"ES Preguntas"'), encoding="utf-8")
    (review,) = [entry for entry in review_locale(project, "es")[0].entries if entry.state != REVIEWED]
    assert (review.why, review.previous_translation, review.translation) == (
        TRANSLATION_CHANGED, "ES Questions", "ES Preguntas",
    )  # fmt: skip


def test_the_sheet_lists_exactly_the_entries_that_need_review(project: Config) -> None:
    from pipeline.render.review_sheet import render_sheet

    _sign_all(project)
    path = _catalog(project)
    text = path.read_text(encoding="utf-8").replace('"ES Questions"', '"ES Preguntas"')
    path.write_text(text.replace('"Qué es"', '"Qué es esto"'), encoding="utf-8")
    catalogs = review_locale(project, "es", recover=False)
    html = render_sheet("es", catalogs, DAY)
    rows = re.findall(r'<td class="ref">leaflet\.po:(\d+)', html)
    assert sorted(map(int, rows)) == sorted(entry.line for entry in catalogs[0].needing)
    assert len(rows) == 2 and "ES Preguntas" in html and "Qué es esto" in html and "En qué fase" not in html
    assert html.count('<td class="initials"></td>') == 2


def test_the_sheet_sets_arabic_right_to_left(project: Config) -> None:
    from pipeline.render.review_sheet import render_sheet

    update_catalogs(project, ["ar"])
    _translate(project.catalog_path("ar", "leaflet"), lambda msgid: "ما هو العلاج المناعي؟")
    catalogs = [CatalogReview("leaflet", project.catalog_path("ar", "leaflet"), "leaflet.po", [])]
    catalogs[0].entries = catalog_review(read_catalog(catalogs[0].path), "leaflet.po")
    html = render_sheet("ar", catalogs, DAY)
    assert '<td class="text" lang="ar" dir="rtl">ما هو العلاج المناعي؟</td>' in html


def test_the_command_lists_signs_off_and_writes_the_sheet(project: Config) -> None:
    root = project.root
    listed = plainleaf(root, "review", "--locale", "es", "--json")
    assert listed.returncode == 0, listed.stderr
    entries = json.loads(listed.stdout)["entries"]
    assert entries and {entry["why"] for entry in entries} == {NEVER_REVIEWED}
    assert {"file", "line", "msgid", "why"} <= set(entries[0])
    usage = plainleaf(root, "review", "--locale", "es", "--sign-off", "Ana López")
    assert usage.returncode == 2 and "--all or --entry" in usage.stderr
    signed = plainleaf(root, "review", "--locale", "es", "--sign-off", "Ana López", "--all")
    assert signed.returncode == 0, signed.stderr
    assert f"{len(entries)} entries signed off by Ana López" in signed.stderr
    listed = plainleaf(root, "review", "--locale", "es", "--json")
    assert json.loads(listed.stdout)["entries"] == []
    sheet = plainleaf(root, "review", "--locale", "es", "--sheet")
    assert sheet.returncode == 0, sheet.stderr
    pdf = root / "output" / "reports" / "review-es.pdf"
    assert pdf.read_bytes().startswith(b"%PDF") and "Nothing needs review" in pdf.with_suffix(".html").read_text()


def test_polib_keeps_the_sign_off_as_a_translator_comment(project: Config) -> None:
    """What our own reading sees is what polib sees: the comment is a translator comment, not an extracted one."""
    _sign_all(project)
    entry = next(entry for entry in polib.pofile(str(_catalog(project))) if entry.msgid == "Questions")
    assert entry.tcomment.startswith("reviewed: ") and "reviewed" not in entry.comment


def test_a_bare_line_number_must_name_one_catalog(project: Config) -> None:
    update_catalogs(project, ["ar"])
    _translate(project.catalog_path("ar", "leaflet"))
    catalogs = review_locale(project, "es", recover=False)
    second = copy_catalog_review(catalogs[0], project.catalog_path("ar", "leaflet"))
    with pytest.raises(CatalogError, match=r"line 40 is in 2 catalogs; name one: leaflet\.po:40, leaflet\.po:40"):
        sign_off_entries([catalogs[0], second], "Ana", DAY, ["40"])


def copy_catalog_review(review: CatalogReview, path: Path) -> CatalogReview:
    """Another catalog under another shown name, as a locale's second document would be."""
    return CatalogReview("other", path, "locales/ar/LC_MESSAGES/leaflet.po", catalog_review(read_catalog(path), "x"))

"""Adding a language is one file: a fake Esperanto, written to a temporary folder on the languages search path,
reaches the translation check, readability, the rendered reading time and braille; without the file, the checks
that need its tables say "not checked" and name it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polib
import pytest

from pipeline.catalogs.qa import check_catalog
from pipeline.catalogs.translate import translate_document
from pipeline.config import Config
from pipeline.document import parse_document
from pipeline.errors import Severity
from pipeline.languages import Language, language, languages
from pipeline.readability import TextUnit, analyze
from pipeline.readability.languages import language_profile
from pipeline.render import text_locale
from pipeline.render.braille import braille_table, library_file, translate

ROOT = Path(__file__).parent.parent

ESPERANTO = '''"""Esperanto, for the test: every table the pipeline reads, small."""

from pipeline.languages.model import Language, Negation, NumberWords, ReadabilityFacts

LANGUAGE = Language(
    tag="eo",
    name="Esperanto",
    script="Latn",
    abbreviations=("ekz.",),
    readability=ReadabilityFacts(formulas=("lix", "rix"), long_sentence=7, note="A test profile."),
    number_words=NumberWords({2: ("du",), 3: ("tri",)}),
    negation=Negation(r"\\b(?:ne|neniam)\\b", r"\\bĉu ne\\b"),
    reading_speed=100,
    braille_table="eo-g1.ctb",
    braille_grade=1,
)
'''

NEGATED = "This treatment is not part of routine care."
TWO_YEARS = "Phase I trials followed some patients for two years."


@pytest.fixture
def esperanto(tmp_path: Path) -> Iterator[Language]:
    """The fake language from one file, on the search path for the test only."""
    (tmp_path / "eo.py").write_text(ESPERANTO, encoding="utf-8")
    languages().add_folder(tmp_path)
    language_profile.cache_clear()  # readability caches profiles by code
    try:
        yield language("eo")
    finally:
        languages().remove_folder(tmp_path)
        language_profile.cache_clear()


def _catalog(*pairs: tuple[str, str]) -> polib.POFile:
    catalog = polib.POFile()
    catalog.append(polib.POEntry(msgid="", msgstr="Language: eo\n", linenum=1))
    for line, (msgid, msgstr) in enumerate(pairs, start=5):
        catalog.append(polib.POEntry(msgid=msgid, msgstr=msgstr, linenum=line))
    return catalog


CATALOG = (
    (NEGATED, "Ĉi tiu kuracado estas parto de la kutima prizorgo."),
    (TWO_YEARS, "Fazo I provoj sekvis kelkajn pacientojn dum tri jaroj."),
)


def test_the_file_is_found_and_named(esperanto: Language) -> None:
    assert "eo" in languages().tags()
    assert esperanto.defined_in is not None and esperanto.defined_in.name == "eo.py"
    assert languages().for_subtag("eo") is esperanto


def test_check_reads_its_tables(esperanto: Language) -> None:
    found = check_catalog(_catalog(*CATALOG), "eo.po", "eo", [])
    assert [(f.line, f.check, f.severity) for f in found] == [
        (5, "negation", Severity.WARNING),
        (6, "numbers", Severity.WARNING),
        (1, "meaning", Severity.LIMITATION),  # no markers/eo.toml: the meaning checks say so, by name
    ]
    fixed = (
        (NEGATED, "Ĉi tiu kuracado ne estas parto de la kutima prizorgo."),
        (TWO_YEARS, "Fazo I provoj sekvis kelkajn pacientojn dum du jaroj."),
    )
    assert [f.check for f in check_catalog(_catalog(*fixed), "eo.po", "eo", [])] == ["meaning"]


def test_without_the_file_check_says_not_checked_by_name() -> None:
    assert languages().find("eo") is None
    found = check_catalog(_catalog(*CATALOG), "eo.po", "eo", [])
    limits = [f for f in found if f.severity is Severity.LIMITATION]
    assert [(f.check, f.line) for f in limits] == [("numbers", 1), ("negation", 1), ("meaning", 1)]
    assert all("Esperanto (eo)" in f.message and "eo.py" in f.message for f in limits)
    assert [f for f in found if f.severity is not Severity.LIMITATION] == []


def test_a_language_file_added_or_removed_is_met_by_the_checks_at_once(tmp_path: Path) -> None:
    # The checker keeps what it found per pair within a process: a language file added (a clinic's own) or removed
    # must change what the same catalog's check says, never give back what was found with the old tables.
    def warnings() -> list[str]:
        found = check_catalog(_catalog(*CATALOG), "eo.po", "eo", [])
        return [f.check for f in found if f.severity is not Severity.LIMITATION]

    assert warnings() == []
    (tmp_path / "eo.py").write_text(ESPERANTO, encoding="utf-8")
    languages().add_folder(tmp_path)
    try:
        assert warnings() == ["negation", "numbers"]
    finally:
        languages().remove_folder(tmp_path)
    assert warnings() == []


def test_readability_uses_its_profile(esperanto: Language) -> None:
    profile = language_profile("eo")
    assert [formula.id for formula in profile.formulas] == ["lix", "rix"]
    assert profile.long_sentence == 7 and profile.note == "A test profile."
    assert profile.split.split("Legu ekz. la libron. Poste demandu.") == ["Legu ekz. la libron.", "Poste demandu."]
    units = [TextUnit("Unu du tri kvar kvin ses sep ok naŭ dek. Bone.", "paragraph", "Titolo", 1)]
    analysis = analyze(units, "eo")
    assert analysis.note == "A test profile."
    assert [sentence.text for sentence in analysis.sentences if sentence.flags] == [
        "Unu du tri kvar kvin ses sep ok naŭ dek."
    ]


def test_render_reads_its_reading_speed(esperanto: Language) -> None:
    source = "# Titolo\n\n<!-- plainleaf: reading-time -->\n\n" + "vorto " * 700 + "\n"
    result = translate_document(parse_document(source, Path("doc.md")), None, "eo")
    # 700 words at the 100 a minute of the file (not the default 200).
    assert "Estimated reading time: 7 minutes" in result.markdown
    assert text_locale("eo").script == esperanto.script and esperanto.font is None  # the Latin font stack


def test_braille_uses_its_table(esperanto: Language) -> None:
    assert braille_table(Config(ROOT), text_locale("eo")) == "eo-g1.ctb"
    if library_file() is None:
        pytest.skip("liblouis is not installed")
    cells = translate("eo-g1.ctb", "du")
    assert cells and all(0x2800 <= ord(char) <= 0x283F for char in cells)


def test_without_the_file_there_is_no_braille_table() -> None:
    assert braille_table(Config(ROOT), text_locale("eo")) is None


def test_a_pseudo_locale_is_what_its_language_file_says() -> None:
    """The renderer reads pseudo-locales from their language files: a new one needs no table in render/."""
    from pipeline.render.pseudo import pseudo_mode

    for tag in languages().tags():
        item = languages().find(tag)
        if item is None or item.pseudo is None:
            continue
        layout = text_locale(tag)
        assert layout.pseudo and layout.direction == (item.direction or "ltr") and pseudo_mode(tag) == item.pseudo
    assert text_locale("ar_XB").direction == "rtl" and text_locale("en_XA").direction == "ltr"
    assert not text_locale("ar").pseudo
    with pytest.raises(ValueError, match="not a pseudo-locale"):
        pseudo_mode("es")


@pytest.mark.parametrize("tag", languages().tags())
def test_every_language_file_names_itself_and_its_sources(tag: str) -> None:
    item = languages().find(tag)
    assert item is not None and item.tag == tag and item.name and len(item.script) == 4
    assert item.defined_in is not None and item.defined_in.read_text(encoding="utf-8").startswith('"""')

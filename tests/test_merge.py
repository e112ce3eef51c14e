"""Catalog update: merge and init behave like msgmerge and msginit, and no translation is ever lost."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from pipeline.catalogs.merge import MergeResult, init_catalog, merge_catalog
from pipeline.catalogs.pofile import format_catalog, parse_catalog
from pipeline.errors import CatalogError

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "tests" / "data" / "guide-seed.txt"

HAVE_GETTEXT = shutil.which("msgmerge") is not None and shutil.which("msgfmt") is not None
needs_gettext = pytest.mark.skipif(not HAVE_GETTEXT, reason="GNU gettext (msgmerge, msgfmt) is not installed")

Key = tuple[str | None, str]

PO_HEADER = r"""# Spanish translation of the Plainleaf guide.
msgid ""
msgstr ""
"Project-Id-Version: plainleaf 0.1\n"
"Report-Msgid-Bugs-To: \n"
"POT-Creation-Date: 2024-01-01 00:00+0000\n"
"PO-Revision-Date: 2024-02-03 10:00+0100\n"
"Last-Translator: María Pérez <maria@example.org>\n"
"Language-Team: Spanish\n"
"Language: es\n"
"MIME-Version: 1.0\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Content-Transfer-Encoding: 8bit\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"
"""

AR_HEADER = PO_HEADER.replace("Language: es", "Language: ar").replace(
    "nplurals=2; plural=(n != 1);",
    "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);",
)

POT_HEADER = r"""# Translation template for guide.md.
#, fuzzy
msgid ""
msgstr ""
"Project-Id-Version: plainleaf 0.2\n"
"Report-Msgid-Bugs-To: \n"
"POT-Creation-Date: 2024-05-06 07:08+0000\n"
"PO-Revision-Date: YEAR-MO-DA HO:MI+ZONE\n"
"Last-Translator: FULL NAME <EMAIL@ADDRESS>\n"
"Language-Team: LANGUAGE <LL@li.org>\n"
"Language: \n"
"MIME-Version: 1.0\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Content-Transfer-Encoding: 8bit\n"
"""


def parse(text: str) -> polib.POFile:
    """A catalog from PO text, as polib reads a file."""
    return polib.pofile(text)


@dataclass(frozen=True)
class Expect:
    """What one active entry of the merged catalog must hold."""

    msgstr: str | dict[int, str]
    """The translation: a string, or the plural forms."""
    fuzzy: bool = False
    """Whether the entry must be marked fuzzy."""
    previous: str | None = None
    """The expected ``#| msgid``."""
    previous_msgctxt: str | None = None
    """The expected ``#| msgctxt``."""
    tcomment: str = ""
    """The translator comment that must survive."""


@dataclass(frozen=True)
class Case:
    """A merge fixture: an old catalog, a new template and the merged result."""

    id: str
    old: str
    new: str
    expected: dict[Key, Expect]
    counts: dict[str, int]
    obsolete: dict[Key, str | dict[int, str]] = field(default_factory=dict)
    header: str = PO_HEADER
    unlike_msgmerge: tuple[str, ...] = ()
    """Fields where we knowingly differ from ``msgmerge --previous`` (see pipeline/catalogs/merge.py)."""


def counts(**given: int) -> dict[str, int]:
    """All six counts, zero unless given."""
    names = ("unchanged", "added", "fuzzy", "resurrected", "obsolete", "dropped")
    return {name: given.get(name, 0) for name in names}


CASES = [
    Case(
        "unchanged",
        old='#: source/old.md#intro\nmsgid "Hello"\nmsgstr "Hola"\n',
        new='#: source/guide.md#intro\n#, markdown-text\nmsgid "Hello"\nmsgstr ""\n',
        expected={(None, "Hello"): Expect("Hola")},
        counts=counts(unchanged=1),
    ),
    Case(
        "added",
        old='msgid "Hello"\nmsgstr "Hola"\n',
        new='msgid "Hello"\nmsgstr ""\n\nmsgid "Please bring a list of your medicines."\nmsgstr ""\n',
        expected={(None, "Hello"): Expect("Hola"), (None, "Please bring a list of your medicines."): Expect("")},
        counts=counts(unchanged=1, added=1),
    ),
    Case(
        "changed",
        old='msgid "The trial has three phases."\nmsgstr "El ensayo tiene tres fases."\n',
        new='msgid "The trial has four phases."\nmsgstr ""\n',
        expected={
            (None, "The trial has four phases."): Expect(
                "El ensayo tiene tres fases.", fuzzy=True, previous="The trial has three phases."
            )
        },
        counts=counts(fuzzy=1),  # the old entry lives on in "#|" only, as in msgmerge
    ),
    Case(
        "removed",
        old='msgid "Hello"\nmsgstr "Hola"\n\nmsgid "Ask your doctor."\nmsgstr "Pregunte a su médico."\n',
        new='msgid "Hello"\nmsgstr ""\n',
        expected={(None, "Hello"): Expect("Hola")},
        counts=counts(unchanged=1, obsolete=1),
        obsolete={(None, "Ask your doctor."): "Pregunte a su médico."},
    ),
    Case(
        "already-obsolete-stays",
        old='msgid "Hello"\nmsgstr "Hola"\n\n#~ msgid "Ask your doctor."\n#~ msgstr "Pregunte a su médico."\n',
        new='msgid "Hello"\nmsgstr ""\n',
        expected={(None, "Hello"): Expect("Hola")},
        counts=counts(unchanged=1),
        obsolete={(None, "Ask your doctor."): "Pregunte a su médico."},
    ),
    Case(
        "removed-then-restored",
        old='msgid "Hello"\nmsgstr "Hola"\n\n#~ msgid "Ask your doctor."\n#~ msgstr "Pregunte a su médico."\n',
        new='msgid "Hello"\nmsgstr ""\n\nmsgid "Ask your doctor."\nmsgstr ""\n',
        expected={(None, "Hello"): Expect("Hola"), (None, "Ask your doctor."): Expect("Pregunte a su médico.")},
        counts=counts(unchanged=1, resurrected=1),
    ),
    Case(
        "restored-fuzzy-stays-fuzzy",
        # No "#~|" line: polib 1.2.0 drops it when reading (izimobil/polib#158); see the test after CASES.
        old='#, fuzzy\n#~ msgid "Ask your doctor."\n#~ msgstr "Pregunte al médico."\n',
        new='msgid "Ask your doctor."\nmsgstr ""\n',
        expected={(None, "Ask your doctor."): Expect("Pregunte al médico.", fuzzy=True)},
        counts=counts(resurrected=1),
    ),
    Case(
        "changed-twice",
        old=(
            '#, fuzzy\n#| msgid "The trial has three phases."\n'
            'msgid "The trial has four phases."\nmsgstr "El ensayo tiene tres fases."\n\n'
            '#~ msgid "The trial has three phases."\n#~ msgstr "El ensayo tiene tres fases."\n'
        ),
        new='msgid "The trial has five phases."\nmsgstr ""\n',
        expected={
            (None, "The trial has five phases."): Expect(
                "El ensayo tiene tres fases.", fuzzy=True, previous="The trial has three phases."
            )
        },
        counts=counts(fuzzy=1),
        obsolete={(None, "The trial has three phases."): "El ensayo tiene tres fases."},
    ),
    Case(
        "msgctxt-added",
        old='msgid "Open"\nmsgstr "Abrir"\n',
        new='msgctxt "button"\nmsgid "Open"\nmsgstr ""\n',
        expected={("button", "Open"): Expect("Abrir", fuzzy=True, previous="Open")},
        counts=counts(fuzzy=1),
    ),
    Case(
        "same-msgctxt-preferred",
        old='msgctxt "menu"\nmsgid "Open"\nmsgstr "Abrir"\n\nmsgctxt "door"\nmsgid "Open"\nmsgstr "Abierta"\n',
        new='msgctxt "door"\nmsgid "Open."\nmsgstr ""\n',
        expected={("door", "Open."): Expect("Abierta", fuzzy=True, previous="Open", previous_msgctxt="door")},
        counts=counts(fuzzy=1, obsolete=1),
        obsolete={("menu", "Open"): "Abrir"},
    ),
    Case(
        "fuzzy-source-still-in-template",
        old='msgid "Call the clinic."\nmsgstr "Llame a la clínica."\n',
        new='msgid "Call the clinic."\nmsgstr ""\n\nmsgid "Call the clinic today."\nmsgstr ""\n',
        expected={
            (None, "Call the clinic."): Expect("Llame a la clínica."),
            (None, "Call the clinic today."): Expect("Llame a la clínica.", fuzzy=True, previous="Call the clinic."),
        },
        counts=counts(unchanged=1, fuzzy=1),
    ),
    Case(
        "at-fuzzy-threshold",  # fstrcmp = 2*6/20 = 0.6 exactly: msgmerge's context bonus tips it over
        old='msgid "abcdefghij"\nmsgstr "ABCDEFGHIJ"\n',
        new='msgid "abcdefwxyz"\nmsgstr ""\n',
        expected={(None, "abcdefwxyz"): Expect("ABCDEFGHIJ", fuzzy=True, previous="abcdefghij")},
        counts=counts(fuzzy=1),
    ),
    Case(
        "below-fuzzy-threshold",  # 2*6/21 < 0.6
        old='msgid "abcdefghij"\nmsgstr "ABCDEFGHIJ"\n',
        new='msgid "abcdefwxyz1"\nmsgstr ""\n',
        expected={(None, "abcdefwxyz1"): Expect("")},
        counts=counts(added=1, obsolete=1),
        obsolete={(None, "abcdefghij"): "ABCDEFGHIJ"},
    ),
    Case(
        "plural-kept-and-added",
        old='msgid "One dose"\nmsgid_plural "{n} doses"\nmsgstr[0] "Una dosis"\nmsgstr[1] "{n} dosis"\n',
        new=(
            'msgid "One dose"\nmsgid_plural "{n} doses"\nmsgstr[0] ""\nmsgstr[1] ""\n\n'
            'msgid "{n} tablet a day"\nmsgid_plural "{n} tablets a day"\nmsgstr[0] ""\nmsgstr[1] ""\n'
        ),
        expected={
            (None, "One dose"): Expect({0: "Una dosis", 1: "{n} dosis"}),
            (None, "{n} tablet a day"): Expect({0: "", 1: ""}),
        },
        counts=counts(unchanged=1, added=1),
    ),
    Case(
        "plural-added-in-arabic-has-six-forms",
        header=AR_HEADER,
        old='msgid "Hello"\nmsgstr "مرحبا"\n',
        new='msgid "Hello"\nmsgstr ""\n\nmsgid "One week"\nmsgid_plural "{n} weeks"\nmsgstr[0] ""\nmsgstr[1] ""\n',
        expected={(None, "Hello"): Expect("مرحبا"), (None, "One week"): Expect(dict.fromkeys(range(6), ""))},
        counts=counts(unchanged=1, added=1),
    ),
    Case(
        "singular-becomes-plural",
        old='msgid "One visit"\nmsgstr "Una visita"\n',
        new='msgid "One visit"\nmsgid_plural "{n} visits"\nmsgstr[0] ""\nmsgstr[1] ""\n',
        expected={(None, "One visit"): Expect({0: "Una visita", 1: ""}, fuzzy=True, previous="One visit")},
        counts=counts(fuzzy=1),
        unlike_msgmerge=("msgstr_plural",),  # msgmerge copies the singular into every form
    ),
    Case(
        "singular-fuzzy-matched-into-plural",
        old='msgid "One visit a week"\nmsgstr "Una visita por semana"\n',
        new='msgid "One visit each week"\nmsgid_plural "{n} visits each week"\nmsgstr[0] ""\nmsgstr[1] ""\n',
        expected={
            (None, "One visit each week"): Expect(
                {0: "Una visita por semana", 1: ""}, fuzzy=True, previous="One visit a week"
            )
        },
        counts=counts(fuzzy=1),
        unlike_msgmerge=("msgstr_plural",),
    ),
    Case(
        "plural-becomes-singular",
        old='msgid "One dose"\nmsgid_plural "{n} doses"\nmsgstr[0] "Una dosis"\nmsgstr[1] "{n} dosis"\n',
        new='msgid "One dose"\nmsgstr ""\n',
        expected={(None, "One dose"): Expect("Una dosis", fuzzy=True, previous="One dose")},
        counts=counts(fuzzy=1),
    ),
    Case(
        "plural-fuzzy-matched-by-singular-keeps-its-forms",
        old='msgid "One dose a day"\nmsgid_plural "{n} doses a day"\nmsgstr[0] "Una dosis al día"\n'
        'msgstr[1] "{n} dosis al día"\n',
        new='msgid "One dose each day"\nmsgstr ""\n',
        expected={(None, "One dose each day"): Expect("Una dosis al día", fuzzy=True, previous="One dose a day")},
        # The singular entry can hold one form: the old plural stays obsolete, so "{n} dosis al día" survives.
        counts=counts(fuzzy=1, obsolete=1),
        obsolete={(None, "One dose a day"): {0: "Una dosis al día", 1: "{n} dosis al día"}},
    ),
    Case(
        "translator-comments-kept",
        old=(
            "# Use the formal 'usted'.\n"
            'msgid "Ask your doctor."\nmsgstr "Pregunte a su médico."\n\n'
            "# Check the dose with the pharmacist.\n"
            'msgid "Take one tablet a day."\nmsgstr "Tome una tableta al día."\n'
        ),
        new='msgid "Ask your doctor."\nmsgstr ""\n\nmsgid "Take one tablet each day."\nmsgstr ""\n',
        expected={
            (None, "Ask your doctor."): Expect("Pregunte a su médico.", tcomment="Use the formal 'usted'."),
            (None, "Take one tablet each day."): Expect(
                "Tome una tableta al día.",
                fuzzy=True,
                previous="Take one tablet a day.",
                tcomment="Check the dose with the pharmacist.",
            ),
        },
        counts=counts(unchanged=1, fuzzy=1),
    ),
    Case(
        "untranslated-obsolete-dropped-unless-commented",
        old=(
            'msgid "Hello"\nmsgstr "Hola"\n\n'
            'msgid "A draft sentence nobody translated."\nmsgstr ""\n\n'
            "# Ask the clinic what this means.\n"
            'msgid "A sentence the translator asked about."\nmsgstr ""\n'
        ),
        new='msgid "Hello"\nmsgstr ""\n',
        expected={(None, "Hello"): Expect("Hola")},
        counts=counts(unchanged=1, obsolete=1, dropped=1),
        obsolete={(None, "A sentence the translator asked about."): ""},
    ),
]


def merge_text(case: Case) -> MergeResult:
    """Merge a fixture's old catalog with its template."""
    return merge_catalog(parse(case.header + "\n" + case.old), parse(POT_HEADER + "\n" + case.new))


def translation(entry: polib.POEntry) -> str | dict[int, str]:
    """An entry's msgstr, or its plural forms."""
    return dict(entry.msgstr_plural) if entry.msgid_plural else entry.msgstr


def active(catalog: polib.POFile) -> dict[Key, polib.POEntry]:
    """The active entries by (msgctxt, msgid), in order."""
    return {(entry.msgctxt, entry.msgid): entry for entry in catalog if not entry.obsolete}


def obsolete(catalog: polib.POFile) -> dict[Key, polib.POEntry]:
    """The obsolete entries by (msgctxt, msgid)."""
    return {(entry.msgctxt, entry.msgid): entry for entry in catalog if entry.obsolete}


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_merge_fixture(case: Case) -> None:
    result = merge_text(case)
    entries = active(result.catalog)
    assert list(entries) == list(case.expected), "entries come out in the template's order"
    for key, expect in case.expected.items():
        entry = entries[key]
        assert translation(entry) == expect.msgstr, key
        assert entry.fuzzy is expect.fuzzy, key
        assert entry.previous_msgid == expect.previous, key
        assert entry.previous_msgctxt == expect.previous_msgctxt, key
        assert entry.tcomment == expect.tcomment, key
    assert {key: translation(entry) for key, entry in obsolete(result.catalog).items()} == case.obsolete
    assert {name.split()[-1]: count for name, count in result.counts().items()} == case.counts
    assert len(result.catalog) == len(case.expected) + len(case.obsolete), "no key appears twice"


def run_msgmerge(tmp_path: Path, case: Case) -> polib.POFile:
    """What ``msgmerge --previous`` makes of a fixture."""
    (tmp_path / "old.po").write_text(case.header + "\n" + case.old, encoding="utf-8")
    (tmp_path / "new.pot").write_text(POT_HEADER + "\n" + case.new, encoding="utf-8")
    subprocess.run(
        ["msgmerge", "--quiet", "--previous", "-o", str(tmp_path / "out.po"), "old.po", "new.pot"],
        cwd=tmp_path,
        check=True,
    )
    return polib.pofile(str(tmp_path / "out.po"))


@needs_gettext
@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_merge_agrees_with_msgmerge(tmp_path: Path, case: Case) -> None:
    ours = merge_text(case).catalog
    gnu = run_msgmerge(tmp_path, case)
    assert list(active(ours)) == list(active(gnu))
    for key, theirs in active(gnu).items():
        mine = active(ours)[key]
        compared = {
            "msgstr": (mine.msgstr, theirs.msgstr),
            "msgstr_plural": (dict(mine.msgstr_plural), dict(theirs.msgstr_plural)),
            "fuzzy": (mine.fuzzy, theirs.fuzzy),
            "previous_msgid": (mine.previous_msgid, theirs.previous_msgid),
            "previous_msgctxt": (mine.previous_msgctxt, theirs.previous_msgctxt),
            "previous_msgid_plural": (mine.previous_msgid_plural, theirs.previous_msgid_plural),
            "tcomment": (mine.tcomment, theirs.tcomment),
            "comment": (mine.comment, theirs.comment),
            "occurrences": (mine.occurrences, theirs.occurrences),
        }
        for name, (left, right) in compared.items():
            if name not in case.unlike_msgmerge:
                assert left == right, f"{key}: {name}"
    # Like msgmerge, a fuzzy-match source lives on in "#|" only; ours keep every translated obsolete entry of
    # msgmerge's, and one more only where a singular match could not hold a plural's every form.
    kept = {key: translation(entry) for key, entry in obsolete(ours).items()}
    for key, entry in obsolete(gnu).items():
        if entry.msgstr or any(entry.msgstr_plural.values()):
            assert kept.get(key) == translation(entry), key
    extra = {key for key, text in kept.items() if text} - set(obsolete(gnu))
    assert not extra or case.id == "plural-fuzzy-matched-by-singular-keeps-its-forms", extra
    theirs_header = dict(gnu.metadata, **{"Project-Id-Version": "plainleaf 0.2"})
    assert ours.metadata == theirs_header


@needs_gettext
@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_merged_catalog_passes_msgfmt_check(tmp_path: Path, case: Case) -> None:
    path = tmp_path / "merged.po"
    path.write_text(str(merge_text(case).catalog), encoding="utf-8")
    checked = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


def test_restored_fuzzy_entry_keeps_its_previous_msgid() -> None:
    old = parse(PO_HEADER)
    old.append(
        polib.POEntry(
            msgid="Ask your doctor.",
            msgstr="Pregunte al médico.",
            flags=["fuzzy"],
            previous_msgid="Ask the doctor.",
            obsolete=True,
        )
    )
    (entry,) = merge_catalog(old, parse(POT_HEADER + '\nmsgid "Ask your doctor."\nmsgstr ""\n')).catalog
    assert (entry.obsolete, entry.fuzzy, entry.previous_msgid) == (False, True, "Ask the doctor.")


def test_template_owns_comments_references_and_flags() -> None:
    old = parse(
        PO_HEADER + "\n# Keep it short.\n#. An old note.\n#: source/old.md#intro\n#, fuzzy, no-wrap\n"
        'msgid "Hello"\nmsgstr "Hola"\n'
    )
    template = parse(
        POT_HEADER + '\n#. paragraph\n#: source/guide.md#intro\n#, markdown-text, python-brace-format\nmsgid "Hello"\n'
        'msgstr ""\n'
    )
    entry = merge_catalog(old, template).catalog[0]
    assert entry.comment == "paragraph"
    assert entry.occurrences == [("source/guide.md#intro", "")]
    assert entry.flags == ["fuzzy", "markdown-text", "python-brace-format"], "old flags go, fuzzy stays"
    assert entry.tcomment == "Keep it short."


def test_header_is_the_catalogs_with_the_templates_own_fields() -> None:
    result = merge_catalog(parse(PO_HEADER), parse(POT_HEADER))
    assert result.catalog.metadata == {
        "Project-Id-Version": "plainleaf 0.2",
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": "2024-05-06 07:08+0000",
        "PO-Revision-Date": "2024-02-03 10:00+0100",
        "Last-Translator": "María Pérez <maria@example.org>",
        "Language-Team": "Spanish",
        "Language": "es",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
    }
    assert result.catalog.header == "Spanish translation of the Plainleaf guide."
    assert not result.catalog.metadata_is_fuzzy


def test_merge_never_mutates_its_inputs() -> None:
    case = next(case for case in CASES if case.id == "changed-twice")
    old, template = parse(PO_HEADER + "\n" + case.old), parse(POT_HEADER + "\n" + case.new)
    before = (str(old), str(template))
    result = merge_catalog(old, template)
    for entry in result.catalog:
        entry.flags.append("touched")
        entry.occurrences.append(("x", "1"))
        entry.msgstr_plural[9] = "x"
    result.catalog.metadata["Language"] = "xx"
    assert (str(old), str(template)) == before


def test_merging_twice_changes_nothing() -> None:
    for case in CASES:
        once = merge_text(case).catalog
        twice = merge_catalog(once, parse(POT_HEADER + "\n" + case.new))
        assert str(twice.catalog) == str(once), case.id
        assert twice.fuzzy == twice.added == twice.obsolete == twice.resurrected == 0, case.id


def test_duplicate_with_other_translation_is_an_error() -> None:
    old = parse(PO_HEADER + '\nmsgid "Hello"\nmsgstr "Hola"\n\n#~ msgid "Hello"\n#~ msgstr "Buenas"\n')
    old.fpath = "locales/es/LC_MESSAGES/guide.po"
    with pytest.raises(CatalogError, match="'Hello' is defined twice") as raised:
        merge_catalog(old, parse(POT_HEADER + '\nmsgid "Hello"\nmsgstr ""\n'))
    assert str(raised.value).startswith("locales/es/LC_MESSAGES/guide.po:")


def test_harmless_duplicates_are_folded() -> None:
    old = parse(
        PO_HEADER + '\nmsgid "Hello"\nmsgstr ""\n\n#~ msgid "Hello"\n#~ msgstr "Hola"\n\n'
        '#~ msgid "Bye"\n#~ msgstr "Adiós"\n\n#~ msgid "Bye"\n#~ msgstr "Adiós"\n'
    )
    result = merge_catalog(old, parse(POT_HEADER + '\nmsgid "Hello"\nmsgstr ""\n'))
    assert [(entry.msgid, entry.msgstr, entry.obsolete) for entry in result.catalog] == [
        ("Hello", "Hola", False),
        ("Bye", "Adiós", True),
    ]


def test_duplicate_in_template_is_an_error() -> None:
    template = parse(POT_HEADER + '\nmsgid "Hello"\nmsgstr ""\n\nmsgid "Hello"\nmsgstr ""\n')
    with pytest.raises(CatalogError, match="defined twice in the template"):
        merge_catalog(parse(PO_HEADER), template)


def test_counts_are_labelled_for_the_command_line() -> None:
    result = merge_text(next(case for case in CASES if case.id == "untranslated-obsolete-dropped-unless-commented"))
    assert result.counts() == {
        "unchanged": 1,
        "added": 0,
        "fuzzy": 0,
        "resurrected": 0,
        "obsolete": 1,
        "untranslated dropped": 1,
    }


# --- init_catalog -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "language", "nplurals"),
    [("ar", "ar", 6), ("zh_Hans", "zh_Hans", 1), ("zh-Hans", "zh_Hans", 1), ("es", "es", 2), ("vi", "vi", 1)],
)
def test_init_catalog_plural_forms(locale: str, language: str, nplurals: int) -> None:
    template = parse(
        POT_HEADER + '\n#. paragraph\n#: source/guide.md#intro\n#, markdown-text\nmsgid "Hello"\nmsgstr ""\n\n'
        'msgid "One week"\nmsgid_plural "{n} weeks"\nmsgstr[0] ""\nmsgstr[1] ""\n'
    )
    catalog = init_catalog(template, locale)
    assert catalog.metadata["Language"] == language
    assert re.fullmatch(rf"nplurals={nplurals}; plural=[^;]+;", catalog.metadata["Plural-Forms"])
    assert catalog.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert catalog.metadata["POT-Creation-Date"] == catalog.metadata["PO-Revision-Date"] == "2024-05-06 07:08+0000"
    assert catalog.metadata["Project-Id-Version"] == "plainleaf 0.2"
    assert not catalog.metadata_is_fuzzy
    hello, weeks = catalog
    assert (hello.msgstr, hello.flags, hello.comment) == ("", ["markdown-text"], "paragraph")
    assert weeks.msgstr_plural == dict.fromkeys(range(nplurals), "")
    assert not catalog.translated_entries()
    assert init_catalog(template, locale) == catalog, "the same template always gives the same catalog"


@needs_gettext
@pytest.mark.parametrize("locale", ["ar", "zh_Hans", "es", "vi", "pt_BR"])
def test_init_catalog_passes_msgfmt_check(tmp_path: Path, locale: str) -> None:
    template = parse(POT_HEADER + '\nmsgid "One week"\nmsgid_plural "{n} weeks"\nmsgstr[0] ""\nmsgstr[1] ""\n')
    path = tmp_path / f"{locale}.po"
    path.write_text(str(init_catalog(template, locale)), encoding="utf-8")
    checked = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


@needs_gettext
def test_init_from_a_template_without_dates_writes_no_placeholder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    template = parse('msgid ""\nmsgstr ""\n"Project-Id-Version: plainleaf\\n"\n\nmsgid "Page"\nmsgstr ""\n')
    catalog = init_catalog(template, "es")
    assert catalog.metadata["PO-Revision-Date"] == "2023-11-14 22:13+0000"
    assert "YEAR" not in str(catalog)
    path = tmp_path / "es.po"
    path.write_text(str(catalog), encoding="utf-8")
    checked = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert checked.returncode == 0 and "initial default value" not in checked.stderr, checked.stderr


def test_obsolete_fuzzy_entry_is_filed_under_the_text_its_translation_was_written_for() -> None:
    old = parse(
        PO_HEADER + '\n#, fuzzy\n#| msgid "Ask your doctor."\nmsgid "Ask your doctor today."\n'
        'msgstr "Pregunte a su médico."\n'
    )
    result = merge_catalog(old, parse(POT_HEADER + '\nmsgid "Hello"\nmsgstr ""\n'))
    (gone,) = obsolete(result.catalog)
    assert gone == (None, "Ask your doctor.")
    entry = obsolete(result.catalog)[gone]
    assert (entry.msgstr, entry.fuzzy, entry.previous_msgid) == ("Pregunte a su médico.", True, None)


@pytest.mark.parametrize("locale", ["xx_YY", "en_YY", "und", "root", "", "not a locale"])
def test_init_catalog_rejects_unknown_locales(locale: str) -> None:
    with pytest.raises(CatalogError, match=re.escape(f"unknown locale {locale!r}")):
        init_catalog(parse(POT_HEADER), locale)


# --- A text that comes back: deleted or edited away, then restored -------------------------------------------

ROUND_TRIPS: dict[str, Callable[[polib.POFile], polib.POFile]] = {
    "plainleaf": lambda catalog: parse_catalog(format_catalog(catalog)),  # as `plainleaf update` writes and reads
    "polib": lambda catalog: parse(str(catalog)),  # polib alone, which drops the "#~|" line of an obsolete entry
}
"""How a merged catalog is saved and read back before the next merge."""

MEDICINES = "Bring a list of your medicines."
EDITED = "Bring a written list of all your medicines and vitamins."  # an edit of MEDICINES: its fuzzy match
QUESTIONS = "Bring a list of your questions."  # a neighbour: more like MEDICINES than EDITED is


def text(msgid: str, plural: str = "", msgctxt: str | None = None) -> polib.POEntry:
    """One block of a source, as the extractor makes its entry."""
    return polib.POEntry(
        msgctxt=msgctxt,
        msgid=msgid,
        msgid_plural=plural,
        msgstr_plural={0: "", 1: ""} if plural else {},
        flags=["markdown-text"],
    )


def es(entry: polib.POEntry) -> str | dict[int, str]:
    """The confirmed Spanish translation the first catalog of a history gives an entry."""
    return {0: f"ES {entry.msgid}", 1: f"ES {entry.msgid_plural}"} if entry.msgid_plural else f"ES {entry.msgid}"


def source_template(source: list[polib.POEntry]) -> polib.POFile:
    """The template of a source that may repeat a block: each (msgctxt, msgid) once, as the extractor writes it."""
    template = parse(POT_HEADER)
    for entry in {(entry.msgctxt, entry.msgid): entry for entry in source}.values():
        template.append(entry)
    return template


def history(round_trip: str, first: list[polib.POEntry], *sources: list[polib.POEntry]) -> list[MergeResult]:
    """Every merge's result, each source merged in turn into the catalog of ``first``, translated and confirmed."""
    catalog = init_catalog(parse(POT_HEADER), "es")
    results = []
    for source in [first, *sources]:
        results.append(merge_catalog(catalog, source_template(source)))
        catalog = ROUND_TRIPS[round_trip](results[-1].catalog)
        if len(results) == 1:
            for entry in catalog:
                if entry.msgid_plural:
                    entry.msgstr_plural = es(entry)
                else:
                    entry.msgstr = es(entry)
    return results


def entry_of(result: MergeResult, msgid: str, msgctxt: str | None = None) -> polib.POEntry:
    """The active entry of ``msgid`` in a merged catalog."""
    return active(result.catalog)[(msgctxt, msgid)]


def merges_again_unchanged(result: MergeResult, source: list[polib.POEntry], round_trip: str) -> bool:
    """Whether merging the saved catalog with the same source again leaves it as it is."""
    saved = ROUND_TRIPS[round_trip](result.catalog)
    return str(merge_catalog(saved, source_template(source)).catalog) == str(saved)


@pytest.mark.parametrize("round_trip", ROUND_TRIPS)
def test_repeated_texts_a_restore_and_a_delete_keep_the_restored_texts_translation(round_trip: str) -> None:
    # The history the property test below found: a text edited, a repeated one deleted twice, the text
    # restored while a more similar one is in the catalog, its edited version deleted.
    two, three, four = text("the the."), text("the the the."), text("the the the the.")
    edited = text("trial the the the the.")
    results = history(
        round_trip,
        [two, two, four, two, three],
        [two, two, edited, two, three],
        [two, edited, two, three],
        [edited, two, three],
        [four, edited, two, three],
        [four, two, three],
    )
    restored, final = results[-2], results[-1]
    assert translation(entry_of(restored, four.msgid)) == "ES the the the the.", "its own, not the neighbour's"
    assert entry_of(restored, four.msgid).fuzzy, "a translation that sat on a fuzzy entry is reviewed again"
    assert (restored.resurrected, restored.fuzzy) == (1, 0)
    assert translation(entry_of(final, four.msgid)) == "ES the the the the.", "kept when its edited version goes"
    for entry in (two, three):
        assert translation(entry_of(final, entry.msgid)) == es(entry) and not entry_of(final, entry.msgid).fuzzy
    assert merges_again_unchanged(final, [four, two, three], round_trip)


@pytest.mark.parametrize("round_trip", ROUND_TRIPS)
def test_undoing_an_edit_brings_back_the_texts_own_translation_not_a_neighbours(round_trip: str) -> None:
    medicines, edited, questions = text(MEDICINES), text(EDITED), text(QUESTIONS)
    *_, undone = history(round_trip, [medicines, questions], [edited, questions], [medicines, questions])
    entry = entry_of(undone, MEDICINES)
    assert (entry.msgstr, entry.fuzzy) == (f"ES {MEDICINES}", True), "never ES Bring a list of your questions."
    assert not obsolete(undone.catalog), "the edit lived only as the text's fuzzy match: no copy of it is left"
    assert undone.counts()["resurrected"] == 1
    assert merges_again_unchanged(undone, [medicines, questions], round_trip)


@pytest.mark.parametrize("round_trip", ROUND_TRIPS)
def test_text_restored_beside_its_edit_keeps_its_translation_when_the_edit_goes(round_trip: str) -> None:
    medicines, edited, questions = text(MEDICINES), text(EDITED), text(QUESTIONS)
    *_, restored, final = history(
        round_trip,
        [medicines, questions],
        [edited, questions],
        [medicines, edited, questions],
        [medicines, questions],
    )
    assert translation(entry_of(restored, MEDICINES)) == f"ES {MEDICINES}"
    assert entry_of(restored, EDITED).previous_msgid == MEDICINES, "the edit still shows what changed"
    assert translation(entry_of(final, MEDICINES)) == f"ES {MEDICINES}"
    assert [entry.msgid for entry in obsolete(final.catalog).values()] == [EDITED]


@pytest.mark.parametrize("round_trip", ROUND_TRIPS)
def test_deleting_and_restoring_one_copy_of_a_repeated_text_changes_nothing(round_trip: str) -> None:
    medicines, questions = text(MEDICINES), text(QUESTIONS)
    first, deleted, restored = history(
        round_trip, [medicines, questions, medicines], [questions, medicines], [medicines, questions, medicines]
    )
    saved = ROUND_TRIPS[round_trip](first.catalog)
    for entry in saved:
        entry.msgstr = es(entry)  # as the history translated it
    assert deleted.counts()["unchanged"] == restored.counts()["unchanged"] == 2
    assert str(restored.catalog) == str(saved)


@pytest.mark.parametrize("round_trip", ROUND_TRIPS)
def test_both_copies_deleted_and_one_restored_comes_back_confirmed(round_trip: str) -> None:
    medicines, questions = text(MEDICINES), text(QUESTIONS)
    *_, gone, restored = history(
        round_trip, [medicines, questions, medicines], [questions, medicines], [questions], [medicines, questions]
    )
    assert {key: translation(entry) for key, entry in obsolete(gone.catalog).items()} == {
        (None, MEDICINES): f"ES {MEDICINES}"
    }
    entry = entry_of(restored, MEDICINES)
    assert (entry.msgstr, entry.fuzzy) == (f"ES {MEDICINES}", False)
    assert not obsolete(restored.catalog) and restored.resurrected == 1
    assert merges_again_unchanged(restored, [medicines, questions], round_trip)


@pytest.mark.parametrize("round_trip", ROUND_TRIPS)
def test_text_restored_after_an_update_made_it_fuzzy_and_deleted_it(round_trip: str) -> None:
    medicines, edited, questions = text(MEDICINES), text(EDITED), text(QUESTIONS)
    *_, fuzzy, gone, restored = history(
        round_trip, [medicines, questions], [edited, questions], [questions], [medicines, questions]
    )
    assert entry_of(fuzzy, EDITED).fuzzy and entry_of(fuzzy, EDITED).previous_msgid == MEDICINES
    assert [(entry.msgid, entry.msgstr) for entry in obsolete(gone.catalog).values()] == [
        (MEDICINES, f"ES {MEDICINES}")
    ], "filed under the text its translation was written for"
    entry = entry_of(restored, MEDICINES)
    assert (entry.msgstr, entry.fuzzy) == (f"ES {MEDICINES}", True)
    assert not obsolete(restored.catalog)


@pytest.mark.parametrize("round_trip", ROUND_TRIPS)
def test_msgctxt_text_restored_after_an_edit_gets_its_own_translation(round_trip: str) -> None:
    medicines, edited, questions = (text(msgid, msgctxt="checklist") for msgid in (MEDICINES, EDITED, QUESTIONS))
    other = text(MEDICINES, msgctxt="handout")
    *_, undone = history(
        round_trip, [medicines, questions, other], [edited, questions, other], [medicines, questions, other]
    )
    assert translation(entry_of(undone, MEDICINES, "checklist")) == f"ES {MEDICINES}"
    assert entry_of(undone, MEDICINES, "checklist").fuzzy
    assert translation(entry_of(undone, MEDICINES, "handout")) == f"ES {MEDICINES}"
    assert not entry_of(undone, MEDICINES, "handout").fuzzy
    assert not obsolete(undone.catalog)


def test_an_edit_under_another_msgctxt_does_not_restore_a_text() -> None:
    old = parse(
        PO_HEADER + f'\n#, fuzzy\n#| msgctxt "handout"\n#| msgid "{MEDICINES}"\nmsgctxt "handout"\n'
        f'msgid "{EDITED}"\nmsgstr "ES {MEDICINES}"\n\nmsgid "{QUESTIONS}"\nmsgstr "ES {QUESTIONS}"\n'
    )
    template = source_template([text(MEDICINES, msgctxt="checklist"), text(QUESTIONS)])
    result = merge_catalog(old, template)
    assert result.resurrected == 0, "the (msgctxt, msgid) differs: a similar entry's, fuzzy, with its #|"
    assert entry_of(result, MEDICINES, "checklist").previous_msgid is not None


@pytest.mark.parametrize("round_trip", ROUND_TRIPS)
def test_plural_text_restored_after_an_edit_gets_every_form_back(round_trip: str) -> None:
    day = text("One tablet a day", "{n} tablets a day")
    edited = text("One tablet each day with food", "{n} tablets each day with food")
    week = text("One tablet a week", "{n} tablets a week")
    *_, changed, undone = history(round_trip, [day, week], [edited, week], [day, week])
    assert entry_of(changed, edited.msgid).previous_msgid_plural == day.msgid_plural
    entry = entry_of(undone, day.msgid)
    assert (translation(entry), entry.fuzzy) == ({0: "ES One tablet a day", 1: "ES {n} tablets a day"}, True)
    assert not obsolete(undone.catalog)
    assert merges_again_unchanged(undone, [day, week], round_trip)


def test_plural_edit_restored_as_a_singular_keeps_its_plural_form_as_obsolete() -> None:
    old = parse(
        PO_HEADER + '\n#, fuzzy\n#| msgid "One tablet a day"\n#| msgid_plural "{n} tablets a day"\n'
        'msgid "One tablet each day with food"\nmsgid_plural "{n} tablets each day with food"\n'
        'msgstr[0] "ES One tablet a day"\nmsgstr[1] "ES {n} tablets a day"\n'
    )
    result = merge_catalog(old, source_template([text("One tablet a day")]))
    entry = entry_of(result, "One tablet a day")
    assert (entry.msgstr, entry.fuzzy) == ("ES One tablet a day", True)
    assert {key: translation(entry) for key, entry in obsolete(result.catalog).items()} == {
        (None, "One tablet each day with food"): {0: "ES One tablet a day", 1: "ES {n} tablets a day"}
    }, "the singular holds one form: the other lives on in the obsolete entry"


def test_a_text_translated_again_between_two_edits_comes_back_with_its_nearest_edits_translation() -> None:
    # Edited once while its translation was ES1, translated again (ES2), edited again: nothing in the file says
    # which pair is newer, and the latest, smallest edit is nearest the text.
    far = "Please bring a written list of all the medicines, vitamins and herbal remedies you take."
    near = "Bring a list of your medicines to every visit."
    old = parse(
        PO_HEADER + f'\n#, fuzzy\n#| msgid "{MEDICINES}"\nmsgid "{far}"\nmsgstr "ES1 {MEDICINES}"\n'
        f'\n#, fuzzy\n#| msgid "{MEDICINES}"\nmsgid "{near}"\nmsgstr "ES2 {MEDICINES}"\n'
    )
    result = merge_catalog(old, source_template([text(MEDICINES), text(far)]))
    assert translation(entry_of(result, MEDICINES)) == f"ES2 {MEDICINES}"
    assert translation(entry_of(result, far)) == f"ES1 {MEDICINES}", "the other edit keeps its own"
    assert not obsolete(result.catalog), "the nearer edit's pair is the restored entry now"


def test_a_text_comes_back_from_an_obsolete_entrys_previous_msgid_that_msgmerge_left() -> None:
    # msgmerge keeps a fuzzy entry that leaves the template as obsolete with its "#~|": plainleaf reads it.
    old = parse_catalog(
        PO_HEADER + f'\n#, fuzzy\n#~| msgid "{MEDICINES}"\n#~ msgid "{EDITED}"\n#~ msgstr "ES {MEDICINES}"\n'
        f'\nmsgid "{QUESTIONS}"\nmsgstr "ES {QUESTIONS}"\n'
    )
    result = merge_catalog(old, source_template([text(MEDICINES), text(QUESTIONS)]))
    entry = entry_of(result, MEDICINES)
    assert (entry.msgstr, entry.fuzzy) == (f"ES {MEDICINES}", True)
    assert not obsolete(result.catalog), "the obsolete entry's pair is the restored entry now"


# --- Never losing a translation, over random histories of a source -----------------------------------

WORDS = ["the", "trial", "drug", "dose", "week", "nurse", "tumor", "blood", "test", "scan", "may", "helps", "every"]
sentences = st.lists(st.sampled_from(WORDS), min_size=2, max_size=7).map(lambda words: " ".join(words) + ".")
positions = st.integers(min_value=0, max_value=10_000)


def template_of(source: list[str]) -> polib.POFile:
    """The template an extractor makes of a source: one entry per distinct sentence, in order."""
    template = parse(POT_HEADER)
    for sentence in dict.fromkeys(source):
        template.append(polib.POEntry(msgid=sentence, flags=["markdown-text"], occurrences=[("guide.md", "")]))
    return template


class SourceHistory(RuleBasedStateMachine):
    """A source edited at random, its catalog merged after every edit and worked on by a translator."""

    def __init__(self) -> None:
        super().__init__()
        self.source: list[str] = []
        self.gone: list[str] = []  # deleted or edited away: an author may bring them back
        self.catalog = init_catalog(template_of([]), "es")
        self.confirmed: set[tuple[str | None, str]] = set()
        self.translations = 0
        self.last: MergeResult | None = None

    def update(self) -> None:
        """Merge the current source, through a file written and read back as the pipeline does."""
        self.last = merge_catalog(self.catalog, template_of(self.source))
        self.catalog = parse(str(self.last.catalog))
        for name, count in self.last.counts().items():
            if count and name not in ("unchanged", "added"):
                event(f"a merge with {name} entries")

    def pick(self, entries: list[polib.POEntry], picks: set[int]) -> list[polib.POEntry]:
        """Some of ``entries``, chosen by ``picks``."""
        return [entries[index] for index in sorted({pick % len(entries) for pick in picks})] if entries else []

    @initialize(source=st.lists(sentences, min_size=1, max_size=8), translated=st.booleans())
    def start(self, source: list[str], translated: bool) -> None:
        self.source = source
        self.update()
        if translated:
            self.translate(set(range(len(source))))

    @rule(sentence=sentences, where=positions)
    def insert(self, sentence: str, where: int) -> None:
        self.source.insert(where % (len(self.source) + 1), sentence)
        self.update()

    @precondition(lambda self: self.gone)
    @rule(pick=positions, where=positions)
    def restore(self, pick: int, where: int) -> None:
        self.insert(self.gone[pick % len(self.gone)], where)

    @precondition(lambda self: self.source)
    @rule(where=positions)
    def delete(self, where: int) -> None:
        self.gone.append(self.source.pop(where % len(self.source)))
        self.update()

    @precondition(lambda self: self.source)
    @rule(where=positions, at=positions, word=st.sampled_from(WORDS), replace=st.booleans())
    def edit(self, where: int, at: int, word: str, replace: bool) -> None:
        index = where % len(self.source)
        words = self.source[index].removesuffix(".").split(" ")
        if replace:
            words[at % len(words)] = word
        else:
            words.insert(at % (len(words) + 1), word)
        self.gone.append(self.source[index])
        self.source[index] = " ".join(words) + "."
        self.update()

    @precondition(lambda self: len(self.source) > 1)
    @rule(where=positions, to=positions)
    def move(self, where: int, to: int) -> None:
        sentence = self.source.pop(where % len(self.source))
        self.source.insert(to % (len(self.source) + 1), sentence)
        self.update()

    @rule(picks=st.sets(positions, max_size=4))
    def translate(self, picks: set[int]) -> None:
        for entry in self.pick(self.catalog.untranslated_entries(), picks):
            self.translations += 1
            entry.msgstr = f"ES{self.translations} {entry.msgid}"
            self.confirmed.add((entry.msgid, entry.msgstr))

    @rule(picks=st.sets(positions, max_size=4), retranslate=st.booleans())
    def review(self, picks: set[int], retranslate: bool) -> None:
        for entry in self.pick(self.catalog.fuzzy_entries(), picks):
            # The text the msgstr was written for: its "#|", or with none (restored from an obsolete entry,
            # whose "#~|" polib does not read) the entry's own msgid.
            written_for = entry.msgid if entry.previous_msgid is None else entry.previous_msgid
            superseded = (written_for, entry.msgstr)
            if retranslate:
                self.translations += 1
                entry.msgstr = f"ES{self.translations} {entry.msgid}"
            entry.flags.remove("fuzzy")
            entry.previous_msgctxt = entry.previous_msgid = entry.previous_msgid_plural = None
            self.confirmed.add((entry.msgid, entry.msgstr))
            # As with msgmerge, an old text lives on in its match's "#|" only: the translator who reviews the
            # match replaces it on purpose. Nothing the merge did is excused: the pair counts while any entry holds
            # it, unless it is this very msgid's translation the translator just replaced (a copy left in
            # another entry's "#|" is stale).
            replaced = superseded != (entry.msgid, entry.msgstr) and written_for == entry.msgid
            if replaced or superseded not in self.pairs():
                self.confirmed.discard(superseded)

    def pairs(self) -> set[tuple[str | None, str]]:
        """Every (msgid, msgstr) the catalog holds, a fuzzy entry's previous msgid with its msgstr included."""
        kept: set[tuple[str | None, str]] = set()
        for entry in self.catalog:
            kept.add((entry.msgid, entry.msgstr))
            if entry.fuzzy and not entry.obsolete and entry.previous_msgid is not None:
                kept.add((entry.previous_msgid, entry.msgstr))
        return kept

    @invariant()
    def no_confirmed_translation_is_lost(self) -> None:
        kept = self.pairs()
        assert self.confirmed <= kept, self.confirmed - kept

    @invariant()
    def only_confirmed_translations_count_as_translated(self) -> None:
        for entry in self.catalog.translated_entries():
            assert not entry.fuzzy
            assert (entry.msgid, entry.msgstr) in self.confirmed, "a stale translation passes for a confirmed one"
        for entry in self.catalog.fuzzy_entries():
            assert not entry.translated()

    @invariant()
    def catalog_follows_the_source(self) -> None:
        assert [entry.msgid for entry in self.catalog if not entry.obsolete] == list(dict.fromkeys(self.source))
        keys = [(entry.msgctxt, entry.msgid) for entry in self.catalog]
        assert len(keys) == len(set(keys)), "a valid PO file defines every message once"
        if self.last is not None:
            result = self.last
            assert result.unchanged + result.added + result.fuzzy + result.resurrected == len(set(self.source))


SourceHistory.TestCase.settings = settings(
    max_examples=100,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_merge_never_loses_a_translation = SourceHistory.TestCase


# --- Speed ----------------------------------------------------------------------------------------------


def test_four_locales_of_the_guide_merge_well_under_a_second() -> None:
    text = SEED.read_text(encoding="utf-8")
    source = list(dict.fromkeys(s for s in re.split(r"(?<=[.!?])\s+|\n+", text) if len(s.split()) > 2))
    assert len(source) > 150, "the guide gives a realistic catalog"
    # The worst case: every sentence edited, so every entry needs a fuzzy search.
    edited = template_of([f"{sentence} Ask your care team." for sentence in source])
    catalogs = []
    for locale in ("es", "zh_Hans", "vi", "ar"):
        catalog = init_catalog(template_of(source), locale)
        for entry in catalog:
            entry.msgstr = f"[{locale}] {entry.msgid}"
        catalogs.append(catalog)
    start = time.perf_counter()
    results = [merge_catalog(catalog, edited) for catalog in catalogs]
    elapsed = time.perf_counter() - start
    assert elapsed < 1.0, f"{elapsed:.2f} s"
    assert all(result.fuzzy == len(source) and result.obsolete == 0 for result in results)

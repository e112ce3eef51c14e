"""Meaning checks: every edit of the mutation set (tests/data/mutations/) is caught, every shipped entry and every
faithful paraphrase of one (tests/data/paraphrases/) is quiet.

Each mutation starts from a real shipped entry of ``guide.po`` and changes what it claims in that language's own
words. The entry is checked inside its whole catalog (the wrong-entry check compares entries), and the mutation
counts as caught when an error names that entry. A paraphrase says the same in other words (synonyms, another
order, natural rewording): it must raise neither error nor warning on its entry, so that a check that catches more
does not do it by crying wolf. The catch rate per language and per kind, and the paraphrases that raise an alarm,
are printed by ``python tests/test_meaning.py``.
"""

# Full-width punctuation and Traditional characters are the point of these tests.
# ruff: noqa: RUF001

from __future__ import annotations

import tomllib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import polib
import pytest

from pipeline.catalogs.qa import check_catalog, load_terms
from pipeline.catalogs.qa.meaning import marker_table, normalise, phase_numerals, roman_value
from pipeline.errors import Severity

ROOT = Path(__file__).parent.parent
MUTATIONS = Path(__file__).parent / "data" / "mutations"
PARAPHRASES = Path(__file__).parent / "data" / "paraphrases"
TERMS = load_terms(ROOT / "source" / "do-not-translate.txt")


@dataclass(frozen=True)
class Mutation:
    """One edit of one shipped entry."""

    locale: str
    """The catalog's locale."""
    kind: str
    """What the edit does to the meaning (``hedge-removed``)."""
    entry: str
    """The start of the entry's msgid."""
    replace: tuple[tuple[str, str], ...] = ()
    """Edits of the msgstr: (old, new), each old text found once."""
    paste: str = ""
    """Start of another entry's msgid whose msgstr is pasted in."""
    msgstr: str = ""
    """A whole new msgstr."""
    known_miss: str = ""
    """Why the checks cannot catch it yet (a documented limit): the test then expects the miss."""


def _items(folder: Path, table: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each ``[[table]]`` item of the TOML files of ``folder``, with the locale its file names."""
    for path in sorted(folder.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for item in data[table]:
            yield data["locale"], item


def _replace(item: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    return tuple((old, new) for old, new in item.get("replace", []))


def load_mutations() -> list[Mutation]:
    return [
        Mutation(locale, item["kind"], item["entry"], _replace(item), item.get("paste", ""), item.get("msgstr", ""),
                 item.get("known_miss", ""))
        for locale, item in _items(MUTATIONS, "mutation")
    ]  # fmt: skip


@dataclass(frozen=True)
class Paraphrase:
    """A faithful rewording of one shipped entry: what it claims is unchanged."""

    locale: str
    """The catalog's locale."""
    entry: str
    """The start of the entry's msgid."""
    replace: tuple[tuple[str, str], ...] = ()
    """Edits of the msgstr: (old, new), each old text found once."""
    msgstr: str = ""
    """A whole new msgstr."""
    known_alarm: str = ""
    """Why the checks cannot yet tell it from a change of meaning (a documented limit): the test then expects it."""


def load_paraphrases() -> list[Paraphrase]:
    return [
        Paraphrase(locale, item["entry"], _replace(item), item.get("msgstr", ""), item.get("known_alarm", ""))
        for locale, item in _items(PARAPHRASES, "paraphrase")
    ]


@cache
def shipped(locale: str) -> str:
    return (ROOT / "locales" / locale / "LC_MESSAGES" / "guide.po").read_text(encoding="utf-8")


def find(catalog: polib.POFile, start: str) -> polib.POEntry:
    entries = [e for e in catalog if e.msgid.startswith(start) and not e.obsolete]
    assert len(entries) == 1, f"{start!r} names {len(entries)} entries"
    return entries[0]


def mutated(mutation: Mutation | Paraphrase) -> tuple[polib.POFile, polib.POEntry]:
    catalog = polib.pofile(shipped(mutation.locale))
    entry = find(catalog, mutation.entry)
    if mutation.msgstr:
        entry.msgstr = mutation.msgstr
    elif isinstance(mutation, Mutation) and mutation.paste:
        entry.msgstr = find(catalog, mutation.paste).msgstr
    for old, new in mutation.replace:
        assert entry.msgstr.count(old) == 1, f"{old!r} is not once in {entry.msgstr!r}"
        entry.msgstr = entry.msgstr.replace(old, new)
    return catalog, entry


def errors_on(catalog: polib.POFile, entry: polib.POEntry, locale: str) -> list[str]:
    path = f"locales/{locale}/LC_MESSAGES/guide.po"
    found = check_catalog(catalog, path, locale, TERMS)
    return [str(f) for f in found if f.line == entry.linenum and f.severity is Severity.ERROR]


@cache
def shipped_catalog(locale: str) -> polib.POFile:
    """The shipped ``guide.po`` of ``locale``, parsed once per worker: read, never changed."""
    return polib.pofile(shipped(locale))


@cache
def shipped_errors(locale: str) -> dict[int, list[str]]:
    """The errors of the shipped ``guide.po`` of ``locale`` by line, checked once per worker: each of the 220
    mutation tests asks whether its entry is quiet in the unchanged catalog, and checking that whole catalog again
    for each cost 14 of this file's 30 CPU-seconds."""
    path = f"locales/{locale}/LC_MESSAGES/guide.po"
    found: dict[int, list[str]] = {}
    for finding in check_catalog(shipped_catalog(locale), path, locale, TERMS):
        if finding.severity is Severity.ERROR:
            found.setdefault(finding.line, []).append(str(finding))
    return found


def alarms_on(catalog: polib.POFile, entry: polib.POEntry, locale: str) -> list[str]:
    """Errors and warnings on one entry: what a reviewer would be sent to look at."""
    path = f"locales/{locale}/LC_MESSAGES/guide.po"
    found = check_catalog(catalog, path, locale, TERMS)
    return [str(f) for f in found if f.line == entry.linenum and f.severity in (Severity.ERROR, Severity.WARNING)]


MUTATION_SET = load_mutations()
PARAPHRASE_SET = load_paraphrases()
CATCH_RATE = 0.95
"""Share of the mutation set that must be caught, over all languages (the issue's held-out set asks 90 %)."""


@pytest.mark.parametrize(
    "mutation",
    [
        pytest.param(m, marks=pytest.mark.xfail(reason=m.known_miss, strict=True)) if m.known_miss else m
        for m in MUTATION_SET
    ],
    ids=[f"{m.locale}-{m.kind}-{i}" for i, m in enumerate(MUTATION_SET)],
)
def test_mutation_is_caught_and_the_shipped_entry_is_quiet(mutation: Mutation) -> None:
    line = find(shipped_catalog(mutation.locale), mutation.entry).linenum
    assert shipped_errors(mutation.locale).get(line, []) == []
    catalog, entry = mutated(mutation)
    assert errors_on(catalog, entry, mutation.locale), f"{mutation.kind} not caught: {entry.msgstr}"


@pytest.mark.parametrize(
    "paraphrase",
    [
        pytest.param(p, marks=pytest.mark.xfail(reason=p.known_alarm, strict=True)) if p.known_alarm else p
        for p in PARAPHRASE_SET
    ],
    ids=[f"{p.locale}-{i}" for i, p in enumerate(PARAPHRASE_SET)],
)
def test_a_faithful_paraphrase_is_quiet(paraphrase: Paraphrase) -> None:
    catalog, entry = mutated(paraphrase)
    assert entry.msgstr != find(shipped_catalog(paraphrase.locale), paraphrase.entry).msgstr
    assert alarms_on(catalog, entry, paraphrase.locale) == [], entry.msgstr


def test_paraphrases_cover_every_shipped_language_and_known_alarms_stay_few() -> None:
    per_locale = Counter(p.locale for p in PARAPHRASE_SET)
    assert all(per_locale[locale] >= 15 for locale in ("es", "vi", "zh_Hans", "ar")), per_locale
    assert sum(1 for p in PARAPHRASE_SET if p.known_alarm) / len(PARAPHRASE_SET) <= 0.1


def test_known_misses_stay_few() -> None:
    misses = [m for m in MUTATION_SET if m.known_miss]
    assert 1 - len(misses) / len(MUTATION_SET) >= CATCH_RATE


def test_the_set_covers_every_kind_in_every_shipped_language() -> None:
    kinds = Counter((m.locale, m.kind) for m in MUTATION_SET)
    wanted = {
        "unit-changed", "phase-numeral", "hedge-removed", "hedge-made-certain", "negation-removed",
        "quantifier-changed", "only-dropped", "direction-flipped", "severity-softened", "sentence-dropped",
        "sentences-merged", "sentence-added", "sentence-duplicated", "list-item-dropped", "number-added",
        "phone-added", "question-to-statement", "steps-swapped", "wrong-entry", "wrong-language",
    }  # fmt: skip
    for locale in ("es", "vi", "zh_Hans", "ar"):
        assert wanted <= {kind for loc, kind in kinds if loc == locale}, locale
    assert ("zh_Hans", "traditional-characters") in kinds


def test_a_translator_note_makes_a_merge_a_note_for_the_reviewer() -> None:
    catalog = polib.pofile(shipped("es"))
    entry = find(catalog, "Pancreatic cancer has historically")
    entry.msgstr = entry.msgstr.replace("avanzar. Significa", "avanzar, sino")
    assert any("[sentences]" in error for error in errors_on(catalog, entry, "es"))
    entry.tcomment = "plainleaf: merge 2"
    found = check_catalog(catalog, "guide.po", "es", TERMS)
    notes = [f for f in found if f.line == entry.linenum]
    assert [(f.check, f.severity) for f in notes] == [("sentences", Severity.INFO)]
    entry.tcomment = "plainleaf: merge 1"  # the note says how many: a further sentence dropped is still an error
    assert any("[sentences]" in error for error in errors_on(catalog, entry, "es"))


def test_a_language_without_a_table_is_named_as_not_checked() -> None:
    catalog = polib.POFile()
    catalog.append(polib.POEntry(msgid="Ask your doctor.", msgstr="Fragen Sie Ihren Arzt.", linenum=3))
    found = check_catalog(catalog, "locales/de/LC_MESSAGES/guide.po", "de", TERMS)
    (meaning,) = [f for f in found if f.check == "meaning"]
    assert meaning.severity is Severity.LIMITATION
    assert "no meaning markers (markers/de.toml) for German (de)" in meaning.message
    assert all(f.severity is Severity.LIMITATION for f in found)  # nothing compared is nothing passed


def test_tables_match_each_language_by_its_own_segmentation() -> None:
    es, vi, zh, ar = (marker_table(locale) for locale in ("es", "vi", "zh_Hans", "ar"))
    assert es is not None and vi is not None and zh is not None and ar is not None
    assert es.count("No puede ser. No, nunca.")["negation"].sure == 2  # "no ... nunca" is one negation
    assert "negation" not in vi.count("Liệu pháp này có hiệu quả không?")  # the question particle negates nothing
    assert vi.count("Bạn không thể tham gia.")["negation"].sure == 1
    assert "negation" not in zh.count("不同的治疗在未来非常重要。")  # 不同, 未来, 非常 are no negations
    assert zh.count("这不是标准治疗，也没有获批。")["negation"].sure == 2
    assert ar.count("ولم يصبح بعد جزءًا")["negation"].sure == 1  # و attached to لم
    assert ar.count("لا يُقدَّم إلا في المراكز")["restriction"].sure == 1  # لا ... إلا is "only"
    assert "negation" not in ar.count("لا يُقدَّم إلا في المراكز")
    assert ar.count("لمدة شهورًا")["time.month"].sure == 1  # the accusative alef
    assert normalise("إِلَّا") == "الا"


def test_roman_numerals_and_phase_words_are_numbers() -> None:
    assert [roman_value(n) for n in ("i", "ii", "iii", "iv", "\u2162")] == [1, 2, 3, 4, 3]
    assert phase_numerals("Phase I/II trials and a phase III study", "en") == Counter({1: 1, 2: 1, 3: 1})
    assert phase_numerals("تبحث المرحلة الثانية", "ar") == Counter({2: 1})
    assert phase_numerals("III 期试验", "zh_Hans") == Counter({3: 1})
    assert phase_numerals("每一期的目的", "zh_Hans") == Counter()


def catch_rates() -> dict[str, tuple[int, int]]:
    """Caught and total mutations per language and per kind."""
    rates: dict[str, list[int]] = {}
    for mutation in MUTATION_SET:
        catalog, entry = mutated(mutation)
        caught = bool(errors_on(catalog, entry, mutation.locale))
        for key in (f"locale {mutation.locale}", f"kind {mutation.kind}", "all"):
            rates.setdefault(key, [0, 0])
            rates[key][0] += caught
            rates[key][1] += 1
    return {key: (caught, total) for key, (caught, total) in rates.items()}


if __name__ == "__main__":
    for key, (caught, total) in sorted(catch_rates().items()):
        print(f"{key:32} {caught:3}/{total:<3} {caught / total:6.0%}")
    for paraphrase in PARAPHRASE_SET:
        catalog, entry = mutated(paraphrase)
        for alarm in alarms_on(catalog, entry, paraphrase.locale):
            print(f"paraphrase alarm: {alarm}")

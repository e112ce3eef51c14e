"""Running the checks: a :class:`Checker` over a catalog's entries, catalog-wide checks, and the findings.

The checker turns each check's :class:`~pipeline.catalogs.qa.checks.Problem` into an :class:`EntryFinding` that
names the PO file, the line and the entry; a check whose language table is missing becomes one "not checked"
finding per catalog, naming the language.
"""

from __future__ import annotations

import gettext
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Final

import polib
from babel import UnknownLocaleError
from babel.messages.plurals import get_plural

from pipeline.catalogs.qa.checks import EntryCheck, Pair, Problem, default_checks
from pipeline.catalogs.qa.inline import analyse
from pipeline.catalogs.qa.meaning import check_catalog_meaning, meaning_checks
from pipeline.catalogs.qa.numbers import LocaleRules
from pipeline.catalogs.qa.terms import ProtectedTerms
from pipeline.errors import CatalogError, Severity
from pipeline.languages import languages

_DISPLAY_WIDTH: Final = 32


@dataclass(slots=True, frozen=True)
class EntryFinding:
    """One thing wrong with one translation, located in its PO file."""

    path: str
    """The PO file, as the user named it (``locales/es/LC_MESSAGES/guide.po``)."""
    line: int
    """Line where the entry starts in the PO file (polib's ``POEntry.linenum``)."""
    msgid: str
    """The entry's msgid, shortened for display."""
    check: str
    """Short id of the check that found it (``numbers``, ``terms``, ...)."""
    severity: Severity
    """Error, warning, or "not checked" (a check with no table for the catalog's language)."""
    message: str
    """What is wrong, phrased to end with "the translation" (``number 40 missing from the translation``)."""

    def __str__(self) -> str:
        return (
            f"{self.path}:{self.line}: {self.severity.value}: [{self.check}] {self.message} of \u201c{self.msgid}\u201d"
        )


def shorten(msgid: str, width: int = _DISPLAY_WIDTH) -> str:
    """A msgid cut at a word boundary, for naming the entry in a finding."""
    text = " ".join(msgid.split())
    if len(text) <= width:
        return text
    cut = text[:width].rsplit(" ", 1)[0] if " " in text[:width] else text[:width]
    return cut.rstrip(",.;:") + "\u2026"


_KEPT_PAIRS: Final = 1 << 16
"""Most results :class:`Checker` keeps per locale and term list (about 1 KB each)."""
_kept: dict[
    tuple[LocaleRules, ProtectedTerms, int], dict[tuple[EntryCheck, str, str, bool, str], tuple[Problem, ...]]
] = {}
"""What each check found in each pair, by the locale's rules, the terms and the language tables' generation
(:attr:`~pipeline.languages.Languages.generation`), then by check and pair (texts, single plural form, comment). A
check reads nothing but the pair and the language tables, so a pair met again with the same tables is not checked
again (results kept under older tables are dropped). Pairs come back within one process whenever a catalog is
checked again with a few entries changed: the meaning tests check a shipped catalog with one entry changed 520
times (39 CPU-seconds without this, 7.5 with it and the catalog-wide fingerprints kept too); a tool embedding the
checker re-checks after every save."""


@dataclass(slots=True)
class Checker:
    """Runs an ordered list of checks over the translated entries of one locale's catalogs."""

    rules: LocaleRules
    """Number notation and length band of the locale."""
    terms: ProtectedTerms
    """The do-not-translate list."""
    checks: list[EntryCheck] = field(default_factory=lambda: [*default_checks(), *meaning_checks()])
    """The registry: add, remove or reorder checks here."""
    single_forms: frozenset[int] | None = None
    """Plural forms that cover exactly one number; None until known (then CLDR's rule for the locale is used)."""
    plural_count: int | None = None
    """How many plural forms the catalog's header declares; a form beyond them is reported once, as a plural-forms
    error, not compared again by every check."""
    kept: dict[tuple[EntryCheck, str, str, bool, str], tuple[Problem, ...]] = field(init=False)
    """This locale's and term list's share of :data:`_kept`."""

    def __post_init__(self) -> None:
        generation = languages().generation
        for stale in [key for key in _kept if key[2] != generation]:  # kept under tables no longer in use
            del _kept[stale]
        self.kept = _kept.setdefault((self.rules, self.terms, generation), {})

    def check_entry(self, entry: polib.POEntry, path: str) -> list[EntryFinding]:
        """Every finding for one entry; untranslated, fuzzy and obsolete entries have none."""
        if not entry.msgid or entry.obsolete or entry.fuzzy or not entry.translated():
            return []
        forms: list[tuple[int | None, str, str]]
        if entry.msgid_plural:
            forms = [
                (index, entry.msgid if index == 0 else entry.msgid_plural, text)
                for index, text in sorted(entry.msgstr_plural.items())
                if self.plural_count is None or index < self.plural_count
            ]
        else:
            forms = [(None, entry.msgid, entry.msgstr)]
        findings: list[EntryFinding] = []
        display = shorten(entry.msgid)
        if self.single_forms is None:
            self.single_forms = single_number_forms("", str(self.rules.locale))
        for index, source, translation in forms:
            single = index is not None and index in self.single_forms
            comment = "\n".join([entry.tcomment or "", *entry.flags])
            pair = Pair(analyse(source), analyse(translation), self.rules, self.terms, single, comment)
            prefix = "" if index is None else f"msgstr[{index}]: "
            for check in self.checks:
                key = (check, source, translation, single, comment)
                problems = self.kept.get(key)
                if problems is None:
                    if len(self.kept) >= _KEPT_PAIRS:
                        self.kept.clear()
                    problems = self.kept[key] = tuple(check.run(pair))
                findings.extend(
                    EntryFinding(
                        path=path,
                        line=entry.linenum or 0,
                        msgid=display,
                        check=check.name,
                        severity=problem.severity,
                        message=prefix + problem.message,
                    )
                    for problem in problems
                )
        return findings

    def check_catalog(self, catalog: polib.POFile, path: str) -> list[EntryFinding]:
        """Every finding for every entry of a catalog, in file order, after what could not be checked at all."""
        self.single_forms = single_number_forms(catalog.metadata.get("Plural-Forms", ""), str(self.rules.locale))
        declared = re.search(r"nplurals\s*=\s*(\d+)", catalog.metadata.get("Plural-Forms", ""))
        self.plural_count = int(declared[1]) if declared else None
        return self.not_checked(catalog, path) + [
            finding for entry in catalog for finding in self.check_entry(entry, path)
        ]

    def not_checked(self, catalog: polib.POFile, path: str) -> list[EntryFinding]:
        """One "not checked" finding per check that has no table for the catalog's language, naming the language:
        a check that cannot compare is never a silent pass."""
        locale = self.rules.locale
        language = languages().for_subtag(locale.language) or languages().get(str(locale))
        return [
            EntryFinding(
                path,
                _header_line(catalog),
                "every entry",
                check.name,
                Severity.LIMITATION,
                language.not_checked(check.needs) + ": not compared in the translation",
            )
            for check in self.checks
            if check.not_checked(language)
        ]


_PLURAL_FORMS = re.compile(r"^\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?);?\s*$")


def _header_line(catalog: polib.POFile) -> int:
    header = next((entry for entry in catalog if entry.msgid == "" and not entry.msgctxt), None)
    return int(header.linenum) if header is not None and header.linenum else 1


_PLURAL_SAMPLE: Final = range(1001)


@lru_cache(maxsize=64)
def single_number_forms(plural_forms: str, locale: str) -> frozenset[int]:
    """Indexes of the plural forms that exactly one n of 0-1000 selects, by the header (else CLDR's rule)."""
    match = _PLURAL_FORMS.match(plural_forms)
    expression = match.group(2) if match else None
    if expression is None:
        try:
            expression = get_plural(locale).plural_expr
        except (UnknownLocaleError, ValueError):
            return frozenset()
    try:
        choose = gettext.c2py(expression)
    except (ValueError, SyntaxError):
        return frozenset()
    chosen = Counter(choose(n) for n in _PLURAL_SAMPLE)
    return frozenset(form for form, times in chosen.items() if times == 1)


def check_plural_forms(catalog: polib.POFile, path: str, locale: str) -> list[EntryFinding]:
    """The Plural-Forms header parses, and every plural entry has exactly nplurals forms (msgfmt's rules)."""
    plurals = [entry for entry in catalog if entry.msgid_plural and not entry.obsolete]
    forms = catalog.metadata.get("Plural-Forms", "")
    if not plurals and not forms:
        return []
    header = _header_line(catalog)
    shown = f"Plural-Forms: {forms}"
    match = _PLURAL_FORMS.match(forms)
    error = Severity.ERROR
    if not match:
        return [EntryFinding(path, header, shown, "plural-forms", error, "cannot read the header line")]
    try:
        gettext.c2py(match.group(2))
    except (ValueError, SyntaxError):
        return [
            EntryFinding(path, header, shown, "plural-forms", error, "invalid plural expression in the header line")
        ]
    count = int(match.group(1))
    findings = []
    try:
        expected = get_plural(locale).num_plurals
    except (UnknownLocaleError, ValueError):
        expected = None
    if expected and expected != count:
        message = f"CLDR has {expected} plural forms for {locale}, not {count}: check the header line"
        findings.append(EntryFinding(path, header, shown, "plural-forms", Severity.WARNING, message))
    for entry in plurals:
        if any(entry.msgstr_plural.values()) and len(entry.msgstr_plural) != count:
            message = f"{len(entry.msgstr_plural)} plural forms where the header says {count}, in the translation"
            findings.append(
                EntryFinding(path, entry.linenum or header, shorten(entry.msgid), "plural-forms", error, message)
            )
    return findings


def check_catalog(catalog: polib.POFile, path: str, locale: str, terms: Sequence[str]) -> list[EntryFinding]:
    """EntryCheck one translator's PO file against its msgids; collect every finding."""
    try:
        rules = LocaleRules.for_locale(locale)
    except (UnknownLocaleError, ValueError) as exc:
        raise CatalogError(f"unknown locale {locale!r}: {exc}", path) from exc
    findings = check_plural_forms(catalog, path, locale)
    protected = ProtectedTerms.from_terms(terms)
    findings += Checker(rules, protected).check_catalog(catalog, path)
    for entry, check, problem in check_catalog_meaning(catalog, locale, protected, rules):
        line, shown = (entry.linenum or 0, shorten(entry.msgid)) if entry else (_header_line(catalog), "every entry")
        findings.append(EntryFinding(path, line, shown, check, problem.severity, problem.message))
    return findings


def check_consistency(catalogs: Sequence[tuple[str, polib.POFile]]) -> list[EntryFinding]:
    """The same msgid (and msgctxt) translated differently in two catalogs of one locale (Weblate's "consistency").

    ``catalogs`` are (shown path, catalog) pairs of one locale, in domain order; the finding is reported on each
    later entry that differs from the first confirmed translation, naming where that one is.
    """
    first: dict[tuple[str | None, str], tuple[str, int, tuple[str, ...]]] = {}
    findings: list[EntryFinding] = []
    for path, catalog in catalogs:
        for entry in catalog:
            if not entry.msgid or entry.obsolete or entry.fuzzy or not entry.translated():
                continue
            forms = tuple(text for _, text in sorted(entry.msgstr_plural.items())) or (entry.msgstr,)
            key = (entry.msgctxt, entry.msgid)
            seen = first.setdefault(key, (path, entry.linenum or 0, forms))
            if seen[0] != path and seen[2] != forms:
                findings.append(
                    EntryFinding(
                        path,
                        entry.linenum or 0,
                        shorten(entry.msgid),
                        "consistency",
                        Severity.WARNING,
                        f"translated differently in {seen[0]}:{seen[1]}; one of the two is not the translation",
                    )
                )
    return findings


def check_completeness(catalog: polib.POFile, path: str) -> list[EntryFinding]:
    """Fuzzy and untranslated entries, as warnings (``check --strict``): a catalog with them is not finished."""
    findings = []
    for entry in catalog:
        if not entry.msgid or entry.obsolete:
            continue
        if entry.fuzzy:
            check, message = "fuzzy", "marked fuzzy: needs review before it is used, so it is not in the translation"
        elif not entry.translated():
            check, message = "untranslated", "no translation yet: English is shown instead of the translation"
        else:
            continue
        findings.append(EntryFinding(path, entry.linenum or 0, shorten(entry.msgid), check, Severity.WARNING, message))
    return findings

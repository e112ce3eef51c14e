"""The entry checks: each inspects one source/translation :class:`Pair` and yields every :class:`Problem` it sees.

Checks that need a per-language table (number words, negation) read it from :mod:`pipeline.languages`; where the
language has none they stay quiet here and the runner reports the language "not checked" once per catalog.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from pipeline.catalogs.qa.inline import HIDDEN, InlineText
from pipeline.catalogs.qa.numbers import (
    SOURCE_LANGUAGE,
    SOURCE_NUMBER,
    LocaleRules,
    number_words_in,
    shown_number,
    source_numbers,
)
from pipeline.catalogs.qa.terms import ProtectedTerms
from pipeline.errors import Severity
from pipeline.languages import Language, languages
from pipeline.languages.defaults import DEFAULT_SENTENCE_ALLOWANCE
from pipeline.languages.segmentation import TERMINATORS, split_rules


@dataclass(slots=True, frozen=True)
class Problem:
    """What a check reports about one source/translation pair, before it is located."""

    severity: Severity
    """Error or warning."""
    message: str
    """What is wrong; becomes :attr:`EntryFinding.message`."""


@dataclass(slots=True, frozen=True)
class Pair:
    """What every check receives: one source text, its translation and the locale's rules."""

    source: InlineText
    """The msgid (or msgid_plural for plural forms after the first)."""
    translation: InlineText
    """The msgstr or one msgstr[n]."""
    rules: LocaleRules
    """Number symbols and length band of the catalog's locale."""
    terms: ProtectedTerms
    """The do-not-translate list."""
    single_number: bool = False
    """True for a plural form that covers exactly one number (Arabic's dual n==2, the n==1 form): it may leave
    out the number's placeholder, as ``msgfmt --check-format`` allows ("دقيقتان", two minutes)."""
    comment: str = ""
    """The entry's translator comments and flags: ``plainleaf: merge 2`` there marks a deliberate sentence merge."""


CheckFunction = Callable[[Pair], Iterable[Problem]]


def _error(message: str) -> Problem:
    return Problem(Severity.ERROR, message)


def _describe(placeholder: str) -> str:
    return f"link {placeholder}" if placeholder.startswith("[") else f"placeholder {placeholder}"


def _kind(placeholder: str) -> str:
    """``link``, ``atom`` (``{N}``) or ``named`` (``{minutes}``): one lost and one gained of a kind is a renumbering."""
    if placeholder.startswith("["):
        return "link"
    return "atom" if placeholder[1].isdigit() else "named"


def check_placeholders(pair: Pair) -> Iterator[Problem]:
    """Links ``[..][N]``, atoms ``{N}`` and ``{name}`` must all survive, once each, any order."""
    if sorted(pair.source.placeholders) == sorted(pair.translation.placeholders) and not pair.translation.orphan_refs:
        return
    source = Counter(pair.source.placeholders)
    translation = Counter(pair.translation.placeholders + pair.translation.orphan_refs)
    missing = sorted((source - translation).elements())
    extra = sorted((translation - source).elements())
    if pair.single_number and not any(_kind(p) == "named" for p in extra):
        # msgfmt's rule (gettext format-python-brace.c via format.c, "plural form that covers one number"):
        # the number may be implied by the words, so a named placeholder may be left out, never renamed.
        missing = [p for p in missing if _kind(p) != "named"]
    for orphan in pair.translation.orphan_refs:
        yield _error(f"link {orphan} lost its opening [ in the translation")
    for kind in ("link", "atom", "named"):
        gone = [p for p in missing if _kind(p) == kind]
        added = [p for p in extra if _kind(p) == kind]
        verb = "renamed" if kind == "named" else "renumbered"
        for old, new in zip(gone, added, strict=False):
            yield _error(f"{_describe(old)} {verb} to {new} in the translation")
        for old in gone[len(added) :]:
            yield _error(f"{_describe(old)} missing from the translation")
        for new in added[len(gone) :]:
            verb = "duplicated in" if new in source else "added by"
            yield _error(f"{_describe(new)} {verb} the translation")


def _count(count: int, noun: str, markup: str = "") -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}" + (f" ({markup})" if markup else "")


def check_markup(pair: Pair) -> Iterator[Problem]:
    """Emphasis, strong, code spans and line breaks must match; no marker may be left dangling."""
    source, translation = pair.source, pair.translation
    for noun, markup, before, after in (
        ("emphasis span", "*...*", source.emphasis, translation.emphasis),
        ("strong span", "**...**", source.strong, translation.strong),
    ):
        if before != after:
            yield _error(f"{_count(before, noun, markup)} in the source but {after} in the translation")
    if sorted(source.code) != sorted(translation.code):
        for code in sorted((Counter(source.code) - Counter(translation.code)).elements()):
            yield _error(f"code `{code}` (never translated) missing or changed in the translation")
        for code in sorted((Counter(translation.code) - Counter(source.code)).elements()):
            yield _error(f"code `{code}` added by the translation")
    strays = Counter(translation.strays) - Counter(source.strays) if translation.strays else Counter[str]()
    for run, times in sorted(strays.items()):
        yield _error(
            f"stray {run}{f' ({times} times)' if times > 1 else ''} left as literal text "
            "(a marker must touch the words it wraps, inside any punctuation) in the translation"
        )
    if source.hardbreaks != translation.hardbreaks:
        yield Problem(
            Severity.WARNING,
            f"{_count(source.hardbreaks, 'line break')} in the source but {translation.hardbreaks} in the translation",
        )


def check_unsafe_markup(pair: Pair) -> Iterator[Problem]:
    """A translation may add no HTML, URL, inline link or image: links come only via ``[..][N]``."""
    if not pair.translation.unsafe and not pair.translation.image_refs:
        return
    added = Counter(pair.translation.unsafe) - Counter(pair.source.unsafe)
    added.update(Counter(pair.translation.image_refs) - Counter(pair.source.image_refs))
    if added:
        items = ", ".join(item if item[0] != "!" else f"image {item}" for item in added)
        yield _error(f"{items} added by the translation")


def check_numbers(pair: Pair) -> Iterator[Problem]:
    """Every number of the msgid must appear in the msgstr, as written or in the locale's notation.

    Digits that became a number word of the language (2 as "dos") are a warning: the value is kept, but plain
    language writes numbers as digits (CDC Clear Communication Index, item 3.3). A number word of the msgid
    (``two``) needs its value in the msgstr, as a word or in digits; missing or changed, it is a warning, since
    number words also live in idioms ("one or two") that a good translation may render freely.
    """
    values, percents = pair.rules.numbers_in(pair.translation.digits)
    language = pair.rules.locale.language
    spelled: frozenset[int] | None = None
    for number in source_numbers(pair.source.prose):
        value = (number.integer, number.fraction)
        if value not in values:
            if spelled is None:
                spelled = number_words_in(pair.translation.prose, language)
            if not number.fraction and not number.percent and int(number.integer) in spelled and not number.word:
                yield Problem(
                    Severity.WARNING,
                    f"number {number.text} written as a word in the translation (keep the digits)",
                )
            else:
                yield _error(f"number {shown_number(number, pair.rules)} missing from the translation")
        elif number.percent and value not in percents:
            yield _error(f"percent sign of {shown_number(number, pair.rules)} missing from the translation")
    words = number_words_in(pair.source.prose, SOURCE_LANGUAGE)
    tables = languages().for_subtag(language)
    if not words or tables is None or tables.number_words is None:
        return  # the runner reports the language "not checked" once per catalog
    if spelled is None:
        spelled = number_words_in(pair.translation.prose, language)
    source_words = _source_language().number_words
    assert source_words is not None
    for word_value in sorted(words - tables.number_words.grammatical):
        if (str(word_value), "") not in values and word_value not in spelled:
            yield Problem(
                Severity.WARNING,
                f'number "{source_words.words[word_value][0]}" ({word_value}) missing or changed in the translation',
            )


def check_terms(pair: Pair) -> Iterator[Problem]:
    """Do-not-translate terms in the msgid must appear unchanged in the msgstr, as many times.

    One "KRAS" fewer is a mention lost (an error). More are no finding: a translation may repeat a name where
    English says "it" (the shipped Vietnamese handout and summary write "CAR-T" three times for one in English).
    """
    source = pair.terms.counted_in(pair.source.prose)
    if not source:
        return
    translation = pair.terms.counted_in(pair.translation.prose)
    for term, times in sorted(source.items()):
        found = translation[term]
        if not found:
            yield _error(f'term "{term}" missing or changed in the translation')
        elif found < times:
            yield _error(f'term "{term}" appears {times} times in the source but {found} in the translation')


def check_length(pair: Pair) -> Iterator[Problem]:
    """Warn when a translation is much shorter or longer than its language usually runs (its length band)."""
    if pair.source.length < 20:
        return
    ratio = pair.translation.length / pair.source.length
    low, high = pair.rules.length_band
    if not low <= ratio <= high:
        yield Problem(
            Severity.WARNING,
            f"length ratio {ratio:.2f} outside {low:.2f}\u2013{high:.2f} expected for "
            f"{pair.rules.script}: text may be missing or added in the translation",
        )


def check_identical(pair: Pair) -> Iterator[Problem]:
    """Warn when a msgid with words to translate was copied unchanged into the msgstr."""
    if pair.translation.raw != pair.source.raw or pair.rules.locale.language == SOURCE_LANGUAGE:
        return
    left = SOURCE_NUMBER.sub(HIDDEN, pair.terms.hide(pair.source.prose))
    if any(char.isalpha() for char in left):
        yield Problem(Severity.WARNING, "source text copied unchanged into the translation")


# --- sentences --------------------------------------------------------------------------


def _source_language() -> Language:
    return languages().get(SOURCE_LANGUAGE)


def sentence_count(prose: str, language: str) -> int:
    """Sentences of a text by the readability stage's splitter for ``language`` (:mod:`pipeline.languages`)."""
    return len(split_rules(languages().get(language)).split(prose))


def counted_by_meaning(pair: Pair) -> bool:
    """Whether the catalog's language has a meaning-marker table (``pipeline/languages/markers/``): the meaning
    checks then count negations and sentences strictly, and the presence checks here stand down."""
    return _has_markers(str(pair.rules.locale), pair.rules.locale.language)


@cache
def _has_markers(locale: str, subtag: str) -> bool:
    found = languages().get(locale).markers
    if found is None and subtag != "zh":  # Traditional Chinese is not read with the Simplified table
        language = languages().for_subtag(subtag)
        found = language.markers if language is not None else None
    return found is not None


def check_sentences(pair: Pair) -> Iterator[Problem]:
    """Warn when a translation has fewer sentences than its msgid beyond what joining sentences explains (for a
    language without a marker table; with one, :mod:`.meaning` asks for as many)."""
    if not any(char in TERMINATORS for char in pair.source.prose) or counted_by_meaning(pair):
        return
    language = pair.rules.locale.language
    source = sentence_count(pair.source.prose, SOURCE_LANGUAGE)
    if source < 2:
        return
    translation = sentence_count(pair.translation.prose, language)
    tables = languages().for_subtag(language)
    measured = tables.sentence_allowance if tables is not None else None
    allowance = DEFAULT_SENTENCE_ALLOWANCE if measured is None else measured
    if translation < source - allowance:
        yield Problem(
            Severity.WARNING,
            f"{source} sentences in the source but {translation} in the translation: a sentence may be missing "
            "from the translation",
        )


# --- negation --------------------------------------------------------------------------


@dataclass(slots=True, frozen=True)
class NegationMarkers:
    """How one language says "not": the words that negate, and the idioms that contain them without negating."""

    markers: re.Pattern[str]
    """Finds a negating word."""
    idioms: re.Pattern[str]
    """Finds phrases removed before :attr:`markers` is searched ("whether or not", a question particle)."""

    def negated(self, prose: str) -> bool:
        """Whether a text holds a negation outside the idioms."""
        return self.markers.search(self.idioms.sub(" ", prose)) is not None


@cache
def _markers(language: Language) -> NegationMarkers | None:
    """The compiled negation markers of a language, or None when it has none."""
    if language.negation is None:
        return None
    negation = language.negation
    return NegationMarkers(re.compile(negation.markers, re.IGNORECASE), re.compile(negation.idioms, re.IGNORECASE))


@cache
def _implicit(language: Language) -> re.Pattern[str] | None:
    """Words of the source language that negate without a negator (:attr:`Negation.implicit`)."""
    if language.negation is None or not language.negation.implicit:
        return None
    return re.compile(language.negation.implicit, re.IGNORECASE)


def check_negation(pair: Pair) -> Iterator[Problem]:
    """Warn when a negation of the msgid is missing from the msgstr, or the msgstr adds one (for a language without
    a marker table; with one, :mod:`.meaning` counts them)."""
    if counted_by_meaning(pair):
        return
    tables = languages().for_subtag(pair.rules.locale.language)
    translation_markers = _markers(tables) if tables is not None else None
    source_markers = _markers(_source_language())
    if translation_markers is None or source_markers is None:
        return  # the runner reports the language "not checked" once per catalog
    source = source_markers.negated(pair.source.prose)
    translation = translation_markers.negated(pair.translation.prose)
    implicit = _implicit(_source_language())
    if source and not translation:
        yield Problem(Severity.WARNING, "negation of the source (not, no, never ...) missing from the translation")
    elif translation and not source and not (implicit and implicit.search(pair.source.prose)):
        yield Problem(Severity.WARNING, "negation added by the translation: the source says no such thing")


# --- white space ---------------------------------------------------------------------------


def _edges(text: str) -> tuple[str, str]:
    return text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]


def check_whitespace(pair: Pair) -> Iterator[Problem]:
    """Double spaces and leading or trailing white space must be as in the msgid (pofilter's doublespacing,
    startwhitespace and endwhitespace)."""
    source, translation = pair.source.raw, pair.translation.raw
    if translation.count("  ") > source.count("  "):
        yield Problem(Severity.WARNING, "double space added by the translation")
    (source_start, source_end), (start, end) = _edges(source), _edges(translation)
    if start != source_start:
        yield Problem(Severity.WARNING, f"leading white space {start!r} differs from the source's in the translation")
    if end != source_end:
        yield Problem(Severity.WARNING, f"trailing white space {end!r} differs from the source's in the translation")


@dataclass(slots=True, frozen=True)
class EntryCheck:
    """One named check in a :class:`Checker`."""

    name: str
    """Short id shown in brackets, e.g. ``numbers``."""
    run: CheckFunction
    """Inspects one source/translation pair and yields every problem it sees."""
    table: str | None = None
    """The :class:`~pipeline.languages.Language` field the check needs (``negation``); a catalog whose language
    has it None gets one "not checked" finding instead of a silent pass."""
    needs: str = ""
    """What that table holds, for the "not checked" message (``negation markers``)."""

    def not_checked(self, language: Language) -> bool:
        """Whether this check cannot compare ``language`` (or the source language) for want of a table."""
        if self.table is None:
            return False
        return getattr(language, self.table) is None or getattr(_source_language(), self.table) is None


def default_checks() -> list[EntryCheck]:
    """The form checks, in reporting order; the runner adds the meaning checks (:mod:`.meaning`)."""
    return [
        EntryCheck("placeholders", check_placeholders),
        EntryCheck("markup", check_markup),
        EntryCheck("unsafe-markup", check_unsafe_markup),
        EntryCheck("numbers", check_numbers, "number_words", "number words"),
        EntryCheck("terms", check_terms),
        EntryCheck("length", check_length),
        EntryCheck("sentences", check_sentences),
        EntryCheck("negation", check_negation, "negation", "negation markers"),
        EntryCheck("whitespace", check_whitespace),
        EntryCheck("identical", check_identical),
    ]

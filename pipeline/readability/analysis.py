"""The readability stage: text units in, an :class:`~pipeline.readability.model.Analysis` out.

A pure function: it reads nothing but the package's own data files (glossaries, the syllable
list, the CMU dictionary and hyphenation dictionaries inside installed wheels) and never touches
the network.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.languages.segmentation import clause_count
from pipeline.readability.flags import AcronymTracker, Glossary, load_definitions, load_glossary
from pipeline.readability.languages import (
    COMPLEX_WORDS,
    LIST_ITEMS,
    PARAGRAPH_SENTENCES,
    LanguageProfile,
    resolve_language,
)
from pipeline.readability.model import (
    Analysis,
    BlockFlag,
    Counts,
    Excluded,
    Flag,
    ReadabilityError,
    Score,
    Section,
    Sentence,
    Target,
    TargetResult,
    TextUnit,
)
from pipeline.readability.syllables import arabic_letters, arabic_syllables
from pipeline.readability.words import HAN, is_acronym, is_number, letter_count, words

METADATA_KINDS = frozenset({"reading time", "front matter", "metadata"})
"""Unit kinds that describe the document rather than tell the reader something (the reading-time line)."""

LABEL_KINDS = frozenset({"label", "table header"})
"""Unit kinds that name what follows rather than say it."""

LABEL_WORDS = 2
"""A paragraph or list item of at most this many words ending in a colon (``Phone:``, ``Key points:``) is a label;
a longer one (``Ask your care team early:``) is a sentence that introduces a list, and is counted."""

SENTENCE_MEASURE_WORDS = 5
"""Shorter sentences get no per-sentence formula value: one or two words make it meaningless."""

_FASEEH_LETTERS = frozenset("\u0626\u0621\u0624\u0630\u0638")
"""Hamza on ya, hamza, hamza on waw, thal, DHa: OSMAN's markers of formal (faseeh) Arabic."""


@dataclass(slots=True, frozen=True)
class WordStats:
    """What the formulas need to know about one word, computed once per distinct word."""

    syllables: int
    """Syllables (OSMAN weighted syllables in Arabic)."""
    letters: int
    """Letters and digits."""
    complex: bool
    """Complex for the language, before the proper-noun exclusion (which depends on position)."""
    arabic_complex: bool = False
    """OSMAN complex word: more than four vowel marks."""
    faseeh: bool = False
    """OSMAN faseeh word: more than four syllables, with a faseeh letter or a -وا / -ون ending."""
    arabic_long: bool = False
    """OSMAN long word: more than five letters without diacritics."""
    diacritised: bool = False
    """Arabic word whose syllables were read from diacritics rather than estimated."""


def exclusion(unit: TextUnit, unspaced: bool = False) -> str | None:
    """Why ``unit`` is left out of the sentences and the formulas (``heading``, ``metadata``, ``label``), or None.

    Readability formulas were calibrated on running prose: counting each heading as a sentence of three or four
    words makes every text look easier than it reads (counted, the guide's 22 headings and its reading-time line
    took its Flesch-Kincaid grade from 13.8 down to 13.5)."""
    kind = unit.kind.lower()
    if kind.startswith("heading"):
        return "heading"
    if kind in METADATA_KINDS or kind.startswith("front matter"):
        return "metadata"
    if kind in LABEL_KINDS:
        return "label"
    text = unit.text.strip()
    if text.endswith((":", "\uff1a")) and len(words(text, unspaced)) <= LABEL_WORDS:
        return "label"
    return None


def _word_stats(word: str, profile: LanguageProfile) -> WordStats:
    letters = letter_count(word)
    plain = is_number(word) or is_acronym(word)
    if profile.arabic:
        syllables, marks, read = arabic_syllables(word)
        complex_word = marks > 4
        faseeh = syllables > 4 and (
            any(char in _FASEEH_LETTERS for char in word) or word.endswith(("\u0648\u0627", "\u0648\u0646"))
        )
        return WordStats(
            syllables, letters, complex_word, complex_word, faseeh, arabic_letters(word) > 5, read and marks > 0
        )
    syllables = profile.syllables(word) if profile.syllables else 0
    threshold = profile.complex_syllables
    complex_word = threshold is not None and syllables >= threshold and not plain
    if complex_word and profile.gunning_exclusions:
        complex_word = "-" not in word and not _inflected_only(word, profile)
    return WordStats(syllables, letters, complex_word)


def _inflected_only(word: str, profile: LanguageProfile) -> bool:
    """True when -es, -ed or -ing alone makes the word reach three syllables (Gunning: ``created``, ``trusting``)."""
    count = profile.syllables
    lower = word.lower()
    for ending in ("ing", "ed", "es"):
        if count is not None and lower.endswith(ending) and len(lower) > len(ending) + 2:
            stem = lower[: -len(ending)]
            return min(count(stem), count(stem + "e")) < 3
    return False


def _sentence(
    text: str,
    tokens: list[str],
    profile: LanguageProfile,
    cache: dict[str, WordStats],
) -> tuple[Counts, list[str]]:
    """Counts of one sentence, and its complex words as written."""
    counts = Counts(sentences=1, words=len(tokens), clauses=clause_count(text))
    complex_words: list[str] = []
    extra = counts.extra
    for position, token in enumerate(tokens):
        stats = cache.get(token)
        if stats is None:
            stats = cache[token] = _word_stats(token, profile)
        counts.syllables += stats.syllables
        counts.letters += stats.letters
        if stats.letters > 6:
            counts.long_words += 1
        if stats.syllables >= 3:
            counts.polysyllables += 1
        elif stats.syllables == 1:
            counts.monosyllables += 1
        complex_word = stats.complex
        if complex_word and profile.gunning_exclusions and position > 0 and token[0].isupper():
            complex_word = False  # a proper noun
        if complex_word:
            counts.complex_words += 1
            complex_words.append(token)
        if profile.arabic:
            extra["osman_complex_words"] = extra.get("osman_complex_words", 0) + stats.arabic_complex
            extra["faseeh_words"] = extra.get("faseeh_words", 0) + stats.faseeh
            extra["osman_long_words"] = extra.get("osman_long_words", 0) + stats.arabic_long
            extra["diacritised_words"] = extra.get("diacritised_words", 0) + stats.diacritised
    if profile.length_unit == "characters":
        extra["han_characters"] = len(HAN.findall(text))
    if counts.words > profile.long_sentence:
        counts.long_sentences = 1
    return counts, complex_words


def _flags(
    sentence: Sentence,
    tokens: list[str],
    complex_words: list[str],
    profile: LanguageProfile,
    glossary: Glossary | None,
    acronyms: AcronymTracker,
    defined: set[str],
) -> list[Flag]:
    """What to look at in one sentence; ``defined`` holds the glossary terms defined in it or the one before."""
    flags: list[Flag] = []
    if sentence.counts.words > profile.long_sentence:
        flags.append(
            Flag(
                "long-sentence",
                f"{sentence.counts.words} {profile.length_unit}; aim for {profile.long_sentence} or fewer",
            )
        )
    if profile.passive is not None:
        for phrase in profile.passive(tokens):
            flags.append(Flag("passive-voice", f"'{phrase}'; say who does what", phrase))
    unique = list(dict.fromkeys(complex_words))
    if len(complex_words) >= COMPLEX_WORDS:
        flags.append(
            Flag(
                "complex-words",
                f"{', '.join(unique)} ({len(complex_words)} words of {profile.complex_syllables} or more syllables); "
                "use shorter, everyday words where you can",
                ", ".join(unique),
            )
        )
    if glossary is not None:
        seen: set[str] = set()
        for written, key in glossary.find(sentence.text):
            if key not in seen and key not in defined:
                seen.add(key)
                flags.append(Flag("jargon", f"'{written}'; say '{glossary.terms[key]}'", written))
    flags.extend(acronyms.check(sentence.text, tokens))
    return flags


def _scores(counts: Counts, profile: LanguageProfile) -> list[Score]:
    caveat = None
    if profile.arabic:
        read = counts.extra.get("diacritised_words", 0)
        if read * 2 < counts.words:
            caveat = f"syllables estimated without diacritics for {counts.words - read} of {counts.words} words"
    return [
        formula.score(counts, formula.id in profile.calibrated, caveat if formula.id == "osman" else None)
        for formula in profile.formulas
    ]


def _block_flags(units: Sequence[TextUnit], sentences: list[Sentence]) -> list[BlockFlag]:
    per_unit: dict[int, int] = {}
    for sentence in sentences:
        per_unit[sentence.unit] = per_unit.get(sentence.unit, 0) + 1
    blocks: list[BlockFlag] = []
    run: list[int] = []

    def close_list() -> None:
        if len(run) > LIST_ITEMS:
            first = units[run[0]]
            reason = f"{len(run)} items; aim for {LIST_ITEMS} or fewer, or group them under subheadings"
            blocks.append(BlockFlag(run[0], len(run), first.kind, first.section, first.line, Flag("long-list", reason)))
        run.clear()

    for index, unit in enumerate(units):
        kind = unit.kind.lower()
        if kind.startswith("list"):
            if run and units[run[-1]].section != unit.section:
                close_list()
            run.append(index)
            continue
        if unit.text.strip():
            close_list()
        count = per_unit.get(index, 0)
        if "paragraph" in kind and count > PARAGRAPH_SENTENCES:
            reason = f"{count} sentences; aim for {PARAGRAPH_SENTENCES} or fewer per paragraph"
            blocks.append(BlockFlag(index, 1, unit.kind, unit.section, unit.line, Flag("long-paragraph", reason)))
    close_list()
    blocks.sort(key=lambda block: block.unit)
    return blocks


def _targets(scores: list[Score], targets: Sequence[Target]) -> list[TargetResult]:
    results: list[TargetResult] = []
    for target in targets:
        score = next((item for item in scores if item.id == target.formula), None)
        if score is None:
            results.append(TargetResult(target, None, None))
            continue
        passed = (target.maximum is None or score.value <= target.maximum) and (
            target.minimum is None or score.value >= target.minimum
        )
        results.append(TargetResult(target, score.value, passed))
    return results


def analyze(units: Sequence[TextUnit], language: str, targets: Sequence[Target] | None = None) -> Analysis:
    """How hard ``units`` are to read in ``language``: scores per document and section, flagged sentences and blocks.

    ``targets`` replaces the language's default targets (English: SMOG 8 or below). Raises
    :class:`ReadabilityError` for a language code that is not a CLDR locale, and for input with no words.
    """
    locale, profile = resolve_language(language)
    if not units:
        raise ReadabilityError("no text to analyse: no text units were given")
    if not any(unit.text.strip() for unit in units):
        raise ReadabilityError("no text to analyse: every text unit is empty", line=units[0].line)
    glossary = load_glossary(profile.glossary) if profile.glossary else None
    defined_before: set[str] = set()
    definitions = load_definitions(profile.code)
    acronyms = AcronymTracker(glossary.known_acronyms if glossary else frozenset(), set(), set(), definitions)
    unspaced = profile.length_unit == "characters"
    cache: dict[str, WordStats] = {}
    sentences: list[Sentence] = []
    excluded: list[Excluded] = []
    for index, unit in enumerate(units):
        reason = exclusion(unit, unspaced)
        if reason is not None:
            if unit.text.strip():
                excluded.append(Excluded(index, unit.text, unit.kind, unit.section, unit.line, reason))
            continue
        for text in profile.split.split(unit.text):
            tokens = words(text, unspaced)
            if not tokens:
                continue
            counts, complex_words = _sentence(text, tokens, profile, cache)
            sentence = Sentence(len(sentences), text, index, unit.kind, unit.section, unit.line, counts)
            if profile.sentence_formula is not None and counts.words >= SENTENCE_MEASURE_WORDS:
                sentence.measures[profile.sentence_formula.id] = profile.sentence_formula.compute(counts)
            defined_here = glossary.defined(text, definitions) if glossary is not None else set()
            defined = defined_here | defined_before
            sentence.flags = _flags(sentence, tokens, complex_words, profile, glossary, acronyms, defined)
            defined_before = defined_here
            sentences.append(sentence)
    if not sentences:
        raise ReadabilityError("no text to analyse: the text units contain no words", line=units[0].line)

    total = Counts()
    sections: dict[str, Section] = {}
    seen_units: set[int] = set()
    for sentence in sentences:
        first_of_unit = sentence.unit not in seen_units
        seen_units.add(sentence.unit)
        section = sections.get(sentence.section)
        if section is None:
            section = sections[sentence.section] = Section(sentence.section, sentence.line, Counts())
        for counts in (total, section.counts):
            counts.add(sentence.counts)
            counts.units += first_of_unit
    for section in sections.values():
        section.scores = _scores(section.counts, profile)
    scores = _scores(total, profile)
    return Analysis(
        language=language,
        locale=str(locale),
        language_name=locale.english_name or locale.language,
        validated=profile.validated,
        note=profile.note,
        length_unit=profile.length_unit,
        thresholds={
            "long_sentence": profile.long_sentence,
            "complex_word_syllables": profile.complex_syllables or 0,
            "complex_words": COMPLEX_WORDS,
            "paragraph_sentences": PARAGRAPH_SENTENCES,
            "list_items": LIST_ITEMS,
        },
        counts=total,
        scores=scores,
        sections=list(sections.values()),
        sentences=sentences,
        blocks=_block_flags(units, sentences),
        targets=_targets(scores, profile.targets if targets is None else targets),
        excluded=excluded,
    )

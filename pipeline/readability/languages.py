"""What the analysis does per language: splitting rules, syllables, formulas, flags, targets.

The facts come from each language's file in :mod:`pipeline.languages` (:class:`~pipeline.languages.ReadabilityFacts`);
this module turns them into readability's own objects (formulas, syllable counters, passive detectors).

Long-sentence thresholds (in the language's length unit):

======  =====  ==============================================================================
en      20     words; plain-language guidance for health materials (CDC Clear Communication
               Index, NIH "Clear & Simple": average 15-20 words)
es      25     words; Spanish sentences run longer for the same content (more function words)
fr      25     words; the same reasoning as Spanish
it      25     words; Gulpease counts on sentences being short, Italian plain-language
               guidance (Piemontese) asks for 20-25 words
pt      25     words; as Spanish
de      20     words; German runs shorter (compounds), plain-German guidance asks for 15-20
ar      25     words; Arabic clitics (و, ال, ب ...) make fewer, longer words than English
vi      30     syllables; Vietnamese writes syllables apart, about 1.5 per word
zh      40     characters; a common plain-Chinese guide line (about 25 English words)
other   25     words
======  =====  ==============================================================================

Complex words are English words of three or more syllables (Gunning's exclusions applied), four
or more in Spanish, Italian and Portuguese, whose words are longer on average (about two
syllables against 1.5), three in French and German, and, in Arabic, OSMAN's complex words (more
than four vowel marks, read or estimated). A sentence is flagged when it has three or more.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from babel import Locale, UnknownLocaleError

from pipeline.languages import Language, ReadabilityFacts, languages
from pipeline.languages.defaults import LIX_LANGUAGES, UNSPACED_LANGUAGES
from pipeline.languages.segmentation import SplitRules, split_rules
from pipeline.readability import formulas as f
from pipeline.readability.flags import PassiveDetector, english_passives, spanish_passives
from pipeline.readability.model import ReadabilityError, Target
from pipeline.readability.syllables import (
    SyllableCounter,
    english_syllables,
    pyphen_counter,
    spanish_syllables,
    unit_syllables,
)

__all__ = ["UNSPACED_LANGUAGES", "LanguageProfile", "language_profile", "resolve_language"]

PARAGRAPH_SENTENCES = 5
"""Paragraphs of more sentences than this are flagged."""
LIST_ITEMS = 7
"""Lists of more items than this are flagged."""
COMPLEX_WORDS = 3
"""Sentences with this many complex words or more are flagged."""


@dataclass(slots=True, frozen=True)
class LanguageProfile:
    """Everything the analysis needs to know about one language."""

    code: str
    """Language subtag (``en``, ``zh``)."""
    split: SplitRules
    """Sentence-splitting conventions."""
    length_unit: str = "words"
    """``words``, ``syllables`` (Vietnamese) or ``characters`` (unspaced scripts)."""
    syllables: SyllableCounter | None = None
    """Syllables of one word; None where no counter exists (syllables are then reported as 0)."""
    formulas: tuple[f.Formula, ...] = ()
    """Formulas and measures reported, in this order."""
    calibrated: frozenset[str] = frozenset()
    """Ids of the formulas published for this language."""
    sentence_formula: f.Formula | None = None
    """The formula also given per sentence, where a one-sentence value means something."""
    long_sentence: int = 25
    """Sentences longer than this (in :attr:`length_unit`) are flagged."""
    complex_syllables: int | None = None
    """Words of this many syllables or more are complex; None: no complex-word flag."""
    gunning_exclusions: bool = False
    """Apply Gunning's exclusions to complex words (English)."""
    arabic: bool = False
    """Count OSMAN's Arabic features."""
    passive: PassiveDetector | None = None
    """Passive-voice detector, where there is one."""
    glossary: str | None = None
    """Glossary file in ``data/``."""
    targets: tuple[Target, ...] = ()
    """Default reading-level targets."""
    validated: bool = False
    """True when at least one formula calibrated for the language is reported."""
    note: str | None = None
    """What the reviewer should know about the scores of this language."""


_FORMULAS: dict[str, f.Formula] = {
    formula.id: formula
    for formula in (
        f.FLESCH_KINCAID_GRADE, f.SMOG, f.FLESCH_READING_EASE, f.GUNNING_FOG, f.COLEMAN_LIAU, f.FERNANDEZ_HUERTA,
        f.SZIGRISZT_PAZOS, f.KANDEL_MOLES, f.WIENER_SACHTEXTFORMEL, f.GULPEASE, f.FLESCH_PORTUGUESE, f.OSMAN, f.LIX,
        f.RIX,
    )
}  # fmt: skip
"""Every formula a language file may name, by id."""
_PASSIVES: dict[str, PassiveDetector] = {"english": english_passives, "spanish": spanish_passives}
"""Passive-voice detectors a language file may name."""
_SYLLABLES: dict[str, Callable[[str], SyllableCounter | None]] = {
    "english": lambda code: english_syllables,
    "spanish": lambda code: spanish_syllables,
    "pyphen": pyphen_counter,
    "unit": lambda code: unit_syllables,
}
"""Syllable counters a language file may name, each made for a language subtag."""


def _profile(code: str, language: Language, facts: ReadabilityFacts) -> LanguageProfile:
    """The profile of a language from the facts of its file."""
    rules = split_rules(language)
    if facts.counted_in is not None:
        return _counted_in(code, rules, facts.counted_in, facts.long_sentence, facts.note or "")
    try:
        formulas = tuple(_FORMULAS[name] for name in facts.formulas)
        sentence = _FORMULAS[facts.sentence_formula] if facts.sentence_formula else None
        passive = _PASSIVES[facts.passive] if facts.passive else None
        syllables = _SYLLABLES[facts.syllables](code) if facts.syllables else None
    except KeyError as exc:
        raise ReadabilityError(f"{language.defined_in}: unknown readability name {exc} in {language.tag}") from exc
    return LanguageProfile(
        code,
        rules,
        syllables=syllables,
        formulas=formulas,
        calibrated=facts.calibrated,
        sentence_formula=sentence,
        long_sentence=facts.long_sentence,
        complex_syllables=facts.complex_syllables,
        gunning_exclusions=facts.gunning_exclusions,
        arabic=facts.arabic,
        passive=passive,
        glossary=facts.glossary,
        targets=tuple(Target(t.formula, minimum=t.minimum, maximum=t.maximum, source=t.source) for t in facts.targets),
        validated=facts.validated,
        note=facts.note,
    )


def _counted_in(code: str, rules: SplitRules, unit: str, long_sentence: int, note: str) -> LanguageProfile:
    """A language without a validated formula whose lengths are counted in ``unit`` (syllables or characters),
    not words: language-neutral measures only, and no grade."""
    return LanguageProfile(
        code,
        rules,
        length_unit=unit,
        syllables=unit_syllables,
        formulas=(
            f.average_sentence_length(unit),
            f.long_sentence_share(long_sentence, unit),
            f.AVERAGE_CLAUSES,
        ),
        long_sentence=long_sentence,
        note=note,
    )


@cache
def language_profile(code: str) -> LanguageProfile:
    """The profile of a language subtag: its own rules, or language-neutral measures for any other language."""
    language = languages().for_readability(code)
    if language is not None and language.readability is not None:
        return _profile(code, language, language.readability)
    # A language the package knows only from CLDR, or without a readability profile: its own splitting
    # conventions where it has a file, otherwise the neutral ones.
    if language is None:
        language = Language(code, code, "Zyyy")
    rules = split_rules(language)
    if code in UNSPACED_LANGUAGES:
        return _counted_in(
            code,
            rules,
            "characters",
            40,
            "No validated readability formula for this language here; no grade is given. Lengths are characters.",
        )
    calibrated = frozenset({"lix"}) if code in LIX_LANGUAGES else frozenset()
    return LanguageProfile(
        code,
        rules,
        syllables=pyphen_counter(code),
        formulas=(f.LIX, f.RIX, f.average_sentence_length("words"), f.long_sentence_share(25, "words")),
        calibrated=calibrated,
        long_sentence=25,
        validated=bool(calibrated),
        note=(
            "LIX was developed for Swedish and is used for the Scandinavian languages; it gives an index, not a grade."
            if calibrated
            else "No validated readability formula for this language here; no grade is given. LIX and RIX are "
            "language-neutral indices, shown for comparison only."
        ),
    )


def resolve_language(language: str) -> tuple[Locale, LanguageProfile]:
    """The CLDR locale and the profile for a language code such as ``en``, ``es_419``, ``zh-Hans``."""
    if not isinstance(language, str) or not language.strip():
        raise ReadabilityError("no language given: expected a language code such as 'en' or 'zh_Hans'")
    if language.strip().lower() in ("und", "root", "mul", "zxx"):
        raise ReadabilityError(f"language code {language!r} names no language: give the language of the text")
    try:
        locale = Locale.parse(language.strip().replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError) as exc:
        raise ReadabilityError(
            f"unknown language code {language!r}: not a CLDR locale (e.g. 'en', 'es', 'zh_Hans')"
        ) from exc
    if not locale.language or locale.language in ("root", "und"):
        raise ReadabilityError(f"language code {language!r} names no language")
    return locale, language_profile(locale.language)

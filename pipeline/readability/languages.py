"""What the analysis does per language: splitting rules, syllables, formulas, flags, targets.

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

from dataclasses import dataclass
from functools import cache

from babel import Locale, UnknownLocaleError

from pipeline.readability import formulas as f
from pipeline.readability.flags import PassiveDetector, english_passives, spanish_passives
from pipeline.readability.model import ReadabilityError, Target
from pipeline.readability.sentences import SplitRules
from pipeline.readability.syllables import (
    SyllableCounter,
    english_syllables,
    pyphen_counter,
    spanish_syllables,
    unit_syllables,
)

UNSPACED_LANGUAGES = frozenset({"zh", "ja", "yue", "wuu", "th", "lo", "km", "my", "bo"})
"""Languages written without spaces between words: measured in characters."""

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


def _rules(
    introducing: str = "",
    numeric: str = "",
    openers: str = "",
    *,
    ordinal_dot: bool = False,
    question_semicolon: bool = False,
) -> SplitRules:
    return SplitRules(
        introducing=frozenset(item.strip() for item in introducing.split("|") if item.strip()),
        numeric=frozenset(item.strip() for item in numeric.split("|") if item.strip()),
        openers=frozenset(openers.split()),
        ordinal_dot=ordinal_dot,
        question_semicolon=question_semicolon,
    )


SPLIT_RULES: dict[str, tuple[str, str, str]] = {
    "en": (
        "mr.|mrs.|ms.|dr.|prof.|st.|sr.|vs.|v.|e.g.|i.e.|cf.|approx.|dept.|gen.|gov.|rev.|capt.|sgt.|col.|lt.|mt."
        "|et al.|incl.|esp.|resp.|viz.",
        "fig.|figs.|no.|nos.|vol.|p.|pp.|ch.|sec.|ref.|eq.|tab.|art.",
        "The This That These Those It Its In A An We You They He She I Our Your Their If But And Some Most Many "
        "Each For When What How Why Who Where There Here As At On To With Ask Talk Call",
    ),
    "es": (
        "sr.|sra.|srta.|dr.|dra.|lic.|ing.|prof.|profa.|d.|dña.|ud.|uds.|vd.|vds.|p. ej.|p.ej.|aprox.|cf.|vs."
        "|dpto.|av.|avda.|admón.|et al.",
        "núm.|pág.|págs.|p.|cap.|art.|fig.|vol.|tel.",
        "El La Los Las Un Una Este Esta Estos Estas Es En Si Pero Y Con Para Por Hay Su Sus Cuando Qué Cómo Usted",
    ),
    "fr": (
        "m.|mm.|mme.|mmes.|mlle.|dr.|pr.|me.|st.|ste.|cf.|p. ex.|p.ex.|env.|vs.|et al.",
        "n.|no.|p.|pp.|fig.|vol.|chap.|art.|tél.",
        "Le La Les Un Une Ce Cette Ces Il Elle Ils Elles Nous Vous On En Dans Si Mais Pour Avec",
    ),
    "de": (
        "hr.|fr.|dr.|prof.|z. b.|z.b.|d. h.|d.h.|u. a.|u.a.|bzw.|ca.|evtl.|ggf.|inkl.|vgl.|sog.|s.|et al.",
        "nr.|abb.|bd.|s.|tab.|kap.|art.",
        "Der Die Das Ein Eine Es Er Sie Wir Ich In Im Wenn Aber Und Mit Für Bei Diese Dieser Dieses Man",
    ),
    "it": (
        "sig.|sig.ra|sigg.|dott.|dott.ssa|prof.|avv.|ing.|ad es.|es.|cfr.|ca.|vs.|et al.",
        "n.|pag.|pagg.|p.|fig.|vol.|cap.|art.|tel.",
        "Il Lo La I Gli Le Un Una Questo Questa In Se Ma Per Con Non Ci",
    ),
    "pt": (
        "sr.|sra.|srta.|dr.|dra.|prof.|profa.|exmo.|exma.|p. ex.|p.ex.|aprox.|cf.|vs.|av.|et al.",
        "n.|n.º|pág.|págs.|p.|fig.|vol.|cap.|art.|tel.",
        "O A Os As Um Uma Este Esta Em No Na Se Mas Para Com Não Você",
    ),
    "vi": (
        "tp.|ts.|bs.|gs.|pgs.|ths.|ông.|bà.",
        "tr.|số.",
        "Các Những Một Người Bạn Khi Nếu Nhưng Và Trong Đây Điều Hãy",
    ),
    "ar": ("د.|أ.|م.|أ.د.", "ص.|رقم.", ""),
}
"""Per language: abbreviations that never end a sentence, abbreviations before a number, and sentence openers."""


def _profile(code: str) -> LanguageProfile | None:
    """The profile of a language with its own rules, or None."""
    introducing, numeric, openers = SPLIT_RULES.get(code, ("", "", ""))
    rules = _rules(introducing, numeric, openers, ordinal_dot=code == "de", question_semicolon=code == "el")
    neutral_words = (f.LIX, f.RIX)
    if code == "en":
        return LanguageProfile(
            code,
            rules,
            syllables=english_syllables,
            formulas=(
                f.FLESCH_KINCAID_GRADE,
                f.SMOG,
                f.FLESCH_READING_EASE,
                f.GUNNING_FOG,
                f.COLEMAN_LIAU,
                *neutral_words,
            ),
            calibrated=frozenset(
                {"flesch-kincaid-grade", "smog", "flesch-reading-ease", "gunning-fog", "coleman-liau", "rix"}
            ),
            sentence_formula=f.FLESCH_KINCAID_GRADE,
            long_sentence=20,
            complex_syllables=3,
            gunning_exclusions=True,
            passive=english_passives,
            glossary="jargon-en.toml",
            targets=(
                Target(
                    "smog", maximum=8.0, source="NIH/NCI: patient materials at grade 8 or below; SMOG is the reference"
                ),
            ),
            validated=True,
        )
    if code == "es":
        return LanguageProfile(
            code,
            rules,
            syllables=spanish_syllables,
            formulas=(f.FERNANDEZ_HUERTA, f.SZIGRISZT_PAZOS, *neutral_words),
            calibrated=frozenset({"fernandez-huerta", "szigriszt-pazos"}),
            sentence_formula=f.SZIGRISZT_PAZOS,
            long_sentence=25,
            complex_syllables=4,
            passive=spanish_passives,
            glossary="jargon-es.toml",
            targets=(
                Target(
                    "szigriszt-pazos",
                    minimum=55.0,
                    source="INFLESZ (Barrio-Cantalejo et al. 2008): texts for the public should reach 55, 'normal'",
                ),
            ),
            validated=True,
            note="Spanish formulas give an ease score from 0 to 100 (higher is easier), not a school grade.",
        )
    simple: dict[str, tuple[f.Formula, int, Target | None, str]] = {
        "fr": (
            f.KANDEL_MOLES,
            3,
            Target("kandel-moles", minimum=60.0, source="Flesch's 'standard' (60) band"),
            "an ease score",
        ),
        "de": (
            f.WIENER_SACHTEXTFORMEL,
            3,
            Target("wiener-sachtextformel-1", maximum=8.0, source="school grade 8, as the NIH target for English"),
            "an Austrian school grade",
        ),
        "it": (
            f.GULPEASE,
            4,
            Target("gulpease", minimum=60.0, source="Gulpease 60: easy for readers with lower-secondary schooling"),
            "an ease score",
        ),
        "pt": (
            f.FLESCH_PORTUGUESE,
            4,
            Target("flesch-portuguese", minimum=50.0, source="Martins et al. (1996): 50 and over is 'fácil'"),
            "an ease score",
        ),
    }
    if code in simple:
        formula, complex_syllables, target, kind = simple[code]
        return LanguageProfile(
            code,
            rules,
            syllables=pyphen_counter(code),
            formulas=(formula, *neutral_words),
            calibrated=frozenset({formula.id}),
            sentence_formula=formula,
            long_sentence=20 if code == "de" else 25,
            complex_syllables=complex_syllables,
            targets=(target,) if target else (),
            validated=True,
            note=(
                f"{formula.name} gives {kind}. Syllables come from hyphenation dictionaries and are estimates."
                if formula.id != "gulpease"
                else "Gulpease gives an ease score from 0 to 100 from letters and sentences; no syllables needed."
            ),
        )
    if code == "ar":
        return LanguageProfile(
            code,
            rules,
            formulas=(f.OSMAN, *neutral_words),
            calibrated=frozenset({"osman"}),
            sentence_formula=f.OSMAN,
            long_sentence=25,
            complex_syllables=5,
            arabic=True,
            validated=True,
            note=(
                "OSMAN gives an ease score (higher is easier) with no published bands. It was calibrated on "
                "diacritised text; where words are written without harakat their syllables are estimated from the "
                "consonant skeleton (see counts.extra.diacritised_words), so the score is approximate and tends to "
                "run high (easier)."
            ),
        )
    if code == "vi":
        return _counted_in(
            code,
            rules,
            "syllables",
            30,
            "No validated readability formula for Vietnamese; no grade is given. Vietnamese writes each syllable "
            "as a separate word, so lengths are counted in syllables; LIX and RIX are not shown because their "
            "long words (over six letters) do not exist in syllable-written text.",
        )
    if code in ("zh", "yue", "wuu"):
        return _counted_in(
            code,
            rules,
            "characters",
            40,
            "No validated readability formula for Chinese; no grade is given. Lengths are counted in characters "
            "(each Latin word or number counts as one); the text is not segmented into words.",
        )
    return None


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
    profile = _profile(code)
    if profile is not None:
        return profile
    rules = _rules(question_semicolon=code == "el")
    if code in UNSPACED_LANGUAGES:
        return _counted_in(
            code,
            rules,
            "characters",
            40,
            "No validated readability formula for this language here; no grade is given. Lengths are characters.",
        )
    calibrated = frozenset({"lix"}) if code in ("sv", "da", "nb", "nn", "no") else frozenset()
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

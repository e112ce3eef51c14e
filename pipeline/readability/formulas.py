"""Readability formulas with their published constants and interpretation bands.

Each :class:`Formula` computes from :class:`~pipeline.readability.model.Counts` only, so the same
object scores a document, a section or a sentence. Constants are those of the original
publications; where the commonly cited form differs, the docstring says which one is used and why.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from pipeline.readability.model import Counts, Score

Band = tuple[float, str]
"""A band: values at or above the number (ease scales) or below it (grade scales) get the label."""


@dataclass(slots=True, frozen=True)
class Formula:
    """A published readability formula or a plain measure, ready to apply to counts."""

    id: str
    """Machine id used in reports and targets."""
    name: str
    """Name as published."""
    scale: str
    """``grade``, ``ease``, ``index`` or ``measure`` (see :class:`~pipeline.readability.model.Score`)."""
    compute: Callable[[Counts], float]
    """The formula over counts; only called with at least one sentence and one word."""
    interpret: Callable[[float], str | None]
    """The published band of a value; None when the formula has none."""
    source: str
    """Citation for the formula and its bands."""
    minimum_sentences: int = 1
    """Fewer sentences than this and the score carries a caveat (SMOG: 30)."""

    def score(self, counts: Counts, calibrated: bool, caveat: str | None = None) -> Score:
        """The score of ``counts``, with the band and any caveat."""
        value = self.compute(counts)
        if counts.sentences < self.minimum_sentences:
            short = (
                f"{counts.sentences} sentences; {self.name} is designed for samples of {self.minimum_sentences} or more"
            )
            caveat = f"{caveat}; {short}" if caveat else short
        return Score(self.id, self.name, value, self.interpret(value), self.scale, calibrated, self.source, caveat)


def _at_least(bands: tuple[Band, ...], fallback: str) -> Callable[[float], str | None]:
    """Bands for a scale where higher is easier: the first band whose floor the value reaches."""

    def interpret(value: float) -> str | None:
        for floor, label in bands:
            if value >= floor:
                return label
        return fallback

    return interpret


def _below(bands: tuple[Band, ...], fallback: str) -> Callable[[float], str | None]:
    """Bands for a scale where higher is harder: the first band whose ceiling the value stays under."""

    def interpret(value: float) -> str | None:
        for ceiling, label in bands:
            if value < ceiling:
                return label
        return fallback

    return interpret


def _none(value: float) -> str | None:
    return None


US_GRADE_BANDS: tuple[Band, ...] = (
    (6.0, "elementary school"),
    (9.0, "middle school"),
    (13.0, "high school"),
    (17.0, "college"),
)
"""US school levels of a grade score: below 6 elementary, 6-8 middle school, 9-12 high school, 13-16 college."""

us_grade = _below(US_GRADE_BANDS, "college graduate")
"""Band of a US grade level (Flesch-Kincaid, SMOG, Gunning fog, Coleman-Liau)."""


# --- English -------------------------------------------------------------------------------------

FLESCH_KINCAID_GRADE = Formula(
    "flesch-kincaid-grade",
    "Flesch-Kincaid grade level",
    "grade",
    lambda c: 0.39 * c.words / c.sentences + 11.8 * c.syllables / c.words - 15.59,
    us_grade,
    "Kincaid, Fishburne, Rogers & Chissom (1975), Derivation of new readability formulas for Navy enlisted "
    "personnel, Research Branch Report 8-75: 0.39 ASL + 11.8 ASW - 15.59.",
)

SMOG = Formula(
    "smog",
    "SMOG grade",
    "grade",
    lambda c: 1.043 * math.sqrt(c.polysyllables * 30 / c.sentences) + 3.1291,
    us_grade,
    "McLaughlin (1969), SMOG grading: a new readability formula, Journal of Reading 12(8):639-646; the regression "
    "form 1.043 sqrt(polysyllables x 30 / sentences) + 3.1291, normalised to 30 sentences. The reference for "
    "health materials (NIH, NCI).",
    minimum_sentences=30,
)

FLESCH_READING_EASE = Formula(
    "flesch-reading-ease",
    "Flesch reading ease",
    "ease",
    lambda c: 206.835 - 1.015 * c.words / c.sentences - 84.6 * c.syllables / c.words,
    _at_least(
        (
            (90.0, "very easy"),
            (80.0, "easy"),
            (70.0, "fairly easy"),
            (60.0, "standard"),
            (50.0, "fairly difficult"),
            (30.0, "difficult"),
        ),
        "very difficult",
    ),
    "Flesch (1948), A new readability yardstick, Journal of Applied Psychology 32(3):221-233: "
    "206.835 - 1.015 ASL - 84.6 ASW; bands from Flesch (1949), The Art of Readable Writing.",
)

GUNNING_FOG = Formula(
    "gunning-fog",
    "Gunning fog index",
    "grade",
    lambda c: 0.4 * (c.words / c.sentences + 100 * c.complex_words / c.words),
    us_grade,
    "Gunning (1952), The Technique of Clear Writing: 0.4 (ASL + 100 x complex words / words); complex words have "
    "three or more syllables, not counting proper nouns, hyphenated compounds, or words made three syllables by "
    "-es, -ed or -ing.",
)

COLEMAN_LIAU = Formula(
    "coleman-liau",
    "Coleman-Liau index",
    "grade",
    lambda c: 0.0588 * 100 * c.letters / c.words - 0.296 * 100 * c.sentences / c.words - 15.8,
    us_grade,
    "Coleman & Liau (1975), A computer readability formula designed for machine scoring, Journal of Applied "
    "Psychology 60(2):283-284: 0.0588 L - 0.296 S - 15.8 (L letters, S sentences per 100 words).",
)


def rix_grade(value: float) -> str | None:
    """Anderson's (1983) table from RIX to US grade."""
    table = (
        (7.2, "college"),
        (6.2, "grade 12"),
        (5.3, "grade 11"),
        (4.5, "grade 10"),
        (3.7, "grade 9"),
        (3.0, "grade 8"),
        (2.4, "grade 7"),
        (1.8, "grade 6"),
        (1.3, "grade 5"),
        (0.8, "grade 4"),
        (0.5, "grade 3"),
        (0.2, "grade 2"),
    )
    return next((label for floor, label in table if value >= floor), "grade 1")


# --- Spanish -------------------------------------------------------------------------------------

FERNANDEZ_HUERTA = Formula(
    "fernandez-huerta",
    "Fernández Huerta lecturabilidad",
    "ease",
    lambda c: 206.84 - 0.60 * 100 * c.syllables / c.words - 1.02 * c.words / c.sentences,
    _at_least(
        (
            (90.0, "muy fácil"),
            (80.0, "fácil"),
            (70.0, "algo fácil"),
            (60.0, "normal"),
            (50.0, "algo difícil"),
            (30.0, "difícil"),
        ),
        "muy difícil",
    ),
    "Fernández Huerta (1959), Medidas sencillas de lecturabilidad, Consigna 214:29-32, as corrected by Law (2011), "
    "Error in the Fernández Huerta readability formula: L = 206.84 - 0.60 P - 1.02 F with P syllables per 100 "
    "words and F words per sentence. The 1959 text defines F as sentences per 100 words, which makes shorter "
    "sentences score *harder*; the formula adapts Flesch's, whose term is words per sentence, so that is used. "
    "Bands as published (legible.es).",
)

SZIGRISZT_PAZOS = Formula(
    "szigriszt-pazos",
    "Szigriszt-Pazos perspicuidad (INFLESZ)",
    "ease",
    lambda c: 206.835 - 62.3 * c.syllables / c.words - c.words / c.sentences,
    _at_least(
        ((80.0, "muy fácil"), (65.0, "bastante fácil"), (55.0, "normal"), (40.0, "algo difícil")),
        "muy difícil",
    ),
    "Szigriszt Pazos (1993), Sistemas predictivos de legibilidad del mensaje escrito: fórmula de perspicuidad, "
    "206.835 - 62.3 S/P - P/F; bands of the INFLESZ scale, Barrio-Cantalejo et al. (2008), Validación de la "
    "Escala INFLESZ, Anales del Sistema Sanitario de Navarra 31(2):135-152.",
)


# --- French, German, Italian, Portuguese ---------------------------------------------------------

KANDEL_MOLES = Formula(
    "kandel-moles",
    "Kandel-Moles (Flesch adapté au français)",
    "ease",
    lambda c: 207 - 1.015 * c.words / c.sentences - 73.6 * c.syllables / c.words,
    _at_least(
        (
            (90.0, "très facile"),
            (80.0, "facile"),
            (70.0, "assez facile"),
            (60.0, "standard"),
            (50.0, "assez difficile"),
            (30.0, "difficile"),
        ),
        "très difficile",
    ),
    "Kandel & Moles (1958), Application de l'indice de Flesch à la langue française, Cahiers Études de "
    "Radio-Télévision 19:253-274: 207 - 1.015 ASL - 73.6 ASW; Flesch's bands.",
)

WIENER_SACHTEXTFORMEL = Formula(
    "wiener-sachtextformel-1",
    "Erste Wiener Sachtextformel",
    "grade",
    lambda c: (
        0.1935 * 100 * c.polysyllables / c.words
        + 0.1672 * c.words / c.sentences
        + 0.1297 * 100 * c.long_words / c.words
        - 0.0327 * 100 * c.monosyllables / c.words
        - 0.875
    ),
    lambda value: f"Schulstufe {max(1, min(15, round(value)))}",
    "Bamberger & Vanecek (1984), Lesen-Verstehen-Lernen-Schreiben: 0.1935 MS + 0.1672 SL + 0.1297 IW - 0.0327 ES "
    "- 0.875 (MS % words of 3+ syllables, SL words per sentence, IW % words over 6 letters, ES % one-syllable "
    "words); the value is an Austrian school grade, 4 (easy) to 15 (very hard).",
)

GULPEASE = Formula(
    "gulpease",
    "Indice Gulpease",
    "ease",
    lambda c: 89 + (300 * c.sentences - 10 * c.letters) / c.words,
    _at_least(
        (
            (80.0, "facile per chi ha la licenza elementare"),
            (60.0, "facile per chi ha la licenza media"),
            (40.0, "facile per chi ha un diploma superiore"),
        ),
        "difficile anche per chi ha un diploma superiore",
    ),
    "Lucisano & Piemontese (1988), GULPEASE: una formula per la predizione della difficoltà dei testi in lingua "
    "italiana, Scuola e città 3:110-124: 89 + (300 sentences - 10 letters) / words; bands by reader schooling.",
)

FLESCH_PORTUGUESE = Formula(
    "flesch-portuguese",
    "Índice de Legibilidade de Flesch (Martins et al.)",
    "ease",
    lambda c: 248.835 - 1.015 * c.words / c.sentences - 84.6 * c.syllables / c.words,
    _at_least(((75.0, "muito fácil"), (50.0, "fácil"), (25.0, "difícil")), "muito difícil"),
    "Martins, Ghiraldelo, Nunes & Oliveira (1996), Readability formulas applied to textbooks in Brazilian "
    "Portuguese, ICMSC-USP Notas 28: 248.835 - 1.015 ASL - 84.6 ASW (English constants with the intercept raised "
    "by 42 for Portuguese's longer words); bands 75-100 muito fácil, 50-75 fácil, 25-50 difícil, 0-25 muito difícil.",
)


# --- Arabic --------------------------------------------------------------------------------------


def _osman(c: Counts) -> float:
    per_word = (
        c.extra.get("osman_complex_words", 0)
        + c.syllables
        + c.extra.get("faseeh_words", 0)
        + c.extra.get("osman_long_words", 0)
    ) / c.words
    return 200.791 - 1.015 * c.words / c.sentences - 24.181 * per_word


OSMAN = Formula(
    "osman",
    "OSMAN",
    "ease",
    _osman,
    _none,
    "El-Haj & Rayson (2016), OSMAN - a novel Arabic readability metric, LREC 2016, 250-255: 200.791 - 1.015 A/B "
    "- 24.181 (C + D + G + H)/A, with A words, B sentences, C complex words (more than four vowel marks), D "
    "weighted syllables, G long words (more than five letters), H faseeh words. Higher is easier, on a scale like "
    "Flesch's; no interpretation bands are published.",
)


# --- Any space-separated language ----------------------------------------------------------------

LIX = Formula(
    "lix",
    "LIX",
    "index",
    lambda c: c.words / c.sentences + 100 * c.long_words / c.words,
    _below(((30.0, "very easy"), (40.0, "easy"), (50.0, "medium"), (60.0, "difficult")), "very difficult"),
    "Björnsson (1968), Läsbarhet: words per sentence + % words over six letters; bands of the Swedish scale "
    "(under 30 very easy ... 60 and over very difficult). Validated for Swedish; elsewhere a language-neutral index.",
)

RIX = Formula(
    "rix",
    "RIX",
    "index",
    lambda c: c.long_words / c.sentences,
    rix_grade,
    "Anderson (1983), Lix and Rix: variations on a little-known readability index, Journal of Reading "
    "26(6):490-496: words over six letters per sentence; grade table for English.",
)


# --- Language-neutral measures (no formula) ------------------------------------------------------


def average_sentence_length(unit: str) -> Formula:
    """Average sentence length, in the language's unit (characters, words or syllables)."""
    return Formula(
        "average-sentence-length",
        f"Average sentence length ({unit})",
        "measure",
        lambda c: c.words / c.sentences,
        _none,
        f"{unit.capitalize()} per sentence; a plain statistic, not a readability formula.",
    )


def long_sentence_share(threshold: int, unit: str) -> Formula:
    """Share of sentences longer than ``threshold`` units."""
    return Formula(
        "long-sentence-share",
        f"Share of sentences over {threshold} {unit}",
        "measure",
        lambda c: c.long_sentences / c.sentences,
        _none,
        f"Sentences over {threshold} {unit} / sentences; a plain statistic, not a readability formula.",
    )


AVERAGE_CLAUSES = Formula(
    "average-clauses",
    "Average clauses per sentence",
    "measure",
    lambda c: c.clauses / c.sentences,
    _none,
    "One plus the clause separators (, ; : and their full-width and Arabic forms) per sentence; a plain statistic.",
)

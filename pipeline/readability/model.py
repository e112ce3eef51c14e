"""Data of the readability stage: what it reads (:class:`TextUnit`) and what it reports (:class:`Analysis`).

Every report object has ``to_dict()`` giving plain JSON types; the schema is documented in
:mod:`pipeline.readability`. Floats are rounded there, never in the objects themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pipeline.errors import PipelineError

SCHEMA_VERSION = 1
"""Version of the ``to_dict()`` layout; bumped on any incompatible change."""


class ReadabilityError(PipelineError):
    """The text or the language given to the readability analysis cannot be analysed."""


@dataclass(slots=True, frozen=True)
class TextUnit:
    """One block of what the patient reads."""

    text: str
    """Plain text, no markup."""
    kind: str
    """``heading``, ``heading 2``, ``paragraph``, ``list item``, ``table cell`` ..."""
    section: str
    """Title or anchor of the section the block is under."""
    line: int
    """1-based source line of the block, for messages."""


@dataclass(slots=True, frozen=True)
class Excluded:
    """A text unit left out of the sentence counts and of every formula, with why: a heading, a metadata line or a
    label is not prose the reader reads as sentences, and its few words would make every text look easier."""

    unit: int
    """Index of the unit in the input."""
    text: str
    """The unit's plain text."""
    kind: str
    """Kind of the unit (``heading 2``, ``reading time``, ``table header`` ...)."""
    section: str
    """Section of the unit."""
    line: int
    """Source line of the unit."""
    reason: str
    """``heading``, ``metadata`` or ``label``: one of :data:`EXCLUSION_REASONS`."""

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "unit": self.unit,
            "text": self.text,
            "kind": self.kind,
            "section": self.section,
            "line": self.line,
            "reason": self.reason,
        }


EXCLUSION_REASONS = {
    "heading": "headings are titles, not sentences",
    "metadata": "metadata lines (the reading-time line, front matter) are not part of the text",
    "label": "labels (table headers, a word or two before a colon) are not sentences",
}
"""Why each kind of unit is left out of the counts, in words for the report."""


@dataclass(slots=True, frozen=True)
class Flag:
    """Something a reviewer can act on, with a stable machine id and a reason in plain words."""

    id: str
    """Machine id: ``long-sentence``, ``passive-voice``, ``complex-words``, ``jargon``, ``acronym``,
    ``long-paragraph``, ``long-list``."""
    reason: str
    """What is wrong and what to aim for, e.g. ``32 words; aim for 20 or fewer``; the report puts the flag's name
    before it (``Long sentence: 32 words; aim for 20 or fewer``)."""
    term: str | None = None
    """The words concerned, as written, when the flag is about particular words."""

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"id": self.id, "reason": self.reason, "term": self.term}


@dataclass(slots=True)
class Counts:
    """What the formulas are computed from, for the document, a section or one sentence."""

    units: int = 0
    """Text units (blocks) counted."""
    sentences: int = 0
    """Sentences."""
    words: int = 0
    """Words (Chinese: characters, each Latin word or number counting as one; Vietnamese: syllables)."""
    syllables: int = 0
    """Syllables (Arabic: OSMAN weighted syllables, long and stress syllables counting twice)."""
    letters: int = 0
    """Letters and digits inside words (no spaces, no punctuation)."""
    long_words: int = 0
    """Words of more than six letters (LIX, RIX, Wiener Sachtextformel)."""
    polysyllables: int = 0
    """Words of three or more syllables (SMOG, Wiener Sachtextformel)."""
    complex_words: int = 0
    """Hard words for the language: English three or more syllables, Gunning's exclusions applied."""
    monosyllables: int = 0
    """Words of one syllable (Wiener Sachtextformel)."""
    clauses: int = 0
    """Clauses, estimated as sentences plus clause separators (, ; : and their CJK and Arabic forms)."""
    long_sentences: int = 0
    """Sentences over the language's long-sentence threshold."""
    extra: dict[str, int] = field(default_factory=dict)
    """Language-specific counts: Arabic ``osman_long_words``, ``osman_complex_words``, ``faseeh_words``,
    ``diacritised_words``; Chinese ``han_characters``."""

    def add(self, other: Counts) -> None:
        """Add ``other`` into these counts."""
        self.units += other.units
        self.sentences += other.sentences
        self.words += other.words
        self.syllables += other.syllables
        self.letters += other.letters
        self.long_words += other.long_words
        self.polysyllables += other.polysyllables
        self.complex_words += other.complex_words
        self.monosyllables += other.monosyllables
        self.clauses += other.clauses
        self.long_sentences += other.long_sentences
        for key, value in other.extra.items():
            self.extra[key] = self.extra.get(key, 0) + value

    @property
    def words_per_sentence(self) -> float:
        """Average sentence length in words (characters for Chinese)."""
        return self.words / self.sentences if self.sentences else 0.0

    @property
    def syllables_per_word(self) -> float:
        """Average word length in syllables."""
        return self.syllables / self.words if self.words else 0.0

    @property
    def letters_per_word(self) -> float:
        """Average word length in letters."""
        return self.letters / self.words if self.words else 0.0

    def to_dict(self) -> dict[str, Any]:
        """JSON form, with the averages."""
        return {
            "units": self.units,
            "sentences": self.sentences,
            "words": self.words,
            "syllables": self.syllables,
            "letters": self.letters,
            "long_words": self.long_words,
            "polysyllables": self.polysyllables,
            "complex_words": self.complex_words,
            "monosyllables": self.monosyllables,
            "clauses": self.clauses,
            "long_sentences": self.long_sentences,
            "words_per_sentence": round(self.words_per_sentence, 2),
            "syllables_per_word": round(self.syllables_per_word, 3),
            "letters_per_word": round(self.letters_per_word, 3),
            "extra": dict(sorted(self.extra.items())),
        }


@dataclass(slots=True, frozen=True)
class Score:
    """The value of one formula or measure, with its published interpretation."""

    id: str
    """Machine id of the formula, e.g. ``flesch-kincaid-grade``."""
    name: str
    """Name as published, e.g. ``Flesch-Kincaid grade level``."""
    value: float
    """The score, unrounded."""
    band: str | None
    """Published interpretation band for the value (``college``, ``bastante fácil``); None when there is none."""
    scale: str
    """``grade`` (school grade), ``ease`` (0-100, higher is easier), ``index`` (higher is harder) or
    ``measure`` (a plain statistic, not a formula)."""
    calibrated: bool
    """True when the formula was published and calibrated for this language."""
    source: str
    """Where the formula and its bands come from."""
    caveat: str | None = None
    """Why the value should be read with care here (too few sentences, estimated syllables ...)."""

    def to_dict(self) -> dict[str, Any]:
        """JSON form; the value rounded to one decimal (shares to three)."""
        digits = 3 if self.scale == "measure" and self.value < 1 else 1
        return {
            "id": self.id,
            "name": self.name,
            "value": round(self.value, digits),
            "band": self.band,
            "scale": self.scale,
            "calibrated": self.calibrated,
            "source": self.source,
            "caveat": self.caveat,
        }


@dataclass(slots=True)
class Sentence:
    """One sentence as the reader meets it, with its measures and what a reviewer should look at."""

    index: int
    """Position among the document's sentences, from 0."""
    text: str
    """The sentence as written (whitespace collapsed)."""
    unit: int
    """Index of its text unit in the input."""
    kind: str
    """Kind of its text unit (``paragraph``, ``list item`` ...)."""
    section: str
    """Section of its text unit."""
    line: int
    """Source line of its text unit."""
    counts: Counts
    """Words, syllables ... of this sentence alone."""
    measures: dict[str, float] = field(default_factory=dict)
    """Per-sentence formula values where meaningful, e.g. ``{"flesch-kincaid-grade": 17.2}``."""
    flags: list[Flag] = field(default_factory=list)
    """What makes this sentence hard to read."""

    @property
    def words(self) -> int:
        """Length in words (characters for Chinese, syllables for Vietnamese)."""
        return self.counts.words

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "index": self.index,
            "text": self.text,
            "unit": self.unit,
            "kind": self.kind,
            "section": self.section,
            "line": self.line,
            "words": self.counts.words,
            "syllables": self.counts.syllables,
            "letters": self.counts.letters,
            "polysyllables": self.counts.polysyllables,
            "clauses": self.counts.clauses,
            "measures": {key: round(value, 1) for key, value in self.measures.items()},
            "flags": [flag.to_dict() for flag in self.flags],
        }


@dataclass(slots=True, frozen=True)
class BlockFlag:
    """A paragraph or list that is hard to take in as a whole."""

    unit: int
    """Index of the paragraph's unit, or of the list's first item."""
    units: int
    """Number of units the block spans (list items; 1 for a paragraph)."""
    kind: str
    """Kind of the (first) unit."""
    section: str
    """Section of the block."""
    line: int
    """Source line of the (first) unit."""
    flag: Flag
    """What is wrong."""

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "unit": self.unit,
            "units": self.units,
            "kind": self.kind,
            "section": self.section,
            "line": self.line,
            **self.flag.to_dict(),
        }


@dataclass(slots=True)
class Section:
    """The scores of the text under one section title."""

    title: str
    """Section title or anchor, as given in the units."""
    line: int
    """Source line of the section's first unit."""
    counts: Counts
    """Counts of the section's sentences."""
    scores: list[Score] = field(default_factory=list)
    """The language's formulas applied to the section alone."""

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "title": self.title,
            "line": self.line,
            "counts": self.counts.to_dict(),
            "scores": [score.to_dict() for score in self.scores],
        }


@dataclass(slots=True, frozen=True)
class Target:
    """A reading-level goal: one formula's value must stay at or under ``maximum`` / at or over ``minimum``."""

    formula: str
    """Id of the formula the target is on, e.g. ``smog``."""
    maximum: float | None = None
    """Highest acceptable value (grades, indices)."""
    minimum: float | None = None
    """Lowest acceptable value (ease scores)."""
    source: str = ""
    """Why this target: the guideline it comes from."""
    advisory: bool = False
    """True when missing it is reported with the gap but fails nothing (a goal the text does not yet reach)."""


@dataclass(slots=True, frozen=True)
class TargetResult:
    """Whether the document meets one target."""

    target: Target
    """The goal."""
    value: float | None
    """The document's value for the target's formula; None when the formula does not apply to the language."""
    passed: bool | None
    """True when met, False when not, None when it cannot be judged."""

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "formula": self.target.formula,
            "maximum": self.target.maximum,
            "minimum": self.target.minimum,
            "source": self.target.source,
            "advisory": self.target.advisory,
            "value": None if self.value is None else round(self.value, 1),
            "passed": self.passed,
        }


@dataclass(slots=True)
class Analysis:
    """How hard a text is to read in its language, where, and why."""

    language: str
    """The language code as given."""
    locale: str
    """The CLDR locale it was resolved to, e.g. ``zh_Hans``."""
    language_name: str
    """English name of the language."""
    validated: bool
    """True when a formula published for this language was applied; False when only neutral measures are given."""
    note: str | None
    """Why no grade is given, or how to read the scores here; None when nothing needs saying."""
    length_unit: str
    """What sentence lengths are counted in: ``words``, ``syllables`` (Vietnamese) or ``characters`` (Chinese)."""
    thresholds: dict[str, int]
    """Limits the flags use: ``long_sentence``, ``complex_word_syllables``, ``complex_words``,
    ``paragraph_sentences``, ``list_items``."""
    counts: Counts
    """Counts of the whole text."""
    scores: list[Score]
    """Formulas and measures for the whole text."""
    sections: list[Section]
    """The same per section, in order of first appearance."""
    sentences: list[Sentence]
    """Every sentence, in reading order."""
    blocks: list[BlockFlag]
    """Paragraphs and lists that are too long."""
    targets: list[TargetResult]
    """The reading-level targets checked."""
    excluded: list[Excluded] = field(default_factory=list)
    """Headings, metadata lines and labels left out of the sentences, the counts and the formulas."""

    @property
    def passed(self) -> bool | None:
        """True when every target that could be judged is met; None when none could be judged."""
        judged = [result.passed for result in self.targets if result.passed is not None]
        return all(judged) if judged else None

    def score(self, formula: str) -> Score | None:
        """The whole text's score for ``formula``, if the language has it."""
        return next((score for score in self.scores if score.id == formula), None)

    def to_dict(self) -> dict[str, Any]:
        """JSON form, as documented in :mod:`pipeline.readability`."""
        return {
            "schema": SCHEMA_VERSION,
            "language": self.language,
            "locale": self.locale,
            "language_name": self.language_name,
            "validated": self.validated,
            "note": self.note,
            "length_unit": self.length_unit,
            "thresholds": dict(self.thresholds),
            "passed": self.passed,
            "targets": [result.to_dict() for result in self.targets],
            "counts": self.counts.to_dict(),
            "scores": [score.to_dict() for score in self.scores],
            "sections": [section.to_dict() for section in self.sections],
            "sentences": [sentence.to_dict() for sentence in self.sentences],
            "blocks": [block.to_dict() for block in self.blocks],
            "excluded": [item.to_dict() for item in self.excluded],
        }

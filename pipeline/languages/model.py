"""What the pipeline knows about one language, as data: the :class:`Language` every stage asks.

The model holds facts only (strings, numbers, tuples): the stages turn them into their own objects (readability
builds its formulas and splitter from :class:`ReadabilityFacts`, the checks compile :class:`Negation`). A field
left at ``None`` means the pipeline has no table for the language: every check that needs it reports the language
"not checked" by name rather than passing it silently.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pipeline.languages.scripts import SCRIPT_FONTS, FontSpec


@dataclass(slots=True, frozen=True)
class LengthBand:
    """Translation/source length (visible characters, msgids of 20 or more) measured on the shipped catalogs."""

    median: float
    """Median ratio of the confirmed entries of the language's shipped catalogs."""
    smallest: float
    """Smallest ratio measured."""
    largest: float
    """Largest ratio measured."""
    low: float
    """Warn below this: the smallest ratio less 10 %, rounded down."""
    high: float
    """Warn above this: the largest ratio plus 10 %, rounded up."""


@dataclass(slots=True, frozen=True)
class Negation:
    """How one language says "not", as regular expressions (compiled case-insensitively by the check)."""

    markers: str
    """Finds a negating word."""
    idioms: str
    """Phrases removed before :attr:`markers` is searched ("whether or not", a question particle)."""
    implicit: str = ""
    """Words that mean a negation without a negator ("rarely", "prevent"): where the source says one, a negation
    the translation adds is no warning. Read for the source language only."""


@dataclass(slots=True, frozen=True)
class NumberWords:
    """Cardinal number words 2-20 of a language, and how they attach to the words around them."""

    words: Mapping[int, tuple[str, ...]]
    """The forms a sentence may use for each value (gender, case); 0 and 1 are left out (also articles)."""
    spaced: bool = True
    """False where words are not separated by spaces (Chinese): a number word is found inside a run of text."""
    prefix: str = ""
    """A regular expression of clitics that may be written onto the word (Arabic و ف ب ل and ال)."""
    grammatical: frozenset[int] = frozenset()
    """Values the language may say with an ending instead of a word (Arabic's dual): never compared."""


@dataclass(slots=True, frozen=True)
class Target:
    """A default reading-level target, as data (readability turns it into its own ``Target``)."""

    formula: str
    """Id of the formula the target applies to."""
    minimum: float | None = None
    """Lowest acceptable score (ease scores), or None."""
    maximum: float | None = None
    """Highest acceptable score (grades), or None."""
    source: str = ""
    """The guidance the number comes from."""


@dataclass(slots=True, frozen=True)
class ReadabilityFacts:
    """How readability measures a language: formula ids and thresholds, interpreted by ``readability/``."""

    formulas: tuple[str, ...] = ()
    """Ids of the formulas reported, in order (``flesch-kincaid-grade``; ``lix`` and ``rix`` are neutral)."""
    calibrated: frozenset[str] = frozenset()
    """Ids of the formulas published for this language."""
    sentence_formula: str | None = None
    """Id of the formula also given per sentence, or None."""
    long_sentence: int = 25
    """Sentences longer than this (in the language's length unit) are flagged."""
    complex_syllables: int | None = None
    """Words of this many syllables or more are complex; None: no complex-word flag."""
    syllables: str | None = None
    """Syllable counter: ``english``, ``spanish``, ``pyphen`` (hyphenation dictionaries), ``unit``, or None."""
    gunning_exclusions: bool = False
    """Apply Gunning's exclusions to complex words (English)."""
    arabic: bool = False
    """Count OSMAN's Arabic features."""
    passive: str | None = None
    """Passive-voice detector (``english``, ``spanish``), where there is one."""
    glossary: str | None = None
    """Glossary file in ``pipeline/readability/data/``."""
    targets: tuple[Target, ...] = ()
    """Default reading-level targets."""
    validated: bool = False
    """True when at least one formula calibrated for the language is reported."""
    note: str | None = None
    """What the reviewer should know about the scores of this language."""
    counted_in: str | None = None
    """``syllables`` or ``characters`` for a language without a validated formula whose lengths are counted in
    that unit: language-neutral measures only, and no grade."""


@dataclass(slots=True, frozen=True, eq=False)
class Language:
    """Everything the pipeline knows about one language; ``None`` in a table field means "not checked".

    Compared and hashed by identity (``eq=False``): the stages cache what they compile from it per language.
    """

    tag: str
    """Locale code as in ``locales/<tag>/`` and the module name (``zh_Hans``, ``en_XA``)."""
    name: str
    """English name, for messages (``Chinese (Simplified)``)."""
    script: str
    """ISO 15924 script it is written in (``Latn``, ``Hans``, ``Arab``), CLDR's likely script."""
    defined_in: Path | None = None
    """The file that defines it; None for a language the pipeline only knows from CLDR (no tables)."""
    # --- segmentation
    word_segmentation: str = "spaces"
    """How the text divides into words: ``spaces``, ``syllables`` (Vietnamese writes syllables apart) or
    ``characters`` (unspaced scripts: each character counts)."""
    abbreviations: tuple[str, ...] = ()
    """Abbreviations (lower case, with their dots) that never end a sentence (``dr.``, ``p. ej.``)."""
    numeric_abbreviations: tuple[str, ...] = ()
    """Abbreviations that do not end a sentence when a number follows (``fig.``, ``pág.``)."""
    sentence_openers: tuple[str, ...] = ()
    """Common sentence-opening words: after an initial, an initialism or an ordinal they start a sentence."""
    ordinal_dot: bool = False
    """True where a full stop after a number marks an ordinal (German ``3. Mai``)."""
    question_semicolon: bool = False
    """True where ``;`` is the question mark (Greek)."""
    # --- readability
    readability: ReadabilityFacts | None = None
    """Readability profile; None: language-neutral measures only (see ``readability/languages.py``)."""
    # --- translation checks
    number_words: NumberWords | None = None
    """Number words 2-20; None: the number-word check reports the language not checked."""
    negation: Negation | None = None
    """Negation markers; None: the negation check reports the language not checked."""
    sentence_allowance: int | None = None
    """How many fewer sentences a translation may have than its msgid; None: the default allowance."""
    length_band: LengthBand | None = None
    """Translation/source length measured on the shipped catalogs; None: the script-wide band."""
    # --- translate
    reading_speed: int | None = None
    """Silent reading speed per minute (words, or characters/syllables as the language writes them); None: the
    default speed."""
    # --- render
    braille_table: str | None = None
    """liblouis table list; None: no braille edition (reported, never guessed)."""
    braille_grade: int | None = None
    """Braille grade of :attr:`braille_table`, as liblouis names its tables (0 or 1 uncontracted, 2 contracted)."""
    # --- pseudo-locales
    pseudo: str | None = None
    """Pseudo-translation mode (``accented``, ``mirrored``) for a pseudo-locale made from the sources, else None."""
    pseudo_base: str | None = None
    """Locale whose formats a pseudo-locale uses (``en``), else None."""
    direction: str | None = None
    """``ltr`` or ``rtl`` where the language file states it (pseudo-locales); None: CLDR's."""
    readability_aliases: tuple[str, ...] = ()
    """Other language subtags measured with this language's readability profile (Cantonese, Wu for Chinese)."""

    @property
    def subtag(self) -> str:
        """The language subtag (``zh`` of ``zh_Hans``)."""
        return self.tag.replace("-", "_").split("_")[0]

    @property
    def font(self) -> FontSpec | None:
        """The font its script needs first (:data:`~pipeline.languages.scripts.SCRIPT_FONTS`); None: Latin fonts."""
        return SCRIPT_FONTS.get(self.script)

    @property
    def markers(self) -> Path | None:
        """The meaning-check marker file ``pipeline/languages/markers/<tag>.toml``; None when there is none
        (the meaning checks then report the language not checked)."""
        path = Path(__file__).parent / "markers" / f"{self.tag}.toml"
        return path if path.is_file() else None

    def missing(self) -> list[str]:
        """The tables this language has none of, as a user would name them (``negation markers``)."""
        tables = (
            ("number words", self.number_words),
            ("negation markers", self.negation),
            ("readability profile", self.readability),
            ("reading speed", self.reading_speed),
            ("braille table", self.braille_table),
        )
        return [name for name, value in tables if value is None]

    def not_checked(self, table: str) -> str:
        """Why a check that needs ``table`` cannot run for this language, naming it and where to add the table."""
        where = self.defined_in.name if self.defined_in else f"a new file {self.tag}.py"
        return f"no {table} for {self.name} ({self.tag}) in pipeline/languages ({where})"

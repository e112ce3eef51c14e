"""Italian: no shipped translation; readability has a validated formula, and the sentence splitter its rules."""

from pipeline.languages.model import Language, ReadabilityFacts, Target

LANGUAGE = Language(
    tag="it",
    name="Italian",
    script="Latn",
    abbreviations=(
        "sig.",
        "sig.ra",
        "sigg.",
        "dott.",
        "dott.ssa",
        "prof.",
        "avv.",
        "ing.",
        "ad es.",
        "es.",
        "cfr.",
        "ca.",
        "vs.",
        "et al.",
    ),
    numeric_abbreviations=("n.", "pag.", "pagg.", "p.", "fig.", "vol.", "cap.", "art.", "tel."),
    sentence_openers=(
        "Il",
        "Lo",
        "La",
        "I",
        "Gli",
        "Le",
        "Un",
        "Una",
        "Questo",
        "Questa",
        "In",
        "Se",
        "Ma",
        "Per",
        "Con",
        "Non",
        "Ci",
    ),
    # Long sentences: 25 words, Gulpease counts on short sentences and Italian plain-language guidance
    # (Piemontese) asks for 20-25; complex words: four syllables.
    # Syllables from hyphenation dictionaries (pyphen), estimates.
    readability=ReadabilityFacts(
        formulas=("gulpease", "lix", "rix"),
        calibrated=frozenset({"gulpease"}),
        sentence_formula="gulpease",
        long_sentence=25,
        complex_syllables=4,
        syllables="pyphen",
        targets=(
            Target("gulpease", minimum=60.0, source="Gulpease 60: easy for readers with lower-secondary schooling"),
        ),
        validated=True,
        note=("Gulpease gives an ease score from 0 to 100 from letters and sentences; no syllables needed."),
    ),
    # IReST (Trauzettel-Klosinski and Dietz, 2012): words a minute.
    reading_speed=188,
)

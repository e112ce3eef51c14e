"""German: no shipped translation; readability has a validated formula, and the sentence splitter its rules."""

from pipeline.languages.model import Language, ReadabilityFacts, Target

LANGUAGE = Language(
    tag="de",
    name="German",
    script="Latn",
    abbreviations=(
        "hr.",
        "fr.",
        "dr.",
        "prof.",
        "z. b.",
        "z.b.",
        "d. h.",
        "d.h.",
        "u. a.",
        "u.a.",
        "bzw.",
        "ca.",
        "evtl.",
        "ggf.",
        "inkl.",
        "vgl.",
        "sog.",
        "s.",
        "et al.",
    ),
    numeric_abbreviations=("nr.", "abb.", "bd.", "s.", "tab.", "kap.", "art."),
    # "am 3. Mai": a full stop after a number marks an ordinal (Duden, Zahlen und Ziffern).
    ordinal_dot=True,
    sentence_openers=(
        "Der",
        "Die",
        "Das",
        "Ein",
        "Eine",
        "Es",
        "Er",
        "Sie",
        "Wir",
        "Ich",
        "In",
        "Im",
        "Wenn",
        "Aber",
        "Und",
        "Mit",
        "Für",
        "Bei",
        "Diese",
        "Dieser",
        "Dieses",
        "Man",
    ),
    # Long sentences: 20 words, German runs shorter (compounds) and plain-German guidance asks for 15-20;
    # complex words: three syllables.
    # Syllables from hyphenation dictionaries (pyphen), estimates.
    readability=ReadabilityFacts(
        formulas=("wiener-sachtextformel-1", "lix", "rix"),
        calibrated=frozenset({"wiener-sachtextformel-1"}),
        sentence_formula="wiener-sachtextformel-1",
        long_sentence=20,
        complex_syllables=3,
        syllables="pyphen",
        targets=(
            Target("wiener-sachtextformel-1", maximum=8.0, source="school grade 8, as the NIH target for English"),
        ),
        validated=True,
        note=(
            "Erste Wiener Sachtextformel gives an Austrian school grade. Syllables come from hyphenation dictionaries "
            "and are estimates."
        ),
    ),
    # IReST (Trauzettel-Klosinski and Dietz, 2012): words a minute.
    reading_speed=179,
)

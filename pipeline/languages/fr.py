"""French: no shipped translation; readability has a validated formula, and the sentence splitter its rules."""

from pipeline.languages.model import Language, ReadabilityFacts, Target

LANGUAGE = Language(
    tag="fr",
    name="French",
    script="Latn",
    abbreviations=(
        "m.",
        "mm.",
        "mme.",
        "mmes.",
        "mlle.",
        "dr.",
        "pr.",
        "me.",
        "st.",
        "ste.",
        "cf.",
        "p. ex.",
        "p.ex.",
        "env.",
        "vs.",
        "et al.",
    ),
    numeric_abbreviations=("n.", "no.", "p.", "pp.", "fig.", "vol.", "chap.", "art.", "tél."),
    sentence_openers=(
        "Le",
        "La",
        "Les",
        "Un",
        "Une",
        "Ce",
        "Cette",
        "Ces",
        "Il",
        "Elle",
        "Ils",
        "Elles",
        "Nous",
        "Vous",
        "On",
        "En",
        "Dans",
        "Si",
        "Mais",
        "Pour",
        "Avec",
    ),
    # Long sentences: 25 words, the same reasoning as Spanish (more function words); complex words: three syllables.
    # Syllables from hyphenation dictionaries (pyphen), estimates.
    readability=ReadabilityFacts(
        formulas=("kandel-moles", "lix", "rix"),
        calibrated=frozenset({"kandel-moles"}),
        sentence_formula="kandel-moles",
        long_sentence=25,
        complex_syllables=3,
        syllables="pyphen",
        targets=(Target("kandel-moles", minimum=60.0, source="Flesch's 'standard' (60) band"),),
        validated=True,
        note=(
            "Kandel-Moles (Flesch adapté au français) gives an ease score. Syllables come from hyphenation "
            "dictionaries and are estimates."
        ),
    ),
    # IReST (Trauzettel-Klosinski and Dietz, 2012): words a minute.
    reading_speed=195,
)

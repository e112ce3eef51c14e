"""Portuguese: no shipped translation; readability has a validated formula, and the sentence splitter its rules."""

from pipeline.languages.model import Language, ReadabilityFacts, Target

LANGUAGE = Language(
    tag="pt",
    name="Portuguese",
    script="Latn",
    abbreviations=(
        "sr.",
        "sra.",
        "srta.",
        "dr.",
        "dra.",
        "prof.",
        "profa.",
        "exmo.",
        "exma.",
        "p. ex.",
        "p.ex.",
        "aprox.",
        "cf.",
        "vs.",
        "av.",
        "et al.",
    ),
    numeric_abbreviations=("n.", "n.º", "pág.", "págs.", "p.", "fig.", "vol.", "cap.", "art.", "tel."),
    sentence_openers=(
        "O",
        "A",
        "Os",
        "As",
        "Um",
        "Uma",
        "Este",
        "Esta",
        "Em",
        "No",
        "Na",
        "Se",
        "Mas",
        "Para",
        "Com",
        "Não",
        "Você",
    ),
    # Long sentences: 25 words, as Spanish; complex words: four syllables.
    # Syllables from hyphenation dictionaries (pyphen), estimates.
    readability=ReadabilityFacts(
        formulas=("flesch-portuguese", "lix", "rix"),
        calibrated=frozenset({"flesch-portuguese"}),
        sentence_formula="flesch-portuguese",
        long_sentence=25,
        complex_syllables=4,
        syllables="pyphen",
        targets=(Target("flesch-portuguese", minimum=50.0, source="Martins et al. (1996): 50 and over is 'fácil'"),),
        validated=True,
        note=(
            "Índice de Legibilidade de Flesch (Martins et al.) gives an ease score. Syllables come from hyphenation "
            "dictionaries and are estimates."
        ),
    ),
    # IReST (Trauzettel-Klosinski and Dietz, 2012): words a minute.
    reading_speed=181,
)

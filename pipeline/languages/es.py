"""Spanish: a shipped translation (``locales/es``), with a validated readability profile (INFLESZ)."""

from pipeline.languages.model import Language, LengthBand, Negation, NumberWords, ReadabilityFacts, Target

LANGUAGE = Language(
    tag="es",
    name="Spanish",
    script="Latn",
    # Abbreviations: RAE's Diccionario panhispánico de dudas, apéndice 2 (abreviaturas).
    abbreviations=(
        "sr.",
        "sra.",
        "srta.",
        "dr.",
        "dra.",
        "lic.",
        "ing.",
        "prof.",
        "profa.",
        "d.",
        "dña.",
        "ud.",
        "uds.",
        "vd.",
        "vds.",
        "p. ej.",
        "p.ej.",
        "aprox.",
        "cf.",
        "vs.",
        "dpto.",
        "av.",
        "avda.",
        "admón.",
        "et al.",
    ),
    numeric_abbreviations=("núm.", "pág.", "págs.", "p.", "cap.", "art.", "fig.", "vol.", "tel."),
    sentence_openers=(
        "El",
        "La",
        "Los",
        "Las",
        "Un",
        "Una",
        "Este",
        "Esta",
        "Estos",
        "Estas",
        "Es",
        "En",
        "Si",
        "Pero",
        "Y",
        "Con",
        "Para",
        "Por",
        "Hay",
        "Su",
        "Sus",
        "Cuando",
        "Qué",
        "Cómo",
        "Usted",
    ),
    # Long sentences: 25 words, Spanish sentences run longer for the same content (more function words).
    # Complex words: four syllables (Spanish words average about two syllables against English 1.5).
    readability=ReadabilityFacts(
        formulas=("fernandez-huerta", "szigriszt-pazos", "lix", "rix"),
        calibrated=frozenset({"fernandez-huerta", "szigriszt-pazos"}),
        sentence_formula="szigriszt-pazos",
        long_sentence=25,
        complex_syllables=4,
        syllables="spanish",
        passive="spanish",
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
    ),
    # Number words 2-20 (RAE, numerales cardinales); "un/una" are also articles and left out.
    number_words=NumberWords(
        {
            2: ("dos",),
            3: ("tres",),
            4: ("cuatro",),
            5: ("cinco",),
            6: ("seis",),
            7: ("siete",),
            8: ("ocho",),
            9: ("nueve",),
            10: ("diez",),
            11: ("once",),
            12: ("doce",),
            13: ("trece",),
            14: ("catorce",),
            15: ("quince",),
            16: ("dieciséis",),
            17: ("diecisiete",),
            18: ("dieciocho",),
            19: ("diecinueve",),
            20: ("veinte",),
        }
    ),
    # RAE Nueva gramática 48: "o no", "con o sin" and "no sólo" do not negate the clause. Calibrated on
    # 2026-12-05 against every confirmed entry of the shipped catalogs (tests/test_qa.py keeps them quiet).
    negation=Negation(
        r"\b(?:no|nunca|ni|ningún|ninguna|ninguno|nada|nadie|jamás|tampoco|sin)\b",
        r"\bo no\b|\bcon o sin\b|\bno sólo\b|\bno solo\b",
    ),
    # Largest sentence drop measured on the shipped catalogs on 2026-12-05: 0 of 184 entries (at least 1).
    sentence_allowance=1,
    # Measured on 2026-12-05 over the 159 confirmed entries of locales/es of 20 visible characters or more.
    length_band=LengthBand(median=1.21, smallest=0.84, largest=1.64, low=0.75, high=1.81),
    # IReST (Trauzettel-Klosinski and Dietz, 2012): words a minute.
    reading_speed=218,
    # Spanish grade 1 (liblouis es-g1.ctb).
    braille_table="es-g1.ctb",
    braille_grade=1,
)

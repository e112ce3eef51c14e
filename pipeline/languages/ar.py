"""Arabic: a shipped translation (``locales/ar``), right to left, with OSMAN as its readability formula."""

from pipeline.languages.model import Language, LengthBand, Negation, NumberWords, ReadabilityFacts

LANGUAGE = Language(
    tag="ar",
    name="Arabic",
    script="Arab",
    abbreviations=("د.", "أ.", "م.", "أ.د."),
    numeric_abbreviations=("ص.", "رقم."),
    # Long sentences: 25 words (clitics و, ال, ب make fewer, longer words than English); complex words are
    # OSMAN's (more than four vowel marks, read or estimated).
    readability=ReadabilityFacts(
        formulas=("osman", "lix", "rix"),
        calibrated=frozenset({"osman"}),
        sentence_formula="osman",
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
    ),
    # Number words 2-20, masculine/feminine and dual case forms; 11-19 are two-word compounds and left out.
    # "two" is often a dual ending with no word at all ("سنتان", two years; مجموعتين "two groups" in the shipped
    # guide's lines 434 and 722): 2 is not compared.
    number_words=NumberWords(
        {
            2: ("اثنان", "اثنين", "اثنتان", "اثنتين"),
            3: ("ثلاث", "ثلاثة"),
            4: ("أربع", "أربعة"),
            5: ("خمس", "خمسة"),
            6: ("ست", "ستة"),
            7: ("سبع", "سبعة"),
            8: ("ثمان", "ثماني", "ثمانية"),
            9: ("تسع", "تسعة"),
            10: ("عشر", "عشرة"),
            20: ("عشرون", "عشرين"),
        },
        # The conjunction and prepositions (و ف ب ل) and the article ال attach to the word.
        prefix="(?:[وفبل]?(?:ال)?)",
        grammatical=frozenset({2}),
    ),
    # لا/لم/لن/ليس/غير/عدم/لولا with prefixes, less لا يزال "still", لا يتجزأ "integral", أم لا "or not" and the
    # exceptive لا ... إلا "only". Calibrated on 2026-12-05 on the shipped catalogs.
    negation=Negation(
        r"(?<!\w)[وف]?(?:لا|لم|لن|ليس|ليست|ليسوا|غير|بدون|دون|عدم|لولا)(?!\w)",
        r"(?<!\w)[وف]?(?:لا|ما) (?:يزال|تزال|يزالون|زال|زالت)(?!\w)|(?<!\w)أم لا(?!\w)"
        r"|(?<!\w)[وف]?لا(?:\s+\S+){1,3}\s+إلا(?!\w)|(?<!\w)لا يتجزأ(?!\w)",
    ),
    # Largest sentence drop measured on the shipped catalogs on 2026-12-05: 1 of 192 entries.
    sentence_allowance=1,
    # Measured on 2026-12-07 over the 167 confirmed entries of locales/ar of 20 visible characters or more.
    length_band=LengthBand(median=0.89, smallest=0.55, largest=1.28, low=0.49, high=1.41),
    # IReST: words a minute.
    reading_speed=138,
    # Arabic grade 1 (liblouis ar-ar-g1.utb).
    braille_table="ar-ar-g1.utb",
    braille_grade=1,
)

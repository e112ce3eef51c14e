"""Vietnamese: a shipped translation (``locales/vi``); written in syllables, no validated readability formula."""

from pipeline.languages.model import Language, LengthBand, Negation, NumberWords, ReadabilityFacts

LANGUAGE = Language(
    tag="vi",
    name="Vietnamese",
    script="Latn",
    # Vietnamese writes each syllable as a separate word.
    word_segmentation="syllables",
    abbreviations=("tp.", "ts.", "bs.", "gs.", "pgs.", "ths.", "ông.", "bà."),
    numeric_abbreviations=("tr.", "số."),
    sentence_openers=(
        "Các",
        "Những",
        "Một",
        "Người",
        "Bạn",
        "Khi",
        "Nếu",
        "Nhưng",
        "Và",
        "Trong",
        "Đây",
        "Điều",
        "Hãy",
    ),
    # Long sentences: 30 syllables (about 1.5 syllables a word, 20 English words).
    readability=ReadabilityFacts(
        long_sentence=30,
        counted_in="syllables",
        note=(
            "No validated readability formula for Vietnamese; no grade is given. Vietnamese writes each syllable "
            "as a separate word, so lengths are counted in syllables; LIX and RIX are not shown because their "
            "long words (over six letters) do not exist in syllable-written text."
        ),
    ),
    # Number words 2-20 with the "mươi/lăm/mốt" rules; "một" (one) is also an article and left out.
    number_words=NumberWords(
        {
            2: ("hai",),
            3: ("ba",),
            4: ("bốn", "tư"),
            5: ("năm",),
            6: ("sáu",),
            7: ("bảy",),
            8: ("tám",),
            9: ("chín",),
            10: ("mười",),
            11: ("mười một",),
            12: ("mười hai",),
            13: ("mười ba",),
            14: ("mười bốn",),
            15: ("mười lăm",),
            16: ("mười sáu",),
            17: ("mười bảy",),
            18: ("mười tám",),
            19: ("mười chín",),
            20: ("hai mươi",),
        }
    ),
    # "có ... không" and "hay không" are yes/no questions, not negations. Calibrated on 2026-12-05 against
    # every confirmed entry of the shipped catalogs.
    negation=Negation(
        r"\b(?:không|chưa|chẳng|đừng|chớ)\b",
        r"\b(?:hay|hoặc) (?:không|chưa)\b|\b(?:không|chưa)(?=\s*[?\uff1f])"
        r"|\bcó\b[^.?!,;:]*\b(?:không|chưa)(?=\s*[.!]|\s*$)",
    ),
    # Largest sentence drop measured on the shipped catalogs on 2026-12-05: 1 of 182 entries.
    sentence_allowance=1,
    # Measured on 2026-12-07 over the 163 confirmed entries of locales/vi of 20 visible characters or more.
    length_band=LengthBand(median=1.05, smallest=0.67, largest=1.56, low=0.60, high=1.72),
    # IReST lacks Vietnamese: 340 syllables is the English rate of 228 words at about 1.5 syllables a word, an
    # estimate.
    reading_speed=340,
    # Uncontracted Vietnamese braille (liblouis vi-vn-g0.utb, "grade 0" in liblouis's naming): what most readers
    # learned, and it reads back to the text exactly; vi-vn-g1.ctb is partly contracted and no source was found
    # asking for it (issue 24). A clinic can name it in [tool.plainleaf.braille.tables].
    braille_table="vi-vn-g0.utb",
    braille_grade=0,
)

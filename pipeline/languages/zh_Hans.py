"""Chinese in simplified characters: a shipped translation (``locales/zh_Hans``); unspaced, counted in characters."""

from pipeline.languages.model import Language, LengthBand, Negation, NumberWords, ReadabilityFacts

LANGUAGE = Language(
    tag="zh_Hans",
    name="Chinese (Simplified)",
    script="Hans",
    word_segmentation="characters",
    # Long sentences: 40 characters, a common plain-Chinese guide line (about 25 English words).
    readability=ReadabilityFacts(
        long_sentence=40,
        counted_in="characters",
        note=(
            "No validated readability formula for Chinese; no grade is given. Lengths are counted in characters "
            "(each Latin word or number counts as one); the text is not segmented into words."
        ),
    ),
    # Cantonese and Wu are measured the same way.
    readability_aliases=("yue", "wuu"),
    # Number words 2-20 (两 for counted things); 一 is also "a" and left out.
    number_words=NumberWords(
        {
            2: ("二", "两"),
            3: ("三",),
            4: ("四",),
            5: ("五",),
            6: ("六",),
            7: ("七",),
            8: ("八",),
            9: ("九",),
            10: ("十",),
            11: ("十一",),
            12: ("十二",),
            13: ("十三",),
            14: ("十四",),
            15: ("十五",),
            16: ("十六",),
            17: ("十七",),
            18: ("十八",),
            19: ("十九",),
            20: ("二十",),
        },
        spaced=False,
    ),
    # 不/没/未/无/非 with the lexicalised compounds 不同 "different", 无论 "regardless", 未来 "future", 非常 "very",
    # 不可或缺 "indispensable", 有没有 (A-not-A question). Calibrated on 2026-12-05 on the shipped catalogs.
    negation=Negation(
        r"[不没未无非勿莫]|别(?=[让把再])",
        r"无论|不同|不相同|不止|不仅|未来|有没有|是不是|能不能|会不会|不稳定|不可或缺|非常",
    ),
    # Largest sentence drop measured on the shipped catalogs on 2026-12-05: 2 of 182 entries (4 -> 2 in "Trial
    # designs can take different forms...").
    sentence_allowance=2,
    # Measured on 2026-12-05 over the 157 confirmed entries of locales/zh_Hans of 20 visible characters or more.
    length_band=LengthBand(median=0.36, smallest=0.21, largest=0.96, low=0.18, high=1.06),
    # IReST: characters a minute.
    reading_speed=255,
    # Chinese national common braille (国家通用盲文方案, GF 0019-2018; liblouis zhcn-cbs.ctb), the mainland standard
    # since 2018: tones by its rules and one number sign a number, where the older current braille (zh-chn.ctb)
    # marks tones here and there and puts a number sign before every digit. For simplified characters only; ``zh``
    # alone could be traditional, so the table is keyed by this tag. Words are written apart (segmented by jieba)
    # and Latin words in UEB: pipeline/render/data/braille.toml.
    braille_table="zhcn-cbs.ctb",
    braille_grade=1,
)

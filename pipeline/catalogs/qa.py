"""EntryCheck translators' PO files: placeholders, markup, safety, numbers, terms, length.

Every translated, non-fuzzy entry is compared with its msgid by an ordered list of
named checks (a :class:`Checker` owns the list). Each check inspects one
source/translation pair and yields every :class:`Problem` it sees; the checker turns
them into :class:`EntryFinding` objects that name the PO file, the line and the entry.
"""

from __future__ import annotations

import gettext
import re
import string
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path
from typing import Final

import polib
from babel import Locale, UnknownLocaleError
from babel.messages.plurals import get_plural
from babel.numbers import format_decimal, format_percent, get_decimal_symbol, get_group_symbol
from markdown_it import MarkdownIt
from markdown_it.token import Token

from pipeline.errors import CatalogError, ConfigError, Severity

# Stands in the prose for a code span or placeholder: neither a letter, a digit nor a space.
_HIDDEN: Final = "\ufffc"
# Without one of these (or "](") a text has no emphasis, code, HTML, link or break to parse.
_MARKDOWN_SPECIALS: Final = frozenset("*_`<\n")
_DISPLAY_WIDTH: Final = 32


@dataclass(slots=True, frozen=True)
class EntryFinding:
    """One thing wrong with one translation, located in its PO file."""

    path: str
    """The PO file, as the user named it (``locales/es/LC_MESSAGES/guide.po``)."""
    line: int
    """Line where the entry starts in the PO file (polib's ``POEntry.linenum``)."""
    msgid: str
    """The entry's msgid, shortened for display."""
    check: str
    """Short id of the check that found it (``numbers``, ``terms``, ...)."""
    severity: Severity
    """Error or warning."""
    message: str
    """What is wrong, phrased to end with "the translation" (``number 40 missing from the translation``)."""

    def __str__(self) -> str:
        return (
            f"{self.path}:{self.line}: {self.severity.value}: [{self.check}] {self.message} of \u201c{self.msgid}\u201d"
        )


@dataclass(slots=True, frozen=True)
class Problem:
    """What a check reports about one source/translation pair, before it is located."""

    severity: Severity
    """Error or warning."""
    message: str
    """What is wrong; becomes :attr:`EntryFinding.message`."""


# --- one side of a message, analysed once -------------------------------------------

_INLINE_SYNTAX: Final = re.compile(
    r"\\(?P<escaped>[!-/:-@\[-`{-~])"
    r"|(?P<ticks>`+)"
    r"|\]\[(?P<ref>[0-9]+)\]"
    r"|\{(?P<atom>[0-9]+)\}"
    r"|\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)\}"
    r"|(?P<open>!?\[)"
    r"|(?P<close>\])"
)
_HTML: Final = re.compile(r"<(?:[A-Za-z][A-Za-z0-9-]*(?=[\s/>]|$)|/[A-Za-z]|[!?])[^<>]{0,60}>?")
_URL: Final = re.compile(
    r"(?i)\b(?:[a-z][a-z0-9+.-]*://|www\.)[^\s<>()\ufffc]*"
    r"|\b(?:javascript|vbscript):[^\s<>\ufffc]*"
    r"|\bdata:[a-z]+/[^\s<>\ufffc]*"
    r"|\b(?:file:/|mailto:)[^\s<>\ufffc]*"
)
# Non-ASCII decimal digits (Arabic-Indic, full-width...) and the invisible format
# characters (bidi marks, soft hyphen) that may sit between a number and its sign.
_DIGIT_OR_FORMAT: Final = re.compile(
    r"(?![0-9])\d|[\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
_INVISIBLE: Final = re.compile(r"[\s\ufffc]+")
_DELIMITER_RUN: Final = re.compile(r"\*+|_+|`+")


@dataclass(slots=True, frozen=True)
class InlineText:
    """One side of a message (msgid or msgstr), parsed once and shared by every check."""

    raw: str
    """The text as written in the PO file."""
    prose: str
    """Readable text: escapes resolved, code spans and placeholders replaced by U+FFFC."""
    digits: str
    """:attr:`prose` with every Unicode decimal digit as ASCII and bidi controls removed."""
    length: int
    """Visible characters of :attr:`prose`: no spaces, no hidden code or placeholders."""
    placeholders: tuple[str, ...]
    """Link refs ``[..][N]``, atoms ``{N}`` and named ``{name}`` placeholders, in order."""
    orphan_refs: tuple[str, ...]
    """Link refs ``[..][N]`` whose opening bracket is missing: they would print as text."""
    image_refs: tuple[str, ...]
    """``![..][N]``: a link target turned into an image source."""
    code: tuple[str, ...]
    """Contents of the inline code spans, as markdown-it reads them."""
    emphasis: int
    """Number of ``*em*`` spans."""
    strong: int
    """Number of ``**strong**`` spans."""
    hardbreaks: int
    """Number of hard line breaks (backslash at line end)."""
    strays: tuple[str, ...]
    """Runs of ``*``, ``_`` or backticks that markdown-it left as literal text."""
    unsafe: tuple[str, ...]
    """Raw HTML, URLs, inline links and images, described for a message."""


@cache
def _markdown() -> MarkdownIt:
    # text_join would merge escaped characters into plain text; keeping them apart
    # tells a literal "\*" from a stray "*".
    return MarkdownIt("commonmark").disable("text_join")


def _plain_digit(match: re.Match[str]) -> str:
    char = match[0]
    return str(unicodedata.decimal(char)) if char.isdecimal() else ""


def _scan(text: str) -> tuple[str, list[str], list[str], list[str]]:
    """Split placeholders and code spans from prose; return prose, placeholders, orphans, images."""
    prose: list[str] = []
    placeholders: list[str] = []
    orphans: list[str] = []
    images: list[str] = []
    openers: list[bool] = []  # one per unclosed "[", True when it is "!["
    pos = 0
    while (match := _INLINE_SYNTAX.search(text, pos)) is not None:
        prose.append(text[pos : match.start()])
        pos = match.end()
        kind = match.lastgroup
        if kind == "escaped":
            prose.append(match["escaped"])
        elif kind == "ticks":
            ticks = match["ticks"]
            closing = re.compile(rf"(?<!`){ticks}(?!`)").search(text, pos)
            if closing is None:
                prose.append(ticks)
            else:
                prose.append(_HIDDEN)
                pos = closing.end()
        elif kind == "ref":
            number = match["ref"]
            prose.append(_HIDDEN)
            if not openers:
                orphans.append(f"[..][{number}]")
            else:
                placeholders.append(f"[..][{number}]")
                if openers.pop():
                    images.append(f"![..][{number}]")
        elif kind in ("atom", "name"):
            placeholders.append(f"{{{match['atom'] or match['name']}}}")
            prose.append(_HIDDEN)
        elif kind == "open":
            openers.append(match["open"] == "![")
            prose.append(match["open"])
        else:
            if openers:
                openers.pop()
            prose.append("]")
    prose.append(text[pos:])
    return "".join(prose), placeholders, orphans, images


def _inline_tokens(text: str) -> list[Token]:
    if _MARKDOWN_SPECIALS.isdisjoint(text) and "](" not in text:
        return []
    children = _markdown().parseInline(text)[0].children
    return children or []


def _strays(token: Token) -> Iterator[str]:
    content = token.content
    for run in _DELIMITER_RUN.finditer(content):
        if run[0][0] == "_":
            before = content[run.start() - 1 : run.start()]
            after = content[run.end() : run.end() + 1]
            if before.isalnum() and after.isalnum():
                continue  # snake_case: never emphasis, so never a stray marker
        yield run[0]


def _trim_url(url: str) -> str:
    """A URL without the sentence punctuation after it; a closing parenthesis stays if it has a pair."""
    while url and url[-1] in ".,;:!?'\"\u201d\u2019)":
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def _unsafe(prose: str, tokens: list[Token]) -> list[str]:
    found: dict[str, None] = {}
    targets: set[str] = set()
    for token in tokens:
        if token.type == "link_open":
            href = str(token.attrs.get("href", ""))
            targets.add(href)
            if token.markup == "autolink":
                found[f'autolink "<{href}>"'] = None
            else:
                found[f'inline link to "{href}"'] = None
        elif token.type == "image":
            src = str(token.attrs.get("src", ""))
            targets.add(src)
            found[f'image "{src}"'] = None
        elif token.type == "html_inline":
            found[f'raw HTML "{token.content}"'] = None
    for tag in _HTML.finditer(prose) if "<" in prose else ():
        found[f'raw HTML "{tag[0]}"'] = None
    for match in _URL.finditer(prose) if ":" in prose or "www." in prose else ():
        url = _trim_url(match[0])
        if url not in targets:
            found[f'link target "{url}"'] = None
    return list(found)


@lru_cache(maxsize=8192)
def analyse(text: str) -> InlineText:
    """Parse one msgid or msgstr; cached because a msgid is checked once per locale."""
    prose, placeholders, orphans, images = _scan(text)
    tokens = _inline_tokens(text)
    counts = Counter(token.type for token in tokens)
    return InlineText(
        raw=text,
        prose=prose,
        digits=prose if prose.isascii() else _DIGIT_OR_FORMAT.sub(_plain_digit, prose),
        length=len(_INVISIBLE.sub("", prose)),
        placeholders=tuple(placeholders),
        orphan_refs=tuple(orphans),
        image_refs=tuple(images),
        code=tuple(token.content for token in tokens if token.type == "code_inline"),
        emphasis=counts["em_open"],
        strong=counts["strong_open"],
        hardbreaks=counts["hardbreak"],
        strays=tuple(run for token in tokens if token.type == "text" for run in _strays(token)),
        unsafe=tuple(_unsafe(prose, tokens)),
    )


# --- locale conventions --------------------------------------------------------------

_SPACES: Final = " \u00a0\u202f\u2009"
_PERCENT_SIGNS: Final = "%\u066a\uff05\ufe6a"
_CJK_LANGUAGES: Final = frozenset({"zh", "ja", "yue"})


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
        if locale.language in _CJK_LANGUAGES:
            band, script = (0.2, 1.2), "Chinese and Japanese"
        elif locale.language == "ko":
            band, script = (0.3, 1.5), "Korean"
        else:
            band, script = (0.5, 2.5), "alphabetic scripts"
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

_SOURCE_NUMBER: Final = re.compile(
    r"(?<!\d)(?P<integer>\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.(?P<fraction>\d+))?(?P<percent>[ \u00a0]?%)?"
)
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
    for match in _SOURCE_NUMBER.finditer(prose):
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


def _show(number: SourceNumber, rules: LocaleRules) -> str:
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


# --- protected terms -----------------------------------------------------------------

_WORD_CHAR: Final = r"[0-9A-Za-z\u00c0-\u024f]"


@dataclass(slots=True, frozen=True)
class ProtectedTerms:
    """Do-not-translate terms: names, genes and drugs that must reach the patient unchanged."""

    terms: tuple[str, ...]
    """The terms, case-sensitive, in the order of the list they came from."""
    pattern: re.Pattern[str] | None
    """Matches any term as a whole word, the longest first so ``CAR-T`` is not ``CAR``."""

    @classmethod
    def from_terms(cls, terms: Sequence[str]) -> ProtectedTerms:
        """Compile a term list; an English plural "s" after a term still counts as the term."""
        unique = tuple(dict.fromkeys(term.strip() for term in terms if term.strip()))
        if not unique:
            return cls(unique, None)
        longest_first = sorted(unique, key=len, reverse=True)
        alternatives = "|".join(r"\s+".join(map(re.escape, term.split())) for term in longest_first)
        pattern = re.compile(rf"(?<!{_WORD_CHAR})(?:{alternatives})(?=s?(?!{_WORD_CHAR}))")
        return cls(unique, pattern)

    def found_in(self, prose: str) -> set[str]:
        """The terms present in a text, with their inner spaces normalised."""
        if self.pattern is None:
            return set()
        return {" ".join(match[0].split()) for match in self.pattern.finditer(prose)}

    def hide(self, prose: str) -> str:
        """The text with every term removed, to see what is left to translate."""
        return prose if self.pattern is None else self.pattern.sub(_HIDDEN, prose)


def load_terms(path: Path) -> list[str]:
    """Read a do-not-translate list: one term per line, ``#`` comments and blank lines ignored."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the do-not-translate list: {exc}", path) from exc
    terms = (line.strip() for line in lines)
    return list(dict.fromkeys(term for term in terms if term and not term.startswith("#")))


# --- the checks ----------------------------------------------------------------------


@dataclass(slots=True, frozen=True)
class Pair:
    """What every check receives: one source text, its translation and the locale's rules."""

    source: InlineText
    """The msgid (or msgid_plural for plural forms after the first)."""
    translation: InlineText
    """The msgstr or one msgstr[n]."""
    rules: LocaleRules
    """Number symbols and length band of the catalog's locale."""
    terms: ProtectedTerms
    """The do-not-translate list."""


CheckFunction = Callable[[Pair], Iterable[Problem]]


def _error(message: str) -> Problem:
    return Problem(Severity.ERROR, message)


def _describe(placeholder: str) -> str:
    return f"link {placeholder}" if placeholder.startswith("[") else f"placeholder {placeholder}"


def _kind(placeholder: str) -> str:
    """``link``, ``atom`` (``{N}``) or ``named`` (``{minutes}``): one lost and one gained of a kind is a renumbering."""
    if placeholder.startswith("["):
        return "link"
    return "atom" if placeholder[1].isdigit() else "named"


def check_placeholders(pair: Pair) -> Iterator[Problem]:
    """Links ``[..][N]``, atoms ``{N}`` and ``{name}`` must all survive, once each, any order."""
    if sorted(pair.source.placeholders) == sorted(pair.translation.placeholders) and not pair.translation.orphan_refs:
        return
    source = Counter(pair.source.placeholders)
    translation = Counter(pair.translation.placeholders + pair.translation.orphan_refs)
    missing = sorted((source - translation).elements())
    extra = sorted((translation - source).elements())
    for orphan in pair.translation.orphan_refs:
        yield _error(f"link {orphan} lost its opening [ in the translation")
    for kind in ("link", "atom", "named"):
        gone = [p for p in missing if _kind(p) == kind]
        added = [p for p in extra if _kind(p) == kind]
        verb = "renamed" if kind == "named" else "renumbered"
        for old, new in zip(gone, added, strict=False):
            yield _error(f"{_describe(old)} {verb} to {new} in the translation")
        for old in gone[len(added) :]:
            yield _error(f"{_describe(old)} missing from the translation")
        for new in added[len(gone) :]:
            verb = "duplicated in" if new in source else "added by"
            yield _error(f"{_describe(new)} {verb} the translation")


def _count(count: int, noun: str, markup: str = "") -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}" + (f" ({markup})" if markup else "")


def check_markup(pair: Pair) -> Iterator[Problem]:
    """Emphasis, strong, code spans and line breaks must match; no marker may be left dangling."""
    source, translation = pair.source, pair.translation
    for noun, markup, before, after in (
        ("emphasis span", "*...*", source.emphasis, translation.emphasis),
        ("strong span", "**...**", source.strong, translation.strong),
    ):
        if before != after:
            yield _error(f"{_count(before, noun, markup)} in the source but {after} in the translation")
    if sorted(source.code) != sorted(translation.code):
        for code in sorted((Counter(source.code) - Counter(translation.code)).elements()):
            yield _error(f"code `{code}` (never translated) missing or changed in the translation")
        for code in sorted((Counter(translation.code) - Counter(source.code)).elements()):
            yield _error(f"code `{code}` added by the translation")
    strays = Counter(translation.strays) - Counter(source.strays) if translation.strays else Counter[str]()
    for run, times in sorted(strays.items()):
        yield _error(
            f"stray {run}{f' ({times} times)' if times > 1 else ''} left as literal text "
            "(a marker must touch the words it wraps, inside any punctuation) in the translation"
        )
    if source.hardbreaks != translation.hardbreaks:
        yield Problem(
            Severity.WARNING,
            f"{_count(source.hardbreaks, 'line break')} in the source but {translation.hardbreaks} in the translation",
        )


def check_unsafe_markup(pair: Pair) -> Iterator[Problem]:
    """A translation may add no HTML, URL, inline link or image: links come only via ``[..][N]``."""
    if not pair.translation.unsafe and not pair.translation.image_refs:
        return
    added = Counter(pair.translation.unsafe) - Counter(pair.source.unsafe)
    added.update(Counter(pair.translation.image_refs) - Counter(pair.source.image_refs))
    if added:
        items = ", ".join(item if item[0] != "!" else f"image {item}" for item in added)
        yield _error(f"{items} added by the translation")


def check_numbers(pair: Pair) -> Iterator[Problem]:
    """Every number of the msgid must appear in the msgstr, as written or in the locale's notation."""
    values, percents = pair.rules.numbers_in(pair.translation.digits)
    for number in source_numbers(pair.source.prose):
        value = (number.integer, number.fraction)
        if value not in values:
            yield _error(f"number {_show(number, pair.rules)} missing from the translation")
        elif number.percent and value not in percents:
            yield _error(f"percent sign of {_show(number, pair.rules)} missing from the translation")


def check_terms(pair: Pair) -> Iterator[Problem]:
    """Do-not-translate terms in the msgid must appear unchanged in the msgstr."""
    missing = pair.terms.found_in(pair.source.prose) - pair.terms.found_in(pair.translation.prose)
    for term in sorted(missing):
        yield _error(f'term "{term}" missing or changed in the translation')


def check_length(pair: Pair) -> Iterator[Problem]:
    """Warn when a translation is much shorter or longer than its script usually runs."""
    if pair.source.length < 20:
        return
    ratio = pair.translation.length / pair.source.length
    low, high = pair.rules.length_band
    if not low <= ratio <= high:
        yield Problem(
            Severity.WARNING,
            f"length ratio {ratio:.2f} outside {low:.1f}\u2013{high:.1f} expected for "
            f"{pair.rules.script}: text may be missing or added in the translation",
        )


def check_identical(pair: Pair) -> Iterator[Problem]:
    """Warn when a msgid with words to translate was copied unchanged into the msgstr."""
    if pair.translation.raw != pair.source.raw or pair.rules.locale.language == "en":
        return
    left = _SOURCE_NUMBER.sub(_HIDDEN, pair.terms.hide(pair.source.prose))
    if any(char.isalpha() for char in left):
        yield Problem(Severity.WARNING, "source text copied unchanged into the translation")


@dataclass(slots=True, frozen=True)
class EntryCheck:
    """One named check in a :class:`Checker`."""

    name: str
    """Short id shown in brackets, e.g. ``numbers``."""
    run: CheckFunction
    """Inspects one source/translation pair and yields every problem it sees."""


def default_checks() -> list[EntryCheck]:
    """The checks ``plainleaf check`` runs, in reporting order."""
    return [
        EntryCheck("placeholders", check_placeholders),
        EntryCheck("markup", check_markup),
        EntryCheck("unsafe-markup", check_unsafe_markup),
        EntryCheck("numbers", check_numbers),
        EntryCheck("terms", check_terms),
        EntryCheck("length", check_length),
        EntryCheck("identical", check_identical),
    ]


def shorten(msgid: str, width: int = _DISPLAY_WIDTH) -> str:
    """A msgid cut at a word boundary, for naming the entry in a finding."""
    text = " ".join(msgid.split())
    if len(text) <= width:
        return text
    cut = text[:width].rsplit(" ", 1)[0] if " " in text[:width] else text[:width]
    return cut.rstrip(",.;:") + "\u2026"


@dataclass(slots=True)
class Checker:
    """Runs an ordered list of checks over the translated entries of one locale's catalogs."""

    rules: LocaleRules
    """Number notation and length band of the locale."""
    terms: ProtectedTerms
    """The do-not-translate list."""
    checks: list[EntryCheck] = field(default_factory=default_checks)
    """The registry: add, remove or reorder checks here."""

    def check_entry(self, entry: polib.POEntry, path: str) -> list[EntryFinding]:
        """Every finding for one entry; untranslated, fuzzy and obsolete entries have none."""
        if not entry.msgid or entry.obsolete or entry.fuzzy or not entry.translated():
            return []
        forms: list[tuple[int | None, str, str]]
        if entry.msgid_plural:
            forms = [
                (index, entry.msgid if index == 0 else entry.msgid_plural, text)
                for index, text in sorted(entry.msgstr_plural.items())
            ]
        else:
            forms = [(None, entry.msgid, entry.msgstr)]
        findings: list[EntryFinding] = []
        display = shorten(entry.msgid)
        for index, source, translation in forms:
            pair = Pair(analyse(source), analyse(translation), self.rules, self.terms)
            prefix = "" if index is None else f"msgstr[{index}]: "
            for check in self.checks:
                findings.extend(
                    EntryFinding(
                        path=path,
                        line=entry.linenum or 0,
                        msgid=display,
                        check=check.name,
                        severity=problem.severity,
                        message=prefix + problem.message,
                    )
                    for problem in check.run(pair)
                )
        return findings

    def check_catalog(self, catalog: polib.POFile, path: str) -> list[EntryFinding]:
        """Every finding for every entry of a catalog, in file order."""
        return [finding for entry in catalog for finding in self.check_entry(entry, path)]


_PLURAL_FORMS = re.compile(r"^\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?);?\s*$")


def _header_line(catalog: polib.POFile) -> int:
    header = next((entry for entry in catalog if entry.msgid == "" and not entry.msgctxt), None)
    return int(header.linenum) if header is not None and header.linenum else 1


def check_plural_forms(catalog: polib.POFile, path: str, locale: str) -> list[EntryFinding]:
    """The Plural-Forms header parses, and every plural entry has exactly nplurals forms (msgfmt's rules)."""
    plurals = [entry for entry in catalog if entry.msgid_plural and not entry.obsolete]
    forms = catalog.metadata.get("Plural-Forms", "")
    if not plurals and not forms:
        return []
    header = _header_line(catalog)
    shown = f"Plural-Forms: {forms}"
    match = _PLURAL_FORMS.match(forms)
    error = Severity.ERROR
    if not match:
        return [EntryFinding(path, header, shown, "plural-forms", error, "cannot read the header line")]
    try:
        gettext.c2py(match.group(2))
    except (ValueError, SyntaxError):
        return [
            EntryFinding(path, header, shown, "plural-forms", error, "invalid plural expression in the header line")
        ]
    count = int(match.group(1))
    findings = []
    try:
        expected = get_plural(locale).num_plurals
    except (UnknownLocaleError, ValueError):
        expected = None
    if expected and expected != count:
        message = f"CLDR has {expected} plural forms for {locale}, not {count}: check the header line"
        findings.append(EntryFinding(path, header, shown, "plural-forms", Severity.WARNING, message))
    for entry in plurals:
        if any(entry.msgstr_plural.values()) and len(entry.msgstr_plural) != count:
            message = f"{len(entry.msgstr_plural)} plural forms where the header says {count}, in the translation"
            findings.append(
                EntryFinding(path, entry.linenum or header, shorten(entry.msgid), "plural-forms", error, message)
            )
    return findings


def check_catalog(catalog: polib.POFile, path: str, locale: str, terms: Sequence[str]) -> list[EntryFinding]:
    """EntryCheck one translator's PO file against its msgids; collect every finding."""
    try:
        rules = LocaleRules.for_locale(locale)
    except (UnknownLocaleError, ValueError) as exc:
        raise CatalogError(f"unknown locale {locale!r}: {exc}", path) from exc
    findings = check_plural_forms(catalog, path, locale)
    return findings + Checker(rules, ProtectedTerms.from_terms(terms)).check_catalog(catalog, path)

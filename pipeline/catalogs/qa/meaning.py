"""Meaning checks: what a translation claims, compared with what its msgid claims.

The form checks of :mod:`pipeline.catalogs.qa` see a lost link or number; these see a lost "not", a "may" made
certain, "some" turned into "all", years turned into months, a dropped sentence or list item, an added phone
number, a question made a statement, the wrong entry's translation or the wrong language. The words come from
one data file per language, ``pipeline/languages/markers/<locale>.toml``, that a reviewer of the language can
correct: each names marker classes (negation, hedge, quantifier, restriction, direction, severity, time and dose
units, question) with the forms that always carry the class and those that may (``maybe``), and the phrases
that look like a marker without being one (``except``). A class is compared by its **count** in the msgid and
the msgstr, after each language's own segmentation: whole words (English, Spanish), syllable sequences
(Vietnamese), substrings (Chinese) and words with attached particles (Arabic).
"""

from __future__ import annotations

import math
import re
import tomllib
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Final

import polib

from pipeline.catalogs.qa.checks import EntryCheck, Pair, Problem, sentence_count
from pipeline.catalogs.qa.inline import analyse
from pipeline.catalogs.qa.numbers import SOURCE_LANGUAGE, number_words_in, source_numbers
from pipeline.errors import ConfigError, Severity
from pipeline.languages import languages
from pipeline.languages.segmentation import split_rules

MARKERS_DIR: Final = Path(__file__).resolve().parent.parent.parent / "languages" / "markers"
"""Where the marker tables live: one ``<locale>.toml`` per language (``en``, ``es``, ``zh_Hans`` ...)."""

SEGMENTATIONS: Final = frozenset({"words", "syllables", "characters", "clitics"})
"""How a table's forms are found: whole words, syllable sequences, substrings, or words with attached particles."""

MERGE_NOTES: Final = re.compile(r"plainleaf[:\s-]+(?P<kind>split|merge)(?:\s+(?P<count>\d+))?", re.IGNORECASE)
"""A translator comment (``# plainleaf: merge``) or flag (``#, plainleaf-split``) that marks a deliberate change
of sentence count; translator comments survive msgmerge, Poedit and ``plainleaf update``."""

# Arabic short vowels, shadda, sukun, superscript alef and tatweel: written or not, the word is the same.
_ARABIC_MARKS: Final = re.compile("[\u064b-\u065f\u0670\u0640]")
_ARABIC_ALEFS: Final = str.maketrans({"\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627"})
_ARABIC: Final = re.compile("[\u0600-\u06ff]")
_LETTER: Final = re.compile(r"[^\W\d_]")
_APOSTROPHES: Final = str.maketrans({"\u2019": "'", "\u02bc": "'"})


def normalise(text: str) -> str:
    """Text as the tables are matched against: NFC, lower case, one apostrophe, Arabic without vowel marks and
    with one alef."""
    text = unicodedata.normalize("NFC", text).lower().translate(_APOSTROPHES)
    if _ARABIC.search(text):
        text = _ARABIC_MARKS.sub("", text).translate(_ARABIC_ALEFS)
    return text


# --- the tables -------------------------------------------------------------------------------------------


@dataclass(slots=True, frozen=True)
class MarkerClass:
    """One class of meaning markers (``negation``, ``time.year``) as the source table describes it."""

    name: str
    """Key in every table: ``negation``, ``quantifier.all``, ``time.year``."""
    check: str
    """Id of the check that reports it (the part before the dot): ``negation``, ``quantifier``, ``time-unit``."""
    noun: tuple[str, str]
    """Singular and plural noun for messages: ("negation", "negations")."""


@dataclass(slots=True, frozen=True)
class Count:
    """How many markers of one class a text holds."""

    sure: int
    """Markers that always carry the class."""
    maybe: int
    """Markers that may carry it or not ("poorly" is or is not a negation once translated)."""
    words: tuple[str, ...]
    """The markers as found, for the message."""

    def overlaps(self, other: Count) -> bool:
        """Whether the two texts can hold as many markers: their ranges [sure, sure + maybe] meet."""
        return self.sure <= other.sure + other.maybe and other.sure <= self.sure + self.maybe


_EMPTY: Final = Count(0, 0, ())


Marks = tuple[tuple[str, bool], ...]
"""The classes a form carries, each with whether it only may carry it; empty for an exception."""

_TOKEN: Final = re.compile(r"\w+(?:'\w+)*|[^\w\s]")
_CLITICS: Final = tuple(
    sorted(
        {
            a + b + c
            for a in ("", "\u0648", "\u0641")
            for b in ("", "\u0644\u0644", "\u0628", "\u0643", "\u0644", "\u0633")
            for c in ("", "\u0627\u0644")
        },
        key=len,
        reverse=True,
    )
)
"""Arabic particles a word may carry in front (و ف, then لل ب ك ل س, then ال), longest first."""


def _piece(token: str) -> tuple[str, bool, bool]:
    """One token of a form: its text and whether more letters may come before (``*n't``) or after (``reduc*``)."""
    if token == "*":
        return "", True, True
    return token.strip("*"), token.startswith("*"), token.endswith("*")


def _fits(piece: tuple[str, bool, bool], token: str) -> bool:
    text, head, tail = piece
    if head and tail:
        return text in token
    if head:
        return token.endswith(text)
    if tail:
        return token.startswith(text)
    return token == text


@dataclass(slots=True, frozen=True)
class FormIndex:
    """The literal forms of a table, indexed by their first token (or first character, for Chinese), so that a
    text is matched in one pass: at each token the longest form that fits is taken."""

    segmentation: str
    """As :attr:`MarkerTable.segmentation`."""
    exact: dict[str, list[tuple[tuple[tuple[str, bool, bool], ...], int, Marks]]]
    """First token (exact) -> forms starting with it: their pieces, length in characters and marks."""
    loose: dict[str, list[tuple[tuple[tuple[str, bool, bool], ...], int, Marks]]]
    """Forms whose first token has a wildcard, by its first two letters (``re`` for ``reduc*``) or, for a
    wildcard in front (``*n't``), by its last two prefixed with ``*``."""
    strings: dict[str, Marks]
    """Chinese: each form as a string."""
    longest: int
    """Chinese: the longest form, in characters."""
    clitics: bool
    """Arabic: try the first token without its particles too."""

    @classmethod
    def build(cls, forms: dict[str, Marks], segmentation: str, prefix: str) -> FormIndex:
        """Index ``forms`` (form -> marks) for a segmentation."""
        exact: dict[str, list[tuple[tuple[tuple[str, bool, bool], ...], int, Marks]]] = {}
        loose: dict[str, list[tuple[tuple[tuple[str, bool, bool], ...], int, Marks]]] = {}
        strings: dict[str, Marks] = {}
        for form, marks in forms.items():
            normal = normalise(form)
            if segmentation == "characters":
                strings[normal.replace(" ", "")] = marks
                continue
            pieces = tuple(_piece(token) for token in _form_tokens(normal))
            if not pieces:
                continue
            entry = (pieces, len(normal), marks)
            first, head, tail = pieces[0]
            if head or tail:
                loose.setdefault(f"*{first[-2:]}" if head else first[:2], []).append(entry)
            else:
                exact.setdefault(pieces[0][0], []).append(entry)
        for candidates in exact.values():
            candidates.sort(key=lambda entry: -entry[1])
        for candidates in loose.values():
            candidates.sort(key=lambda entry: -entry[1])
        return cls(segmentation, exact, loose, strings, max(map(len, strings), default=0), bool(prefix))

    def find(self, text: str, taken: list[tuple[int, int]]) -> list[tuple[str, Marks]]:
        """Every form in ``text`` outside the ``taken`` spans, the longest first at each place."""
        if self.segmentation == "characters":
            return self._find_characters(text, taken)
        tokens = [(match[0], match.start(), match.end()) for match in _TOKEN.finditer(text)]
        found: list[tuple[str, Marks]] = []
        index = 0
        while index < len(tokens):
            token, start, _ = tokens[index]
            if any(low <= start < high for low, high in taken):
                index += 1
                continue
            best: tuple[int, int, Marks] | None = None  # (characters, tokens, marks)
            for variant in self._variants(token):
                candidates = [
                    *self.exact.get(variant, ()),
                    *self.loose.get(variant[:2], ()),
                    *self.loose.get(f"*{variant[-2:]}", ()),
                ]
                for pieces, length, marks in candidates:
                    if best is not None and length <= best[0]:
                        continue
                    if self._matches(pieces, variant, tokens, index):
                        best = (length, len(pieces), marks)
            if best is None:
                index += 1
                continue
            end = tokens[index + best[1] - 1][2]
            found.append((text[start:end], best[2]))
            index += best[1]
        return found

    def _variants(self, token: str) -> list[str]:
        if not self.clitics:
            return [token]
        stems = [token] + [token[len(p) :] for p in _CLITICS if p and token.startswith(p) and len(token) > len(p) + 1]
        # The indefinite accusative ends in alef (شهورًا, "months"): the word is the same without it.
        return stems + [stem[:-1] for stem in stems if stem.endswith("\u0627") and len(stem) > 3]

    @staticmethod
    def _matches(
        pieces: tuple[tuple[str, bool, bool], ...], first: str, tokens: list[tuple[str, int, int]], index: int
    ) -> bool:
        if index + len(pieces) > len(tokens) or not _fits(pieces[0], first):
            return False
        return all(_fits(piece, tokens[index + offset][0]) for offset, piece in enumerate(pieces) if offset)

    def _find_characters(self, text: str, taken: list[tuple[int, int]]) -> list[tuple[str, Marks]]:
        found: list[tuple[str, Marks]] = []
        index = 0
        while index < len(text):
            if any(low <= index < high for low, high in taken):
                index += 1
                continue
            for length in range(min(self.longest, len(text) - index), 0, -1):
                piece = text[index : index + length]
                marks = self.strings.get(piece)
                if marks is None:
                    continue
                if piece.isascii() and piece[:1].isalnum() and not _ascii_word(text, index, index + length):
                    continue  # a Latin unit (ml, mg) inside Chinese text is still a whole word
                found.append((piece, marks))
                index += length
                break
            else:
                index += 1
        return found


def _ascii_word(text: str, start: int, end: int) -> bool:
    before = text[start - 1 : start]
    after = text[end : end + 1]
    return not (before.isascii() and before.isalpha()) and not (after.isascii() and after.isalpha())


def _form_tokens(form: str) -> list[str]:
    """A form split as texts are: words (with their * wildcards) and each punctuation mark."""
    return re.findall(r"\*?\w+(?:'\w+)*\*?|\*|[^\w\s*]", form) if form != "*" else ["*"]


@dataclass(slots=True, frozen=True)
class MarkerTable:
    """The meaning markers of one language, read from ``pipeline/languages/markers/<locale>.toml``."""

    locale: str
    """The file's locale: ``en``, ``es``, ``zh_Hans``."""
    name: str
    """The language's English name, for messages."""
    segmentation: str
    """One of :data:`SEGMENTATIONS`."""
    note: str
    """Where the forms come from (the file's ``note``)."""
    script: str
    """The script its text is written in: ``Latin``, ``Arabic`` or ``Han``."""
    langid: str
    """The language's code in py3langid's model (``es``, ``zh``)."""
    classes: tuple[str, ...]
    """The classes the table has forms for."""
    pattern: re.Pattern[str] | None
    """The classes' regexes and regex exceptions, each its own group; taken before the forms."""
    forms: FormIndex
    """The literal forms and exceptions, found token by token, the longest first."""
    blank: re.Pattern[str] | None
    """Contexts whose group ``drop`` is no marker (the particle of "có ... không", an indirect question)."""
    groups: tuple[tuple[tuple[str, bool], ...], ...]
    """Per group of :attr:`pattern` (1-based, index 0 unused): the classes it carries, each with whether it
    only may carry it."""
    list_separators: str
    """Characters that separate items of a list inside a sentence (``,`` ``、`` ``،``)."""
    list_words: re.Pattern[str] | None
    """Conjunctions that join the last item of a list (and, or, y, và, 和, و)."""
    not_joins: frozenset[str]
    repeated_conjunction: bool
    """Whether the language may repeat the conjunction before every item (Arabic "A وB وC"): every conjunction of
    a list's clause is then an item, else one after the last separator is."""
    """Words that look like a conjunction and are not (Arabic ورم "tumor" begins with و)."""
    phase_words: re.Pattern[str] | None
    """Finds a trial phase with its numeral (``fase II``, ``II期``, ``المرحلة الثانية``): group ``numeral``."""
    ordinals: dict[str, int]
    """Ordinal words that number a phase (``الثانية`` 2)."""
    steps: re.Pattern[str]
    """Finds step numbers (``1.``, ``(2)``, ``Step 3``, ``第一步``): group ``step`` (digits or an ordinal word)."""

    def count(self, prose: str) -> dict[str, Count]:
        """Markers of every class in a text."""
        return _count(self, prose)


def _form_regex(form: str, segmentation: str, prefix: str) -> str:
    """A table form as a regex: ``*`` at either end stands for more letters, a space for any white space."""
    head = form.startswith("*")
    tail = form.endswith("*") and len(form) > 1
    core = form.strip("*") if form != "*" else form
    body = r"\s+".join(re.escape(normalise(part)) for part in core.split())
    if head:
        body = r"\w*" + body
    if tail:
        body += r"\w*"
    if segmentation == "characters":
        if core.isascii() and core[:1].isalnum():  # a Latin unit (ml, mg) inside Chinese text is still a word
            return rf"(?<![A-Za-z]){body}(?![A-Za-z])"
        return body
    before = "" if head or not core[:1].isalnum() else r"(?<!\w)"
    after = "" if tail or not core[-1:].isalnum() else r"(?!\w)"
    if segmentation == "clitics" and before:
        before += f"(?:{prefix})?"
    return before + body + after


def _strings(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{where}: expected a list of strings")
    return list(value)


def _compile_table(locale: str, data: dict[str, Any], path: Path) -> MarkerTable:
    where = str(path)
    segmentation = data.get("segmentation", "words")
    if segmentation not in SEGMENTATIONS:
        raise ConfigError(f"segmentation: expected one of {sorted(SEGMENTATIONS)}, got {segmentation!r}", where)
    prefix = str(data.get("prefix", ""))
    known = {"language", "name", "segmentation", "prefix", "note", "script", "langid", "classes", "lists"}
    known |= {"phases", "steps"}
    unknown = set(data) - known
    if unknown:
        raise ConfigError(f"unknown keys {sorted(unknown)}", where)
    entries: list[tuple[int, str, tuple[tuple[str, bool], ...]]] = []  # (priority, regex, (class, maybe) pairs)
    carried: dict[str, dict[str, bool]] = {}  # form -> class -> only maybe
    blanks: list[str] = []
    classes = data.get("classes", {})
    if not isinstance(classes, dict):
        raise ConfigError("classes: expected a table of classes", where)
    for name, spec in classes.items():
        if not isinstance(spec, dict):
            raise ConfigError(f"classes.{name}: expected a table", where)
        extra = set(spec) - {"forms", "maybe", "except", "regex", "regex_maybe", "regex_except", "regex_blank", "note"}
        extra -= {"noun"}
        extra -= {"triggers", "source_maybe"}
        if extra:
            raise ConfigError(f"classes.{name}: unknown keys {sorted(extra)}", where)
        for key, maybe in (("forms", False), ("triggers", False), ("maybe", True)):
            for form in _strings(spec.get(key, []), f"classes.{name}.{key}"):
                marks = carried.setdefault(form, {})
                marks[name] = marks.get(name, True) and maybe  # a sure form of a class is never only maybe
        for form in _strings(spec.get("except", []), f"classes.{name}.except"):
            carried.setdefault(form, {})
        for regex in _strings(spec.get("regex", []), f"classes.{name}.regex"):
            entries.append((0, regex, ((name, False),)))
        for regex in _strings(spec.get("regex_maybe", []), f"classes.{name}.regex_maybe"):
            entries.append((0, regex, ((name, True),)))
        for regex in _strings(spec.get("regex_except", []), f"classes.{name}.regex_except"):
            entries.append((0, regex, ()))
        blanks.extend(_strings(spec.get("regex_blank", []), f"classes.{name}.regex_blank"))
    # Regexes are written for a context and come first; literal forms are matched afterwards, token by token,
    # the longest first, so that "not only" is taken before "not", and 更少 ("less") before 更 ("more").
    groups: list[tuple[tuple[str, bool], ...]] = [()]
    alternatives = []
    for _, regex, pairs in entries:
        try:
            re.compile(regex)
        except re.error as exc:
            raise ConfigError(f"invalid pattern {regex!r}: {exc}", where) from exc
        alternatives.append(f"({regex})")
        groups.append(pairs)
    forms = FormIndex.build(
        {form: tuple(sorted(carries.items())) for form, carries in carried.items()}, segmentation, prefix
    )
    lists = data.get("lists", {})
    separators = str(lists.get("separators", ","))
    # A conjunction is the first letters of its word: no particle goes before it.
    conjunctions = [_form_regex(word, segmentation, "") for word in _strings(lists.get("words", []), "lists.words")]
    not_joins = frozenset(normalise(word) for word in _strings(lists.get("except", []), "lists.except"))
    repeated = lists.get("repeated_conjunction", False)
    if not isinstance(repeated, bool):
        raise ConfigError("lists.repeated_conjunction: expected true or false", where)
    phases = data.get("phases", {})
    phase_words = _strings(phases.get("words", []), "phases.words")
    ordinals = {normalise(word): int(value) for word, value in phases.get("ordinals", {}).items()}
    phase_pattern = _phase_pattern(phase_words, ordinals, str(phases.get("position", "before")))
    step_words = {normalise(word): int(value) for word, value in data.get("steps", {}).get("ordinals", {}).items()}
    return MarkerTable(
        locale=locale,
        name=str(data.get("name", locale)),
        segmentation=segmentation,
        note=str(data.get("note", "")),
        script=str(data.get("script", "Latin")),
        langid=str(data.get("langid", locale.split("_")[0])),
        classes=tuple(classes),
        pattern=re.compile("|".join(alternatives)) if alternatives else None,
        forms=forms,
        blank=re.compile("|".join(f"(?:{regex})" for regex in blanks)) if blanks else None,
        groups=tuple(groups),
        list_separators=separators,
        list_words=re.compile("|".join(conjunctions)) if conjunctions else None,
        not_joins=not_joins,
        repeated_conjunction=repeated,
        phase_words=phase_pattern,
        ordinals=ordinals,
        steps=_step_pattern(step_words),
    )


_ROMAN: Final = r"(?:x{0,1}(?:ix|iv|v?i{0,3})|[\u2160-\u216b])"
_ROMAN_VALUES: Final = {"i": 1, "v": 5, "x": 10}


def roman_value(numeral: str) -> int:
    """The value of a roman numeral (``iii`` 3, ``iv`` 4, Unicode U+2161 2); 0 when it is none."""
    if len(numeral) == 1 and "\u2160" <= numeral <= "\u217b":  # Unicode roman numerals 1-12, capital and small
        return (ord(numeral) - 0x215F - 1) % 16 + 1
    numeral = numeral.lower()
    total = 0
    for index, char in enumerate(numeral):
        value = _ROMAN_VALUES.get(char, 0)
        following = _ROMAN_VALUES.get(numeral[index + 1], 0) if index + 1 < len(numeral) else 0
        total += -value if value < following else value
    return total


def _phase_pattern(words: list[str], ordinals: dict[str, int], position: str) -> re.Pattern[str] | None:
    if not words:
        return None
    phase = "|".join(re.escape(normalise(word)).replace(r"\ ", r"\s+") for word in sorted(words, key=len, reverse=True))
    numeral = rf"(?<![a-z]){_ROMAN}(?:\s*/\s*{_ROMAN})*(?![a-z])|\d+(?:\s*/\s*\d+)*"
    if ordinals:
        numeral += "|" + "|".join(re.escape(word) for word in sorted(ordinals, key=len, reverse=True))
    if position == "after":  # Chinese: II期
        # 每一期 "each phase", 哪一期 "which phase" name no phase.
        return re.compile(rf"(?<![每哪这那该几同各])(?P<numeral>{numeral})\s*(?:{phase})")
    return re.compile(rf"(?<!\w)(?:[وفبل]?(?:{phase}))\w*\s+(?P<numeral>{numeral})(?!\w)")


def _step_pattern(words: dict[str, int]) -> re.Pattern[str]:
    numbered = r"(?:^|(?<=[\s(:;]))\(?(?P<step>\d{1,2})[.)](?=\s)"
    if not words:
        return re.compile(numbered)
    alternatives = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    return re.compile(rf"{numbered}|(?P<word>{alternatives})")


@cache
def marker_table(locale: str) -> MarkerTable | None:
    """The table of a locale (``zh_Hans``), else of its language (``es`` for ``es_MX``); None when there is none.

    ``zh_Hant`` does not fall back to ``zh_Hans``: the script is part of what is checked.
    """
    normal = locale.replace("-", "_")
    candidates = [languages().get(normal)]
    subtag = normal.split("_")[0]
    if subtag != "zh" and (by_subtag := languages().for_subtag(subtag)) is not None:
        candidates.append(by_subtag)
    for candidate in candidates:
        path = candidate.markers  # pipeline/languages/markers/<tag>.toml, as the language's file names it
        if path is not None:
            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
            except (OSError, tomllib.TOMLDecodeError) as exc:
                raise ConfigError(f"cannot read the marker table: {exc}", path) from exc
            return _compile_table(candidate.tag, data, path)
    return None


@cache
def source_classes() -> dict[str, MarkerClass]:
    """The classes of the source table (English), with the nouns its messages use."""
    path = MARKERS_DIR / f"{SOURCE_LANGUAGE}.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    found = {}
    for name, spec in data.get("classes", {}).items():
        noun = spec.get("noun", [name, name + "s"])
        check = name.split(".")[0]
        check = f"{check}-unit" if check in ("time", "dose") else check
        found[name] = MarkerClass(name, check, (str(noun[0]), str(noun[1])))
    return found


@lru_cache(maxsize=8192)
def _count_cached(locale: str, prose: str) -> dict[str, Count]:
    table = source_table(locale.split("@")[1]) if "@" in locale else marker_table(locale)
    assert table is not None
    sure: Counter[str] = Counter()
    maybe: Counter[str] = Counter()
    words: dict[str, list[str]] = {}
    text = normalise(prose)
    if table.blank is not None:
        text = table.blank.sub(_blank_drop, text)
    taken: list[tuple[int, int]] = []
    found: list[tuple[str, tuple[tuple[str, bool], ...]]] = []
    if table.pattern is not None:
        for match in table.pattern.finditer(text):
            taken.append(match.span())
            found.append((match[0], table.groups[match.lastindex or 0]))
    found += table.forms.find(text, taken)
    for word, marks in found:
        for name, only_maybe in marks:
            (maybe if only_maybe else sure)[name] += 1
            words.setdefault(name, []).append(word)
    return {name: Count(sure[name], maybe[name], tuple(words.get(name, ()))) for name in words}


def _blank_drop(match: re.Match[str]) -> str:
    start, end = match.span("drop")
    text = match[0]
    offset = match.start()
    return text[: start - offset] + " " * (end - start) + text[end - offset :]


def _count(table: MarkerTable, prose: str) -> dict[str, Count]:
    return _count_cached(table.locale, prose)


def _plural(count: int, noun: tuple[str, str]) -> str:
    return f"{count} {noun[0] if count == 1 else noun[1]}"


def _shown(count: Count) -> str:
    words = dict.fromkeys(" ".join(word.split()) for word in count.words)
    return f" ({', '.join(words)})" if words else ""


def _range(count: Count) -> str:
    return f"{count.sure}" if not count.maybe else f"{count.sure}\u2013{count.sure + count.maybe}"


# --- the pair-level checks ------------------------------------------------------------------------------------


def _tables(pair: Pair) -> tuple[MarkerTable, MarkerTable] | None:
    target = marker_table(str(pair.rules.locale))
    if target is None:
        return None
    return source_table(target.locale), target


@cache
def source_table(target: str) -> MarkerTable:
    """The English table as a target language reads it: triggers its table lists under ``source_maybe`` (English
    "can", which Chinese often leaves implicit) only may carry the class."""
    data = _read_table(SOURCE_LANGUAGE)
    target_data = _read_table(target) if target != SOURCE_LANGUAGE else {}
    for name, spec in target_data.get("classes", {}).items():
        demoted = set(spec.get("source_maybe", []))
        source = data.get("classes", {}).get(name)
        if not demoted or source is None:
            continue
        source["triggers"] = [form for form in source.get("triggers", []) if form not in demoted]
        source["maybe"] = [*source.get("maybe", []), *sorted(demoted)]
    return _compile_table(f"{SOURCE_LANGUAGE}@{target}", data, MARKERS_DIR / f"{SOURCE_LANGUAGE}.toml")


def _read_table(locale: str) -> dict[str, Any]:
    path = MARKERS_DIR / f"{locale}.toml"
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read the marker table: {exc}", path) from exc


@cache
def _class_check(check: str) -> EntryCheck:
    """One check over every class whose id is ``check`` (``quantifier`` covers all, most, some and few); one object
    per id, so that two checkers' lists of checks are equal (the runner keeps results per check and pair)."""

    def run(pair: Pair) -> Iterator[Problem]:
        tables = _tables(pair)
        if tables is None:
            return
        source_table, target_table = tables
        source = source_table.count(pair.source.prose)
        translation = target_table.count(pair.translation.prose)
        for name, marker in source_classes().items():
            if marker.check != check or name not in target_table.classes:
                continue
            before, after = source.get(name, _EMPTY), translation.get(name, _EMPTY)
            if before.overlaps(after):
                continue
            if check == "question" and after.sure > before.sure > 0:
                continue  # "X, and Y?" asked as two questions (Chinese does): no question lost
            yield Problem(
                Severity.ERROR,
                f"source has {_plural(before.sure, marker.noun)}{_shown(before)}, translation {_range(after)}"
                f"{_shown(after)}: the meaning changed in the translation",
            )

    run.__doc__ = f"The {check} markers of the msgid and the msgstr must be as many (marker tables)."
    return EntryCheck(check, run)


def check_sentences(pair: Pair) -> Iterator[Problem]:
    """As many sentences in the msgstr as in the msgid, each language split by its own rules; a translator
    comment ``plainleaf: split`` or ``plainleaf: merge`` makes a difference a note for the reviewer."""
    language = pair.rules.locale.language
    # Emphasis markers stand between a full stop and the next sentence ("**Ask early.** At your visit"): unmarked.
    source_prose, translation_prose = (_EMPHASIS.sub("", text) for text in (pair.source.prose, pair.translation.prose))
    source = sentence_count(source_prose, SOURCE_LANGUAGE) if source_prose.strip() else 0
    translation = sentence_count(translation_prose, language) if translation_prose.strip() else 0
    if source == translation:
        return
    questions = _question_marks(pair.translation.prose) - _question_marks(pair.source.prose)
    if translation > source and _question_marks(pair.source.prose) and questions >= translation - source:
        return  # one question asked as two, as Chinese and Vietnamese do ("X, and Y?" as two questions)
    note = MERGE_NOTES.search(pair.comment)
    message = f"source has {_plural(source, ('sentence', 'sentences'))}, translation {translation}"
    if note is not None and (note["count"] is None or int(note["count"]) == translation):
        kind = note["kind"].lower()
        yield Problem(Severity.INFO, f"{message}: {kind} on purpose (translator's note), for the reviewer")
        return
    if note is not None:
        yield Problem(
            Severity.ERROR,
            f"{message}: the translator's note \u201c{note[0]}\u201d says {note['count']}, in the translation",
        )
        return
    what = "sentence dropped or merged" if translation < source else "sentence added, split or repeated"
    yield Problem(
        Severity.ERROR,
        f"{message}: {what} in the translation (a deliberate change needs the translator comment "
        '"# plainleaf: merge" or "# plainleaf: split")',
    )


_EMPHASIS: Final = re.compile(r"\*+|(?<!\w)_+|_+(?!\w)")


def _question_marks(prose: str) -> int:
    return sum(prose.count(mark) for mark in "?\uff1f\u061f")


_ADDRESS: Final = re.compile(r"\]\([^)]*\)+|(?i:[a-z][a-z0-9+.-]*:[^\s<>]*|www\.[^\s<>]*)|<[^<>]*>")
_PHONE: Final = re.compile(r"\+?\d[\d\s().-]{5,}\d")


def check_added_numbers(pair: Pair) -> Iterator[Problem]:
    """A number, statistic or phone number in the msgstr must be in the msgid (as digits or as a word)."""
    translation = pair.translation.digits
    if not any(char.isdigit() for char in translation):
        return
    # A number inside an added link or address is reported by unsafe-markup, as the link it is part of.
    translation = _ADDRESS.sub(" ", translation)
    numbers = source_numbers(pair.source.prose)
    allowed = {(number.integer, number.fraction) for number in numbers}
    allowed |= {(number.integer.lstrip("0") or "0", number.fraction) for number in numbers}
    allowed |= {(str(value), "") for value in number_words_in(pair.source.prose, SOURCE_LANGUAGE)}
    allowed |= {(str(value), "") for value in _spelled_small(pair.source.prose)}
    allowed |= {(str(value), "") for value in phase_numerals(pair.source.prose, SOURCE_LANGUAGE)}
    added: list[str] = []
    found: set[tuple[str, str]] = set()
    for match in pair.rules.number_pattern.finditer(translation):
        readings = pair.rules._readings(match["number"])
        found |= readings
        if not readings & allowed:  # a run is the source's number when any reading of it is (1.200: 1200 or 1,2)
            added.append(match["number"].strip())
    # A number of the msgid written differently is the numbers check's finding ("84.6 missing"), not a new one:
    # only what the translation adds beyond the numbers it lost is reported here.
    lost = sum(1 for number in numbers if (number.integer, number.fraction) not in found)
    if len(added) <= lost:
        return
    phones = [m[0] for m in _PHONE.finditer(translation)] if not _PHONE.search(pair.source.digits) else []
    if phones:
        yield Problem(Severity.ERROR, f'phone number "{phones[0].strip()}" added by the translation')
        return
    shown = ", ".join(dict.fromkeys(added))
    yield Problem(
        Severity.ERROR, f"number{'s' if len(added) > 1 else ''} {shown} not in the source added by the translation"
    )


_SMALL_WORDS: Final = re.compile(r"\b(?:one|once|a single|first|single|zero|none)\b", re.IGNORECASE)


def _spelled_small(prose: str) -> set[int]:
    """0 and 1 as an English msgid says them ("one of", "first"), which a translation may write as digits."""
    found = set()
    for match in _SMALL_WORDS.finditer(prose):
        found.add(0 if match[0].lower() in ("zero", "none") else 1)
    return found


def phase_numerals(prose: str, locale: str) -> Counter[int]:
    """Values of the trial phases a text names (Phase I/II, fase III, II期, المرحلة الثانية)."""
    table = marker_table(locale)
    found: Counter[int] = Counter()
    if table is None or table.phase_words is None:
        return found
    text = normalise(prose)
    for match in table.phase_words.finditer(text):
        numeral = match["numeral"]
        for part in re.split(r"\s*/\s*", numeral):
            if part.isdigit():
                found[int(part)] += 1
            elif part in table.ordinals:
                found[table.ordinals[part]] += 1
            elif (value := roman_value(part)) > 0:
                found[value] += 1
    return found


def check_phases(pair: Pair) -> Iterator[Problem]:
    """The trial phases of the msgid (Phase I, II, III: roman numerals are numbers) must be those of the msgstr."""
    locale = str(pair.rules.locale)
    if marker_table(locale) is None:
        return
    source = phase_numerals(pair.source.prose, SOURCE_LANGUAGE)
    translation = phase_numerals(pair.translation.prose, locale)
    if source != translation:
        yield Problem(
            Severity.ERROR,
            f"source names phase {_phases(source)}, translation {_phases(translation)}: phase numeral changed "
            "in the translation",
        )


def _phases(values: Counter[int]) -> str:
    if not values:
        return "none"
    return "/".join(_ROMAN_NAMES.get(value, str(value)) for value in sorted(values.elements()))


_ROMAN_NAMES: Final = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V"}


def _joins(clause: str, match: re.Match[str], table: MarkerTable) -> bool:
    """Whether a conjunction joins a new item: not a look-alike word, and not right after a separator."""
    if match[0] in table.not_joins:
        return False
    before = clause[: match.start()].rstrip()
    return not before or before[-1] not in table.list_separators


def list_items(prose: str, table: MarkerTable) -> int:
    """Items of the longest list inside a text: separators (, 、 ،) and conjunctions (and, y, và, 和, و) of the
    sentence or clause that holds most, plus one."""
    text = normalise(prose)
    items = 0
    for clause in re.split(r"[.;:!?\u3002\uff1b\uff1a\uff01\uff1f\u061b\u061f]", text):
        if table.list_words is None:
            continue
        # A conjunction right after a separator ("A, B، وC") joins at the same boundary: counted once. In a list
        # with separators one conjunction after the last separator joins the last item; a further one joins
        # clauses ("A, B y C contribuyen y pueden influir"), not items, and is not counted, unless the language
        # repeats the conjunction before every item.
        matches = [match for match in table.list_words.finditer(clause) if _joins(clause, match, table)]
        if not matches and not any(table.list_words.finditer(clause)):
            continue
        last = max((clause.rfind(char) for char in table.list_separators), default=-1)
        tail = [match for match in matches if match.start() > last]
        joins = len(matches) if last < 0 or table.repeated_conjunction else len(matches) - len(tail) + min(1, len(tail))
        separators = sum(clause.count(char) for char in table.list_separators)
        items = max(items, 1 + joins + separators)
    return items


def _sentences(prose: str, language: str) -> list[str]:
    return split_rules(languages().get(language)).split(prose)


def check_lists(pair: Pair) -> Iterator[Problem]:
    """A list inside a sentence ("A, B and C") must keep its items: the msgstr may not show fewer of them.

    When both sides have as many sentences, each list is compared with the sentence that translates it; otherwise
    with the longest list of the whole msgstr.
    """
    tables = _tables(pair)
    if tables is None:
        return
    target_table = tables[1]
    if _source_series(pair.source.prose) < 3:
        return
    sources = _sentences(pair.source.prose, SOURCE_LANGUAGE)
    translations = _sentences(pair.translation.prose, pair.rules.locale.language)
    pairs = list(zip(sources, translations, strict=True)) if len(sources) == len(translations) else []
    for source_text, translation_text in pairs or [(pair.source.prose, pair.translation.prose)]:
        source = _source_series(source_text)
        if source < 3:
            continue
        translation = list_items(translation_text, target_table)
        if translation < source:
            yield Problem(
                Severity.ERROR,
                f"source lists {source} items, translation at most {translation}: a list item dropped in the "
                "translation",
            )
            return


_LIST_INTRO: Final = re.compile(r"\b(?:including|such as|like|especially|for example|e\.g\.)\s", re.IGNORECASE)
# An item of a series is a few words without a clause word ("but it means" opens a clause, not an item).
_CLAUSE_WORD: Final = r"(?!(?:but|so|because|which|that|who|while|although|though|if|when|and|or)\b)"
_ITEM: Final = rf"(?:{_CLAUSE_WORD}[^\s,;:.!?()]+\s+){{0,5}}{_CLAUSE_WORD}[^\s,;:.!?()]+"
_SERIES: Final = re.compile(
    rf"(?:{_ITEM},\s+){{2,}}(?:{_ITEM}\s+)?(?:and|or|and/or|as well as)\s+{_ITEM}",
    re.IGNORECASE,
)


@lru_cache(maxsize=4096)
def _source_series(prose: str) -> int:
    """Items of the longest series of the English msgid ("safety, dosing, and side effects": 3)."""
    total = 0
    if prose.count(",") < 2:  # a series has two commas at least
        return total
    for match in _SERIES.finditer(prose):
        # "approaches, including A, B, and C": the list starts after "including".
        segment = _LIST_INTRO.split(match[0])[-1]
        joined = re.search(r"\s(?:and|or|and/or|as well as)\s", segment) is not None
        oxford = re.search(r",\s+(?:and|or|and/or|as well as)\s", segment) is not None
        total = max(total, segment.count(",") + 1 + (1 if joined and not oxford else 0))
    return total


def steps_in(prose: str, locale: str) -> list[int]:
    """Step numbers of a text in their order (``1.``, ``(2)``, ordinal step words of the table)."""
    table = marker_table(locale)
    if table is None:
        return []
    words = _step_words(locale)
    found = []
    for match in table.steps.finditer(normalise(prose)):
        if match["step"]:
            found.append(int(match["step"]))
        elif match.groupdict().get("word"):
            found.append(words[match["word"]])
    return found


@cache
def _step_words(locale: str) -> dict[str, int]:
    path = MARKERS_DIR / f"{(marker_table(locale) or marker_table(SOURCE_LANGUAGE)).locale}.toml"  # type: ignore[union-attr]
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {normalise(word): int(value) for word, value in data.get("steps", {}).get("ordinals", {}).items()}


def check_steps(pair: Pair) -> Iterator[Problem]:
    """Numbered steps of the msgid must come in the same order in the msgstr."""
    locale = str(pair.rules.locale)
    if marker_table(locale) is None:
        return
    source = steps_in(pair.source.prose, SOURCE_LANGUAGE)
    if len(source) < 2:
        return
    translation = steps_in(pair.translation.prose, locale)
    if translation != source:
        yield Problem(
            Severity.ERROR,
            f"steps {', '.join(map(str, source))} in the source but {', '.join(map(str, translation)) or 'none'} "
            "in the translation: steps dropped or reordered in the translation",
        )


# --- script and language --------------------------------------------------------------------------------------

SCRIPT_RANGES: Final = {
    "Latin": (("\u0041", "\u024f"), ("\u1e00", "\u1eff")),
    "Arabic": (
        ("\u0600", "\u06ff"),
        ("\u0750", "\u077f"),
        ("\u08a0", "\u08ff"),
        ("\ufb50", "\ufdff"),
        ("\ufe70", "\ufeff"),
    ),
    "Han": (("\u3400", "\u4dbf"), ("\u4e00", "\u9fff"), ("\uf900", "\ufaff")),
}
"""Letters of each script a marker table may name."""

_SCRIPT_PATTERNS: Final = {
    script: re.compile("[" + "".join(f"{low}-{high}" for low, high in ranges) + "]")
    for script, ranges in SCRIPT_RANGES.items()
}

LANGID_MIN_LETTERS: Final = {"Latin": 40, "Arabic": 30, "Han": 12}
"""Shortest text (letters) whose language is judged: below it language identification is guesswork (py3langid
misreads short Latin-script strings), so only the script is checked. Measured on the shipped catalogs."""
LANGID_SHORT_LETTERS: Final = 10
"""A Latin-script text of two words and this many letters is still compared, among :data:`SHORT_CANDIDATES`."""
SHORT_CANDIDATES: Final = frozenset({"en", "es", "vi", "pt", "fr", "it", "de"})
"""The languages a short text is compared among: the source, the shipped ones and their nearest neighbours (on
short Spanish strings py3langid hesitates with Portuguese at up to 58 %, measured on the shipped catalogs)."""
LANGID_SHORT_CONFIDENCE: Final = 0.8
"""How sure (among :data:`SHORT_CANDIDATES`) it must be to call a short text another language."""
LANGID_CONFIDENCE: Final = 0.95
"""A text is called another language only when the identifier is this sure of it (normalised probability)."""


def _letters(prose: str, pair: Pair) -> str:
    """The letters of a msgstr that are its own: without terms, addresses and the words it shares with the msgid
    (names, file names, ``%(page)s`` placeholders)."""
    text = pair.terms.hide(prose)
    text = re.sub(r"https?://\S+|www\.\S+|%\(\w+\)[sd]", " ", text)
    shared = set(re.findall(r"[A-Za-z][\w.-]*", pair.source.prose))
    text = re.sub(r"[A-Za-z][\w.-]*", lambda match: " " if match[0] in shared else match[0], text)
    return "".join(_LETTER.findall(text))


def _load_identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@cache
def _identifier_loading() -> Future[Any]:
    """py3langid's model (4.5 MB, xz-compressed inside the wheel) takes about 0.8 s to load, mostly decompression,
    which releases the GIL: it is started on a thread when the checks are built, so the other checks run meanwhile."""
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="plainleaf-langid")
    future = executor.submit(_load_identifier)
    executor.shutdown(wait=False)
    return future


def _identifier() -> Any:
    return _identifier_loading().result()


def _traditional(text: str) -> list[str]:
    import hanzidentifier  # Simplified/Traditional tables of CC-CEDICT, shipped in the package

    return [char for char in dict.fromkeys(text) if hanzidentifier.identify(char) == hanzidentifier.TRADITIONAL]


def check_language(pair: Pair) -> Iterator[Problem]:
    """The msgstr is written in the catalog's script and, when long enough to judge, in its language; a zh_Hans
    msgstr has no Traditional-only character."""
    table = marker_table(str(pair.rules.locale))
    if table is None:
        return
    letters = _letters(pair.translation.prose, pair)
    scripts = Counter({script: len(pattern.findall(letters)) for script, pattern in _SCRIPT_PATTERNS.items()})
    expected = scripts[table.script]
    if len(letters) >= 2 and expected * 2 < len(letters):
        other = max((s for s in scripts if s and s != table.script), key=lambda s: scripts[s], default="another")
        yield Problem(
            Severity.ERROR,
            f"text in {other} script where {table.name} is written in {table.script} script, in the translation",
        )
        return
    if table.locale == "zh_Hans":
        traditional = _traditional(letters)
        if traditional:
            yield Problem(
                Severity.ERROR,
                f"Traditional character{'s' if len(traditional) > 1 else ''} {' '.join(traditional[:5])} in "
                "Simplified Chinese (zh_Hans), in the translation",
            )
    # The language is judged on the whole text (a msgid copied unchanged is English, whatever it shares).
    text = _ADDRESS.sub(" ", pair.terms.hide(pair.translation.prose))
    letters_count = len(_LETTER.findall(text))
    if letters_count < LANGID_MIN_LETTERS.get(table.script, 40):
        if table.script == "Latin" and letters_count >= LANGID_SHORT_LETTERS and len(text.split()) >= 2:
            yield from _short_language(text, table)
        return
    language, confidence = _identifier().classify(text)
    if language != table.langid and confidence >= LANGID_CONFIDENCE:
        yield Problem(
            Severity.ERROR,
            f"text reads as {language!s} (py3langid, {confidence:.0%} sure), not {table.name}, in the translation",
        )


def _short_language(text: str, table: MarkerTable) -> Iterator[Problem]:
    """A short Latin-script text is only compared among the languages a catalog's text is likely pasted from."""
    ranked = [(code, score) for code, score in _identifier().rank(text) if code in SHORT_CANDIDATES | {table.langid}]
    total = sum(score for _, score in ranked)
    language, score = ranked[0]
    if language != table.langid and total and score / total >= LANGID_SHORT_CONFIDENCE:
        yield Problem(
            Severity.ERROR,
            f"text reads as {language} (py3langid among {', '.join(sorted(SHORT_CANDIDATES))}, "
            f"{score / total:.0%} sure), not {table.name}, in the translation",
        )


def meaning_checks() -> list[EntryCheck]:
    """The meaning checks, in reporting order, run after :func:`~pipeline.catalogs.qa.checks.default_checks`."""
    _identifier_loading()
    classes = dict.fromkeys(marker.check for marker in source_classes().values())
    return [
        *(_class_check(check) for check in classes),
        EntryCheck("phase", check_phases),
        EntryCheck("added-numbers", check_added_numbers),
        EntryCheck("sentences", check_sentences),
        EntryCheck("lists", check_lists),
        EntryCheck("steps", check_steps),
        EntryCheck("language", check_language),
    ]


# --- across a catalog -------------------------------------------------------------------------------------------


@dataclass(slots=True, frozen=True)
class Fingerprint:
    """What a text claims, reduced to what survives translation: numbers, terms, placeholders, sentences, markers."""

    numbers: frozenset[str]
    """Numbers written in it."""
    terms: frozenset[str]
    """Do-not-translate terms in it."""
    placeholders: frozenset[str]
    """Links and placeholders."""
    sentences: int
    """Sentences."""
    questions: int
    """Question marks."""
    markers: tuple[tuple[str, int], ...]
    """Marker counts per check id."""
    length: int
    """Visible characters."""


@lru_cache(maxsize=4096)
def _fingerprint(text: str, locale: str, pair_terms: Any, rules: Any, source: bool, generation: int) -> Fingerprint:
    """What ``text`` claims; cached, as a msgid is fingerprinted once per locale and a catalog checked again (the
    meaning tests check one 520 times) keeps most of its texts. ``generation`` is the language tables'
    (:attr:`~pipeline.languages.Languages.generation`): a language file added or removed is not met with old
    counts."""
    inline = analyse(text)
    if source:
        numbers = frozenset(n.integer + (f".{n.fraction}" if n.fraction else "") for n in source_numbers(inline.prose))
        table = marker_table(SOURCE_LANGUAGE)
        language = SOURCE_LANGUAGE
    else:
        values, _ = rules.numbers_in(inline.digits)
        numbers = frozenset(i + (f".{f}" if f else "") for i, f in values)
        table = marker_table(locale)
        language = locale.split("_")[0]
    counts: Counter[str] = Counter()
    if table is not None:
        for name, count in table.count(inline.prose).items():
            counts[name.split(".")[0]] += count.sure
    return Fingerprint(
        numbers=numbers,
        terms=frozenset(pair_terms.counted_in(inline.prose)),
        placeholders=frozenset(inline.placeholders),
        sentences=sentence_count(inline.prose, language) if inline.prose.strip() else 0,
        questions=sum(inline.prose.count(mark) for mark in "?\uff1f\u061f"),
        markers=tuple(sorted(counts.items())),
        length=inline.length,
    )


def _distance(source: Fingerprint, translation: Fingerprint, ratio: float) -> float:
    """How badly a translation fits a msgid: 0 for a perfect fit, about 1 per claim that differs."""
    distance = 3.0 * len(source.numbers ^ translation.numbers)
    distance += 3.0 * len(source.terms ^ translation.terms)
    distance += 3.0 * len(source.placeholders ^ translation.placeholders)
    distance += abs(source.sentences - translation.sentences)
    distance += 2.0 * abs(source.questions - translation.questions)
    # A plain dict, not Counter.subtract: called for every pair of entries a suspicious msgstr is compared with.
    markers = dict(source.markers)
    for name, count in translation.markers:
        markers[name] = markers.get(name, 0) - count
    distance += 0.5 * sum(abs(value) for value in markers.values())
    if source.length and translation.length:
        distance += 2.0 * abs(math.log(translation.length / (source.length * ratio)))
    return distance


WRONG_ENTRY_FIT: Final = 1.5
"""How well (at most) the other msgid must fit: its numbers, terms and placeholders all those of the msgstr."""
WRONG_ENTRY_SWAP: Final = 2.0
"""How much better two neighbouring msgstrs must fit each other's msgid, together, to be called swapped."""
WRONG_ENTRY_MARGIN: Final = 4.0
"""How much better another msgid must fit a msgstr than its own before the msgstr is called pasted from there."""


CatalogProblem = tuple[polib.POEntry | None, str, Problem]
"""A catalog-wide check's finding: the entry (None for the whole catalog), the check's id and the problem."""


def check_wrong_entries(
    catalog: polib.POFile, locale: str, terms: Any, rules: Any, ratio: float
) -> list[CatalogProblem]:
    """A msgstr pasted from another entry: the same msgstr under two different msgids; two msgstrs that each fit
    the other's msgid better (swapped); or a msgstr that fits another msgid much better than its own (numbers,
    terms, length, markers)."""
    entries = [e for e in catalog if e.msgid and not e.obsolete and not e.fuzzy and e.translated() and e.msgstr]
    if len(entries) < 2:
        return []
    found: list[CatalogProblem] = []
    flagged: set[int] = set()
    first: dict[str, polib.POEntry] = {}
    for entry in entries:
        text = " ".join(entry.msgstr.split())
        other = first.setdefault(text, entry)
        if other is not entry and " ".join(other.msgid.split()) != " ".join(entry.msgid.split()):
            for this, that in ((other, entry), (entry, other)):
                if id(this) not in flagged:
                    flagged.add(id(this))
                    message = (
                        f"the same translation as the entry at line {that.linenum} (\u201c{_short(that.msgid)}\u201d): "
                        "one of the two was pasted from the other, in the translation"
                    )
                    found.append((this, "wrong-entry", Problem(Severity.ERROR, message)))
    generation = languages().generation
    sources = [_fingerprint(e.msgid, locale, terms, rules, True, generation) for e in entries]
    translations = [_fingerprint(e.msgstr, locale, terms, rules, False, generation) for e in entries]
    own = [_distance(src, tr, ratio) for src, tr in zip(sources, translations, strict=True)]
    for index, entry in enumerate(entries):
        if id(entry) in flagged:
            continue
        if own[index] >= WRONG_ENTRY_MARGIN:
            best, other_index = min(
                (_distance(sources[k], translations[index], ratio), k) for k in range(len(entries)) if k != index
            )
            if best <= WRONG_ENTRY_FIT and best + WRONG_ENTRY_MARGIN <= own[index]:
                found.append((entry, "wrong-entry", _pasted(entries[other_index])))
                flagged.add(id(entry))
                continue
        # Neighbours swapped (numbered steps, list items): each msgstr fits the other msgid better than its own.
        for other_index in (index - 1, index + 1, index - 2, index + 2):
            if not 0 <= other_index < len(entries) or id(entries[other_index]) in flagged:
                continue
            crossed = _distance(sources[index], translations[other_index], ratio) + _distance(
                sources[other_index], translations[index], ratio
            )
            if crossed + WRONG_ENTRY_SWAP <= own[index] + own[other_index]:
                other = entries[other_index]
                found.append((entry, "wrong-entry", _pasted(other, swapped=True)))
                found.append((other, "wrong-entry", _pasted(entry, swapped=True)))
                flagged |= {id(entry), id(other)}
                break
    return found


def _pasted(other: polib.POEntry, *, swapped: bool = False) -> Problem:
    how = "swapped with" if swapped else "pasted from"
    return Problem(
        Severity.ERROR,
        f"the translation fits the entry at line {other.linenum} (\u201c{_short(other.msgid)}\u201d) better by "
        f"numbers, terms, markers and length: {how} it, in the translation",
    )


def _short(msgid: str, width: int = 32) -> str:
    text = " ".join(msgid.split())
    return text if len(text) <= width else text[:width].rsplit(" ", 1)[0].rstrip(",.;:") + "\u2026"


def check_catalog_meaning(catalog: polib.POFile, locale: str, terms: Any, rules: Any) -> list[CatalogProblem]:
    """The catalog-wide meaning checks: "not checked" when the language has no marker table, and wrong-entry
    pastes."""
    language = languages().get(locale)
    if marker_table(locale) is None:
        message = (
            f"{language.not_checked('meaning markers (markers/' + locale + '.toml)')}: negations, hedges, "
            "quantifiers, units, phases, lists, steps and the language were not compared in the translation"
        )
        return [(None, "meaning", Problem(Severity.LIMITATION, message))]
    language = languages().for_subtag(rules.locale.language) or language
    ratio = language.length_band.median if language.length_band else 1.0
    return check_wrong_entries(catalog, locale, terms, rules, ratio)


def tables_available() -> Sequence[str]:
    """Locales with a marker table."""
    return sorted(path.stem for path in MARKERS_DIR.glob("*.toml"))

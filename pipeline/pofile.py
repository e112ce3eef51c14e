"""PO and POT files read with polib and written byte for byte as GNU gettext 0.21 writes them."""

# The writer reproduces write-po.c of gettext 0.21 and the line breaking of libunistring
# 1.0 (UAX #14 as that release implements it, East Asian wide characters two columns),
# so that msgcat of a written file shows no diff.  Known differences: flags gettext 0.21
# does not know (markdown-text, md-text...) are kept, where msgcat drops them; directives of
# format languages other than c, objc, python and python-brace are not located.

from __future__ import annotations

import bisect
import ctypes
import ctypes.util
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Literal

import polib

from pipeline.atomic import write_bytes
from pipeline.errors import CatalogError

__all__ = ["PAGE_WIDTH", "catalog_date", "format_catalog", "parse_catalog", "read_catalog", "write_catalog"]

PAGE_WIDTH = 79
"""Output width of gettext's tools (``msgcat``, ``msgmerge``, ``xgettext``) by default."""

_NO_WRAP_WIDTH = 2**31 - 1  # INT_MAX, what write-po.c uses for "#, no-wrap" entries

# --------------------------------------------------------------------------------------
# Line breaking: libunistring 1.0 (u8_possible_linebreaks_v2, u8_width_linebreaks_v2)
# for the encoding "UTF-8".  The pair table and the class overrides below were measured
# against libunistring.so.2 (1.0) for every code point; uniseg supplies the Unicode 16
# Line_Break property, which the overrides bring back to what libunistring 1.0 uses.
# --------------------------------------------------------------------------------------

# Classes that index the pair table (UAX #14 table 7.3); OPW is an East Asian wide
# opening punctuation, which libunistring 1.0 treats apart from OP (LB30).
_PAIR_CLASSES = (
    "WJ", "GL", "B2", "BA", "BB", "HY", "CL", "CP", "EX", "IN", "NS", "OP", "OPW", "QU", "IS",
    "NU", "PO", "PR", "SY", "AL", "EB", "EM", "H2", "H3", "HL", "ID", "JL", "JV", "JT", "RI",
)  # fmt: skip
_CLASS = {name: index for index, name in enumerate(_PAIR_CLASSES)}
_BK, _SP, _ZW, _CM, _ZWJ, _HL_BA = range(len(_PAIR_CLASSES), len(_PAIR_CLASSES) + 6)
_CLASS.update({"BK": _BK, "SP": _SP, "ZW": _ZW, "CM": _CM, "ZWJ": _ZWJ})
_HL, _HY, _BA, _RI = _CLASS["HL"], _CLASS["HY"], _CLASS["BA"], _CLASS["RI"]

# Row: class before the break, column: class after it.  D: break, I: break only after
# spaces, P: no break.
_PAIR_TABLE = (
    "PIIIIIPPPIIIIIPIIIPIIIIIIIIIII",  # WJ
    "PIIIIIPPPIIIIIPIIIPIIIIIIIIIII",  # GL
    "PIPIDIPPPIIDDIPDDDPDDDDDDDDDDD",  # B2
    "PDDIDIPPPIIDDIPDDDPDDDDDDDDDDD",  # BA
    "PIIIIIPPPIIIIIPIIIPIIIIIIIIIII",  # BB
    "PDDIDIPPPIIDDIPIDDPDDDDDDDDDDD",  # HY
    "PIDIDIPPPIPDDIPDIIPDDDDDDDDDDD",  # CL
    "PIDIDIPPPIIDDIPIIIPIDDDDIDDDDD",  # CP
    "PIDIDIPPPIIDDIPDDDPDDDDDDDDDDD",  # EX
    "PIDIDIPPPIIDDIPDDDPDDDDDDDDDDD",  # IN
    "PIDIDIPPPIIDDIPDDDPDDDDDDDDDDD",  # NS
    "PPPPPPPPPPPPPPPPPPPPPPPPPPPPPP",  # OP
    "PPPPPPPPPPPPPPPPPPPPPPPPPPPPPP",  # OPW
    "PIIIIIPPPIIPPIPIIIPIIIIIIIIIII",  # QU
    "PIDIDIPPPIIDDIPIDDPDDDDDDDDDDD",  # IS
    "PIDIDIPPPIIIDIPIIIPIDDDDIDDDDD",  # NU
    "PIDIDIPPPIIIIIPIDDPIDDDDIDDDDD",  # PO
    "PIDIDIPPPIIIIIPIDDPIIIIIIIIIID",  # PR
    "PIDIDIPPPIIDDIPIDDPDDDDDIDDDDD",  # SY
    "PIDIDIPPPIIIDIPIIIPIDDDDIDDDDD",  # AL
    "PIDIDIPPPIIDDIPDIDPDDIDDDDDDDD",  # EB
    "PIDIDIPPPIIDDIPDIDPDDDDDDDDDDD",  # EM
    "PIDIDIPPPIIDDIPDIDPDDDDDDDDIID",  # H2
    "PIDIDIPPPIIDDIPDIDPDDDDDDDDDID",  # H3
    "PIDIDIPPPIIIDIPIIIPIDDDDIDDDDD",  # HL
    "PIDIDIPPPIIDDIPDIDPDDDDDDDDDDD",  # ID
    "PIDIDIPPPIIDDIPDIDPDDDIIDDIIDD",  # JL
    "PIDIDIPPPIIDDIPDIDPDDDDDDDDIID",  # JV
    "PIDIDIPPPIIDDIPDIDPDDDDDDDDDID",  # JT
    "PIDIDIPPPIIDDIPDDDPDDDDDDDDDDI",  # RI
)

# How libunistring resolves property values for UTF-8 text (AI, SA, XX become AL; CB
# becomes ID; CJ is NS) and where Unicode 15.1+ classes came from (AK, AP, AS were AL;
# VI, VF were CM); LF, NL and CR never reach the breaker unescaped except as breaks.
_UCD_ALIASES = {
    "AI": "AL", "SA": "AL", "XX": "AL", "SG": "AL", "AK": "AL", "AP": "AL", "AS": "AL",
    "CB": "ID", "CJ": "NS", "LF": "BK", "NL": "BK", "CR": "BK", "VI": "CM", "VF": "CM",
}  # fmt: skip

# Code points assigned in Unicode 14 whose class in libunistring 1.0 differs from the
# Unicode 16 value uniseg reports: (first, last, class).
_CLASS_OVERRIDES = (
    (0x0600, 0x0605, "AL"), (0x06DD, 0x06DD, "AL"), (0x0890, 0x0891, "AL"),
    (0x08E2, 0x08E2, "AL"), (0x19DA, 0x19DA, "AL"), (0x1B50, 0x1B59, "NU"),
    (0x1B5C, 0x1B5C, "AL"), (0x1B61, 0x1B6A, "AL"), (0x1B74, 0x1B7C, "AL"),
    (0x1DCD, 0x1DCD, "CM"), (0x1DFC, 0x1DFC, "CM"), (0x2057, 0x2057, "AL"),
    (0x2E56, 0x2E56, "CL"), (0x2E58, 0x2E58, "CL"), (0x2E5A, 0x2E5A, "CL"),
    (0x2E5C, 0x2E5C, "CL"), (0xA9C1, 0xA9C6, "AL"), (0xA9CA, 0xA9CD, "AL"),
    (0xA9CF, 0xA9CF, "AL"), (0xA9D0, 0xA9D9, "NU"), (0xA9DE, 0xA9DF, "AL"),
    (0xAA40, 0xAA42, "AL"), (0xAA44, 0xAA4B, "AL"), (0xAA50, 0xAA59, "NU"),
    (0xAA5C, 0xAA5C, "AL"), (0xFE10, 0xFE10, "IS"), (0xFE13, 0xFE14, "IS"),
    (0xFE20, 0xFE20, "CM"), (0xFE22, 0xFE22, "CM"), (0xFE24, 0xFE24, "CM"),
    (0xFE26, 0xFE27, "CM"), (0xFE29, 0xFE29, "CM"), (0xFE2B, 0xFE2B, "CM"),
    (0xFE2D, 0xFE2E, "CM"), (0xFF62, 0xFF62, "OPW"), (0x11049, 0x1104D, "AL"),
    (0x11052, 0x11065, "AL"), (0x11066, 0x1106F, "NU"), (0x1107F, 0x1107F, "CM"),
    (0x110BD, 0x110BD, "AL"), (0x110CD, 0x110CD, "AL"), (0x1133D, 0x1133D, "AL"),
    (0x1135D, 0x1135D, "AL"), (0x11950, 0x11959, "NU"), (0x11EF2, 0x11EF2, "AL"),
    (0x11EF7, 0x11EF8, "AL"), (0x1F10D, 0x1F10F, "ID"), (0x1F16D, 0x1F16F, "ID"),
    (0x1F1AD, 0x1F1AD, "ID"), (0x1F8B0, 0x1F8B1, "ID"),
)  # fmt: skip
_CLASS_OVERRIDE_STARTS = tuple(first for first, _, _ in _CLASS_OVERRIDES)

# Code points libunistring 1.0 keeps at width 1 although they are non-spacing marks.
_SPACING_MARKS = frozenset((0x0CBF, 0x0CC6, 0x11A07, 0x11A08, 0x11C3F))
# Unassigned code points that libunistring 1.0 counts as two columns wide.
_WIDE_UNASSIGNED = (
    (0x2E80, 0xA4CF), (0xF900, 0xFAFF), (0xFE10, 0xFE1F), (0xFE30, 0xFE6F),
    (0xFF00, 0xFF60), (0x1F200, 0x1F2FF), (0x20000, 0x3FFFF),
)  # fmt: skip

_UNDEFINED, _PROHIBITED, _POSSIBLE, _MANDATORY = 0, 1, 2, 3


def _unassigned_class(code: int) -> int:
    """Class libunistring 1.0 gives a code point unassigned in Unicode 14."""
    if 0x1F000 <= code <= 0x1FAFF or 0x1FC00 <= code <= 0x1FFFD:
        return _CLASS["EB"]
    if (
        0x3400 <= code <= 0x4DBF
        or 0x4E00 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x2FFFD
        or 0x30000 <= code <= 0x3FFFD
    ):
        return _CLASS["ID"]
    if 0x20A0 <= code <= 0x20CF:
        return _CLASS["PR"]
    return _CLASS["AL"]


@lru_cache(maxsize=8192)
def _break_class(char: str) -> int:
    """Line-breaking class of one character, as libunistring 1.0 resolves it."""
    code = ord(char)
    if unicodedata.category(char) == "Cn":
        return _unassigned_class(code)
    index = bisect.bisect_right(_CLASS_OVERRIDE_STARTS, code) - 1
    if index >= 0 and code <= _CLASS_OVERRIDES[index][1]:
        return _CLASS[_CLASS_OVERRIDES[index][2]]
    from uniseg.linebreak import line_break  # only the pure-Python line breaker needs it (0.02 s to import)

    name = str(line_break(char))
    name = _UCD_ALIASES.get(name, name)
    if name == "OP" and unicodedata.east_asian_width(char) in ("W", "F"):
        name = "OPW"
    return _CLASS[name]


@lru_cache(maxsize=8192)
def _column_width(char: str) -> int:
    """Columns one character takes, as libunistring 1.0 ``uc_width`` counts them in UTF-8."""
    code = ord(char)
    if code < 0x20 or 0x7F <= code < 0xA0:
        return 0  # control characters are ignored when measuring
    category = unicodedata.category(char)
    if category == "Cn":
        return 2 if any(first <= code <= last for first, last in _WIDE_UNASSIGNED) else 1
    if code in _SPACING_MARKS:
        return 1
    if category in ("Mn", "Me", "Cf") or 0x1160 <= code <= 0x11FF or 0xD7B0 <= code <= 0xD7FF:
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _possible_breaks(chars: Sequence[str]) -> list[int]:
    """Break opportunity before each character (libunistring ``u8_possible_linebreaks_v2``)."""
    marks: list[int] = []
    last = _BK  # class of the last character that is not a space or combining mark
    previous = _BK  # class of the character just before
    seen_space = False
    regional_run = 0
    for char in chars:
        cls = _break_class(char)
        if cls == _BK:
            mark = _MANDATORY
            previous = cls
            last = _BK
            seen_space = False
        else:
            if cls == _SP:
                mark = _PROHIBITED
                seen_space = True
            elif cls == _ZW:
                mark = _PROHIBITED
                last = _ZW
                seen_space = False
            elif cls in (_CM, _ZWJ):
                if last == _BK:
                    mark = _PROHIBITED
                    last = _CLASS["AL"]
                    seen_space = False
                elif last == _ZW or seen_space:
                    mark = _POSSIBLE
                    last = _CLASS["AL"]
                    seen_space = False
                else:
                    mark = _PROHIBITED
            else:
                if last == _BK:
                    mark = _PROHIBITED
                elif last == _ZW:
                    mark = _POSSIBLE
                elif previous == _ZWJ:
                    mark = _PROHIBITED
                elif last == _RI and cls == _RI:
                    mark = _POSSIBLE if seen_space or regional_run % 2 == 0 else _PROHIBITED
                elif previous == _HL_BA:
                    mark = _PROHIBITED
                else:
                    rule = _PAIR_TABLE[last][cls]
                    mark = _POSSIBLE if rule == "D" or (rule == "I" and seen_space) else _PROHIBITED
                last = cls
                seen_space = False
            previous = _HL_BA if previous == _HL and cls in (_HY, _BA) else cls
        regional_run = regional_run + 1 if cls == _RI else 0
        marks.append(mark)
    return marks


def _load_libunistring() -> Callable[..., int] | None:
    """libunistring's own ``u8_width_linebreaks_v2``, which GNU gettext calls, when the system has it."""
    if os.environ.get("PLAINLEAF_PURE_PYTHON_LINEBREAKS"):
        return None
    name = ctypes.util.find_library("unistring")
    try:
        library = ctypes.CDLL(name or "libunistring.so.2")
        function = library.u8_width_linebreaks_v2
    except (OSError, AttributeError):
        return None
    function.restype = ctypes.c_int
    function.argtypes = [
        ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int,
        ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p,
    ]  # fmt: skip
    return function


_LIBUNISTRING = _load_libunistring()


def _width_breaks(chars: Sequence[str], overrides: Sequence[int], width: int, start_column: int) -> list[bool]:
    """Where to break so lines fit in ``width`` columns: libunistring when present (what gettext itself uses,
    in C), else our port of its ``u8_width_linebreaks_v2``; the tests hold both to msgcat's output."""
    if _LIBUNISTRING is None:
        return _width_breaks_python(chars, overrides, width, start_column)
    data = bytearray()
    starts: list[int] = []
    byte_overrides = bytearray()
    for char, mark in zip(chars, overrides, strict=True):
        encoded = char.encode("utf-8", "surrogatepass")
        starts.append(len(data))
        data += encoded
        byte_overrides.append(mark)
        byte_overrides += bytes(len(encoded) - 1)
    result = ctypes.create_string_buffer(len(data) or 1)
    _LIBUNISTRING(bytes(data), len(data), width, start_column, 0, bytes(byte_overrides), b"UTF-8", result)
    raw = result.raw
    return [raw[start] == _POSSIBLE for start in starts]


def _width_breaks_python(chars: Sequence[str], overrides: Sequence[int], width: int, start_column: int) -> list[bool]:
    """Where to break so lines fit in ``width`` columns (a port of libunistring ``u8_width_linebreaks_v2``)."""
    marks = _possible_breaks(chars)
    breaks = [False] * len(chars)
    last_break: int | None = None
    last_column = start_column
    piece_width = 0
    for index, char in enumerate(chars):
        mark = overrides[index] if overrides[index] != _UNDEFINED else marks[index]
        if mark in (_POSSIBLE, _MANDATORY) and last_break is not None and last_column + piece_width > width:
            breaks[last_break] = True
            last_column = 0
        if mark == _MANDATORY:
            last_break = None
            last_column = 0
            piece_width = 0
            continue
        if mark == _POSSIBLE:
            last_break = index
            last_column += piece_width
            piece_width = 0
        piece_width += _column_width(char)
    if last_break is not None and last_column + piece_width > width:
        breaks[last_break] = True
    return breaks


# --------------------------------------------------------------------------------------
# Flags and format directives, as gettext 0.21 reads (po_parse_comment_special) and
# prints (message_print_comment_flags) them.
# --------------------------------------------------------------------------------------

_FORMAT_LANGUAGES = (
    "c", "objc", "python", "python-brace", "java", "java-printf", "csharp", "javascript",
    "scheme", "lisp", "elisp", "librep", "ruby", "sh", "awk", "lua", "object-pascal",
    "smalltalk", "qt", "qt-plural", "kde", "kde-kuit", "boost", "tcl", "perl", "perl-brace",
    "php", "gcc-internal", "gfc-internal", "ycp",
)  # fmt: skip
_FLAG_SEPARATORS = re.compile(r"[\n \t\r\f\v,]+")
_RANGE = re.compile(r"([0-9]+)\.\.([0-9]+)")


@dataclass(slots=True)
class _Flags:
    """The flags of one entry after gettext has read them: later flags override earlier ones."""

    fuzzy: bool = False
    """``#, fuzzy`` was given."""
    formats: dict[str, str] = field(default_factory=dict)
    """Format language -> ``yes``, ``possible``, ``no`` or ``impossible``."""
    value_range: tuple[int, int] | None = None
    """``#, range: min..max`` of a plural entry."""
    wrap: bool | None = None
    """``#, no-wrap`` (False) or ``#, wrap`` (True)."""
    others: list[str] = field(default_factory=list)
    """Flags gettext 0.21 does not print (``markdown-text``, ``md-text``...): kept so no data is lost."""

    @classmethod
    def parse(cls, flags: Iterable[str]) -> _Flags:
        """Read polib's flag strings token by token, as gettext reads a ``#,`` line."""
        result = cls()
        tokens = [token for token in _FLAG_SEPARATORS.split(", ".join(flags)) if token]
        index = 0
        while index < len(tokens):
            token = tokens[index]
            index += 1
            if token == "fuzzy":
                result.fuzzy = True
            elif token == "range:":
                if index < len(tokens):
                    match = _RANGE.match(tokens[index])
                    index += 1
                    if match and int(match[1]) <= int(match[2]):
                        result.value_range = (int(match[1]), int(match[2]))
            elif token in ("wrap", "no-wrap"):
                result.wrap = token == "wrap"
            elif not result._read_format(token) and token not in result.others:
                result.others.append(token)
        return result

    def _read_format(self, token: str) -> bool:
        """Record a ``[no-|possible-|impossible-]LANG-format`` flag; False if it is none."""
        if not token.endswith("-format"):
            return False
        language, state = token[: -len("-format")], "yes"
        for prefix in ("no-", "possible-", "impossible-"):
            if language.startswith(prefix) and language[len(prefix) :] in _FORMAT_LANGUAGES:
                language, state = language[len(prefix) :], prefix[:-1]
                break
        if language not in _FORMAT_LANGUAGES:
            return False
        self.formats[language] = state
        return True

    def printed(self, translated: bool) -> list[str]:
        """Flags in the order gettext prints them; fuzzy only on a translated entry."""
        printed = ["fuzzy"] if self.fuzzy and translated else []
        for language in _FORMAT_LANGUAGES:
            state = self.formats.get(language)
            if state in ("yes", "possible"):
                printed.append(f"{language}-format")
            elif state == "no":
                printed.append(f"no-{language}-format")
        if self.value_range is not None:
            printed.append(f"range: {self.value_range[0]}..{self.value_range[1]}")
        if self.wrap is False:
            printed.append("no-wrap")
        return printed + self.others

    def format_language(self) -> str | None:
        """First format language (in gettext's order) whose directives must not be broken."""
        for language in _FORMAT_LANGUAGES:
            if self.formats.get(language) in ("yes", "possible"):
                return language
        return None


@lru_cache(maxsize=256)
def _parsed_flags(flags: tuple[str, ...]) -> _Flags:
    """:meth:`_Flags.parse`, once per distinct flag list (catalogs repeat a handful of them)."""
    return _Flags.parse(flags)


@lru_cache(maxsize=256)
def _format_language(flags: tuple[str, ...]) -> str | None:
    return _parsed_flags(flags).format_language()


@lru_cache(maxsize=512)
def _printed_flags(flags: tuple[str, ...], translated: bool) -> list[str]:
    return _parsed_flags(flags).printed(translated)


_DIGITS = "0123456789"


class _Cursor:
    """A position in a format string; ``char`` is "" past the end, like C's NUL."""

    __slots__ = ("index", "text")

    def __init__(self, text: str, index: int = 0) -> None:
        self.text = text
        self.index = index

    @property
    def char(self) -> str:
        """The character at the cursor, or "" at the end."""
        return self.text[self.index] if self.index < len(self.text) else ""

    def peek(self, offset: int) -> str:
        """The character ``offset`` places ahead, or ""."""
        index = self.index + offset
        return self.text[index] if index < len(self.text) else ""

    def skip(self, chars: str) -> None:
        """Advance over any run of the given characters."""
        while self.char and self.char in chars:
            self.index += 1


def _python_directives(text: str) -> list[tuple[int, int]]:
    """Spans (first, last) of the directives gettext's format-python.c marks as valid."""
    spans: list[tuple[int, int]] = []
    named = unnamed = 0
    cursor = _Cursor(text)
    while cursor.char:
        if cursor.char != "%":
            cursor.index += 1
            continue
        start = cursor.index
        cursor.index += 1
        has_name = cursor.char == "("
        if has_name:
            cursor.index += 1
            depth = 0
            while cursor.char and not (cursor.char == ")" and depth == 0):
                depth += {"(": 1, ")": -1}.get(cursor.char, 0)
                cursor.index += 1
            if not cursor.char:
                return spans
            cursor.index += 1
        cursor.skip("-+ #0")
        for precision in (False, True):
            if precision:
                if cursor.char != ".":
                    break
                cursor.index += 1
            if cursor.char == "*":
                if named:
                    return spans
                unnamed += 1
                cursor.index += 1
            else:
                cursor.skip(_DIGITS)
        if cursor.char and cursor.char in "hlL":
            cursor.index += 1
        conversion = cursor.char
        if not conversion or conversion not in "%crsiduoxXeEfgG":
            return spans
        if has_name:
            if unnamed:
                return spans
            named += 1
        elif conversion != "%":
            if named:
                return spans
            unnamed += 1
        spans.append((start, cursor.index))
        cursor.index += 1
    return spans


def _argument_number(cursor: _Cursor) -> int | None:
    """Consume ``N$`` at the cursor: N, 0 for an invalid ``0$``, None (nothing consumed) if absent."""
    end = cursor.index
    while end < len(cursor.text) and cursor.text[end] in _DIGITS:
        end += 1
    if end == cursor.index or end >= len(cursor.text) or cursor.text[end] != "$":
        return None
    number = int(cursor.text[cursor.index : end])
    cursor.index = end + 1
    return number


_C_SIZES = ("hh", "h", "ll", "l", "L", "q", "j", "z", "Z", "t")
_PRI_MACRO = re.compile(r"<PRI[diouxX](?:MAX|PTR|(?:LEAST|FAST)?(?:8|16|32|64))>")  # ISO C 99 <inttypes.h>


def _c_directives(text: str, translated: bool, objc: bool = False) -> list[tuple[int, int]]:
    """Spans (first, last) of the directives gettext's format-c-parse.h (0.21) marks as valid."""
    spans: list[tuple[int, int]] = []
    numbered = unnumbered = 0
    cursor = _Cursor(text)
    while cursor.char:
        if cursor.char != "%":
            cursor.index += 1
            continue
        start = cursor.index
        cursor.index += 1
        number = _argument_number(cursor)
        if number == 0:
            return spans
        while cursor.char and (cursor.char in " +-#0'" or (translated and cursor.char == "I")):
            cursor.index += 1
        for precision in (False, True):
            if precision:
                if cursor.char != ".":
                    break
                cursor.index += 1
            if cursor.char == "*":
                cursor.index += 1
                argument = _argument_number(cursor)
                if argument == 0 or (argument and unnumbered) or (not argument and numbered):
                    return spans  # numbered and unnumbered arguments cannot be mixed
                if argument:
                    numbered += 1
                else:
                    unnumbered += 1
            else:
                cursor.skip(_DIGITS)
        takes_argument = True
        if cursor.char == "<":
            macro = _PRI_MACRO.match(text, cursor.index)
            if macro is None:
                return spans
            cursor.index = macro.end() - 1
        else:
            cursor.index += len(next((size for size in _C_SIZES if text.startswith(size, cursor.index)), ""))
            conversion = cursor.char
            # gettext 0.21 does not check that the size suits the conversion.
            if not conversion or conversion not in "%mcCsSiduoxXeEfFgGaApn" + ("@" if objc else ""):
                return spans
            takes_argument = conversion not in "%m"
        if takes_argument:
            if (number and unnumbered) or (not number and numbered):
                return spans
            if number:
                numbered += 1
            else:
                unnumbered += 1
        spans.append((start, cursor.index))
        cursor.index += 1
    return spans


@dataclass(slots=True)
class _BraceMarks:
    """Directive marks gettext's python-brace parser leaves, as offsets from each directive's ``{``."""

    start: bool = False
    """A top-level directive was parsed (its start mark always lands on offset 0)."""
    ends: list[int] = field(default_factory=list)
    """End marks: the offset of each top-level directive's ``}``."""
    errors: list[int] = field(default_factory=list)
    """Error marks: the offset where a directive turned out invalid."""


_NAME_START = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")
_NAME_CHARS = _NAME_START | frozenset(b"0123456789")


def _brace_name_end(data: bytes, index: int, numeric: bool) -> int:
    """End of an identifier (or, if ``numeric``, a number) at index; index itself if there is none."""
    end = index
    if end < len(data) and data[end] in _NAME_START:
        while end < len(data) and data[end] in _NAME_CHARS:
            end += 1
    elif numeric:
        while end < len(data) and 0x30 <= data[end] <= 0x39:
            end += 1
    return end


def _brace_directive(data: bytes, start: int, toplevel: bool, marks: _BraceMarks) -> int | None:
    """Parse the python-brace directive at ``data[start] == "{"``: the index after it, or None if invalid."""

    def at(index: int) -> bytes:
        return data[index : index + 1]

    def invalid(index: int) -> int | None:
        marks.errors.append(index - start)
        return None

    index = start + 1
    if at(index) == b"{":
        return index + 1
    end = _brace_name_end(data, index, numeric=True)
    if end == index:
        return invalid(index)
    index = end
    while at(index) in (b".", b"["):
        opener = at(index)
        index += 1
        end = _brace_name_end(data, index, numeric=opener == b"[")
        if end == index:
            return invalid(index)
        index = end
        if opener == b"[":
            if at(index) != b"]":
                return invalid(index)
            index += 1
    if at(index) == b":":
        if not toplevel:
            return invalid(index)
        index += 1
        if at(index) == b"{":
            nested = _brace_directive(data, index, False, marks)
            if nested is None:
                return None
            index = nested
        else:
            if not at(index):
                return invalid(index)
            if at(index + 1) and at(index + 1) in b"<>=^":
                index += 2
            elif at(index) in b"<>=^":
                index += 1
            for optional in (b"+- ", b"#", b"0"):
                if at(index) and at(index) in optional:
                    index += 1
            while at(index) and at(index) in b"0123456789":
                index += 1
            if at(index) == b"." and at(index + 1) and at(index + 1) in b"0123456789":
                index += 1
                while at(index) and at(index) in b"0123456789":
                    index += 1
            if at(index) and at(index) in b"bcdoxXneEfFgG%":
                index += 1
    if at(index) != b"}":
        return invalid(index)
    if toplevel:
        marks.start = True
        marks.ends.append(index - start)
    return index + 1


def _python_brace_guarded(text: str) -> frozenset[int]:
    """Characters gettext 0.21 will not break before in a python-brace-format string."""
    # gettext's parser writes each directive's marks at offsets from that directive's own
    # "{" instead of from the string's start (FDI_SET uses the directive's format_start),
    # so the only guarded span runs from byte 0 to the nearest end mark: breaks are kept
    # out of the first few bytes of the string, never out of the directives themselves.
    data = text.encode("utf-8")
    marks = _BraceMarks()
    index = 0
    while index < len(data):
        if data[index] != 0x7B:
            index += 1
            continue
        after = _brace_directive(data, index, True, marks)
        if after is None:
            break
        index = after
    if not marks.start:
        return frozenset()
    first_end = min((offset for offset in marks.ends if offset < len(data)), default=len(data))
    if any(offset <= first_end for offset in marks.errors):
        return frozenset()  # an error mark closes the span first: an invalid directive guards nothing
    guarded: set[int] = set()
    position = 0
    for index, char in enumerate(text):
        if position > first_end:
            break
        if position >= 1:
            guarded.add(index)
        position += len(char.encode("utf-8"))
    return frozenset(guarded)


_NOTHING_GUARDED: frozenset[int] = frozenset()


def _guarded(text: str, language: str | None, translated: bool) -> frozenset[int]:
    """Positions inside format directives (not at their start) where gettext never breaks a line."""
    if language is None:
        return _NOTHING_GUARDED
    # Only c, objc, python and python-brace directives are located; other languages are not.
    if language == "python-brace":
        return _python_brace_guarded(text)
    if language == "python":
        spans = _python_directives(text)
    elif language in ("c", "objc"):
        spans = _c_directives(text, translated, objc=language == "objc")
    else:
        return frozenset()
    return frozenset(index for first, last in spans for index in range(first + 1, last + 1))


# --------------------------------------------------------------------------------------
# Writing: write-po.c (wrap, message_print, message_print_obsolete).
# --------------------------------------------------------------------------------------

_ESCAPES = {"\a": "a", "\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t", "\v": "v", "\\": "\\", '"': '"'}


_ESCAPE_TABLE = str.maketrans({char: "\\" + letter for char, letter in _ESCAPES.items()})
_ESCAPE_PAIR = re.compile(rb"\\.")
_BREAK = re.compile(bytes([_POSSIBLE]))
_PRINTABLE_ASCII = re.compile(rb"[ -~]*")
_NEEDS_ESCAPE = re.compile('[\a\b\f\n\r\t\v\\\\"]')


def _wrap(out: list[str], prefix: str, keyword: str, value: str, wrap: bool, guarded: frozenset[int]) -> None:
    """Append ``keyword "value"`` lines, quoted, escaped and wrapped as write-po.c ``wrap`` does."""
    if not value:
        out.append(f'{prefix}{keyword} ""')
        return
    if _LIBUNISTRING is not None and not guarded:
        _wrap_bytes(out, prefix, keyword, value, wrap)
        return
    indent_after_break = len(prefix) + 1  # prefix and the opening quote
    width = (PAGE_WIDTH if wrap else _NO_WRAP_WIDTH) - 1 - indent_after_break
    first_line = True
    start, size = 0, len(value)
    while True:
        newline = value.find("\n", start)
        end = size if newline < 0 else newline + 1
        chars: list[str] = []
        overrides: list[int] = []
        for index in range(start, end):
            char = value[index]
            mark = _PROHIBITED if index in guarded else _UNDEFINED
            escaped = _ESCAPES.get(char)
            if escaped is None:
                chars.append(char)
                overrides.append(mark)
            else:
                chars += ("\\", escaped)
                overrides += (mark, _PROHIBITED)
        if newline >= 0:
            overrides[-2] = _PROHIBITED  # never break just before the closing "\n"
        while True:
            column = len(prefix) + (len(keyword) + 1 if first_line else 0) + 1 - indent_after_break
            breaks = _width_breaks(chars, overrides, width, column)
            if first_line and chars and (end < size or column > width or any(breaks)):
                out.append(f'{prefix}{keyword} ""')
                first_line = False
                continue
            break
        line = [prefix, f"{keyword} " if first_line else "", '"']
        first_line = False
        for char, wrap_here in zip(chars, breaks, strict=True):
            if wrap_here:
                line.append(f'"\n{prefix}"')
            line.append(char)
        line.append('"')
        out.append("".join(line))
        start = end
        if start >= size:
            return


_BUFFER: list[ctypes.Array[ctypes.c_char]] = []


def _line_break_buffer(size: int) -> ctypes.Array[ctypes.c_char]:
    """One reused output buffer for libunistring, grown as needed."""
    if not _BUFFER or len(_BUFFER[0]) < size + 1:
        _BUFFER[:] = [ctypes.create_string_buffer(max(size + 1, 4096))]
    return _BUFFER[0]


def _portion_bytes(portion: str) -> tuple[bytes, bytes | None]:
    """The escaped UTF-8 of one portion and its break overrides (none inside an escape sequence; None when there
    is no escape sequence)."""
    escaped = portion.translate(_ESCAPE_TABLE) if _NEEDS_ESCAPE.search(portion) else portion
    data = escaped.encode("utf-8", "surrogatepass")
    if b"\\" not in data:
        return data, None
    overrides = bytearray(len(data))
    for match in _ESCAPE_PAIR.finditer(data):
        overrides[match.start() + 1] = _PROHIBITED
    if portion.endswith("\n"):
        overrides[-2] = _PROHIBITED  # never break just before the closing "\n"
    return data, bytes(overrides)


def _cuts(data: bytes, flags: bytes | None, width: int, column: int, result: ctypes.Array[ctypes.c_char]) -> list[int]:
    """Byte offsets where libunistring breaks ``data`` to fit ``width`` columns from ``column`` (``flags`` None:
    no overrides, which libunistring takes as a null pointer)."""
    assert _LIBUNISTRING is not None
    _LIBUNISTRING(data, len(data), width, column, 0, flags, b"UTF-8", result)
    return [match.start() for match in _BREAK.finditer(memoryview(result)[: len(data)])]


def _wrap_bytes(out: list[str], prefix: str, keyword: str, value: str, wrap: bool) -> None:
    """:func:`_wrap` on UTF-8 bytes with libunistring, as write-po.c does it, without a per-character loop."""
    assert _LIBUNISTRING is not None
    indent_after_break = len(prefix) + 1
    width = (PAGE_WIDTH if wrap else _NO_WRAP_WIDTH) - 1 - indent_after_break
    first_line = True
    if "\n" in value:
        portions = value.split("\n")
        portions = [portion + "\n" for portion in portions[:-1]] + ([portions[-1]] if portions[-1] else [])
    else:
        portions = [value]
    for number, portion in enumerate(portions):
        data, flags = _portion_bytes(portion)
        more = number < len(portions) - 1
        column = len(prefix) + (len(keyword) + 1 if first_line else 0) + 1 - indent_after_break
        if not more and column + len(data) <= width and data.isascii() and _PRINTABLE_ASCII.fullmatch(data):
            # Printable ASCII that fits: one column per byte, so no line break can be needed.
            out.append(f'{prefix}{keyword + " " if first_line else ""}"{data.decode("ascii")}"')
            return
        result = _line_break_buffer(len(data))
        if first_line and data:
            # Breaks from column 0 imply breaks from the first line's later start column, so
            # try the continuation layout first: usually one libunistring call instead of two.
            cuts = _cuts(data, flags, width, 0, result)
            if more or column > width or cuts or _cuts(data, flags, width, column, result):
                out.append(f'{prefix}{keyword} ""')
                first_line = False
            else:
                cuts = []
        else:
            cuts = _cuts(data, flags, width, 0 if not first_line else column, result)
        pieces = [
            data[a:b].decode("utf-8", "surrogatepass") for a, b in zip([0, *cuts], [*cuts, len(data)], strict=True)
        ]
        head = f"{keyword} " if first_line else ""
        first_line = False
        out.append(f'{prefix}{head}"' + f'"\n{prefix}"'.join(pieces) + '"')


def _comment_lines(out: list[str], marker: str, text: str | None) -> None:
    """Append one ``#`` comment line per line of text, with a space only before non-empty text."""
    if not text:
        return
    for line in text.split("\n"):
        if line.endswith("\\"):
            # gettext's lexer joins a line ending in a backslash with the next one.
            line += " "
        out.append(f"{marker} {line}" if line else marker)


_BLANKS = " \t\n"


def _number_after(text: str, index: int) -> tuple[int, int] | None:
    """(value, end) of a digit run at index that ends at a blank or the end of text."""
    end = index
    while end < len(text) and text[end] in _DIGITS:
        end += 1
    if end == index or (end < len(text) and text[end] not in _BLANKS):
        return None
    return int(text[index:end]), end


_PLAIN_REFERENCE = re.compile(r"[^\s:]+")


def _references(occurrences: Iterable[tuple[str, str | int | None]]) -> list[tuple[str, int | None]]:
    """File positions as gettext reads ``#:`` text back (po_parse_comment_filepos), duplicates dropped."""
    occurrences = list(occurrences)
    if all(line in (None, "") and _PLAIN_REFERENCE.fullmatch(name) for name, line in occurrences):
        # Names without blanks or colons and without line numbers read back as they are.
        return list(dict.fromkeys((str(name), None) for name, _ in occurrences))
    text = " ".join(
        f"{file_name}:{line}" if line not in (None, "") else str(file_name) for file_name, line in occurrences
    )
    seen: set[tuple[str, int | None]] = set()
    result: list[tuple[str, int | None]] = []

    def add(file_name: str, line: int | None) -> None:
        if (file_name, line) not in seen:
            seen.add((file_name, line))
            result.append((file_name, line))

    index, size = 0, len(text)
    while index < size:
        while index < size and text[index] in _BLANKS:
            index += 1
        if index >= size:
            break
        start = index
        index += 1
        while index < size and text[index] not in _BLANKS:
            index += 1
        end = index
        after = index
        while after < size and text[after] in _BLANKS:
            after += 1
        if after < size and text[after] == ":":  # "file : 12"
            after += 1
            while after < size and text[after] in _BLANKS:
                after += 1
            number = _number_after(text, after)
            if number is not None:
                add(text[start:end], number[0])
                index = number[1]
                continue
        if text[end - 1] == ":":  # "file: 12"
            after = end
            while after < size and text[after] in _BLANKS:
                after += 1
            number = _number_after(text, after)
            if number is not None:
                add(text[start : end - 1], number[0])
                index = number[1]
                continue
        digits = end
        while digits > start and text[digits - 1] in _DIGITS:
            digits -= 1
        if start + 1 < digits < end and text[digits - 1] == ":":  # "file:12"
            add(text[start : digits - 1], int(text[digits:end]))
        else:
            add(text[start:end], None)
    return result


def _reference_lines(out: list[str], occurrences: Iterable[tuple[str, str | int | None]]) -> None:
    """Append ``#:`` lines, as many references per line as fit in the page width."""
    out += _reference_block(tuple((str(name), line) for name, line in occurrences))


@lru_cache(maxsize=1024)
def _reference_block(occurrences: tuple[tuple[str, str | int | None], ...]) -> tuple[str, ...]:
    """The ``#:`` lines of one set of references (entries of one section share theirs)."""
    out: list[str] = []
    references = _references(occurrences)
    if not references:
        return ()
    line = "#:"
    column = 2
    for file_name, line_number in references:
        while file_name.startswith("./"):
            file_name = file_name[2:]
        text = file_name if line_number is None else f"{file_name}:{line_number}"
        length = len(text.encode("utf-8")) + 1
        if column > 2 and column + length > PAGE_WIDTH:
            out.append(line)
            line, column = "#:", 2
        line += " " + text
        column += length
    out.append(line)
    return tuple(out)


def _plural_forms(entry: polib.POEntry) -> list[str]:
    """The msgstr[N] values of a plural entry in index order (two empty ones for a template)."""
    plural = entry.msgstr_plural
    if not plural:
        return [entry.msgstr or "", ""]
    return [plural[key] for key in sorted(plural, key=int)]


def _entry_lines(out: list[str], entry: polib.POEntry, header_comment: str | None = None) -> None:
    """Append the lines of one entry, as message_print or message_print_obsolete writes it."""
    flag_key = tuple(entry.flags)
    flags = _parsed_flags(flag_key)
    plural = _plural_forms(entry) if entry.msgid_plural else None
    first_msgstr = plural[0] if plural is not None else entry.msgstr
    obsolete = bool(entry.obsolete)
    # Only "fuzzy" is written for an obsolete entry, so no other flag may shape it.
    language = None if obsolete else _format_language(flag_key)
    wrap = obsolete or flags.wrap is not False
    prefix = "#~ " if obsolete else ""
    previous_prefix = "#~| " if obsolete else "#| "

    _comment_lines(out, "#", header_comment if header_comment is not None else entry.tcomment)
    _comment_lines(out, "#.", entry.comment)
    _reference_lines(out, entry.occurrences)
    if obsolete:
        if flags.fuzzy:
            out.append("#, fuzzy")
    else:
        printed = _printed_flags(flag_key, bool(first_msgstr))
        if printed:
            out.append("#, " + ", ".join(printed))
    # A previous msgctxt or msgid_plural without a previous msgid is not valid PO syntax.
    if entry.previous_msgid is not None:
        for keyword, previous in (
            ("msgctxt", entry.previous_msgctxt),
            ("msgid", entry.previous_msgid),
            ("msgid_plural", entry.previous_msgid_plural),
        ):
            if previous is not None:
                _wrap(out, previous_prefix, keyword, previous, wrap, _guarded(previous, language, False))
    if entry.msgctxt is not None:
        _wrap(out, prefix, "msgctxt", entry.msgctxt, wrap, _guarded(entry.msgctxt, language, False))
    _wrap(out, prefix, "msgid", entry.msgid, wrap, _guarded(entry.msgid, language, False))
    if plural is None:
        _wrap(out, prefix, "msgstr", entry.msgstr, wrap, _guarded(entry.msgstr, language, True))
        return
    _wrap(out, prefix, "msgid_plural", entry.msgid_plural, wrap, _guarded(entry.msgid_plural, language, False))
    for index, form in enumerate(plural):
        _wrap(out, prefix, f"msgstr[{index}]", form, wrap, _guarded(form, language, True))


def _header_entry(catalog: polib.POFile) -> polib.POEntry:
    """The ``msgid ""`` entry: metadata in insertion order, fuzzy when the header is."""
    msgstr = "".join(f"{name}: {value}\n" for name, value in catalog.metadata.items())
    fuzzy = catalog.metadata_is_fuzzy
    # polib's parser stores the header's flag list here; code usually stores a bool.
    flags = [str(flag) for flag in fuzzy] if isinstance(fuzzy, list) else ["fuzzy"] if fuzzy else []
    return polib.POEntry(msgid="", msgstr=msgstr, flags=flags)


def format_catalog(catalog: polib.POFile) -> str:
    """Serialize a catalog exactly as GNU gettext 0.21 ``msgcat`` would write it."""
    blocks: list[list[str]] = []
    header: list[str] = []
    _entry_lines(header, _header_entry(catalog), header_comment=catalog.header or "")
    blocks.append(header)
    for entry in catalog:
        if not entry.obsolete:
            lines: list[str] = []
            _entry_lines(lines, entry)
            blocks.append(lines)
    for entry in catalog:
        # gettext drops obsolete entries without a translation: nothing to keep.
        if entry.obsolete and (_plural_forms(entry)[0] if entry.msgid_plural else entry.msgstr):
            lines = []
            _entry_lines(lines, entry)
            blocks.append(lines)
    return "\n\n".join("\n".join(block) for block in blocks) + "\n"


# --------------------------------------------------------------------------------------
# Reading.
# --------------------------------------------------------------------------------------


class _LineFeedText(str):
    """PO text that polib splits into lines at LF only, as gettext reads it."""

    # str.splitlines also splits at U+2028, U+0085, FS, GS, RS..., which gettext writes
    # raw inside strings: polib, reading text, would tear such lines apart.

    __slots__ = ()

    def splitlines(self, keepends: bool = False) -> list[str]:
        """Lines separated by LF only."""
        return self.split("\n")


class _ParsedCatalog(polib.POFile):
    """The catalog polib's parser fills: its header is the first ``msgid ""`` without a context."""

    # polib's own lookup takes the last entry whose msgctxt is empty or missing, so an
    # entry with msgctxt "" and msgid "" would be taken for the header and lost.

    def find(
        self,
        st: str,
        by: str = "msgid",
        include_obsolete_entries: bool = False,
        msgctxt: str | Literal[False] = False,
    ) -> polib.POEntry | None:
        """Entry lookup, except that the header lookup of the parser finds the real header."""
        if st == "" and by == "msgid" and msgctxt is False and not include_obsolete_entries:
            return next((item for item in self if item.msgctxt is None and not item.msgid and not item.obsolete), None)
        return super().find(st, by, include_obsolete_entries, msgctxt)


_POLIB_LINE = re.compile(r"\(line (\d+)\)(?::\s*(.*))?", re.DOTALL)
_MSGID_LINE = re.compile(r"\s*(?:#~\s*)?msgid\s")
_TRAILING_COMMENT = re.compile(r"\s*(#(?!~)|#~\||#~\s*$|$)")
_CHARSET = re.compile(r"charset=([^\s;]+)", re.IGNORECASE)
_CONTENT_TYPE_LINE = re.compile(r'\s*"Content-Type:')
_STRING_LINE = re.compile(r'\s*(?:(?:#~\|?|#\|)\s*)?(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)?\s*"')
_STRING_TOKEN = re.compile(r'"((?:[^"\\]|\\.)*)("?)')
_BELL_ESCAPE = re.compile(r"(?<!\\)((?:\\\\)*)\\a")


def _string_error(line: str) -> str | None:
    """What gettext's lexer would refuse in a keyword or continuation line's string, if anything."""
    match = _STRING_LINE.match(line)
    if match is None:
        return None
    token = _STRING_TOKEN.match(line, match.end() - 1)
    if token is None or not token[2]:
        return "unterminated string (no closing double quote on the line)"
    rest = line[token.end() :]
    if rest.strip():
        return "unescaped double quote in a string" if '"' in rest else f"text after the string: {rest.strip()!r}"
    for escape in re.finditer(r"\\(.)", token[1]):
        if escape[1] not in '\\"abfnrtv':
            return f"unsupported escape sequence \\{escape[1]}"
    return None


def _first_string_error(lines: Sequence[str]) -> tuple[int, str] | None:
    """Line number and message of the first string gettext would refuse."""
    for number, line in enumerate(lines, start=1):
        message = _string_error(line)
        if message is not None:
            return number, message
    return None


def _for_polib(line: str) -> str:
    """A line that polib reads as gettext does: it skips ``#~|`` lines and leaves ``\\a`` escaped."""
    stripped = line.lstrip()
    if stripped.startswith("#~|"):
        line = line[: len(line) - len(stripped)] + "#|" + stripped[3:]
    match = _STRING_LINE.match(line)
    if match is None or "\\a" not in line:
        return line
    start = match.end() - 1
    return line[:start] + _BELL_ESCAPE.sub("\\1\a", line[start:])


def _without_trailing_comments(lines: list[str]) -> list[str]:
    """Lines without the comments after the last entry, which would make polib drop that entry."""
    end = len(lines)
    while end > 0 and _TRAILING_COMMENT.match(lines[end - 1]):
        end -= 1
    return lines[:end] if end else lines


def _first_line_from(lines: Sequence[str], start: int, pattern: re.Pattern[str]) -> int | None:
    """1-based number of the first line at or after line ``start`` (1-based) matching pattern."""
    for number in range(max(start, 1), len(lines) + 1):
        if pattern.match(lines[number - 1]):
            return number
    return None


def _check_charset(catalog: polib.POFile, lines: Sequence[str], where: str) -> None:
    """Refuse a header that declares a charset other than UTF-8."""
    content_type = catalog.metadata.get("Content-Type")
    if content_type is None:
        return
    match = _CHARSET.search(content_type)
    if match is None or match[1].lower() in ("utf-8", "utf8"):
        return
    line = _first_line_from(lines, 1, _CONTENT_TYPE_LINE)
    raise CatalogError(
        f"header declares charset {match[1]!r}; catalogs must be UTF-8 (Content-Type: text/plain; charset=UTF-8)",
        where,
        line,
    )


def _check_duplicates(catalog: polib.POFile, lines: Sequence[str], where: str) -> None:
    """Refuse two entries with the same msgctxt and msgid (gettext: duplicate message definition)."""
    first_seen: dict[tuple[str | None, str], int | None] = {}
    for entry in catalog:
        context: str | None = entry.msgctxt
        key = (context, entry.msgid)
        line = _first_line_from(lines, entry.linenum or 1, _MSGID_LINE)
        if context is None and not entry.msgid and not entry.obsolete:
            # polib took the first such entry as the header; this one repeats it.
            raise CatalogError('duplicate header entry (msgid "")', where, line)
        if key in first_seen:
            in_context = "" if context is None else f" in context {context!r}"
            earlier = first_seen[key]
            raise CatalogError(
                f"duplicate entry for msgid {entry.msgid!r}{in_context}"
                + (f" (first defined at line {earlier})" if earlier else ""),
                where,
                line,
            )
        first_seen[key] = line


def parse_catalog(text: str, path: Path | str = "<string>") -> polib.POFile:
    """Parse PO text, raising CatalogError with the line for anything gettext would refuse."""
    where = str(path)
    text = text.removeprefix("\ufeff")
    lines = text.split("\n")
    string_error = _first_string_error(lines)
    try:
        parsed = polib.pofile(
            # A trailing newline keeps polib from taking a one-line text for a file name.
            _LineFeedText("\n".join(_for_polib(line) for line in _without_trailing_comments(lines)) + "\n"),
            encoding="utf-8",
            wrapwidth=PAGE_WIDTH,
            klass=_ParsedCatalog,
        )
    except Exception as exc:  # polib raises OSError for syntax errors, anything on odd input
        match = _POLIB_LINE.search(str(exc))
        line = int(match[1]) if match else None
        if string_error is not None and (line is None or string_error[0] <= line):
            raise CatalogError(f"PO syntax error: {string_error[1]}", where, string_error[0]) from exc
        detail = match[2].strip() if match and match[2] else ""
        raise CatalogError("PO syntax error" + (f": {detail}" if detail else ""), where, line) from exc
    if string_error is not None:
        # polib accepts these strings, cutting or keeping characters gettext would refuse.
        raise CatalogError(f"PO syntax error: {string_error[1]}", where, string_error[0])
    catalog = polib.POFile(encoding="utf-8", wrapwidth=PAGE_WIDTH)
    catalog.extend(parsed)
    catalog.header = parsed.header
    catalog.metadata = parsed.metadata
    catalog.metadata_is_fuzzy = parsed.metadata_is_fuzzy
    _check_charset(catalog, lines, where)
    _check_duplicates(catalog, lines, where)
    return catalog


def read_catalog(path: Path) -> polib.POFile:
    """Read a UTF-8 PO or POT file; every problem is a CatalogError naming file and line."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise CatalogError(f"cannot read catalog: {exc.strerror or exc}", path) from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise CatalogError(f"invalid UTF-8 (byte 0x{data[exc.start]:02x}); catalogs must be UTF-8", path, line) from exc
    catalog = parse_catalog(text, path)
    catalog.fpath = str(path)
    return catalog


# --------------------------------------------------------------------------------------
# Writing files and dates.
# --------------------------------------------------------------------------------------

_DATE_LINE = re.compile(r'^("(?:POT-Creation-Date|PO-Revision-Date):)[^"\n]*(\\n")$', re.MULTILINE)


def _without_dates(text: str) -> str:
    """The text with the header's creation and revision dates blanked, to compare content."""
    header, separator, rest = text.partition("\n\n")
    return _DATE_LINE.sub(r"\1\2", header) + separator + rest


def write_catalog(catalog: polib.POFile, path: Path, *, durable: bool = True) -> bool:
    """Write atomically; False (file untouched) when only the header dates would change.

    ``durable=False`` skips flushing to disk: for templates, which the next extraction writes again.
    """
    path = Path(path)
    text = format_catalog(catalog)
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise CatalogError(f"catalog text cannot be encoded as UTF-8: {exc.reason}", path) from exc
    try:
        existing = path.read_bytes()
    except FileNotFoundError:
        existing = None
    except OSError as exc:
        raise CatalogError(f"cannot read existing catalog: {exc.strerror or exc}", path) from exc
    if existing is not None:
        old = existing.decode("utf-8", errors="surrogateescape")
        if old == text or _without_dates(old) == _without_dates(text):
            return False
    try:
        write_bytes(path, data, durable=durable)
    except OSError as exc:
        raise CatalogError(f"cannot write catalog: {exc.strerror or exc}", path) from exc
    return True


def catalog_date(now: datetime | None = None) -> str:
    """Header date ``YYYY-MM-DD HH:MM+ZZZZ`` as gettext writes it; SOURCE_DATE_EPOCH (UTC) when set."""
    # An explicit ``now`` wins over SOURCE_DATE_EPOCH; a naive ``now`` is local time.
    if now is None:
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        if epoch:
            try:
                now = datetime.fromtimestamp(int(epoch), tz=UTC)
            except (ValueError, OverflowError, OSError) as exc:
                raise CatalogError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, got {epoch!r}") from exc
        else:
            now = datetime.now().astimezone()
    elif now.tzinfo is None:
        now = now.astimezone()
    offset = now.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "-" if minutes < 0 else "+"
    minutes = abs(minutes)
    return f"{now:%Y-%m-%d %H:%M}{sign}{minutes // 60:02d}{minutes % 60:02d}"

"""Flags and format directives as gettext 0.21 reads and prints them: which characters of a string are a
format directive (c, objc, python, python-brace), so that the writer never breaks a line inside one."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

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

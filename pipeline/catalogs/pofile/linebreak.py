"""Line breaking of PO strings as GNU gettext 0.21 does it: libunistring 1.0's UAX #14 breaks (through ctypes,
or a pure-Python port of them), and ``wrap`` of write-po.c that quotes, escapes and wraps one keyword's string."""

from __future__ import annotations

import bisect
import ctypes
import ctypes.util
import os
import re
import unicodedata
from collections.abc import Callable, Sequence
from functools import lru_cache

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

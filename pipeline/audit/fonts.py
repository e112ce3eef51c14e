"""Fonts of a PDF as the audit sees them: embedded or not, italic or not, and each drawn code's glyph and text."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from typing import Any

import pikepdf
from fontTools import agl

from pipeline.audit.cmap import CMap, parse_cmap

ITALIC_FLAG = 1 << 6
"""FontDescriptor ``/Flags`` bit 7: the font is italic (ISO 32000-1, table 123)."""
_SUBSET_TAG = re.compile(r"^[A-Z]{6}\+")
_SIMPLE_ENCODINGS = {"/WinAnsiEncoding": "cp1252", "/MacRomanEncoding": "mac_roman", "/StandardEncoding": "latin-1"}


@dataclass(slots=True, frozen=True)
class Glyph:
    """One code of a shown string."""

    code: int
    """The code in the string."""
    text: str
    """Its Unicode text from the font's ToUnicode map (or encoding), empty when it has none."""
    width: float
    """Advance in text space units (glyph units / 1000)."""
    missing: bool
    """Drawn with the font's missing glyph (.notdef, CID or GID 0, or a Type 3 name with no procedure)."""


@dataclass(slots=True)
class PdfFont:
    """A font resource, read once per document."""

    name: str
    """PostScript name without the subset tag (``Atkinson-Hyperlegible-Bold``)."""
    subtype: str
    """``/Type0``, ``/TrueType``, ``/Type1``, ``/Type3`` ..."""
    embedded: bool
    """Whether the font program is in the file (Type 3 fonts always are)."""
    has_to_unicode: bool
    """Whether a ToUnicode map is present."""
    italic: str | None
    """Why the face counts as italic (name, flags or angle), None when upright."""
    problem: str | None = None
    """What the audit could not read about this font (an unsupported encoding), if anything."""
    _two_byte: bool = False
    _encoding: CMap | None = None
    _to_unicode: dict[int, str] = field(default_factory=dict)
    _simple_text: dict[int, str] = field(default_factory=dict)
    _cid_to_gid: bytes | None = None
    _widths: dict[int, float] = field(default_factory=dict)
    _default_width: float = 1000.0
    _type3_missing: frozenset[int] = frozenset()
    _width_scale: float = 0.001

    def glyphs(self, data: bytes) -> list[Glyph]:
        """Split a shown string into glyphs."""
        result = []
        codes = self._encoding.split(data, 2 if self._two_byte else 1) if self._encoding else None
        if codes is None:
            step = 2 if self._two_byte else 1
            codes = (int.from_bytes(data[i : i + step], "big") for i in range(0, len(data) - step + 1, step))
        for code in codes:
            if self._two_byte:
                cid = code if self._encoding is None or not self._encoding.cids else self._encoding.cids.get(code, 0)
                gid = cid
                if self._cid_to_gid is not None:
                    gid = int.from_bytes(self._cid_to_gid[2 * cid : 2 * cid + 2] or b"\0\0", "big")
                missing = cid == 0 or gid == 0
                width = self._widths.get(cid, self._default_width)
            else:
                missing = code in self._type3_missing
                width = self._widths.get(code, self._default_width)
            text = self._to_unicode.get(code, "") or self._simple_text.get(code, "")
            result.append(Glyph(code, text, width * self._width_scale, missing))
        return result


def _name(value: Any) -> str:
    return str(value) if value is not None else ""


def _descriptor_italic(descriptor: Any, name: str) -> str | None:
    if re.search(r"italic|oblique", name, re.IGNORECASE):
        return f"font {name} is an italic face"
    if not isinstance(descriptor, pikepdf.Dictionary):
        return None
    try:
        flags = int(descriptor.get("/Flags", 0))
        angle = float(descriptor.get("/ItalicAngle", 0))
    except (TypeError, ValueError):
        return None
    if flags & ITALIC_FLAG:
        return f"font {name} has the italic flag set"
    if abs(angle) > 0.5:
        return f"font {name} has an italic angle of {angle:g} degrees"
    return None


def _embedded(descriptor: Any) -> bool:
    return isinstance(descriptor, pikepdf.Dictionary) and any(
        key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
    )


def _cid_widths(array: Any) -> dict[int, float]:
    widths: dict[int, float] = {}
    if not isinstance(array, pikepdf.Array):
        return widths
    items = list(array)
    index = 0
    while index + 1 < len(items):
        first = items[index]
        following = items[index + 1]
        if isinstance(following, pikepdf.Array):
            for offset, width in enumerate(following):
                widths[int(first) + offset] = float(width)
            index += 2
        elif index + 2 < len(items):
            for cid in range(int(first), min(int(following), int(first) + (1 << 16)) + 1):
                widths[cid] = float(items[index + 2])
            index += 3
        else:
            break
    return widths


def _simple_encoding(font: pikepdf.Dictionary) -> dict[int, str]:
    encoding = font.get("/Encoding")
    base = "latin-1"
    differences: Any = None
    if isinstance(encoding, pikepdf.Name):
        base = _SIMPLE_ENCODINGS.get(str(encoding), "latin-1")
    elif isinstance(encoding, pikepdf.Dictionary):
        base = _SIMPLE_ENCODINGS.get(_name(encoding.get("/BaseEncoding")), "latin-1")
        differences = encoding.get("/Differences")
    table = {code: codecs.decode(bytes([code]), base, errors="ignore") for code in range(32, 256)}
    if isinstance(differences, pikepdf.Array):
        code = 0
        for item in differences:
            if isinstance(item, pikepdf.Name):
                table[code] = agl.toUnicode(str(item)[1:])
                code += 1
            else:
                code = int(item)
    return table


def _type3_missing(font: pikepdf.Dictionary) -> frozenset[int]:
    encoding = font.get("/Encoding")
    procedures = font.get("/CharProcs")
    if not isinstance(encoding, pikepdf.Dictionary) or not isinstance(procedures, pikepdf.Dictionary):
        return frozenset()
    names: dict[int, str] = {}
    code = 0
    for item in encoding.get("/Differences", pikepdf.Array()):
        if isinstance(item, pikepdf.Name):
            names[code] = str(item)
            code += 1
        else:
            code = int(item)
    return frozenset(code for code, name in names.items() if name not in procedures)


def read_font(font: pikepdf.Dictionary) -> PdfFont:
    """What the audit needs to know about a font dictionary."""
    subtype = _name(font.get("/Subtype"))
    name = _SUBSET_TAG.sub("", _name(font.get("/BaseFont")).lstrip("/")) or "(unnamed)"
    to_unicode: dict[int, str] = {}
    stream = font.get("/ToUnicode")
    if isinstance(stream, pikepdf.Stream):
        try:
            to_unicode = parse_cmap(stream.read_bytes()).unicode
        except pikepdf.PdfError:
            to_unicode = {}
    if subtype == "/Type0":
        descendants = font.get("/DescendantFonts")
        cid_font = descendants[0] if isinstance(descendants, pikepdf.Array) and len(descendants) else None
        if not isinstance(cid_font, pikepdf.Dictionary):
            cid_font = pikepdf.Dictionary()
        descriptor = cid_font.get("/FontDescriptor")
        encoding_value = font.get("/Encoding")
        encoding: CMap | None = None
        problem = None
        if isinstance(encoding_value, pikepdf.Stream):
            encoding = parse_cmap(encoding_value.read_bytes())
        elif _name(encoding_value) not in ("/Identity-H", "/Identity-V"):
            problem = f"font {name} uses the CMap {_name(encoding_value) or '(none)'}, which the audit cannot decode"
        cid_to_gid = cid_font.get("/CIDToGIDMap")
        return PdfFont(
            name=name,
            subtype=subtype,
            embedded=_embedded(descriptor),
            has_to_unicode=bool(to_unicode),
            italic=_descriptor_italic(descriptor, name),
            problem=problem,
            _two_byte=True,
            _encoding=encoding,
            _to_unicode=to_unicode,
            _cid_to_gid=cid_to_gid.read_bytes() if isinstance(cid_to_gid, pikepdf.Stream) else None,
            _widths=_cid_widths(cid_font.get("/W")),
            _default_width=float(cid_font.get("/DW", 1000)),
        )
    widths: dict[int, float] = {}
    first = int(font.get("/FirstChar", 0))
    for offset, width in enumerate(font.get("/Widths", pikepdf.Array())):
        widths[first + offset] = float(width)
    scale = 0.001
    matrix = font.get("/FontMatrix")
    if subtype == "/Type3" and isinstance(matrix, pikepdf.Array) and len(matrix) == 6:
        scale = float(matrix[0])
    return PdfFont(
        name=name,
        subtype=subtype,
        embedded=subtype == "/Type3" or _embedded(font.get("/FontDescriptor")),
        has_to_unicode=bool(to_unicode),
        italic=_descriptor_italic(font.get("/FontDescriptor"), name),
        _to_unicode=to_unicode,
        _simple_text=_simple_encoding(font),
        _widths=widths,
        _default_width=0.0,
        _type3_missing=_type3_missing(font) if subtype == "/Type3" else frozenset(),
        _width_scale=scale,
    )

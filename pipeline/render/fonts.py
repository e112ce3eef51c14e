"""Fonts per script, from installed packages only, and the rule that no character may fall through them.

A character none of a product's fonts covers would print as a blank box or in a font nobody chose; we check the
text of every product against the fonts' cmaps (fontTools) before rendering and refuse it instead.
"""

from __future__ import annotations

import struct
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont

from pipeline.languages.scripts import ATKINSON, CJK, NOTO_ARABIC, NOTO_SANS, SCRIPT_FONTS, FontSpec
from pipeline.render.errors import RenderError

__all__ = [
    "ATKINSON", "CJK", "FONT_DIRS", "NOTO_ARABIC", "NOTO_SANS", "Font", "FontCatalog", "FontSpec", "TextOrigin",
    "check_coverage", "digits_family", "printable",
]  # fmt: skip

FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".local/share/fonts")
"""Where Debian packages and users install fonts (fontconfig's default folders)."""


@dataclass(slots=True)
class Font:
    """An installed font family: its files and the characters it covers."""

    spec: FontSpec
    """What it is."""
    regular: Path
    """Regular face file."""
    bold: Path
    """Bold face file."""
    coverage: frozenset[int] = field(default_factory=frozenset)
    """Code points both faces map to a glyph."""

    @property
    def family(self) -> str:
        """CSS family name."""
        return self.spec.family

    def covers(self, char: str) -> bool:
        """Whether both faces have a glyph for ``char``."""
        return ord(char) in self.coverage


def _code_points(font: TTFont) -> set[int]:
    """Every code point the font maps: straight from a format 12 subtable's ranges when it has one (the big
    CJK and Noto cmaps; far faster than building fontTools' dict), else fontTools' best cmap."""
    data = font.reader["cmap"]
    (count,) = struct.unpack_from(">H", data, 2)
    for index in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", data, 4 + 8 * index)
        if (platform, encoding) in ((3, 10), (0, 4), (0, 6)) and struct.unpack_from(">H", data, offset)[0] == 12:
            (groups,) = struct.unpack_from(">I", data, offset + 12)
            points: set[int] = set()
            for start, end, _glyph in struct.iter_unpack(">III", data[offset + 16 : offset + 16 + 12 * groups]):
                points.update(range(start, end + 1))
            return points
    return set(font.getBestCmap())


def _cmap(path: Path, family: str) -> set[int]:
    if path.suffix.lower() in (".ttc", ".otc"):
        collection = TTCollection(str(path), lazy=True)
        for font in collection.fonts:
            if font["name"].getDebugName(1) == family:
                return _code_points(font)
        raise RenderError(f"font file {path} holds no face of {family!r}")
    return _code_points(TTFont(str(path), lazy=True))


class FontCatalog:
    """Finds the fonts Plainleaf uses among the installed ones; never downloads anything."""

    def __init__(self, font_dirs: Sequence[Path] = FONT_DIRS, atkinson_dir: Path | None = None) -> None:
        self.font_dirs = tuple(font_dirs)
        self._atkinson_dir = atkinson_dir
        self._fonts: dict[str, Font] = {}

    @cached_property
    def _installed(self) -> dict[str, Path]:
        found: dict[str, Path] = {}
        for folder in self.font_dirs:
            if folder.is_dir():
                for path in sorted(folder.rglob("*")):
                    found.setdefault(path.name, path)
        return found

    def _atkinson_folder(self) -> Path:
        if self._atkinson_dir is not None:
            return self._atkinson_dir
        try:
            import fontpkg_atkinson_hyperlegible as package
        except ImportError:
            raise RenderError(f"font {ATKINSON.family!r} is not installed; install {ATKINSON.package}") from None
        return Path(package.ROOT) / "files"

    def font(self, spec: FontSpec) -> Font:
        """The installed font of ``spec``, or a RenderError saying which package to install."""
        if spec.family in self._fonts:
            return self._fonts[spec.family]
        if spec is ATKINSON:
            folder = self._atkinson_folder()
            files = [folder / spec.regular, folder / spec.bold]
        else:
            files = [
                self._installed.get(spec.regular, Path(spec.regular)),
                self._installed.get(spec.bold, Path(spec.bold)),
            ]
        for path in files:
            if not path.is_file():
                raise RenderError(
                    f"font {spec.family!r} is not installed ({path.name} not found); install {spec.package}"
                )
        coverage = frozenset(_cmap(files[0], spec.family) & _cmap(files[1], spec.family))
        if spec.unicode_range:
            coverage = frozenset(point for point in coverage if any(a <= point <= b for a, b in spec.unicode_range))
        font = Font(spec, files[0], files[1], coverage)
        self._fonts[spec.family] = font
        return font

    def fonts_for(self, script: str, text: str) -> list[Font]:
        """The font stack of a product in ``script``: the script's font first, then the Latin one.

        Latin-script text gets Atkinson Hyperlegible when it covers every character of ``text`` (it has no
        Vietnamese letters such as ơ, ư, ạ), else Noto Sans.
        """
        own = SCRIPT_FONTS.get(script)
        if own is not None:
            # Noto Sans second: Noto Sans CJK draws U+00B7, U+2022 and U+30FB with one glyph, so a PDF reader takes
            # a list bullet for the middle dot of a name (or the reverse); bullets come from Noto Sans (base.css).
            return [self.font(own), self.font(NOTO_SANS)]
        atkinson = self.font(ATKINSON)
        if all(atkinson.covers(char) for char in printable(text)):
            # Noto Sans second: Atkinson's zero is slashed and reads as Ø to many older patients ("6Ø8"), and it
            # has no OpenType feature for a plain one (its GSUB: aalt case ccmp frac locl ordn pnum sups tnum),
            # so telephone numbers, times and dates are set in Noto Sans (see digits_family); list markers too,
            # so their width is the same in every language.
            return [atkinson, self.font(NOTO_SANS)]
        return [self.font(NOTO_SANS)]


def digits_family(fonts: Sequence[Font]) -> str:
    """CSS font family for telephone numbers, times and dates: the product's stack with Noto Sans (plain zero)
    first when the stack starts with Atkinson Hyperlegible (slashed zero)."""
    families = [font.family for font in fonts]
    if families[0] == ATKINSON.family and NOTO_SANS.family in families:
        families.remove(NOTO_SANS.family)
        families.insert(0, NOTO_SANS.family)
    return ", ".join(f'"{family}"' for family in families) + ", sans-serif"


def printable(text: str) -> set[str]:
    """Characters of ``text`` that need a glyph: not spaces, controls, format characters or variation selectors."""
    chars = set(unicodedata.normalize("NFC", text))
    return {
        char
        for char in chars
        if unicodedata.category(char) not in ("Zs", "Zl", "Zp", "Cc", "Cf") and not 0xFE00 <= ord(char) <= 0xFE0F
    }


@dataclass(slots=True, frozen=True)
class TextOrigin:
    """Where a piece of printed text comes from, so a missing glyph can be traced to a file and line."""

    path: str
    """File the text is written in (a catalog, a source, a clinic file, a template)."""
    line: int | None
    """Line in that file, when known."""
    text: str
    """The text."""


def describe(char: str) -> str:
    """``U+1F600 GRINNING FACE '😀'``."""
    return f"U+{ord(char):04X} {unicodedata.name(char, 'UNNAMED CHARACTER')} {char!r}"


def check_coverage(text: str, fonts: Sequence[Font], origins: Iterable[TextOrigin], what: str) -> None:
    """Raise RenderError naming every character of ``text`` none of ``fonts`` covers, and where it occurs."""
    missing = sorted(char for char in printable(text) if not any(font.covers(char) for font in fonts))
    if not missing:
        return
    origins = list(origins)
    families = ", ".join(font.family for font in fonts)
    first = missing[0]
    where = next((o for o in origins if first in unicodedata.normalize("NFC", o.text)), None)
    others = (
        f" (and {len(missing) - 1} more: {', '.join(describe(c) for c in missing[1:4])})" if len(missing) > 1 else ""
    )
    raise RenderError(
        f"{what}: character {describe(first)} is in none of the fonts ({families}); it would print as a blank box"
        f"{others}",
        where.path if where else None,
        where.line if where else None,
    )

"""Writing systems: the font that draws each script, from installed packages only (never downloaded).

A language's font follows its script (:attr:`pipeline.languages.Language.script`, CLDR's likely script): a new
language in a script listed here needs no font work; a new script needs its font here and installed.
``render/fonts.py`` finds the files and checks that they cover the text.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True, frozen=True)
class FontSpec:
    """A font family we may use and where it comes from."""

    family: str
    """Family name, as CSS and fontconfig call it."""
    regular: str
    """File name of the regular face."""
    bold: str
    """File name of the bold face."""
    package: str
    """What to install when it is missing, for the error message."""
    declare: bool = True
    """Declare it with ``@font-face`` from its file (single-face files); False: use the installed family by name
    through fontconfig (font collections, whose right face only fontconfig picks)."""
    unicode_range: tuple[tuple[int, int], ...] = ()
    """Code point ranges the face is used for (CSS ``unicode-range``), such as digits only; empty for all."""


ATKINSON = FontSpec(
    "Atkinson Hyperlegible", "AtkinsonHyperlegible-Regular.ttf", "AtkinsonHyperlegible-Bold.ttf",
    "the PyPI package fontpkg-atkinson-hyperlegible",
)  # fmt: skip
"""Latin text, where it covers every character (it has no Vietnamese letters such as ơ, ư, ạ)."""
NOTO_SANS = FontSpec("Noto Sans", "NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "the Debian package fonts-noto-core")
"""Latin text Atkinson cannot set, and the second font of every stack (digits, list markers)."""
NOTO_ARABIC = FontSpec(
    "Noto Sans Arabic", "NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf", "the Debian package fonts-noto-core"
)
"""Arabic script."""
CJK = {
    script: FontSpec(f"Noto Sans CJK {region}", "NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc",
                     "the Debian package fonts-noto-cjk", declare=False)
    for script, region in (("Hans", "SC"), ("Hant", "TC"), ("Jpan", "JP"), ("Kore", "KR"))
}  # fmt: skip
"""Han (simplified and traditional), Japanese and Korean: the regional Noto Sans CJK family of each."""
SCRIPT_FONTS: dict[str, FontSpec] = {**CJK, "Arab": NOTO_ARABIC}
"""The first font of a product in each script that Latin fonts cannot set; other scripts use the Latin stack."""

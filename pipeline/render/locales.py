"""What the layout needs to know about a language: its tag, direction, script, digits and name."""

from __future__ import annotations

from dataclasses import dataclass

from babel import Locale, UnknownLocaleError
from babel.core import get_global

from pipeline.render.errors import RenderError

COUNTER_STYLES = {
    "latn": "decimal", "arab": "arabic-indic", "arabext": "persian", "deva": "devanagari", "beng": "bengali",
    "thai": "thai", "khmr": "khmer", "laoo": "lao", "mymr": "myanmar", "tibt": "tibetan", "guru": "gurmukhi",
    "gujr": "gujarati", "knda": "kannada", "mlym": "malayalam", "orya": "oriya", "telu": "telugu", "tamldec": "tamil",
    "hanidec": "cjk-decimal",
}  # fmt: skip
"""CLDR numbering systems and the CSS counter styles (predefined in WeasyPrint) that write the same digits."""


@dataclass(slots=True, frozen=True)
class TextLocale:
    """A language as the layout uses it."""

    code: str
    """Locale code as in ``locales/<code>/``: ``zh_Hans``, or a pseudo-locale such as ``en_XA``."""
    tag: str
    """BCP 47 tag for ``lang`` attributes and PDF ``/Lang``: ``zh-Hans``."""
    direction: str
    """``ltr`` or ``rtl``, from CLDR's character order."""
    script: str
    """ISO 15924 script of the language (``Latn``, ``Arab``, ``Hans`` ...), from CLDR's likely subtags."""
    data: Locale
    """Babel locale whose formats (dates, numbers) the products use."""
    numbering_system: str
    """CLDR default numbering system: ``latn`` for 0-9."""
    pseudo: bool = False
    """Whether this is a generated pseudo-locale for testing layouts."""

    @property
    def counter_style(self) -> str:
        """CSS counter style that writes page numbers in the locale's digits."""
        return COUNTER_STYLES.get(self.numbering_system, "decimal")

    @property
    def display_name(self) -> str:
        """The language's name in itself (``español``, ``中文 (简体)``); pseudo-locales name themselves."""
        if self.pseudo:
            return {"en_XA": "[Éñğļîšh]", "ar_XB": "English (mirrored)"}.get(self.code, self.tag)  # their own words
        return str(Locale.parse(self.code).get_display_name(Locale.parse(self.code)) or self.tag)


def _script(locale: Locale) -> str:
    if locale.script:
        return str(locale.script)
    likely = str(get_global("likely_subtags").get(locale.language, ""))
    subtags = [part for part in likely.split("_") if len(part) == 4 and part.istitle()]
    return subtags[0] if subtags else "Latn"


def text_locale(code: str) -> TextLocale:
    """Resolve a locale code (``es``, ``zh_Hans``, ``zh-Hans``, ``en_XA``) for the layout."""
    from pipeline.languages import languages

    normal = code.replace("-", "_")
    known = languages().find(normal)
    if known is not None and known.pseudo is not None:  # made from the sources: the language file says how
        data = Locale.parse(known.pseudo_base or "en")
        direction = known.direction or "ltr"
        return TextLocale(normal, normal.replace("_", "-"), direction, known.script, data, "latn", pseudo=True)
    try:
        locale = Locale.parse(normal)
    except (ValueError, UnknownLocaleError):
        raise RenderError(f"unknown locale {code!r}") from None
    direction = "rtl" if locale.character_order == "right-to-left" else "ltr"
    numbering = str(locale.default_numbering_system or "latn")
    return TextLocale(normal, normal.replace("_", "-"), direction, _script(locale), locale, numbering)

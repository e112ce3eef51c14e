"""Pseudo-locale en-XA: the English sources accented and made longer, to find untranslatable or clipped text."""

from pipeline.languages.model import Language

LANGUAGE = Language(
    tag="en_XA",
    name="English (pseudo-accented)",
    script="Latn",
    # Android's and Chrome's pseudo-locale conventions: XA accented, XB right to left.
    pseudo="accented",
    pseudo_base="en",
    direction="ltr",
)

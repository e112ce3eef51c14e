"""Pseudo-locale ar-XB: the English sources forced right to left, to find layout that does not mirror."""

from pipeline.languages.model import Language

LANGUAGE = Language(
    tag="ar_XB",
    name="English (pseudo-mirrored)",
    script="Latn",
    # Android's and Chrome's pseudo-locale conventions: XA accented, XB right to left, formats of English.
    pseudo="mirrored",
    pseudo_base="en",
    direction="rtl",
)

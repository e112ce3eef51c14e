"""What the pipeline assumes of a language that has no file, or a file without the table a stage needs.

These are the fallbacks, kept together so that a reviewer sees every assumption made about an unknown language
in one place; each language file overrides them with measured or published facts.
"""

from __future__ import annotations

from typing import Final

UNSPACED_LANGUAGES: Final = frozenset({"zh", "ja", "yue", "wuu", "th", "lo", "km", "my", "bo"})
"""Languages written without spaces between words (Han, kana, Thai, Lao, Khmer, Burmese, Tibetan): readability
measures them in characters."""

LIX_LANGUAGES: Final = frozenset({"sv", "da", "nb", "nn", "no"})
"""Languages LIX was developed and is used for (Björnsson 1968, Swedish; the Scandinavian languages): it counts as
their calibrated formula."""

SCRIPT_LENGTH_BANDS: Final = {
    "zh": ((0.2, 1.2), "Chinese and Japanese"),
    "ja": ((0.2, 1.2), "Chinese and Japanese"),
    "yue": ((0.2, 1.2), "Chinese and Japanese"),
    "ko": ((0.3, 1.5), "Korean"),
}
"""Translation/source length range (visible characters) for a language without a measured band, by the kind of
script it writes; a rule of thumb wider than any measured band."""

ALPHABETIC_LENGTH_BAND: Final = ((0.5, 2.5), "alphabetic scripts")
"""The range for every other language without a measured band."""

DEFAULT_SENTENCE_ALLOWANCE: Final = 1
"""How many fewer sentences than its msgid a translation may have in a language not measured: joining two
sentences is a legitimate choice in any language."""

DEFAULT_READING_SPEED: Final = 200
"""Words a minute for a language whose file gives no reading speed (IReST's languages average about 200)."""

"""Readability analysis: how hard patient text is to read in its language, which sentences make it so, and why.

Usage::

    from pipeline.readability import TextUnit, analyze

    report = analyze([TextUnit("Ask your doctor.", "paragraph", "intro", 12)], "en")
    report.score("smog").value, report.passed, report.to_dict()

The input is a sequence of :class:`TextUnit` (plain text of one heading, paragraph, list item or
table cell, with its section and source line); nothing else of the pipeline is needed. Headings,
metadata lines (kind ``reading time``, ``front matter``, ``metadata``) and labels (kind ``label`` or
``table header``, or a paragraph of one or two words ending in a colon) are not sentences: they are
left out of the sentences, the counts and every formula, and listed in ``excluded`` with why.

Flags respect definitions: a glossary term (or an acronym) defined in the same sentence, or a
glossary term defined in the one before ("X is a ...", "X means", "called X", "X (plain words)",
"plain words (X)", "X, a ...", "X: plain words", and the Spanish forms; ``data/definitions.toml``) is
not flagged. Spanish *se* with a pronominal verb (*se detengan*, *se siente*; ``data/pronominal-es.toml``)
is not a passive.
``analyze(units, language, targets=None)`` raises :class:`ReadabilityError` for a language code
that is not a CLDR locale and for input with no words.

Per language (the facts in each :mod:`pipeline.languages` file, read by :mod:`pipeline.readability.languages`):

========  ===================================================================  ===========
language  formulas                                                             validated
========  ===================================================================  ===========
en        Flesch-Kincaid grade, SMOG, Flesch reading ease, Gunning fog,        yes
          Coleman-Liau, LIX, RIX
es        Fernández Huerta, Szigriszt-Pazos with INFLESZ bands, LIX, RIX       yes
fr        Kandel-Moles, LIX, RIX                                               yes
de        Wiener Sachtextformel (first), LIX, RIX                              yes
it        Gulpease, LIX, RIX                                                   yes
pt        Flesch with Martins et al. (1996) constants, LIX, RIX                yes
ar        OSMAN (syllables estimated where there are no diacritics), LIX, RIX  yes, approx.
zh        average sentence length in characters, share of long sentences,      no
          clauses per sentence
vi        the same in syllables                                                no
other     LIX, RIX, average sentence length, share of long sentences           no (sv, da,
                                                                               nb: LIX)
========  ===================================================================  ===========

JSON schema of ``Analysis.to_dict()`` (``schema`` 1; keys are always present, ``null`` where
stated; numbers rounded: scores to 1 decimal, shares to 3)::

    {
      "schema": 1,
      "language": "en",                      # as given
      "locale": "en",                        # CLDR locale it resolved to, e.g. "zh_Hans"
      "language_name": "English",
      "validated": true,                     # false: no validated formula, no grade given
      "note": null | "No validated readability formula for Chinese; no grade is given. ...",
      "length_unit": "words" | "syllables" | "characters",
      "thresholds": {"long_sentence": 20, "complex_word_syllables": 3, "complex_words": 3,
                     "paragraph_sentences": 5, "list_items": 7},
      "passed": true | false | null,         # all judged targets met; null if none could be judged
      "targets": [{"formula": "smog", "maximum": 8.0, "minimum": null, "source": "...",
                   "advisory": false,        # true: a miss is reported with its gap, gates nothing
                   "value": 14.6 | null, "passed": true | false | null}],
      "counts": COUNTS,
      "scores": [SCORE, ...],                # the whole text
      "sections": [{"title": "Introduction", "line": 23, "counts": COUNTS, "scores": [SCORE, ...]}],
      "sentences": [{"index": 0, "text": "...", "unit": 0, "kind": "paragraph", "section": "...",
                     "line": 23, "words": 32, "syllables": 51, "letters": 160, "polysyllables": 7,
                     "clauses": 3, "measures": {"flesch-kincaid-grade": 17.2},
                     "flags": [FLAG, ...]}],
      "blocks": [{"unit": 4, "units": 9, "kind": "list item", "section": "...", "line": 40,
                  "id": "long-list", "reason": "9 items; aim for 7 or fewer ...", "term": null}],
      "excluded": [{"unit": 0, "text": "Key Takeaways", "kind": "heading 2", "section": "Key Takeaways",
                    "line": 13, "reason": "heading" | "metadata" | "label"}]
    }
    COUNTS = {"units", "sentences", "words", "syllables", "letters", "long_words",
              "polysyllables", "complex_words", "monosyllables", "clauses", "long_sentences": int,
              "words_per_sentence", "syllables_per_word", "letters_per_word": float,
              "extra": {str: int}}           # ar: osman_long_words, osman_complex_words,
                                             # faseeh_words, diacritised_words; zh: han_characters
    SCORE = {"id": "flesch-kincaid-grade", "name": "Flesch-Kincaid grade level", "value": 13.8,
             "band": "college" | null, "scale": "grade" | "ease" | "index" | "measure",
             "calibrated": true, "source": "citation", "caveat": null | "why to read it with care"}
    FLAG = {"id": "long-sentence" | "passive-voice" | "complex-words" | "jargon" | "acronym",
            "reason": "32 words; aim for 20 or fewer", "term": null | "the words concerned"}
                                             # reasons: "'are evaluated'; say who does what",
                                             # "'stroma'; say 'the thick tissue ...'", "a, b, c (3 words
                                             # of 3 or more syllables); use shorter ..."

"words" are Chinese characters (a Latin word or number counting as one) for ``zh`` and
syllables for ``vi``. Sentence ``measures`` hold the language's sentence-level formula
(``flesch-kincaid-grade``, ``szigriszt-pazos``, ``kandel-moles``, ``wiener-sachtextformel-1``,
``gulpease``, ``flesch-portuguese``, ``osman``) and are empty for zh and vi.
"""

from __future__ import annotations

from pipeline.readability.analysis import analyze
from pipeline.readability.model import (
    SCHEMA_VERSION,
    Analysis,
    BlockFlag,
    Counts,
    Flag,
    ReadabilityError,
    Score,
    Section,
    Sentence,
    Target,
    TargetResult,
    TextUnit,
)

__all__ = [
    "SCHEMA_VERSION",
    "Analysis",
    "BlockFlag",
    "Counts",
    "Flag",
    "ReadabilityError",
    "Score",
    "Section",
    "Sentence",
    "Target",
    "TargetResult",
    "TextUnit",
    "analyze",
]

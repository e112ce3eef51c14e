"""Check translators' PO files: placeholders, markup, safety, numbers, terms, length, sentences, negation.

Every translated, non-fuzzy entry is compared with its msgid by an ordered list of named checks (a
:class:`Checker` owns the list). Each check inspects one source/translation pair and yields every
:class:`Problem` it sees; the checker turns them into :class:`EntryFinding` objects that name the PO file, the
line and the entry. The package follows the seams of that work:

- :mod:`~pipeline.catalogs.qa.inline`: one side of a message analysed once (:func:`analyse`);
- :mod:`~pipeline.catalogs.qa.numbers`: how a locale writes numbers, and number words (:class:`LocaleRules`);
- :mod:`~pipeline.catalogs.qa.terms`: the do-not-translate list (:class:`ProtectedTerms`);
- :mod:`~pipeline.catalogs.qa.checks`: the entry checks (:func:`default_checks`);
- :mod:`~pipeline.catalogs.qa.runner`: running them over catalogs (:func:`check_catalog`).

Per-language tables (number words, negation, sentence allowances, length bands) come from
:mod:`pipeline.languages`; a language without one is reported "not checked" by name.
"""

from pipeline.catalogs.qa.checks import (
    CheckFunction,
    EntryCheck,
    NegationMarkers,
    Pair,
    Problem,
    check_identical,
    check_length,
    check_markup,
    check_negation,
    check_numbers,
    check_placeholders,
    check_sentences,
    check_terms,
    check_unsafe_markup,
    check_whitespace,
    default_checks,
    sentence_count,
)
from pipeline.catalogs.qa.inline import InlineText, analyse
from pipeline.catalogs.qa.numbers import SOURCE_LANGUAGE, LocaleRules, SourceNumber, number_words_in, source_numbers
from pipeline.catalogs.qa.runner import (
    Checker,
    EntryFinding,
    check_catalog,
    check_completeness,
    check_consistency,
    check_plural_forms,
    shorten,
    single_number_forms,
)
from pipeline.catalogs.qa.terms import ProtectedTerms, load_terms
from pipeline.languages.defaults import DEFAULT_SENTENCE_ALLOWANCE

__all__ = [
    "DEFAULT_SENTENCE_ALLOWANCE",
    "SOURCE_LANGUAGE",
    "CheckFunction",
    "Checker",
    "EntryCheck",
    "EntryFinding",
    "InlineText",
    "LocaleRules",
    "NegationMarkers",
    "Pair",
    "Problem",
    "ProtectedTerms",
    "SourceNumber",
    "analyse",
    "check_catalog",
    "check_completeness",
    "check_consistency",
    "check_identical",
    "check_length",
    "check_markup",
    "check_negation",
    "check_numbers",
    "check_placeholders",
    "check_plural_forms",
    "check_sentences",
    "check_terms",
    "check_unsafe_markup",
    "check_whitespace",
    "default_checks",
    "load_terms",
    "number_words_in",
    "sentence_count",
    "shorten",
    "single_number_forms",
    "source_numbers",
]

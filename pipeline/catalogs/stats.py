"""Catalog statistics: how far each translation has come, in entries and in source words."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

import polib

_MARKUP = re.compile(r"\[([^\]]*)\]\[\d+\]|\{\d+\}|[*_`\\]")


def source_words(entry: polib.POEntry) -> int:
    """Words of the msgid a translator has to translate (placeholders and markup not counted)."""
    return len(_MARKUP.sub(lambda m: f" {m.group(1) or ''} ", entry.msgid).split())


@dataclass(slots=True)
class CatalogStats:
    """Progress of one catalog (one locale, one domain)."""

    locale: str
    """Locale code of the catalog."""
    domain: str
    """gettext domain (the document)."""
    translated: int = 0
    """Entries with a confirmed translation."""
    fuzzy: int = 0
    """Entries whose translation needs review after a source change."""
    untranslated: int = 0
    """Entries without a translation."""
    obsolete: int = 0
    """Entries no longer in the source, kept so no work is lost."""
    translated_words: int = 0
    """Source words of the translated entries."""
    fuzzy_words: int = 0
    """Source words of the fuzzy entries."""
    untranslated_words: int = 0
    """Source words of the untranslated entries."""

    @property
    def total(self) -> int:
        """Active entries."""
        return self.translated + self.fuzzy + self.untranslated

    @property
    def percent(self) -> float:
        """Share of active entries confirmed, in percent."""
        return 100.0 * self.translated / self.total if self.total else 100.0

    @property
    def complete(self) -> bool:
        """Every active entry translated and none fuzzy."""
        return self.translated == self.total

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form, with the derived figures."""
        return {**asdict(self), "total": self.total, "percent": round(self.percent, 1)}


def catalog_stats(catalog: polib.POFile, locale: str, domain: str) -> CatalogStats:
    """Count the entries and source words of ``catalog`` by state."""
    stats = CatalogStats(locale, domain)
    for entry in catalog:
        if entry.obsolete:
            stats.obsolete += 1
            continue
        words = source_words(entry)
        if entry.fuzzy:
            stats.fuzzy += 1
            stats.fuzzy_words += words
        elif entry.translated():
            stats.translated += 1
            stats.translated_words += words
        else:
            stats.untranslated += 1
            stats.untranslated_words += words
    return stats

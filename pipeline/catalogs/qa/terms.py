"""Do-not-translate terms: names, genes and drugs that must reach the patient unchanged."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from pipeline.catalogs.qa.inline import HIDDEN
from pipeline.errors import ConfigError

_WORD_CHAR: Final = r"[0-9A-Za-z\u00c0-\u024f]"


@dataclass(slots=True, frozen=True)
class ProtectedTerms:
    """Do-not-translate terms: names, genes and drugs that must reach the patient unchanged."""

    terms: tuple[str, ...]
    """The terms, case-sensitive, in the order of the list they came from."""
    pattern: re.Pattern[str] | None
    """Matches any term as a whole word, the longest first so ``CAR-T`` is not ``CAR``."""

    @classmethod
    def from_terms(cls, terms: Sequence[str]) -> ProtectedTerms:
        """Compile a term list; an English plural "s" after a term still counts as the term."""
        unique = tuple(dict.fromkeys(term.strip() for term in terms if term.strip()))
        if not unique:
            return cls(unique, None)
        longest_first = sorted(unique, key=len, reverse=True)
        alternatives = "|".join(r"\s+".join(map(re.escape, term.split())) for term in longest_first)
        pattern = re.compile(rf"(?<!{_WORD_CHAR})(?:{alternatives})(?=s?(?!{_WORD_CHAR}))")
        return cls(unique, pattern)

    def counted_in(self, prose: str) -> Counter[str]:
        """How many times each term occurs in a text, with inner spaces normalised."""
        if self.pattern is None:
            return Counter()
        return Counter(" ".join(match[0].split()) for match in self.pattern.finditer(prose))

    def hide(self, prose: str) -> str:
        """The text with every term removed, to see what is left to translate."""
        return prose if self.pattern is None else self.pattern.sub(HIDDEN, prose)


def load_terms(path: Path) -> list[str]:
    """Read a do-not-translate list: one term per line, ``#`` comments and blank lines ignored."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the do-not-translate list: {exc}", path) from exc
    terms = (line.strip() for line in lines)
    return list(dict.fromkeys(term for term in terms if term and not term.startswith("#")))

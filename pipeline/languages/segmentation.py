"""Sentence splitting, for readability and the sentence check: our own rules, per language, no model to download.

The per-language facts (abbreviations, openers, ordinal dots) are fields of each language's
:class:`~pipeline.languages.model.Language`; :func:`split_rules` turns them into :class:`SplitRules`.

Each text unit (heading, paragraph, list item, table cell) is split on its own, so a heading or a
list item is always at least one sentence, even without final punctuation, and a sentence never
runs from one block into the next.

Where a sentence ends:

* ``.``, ``!``, ``?``, ``…`` (and ``...``), ``‽``, the Arabic question mark ``؟``, the Urdu full
  stop (U+06D4) and the Devanagari danda ``।`` end a sentence when followed by white space and a word
  that does not start with a lower-case letter (``mRNA`` and other mixed-case words do count as a
  start). Closing quotes and brackets right after the mark stay with the sentence that ends
  (``"Stop." Then`` splits after the quote), as do French closing guillemets after a space.
* The Chinese and Japanese full stops ``。`` and ``｡``, and the full-width exclamation mark,
  question mark and full stop (U+FF01, U+FF1F, U+FF0E) end a sentence with no space needed.
  The full-width semicolon (U+FF1B) does *not*: like the Latin ``;`` it joins two clauses of one
  sentence, and counts as a clause separator; so do the full-width comma and colon (U+FF0C, U+FF1A).
  The enumeration comma ``、`` separates list items, not clauses, and is not counted.
* Arabic ends sentences with ``.``, ``!`` and ``؟``. The Arabic comma ``،`` is a comma: Arabic
  prose often strings many clauses together with ``،`` and ``و`` ("and"), but a reader still meets
  one sentence, so ``،`` (and the Arabic semicolon ``؛``) only count as clause separators; the
  resulting long sentences are what the long-sentence flag is for.
* Vietnamese uses Latin punctuation; its letters carry tone marks, and the pattern treats them as
  letters of any case, so no special rule is needed.
* Greek uses ``;`` as its question mark, and it ends a sentence there.

Where a sentence does not end, although a full stop is present:

* inside a number (``84.6``, ``18.2``) or a name (``example.org``): no white space follows;
* after an abbreviation of the language's list that introduces what follows (``Dr.``, ``Mr.``,
  ``e.g.``, ``i.e.``, ``vs.``, ``Sra.``, ``p. ej.``, ``z. B.``);
* after an abbreviation that precedes a number (``Fig. 3``, ``No. 5``, ``pág. 12``), when a number
  follows;
* after an initial (``J. Smith``) or a dotted initialism (``U.S. Food``), unless the next word is a
  common sentence opener of the language (``The``, ``This``, ``El``, ``Der`` ...);
* after a German ordinal (``am 3. Mai``), on the same condition;
* after a list number or letter at the start of the text (``1.``, ``a)``, ``IV.``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from pipeline.languages.model import Language

TERMINATORS = ".!?\u2026\u203d\u061f\u06d4\u0964\u0965\u3002\uff01\uff1f\uff61\uff0e"
"""Marks that can end a sentence (Latin, Arabic, Urdu, Devanagari, CJK full-width)."""

CJK_TERMINATORS = frozenset("\u3002\uff01\uff1f\uff61\uff0e")
"""Marks that end a sentence with no following space: ``。`` ``｡`` and full-width ! ? . (U+FF01, U+FF1F, U+FF0E)."""

CLOSERS = "\"'\u201d\u2019\u201c\u2018)\\]}\uff09\u300d\u300f\u3011\u300b\u3009\u3015"
"""Closing quotes and brackets that stay with the sentence they follow (German ``“`` closes too)."""

OPENERS = "\"'\u201c\u2018\u201e\u00ab\u2039([{\u00bf\u00a1\u2014\u2013-"
"""Opening quotes, brackets and marks skipped to find the first word of the next sentence."""

CLAUSE_SEPARATORS = ",;:\u060c\u061b\uff0c\uff1b\uff1a"
"""Separators counted for the clause estimate: , ; : and the Arabic and full-width forms (not 、)."""

_LETTER = re.compile(r"[^\W\d_]")
_NUMBERING = re.compile(r"\(?(?:\d+|[ivxlcdm]{1,5}|[a-z])\)?", re.IGNORECASE)
_INITIAL = re.compile(r"(?:[^\W\d_]\.)*[^\W\d_]")
_NEXT_WORD = re.compile(rf"\s*[{re.escape(OPENERS)}]*\s*(\S+)")


@dataclass(slots=True, frozen=True)
class SplitRules:
    """The sentence-splitting conventions of one language."""

    introducing: frozenset[str] = frozenset()
    """Abbreviations (lower case, with their dots) that never end a sentence: ``dr.``, ``e.g.``, ``p. ej.``."""
    numeric: frozenset[str] = frozenset()
    """Abbreviations that do not end a sentence when a number follows: ``fig.``, ``no.``, ``pág.``."""
    openers: frozenset[str] = frozenset()
    """Common sentence-opening words: after an initial, an initialism or an ordinal they start a new sentence."""
    ordinal_dot: bool = False
    """True where a full stop after a number marks an ordinal (German ``3. Mai``)."""
    question_semicolon: bool = False
    """True where ``;`` is the question mark (Greek)."""
    _multiword: tuple[str, ...] = field(default=(), init=False)
    _pattern: re.Pattern[str] = field(default=re.compile(""), init=False)

    def __post_init__(self) -> None:
        multiword = tuple(sorted((a for a in self.introducing | self.numeric if " " in a), key=len, reverse=True))
        terminators = TERMINATORS + (";\u037e" if self.question_semicolon else "")
        pattern = re.compile(
            rf"(?P<mark>(?:\.\.\.|[{re.escape(terminators)}])+)"
            rf"(?:[{re.escape(CLOSERS)}]|[ \u00a0\u202f]?[\u00bb\u203a])*"
        )
        object.__setattr__(self, "_multiword", multiword)
        object.__setattr__(self, "_pattern", pattern)

    def split(self, text: str) -> list[str]:
        """The sentences of one text unit, whitespace collapsed; a unit without final punctuation is one sentence."""
        text = " ".join(text.split())
        sentences: list[str] = []
        start = 0
        for match in self._pattern.finditer(text):
            end = match.end()
            if any(char in CJK_TERMINATORS for char in match.group("mark")):
                # In Chinese U+201C and U+2018 open the next quotation; only German uses U+201C to close one.
                end -= len(match.group(0)) - len(match.group(0).rstrip("\u201c\u2018"))
            if self._ends_sentence(text, start, match, end):
                piece = text[start:end].strip()
                if piece:
                    sentences.append(piece)
                start = end
        tail = text[start:].strip()
        if tail:
            if sentences and not _LETTER.search(tail) and not any(char.isdigit() for char in tail):
                sentences[-1] = f"{sentences[-1]} {tail}"
            else:
                sentences.append(tail)
        return sentences

    def _ends_sentence(self, text: str, start: int, match: re.Match[str], end: int) -> bool:
        # ``text`` is whitespace-collapsed and stripped; positions are compared, not sliced, so long units stay linear.
        if end >= len(text):
            return True
        if text[start] == " ":
            start += 1
        if not _LETTER.search(text, start, match.start()) or _NUMBERING.fullmatch(text, start, match.start()):
            return False  # "1." "a)" "IV." before a heading or item text, or stray marks
        mark = match.group("mark")
        if any(char in CJK_TERMINATORS for char in mark):
            return True
        if text[end] != " ":
            return False
        found = _NEXT_WORD.match(text, end)
        if found is None:
            return True
        following = found.group(1)
        first = following[0]
        if first.isalpha() and first.islower() and not any(char.isupper() for char in following[1:]):
            return False
        if mark != ".":
            return True
        return self._after_full_stop(text, start, match.start(), following)

    def _after_full_stop(self, text: str, start: int, dot: int, following: str) -> bool:
        previous = text[max(start, text.rfind(" ", start, dot) + 1) : dot].lstrip(OPENERS)
        key = f"{previous.lower()}."
        token_start = dot - len(previous)
        for abbreviation in self._multiword:
            size = len(abbreviation)
            head = text[max(0, dot + 1 - size - 1) : dot + 1].lower()  # the abbreviation and the character before it
            if head.endswith(abbreviation) and (len(head) == size or not head[0].isalnum()):
                key = abbreviation
                break
            ahead = text[token_start : token_start + size].lower()
            if ahead == abbreviation and token_start + size > dot + 1:
                return False  # the first dot of "p. ej." or "z. B."
        opener = following.strip(CLOSERS + ".,;:!?").capitalize() in self.openers
        if key in self.introducing:
            return False
        if key in self.numeric:
            return not following[0].isdigit()
        if _INITIAL.fullmatch(previous) and len(previous.replace(".", "")) <= 3 and previous[0].isupper():
            return opener
        if self.ordinal_dot and previous.isdigit():
            return opener
        return True


def clause_count(sentence: str) -> int:
    """Clauses of a sentence, estimated as one plus its clause separators (``,`` ``;`` ``:`` ``،`` and full-width)."""
    return 1 + sum(1 for char in sentence if char in CLAUSE_SEPARATORS)


def split_rules(language: Language) -> SplitRules:
    """The splitting conventions of a language, from its facts."""
    return _split_rules(
        language.abbreviations, language.numeric_abbreviations, language.sentence_openers, language.ordinal_dot,
        language.question_semicolon,
    )  # fmt: skip


@cache
def _split_rules(
    introducing: tuple[str, ...], numeric: tuple[str, ...], openers: tuple[str, ...], ordinal: bool, question: bool
) -> SplitRules:
    return SplitRules(frozenset(introducing), frozenset(numeric), frozenset(openers), ordinal, question)

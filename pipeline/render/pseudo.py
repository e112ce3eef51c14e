"""Pseudo-locales for testing layouts: ``en-XA`` (accented, about 35 % longer, in brackets) and ``ar-XB``
(the English text forced right to left). Both are made from the English sources and the layouts' words, so
a layout that truncates, overflows or mirrors wrongly shows up before any real translation exists."""

from __future__ import annotations

import math
import re

import polib

from pipeline.document import Document

ACCENTS = str.maketrans(
    "acdegiklnorstuyzACDEGIKLNORSTUYZ",
    "àçďéğîķļñöŕšţûýžÀÇĎÉĞÎĶĻÑÖŔŠŢÛÝŽ",
)
"""Letters replaced by accented ones Atkinson Hyperlegible has (Latin-1 and Latin Extended-A)."""
EXPANSION = 0.35
"""How much longer pseudo-translated text is: translations run 30 to 40 % longer than English prose."""
_FILLER = "one two three four five six seven eight nine ten".translate(ACCENTS).split()
_PROTECTED = re.compile(
    r"\{[^{}]*\}"  # placeholders {1}, {minutes}, {page}
    r"|\]\[\d+\]"  # the [N] of a link
    r"|`[^`]*`"  # code
    r"|\\."  # escapes
    r"|&[#\w]+;"  # entities
    r"|%\(\w+\)[sd]"  # printf names
    r"|https?://\S+"
)
RLO, PDF, RLM = "\u202e", "\u202c", "\u200f"
_WORD = re.compile(r"(?P<open>[*_]*)(?P<word>[^\s*_](?:\S*?[^\s*_])?)(?P<close>[*_]*)(?=\s|$)")
"""A word with the emphasis markers around it apart, so the override goes inside them."""


def pseudo_mode(code: str) -> str:
    """How the text of pseudo-locale ``code`` is made (``accented``, ``mirrored``), as its language file says
    (``pipeline/languages/en_XA.py``)."""
    from pipeline.languages import languages

    known = languages().find(code)
    if known is None or known.pseudo is None:
        raise ValueError(f"{code} is not a pseudo-locale")
    return known.pseudo


def _accent(text: str) -> str:
    parts = []
    last = 0
    for match in _PROTECTED.finditer(text):
        parts.append(text[last : match.start()].translate(ACCENTS))
        parts.append(match.group(0))
        last = match.end()
    parts.append(text[last:].translate(ACCENTS))
    return "".join(parts)


def _padding(length: int) -> str:
    wanted = math.ceil(length * EXPANSION)
    words: list[str] = []
    while sum(len(w) + 1 for w in words) < wanted:
        words.append(_FILLER[len(words) % len(_FILLER)])
    return " ".join(words)


def pseudo_text(text: str, mode: str) -> str:
    """``text`` pseudo-translated: ``accented`` ([Ţĥîš îš ţéxţ öñé ţŵö]) or ``mirrored`` (forced right to left)."""
    if not text.strip():
        return text
    if mode == "mirrored":
        # Each word gets its own override: an override embedding ends with the line in WeasyPrint (Pango lays each
        # line out apart), so one around the whole text mirrored only the first line of a wrapped paragraph.
        # Words ordered right to left, each written right to left: every line reads mirrored.
        # Emphasis markers stay outside the override: one inside it would leave the Markdown parser an opening
        # "**" it cannot match, and the first word of a bold span would print unmirrored.
        return RLM + _WORD.sub(lambda word: f"{word['open']}{RLO}{word['word']}{PDF}{word['close']}", text) + RLM
    padding = _padding(len(_PROTECTED.sub("", text)))
    return f"[{_accent(text)} {padding}]" if padding else f"[{_accent(text)}]"


def pseudo_catalog(entries: list[tuple[str | None, str, str | None]], mode: str) -> polib.POFile:
    """A catalog translating each (msgctxt, msgid, msgid_plural) into the pseudo-locale ``mode``."""
    catalog = polib.POFile()
    catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Plural-Forms": "nplurals=2; plural=(n != 1);"}
    seen: set[tuple[str | None, str]] = set()
    for context, msgid, plural in entries:
        if (context, msgid) in seen:
            continue
        seen.add((context, msgid))
        entry = polib.POEntry(msgid=msgid, msgctxt=context, msgstr="" if plural else pseudo_text(msgid, mode))
        if plural:
            entry.msgid_plural = plural
            entry.msgstr_plural = {0: pseudo_text(msgid, mode), 1: pseudo_text(plural, mode)}
        catalog.append(entry)
    return catalog


def pseudo_document_catalog(document: Document, mode: str) -> polib.POFile:
    """Pseudo-translations of every block of ``document``."""
    return pseudo_catalog([(b.context, b.text, b.plural) for b in document.blocks if not b.skip], mode)


def pseudo_layout_catalog(template: polib.POFile, mode: str) -> polib.POFile:
    """Pseudo-translations of the layouts' words (a template from :func:`extract_layout_messages`)."""
    return pseudo_catalog([(e.msgctxt, e.msgid, e.msgid_plural or None) for e in template], mode)

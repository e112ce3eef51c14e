"""The layouts' own words ("Page", "Contents", "Your clinic" ...): the ``layouts`` gettext domain.

They are marked in the Jinja2 templates with ``_()`` / ``{% trans %}``, extracted with Jinja2's Babel extractor, and
translated in ``locales/<lang>/LC_MESSAGES/layouts.po``; only confirmed, non-fuzzy entries are used, English
otherwise.
"""

from __future__ import annotations

import contextlib
import gettext
import re
from collections.abc import Callable
from pathlib import Path

import polib

from pipeline.catalogs.layouts import COMMENT_TAG, DOMAIN, TEMPLATE_GLOB, extract_layout_messages
from pipeline.catalogs.pofile import read_catalog

__all__ = [
    "COMMENT_TAG", "DOMAIN", "TEMPLATE_GLOB", "LayoutTranslations", "extract_layout_messages",
    "load_layout_translations",
]  # fmt: skip


class LayoutTranslations(gettext.NullTranslations):
    """Confirmed translations of the layouts' words; English for the rest."""

    def __init__(self, catalog: polib.POFile | None = None, path: Path | None = None) -> None:
        super().__init__()
        self.path = path
        self.messages: dict[tuple[str | None, str], polib.POEntry] = {}
        self.plural: Callable[[int], int] = lambda n: int(n != 1)
        self.missing: set[str] = set()
        """English words that had to be used because no confirmed translation exists."""
        if catalog is None:
            return
        for entry in catalog:
            if not entry.obsolete and not entry.fuzzy and entry.translated():
                self.messages[(entry.msgctxt or None, entry.msgid)] = entry
        match = re.search(r"plural=([^;]+)", catalog.metadata.get("Plural-Forms", ""))
        if match:
            with contextlib.suppress(ValueError, SyntaxError):
                self.plural = gettext.c2py(match.group(1).strip())

    def lines(self) -> dict[str, int | None]:
        """Catalog line of each translated msgstr, to point at a bad character."""
        return {str(entry.msgstr): entry.linenum for entry in self.messages.values()}

    def gettext(self, message: str) -> str:
        entry = self.messages.get((None, message))
        if entry is None:
            self.missing.add(message)
            return message
        return str(entry.msgstr)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        entry = self.messages.get((None, singular))
        if entry is None:
            self.missing.add(singular)
            return singular if n == 1 else plural
        return str(entry.msgstr_plural.get(self.plural(n), plural))

    def pgettext(self, context: str, message: str) -> str:
        entry = self.messages.get((context, message))
        if entry is None:
            self.missing.add(message)
            return message
        return str(entry.msgstr)

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        entry = self.messages.get((context, singular))
        if entry is None:
            self.missing.add(singular)
            return singular if n == 1 else plural
        return str(entry.msgstr_plural.get(self.plural(n), plural))


def load_layout_translations(catalog_path: Path | None) -> LayoutTranslations:
    """Translations of the layouts' words from ``locales/<lang>/LC_MESSAGES/layouts.po``, if there is one."""
    if catalog_path is None or not catalog_path.is_file():
        return LayoutTranslations(path=catalog_path)
    return LayoutTranslations(read_catalog(catalog_path), catalog_path)

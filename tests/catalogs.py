"""Test helper: complete, confirmed catalogs (nothing fuzzy) for every document of a project.

A locale with a fixture under ``tests/fixtures/translations/<locale>.toml`` (``es``, ``vi``) gets the real
translations written there for the sample project ``tests/roots/print``: the meaning checks of ``plainleaf
check`` hold back a catalog whose msgstr is the English msgid, so a Spanish or Vietnamese product built from
identity translations would never be printed. Every other locale (``ar`` ...) translates each block as itself,
which is enough where a test needs a catalog that is complete, not one that passes ``check``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path

import polib

from pipeline.config import load_config
from pipeline.document import load_document

TRANSLATIONS = Path(__file__).parent / "fixtures" / "translations"
"""``<locale>.toml``: ``plural-forms`` and ``[messages]`` msgid → msgstr (a list of every form for a plural)."""
IDENTITY_PLURAL_FORMS = "nplurals=2; plural=(n != 1);"
"""Plural-Forms of an identity catalog: the English forms, singular and plural msgid."""

Translation = str | Sequence[str]


@cache
def fixture_translations(locale: str) -> tuple[str, dict[str, Translation]] | None:
    """``(Plural-Forms, {msgid: msgstr or plural forms})`` of the locale's fixture, or None if it has none."""
    path = TRANSLATIONS / f"{locale}.toml"
    if not path.is_file():
        return None
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return data["plural-forms"], data["messages"]


def complete_catalogs(root: Path, locale: str, extra: Mapping[str, Translation] | None = None) -> None:
    """Confirmed catalogs translating every block of every document of the project at ``root``.

    With a fixture for ``locale`` each block takes its translation from the fixture or from ``extra`` (the
    translations of text a test added to the sample documents); a block in neither is an error, so that a
    change to the sample project is seen at once rather than shipped as English. Without a fixture every
    block is translated as itself.
    """
    fixture = fixture_translations(locale)
    plural_forms = fixture[0] if fixture else IDENTITY_PLURAL_FORMS
    translations: dict[str, Translation] = {**(fixture[1] if fixture else {}), **(extra or {})}
    config = load_config(root / "pyproject.toml")
    for path in config.documents():
        catalog = polib.POFile()
        catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Plural-Forms": plural_forms}
        seen = set()
        for block in load_document(path).blocks:
            if block.text in seen:
                continue
            seen.add(block.text)
            if fixture is None:
                translation: Translation = [block.text, block.plural] if block.plural else block.text
            elif block.text in translations:
                translation = translations[block.text]
            else:
                raise KeyError(f"{TRANSLATIONS / locale}.toml has no translation of {block.text!r} ({path.name})")
            entry = polib.POEntry(msgid=block.text)
            if block.plural:
                assert not isinstance(translation, str), f"{block.text!r} is a plural: give every form"
                entry.msgid_plural, entry.msgstr = block.plural, ""
                entry.msgstr_plural = dict(enumerate(translation))
            else:
                assert isinstance(translation, str), f"{block.text!r} is not a plural: give one msgstr"
                entry.msgstr = translation
            catalog.append(entry)
        target = config.catalog_path(locale, path.stem)
        target.parent.mkdir(parents=True, exist_ok=True)
        catalog.save(str(target))

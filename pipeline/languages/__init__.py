"""Languages: one file per language holding everything the pipeline knows about it, and the registry that finds them.

Every stage asks this package instead of keeping its own per-language table::

    from pipeline.languages import language
    language("zh_Hans").braille_table          # by locale tag, as in locales/<tag>/
    languages().for_subtag("zh").negation      # by language subtag, as the checks read a catalog's locale

A language without a file still has a :class:`Language` (name and script from CLDR, every table None), so a check
can say "not checked" by name. To add a language, write ``pipeline/languages/<tag>.py`` defining ``LANGUAGE``
(copy the nearest one) and run ``plainleaf init <tag>``; ARCHITECTURE.md has the checklist. This package sits
at the bottom of the stages: it imports nothing from them.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import re
from functools import cache, cached_property
from pathlib import Path
from types import ModuleType

from pipeline.errors import ConfigError
from pipeline.languages.model import Language, LengthBand, Negation, NumberWords, ReadabilityFacts, Target

__all__ = [
    "SOURCE_LANGUAGE",
    "Language",
    "Languages",
    "LengthBand",
    "Negation",
    "NumberWords",
    "ReadabilityFacts",
    "Target",
    "language",
    "languages",
]

SOURCE_LANGUAGE = "en"
"""Language of the msgids: the checks that read words (number words, negation, sentences) read English."""

_LANGUAGE_FILE = re.compile(r"[a-z]{2,3}(?:_[A-Za-z0-9]+)*")
"""Stem of a language file: a locale tag (``es``, ``zh_Hans``, ``en_XA``); shared modules have longer names."""


class Languages:
    """The languages defined by the files of some folders; the first folder's file wins for a tag."""

    def __init__(self, folders: list[Path]) -> None:
        self.folders = folders
        """Where language files are looked for, in order: the package's folder first."""
        self.generation = 0
        """Counts the changes of :attr:`folders`: what is kept from the tables (the checker's results) is kept
        under it, and not believed once a folder was added or removed."""

    @cached_property
    def _by_tag(self) -> dict[str, Language]:
        found: dict[str, Language] = {}
        for folder in self.folders:
            for path in sorted(folder.glob("*.py")):
                if _LANGUAGE_FILE.fullmatch(path.stem) and path.stem not in found:
                    found[path.stem] = _load(path)
        return found

    @cached_property
    def _by_subtag(self) -> dict[str, Language]:
        found: dict[str, Language] = {}
        # A file named by the subtag alone (``es``) wins over a regional or script one (``zh_Hans`` stands for
        # ``zh`` while it is the only Chinese); pseudo-locales stand for no language.
        for language in sorted(self._by_tag.values(), key=lambda item: (item.tag != item.subtag, item.tag)):
            if language.pseudo is None:
                found.setdefault(language.subtag, language)
        return found

    def add_folder(self, folder: Path) -> None:
        """Look for language files in ``folder`` too (after the folders already known)."""
        self.folders.append(folder)
        self._forget()

    def remove_folder(self, folder: Path) -> None:
        """Stop looking in ``folder``."""
        self.folders.remove(folder)
        self._forget()

    def _forget(self) -> None:
        self.generation += 1
        for name in ("_by_tag", "_by_subtag"):
            self.__dict__.pop(name, None)

    def tags(self) -> list[str]:
        """Every tag that has a file, sorted."""
        return sorted(self._by_tag)

    def find(self, tag: str) -> Language | None:
        """The language of exactly this tag's file (``zh_Hans``), or None: no fallback to another script."""
        return self._by_tag.get(tag.replace("-", "_"))

    def for_subtag(self, subtag: str) -> Language | None:
        """The language file that stands for a language subtag (``zh`` -> ``zh_Hans``), or None."""
        return self._by_subtag.get(subtag)

    def for_readability(self, subtag: str) -> Language | None:
        """The language whose readability profile measures ``subtag`` (its own, or one that lists it as an alias)."""
        own = self.for_subtag(subtag)
        if own is not None:
            return own
        return next((item for item in self._by_subtag.values() if subtag in item.readability_aliases), None)

    def get(self, tag: str) -> Language:
        """The language of a tag: its file, the file of its subtag, else one known from CLDR only (no tables)."""
        return self.find(tag) or self.for_subtag(_subtag(tag)) or _from_cldr(tag.replace("-", "_"))


def _subtag(tag: str) -> str:
    return tag.replace("-", "_").split("_")[0]


def _load(path: Path) -> Language:
    """The ``LANGUAGE`` of one language file, with the file it came from."""
    package = Path(__file__).parent
    module: ModuleType
    if path.parent == package:
        module = importlib.import_module(f"{__name__}.{path.stem}")
    else:
        spec = importlib.util.spec_from_file_location(f"{__name__}._added.{path.stem}", path)
        if spec is None or spec.loader is None:
            raise ConfigError("cannot load this language file", path)
        module = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(module)
        except Exception as exc:  # any error in a user's file is reported with its name, not as a traceback
            raise ConfigError(f"cannot load this language file: {exc}", path) from exc
    found = getattr(module, "LANGUAGE", None)
    if not isinstance(found, Language):
        raise ConfigError("a language file must define LANGUAGE = Language(...)", path)
    if found.tag != path.stem:
        raise ConfigError(f"LANGUAGE.tag is {found.tag!r} but the file is named {path.name}", path)
    return dataclasses.replace(found, defined_in=path)


@cache
def _from_cldr(tag: str) -> Language:
    """A language with no file: its English name and likely script from CLDR, and no tables."""
    from babel import Locale, UnknownLocaleError
    from babel.core import get_global

    try:
        locale = Locale.parse(tag)
    except (UnknownLocaleError, ValueError):
        return Language(tag, tag, "Zyyy")  # Zyyy: "undetermined script" in ISO 15924
    likely = str(get_global("likely_subtags").get(locale.language, ""))
    script = locale.script or next((part for part in likely.split("_") if len(part) == 4), "Zyyy")
    return Language(tag, locale.english_name or tag, script)


@cache
def languages() -> Languages:
    """The registry of the package's own language files (``pipeline/languages/<tag>.py``)."""
    return Languages([Path(__file__).parent])


def language(tag: str) -> Language:
    """Shorthand for ``languages().get(tag)``: what the pipeline knows about ``tag``."""
    return languages().get(tag)


def pseudo_tags() -> tuple[str, ...]:
    """The pseudo-locales (``en_XA`` accented, ``ar_XB`` right to left) that ``--pseudo`` adds, from the language
    files that say ``pseudo=``."""
    found = (languages().find(tag) for tag in languages().tags())
    return tuple(sorted(item.tag for item in found if item is not None and item.pseudo is not None))

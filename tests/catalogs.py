"""Test helper: catalogs that translate every block of a project as itself (complete, nothing fuzzy)."""

from __future__ import annotations

from pathlib import Path

import polib

from pipeline.config import load_config
from pipeline.document import load_document


def complete_catalogs(root: Path, locale: str) -> None:
    """Confirmed catalogs translating every block of every document of the project at ``root`` as itself."""
    config = load_config(root / "pyproject.toml")
    for path in config.documents():
        catalog = polib.POFile()
        catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Plural-Forms": "nplurals=2; plural=(n != 1);"}
        seen = set()
        for block in load_document(path).blocks:
            if block.text in seen:
                continue
            seen.add(block.text)
            entry = polib.POEntry(msgid=block.text, msgstr=block.text)
            if block.plural:
                entry.msgid_plural, entry.msgstr = block.plural, ""
                entry.msgstr_plural = {0: block.text, 1: block.plural}
            catalog.append(entry)
        target = config.catalog_path(locale, path.stem)
        target.parent.mkdir(parents=True, exist_ok=True)
        catalog.save(str(target))

"""The Spanish and Vietnamese catalogs that ``complete_catalogs`` writes for the sample project pass ``check``.

Tests that build Spanish or Vietnamese products take their catalogs from ``tests/catalogs.py``; a catalog with a
check error is held back from print, so a change to the checks that rejects these translations would show up
as products mysteriously not built. Here it shows up by name.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from catalogs import TRANSLATIONS, complete_catalogs, fixture_translations

from pipeline.catalogs.project import check_project
from pipeline.config import load_config
from pipeline.document import load_document
from pipeline.errors import Severity

PRINT_PROJECT = Path(__file__).parent / "roots" / "print"
FIXTURE_LOCALES = sorted(path.stem for path in TRANSLATIONS.glob("*.toml"))


def test_spanish_and_vietnamese_have_fixtures() -> None:
    assert {"es", "vi"} <= set(FIXTURE_LOCALES)


@pytest.mark.parametrize("locale", FIXTURE_LOCALES)
def test_fixture_catalogs_pass_check_strictly(tmp_path: Path, locale: str) -> None:
    root = tmp_path / "project"
    shutil.copytree(PRINT_PROJECT, root)
    pyproject = root / "pyproject.toml"
    text = pyproject.read_text()
    if f'code = "{locale}"' not in text:  # the sample project lists es and ar; check the fixture's locale
        pyproject.write_text(text.replace('{ code = "ar", reviewed = false }', f'{{ code = "{locale}" }}'))
    complete_catalogs(root, locale)
    result = check_project(load_config(pyproject), [locale], strict=True)
    assert not result.unreadable
    found = [str(f) for f in result.findings if f.severity in (Severity.ERROR, Severity.WARNING)]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("locale", FIXTURE_LOCALES)
def test_fixture_translates_every_msgid_and_nothing_else(locale: str) -> None:
    fixture = fixture_translations(locale)
    assert fixture is not None
    config = load_config(PRINT_PROJECT / "pyproject.toml")
    msgids = {block.text for path in config.documents() for block in load_document(path).blocks}
    assert set(fixture[1]) == msgids, "a stale or missing translation in the fixture"

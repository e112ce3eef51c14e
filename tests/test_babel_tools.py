"""Babel's own tools on the shipped project, unchanged: ``pybabel extract`` with the registered extractor gives
``plainleaf extract``'s messages, and ``pybabel update`` and ``pybabel compile`` accept the shipped catalogs (no
message of a Markdown document is read as a python-format string)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from pipeline.document import parse_document

pytest.importorskip("babel.messages.frontend")

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ("es", "zh_Hans", "vi", "ar")


def pybabel(*arguments: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", "import sys; from babel.messages.frontend import main; sys.exit(main())"]
    return subprocess.run([*command, *arguments], cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("babel")
    for name in ("source", "locales"):
        shutil.copytree(ROOT / name, folder / name)
    for name in ("babel.cfg", "pyproject.toml"):
        shutil.copy(ROOT / name, folder / name)
    return folder


def test_a_percent_babel_reads_as_a_directive_is_written_as_a_reference() -> None:
    from babel.messages.catalog import PYTHON_FORMAT

    document = parse_document("# T\n\nIt reached 84.6% in a study; 50% of people, 100%.\n", Path("t.md"))
    text = document.blocks[1].text
    assert text == "It reached 84.6&#37; in a study; 50&#37; of people, 100%."
    assert not PYTHON_FORMAT.search(text)


def test_pybabel_extract_gives_plainleafs_messages_and_no_python_format(project: Path) -> None:
    result = pybabel("extract", "-F", "babel.cfg", "-o", "messages.pot", ".", cwd=project)
    assert result.returncode == 0, result.stderr
    extracted = polib.pofile(str(project / "messages.pot"))
    ours = set()
    for domain in ("guide", "handout", "summary"):
        ours |= {(entry.msgctxt, entry.msgid) for entry in polib.pofile(str(ROOT / "locales" / f"{domain}.pot"))}
    assert {(entry.msgctxt, entry.msgid) for entry in extracted} == ours  # short-title included
    assert not [entry.msgid for entry in extracted if "python-format" in entry.flags]


@pytest.mark.parametrize("locale", LOCALES)
def test_pybabel_compile_accepts_every_shipped_catalog(project: Path, locale: str) -> None:
    for domain in ("guide", "handout", "summary"):
        result = pybabel("compile", "-d", "locales", "-D", domain, "-l", locale, "-o", f"{domain}.mo", cwd=project)
        assert result.returncode == 0, result.stderr
        assert "error" not in result.stderr


def test_pybabel_update_then_compile_and_msgfmt_check(project: Path) -> None:
    result = pybabel("extract", "-F", "babel.cfg", "-o", "guide.pot", "source/guide.md", cwd=project)
    assert result.returncode == 0, result.stderr
    result = pybabel("update", "-i", "guide.pot", "-d", "locales", "-D", "guide", "-l", "es", cwd=project)
    assert result.returncode == 0, result.stderr
    catalog = project / "locales" / "es" / "LC_MESSAGES" / "guide.po"
    assert "python-format" not in catalog.read_text(encoding="utf-8")
    result = pybabel("compile", "-d", "locales", "-D", "guide", "-l", "es", "-o", "es.mo", cwd=project)
    assert result.returncode == 0, result.stderr
    if shutil.which("msgfmt"):
        checked = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(catalog)], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr


def test_the_translation_check_reads_the_reference_as_the_character() -> None:
    from pipeline.catalogs.qa.inline import analyse

    assert analyse("It reached 84.6&#37; in a study.").prose == "It reached 84.6% in a study."

"""The kept results of ``check`` and ``readability`` (:mod:`pipeline.memory`): what a user sees from a result read
back is what a fresh run would say, an edit is checked and measured again (that locale, that product only), and a
memory that is unreadable or was written by other code is never believed."""

from __future__ import annotations

import pickle
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from commands import copy_shipped, plainleaf

from pipeline import memory
from pipeline.catalogs import qa
from pipeline.catalogs.pofile import read_catalog, write_catalog
from pipeline.catalogs.project import KeptChecks, check_project
from pipeline.config import Config, load_config
from pipeline.errors import Severity
from pipeline.readability import products as readability_products
from pipeline.readability.products import measure_products

LOCALES = ["es", "vi", "zh_Hans", "ar"]


@pytest.fixture()
def project(tmp_path: Path) -> Config:
    """A fresh copy of the shipped project, nothing checked or measured yet."""
    return load_config(copy_shipped(tmp_path / "project") / "pyproject.toml")


def _counting(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[str]:
    """Replace ``module.name`` by a wrapper recording the locale of every call (what was computed, not read back)."""
    calls: list[str] = []
    original: Callable[..., Any] = getattr(module, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls.append(next(arg for arg in args if isinstance(arg, str) and arg in [*LOCALES, "en"]))
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, wrapper)
    return calls


def _drop_a_number(config: Config, locale: str, domain: str) -> str:
    """Remove the first number from a confirmed translation of ``domain`` in ``locale``; the msgid changed."""
    path = config.catalog_path(locale, domain)
    catalog = read_catalog(path)
    entry = next(e for e in catalog if e.msgstr and not e.fuzzy and re.search(r"\d", e.msgid) and "{" not in e.msgid)
    entry.msgstr = re.sub(r"\d+(?:[.,]\d+)?", "", entry.msgstr, count=1)
    write_catalog(catalog, path)
    return entry.msgid


def test_check_read_back_says_what_a_fresh_check_says(project: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    computed = _counting(monkeypatch, qa, "check_catalog")
    first = check_project(project, LOCALES)
    assert sorted(set(computed)) == sorted(LOCALES) and len(computed) == 16  # 4 catalogs of 4 languages
    computed.clear()
    again = check_project(project, LOCALES)
    assert computed == []  # nothing checked again
    assert [str(f) for f in again.findings] == [str(f) for f in first.findings]
    assert any(f.check == "sentences" for f in again.findings)  # the translators' notes come back too


def test_an_edited_catalog_is_checked_again_and_only_that_catalog(
    project: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    check_project(project, LOCALES)
    computed = _counting(monkeypatch, qa, "check_catalog")
    _drop_a_number(project, "es", "guide")
    found = check_project(project, LOCALES)
    assert computed == ["es"]
    errors = [f for f in found.findings if f.severity is Severity.ERROR]
    assert errors and all(f.path.endswith("es/LC_MESSAGES/guide.po") for f in errors)
    # the build's print gate asks the same question next (make runs check, then build): it is answered from memory
    computed.clear()
    gate = KeptChecks(project).catalog(project.catalog_path("es", "guide"), "es")
    assert computed == [] and [str(f) for f in gate if f.severity is Severity.ERROR] == [str(f) for f in errors]


def test_a_changed_do_not_translate_list_or_strictness_checks_everything_again(
    project: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    check_project(project, LOCALES)
    computed = _counting(monkeypatch, qa, "check_catalog")
    check_project(project, LOCALES, strict=True)
    assert len(computed) == 16
    assert project.terms_file, "the shipped project has a do-not-translate list"
    terms = project.path(project.terms_file)
    terms.write_text(terms.read_text(encoding="utf-8") + "\nPlainleafium\n", encoding="utf-8")
    computed.clear()
    check_project(project, LOCALES, strict=True)
    assert len(computed) == 16


@pytest.mark.parametrize("kind", ["check", "readability"])
@pytest.mark.parametrize(
    "content",
    [
        b"not a pickle at all",
        pickle.dumps({"schema": memory.SCHEMA, "code": "other code", "slots": {}}),
        pickle.dumps({"schema": memory.SCHEMA + 1, "code": "x", "slots": {}}),
        b"",
    ],
    ids=["garbage", "other-code", "other-schema", "empty"],
)
def test_a_memory_not_written_by_this_code_is_never_believed(
    project: Config, monkeypatch: pytest.MonkeyPatch, kind: str, content: bytes
) -> None:
    """A truncated file, another version's file, or one whose results this code did not compute: computed again,
    and the answer is the fresh one."""
    fresh = check_project(project, LOCALES) if kind == "check" else measure_products(project, LOCALES)
    kept = project.path(project.output_dir) / f".plainleaf-{kind}.pickle"
    assert kept.is_file()
    if content.startswith(b"\x80") and b"other code" in content:
        # the right schema and real slots, but written by other code: a wrong finding planted in every slot
        slots = pickle.loads(kept.read_bytes())["slots"]
        content = pickle.dumps({"schema": memory.SCHEMA, "code": "other code", "slots": slots})
    kept.write_bytes(content)
    if kind == "check":
        computed = _counting(monkeypatch, qa, "check_catalog")
        again = check_project(project, LOCALES)
        assert [str(f) for f in again.findings] == [str(f) for f in fresh.findings]  # type: ignore[union-attr]
    else:
        computed = _counting(monkeypatch, readability_products, "_measure_product")
        reports = measure_products(project, LOCALES)
        assert [r.status for r in reports] == [r.status for r in fresh]  # type: ignore[union-attr]
    assert computed, "the memory was believed"


def test_readability_read_back_equals_a_fresh_measurement(project: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    computed = _counting(monkeypatch, readability_products, "_measure_product")
    first = measure_products(project, LOCALES)
    assert len(computed) == len(first) == 15
    computed.clear()
    again = measure_products(project, LOCALES)
    assert computed == []
    assert again == first  # every score, sentence, flag and section, not only the verdict


def test_readability_of_an_edited_translation_is_measured_again_and_only_that_product(
    project: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = {(r.document, r.locale): r for r in measure_products(project, LOCALES)}
    computed = _counting(monkeypatch, readability_products, "_measure_product")
    path = project.catalog_path("es", "summary")
    catalog = read_catalog(path)
    entry = max((e for e in catalog if e.msgstr and not e.fuzzy), key=lambda e: len(e.msgstr))  # a paragraph
    entry.msgstr = entry.msgstr + " " + " ".join(["extraordinariamente"] * 6) + "."
    write_catalog(catalog, path)
    after = {(r.document, r.locale): r for r in measure_products(project, LOCALES)}
    assert computed == ["es"]
    changed = [key for key in after if after[key] != before[key]]
    assert changed == [("summary", "es")]


def test_readability_targets_are_part_of_the_key(project: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tightening a target in pyproject.toml changes the verdict at once, not on the next edit of the text."""
    measure_products(project, LOCALES)
    pyproject = project.root / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    tightened, count = re.subn(r"^(summary = \{ flesch-kincaid-grade = )\d+", r"\g<1>1", text, flags=re.MULTILINE)
    assert count == 1, "the shipped summary has a Flesch-Kincaid target"
    pyproject.write_text(tightened, encoding="utf-8")
    reports = measure_products(load_config(pyproject), LOCALES)
    summary = next(r for r in reports if r.document == "summary" and r.locale == "en")
    assert summary.status == "fail"


def test_make_twice_prints_the_same_check_and_readability(tmp_path: Path) -> None:
    """What a clinic reads on the terminal is the same whether the results were computed or read back."""
    root = copy_shipped(tmp_path / "project")
    first = [plainleaf(root, step) for step in ("check", "readability")]
    assert (root / "output" / ".plainleaf-check.pickle").is_file()
    again = [plainleaf(root, step) for step in ("check", "readability")]
    for fresh, kept in zip(first, again, strict=True):
        assert (kept.returncode, kept.stdout, kept.stderr) == (fresh.returncode, fresh.stdout, fresh.stderr)

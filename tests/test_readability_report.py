"""The readability command and report: gates per product and language, JSON, and the HTML a reviewer reads."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from commands import copy_basic, plainleaf

from pipeline.readability import analyze
from pipeline.readability.report import ProductReadability, render_html, targets_from_config, text_units

run = plainleaf


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_basic(tmp_path)


def with_targets(project: Path, table: str) -> None:
    config = project / "pyproject.toml"
    config.write_text(config.read_text() + f"\n[tool.plainleaf.readability.targets]\n{table}\n")


def test_text_units_are_what_the_patient_reads() -> None:
    units = text_units("# Title\n\nSee [the *guide*](https://e.org).\n\n- One item\n\n| a |\n|---|\n| cell |\n")
    assert [(u.kind, u.text, u.section, u.line) for u in units] == [
        ("heading 1", "Title", "Title", 1),
        ("paragraph", "See the guide.", "Title", 3),
        ("list item", "One item", "Title", 5),
        ("table cell", "a", "Title", 7),
        ("table cell", "cell", "Title", 9),
    ]


def test_ease_targets_are_minimums_and_grades_maximums() -> None:
    targets = {t.formula: t for t in targets_from_config({"smog": 8, "szigriszt-pazos": 65}, "test")}
    assert (targets["smog"].maximum, targets["smog"].minimum) == (8, None)
    assert (targets["szigriszt-pazos"].maximum, targets["szigriszt-pazos"].minimum) == (None, 65)


def test_a_missed_target_fails_the_command_and_names_the_product(project: Path) -> None:
    assert run(project, "all").returncode == 0
    with_targets(project, "leaflet = { flesch-kincaid-grade = 2 }")
    result = run(project, "readability")
    assert result.returncode == 1
    assert "leaflet (en) misses its readability target" in result.stderr
    assert "MISSED" in result.stdout


def test_json_report_and_incomplete_translations_are_skipped(project: Path) -> None:
    assert run(project, "all").returncode == 0
    with_targets(project, "leaflet = { flesch-kincaid-grade = 30, smog = 30 }")
    result = run(project, "readability", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["schema"] == 1 and report["passed"] is True
    by_locale = {p["locale"]: p for p in report["products"]}
    assert by_locale["en"]["status"] == "pass"
    assert {t["formula"] for t in by_locale["en"]["analysis"]["targets"]} == {"flesch-kincaid-grade", "smog"}
    assert by_locale["es"]["status"] == "skipped"
    assert "translation incomplete" in by_locale["es"]["skipped"]
    assert (project / "output" / "reports" / "readability.html").exists()


def test_unknown_formula_in_targets_is_a_config_error(project: Path) -> None:
    with_targets(project, "leaflet = { flesch-kincade = 6 }")
    result = run(project, "readability")
    assert result.returncode == 1
    assert "unknown formula 'flesch-kincade'" in result.stderr and "Traceback" not in result.stderr


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.marks: list[str] = []
        self.in_mark = False
        self.langs: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.in_mark = self.in_mark or tag == "mark"
        self.langs |= {value or "" for name, value in attrs if name == "lang"}

    def handle_endtag(self, tag: str) -> None:
        self.in_mark = self.in_mark and tag != "mark"

    def handle_data(self, data: str) -> None:
        if self.in_mark:
            self.marks.append(data)


def test_html_marks_each_flagged_sentence_with_its_reason() -> None:
    long_sentence = (
        "Patients who participate in clinical trials may gain access to investigational treatments that are not "
        "otherwise available through routine standard care pathways in most hospitals."
    )
    units = text_units(f"# Trials\n\n{long_sentence} Ask your doctor.\n")
    english = ProductReadability("summary", "en", analyze(units, "en", targets_from_config({"smog": 8}, "t")))
    chinese = ProductReadability("summary", "zh_Hans", analyze(text_units("# 试验\n\n请问医生。\n"), "zh_Hans"))
    page = render_html([english, chinese], "2026-11-29")
    collector = _Collector()
    collector.feed(page)
    assert collector.marks == [long_sentence]
    assert "aim for 20 or fewer" in page
    assert "Ask your doctor." in page
    assert {"en", "zh-Hans"} <= collector.langs
    assert "No validated formula" in page
    assert english.status in ("pass", "fail") and chinese.status == "no grade"

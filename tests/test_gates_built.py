"""The gate on a copy of the shipped project as ``make`` built it (``conftest.shipped_all``): a translation that fails
``plainleaf check`` is held back from print, ``plainleaf all`` checks, builds and audits the rest and exits 1, and a
second ``all`` or audit with nothing changed redoes nothing.

These are the tests of ``tests/test_gates.py`` that start from the built project, in a file of their own so that
pytest-xdist's two workers can each take one half once the shared build is done (together the two halves took
400 of the suite's 2,070 worker-seconds under a load of 12: one file held one worker for over six minutes).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from commands import all_result, copy_built, plainleaf, run_fresh
from test_gates import BREAKS, GUIDE_PO, UNREVIEWED, break_entry, index_rows

pytestmark = pytest.mark.slow


@pytest.fixture()
def built(shipped_all: Path, tmp_path: Path) -> Path:
    """A copy of the shipped project as ``plainleaf all`` left it (every product built and audited): a build or
    audit in it redoes only what the test changes."""
    return copy_built(shipped_all, tmp_path / "built")


# --- the gate ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", sorted(BREAKS))
def test_failing_translation_is_held_back_not_printed_and_build_exits_1(built: Path, case: str) -> None:
    shipped = built
    assert plainleaf(shipped, "build", "--locale", "en", "--locale", "es", "-j", "2").returncode == 0
    final = shipped / "output" / "es" / "guide-large-print.pdf"
    assert final.read_bytes()[:5] == b"%PDF-"
    assert index_rows(shipped)["es guide-large-print"].startswith(UNREVIEWED)
    line = break_entry(shipped, case)
    where = f"{GUIDE_PO}:{line}: error: {BREAKS[case][2]}"

    result = plainleaf(shipped, "build", "--locale", "en", "--locale", "es", "-j", "2")
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"es guide-large-print held back: {where}" in result.stderr
    # The guide's large print and its web page, EPUB and braille (issue 14) go through the same gate.
    assert "4 products held back by translation check errors" in result.stderr
    assert f"es guide-web held back: {where}" in result.stderr
    assert not (shipped / "output" / "site" / "es" / "guide").exists(), "nor is its web page"
    assert not final.exists(), "the final printed before the catalog failed is removed"
    assert not (shipped / "output" / "es" / "guide-large-print-draft.pdf").exists()
    assert not list((shipped / "output" / "es").glob("guide*")), "nothing of the guide is left to print"
    for other in ("es/summary.pdf", "es/handout.pdf", "en/guide-large-print.pdf"):
        assert (shipped / "output" / other).read_bytes()[:5] == b"%PDF-", f"{other} is still built"
    rows = index_rows(shipped)
    assert rows["es guide-large-print"].startswith(f"Held back (check errors): {where}")
    assert "Early studies" in rows["es guide-large-print"] or "RNA vaccines" in rows["es guide-large-print"]
    assert rows["es summary"].startswith(UNREVIEWED)
    assert rows["en guide-large-print"] == "Ready to print (reviewed)"
    assert "Final" not in (shipped / "output" / "index.html").read_text(encoding="utf-8")

    again = plainleaf(shipped, "build", "--locale", "en", "--locale", "es")
    assert again.returncode == 1, "a product held back is never up to date: a no-op build still exits 1"
    assert "held back       4" in again.stdout and f"held back: {where}" in again.stderr


# --- the main job --------------------------------------------------------------------------------------------


def test_all_checks_builds_and_audits_the_rest_then_exits_1_for_a_held_back_product(built: Path) -> None:
    shipped = built
    break_entry(shipped, "48,6")
    result = plainleaf(shipped, "all")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "[numbers] number 84.6%" in result.stdout, "the check's findings are printed"
    *_, held, closing = result.stderr.strip().splitlines()
    assert held.startswith("all: 4 products held back by translation check errors, not printed (es guide")
    assert closing.startswith("all: failed: 4 products held back (check errors), 0 behind their source")
    output = shipped / "output"
    assert not (output / "es" / "guide-large-print.pdf").exists()
    for other in ("es/summary.pdf", "ar/guide-large-print.pdf", "zh_Hans/summary.pdf"):
        assert (output / other).read_bytes()[:5] == b"%PDF-", other
    assert (output / "reports" / "audit.html").is_file() and (output / "reports" / "readability.html").is_file()
    assert index_rows(shipped)["es guide-large-print"].startswith(
        "Held back (check errors): locales/es/LC_MESSAGES/guide.po:"
    )


def test_all_exits_0_when_every_translation_passes(shipped_all: Path) -> None:
    result = all_result(shipped_all)  # the run that built the shared project: it is the shipped project's `make`
    assert result["returncode"] == 0, f"{result['stdout']}{result['stderr']}"
    stderr = str(result["stderr"])
    assert "check: 0 errors" in stderr and "held back by" not in stderr
    assert stderr.strip().splitlines()[-1].startswith("all: done: 0 products held back (check errors), 0 behind")
    # Quiet: the reviewer's notes (marked merges and splits) are counted, not printed line by line.
    output = f"{result['stdout']}{stderr}"
    assert re.search(r"check: 0 errors, 0 warnings, \d+ notes", output) and ": info: " not in output, output


def test_all_again_with_nothing_changed_reuses_every_build_and_audit(built: Path) -> None:
    result = plainleaf(built, "all")
    assert result.returncode == 0, result.stdout + result.stderr
    found = re.search(r"audit: (\d+) products? \((\d+) reused", result.stdout)
    assert found and found.group(1) == found.group(2), result.stdout
    assert re.search(r"^build: .*\b0 built\b", result.stdout, re.MULTILINE) or "built           0" in result.stdout


def test_no_op_build_with_a_held_back_product_exits_1_without_importing_weasyprint(built: Path) -> None:
    shipped = built
    break_entry(shipped, "kras")
    assert plainleaf(shipped, "build", "--locale", "en", "--locale", "es", "-j", "2").returncode == 1
    status, imported, output = run_fresh(
        shipped, ["build", "--locale", "en", "--locale", "es"], ("weasyprint", "pipeline.catalogs.qa")
    )
    assert (status, imported) == (1, {"weasyprint": False, "pipeline.catalogs.qa": False}), output
    assert "es guide-large-print held back: locales/es/LC_MESSAGES/guide.po:" in output


# --- the audit is incremental ----------------------------------------------------------------------------------


def test_the_incremental_audit_gives_the_full_audits_report_and_exit_status(shipped_all: Path, built: Path) -> None:
    # `all` audited a fresh build: nothing to reuse, every product audited in full. Its report, kept as HTML and as
    # data, is the full audit's; the incremental one (everything reused) must say the same, byte for byte.
    made = all_result(shipped_all)
    assert re.search(r"audit: \d+ products \(0 reused from the last audit", str(made["stdout"])), made["stdout"]
    full_page = (built / "output" / "reports" / "audit.html").read_bytes()
    full_data = (built / "output" / "reports" / "audit.json").read_text(encoding="utf-8")
    incremental = plainleaf(built, "audit", "--json")
    counts = re.search(r"audit: (\d+) products \((\d+) reused", incremental.stderr)
    assert counts and counts.group(1) == counts.group(2), incremental.stderr  # every result kept by `all`
    assert (incremental.returncode, incremental.stdout) == (made["returncode"], full_data)
    assert full_page == (built / "output" / "reports" / "audit.html").read_bytes()

    # A product changed since is audited again, and only it: a web page without its language fails.
    spanish = built / "output" / "site" / "es" / "summary" / "index.html"
    spanish.write_text(spanish.read_text(encoding="utf-8").replace(' lang="es"', "", 1), encoding="utf-8")
    again = plainleaf(built, "audit", "--json")
    assert again.returncode == 1 and "1 audited" in again.stderr, again.stderr
    failing = [p["file"] for p in json.loads(again.stdout)["products"] if p["status"] == "fail"]
    assert failing == ["output/site/es/summary/index.html"]

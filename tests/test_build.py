"""``plainleaf build``: incremental, parallel, observable, safe when killed, shardable, and runnable on Dask.

Each test copies the small project of ``tests/roots/print`` (with the shipped layouts and complete
Spanish catalogs) and renders a few one- or two-page products.
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import os
import random
import shutil
import sys
from pathlib import Path
from typing import Any

import polib
import pytest
from catalogs import complete_catalogs
from commands import run_fresh

from pipeline.builder.core import build
from pipeline.builder.jobs import (
    PRODUCT_NAMES,
    BuildOptions,
    BuildReport,
    JobOutcome,
    Shard,
    parse_shard,
    select,
    shard_of,
)
from pipeline.builder.manifest import MANIFEST_NAME, load_manifest, sha256_file
from pipeline.commands import Context
from pipeline.commands.build import add_arguments, closing_table, colour_allowed, interactive, options, run
from pipeline.config import load_config

pytestmark = pytest.mark.slow  # builds or renders whole projects: left out of `make test-quick`

logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "render"
PRINT_PROJECT = Path(__file__).parent / "roots" / "print"
"""The sample project of the print products: guide, summary and handout; es (reviewed) and ar."""
SMALL = {"products": ["summary", "handout"], "locales": ["en", "es"]}
"""Four one- or two-page jobs: en and es, summary and handout."""


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(PRINT_PROJECT, root)
    shutil.copytree(ROOT / "layouts", root / "layouts")
    complete_catalogs(root, "es")
    return root


def make(root: Path, **options: object) -> BuildReport:
    """Build the small selection in this process."""
    settings: dict[str, object] = {**SMALL, "workers": 1, **options}
    return build(load_config(root / "pyproject.toml"), BuildOptions(**settings))  # type: ignore[arg-type]


def statuses(report: BuildReport) -> dict[str, str]:
    return {outcome.id: outcome.status for outcome in report.outcomes}


def cli(root: Path, *argv: str) -> int:
    """``plainleaf build ARGV`` in ``root``, as the command line runs it."""
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    args = parser.parse_args(list(argv))
    cwd = Path.cwd()
    os.chdir(root)
    try:
        return run(Context(root / "pyproject.toml"), options(args))
    finally:
        os.chdir(cwd)


def mtimes(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in sorted(folder.rglob("*")) if p.is_file()}


# --- incremental ----------------------------------------------------------------------------------------------


def test_second_build_does_nothing_and_rewrites_no_file(project: Path) -> None:
    first = make(project)
    assert set(statuses(first).values()) == {"built"} and len(first.outcomes) == 4
    output = project / "output"
    index = (output / "index.html").read_text(encoding="utf-8")
    assert "es/summary.pdf" in index and "Flesch-Kincaid grade level" in index, "index with reading grades"
    before = mtimes(output)
    second = make(project)
    assert set(statuses(second).values()) == {"up to date"}
    assert not second.rendered_here, "decided from the manifest alone, without planning or rendering"
    assert mtimes(output) == before, "a build with nothing to do rewrites no file (not even the manifest)"


def test_no_op_build_does_not_import_weasyprint(project: Path) -> None:
    make(project)
    argv = ["build", "--product", "summary", "--product", "handout", "--locale", "en", "--locale", "es"]
    status, imported, output = run_fresh(project, argv, ("weasyprint", "pipeline.render"))
    assert (status, imported) == (0, {"weasyprint": False, "pipeline.render": False}), output
    assert "up to date      4" in output


def test_one_changed_catalog_entry_rebuilds_only_that_locales_product(project: Path) -> None:
    make(project)
    output = project / "output"
    before = mtimes(output)
    path = project / "locales" / "es" / "LC_MESSAGES" / "summary.po"
    catalog = polib.pofile(str(path))
    entry = next(e for e in catalog if e.msgid.startswith("A clinical trial"))
    # Another faithful translation: a change that still passes check, or the product would be held back.
    entry.msgstr = "Un estudio clínico es una investigación. Comprueba si un tratamiento nuevo es seguro y si funciona."
    catalog.save(str(path))
    report = make(project)
    assert statuses(report) == {
        "en/summary/summary": "up to date", "en/handout/handout": "up to date",
        "es/summary/summary": "built", "es/handout/handout": "up to date",
    }  # fmt: skip
    assert "Un estudio clínico es una investigación." in (output / "es" / "summary.html").read_text(encoding="utf-8")
    after = mtimes(output)
    changed = {name for name in after if after[name] != before.get(name)}
    assert {"es/summary.pdf", "es/summary.html"} <= changed
    assert not changed & {"en/summary.pdf", "en/handout.pdf", "es/handout.pdf", "es/handout.html"}


def test_changed_stylesheet_rebuilds_the_products_that_use_it(project: Path) -> None:
    make(project)
    css = project / "layouts" / "summary.css"
    css.write_text(css.read_text(encoding="utf-8") + "\nh2 { letter-spacing: 0.01em; }\n", encoding="utf-8")
    report = make(project)
    assert statuses(report) == {
        "en/summary/summary": "built", "en/handout/handout": "up to date",
        "es/summary/summary": "built", "es/handout/handout": "up to date",
    }  # fmt: skip
    assert "letter-spacing: 0.01em" in (project / "output" / "en" / "summary.html").read_text(encoding="utf-8")


def test_force_rebuilds_everything_selected(project: Path) -> None:
    make(project)
    assert set(statuses(make(project, force=True)).values()) == {"built"}


# --- safe -----------------------------------------------------------------------------------------------------


def test_deleted_output_is_built_again(project: Path) -> None:
    make(project)
    pdf = project / "output" / "es" / "summary.pdf"
    pdf.unlink()
    report = make(project)
    assert [o.id for o in report.outcomes if o.status == "built"] == ["es/summary/summary"]
    record = load_manifest(project / "output").jobs["es/summary/summary"]
    assert pdf.read_bytes()[:5] == b"%PDF-" and sha256_file(pdf) == record.outputs["pdf"].sha256


def test_build_killed_mid_write_is_repaired(project: Path) -> None:
    make(project)
    folder = project / "output" / "es"
    # What a kill leaves: a temporary file never renamed, and the manifest still naming the output.
    (folder / "summary.html").unlink()
    leftover = folder / ".summary.html.99999999.0badc0de.tmp"
    leftover.write_text("<!DOCTYPE html><html><bo", encoding="utf-8")
    # And an output whose content does not match the manifest (cut short by hand).
    handout = folder / "handout.pdf"
    handout.write_bytes(handout.read_bytes()[:500])
    assert "es/summary/summary" in json.loads((project / "output" / MANIFEST_NAME).read_text())["jobs"]
    report = make(project)
    assert statuses(report)["es/summary/summary"] == "built"
    assert statuses(report)["es/handout/handout"] == "built"
    assert statuses(report)["en/summary/summary"] == "up to date"
    assert not leftover.exists()
    assert (folder / "summary.html").read_text(encoding="utf-8").rstrip().endswith("</html>")
    assert handout.read_bytes()[:5] == b"%PDF-" and handout.read_bytes().rstrip().endswith(b"%%EOF")


def test_failing_job_does_not_stop_the_others_and_exits_1_naming_it(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    summary = project / "source" / "summary.md"
    filler = "A long paragraph of filler text. " * 12
    summary.write_text(summary.read_text() + "\n" + "\n\n".join([filler] * 12))
    complete_catalogs(project, "es", {filler.strip(): ("Un párrafo largo de texto de relleno. " * 12).strip()})
    status = cli(project, "-j", "2", "--product", "summary", "--product", "handout", "--locale", "es")
    captured = capsys.readouterr()
    assert status == 1
    assert "es summary failed" in captured.err and "pages even at 16 pt" in captured.err
    assert (project / "output" / "es" / "handout.pdf").read_bytes()[:5] == b"%PDF-", "the other job was built"
    assert not (project / "output" / "es" / "summary.pdf").exists()
    assert cli(project, "--product", "summary", "--locale", "es", "-j", "1") == 1, "a failure is never up to date"


def test_parallel_build_in_this_process_leaves_the_garbage_collector_as_it_found_it(project: Path) -> None:
    import gc

    # Workers are forked with the collector's objects frozen; a program calling build() must get it back.
    report = make(project, workers=2, force=True)
    assert [o.status for o in report.outcomes] == ["built"] * 4
    assert gc.get_freeze_count() == 0


# --- beyond one machine ---------------------------------------------------------------------------------------


def test_shards_partition_the_jobs_completely_disjointly_and_stably(project: Path) -> None:
    from pipeline.builder.planning import plan_build

    shutil.copy(project / "source" / "summary.md", project / "source" / "summary-clinic-b.md")
    config = load_config(project / "pyproject.toml")
    jobs = plan_build(config, BuildOptions(pseudo=True)).jobs
    ids = {job.id for job in jobs}
    # 5 locales x (4 print products + web, EPUB and braille of the 4 documents)
    assert "es/summary-clinic-b/summary" in ids and len(ids) == len(jobs) == 5 * (4 + 3 * 4)
    for count in (2, 3, 5):
        shares = [{j.id for j in select(jobs, BuildOptions(shard=Shard(k, count)))} for k in range(1, count + 1)]
        assert set().union(*shares) == ids and sum(len(s) for s in shares) == len(ids)
        shuffled = list(jobs)
        random.Random(count).shuffle(shuffled)
        assert [{j.id for j in select(shuffled, BuildOptions(shard=Shard(k, count)))} for k in range(1, count + 1)] == (
            shares
        ), "a job's shard does not depend on its position"
    # SHA-256 of the id, not Python's per-process string hash: the same on every machine and run.
    assert [shard_of(job, 3) for job in ("es/summary/summary", "en/guide/large-print", "ar/handout/handout")] == [
        1,
        1,
        0,
    ]
    assert parse_shard("2/3") == Shard(2, 3)
    for bad in ("0/3", "4/3", "x", "1/0"):
        with pytest.raises(ValueError):
            parse_shard(bad)


def test_shard_option_selects_its_share(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = load_config(project / "pyproject.toml")
    seen: set[str] = set()
    sizes = []
    for number in (1, 2, 3):
        report = build(config, BuildOptions(shard=Shard(number, 3), dry_run=True))
        share = {outcome.id for outcome in report.outcomes}
        assert all(Shard(number, 3).holds(job) for job in share) and not seen & share
        seen |= share
        sizes.append(len(share))
    assert len(seen) == 3 * 12, "3 print products and web, EPUB and braille of 3 documents in en, es and ar"
    assert cli(project, "--dry-run", "--shard", "2/3") == 0
    assert f"build: {sizes[1]} of 36 jobs, shard 2/3;" in capsys.readouterr().out
    assert not (project / "output" / "en").exists(), "a dry run writes nothing"


def test_dask_executor_builds_the_same_outputs(project: Path, tmp_path: Path) -> None:
    import distributed  # dask[distributed], pinned in the dev extra: a missing install fails, never skips

    twin = tmp_path / "twin"
    shutil.copytree(project, twin)
    make(twin, products=["summary"])
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, protocol="tcp", host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:  # fmt: skip
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        report = make(project, products=["summary"], executor="dask", scheduler=cluster.scheduler_address)
    assert statuses(report) == {"en/summary/summary": "built", "es/summary/summary": "built"}
    for name in ("en/summary.pdf", "en/summary.html", "es/summary.pdf", "es/summary.html"):
        assert (project / "output" / name).read_bytes() == (twin / "output" / name).read_bytes(), name
    assert set(statuses(make(project, products=["summary"])).values()) == {"up to date"}


# --- observable -----------------------------------------------------------------------------------------------


def test_plain_lines_and_closing_table_when_not_a_terminal(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CI", raising=False)
    assert cli(project, "-j", "1", "--product", "summary") == 0
    out, err = capsys.readouterr()
    assert "\r" not in out + err and "\x1b[" not in out + err
    lines = out.splitlines()
    assert "build: rendering 2 jobs" in lines
    assert any(line.startswith("[1/2] built   ") for line in lines) and any(line.startswith("[2/2] ") for line in lines)
    assert "built           2" in lines and "failed          0" in lines
    assert any(line.startswith("skipped  ar summary") and "no catalog summary.po" in line for line in lines)
    assert cli(project, "--product", "summary") == 0
    assert "up to date      2" in capsys.readouterr().out


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal_outside_ci_and_colour_respects_no_color(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("CI", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert interactive(_Terminal()) and not interactive(io.StringIO())
    assert colour_allowed(_Terminal())
    monkeypatch.setenv("NO_COLOR", "1")
    assert interactive(_Terminal()) and not colour_allowed(_Terminal())
    monkeypatch.setenv("CI", "true")
    assert not interactive(_Terminal())
    report = BuildReport(outcomes=[JobOutcome("es/summary/summary", "failed", "es summary: 2 pages")])
    assert "\x1b[" not in closing_table(report, colour=False) and "\x1b[31mfailed" in closing_table(report, colour=True)


def test_product_names_known_without_the_renderer_match_it() -> None:
    from pipeline.render import default_products

    assert tuple(dict.fromkeys(p.name for p in default_products())) == PRODUCT_NAMES


# --- remembered page counts ------------------------------------------------------------------------------------


def test_remembered_page_counts_skip_trial_layouts_and_wrong_ones_are_not_trusted(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.render import Layouts, Renderer, default_products, plan_jobs, render_product

    render_module = sys.modules["pipeline.render.product"]
    source = project / "source" / "summary.md"  # long enough that the loosest type size does not fit one page
    filler = "Ask your care team what the study means for you and your family. " * 2
    source.write_text(source.read_text() + "\n" + "\n\n".join([filler] * 10) + "\n")
    config = load_config(project / "pyproject.toml")
    renderer = Renderer(config, Layouts(project / "layouts"))
    summary = [p for p in default_products() if p.name == "summary"]
    job = plan_jobs(config, summary, ["en"])[0]
    layouts: list[str] = []
    real = render_module.layout_html
    monkeypatch.setattr(render_module, "layout_html", lambda html, *a: layouts.append(html) or real(html, *a))
    plain = render_product(renderer, job)
    searched = len(layouts)
    assert searched > 2 and plain.font_size_pt < 18, "the type size was searched for"
    remembered: dict[str, int] = {}
    assert render_product(renderer, job, remembered).pdf == plain.pdf
    assert len(layouts) == 2 * searched and len(remembered) == searched
    layouts.clear()
    again = render_product(renderer, job, remembered)
    assert again.pdf == plain.pdf and again.font_size_pt == plain.font_size_pt
    assert len(layouts) == 1, "only the chosen type size is laid out again"
    layouts.clear()
    wrong = {key: 1 for key in remembered}  # every size "fits": the loosest would be chosen without checking
    chosen = render_product(renderer, job, wrong)
    assert chosen.pdf == plain.pdf and len(layouts) > 1, "a count that proves wrong starts the search afresh"


def test_a_remembered_handout_lays_out_only_its_chosen_page_not_its_contact_boxes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The handout tries its contact box alone before each page attempt: with the attempts' page counts remembered,
    # the boxes that fitted are remembered too, and a rebuild lays out the chosen setting only.
    from pipeline.render import Layouts, Renderer, default_products, load_clinic, plan_jobs, render_product

    render_module = sys.modules["pipeline.render.product"]
    config = load_config(ROOT / "pyproject.toml")
    clinic = load_clinic(ROOT / "tests" / "fixtures" / "clinics" / "us-long.toml", ROOT)
    renderer = Renderer(config, Layouts(ROOT / "layouts"), clinic=clinic)
    handout = [p for p in default_products() if p.name == "handout"]
    job = plan_jobs(config, handout, ["es"], draft=True)[0]
    layouts: list[str] = []
    real = render_module.layout_html
    monkeypatch.setattr(render_module, "layout_html", lambda html, *a: layouts.append(html) or real(html, *a))
    remembered: dict[str, int] = {}
    first = render_product(renderer, job, remembered)
    boxes = [key for key in remembered if key.startswith("contact-box:")]
    assert len(layouts) > 4 and boxes, "the search tried settings and measured their boxes"
    layouts.clear()
    again = render_product(renderer, job, remembered)
    assert again.pdf == first.pdf and again.font_size_pt == first.font_size_pt
    assert len(layouts) == 1, "only the chosen setting is laid out again, no contact box"
    layouts.clear()
    forgotten = {key: value for key, value in remembered.items() if not key.startswith("contact-box:")}
    assert render_product(renderer, job, forgotten).pdf == first.pdf
    assert len(layouts) > 1, "boxes not remembered are measured again"


def test_reading_grade_is_measured_once_per_document_and_language(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pipeline.readability.products as products

    measured: list[tuple[str, str]] = []
    real = products.reading_verdict

    def counting(config: Any, document: Path, catalog: Path | None, locale: str) -> Any:
        measured.append((document.stem, locale))
        return real(config, document, catalog, locale)

    monkeypatch.setattr(products, "reading_verdict", counting)
    # The summary in print, on the web, as an EPUB and in braille: four products of one text per language.
    report = make(project, products=["summary", "web", "epub", "braille"], documents=["summary"])
    assert {o.status for o in report.outcomes} == {"built"}, [(o.id, o.reason) for o in report.outcomes]
    assert sorted(measured) == [("summary", "en"), ("summary", "es")]
    grades = load_manifest(project / "output").grades
    assert sorted(grades) == ["en/summary", "es/summary"], "each language's grade is still recorded"

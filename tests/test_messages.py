"""Clear messages for the smaller cases a clinic's IT person meets: each says what is wrong, where, and what to do."""

from __future__ import annotations

import fcntl
import logging
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from commands import copy_basic, plainleaf

from pipeline.document import parse_document, source_warnings
from pipeline.lock import LOCK_NAME, project_lock
from pipeline.render.clinic import parse_clinic


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_basic(tmp_path)


def test_init_refuses_the_source_language(project: Path) -> None:
    result = plainleaf(project, "init", "en")
    assert result.returncode == 1
    assert "'en' is the source language" in result.stderr
    assert not (project / "locales" / "en").exists()


def test_init_with_a_hyphen_names_the_code_the_configuration_reads(project: Path) -> None:
    assert plainleaf(project, "extract").returncode == 0
    result = plainleaf(project, "init", "zh-TW")
    assert result.returncode == 0, result.stderr
    assert (project / "locales" / "zh_TW" / "LC_MESSAGES" / "leaflet.po").is_file()
    assert 'add { code = "zh_TW" }' in result.stdout
    assert "zh-TW" not in result.stdout.split("add ", 1)[1]


def test_a_latin_1_catalog_says_how_to_convert_it(project: Path) -> None:
    assert plainleaf(project, "extract").returncode == 0
    assert plainleaf(project, "update").returncode == 0
    catalog = project / "locales" / "es" / "LC_MESSAGES" / "leaflet.po"
    text = catalog.read_text(encoding="utf-8").replace("charset=UTF-8", "charset=ISO-8859-1")
    catalog.write_bytes(text.encode("latin-1", "replace"))
    result = plainleaf(project, "update")
    assert result.returncode == 1
    line = result.stderr.strip().splitlines()[-1]
    assert "locales/es/LC_MESSAGES/leaflet.po:" in line and "charset 'ISO-8859-1'" in line
    assert "msgconv --to-code=UTF-8" in line


def test_a_phone_number_with_letters_is_warned_with_its_line(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "clinic.toml"
    path.write_text('name = "Clinic"\nphone = "1-800-GET-HELP"\n', encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        parse_clinic({"name": "Clinic", "phone": "1-800-GET-HELP"}, tmp_path, path)
        parse_clinic({"name": "Clinic", "phone": "+1 555 010 0100 ext. 12"}, tmp_path, path)
    warnings = [record.getMessage() for record in caplog.records]
    assert len(warnings) == 1
    assert f"{path}:2: clinic.phone" in warnings[0] and "has letters" in warnings[0]


def test_build_verbose_lists_up_to_date_jobs(project: Path) -> None:
    quiet = plainleaf(project, "build", "--dry-run")
    verbose = plainleaf(project, "build", "--dry-run", "-v")
    assert quiet.returncode == verbose.returncode
    assert len(verbose.stdout.splitlines()) >= len(quiet.stdout.splitlines())
    assert "-v, --verbose" in plainleaf(project, "build", "--help").stdout


def test_all_prints_the_time_of_each_stage(project: Path) -> None:
    result = plainleaf(project, "all")
    for stage in ("extract", "update", "stats", "check", "readability"):
        assert f"all: {stage}: " in result.stdout, result.stdout


def test_update_names_catalogs_whose_document_is_gone(project: Path) -> None:
    assert plainleaf(project, "extract").returncode == 0
    assert plainleaf(project, "update").returncode == 0
    (project / "source" / "leaflet.md").rename(project / "source" / "flyer.md")
    assert plainleaf(project, "extract").returncode == 0
    result = plainleaf(project, "update")
    assert result.returncode == 0, result.stderr
    assert "locales/es/LC_MESSAGES/leaflet.po: no document leaflet.md" in result.stderr
    assert "locales/leaflet.pot: no document leaflet.md" in result.stderr
    assert (project / "locales" / "es" / "LC_MESSAGES" / "leaflet.po").is_file()  # translator work is kept


def test_site_generator_syntax_is_warned_with_file_and_line() -> None:
    source = "# T\n\nIntro.\n{: .lead}\n\nSee {{ site.baseurl }}.\n\n{% include x.html %}\n\n`{{ code }}` is fine.\n"
    warnings = source_warnings(parse_document(source, Path("page.md")))
    assert [(warning.line, warning.message.split(" ", 1)[0]) for warning in warnings] == [
        (4, "kramdown"), (6, "template"), (8, "template"),
    ]  # fmt: skip
    assert str(warnings[0]).startswith("page.md:4: kramdown attribute list")


def test_a_second_build_waits_for_the_first_and_says_so(tmp_path: Path) -> None:
    output = tmp_path / "output"
    messages: list[str] = []
    output.mkdir()
    holder = os.open(output / LOCK_NAME, os.O_RDWR | os.O_CREAT)
    fcntl.flock(holder, fcntl.LOCK_EX)
    os.write(holder, b"4242")
    waiter = subprocess.Popen(
        [sys.executable, "-c", f"from pathlib import Path; from pipeline.lock import project_lock\n"
         f"with project_lock(Path({str(output)!r}), print): print('got it')"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    time.sleep(1.0)
    assert waiter.poll() is None  # still waiting
    os.close(holder)
    out, _ = waiter.communicate(timeout=30)
    assert "another build of this project is running (process 4242); waiting" in out
    assert out.strip().endswith("got it")
    with project_lock(output, messages.append):
        pass
    assert messages == []


def test_make_reinstalls_only_when_the_packages_change(tmp_path: Path) -> None:
    import shutil

    if not shutil.which("make"):
        pytest.skip("make not installed")
    root = Path(__file__).resolve().parent.parent
    shutil.copy(root / "Makefile", tmp_path / "Makefile")
    pyproject = tmp_path / "pyproject.toml"
    shutil.copy(root / "pyproject.toml", pyproject)

    def plan() -> str:
        result = subprocess.run(["make", "-n", "setup"], cwd=tmp_path, capture_output=True, text=True, check=False)
        return result.stdout + result.stderr

    stamp = re.search(r"STAMP=(\S+)", plan())
    assert stamp is not None
    (tmp_path / stamp.group(1)).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / stamp.group(1)).touch()
    (tmp_path / ".venv" / ".system-packages").touch()
    assert "install-packages" not in plan()
    pyproject.write_text(pyproject.read_text(encoding="utf-8").replace('"es"', '"fr"'), encoding="utf-8")
    assert "install-packages" not in plan(), "a [tool.plainleaf] change reinstalls nothing"
    text = pyproject.read_text(encoding="utf-8").replace('"polib==1.2.0"', '"polib==1.2.1"')
    pyproject.write_text(text, encoding="utf-8")
    assert "install-packages" in plan(), "a dependency change reinstalls"


@pytest.mark.slow  # plainleaf all: builds and audits the whole project
def test_all_audits_and_writes_the_report_when_a_product_fails_to_build(project: Path) -> None:
    import shutil

    shutil.copytree(Path(__file__).resolve().parent.parent / "layouts", project / "layouts")
    words = " ".join(["Ask your care team about every step of the trial before you agree to take part."] * 12)
    text = "---\ntitle: Too long\nproducts: [summary]\n---\n\n# Too long\n\n" + "\n\n".join([words] * 12) + "\n"
    (project / "source" / "long.md").write_text(text, encoding="utf-8")
    result = plainleaf(project, "all")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "en long-summary failed" in result.stderr or "en long failed" in result.stderr, result.stderr
    assert "all: audit: " in result.stdout and (project / "output" / "reports" / "audit.html").is_file()
    assert "all: a product failed to build" in result.stderr and "all: failed: " in result.stderr


def test_a_clinic_field_printed_in_english_is_said_on_its_row(tmp_path: Path) -> None:
    from pipeline.builder.jobs import index_lines
    from pipeline.builder.manifest import PlannedJob

    clinic = parse_clinic(
        {"name": "Riverside", "address": "1 River Rd", "hours": "By appointment",
         "translations": {"es": {"name": "Ribera"}}},
        tmp_path, tmp_path / "clinic.toml",
    )  # fmt: skip
    assert clinic.untranslated_fields("es", "en") == ["address", "hours"]
    assert clinic.untranslated_fields("ar", "en") == ["name", "address", "hours"]
    assert clinic.untranslated_fields("en", "en") == []
    job = PlannedJob(
        id="es/handout/handout", locale="es", document="handout", product="handout", buildable=False,
        missing="not yet", draft=False, reviewed=False, inputs=[],
        settings={"product": {"contact_box": True}, "english_fields": ["address", "hours"]},
    )  # fmt: skip
    line = index_lines([job], {}, {}, lambda job, record: True)[0]
    assert line["english_fields"] == ["address", "hours"]


def test_an_unknown_declared_product_names_the_file_and_line(project: Path) -> None:
    import shutil

    shutil.copytree(Path(__file__).resolve().parent.parent / "layouts", project / "layouts")
    page = project / "source" / "page.md"
    page.write_text("---\ntitle: Page\nproducts: [large-print, leaflet]\n---\n\n# Page\n\nText.\n", encoding="utf-8")
    result = plainleaf(project, "build", "--dry-run")
    assert result.returncode == 1
    assert "source/page.md:3: front matter: unknown product 'leaflet' (known: large-print, handout" in result.stderr


def test_every_product_printing_the_clinic_says_which_fields_are_in_english(tmp_path: Path) -> None:
    """The summary's strip and the handout's and summary's web page, EPUB and braille print the clinic too: the
    desk says on each of their rows which clinic fields a translated product prints in English, not only on the
    print handout's; a product that prints no clinic says nothing."""
    import shutil

    from commands import copy_shipped

    from pipeline.builder.jobs import BuildOptions
    from pipeline.builder.planning import plan_build
    from pipeline.config import load_config

    root = copy_shipped(tmp_path / "project")
    shutil.copy(root / "layouts" / "clinic.example.toml", root / "clinic.toml")  # no [translations] at all
    config = load_config(root / "pyproject.toml")
    plan = plan_build(config, BuildOptions(workers=1))
    fields = {job.id: job.settings.get("english_fields") for job in plan.jobs}
    printing = [job for job in plan.jobs if job.locale == "es" and job.document in ("handout", "summary")]
    assert {(job.document, job.product) for job in printing} >= {
        ("handout", "handout"),
        ("summary", "summary"),
        ("handout", "web"),
        ("summary", "epub"),
    }
    handout = fields["es/handout/handout"]
    assert handout, "the example clinic file has fields with no Spanish"
    for job in printing:
        assert fields[job.id] == handout, job.id
    assert not [job.id for job in plan.jobs if job.document == "guide" and fields[job.id]]
    assert not [job.id for job in plan.jobs if job.locale == "en" and fields[job.id]]

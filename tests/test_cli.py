"""The command line end to end on a sample project: what a translator and a clinic see."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import polib
import pytest
from commands import _Starter, copy_basic, plainleaf, plainleaf_after

run = plainleaf


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_basic(tmp_path)


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("plainleaf: error")]
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_version_help_and_usage_errors(project: Path) -> None:
    assert run(project, "--version").stdout.startswith("plainleaf ")
    assert run(project, "--help").returncode == 0
    assert run(project).returncode == 2
    assert run(project, "no-such-command").returncode == 2
    assert run(project, "translate", "x.md").returncode == 2


def test_main_job_creates_templates_and_catalogs(project: Path) -> None:
    result = run(project, "all")
    assert result.returncode == 0, result.stderr
    pot = project / "locales" / "leaflet.pot"
    es = project / "locales" / "es" / "LC_MESSAGES" / "leaflet.po"
    ar = project / "locales" / "ar" / "LC_MESSAGES" / "leaflet.po"
    assert pot.exists() and es.exists() and ar.exists()
    assert polib.pofile(str(ar)).metadata["Plural-Forms"].startswith("nplurals=6;")
    assert polib.pofile(str(es)).metadata["Language"] == "es"
    assert "0%" in result.stdout

    # Same source, another day: nothing is rewritten.
    stamp = pot.stat().st_mtime_ns, es.stat().st_mtime_ns
    again = run(project, "all", epoch="1800000000")
    assert again.returncode == 0
    assert "unchanged" in again.stdout
    assert (pot.stat().st_mtime_ns, es.stat().st_mtime_ns) == stamp


def test_translator_work_survives_a_source_change(project: Path) -> None:
    assert run(project, "all").returncode == 0
    es = project / "locales" / "es" / "LC_MESSAGES" / "leaflet.po"
    catalog = polib.pofile(str(es))
    for entry in catalog:
        if entry.msgid == "What are the risks?":
            entry.msgstr = "¿Cuáles son los riesgos?"
            entry.tcomment = "checked with Dr. Ruiz"
        if entry.msgid == "What phase is the trial?":
            entry.msgstr = "¿En qué fase está el ensayo?"
    catalog.save(str(es))

    source = project / "source" / "leaflet.md"
    text = source.read_text(encoding="utf-8")
    text = text.replace("What are the risks?", "What are the possible risks?")
    text = text.replace("- What phase is the trial?\n", "")
    source.write_text(text, encoding="utf-8")
    assert run(project, "all").returncode == 0

    merged = polib.pofile(str(es))
    changed = merged.find("What are the possible risks?")
    assert changed is not None and changed.fuzzy
    assert changed.msgstr == "¿Cuáles son los riesgos?"
    assert changed.previous_msgid == "What are the risks?"
    assert changed.tcomment == "checked with Dr. Ruiz"
    removed = [e for e in merged.obsolete_entries() if e.msgid == "What phase is the trial?"]
    assert removed and removed[0].msgstr == "¿En qué fase está el ensayo?"

    stats = json.loads(run(project, "stats", "--json", "--locale", "es").stdout)["catalogs"][0]
    # One obsolete entry, the removed question: the old "What are the risks?" lives on in "#|" only, as in msgmerge.
    assert (stats["fuzzy"], stats["obsolete"], stats["translated"]) == (1, 1, 0)

    output = project / "out.md"
    translated = run(project, "translate", "source/leaflet.md", "--po", str(es), "-o", str(output))
    assert translated.returncode == 0, translated.stderr
    assert "0 of" in translated.stdout
    # The fuzzy translation is not printed: the patient reads the current English.
    assert "What are the possible risks?" in output.read_text(encoding="utf-8")
    assert "riesgos" not in output.read_text(encoding="utf-8")


def test_check_reports_file_line_and_fails(project: Path) -> None:
    assert run(project, "all").returncode == 0
    es = project / "locales" / "es" / "LC_MESSAGES" / "leaflet.po"
    catalog = polib.pofile(str(es))
    # "84.6% d" reads as a printf directive to Babel: the msgid writes that percent sign as "&#37;" (README).
    entry = catalog.find("CAR-T therapy is *investigational*. One study reported 84.6&#37; disease control.")
    assert entry is not None
    entry.msgstr = "La terapia CAR T es *experimental*. Un estudio informó un control del 86,4 %."
    catalog.save(str(es))
    line = polib.pofile(str(es)).find(entry.msgid).linenum
    result = run(project, "check", "--locale", "es")
    assert result.returncode == 1
    assert f"locales/es/LC_MESSAGES/leaflet.po:{line}:" in result.stdout
    assert "84.6" in result.stdout and "CAR-T" in result.stdout


@pytest.mark.parametrize(
    ("setup", "args", "message"),
    [
        (lambda p: (p / "pyproject.toml").write_text("[tool.plainleaf]\nlocale = ['es']\n"), ["stats"],
         "tool.plainleaf: unknown key 'locale'"),
        (lambda p: (p / "pyproject.toml").write_text("[tool.plainleaf]\nlocales = [{code = 'es', reviewed = 'no'}]\n"),
         ["stats"], "tool.plainleaf.locales[0].reviewed: expected bool, got 'no'"),
        (lambda p: (p / "pyproject.toml").write_text("[tool.plainleaf]\nlocales = ['xx_YY']\n"), ["stats"],
         "unknown locale 'xx_YY'"),
        (lambda p: (p / "pyproject.toml").write_text("[tool.plainleaf\n"), ["stats"], "pyproject.toml:1: invalid TOML"),
        (lambda p: (p / "source" / "leaflet.md").write_bytes(b"# Caf\xe9\n"), ["extract"],
         "leaflet.md:1: not valid UTF-8"),
        (lambda p: None, ["update", "--locale", "fr"], "locale 'fr' is not configured"),
        (lambda p: None, ["stats"], "catalog missing"),
    ],
    ids=["unknown-key", "wrong-type", "unknown-locale", "bad-toml", "non-utf8-source", "unconfigured-locale",
         "missing-catalog"],
)  # fmt: skip
def test_bad_input_gives_one_clear_line(project: Path, setup, args: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    setup(project)
    assert message in one_line_error(run(project, *args))


def test_malformed_po_is_a_parse_error_not_a_traceback(project: Path) -> None:
    assert run(project, "all").returncode == 0
    es = project / "locales" / "es" / "LC_MESSAGES" / "leaflet.po"
    lines = es.read_text(encoding="utf-8").splitlines()
    broken = next(i for i, line in enumerate(lines) if line.startswith("msgstr") and i > 20)
    lines[broken] = 'msgstr "unterminated'
    es.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for command in (["update"], ["stats"], ["check"]):
        result = run(project, *command)
        assert result.returncode == 1, command
        assert "Traceback" not in result.stderr
        assert f"leaflet.po:{broken + 1}" in result.stderr, (command, result.stderr)


def test_debug_shows_the_traceback(project: Path) -> None:
    (project / "pyproject.toml").write_text("[tool.plainleaf]\nlocale = ['es']\n")
    result = run(project, "--debug", "stats")
    assert result.returncode == 1 and "Traceback" in result.stderr


def test_ad_hoc_extract_of_any_markdown_files(project: Path, tmp_path: Path) -> None:
    first = tmp_path / "a.md"
    second = tmp_path / "b.md"
    first.write_text("# Alpha\n\nShared line.\n", encoding="utf-8")
    second.write_text("# Beta\n\nShared line.\n\n- [a link](https://example.org)\n", encoding="utf-8")
    result = run(project, "extract", str(first), str(second), "-o", str(tmp_path / "out.pot"))
    assert result.returncode == 0, result.stderr
    template = polib.pofile(str(tmp_path / "out.pot"))
    assert [e.msgid for e in template] == ["Alpha", "Shared line.", "Beta", "[a link][1]"]
    assert len(template.find("Shared line.").occurrences) == 2
    assert "https://example.org" in template.find("[a link][1]").comment


def test_init_creates_a_catalog_with_cldr_plural_forms(project: Path) -> None:
    assert run(project, "extract").returncode == 0
    result = run(project, "init", "pt_BR")
    assert result.returncode == 0, result.stderr
    catalog = polib.pofile(str(project / "locales" / "pt_BR" / "LC_MESSAGES" / "leaflet.po"))
    assert catalog.metadata["Language"] == "pt_BR"
    assert catalog.metadata["Plural-Forms"].startswith("nplurals=2;")
    assert "not in" not in result.stderr and 'add { code = "pt_BR" }' in result.stdout
    again = run(project, "init", "pt_BR")
    assert "catalog exists" in one_line_error(again)
    assert "unknown locale" in one_line_error(run(project, "init", "xx_QQ"))


def test_extract_does_not_pay_for_the_renderer(project: Path) -> None:
    shutil.copytree(Path(__file__).parent.parent / "layouts", project / "layouts")
    code = (
        "import sys; from pipeline.cli import main; status = main(['extract']); "
        "assert 'weasyprint' not in sys.modules, 'extract imported WeasyPrint'; sys.exit(status)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert (project / "locales" / "layouts.pot").exists()


def test_check_json_reports_an_unreadable_catalog_as_a_finding(project: Path) -> None:
    assert run(project, "all").returncode == 0
    es = project / "locales" / "es" / "LC_MESSAGES" / "leaflet.po"
    lines = es.read_text(encoding="utf-8").splitlines()
    broken = next(i for i, line in enumerate(lines) if line.startswith("msgstr") and i > 20)
    lines[broken] = 'msgstr "unterminated'
    es.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run(project, "check", "--json")
    assert result.returncode == 1
    findings = json.loads(result.stdout)["findings"]
    unreadable = [f for f in findings if f["check"] == "unreadable"]
    assert len(unreadable) == 1, findings
    assert unreadable[0]["path"] == "locales/es/LC_MESSAGES/leaflet.po"
    assert unreadable[0]["line"] == broken + 1
    assert unreadable[0]["severity"] == "error"


def test_strict_check_fails_on_fuzzy_and_untranslated_entries(project: Path) -> None:
    assert run(project, "all").returncode == 0
    for locale in ("es", "ar"):
        path = project / "locales" / locale / "LC_MESSAGES" / "leaflet.po"
        catalog = polib.pofile(str(path))
        for entry in catalog:
            if entry.msgid_plural:
                entry.msgstr_plural = {n: entry.msgid_plural for n in entry.msgstr_plural}
            else:
                entry.msgstr = entry.msgid
        fuzzy = catalog[0]
        fuzzy.flags.append("fuzzy")
        empty = next(entry for entry in catalog[1:] if not entry.msgid_plural)
        empty.msgstr = ""
        catalog.save(str(path))
    relaxed = run(project, "check", "--json")
    assert not [f for f in json.loads(relaxed.stdout)["findings"] if f["check"] in ("fuzzy", "untranslated")]
    strict = run(project, "check", "--strict", "--json")
    assert strict.returncode == 1
    found = {(f["path"], f["check"], f["severity"]) for f in json.loads(strict.stdout)["findings"]}
    for locale in ("es", "ar"):
        path = f"locales/{locale}/LC_MESSAGES/leaflet.po"
        assert {(path, "fuzzy", "warning"), (path, "untranslated", "warning")} <= found


def test_extract_writes_the_glossary_once(project: Path) -> None:
    result = run(project, "extract")
    assert result.returncode == 0, result.stderr
    glossary = project / "locales" / "glossary.csv"
    terms = [
        line.strip()
        for line in (project / "source" / "do-not-translate.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert f"locales/glossary.csv: {len(terms)} terms\n" in result.stdout
    rows = list(csv.DictReader(glossary.open(encoding="utf-8")))
    assert [row["source"] for row in rows] == terms
    assert all(row["target"] == row["source"] and "Do not translate" in row["developer_comments"] for row in rows)
    again = run(project, "extract")
    assert "locales/glossary.csv: " in again.stdout and f"{len(terms)} terms (unchanged)" in again.stdout


def test_check_reports_one_msgid_translated_two_ways_in_a_locale(project: Path) -> None:
    shutil.copy(project / "source" / "leaflet.md", project / "source" / "flyer.md")
    assert run(project, "all").returncode == 0
    paths = [project / "locales" / "es" / "LC_MESSAGES" / f"{domain}.po" for domain in ("flyer", "leaflet")]
    for path, text in zip(paths, ("¿Cuáles son los riesgos?", "¿Qué riesgos hay?"), strict=True):
        catalog = polib.pofile(str(path))
        entry = catalog.find("What are the risks?")
        assert entry is not None
        entry.msgstr = text
        catalog.save(str(path))
    result = run(project, "check", "--locale", "es", "--json")
    found = [f for f in json.loads(result.stdout)["findings"] if f["check"] == "consistency"]
    assert [(f["path"], f["severity"]) for f in found] == [("locales/es/LC_MESSAGES/leaflet.po", "warning")]
    assert "locales/es/LC_MESSAGES/flyer.po:" in found[0]["message"]
    assert result.returncode == 0  # a warning: only --strict fails on it


def test_check_names_a_language_without_tables_not_checked(project: Path) -> None:
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8").replace('locales = ["es", ', 'locales = ["es", "ko", '))
    assert run(project, "extract").returncode == 0
    init = run(project, "init", "ko")
    assert init.returncode == 0
    assert "Korean (ko) has no number words, negation markers, readability profile, reading speed, braille table" in (
        init.stdout
    )
    result = run(project, "check", "--locale", "ko")
    assert result.returncode == 0, result.stdout + result.stderr  # what was not checked is said, and fails nothing
    lines = [line for line in result.stdout.splitlines() if ": not checked: " in line]
    assert any("[negation] no negation markers for Korean (ko)" in line for line in lines), result.stdout
    assert any("[numbers] no number words for Korean (ko)" in line for line in lines), result.stdout
    assert result.stderr.splitlines()[-1].endswith("not checked")


def test_the_forked_command_line_reports_crashes_and_hangs_as_a_fresh_process_would(project: Path) -> None:
    # The tests run the command line forked from a started interpreter (commands.plainleaf): a crash must still
    # come back as exit status 1 with its traceback, and a hang must be killed at its time limit, not wait forever.
    env = dict(os.environ)
    crashed = plainleaf_after("raise RuntimeError('boom')", project, ["--version"], env, timeout=60)
    assert crashed.returncode == 1 and "RuntimeError: boom" in crashed.stderr and not crashed.stdout
    with pytest.raises(subprocess.TimeoutExpired):
        plainleaf_after("import time; time.sleep(60)", project, ["--version"], env, timeout=1)
    exited = plainleaf_after("import sys; sys.exit(3)", project, ["--version"], env, timeout=60)
    assert exited.returncode == 3
    assert plainleaf(project, "--version").stdout.startswith("plainleaf ")  # the starter goes on
    # A command that ends at once: its process id and its exit status reach the test in one read, and the status
    # must be found at once (a buffered reader once held it where the time limit's wait could not see it).
    starter = object.__new__(_Starter)
    starter.replies, writer = os.pipe()
    starter.unread = b""
    os.write(writer, b"12345\n0\n")
    started = time.perf_counter()
    assert (starter._reply(), starter._reply(timeout=5)) == ("12345", "0")
    assert time.perf_counter() - started < 1 and starter._reply(timeout=0.2) is None
    os.close(writer)
    os.close(starter.replies)

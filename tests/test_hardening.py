"""Hostile and broken inputs through the real command line: each gives its one-line error, nothing else happens.

Every case in ``tests/fixtures/hostile/cases/*.toml`` is run as ``python -m pipeline ...`` on a copy of the small
project of ``tests/roots/print`` (with the real ``layouts/``). Each must end with the exit status it
names and, on failure, one clear error line naming the file (and line); no traceback. Meanwhile a loopback HTTP
server, which the inputs point at, must receive no request; an audit hook in the child process records every
file opened outside the project, the virtual environment, the standard library, the pipeline and the fonts
(none may be); and no file may be left half-written under its final name in ``output/`` or ``locales/``.

Case keys: ``command``, ``status``, ``error`` and ``where`` (substrings of the error line), ``files`` (written,
``{server}`` replaced by the loopback address), ``raw`` (copied from ``files/``), ``generated`` (``before`` +
``repeat`` x ``times`` + ``after``, ``{n}`` numbered), ``absent``/``present``/``unchanged`` (paths after the
run), ``absent_text`` (strings a file must not contain), ``empty_fonts``, ``timeout``, ``xfail`` (a known bug
outside these tests; strict, so the test flips when it is fixed).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import tomllib
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from commands import plainleaf, plainleaf_after

from pipeline.catalogs.pofile import read_catalog

pytestmark = pytest.mark.slow  # renders hostile input through the whole pipeline: left out of `make test-quick`

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
PRINT_PROJECT = Path(__file__).parent / "roots" / "print"
CASES = sorted((HOSTILE / "cases").glob("*.toml"))
ERROR_PREFIX = "plainleaf: error:"

GUARD = r'''
"""Put the plainleaf command's process under an audit hook that records opens outside the allowed folders (run
before the command line, in its process: commands.plainleaf_after)."""
import json, mimetypes, os, sys, sysconfig, tempfile
from importlib.util import find_spec
from pathlib import Path

settings = json.loads(os.environ["GUARD_SETTINGS"])
log = open(settings["log"], "w", encoding="utf-8")
allowed = {os.path.realpath(p) for p in [
    os.getcwd(), sys.prefix, sys.base_prefix, sys.exec_prefix, *sysconfig.get_paths().values(),
    os.path.dirname(find_spec("pipeline").origin), *settings["allowed"],
]}
# System data read by libraries when they are imported, never chosen by input: time zones (babel), the MIME
# table (weasyprint.pdf.anchors builds mimetypes.MimeTypes()), /dev/null (ctypes.util.find_library).
exact = {os.path.realpath(p) for p in [*mimetypes.knownfiles, "/dev/null", "/dev/urandom", "/etc/localtime"]}
allowed.add(os.path.realpath("/usr/share/zoneinfo"))
# Temporary files this process makes (WeasyPrint's font copies for fontconfig, ctypes' probes) are its own;
# anything that was in the temporary folder before it started is not.
temporary = os.path.realpath(tempfile.gettempdir())
before = set(os.listdir(temporary))
seen = set()

def inside(path):
    if path in exact or any(path == a or path.startswith(a.rstrip(os.sep) + os.sep) for a in allowed):
        return True
    if path == temporary:
        return True
    if path.startswith(temporary + os.sep):
        return path[len(temporary) + 1 :].split(os.sep)[0] not in before
    return False

def hook(event, args):
    if event == "open":
        name = args[0]
        if name is None or isinstance(name, int):
            return
        path = os.path.realpath(os.path.abspath(os.fsdecode(name)))
        if path not in seen and not inside(path):
            seen.add(path)
            log.write(json.dumps({"open": path}) + "\n")
            log.flush()
    elif event in ("socket.connect", "socket.getaddrinfo", "urllib.Request"):
        log.write(json.dumps({event: repr(args)}) + "\n")
        log.flush()

sys.addaudithook(hook)
if settings.get("fonts"):
    # Simulate a machine without the fonts: the catalog looks in an empty folder (pipeline/render/fonts.py).
    from pipeline.render.fonts import FontCatalog
    FontCatalog.__init__.__defaults__ = ((Path(settings["fonts"]),), Path(settings["fonts"]))
'''


# --- the loopback server --------------------------------------------------------------------------------------


# --- the project ------------------------------------------------------------------------------------------------


def _environment() -> dict[str, str]:
    return {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "PYTHONDONTWRITEBYTECODE": "1"}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small project with its templates and (untranslated) Spanish catalogs, made by the real CLI."""
    project = tmp_path_factory.mktemp("hostile") / "project"
    shutil.copytree(PRINT_PROJECT, project)
    # The print sample project, with Spanish alone and unreviewed: every case meets the same gates as a clinic.
    (project / "pyproject.toml").write_text(
        '[tool.plainleaf]\nsource-language = "en"\nlocales = [{ code = "es", reviewed = false }]\n', encoding="utf-8"
    )
    shutil.copytree(ROOT / "layouts", project / "layouts")
    for command in (["extract"], ["update"]):
        done = plainleaf(project, *command)
        assert done.returncode == 0, done.stderr
    return project


@pytest.fixture()
def project(template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "project"
    shutil.copytree(template, target)
    return target


def _apply(case: dict[str, Any], project: Path, address: str) -> None:
    for name, text in case.get("files", {}).items():
        path = project / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.replace("{server}", address), encoding="utf-8")
    for name, source in case.get("raw", {}).items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(HOSTILE / "files" / source, project / name)
    for name, spec in case.get("generated", {}).items():
        body = "".join(spec["repeat"].replace("{n}", str(n)) for n in range(spec["times"]))
        (project / name).write_text(spec["before"] + body + spec["after"], encoding="utf-8")


def _snapshot(project: Path) -> dict[str, bytes]:
    return {
        path.relative_to(project).as_posix(): path.read_bytes()
        for folder in ("output", "locales")
        for path in (project / folder).rglob("*")
        if path.is_file()
    }


def _assert_nothing_half_written(project: Path, before: dict[str, bytes]) -> None:
    leftovers = [p for p in project.rglob(".*") if p.name.endswith(".tmp")]
    assert not leftovers, f"temporary files left behind: {leftovers}"
    for folder in ("output", "locales"):
        for path in (project / folder).rglob("*"):
            name = path.relative_to(project).as_posix()
            if not path.is_file() or before.get(name) == path.read_bytes():
                continue
            if path.suffix in (".po", ".pot"):
                read_catalog(path)  # raises CatalogError on a partial catalog
            elif path.suffix == ".pdf":
                assert path.read_bytes().rstrip().endswith(b"%%EOF"), name
                pikepdf.open(path).close()
            elif path.suffix == ".html":
                assert path.read_text(encoding="utf-8").rstrip().endswith("</html>"), name


def _error_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    """The error lines a person reads: ``plainleaf: error:`` on stderr, ``FILE:LINE: error:`` findings on stdout."""
    lines = [line for line in result.stderr.splitlines() if line.startswith(ERROR_PREFIX)]
    lines += [line for line in result.stdout.splitlines() if ": error: [" in line]
    return list(dict.fromkeys(lines))


def run_guarded(
    project: Path, command: list[str], *, fonts: Path | None = None, timeout: float = 120
) -> tuple[subprocess.CompletedProcess[str], list[dict[str, str]], float]:
    """Run the CLI in ``project`` under the audit hook; returns the result, what the hook saw and the seconds."""
    log = project.parent / "guard.jsonl"
    settings = {
        "log": str(log),
        "allowed": ["/usr/share/fonts", "/usr/local/share/fonts", str(Path.home() / ".local/share/fonts"),
                    # liblouis's braille tables, read as the fonts are: installed data, never the project's input
                    "/usr/share/liblouis", "/usr/local/share/liblouis", str(log), *([str(fonts)] if fonts else [])],
        "fonts": str(fonts) if fonts else None,
    }  # fmt: skip
    started = time.perf_counter()
    environment = {**_environment(), "GUARD_SETTINGS": json.dumps(settings)}
    result = plainleaf_after(GUARD, project, command, environment, timeout)
    seconds = time.perf_counter() - started
    seen = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()] if log.exists() else []
    return result, seen, seconds


# --- the corpus -------------------------------------------------------------------------------------------------


def _load(path: Path) -> dict[str, Any]:
    with path.open("rb") as stream:
        return tomllib.load(stream)


def _params() -> list[Any]:
    params = []
    for path in CASES:
        case = _load(path)
        marks = [pytest.mark.xfail(strict=True, reason=case["xfail"])] if "xfail" in case else []
        params.append(pytest.param(path, id=path.stem, marks=marks))
    return params


def test_every_case_says_what_it_expects() -> None:
    assert len(CASES) >= 30
    for path in CASES:
        case = _load(path)
        assert {"about", "command", "status"} <= set(case), path.name
        assert case["status"] in (0, 1), path.name
        if case["status"] == 1:
            assert {"error", "where"} <= set(case), path.name


@pytest.mark.parametrize("case_path", _params())
def test_hostile_input_gives_its_error_and_nothing_else(
    case_path: Path, project: Path, server: tuple[str, list[str]], tmp_path: Path
) -> None:
    case = _load(case_path)
    address, requests = server
    _apply(case, project, address)
    before = _snapshot(project)
    fonts = None
    if case.get("empty_fonts"):
        fonts = tmp_path / "no-fonts"
        fonts.mkdir()
    timeout = case.get("timeout", 120)
    result, opened, seconds = run_guarded(project, case["command"], fonts=fonts, timeout=timeout)
    shown = f"stdout:\n{result.stdout[-2000:]}\nstderr:\n{result.stderr[-3000:]}"

    assert "Traceback" not in result.stderr, shown
    assert "RecursionError" not in result.stderr + result.stdout, shown
    assert result.returncode == case["status"], shown
    errors = _error_lines(result)
    if case["status"] == 1:
        assert len(errors) == 1, f"expected one error line, got {errors}\n{shown}"
        assert case["error"] in errors[0], errors[0]
        assert case["where"] in errors[0], errors[0]
    else:
        assert not errors, shown
    assert seconds < timeout
    assert requests == [], f"the loopback server was contacted: {requests}"
    assert opened == [], f"files opened outside the project, or network use: {opened}"
    _assert_nothing_half_written(project, before)
    for name in case.get("absent", []):
        assert not (project / name).exists(), f"{name} written although the run failed"
    for name in case.get("present", []):
        assert (project / name).is_file(), name
    for name in case.get("unchanged", []):
        assert (project / name).read_bytes() == before[name], f"{name} changed by a failed run"
    for name, strings in case.get("absent_text", {}).items():
        text = (project / name).read_text(encoding="utf-8")
        for string in strings:
            assert string not in text, f"{string!r} in {name}"


def test_the_guard_does_see_a_file_opened_outside_the_project(project: Path) -> None:
    # A test that cannot fail is a defect: the same hook must catch an outside file when one is opened.
    result, opened, _ = run_guarded(project, ["extract", "/etc/passwd", "-o", "outside.pot"])
    assert result.returncode in (0, 1), result.stderr
    assert {"open": "/etc/passwd"} in opened


def test_the_loopback_server_does_record_requests(server: tuple[str, list[str]]) -> None:
    import urllib.request

    address, requests = server
    urllib.request.urlopen(f"http://{address}/probe", timeout=5).close()
    assert requests == ["/probe"]

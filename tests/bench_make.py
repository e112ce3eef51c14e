"""Benchmarks of ``make`` itself (issue 19), side by side in one run (``make bench``):

- ``plainleaf all`` (what ``make`` runs) with nothing changed, after a full run: target under 2 s;
- ``plainleaf all`` after one changed Spanish entry: it should cost the changed products' render and their audit,
  nothing else (the figure is printed with what was built and audited);
- the audit in full (``--force``) against the incremental audit with nothing changed, and their ratio;
- one EPUB built, Latin (Spanish) and Chinese, with HarfBuzz's subsetter and with fontTools' (the path before issue
  19), and their ratio: target under 1 s a Chinese book.

Each runs as ``python -m pipeline`` in a fresh interpreter on a copy of the shipped project in a temporary folder,
timed from outside (wall time, start-up included), the best of a few runs where a run is cheap. The machine's two
cores are shared: run it on a quiet machine, and read the load average printed beside the figures.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polib
from commands import copy_shipped

REPO = Path(__file__).resolve().parent.parent
TARGETS = {"no-op make": 2.0, "CJK EPUB": 1.0}
"""Seconds each may take at most."""
ENTRY = "Pancreatic Cancer: Immune Treatments and Trials"
"""The Spanish entry changed (the summary's title)."""
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "CI": "1"}


def plainleaf(project: Path, *args: str, code: str = "") -> tuple[float, str]:
    """Wall time and output of ``plainleaf ARGS`` in a fresh interpreter (``code`` run first, in the same one)."""
    program = f"{code}\nimport sys\nfrom pipeline.cli import main\nsys.exit(main({list(args)!r}))"
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", program], cwd=project, capture_output=True, text=True, env=ENV)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"plainleaf {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return seconds, done.stdout + done.stderr


def best(rounds: int, project: Path, *args: str, code: str = "") -> tuple[float, str]:
    """The best of ``rounds`` runs (the least disturbed by the machine's other work), with its output."""
    runs = [plainleaf(project, *args, code=code) for _ in range(rounds)]
    return min(runs, key=lambda run: run[0])


def change_spanish_entry(project: Path) -> None:
    """Change the translation of one entry of the Spanish summary (its title), as a translator would."""
    path = project / "locales" / "es" / "LC_MESSAGES" / "summary.po"
    catalog = polib.pofile(str(path))
    entry = next(e for e in catalog if e.msgid == ENTRY)
    entry.msgstr = "Cáncer de páncreas: tratamientos inmunitarios y estudios clínicos"
    catalog.save(str(path))


def _line(output: str, prefix: str) -> str:
    return next((line for line in output.splitlines() if line.startswith(prefix)), f"({prefix} not printed)")


def step_seconds(output: str) -> dict[str, str]:
    """Each step's seconds as ``plainleaf all`` prints them (``all: check: 0.1 s``)."""
    return dict(re.findall(r"^all: (\w+): ([\d.]+) s$", output, re.MULTILINE))


def book_seconds(output: str) -> float:
    """The time the build reports for its one EPUB job (``built  zh_Hans guide-epub  EPUB, 0.3 s``)."""
    found = re.search(r"guide-epub\S*\s+EPUB, ([\d.]+) s", output)
    if found is None:
        raise SystemExit(f"no EPUB job time in the build's output:\n{output}")
    return max(float(found.group(1)), 0.05)  # printed to 0.1 s


FONTTOOLS = "import pipeline.render.subset as s; s._harfbuzz = lambda: None"
"""Run first in the child: HarfBuzz's subsetter reported missing, so EPUB fonts are subset by fontTools as before."""


def main() -> int:
    print(f"load average before: {' '.join(f'{value:.1f}' for value in os.getloadavg())} (2 cores)")
    failures = []
    with tempfile.TemporaryDirectory(prefix="plainleaf-bench-make-") as folder:
        project = copy_shipped(Path(folder) / "project")
        first, _ = plainleaf(project, "all")
        print(f"first plainleaf all (everything built, audited) : {first:7.2f} s")

        noop, output = best(3, project, "all")
        print(f"no-op plainleaf all (make, nothing changed)      : {noop:7.2f} s   target < {TARGETS['no-op make']}")
        print(f"    {_line(output, 'build:')}\n    {_line(output, 'audit:')}")
        quiet_steps = step_seconds(output)

        change_spanish_entry(project)
        changed, output = plainleaf(project, "all")
        print(f"plainleaf all after one changed Spanish entry    : {changed:7.2f} s")
        print(f"    {_line(output, 'build:')}\n    {_line(output, 'audit:')}")
        steps = step_seconds(output)
        print(
            "    seconds per step, no-op / after the change: "
            + ", ".join(f"{name} {quiet_steps.get(name, '-')}/{seconds}" for name, seconds in steps.items())
        )
        print(
            "    (check measures Spanish again and readability the changed product only: their other results are"
            " read back)"
        )
        built = re.search(r"build: \d+ products: (\d+) built", output)
        audited = re.search(r"\((\d+) reused from the last audit, (\d+) audited\)", output)
        if built and audited:
            print(f"    rendered {built.group(1)} products, audited {audited.group(2)}: nothing else")

        full, _ = plainleaf(project, "audit", "--force")
        incremental, output = best(3, project, "audit")
        print(f"full audit (--force)                             : {full:7.2f} s")
        print(f"incremental audit, nothing changed               : {incremental:7.2f} s")
        print(f"ratio full / incremental                         : {full / incremental:7.1f}x")

        figures = {}
        for code, name in (("es", "Latin (Spanish)"), ("zh_Hans", "Chinese")):
            select = ("build", "--product", "epub", "--locale", code, "--document", "guide", "--force")
            fast = min(book_seconds(plainleaf(project, *select)[1]) for _ in range(3))
            slow = min(book_seconds(plainleaf(project, *select, code=FONTTOOLS)[1]) for _ in range(2))
            figures[code] = fast
            print(f"EPUB guide, {name:<16} HarfBuzz / fontTools : {fast:7.2f} s / {slow:6.2f} s  ({slow / fast:.1f}x)")
        print("    (the book's own job time as the build reports it, without interpreter start-up and planning)")
        if noop > TARGETS["no-op make"]:
            failures.append("no-op make")
        if figures["zh_Hans"] > TARGETS["CJK EPUB"]:
            failures.append("CJK EPUB")
    print(f"load average after : {' '.join(f'{value:.1f}' for value in os.getloadavg())}")
    print("all targets met" if not failures else f"targets missed: {', '.join(failures)}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Test helper: the small sample project of ``tests/roots/basic`` and the ``plainleaf`` command run on it."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

BASIC = Path(__file__).parent / "roots" / "basic"
"""A small project: pyproject, a guide, catalogs."""
SHIPPED = Path(__file__).resolve().parent.parent
"""The project as it ships: the clinical-trials guide, handout and summary in five languages."""


def copy_shipped(target: Path) -> Path:
    """A copy of the shipped project (sources, catalogs, layouts, configuration) at ``target``, which must not
    exist yet; no output."""
    target.mkdir(parents=True)
    for name in ("source", "locales", "layouts"):
        shutil.copytree(SHIPPED / name, target / name)
    shutil.copy(SHIPPED / "pyproject.toml", target / "pyproject.toml")
    return target


def copy_built(project: Path, target: Path) -> Path:
    """A copy of a built project (``conftest.shipped_all``) at ``target``, its output, build manifest and kept
    audit results included, so that a build or audit there redoes only what changed since."""
    shutil.copytree(project, target, symlinks=True)
    return target


def all_result(project: Path) -> dict[str, object]:
    """Exit status, stdout and stderr of the ``plainleaf all`` that built ``conftest.shipped_all``."""
    result: dict[str, object] = json.loads((project.parent / "all.json").read_text(encoding="utf-8"))
    return result


def copy_basic(tmp_path: Path) -> Path:
    """A fresh copy of the basic project under ``tmp_path``."""
    target = tmp_path / "project"
    shutil.copytree(BASIC, target)
    return target


def plainleaf(project: Path, *args: str, epoch: str = "1700000000") -> subprocess.CompletedProcess[str]:
    """``python -m pipeline ARGS`` in ``project`` with a fixed SOURCE_DATE_EPOCH; output captured, never raising."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch}
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args], cwd=project, env=env, capture_output=True, text=True, check=False
    )


def run_fresh(project: Path, argv: list[str], modules: tuple[str, ...]) -> tuple[int, dict[str, bool], str]:
    """``plainleaf ARGV`` through :func:`pipeline.cli.main` in a fresh interpreter in ``project``: its exit status,
    whether each of ``modules`` got imported, and everything it printed."""
    code = (
        "import sys\nfrom pipeline.cli import main\n"
        f"status = main({argv!r})\n"
        f"print([name in sys.modules for name in {list(modules)!r}], status)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True, check=True)
    imported, status = result.stdout.splitlines()[-1].rsplit(" ", 1)
    flags = [part.strip() == "True" for part in imported.strip("[]").split(",")]
    return int(status), dict(zip(modules, flags, strict=True)), result.stdout + result.stderr


def index_rows(root: Path) -> dict[str, str]:
    """``{"en handout": "<td>...</td>...", "vi guide-web": ...}``: each product's row of ``output/index.html``, by
    its language tag and file stem."""
    page = (root / "output" / "index.html").read_text(encoding="utf-8")
    found = {}
    for table in page.split("<table>")[1:]:
        tag = re.search(r'<span lang="en">\((.+?)\)</span></caption>', table)
        assert tag is not None
        for stem, row in re.findall(r'<tr data-product="(.+?)"[^>]*>(.*?)</tr>', table, re.DOTALL):
            found[f"{tag.group(1)} {stem}"] = row
    return found


def page_boxes(rendered: Any) -> Iterator[tuple[int, Any]]:
    """Every layout box of a rendered product (a ``RenderedProduct``), depth first in document order, with its page
    number from 1."""
    for number, page in enumerate(rendered.layout.document.pages, 1):
        stack = [page._page_box]
        while stack:
            box = stack.pop()
            yield number, box
            stack.extend(reversed(getattr(box, "children", [])))

"""Test helper: the small sample project of ``tests/roots/basic`` and the ``plainleaf`` command run on it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

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

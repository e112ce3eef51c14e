"""Errors a person can act on, each naming the file, the line and what is wrong; and how bad a finding is."""

from __future__ import annotations

import enum
from pathlib import Path


def shown(path: Path, root: Path | None = None) -> str:
    """``path`` as a person reads it in a message or report: relative to ``root`` (the project; by default the
    working folder) when inside it, else as given."""
    try:
        return path.resolve().relative_to((root or Path.cwd()).resolve()).as_posix()
    except ValueError:
        return str(path)


class PipelineError(Exception):
    """Base of every error the command line turns into one line and exit status 1."""

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        where = self.path or ""
        if where and self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}" if where else self.message


class ConfigError(PipelineError):
    """Configuration (``[tool.plainleaf]``, ``clinic.toml``) is missing, malformed or invalid."""


class SourceError(PipelineError):
    """A Markdown source cannot be read or parsed."""


class CatalogError(PipelineError):
    """A PO or POT file cannot be read, parsed or written."""


class RenderError(PipelineError):
    """A product cannot be rendered safely or correctly: unsafe input, a missing font or glyph, a broken layout.

    Defined here, not in ``render/``, because the format registry (``formats.py``, shared) raises it too."""


class Severity(enum.Enum):
    """How bad a finding of any check is (translation checks, the audit). Errors fail the command; warnings only
    with ``--strict``; a limitation says what could not be checked (never shown as a pass); information is neither."""

    ERROR = "error"
    WARNING = "warning"
    LIMITATION = "not checked"
    INFO = "info"

"""The commands of ``plainleaf``, one module each (after MkDocs's ``mkdocs/commands/``).

Each module has ``HELP``, ``add_arguments(parser)``, ``options(args)`` turning the parsed arguments into that
command's typed options, and ``run(context, options)``, which calls the library and prints what it did. Only the
commands and :mod:`pipeline.cli` write to the terminal. What they share (exit codes, the project's configuration,
locale selection, paths as a person reads them) lives here, once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.config import Config, find_config, load_config
from pipeline.errors import ConfigError, shown

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2
"""Exit statuses: success, findings or failure, wrong usage."""


@dataclass(slots=True)
class Context:
    """What every command gets besides its own options."""

    config_file: Path | None = None
    """``--config``: the pyproject.toml to use; None for the nearest one above the working folder."""
    debug: bool = False
    """``--debug``: tracebacks and debug messages."""
    verbose: bool = False
    """``-v``: every line of every step (each file written, each product's findings); else a summary per step."""
    _config: Config | None = field(default=None, repr=False)

    def config(self) -> Config:
        """The project's configuration, loaded and validated once."""
        if self._config is None:
            self._config = load_config(self.config_file or find_config(Path.cwd()))
        return self._config

    def shown(self, path: Path) -> str:
        """``path`` relative to the project, for messages."""
        return shown(path, self.config().root)


def select_locales(
    config: Config, wanted: Sequence[str] | None, *, source: bool = False, pseudo: bool = False
) -> list[str] | None:
    """The configured locale codes named in ``wanted`` (``es-MX`` and ``es_MX`` alike); None when none are named.

    ``source`` also allows the source language (a product exists in it), ``pseudo`` the pseudo-locales. Any other
    code is a configuration error naming what is configured."""
    if not wanted:
        return None
    from pipeline.languages import pseudo_tags

    allowed = [*([config.source_language] if source else []), *config.locale_codes]
    chosen = []
    for code in wanted:
        normal = code.replace("-", "_")
        if normal not in allowed and not (pseudo and normal in pseudo_tags()):
            known = ", ".join(allowed) or "none"
            raise ConfigError(f"locale {code!r} is not configured in [tool.plainleaf].locales (configured: {known})")
        chosen.append(normal)
    return chosen


def catalog_locales(config: Config, wanted: Sequence[str] | None) -> list[str]:
    """The translated locales a catalog command works on: those named, else every configured one."""
    return select_locales(config, wanted) or config.locale_codes

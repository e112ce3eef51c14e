"""``plainleaf all``: the main job that ``make`` runs: extract, update, stats, readability, build, audit."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipeline.commands import EXIT_OK, Context

HELP = "the main job: extract, update, stats, readability, build and audit"


@dataclass(slots=True)
class AllOptions:
    """What the main job needs besides the project."""

    clinic: Path | None = None
    """Clinic file; None for ``clinic.toml`` of the project when there is one."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``plainleaf all``."""
    parser.add_argument("--clinic", metavar="CLINIC.toml", help="clinic details (default: clinic.toml if present)")


def options(args: argparse.Namespace) -> AllOptions:
    """Typed options from the parsed arguments."""
    return AllOptions(Path(args.clinic) if args.clinic else None)


def run(context: Context, options: AllOptions) -> int:
    """Each step with its own explicit options, in data-flow order; the first that fails ends the job."""
    from pipeline.builder.jobs import BuildOptions
    from pipeline.catalogs.project import layouts_dir
    from pipeline.commands import audit, build, extract, readability, stats, update

    steps: list[Callable[[], int]] = [
        lambda: extract.run(context, extract.ExtractOptions()),
        lambda: update.run(context, update.UpdateOptions()),
        lambda: stats.run(context, stats.StatsOptions()),
        lambda: readability.run(context, readability.ReadabilityOptions()),
    ]
    if layouts_dir(context.config()).is_dir():
        build_options = BuildOptions(workers=build.default_workers(), clinic=options.clinic)
        steps += [lambda: build.run(context, build_options), lambda: audit.run(context, audit.AuditOptions())]
    else:
        print("no layouts/ folder: no print products to render or audit")
    for step in steps:
        status = step()
        if status != EXIT_OK:
            return status
    return EXIT_OK

"""``plainleaf all``: the main job that ``make`` runs: extract, update, stats, check, readability, build, audit."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipeline.commands import EXIT_FAILURE, EXIT_OK, Context

HELP = "the main job: extract, update, stats, check, readability, build and audit"


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
    """Each step with its own explicit options, in data-flow order. The first that fails ends the job, except the
    translation check and products held back by it: their findings are printed, everything else is still built
    and audited, and the job ends with exit status 1 and one closing line saying what was held back."""
    from pipeline.builder.jobs import BuildOptions
    from pipeline.commands import audit, build, check, extract, readability, stats, update

    held: list[str] = []

    def build_step() -> int:
        status, report = build.build_with_report(context, build_options)
        if report is not None and report.held and not report.failures:
            held.extend(outcome.name for outcome in report.held)
            return EXIT_OK  # held back, not broken: audit what was built, then fail
        return status

    steps: list[Callable[[], int]] = [
        lambda: extract.run(context, extract.ExtractOptions()),
        lambda: update.run(context, update.UpdateOptions()),
        lambda: stats.run(context, stats.StatsOptions()),
    ]
    build_options = BuildOptions(workers=build.default_workers(), clinic=options.clinic)
    for step in steps:
        status = step()
        if status != EXIT_OK:
            return status
    check_status = check.run(context, check.CheckOptions())  # findings printed; the build holds back what fails
    later: list[Callable[[], int]] = [lambda: readability.run(context, readability.ReadabilityOptions())]
    if context.config().layouts_dir.is_dir():
        later += [build_step, lambda: audit.run(context, audit.AuditOptions())]
    else:
        print("no layouts/ folder: no print products to render or audit")
    for step in later:
        status = step()
        if status != EXIT_OK:
            return status
    failed = bool(held) or check_status != EXIT_OK
    if held:
        print(
            f"all: {len(held)} product{'s' if len(held) != 1 else ''} held back by translation check"
            f" errors, not printed ({', '.join(held)}); everything else was built and audited",
            file=sys.stderr,
        )
    elif check_status != EXIT_OK:
        print(
            "all: the translation check found errors (above); no print product was held back by them", file=sys.stderr
        )
    print(f"all: {'failed' if failed else 'done'}: {_desk_line(context)}", file=sys.stderr)
    return EXIT_FAILURE if failed else EXIT_OK


def _desk_line(context: Context) -> str:
    """The products held back, behind their source and waiting for review, from the build's manifest."""
    from pipeline.builder.editions import desk_counts
    from pipeline.builder.manifest import load_manifest

    config = context.config()
    manifest = load_manifest(config.path(config.output_dir))
    if manifest.plan is None:
        return "no print products"
    return desk_counts(manifest.plan.jobs, manifest.jobs).line()

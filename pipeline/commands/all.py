"""``plainleaf all``: the main job that ``make`` runs: extract, update, stats, check, readability, build, audit."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipeline.commands import EXIT_FAILURE, EXIT_OK, Context

HELP = "the main job: extract, update, stats, check, readability, build and audit"
LOCKS_PROJECT = True
"""Writes the project's files: one run at a time (:mod:`pipeline.lock`)."""


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
    """Each step with its own explicit options, in data-flow order, each followed by the seconds it took. The first
    that fails ends the job, except the translation check, products held back by it and products that failed to
    build: their findings are printed, everything else is still built and audited (so the audit report is always
    written after a build), and the job ends with exit status 1 and one closing line saying what went wrong."""
    from pipeline.builder.jobs import BuildOptions
    from pipeline.commands import audit, build, check, extract, readability, stats, update

    held: list[str] = []
    build_failed: list[int] = []

    def build_step() -> int:
        status, report = build.build_with_report(context, build_options)
        if report is not None and report.held and not report.failures:
            held.extend(outcome.name for outcome in report.held)
            return EXIT_OK  # held back, not broken: audit what was built, then fail
        if status != EXIT_OK and report is not None:
            build_failed.append(status)
            return EXIT_OK  # a product that failed must not keep the others from the audit: fail after it
        return status

    def timed(name: str, step: Callable[[], int]) -> int:
        started = time.perf_counter()
        status = step()
        print(f"all: {name}: {time.perf_counter() - started:.1f} s")
        return status

    steps: list[tuple[str, Callable[[], int]]] = [
        ("extract", lambda: extract.run(context, extract.ExtractOptions())),
        ("update", lambda: update.run(context, update.UpdateOptions())),
        ("stats", lambda: stats.run(context, stats.StatsOptions())),
    ]
    build_options = BuildOptions(workers=build.default_workers(), clinic=options.clinic)
    for name, step in steps:
        status = timed(name, step)
        if status != EXIT_OK:
            return status
    # findings printed; the build holds back what fails
    check_status = timed("check", lambda: check.run(context, check.CheckOptions()))
    later: list[tuple[str, Callable[[], int]]] = [
        ("readability", lambda: readability.run(context, readability.ReadabilityOptions()))
    ]
    audit_status: list[int] = []

    def audit_step() -> int:
        audit_status.append(audit.run(context, audit.AuditOptions()))
        return EXIT_OK  # the desk is brought up to date with the verdicts first, then the job fails

    def desk_step() -> int:
        from pipeline.builder.core import build as run_build

        report = run_build(context.config(), build_options)  # nothing to render: writes the desk if it changed
        print(f"all: print desk {'updated with the audit' if report.index_written else 'unchanged'}")
        return EXIT_OK

    if context.config().layouts_dir.is_dir():
        later += [("build", build_step), ("audit", audit_step), ("desk", desk_step)]
    else:
        print("no layouts/ folder: no print products to render or audit")
    for name, step in later:
        status = timed(name, step)
        if status != EXIT_OK:
            return status
    audit_failed = bool(audit_status) and audit_status[0] != EXIT_OK
    failed = bool(held) or check_status != EXIT_OK or bool(build_failed) or audit_failed
    if audit_failed:
        print("all: a product fails its accessibility audit (above; see output/reports/audit.html)", file=sys.stderr)
    if build_failed:
        print("all: a product failed to build (above); the others were built and audited", file=sys.stderr)
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

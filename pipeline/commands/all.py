"""``plainleaf all``: the main job that ``make`` runs: extract, update, stats, check, readability, build, audit.

Quiet by default: each step that lists every file or row it went through (extract, update, stats, readability,
build) says one summary line instead, and the details are in the reports (``output/reports/``, ``index.html``);
a step that fails prints everything it said. The translation check's findings, the audit's errors and every warning
are always shown. ``-v`` shows every line of every step.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import re
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
    built: list[str] = []
    build_failed: list[int] = []

    def build_step() -> int:
        status, report = build.build_with_report(context, build_options)
        if report is not None:
            counts = [(report.count(name), name) for name in ("built", "up to date", "held back", "failed", "skipped")]
            behind = report.count("to build")
            built.append(
                f"build: {len(report.outcomes)} products: "
                + ", ".join(f"{count} {name}" for count, name in counts)
                + (f", {behind} still to build" if behind else "")
            )
        if report is not None and report.held and not report.failures:
            held.extend(outcome.name for outcome in report.held)
            return EXIT_OK  # held back, not broken: audit what was built, then fail
        if status != EXIT_OK and report is not None:
            build_failed.append(status)
            return EXIT_OK  # a product that failed must not keep the others from the audit: fail after it
        return status

    def summarise_build(_text: str) -> str:
        return built[-1] if built else "build: nothing built"

    def timed(name: str, step: Callable[[], int]) -> int:
        started = time.perf_counter()
        status = step()
        print(f"all: {name}: {time.perf_counter() - started:.1f} s")
        return status

    steps: list[tuple[str, Callable[[], int]]] = [
        (
            "extract",
            lambda: _quietly(
                context, lambda: extract.run(context, extract.ExtractOptions()), _files_summary("extract")
            ),
        ),
        (
            "update",
            lambda: _quietly(context, lambda: update.run(context, update.UpdateOptions()), _files_summary("update")),
        ),
        ("stats", lambda: _quietly(context, lambda: stats.run(context, stats.StatsOptions()), _stats_summary)),
    ]
    build_options = BuildOptions(workers=build.default_workers(), clinic=options.clinic)
    for name, step in steps:
        status = timed(name, step)
        if status != EXIT_OK:
            return status
    # findings printed; the build holds back what fails
    check_status = timed("check", lambda: check.run(context, check.CheckOptions(notes=context.verbose)))
    later: list[tuple[str, Callable[[], int]]] = [
        (
            "readability",
            lambda: _quietly(
                context, lambda: readability.run(context, readability.ReadabilityOptions()), _readability_summary
            ),
        )
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
        later += [
            ("build", lambda: _quietly(context, build_step, summarise_build)),
            ("audit", audit_step),
            ("desk", desk_step),
        ]
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


def _quietly(context: Context, step: Callable[[], int], summary: Callable[[str], str]) -> int:
    """Run ``step`` with what it prints kept back, then print ``summary`` of it; everything it printed when it
    fails (or with ``-v``, where nothing is kept back)."""
    if context.verbose:
        return step()
    said = io.StringIO()
    status = EXIT_FAILURE
    try:
        with contextlib.redirect_stdout(said):
            status = step()
    finally:
        if status != EXIT_OK:
            sys.stdout.write(said.getvalue())
    if status == EXIT_OK:
        print(summary(said.getvalue()))
    return status


def _files_summary(step: str) -> Callable[[str], str]:
    """``extract: 5 files, 0 written, 5 unchanged``: of a step printing one line per file, ending ``(unchanged)``
    when it is."""

    def summary(text: str) -> str:
        lines = [line for line in text.splitlines() if line.strip()]
        changed = [line.split(":", 1)[0] for line in lines if not line.endswith("(unchanged)")]
        named = f" ({', '.join(changed)})" if 0 < len(changed) <= 3 else ""
        return f"{step}: {len(lines)} files, {len(changed)} written{named}, {len(lines) - len(changed)} unchanged"

    return summary


def _stats_summary(text: str) -> str:
    """``stats: 16 catalogs, 14 complete; not complete: es guide 98%, vi summary 0%``: of the stats table (a row per
    catalog: locale, domain, percentage done)."""
    rows = re.findall(r"^(\S+)\s+(\S+)\s+(\d+)%", text, re.MULTILINE)
    behind = [f"{locale} {domain} {percent}%" for locale, domain, percent in rows if percent != "100"]
    shown = ", ".join(behind[:6]) + (f" and {len(behind) - 6} more" if len(behind) > 6 else "")
    return f"stats: {len(rows)} catalogs, {len(rows) - len(behind)} complete" + (
        f"; not complete: {shown}" if behind else ""
    )


def _readability_summary(text: str) -> str:
    """The readability table's closing counts and where the report is."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    report = next((line for line in lines if line.startswith("report: ")), "")
    counts = next((line for line in reversed(lines) if not line.startswith("report: ")), "")
    return f"readability: {counts}" + (f"; {report}" if report else "")

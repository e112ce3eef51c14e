"""``plainleaf build``: the print products whose inputs changed, in parallel (progress, closing table, exit status).

A progress bar (tqdm) on a terminal; plain lines, one per finished job, when output is piped or in CI (``CI`` set)
or on a dumb terminal; no colour when ``NO_COLOR`` is set.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import os
import shutil
import sys
from pathlib import Path
from typing import IO, Any

from pipeline.builder.jobs import EXECUTORS, PRODUCT_NAMES, STATUSES, BuildOptions, BuildReport, JobOutcome, parse_shard
from pipeline.commands import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, Context, select_locales
from pipeline.config import Config
from pipeline.errors import ConfigError

HELP = "build the print products that changed, in parallel (or on a Dask cluster)"


def LOCKS_PROJECT(options: BuildOptions) -> bool:
    """One build at a time (:mod:`pipeline.lock`), except shards, which are meant to run side by side."""
    return options.shard is None


def default_workers() -> int:
    """CPUs this process may run on."""
    counter = getattr(os, "process_cpu_count", None)
    if counter is not None:
        return int(counter() or 1)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1, got {value}")
    return value


def _shard(text: str) -> Any:
    try:
        return parse_shard(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``plainleaf build``."""
    select = parser.add_argument_group("what to build")
    select.add_argument("--locale", action="append", metavar="L", help="only this locale (repeatable; the source"
                        " language may be named)")  # fmt: skip
    select.add_argument("--product", action="append", choices=PRODUCT_NAMES, help="only this product (repeatable)")
    select.add_argument("--document", action="append", metavar="NAME",
                        help="only products of source/NAME.md (repeatable)")  # fmt: skip
    select.add_argument("--shard", type=_shard, metavar="K/N",
                        help="only share K of N of the jobs (stable across machines)")  # fmt: skip
    select.add_argument("--pseudo", action="store_true", help="also the pseudo-locales en-XA and ar-XB")
    select.add_argument("--draft", action="store_true", help="build incomplete translations as marked drafts")
    select.add_argument("--threshold", type=float, default=100.0, metavar="PCT", help="percent translated needed")
    select.add_argument("--clinic", metavar="CLINIC.toml", help="clinic details (default: clinic.toml if present)")
    run_group = parser.add_argument_group("how")
    run_group.add_argument("-j", "--jobs", type=_positive, metavar="N",
                           help=f"worker processes (default: the CPUs here, {default_workers()})")  # fmt: skip
    run_group.add_argument("--force", action="store_true", help="rebuild every selected product, even up to date")
    run_group.add_argument("--dry-run", action="store_true", help="say what would be built; build nothing")
    run_group.add_argument("-v", "--verbose", action="store_true",
                           help="list every job at the end, up-to-date ones too, with its pages")  # fmt: skip
    run_group.add_argument("--executor", choices=EXECUTORS, default="process",
                           help="worker processes here (default), or a Dask distributed cluster")  # fmt: skip
    run_group.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler address, such as tcp://host:8786")
    run_group.add_argument("--no-grades", dest="grades", action="store_false",
                           help="leave the reading-grade column of the index empty")  # fmt: skip


def options(args: argparse.Namespace) -> BuildOptions:
    """Typed options from the parsed arguments (:func:`run` checks locales and documents against the project)."""
    return BuildOptions(
        locales=args.locale, products=args.product, documents=args.document, shard=args.shard, force=args.force,
        dry_run=args.dry_run, workers=args.jobs or default_workers(), executor=args.executor,
        scheduler=args.scheduler, draft=args.draft, threshold=args.threshold, pseudo=args.pseudo,
        clinic=Path(args.clinic) if args.clinic else None, grades=args.grades, verbose=args.verbose,
    )  # fmt: skip


def _checked(config: Config, options: BuildOptions) -> BuildOptions:
    """``options`` with locale codes normalised and every locale and document known to the project."""
    locales = select_locales(config, options.locales, source=True, pseudo=options.pseudo)
    documents = None
    if options.documents is not None:
        available = {path.stem for path in config.documents()}
        documents = [Path(name).stem for name in options.documents]
        for name in documents:
            if name not in available:
                raise ConfigError(f"no document {name}.md in {config.path(config.source_dir)}")
    return dataclasses.replace(options, locales=locales, documents=documents)


def interactive(stream: IO[str]) -> bool:
    """Whether to draw a progress bar: a terminal, not CI, not a dumb terminal."""
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and not os.environ.get("CI") and os.environ.get("TERM") != "dumb"


def colour_allowed(stream: IO[str]) -> bool:
    """Colour only on an interactive terminal and never with ``NO_COLOR`` (https://no-color.org)."""
    return interactive(stream) and not os.environ.get("NO_COLOR")


def _describe(outcome: JobOutcome) -> str:
    """What a built product is, true for its format (:mod:`pipeline.formats`): ``24 pages`` (PDF), ``26
    braille pages``, ``web page`` or ``EPUB`` (these have no pages: the reader's device lays them out)."""
    if outcome.status in ("built", "up to date"):
        from pipeline.formats import default_formats

        formats = default_formats()
        # An alternative format's products are named after it; every other product is print.
        product = outcome.id.split("/")[-1]
        kind = formats.get(product) or next(entry for entry in formats.values() if entry.print)
        pages = kind.page_count(outcome.pages) or kind.noun
        return pages + (", draft" if outcome.draft else "") + (f", {outcome.seconds:.1f} s" if outcome.seconds else "")
    return outcome.reason or ""


class PlainProgress:
    """One line per finished job, for logs and pipes."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.total = 0
        self.done = 0

    def started(self, total: int) -> None:
        self.total = total
        if total:
            print(f"build: rendering {total} job{'s' if total != 1 else ''}", file=self.stream, flush=True)

    def finished(self, outcome: JobOutcome) -> None:
        self.done += 1
        width = len(str(self.total))
        print(f"[{self.done:>{width}}/{self.total}] {outcome.status:<7} {outcome.name}: {_describe(outcome)}",
              file=self.stream, flush=True)  # fmt: skip

    def close(self) -> None:
        pass


class BarProgress:
    """A tqdm progress bar on the terminal; failures are printed above it as they happen."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.bar: Any = None

    def started(self, total: int) -> None:
        if not total:
            return
        from tqdm import tqdm

        tqdm.monitor_interval = 0  # no monitor thread: worker processes are forked after this
        sized = shutil.get_terminal_size((0, 0)).columns > 0  # a pseudo-terminal may have no size: assume 80
        self.bar = tqdm(total=total, desc="rendering", unit="job", file=self.stream, leave=False,
                        dynamic_ncols=sized, ncols=None if sized else 80)  # fmt: skip

    def finished(self, outcome: JobOutcome) -> None:
        if self.bar is None:
            return
        if outcome.status == "failed":
            self.bar.write(f"failed {outcome.name}: {outcome.reason}", file=self.stream)
        self.bar.set_postfix_str(outcome.name, refresh=False)
        self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def closing_table(report: BuildReport, colour: bool = False, verbose: bool = False) -> str:
    """Counts per status, then one line per job that was built, skipped, held back or failed (up-to-date ones are only
    counted, unless ``verbose``)."""
    colours = {"failed": "31", "held back": "31", "built": "32", "skipped": "33"} if colour else {}

    def paint(status: str, width: int) -> str:
        code = colours.get(status)
        return f"\033[{code}m{status:<{width}}\033[0m" if code else f"{status:<{width}}"

    lines = [f"{'status':<11} {'jobs':>5}"]
    for status in STATUSES:
        count = report.count(status)
        if count or status != "to build":
            lines.append(f"{paint(status, 11) if count else f'{status:<11}'} {count:>5}")
    details = [o for o in report.outcomes if verbose or o.status != "up to date"]
    if details:
        width = max(len(o.name) for o in details)
        lines.append("")
        order = {status: index for index, status in enumerate(STATUSES)}
        for outcome in sorted(details, key=lambda o: (order.get(o.status, 9), o.id)):
            lines.append(f"{paint(outcome.status, 8)} {outcome.name:<{width}}  {_describe(outcome)}".rstrip())
    return "\n".join(lines)


def run(context: Context, options: BuildOptions) -> int:
    """Build, show progress and the closing table; exit status 0, 1 when a job failed or a product was held back
    by translation check errors (after building everything else), 2 for wrong usage."""
    return build_with_report(context, options)[0]


def build_with_report(context: Context, options: BuildOptions) -> tuple[int, BuildReport | None]:
    """What :func:`run` does, with the build's report (None when it did not build) for ``plainleaf all``."""
    from pipeline.builder.core import build

    if options.executor == "dask" and not options.scheduler:
        print("plainleaf: error: --executor dask needs --scheduler ADDRESS", file=sys.stderr)
        return EXIT_USAGE, None
    if options.scheduler and options.executor != "dask":
        print("plainleaf: error: --scheduler is for --executor dask", file=sys.stderr)
        return EXIT_USAGE, None
    if not context.debug:
        for name in ("weasyprint", "fontTools"):
            logging.getLogger(name).setLevel(logging.ERROR)
    config = context.config()
    options = _checked(config, options)
    progress: PlainProgress | BarProgress = (
        BarProgress(sys.stderr) if interactive(sys.stderr) else PlainProgress(sys.stdout)
    )
    try:
        report = build(config, options, progress)
    finally:
        progress.close()
    for warning in report.warnings:
        print(f"plainleaf: warning: {warning}", file=sys.stderr)
    if report.rendered_here and not report.planned:
        print("build: nothing to build (no layouts/ folder, or no documents with a print product)")
        return EXIT_OK, report
    print(closing_table(report, colour_allowed(sys.stdout), options.verbose))
    selected = len(report.outcomes)
    shard = f", shard {options.shard}" if options.shard else ""
    index = "" if options.dry_run else (" index.html written;" if report.index_written else " index.html unchanged;")
    print(f"build: {selected} of {report.planned} jobs{shard};{index} {report.seconds:.1f} s")
    for outcome in report.failures:
        print(f"plainleaf: error: {outcome.name} failed: {outcome.reason}", file=sys.stderr)
        if outcome.detail and context.debug:
            print(outcome.detail, file=sys.stderr)
    for path in report.removed:
        print(f"build: removed {context.shown(path)}: its document, language or product is no longer in the project")
    for path in report.strangers:
        print(f"plainleaf: warning: {context.shown(path)}: not made by a build (or changed since): left alone",
              file=sys.stderr)  # fmt: skip
    for outcome in report.held:
        print(f"plainleaf: error: {outcome.name} held back: {outcome.reason}", file=sys.stderr)
    if report.held:
        count = len(report.held)
        print(f"build: {count} product{'s' if count != 1 else ''} held back by translation check errors, not"
              " printed: fix the entries named (plainleaf check), or build marked drafts with --draft",
              file=sys.stderr)  # fmt: skip
    return (EXIT_FAILURE if report.failures or report.held else EXIT_OK), report

"""``plainleaf readability``: every product in every language scored against its plain-language targets."""

from __future__ import annotations

import argparse
import json
import logging
from dataclasses import dataclass

from pipeline.commands import EXIT_FAILURE, EXIT_OK, Context, catalog_locales

HELP = "score readability per product and language against targets"
log = logging.getLogger("pipeline")


@dataclass(slots=True)
class ReadabilityOptions:
    """Which languages, and how shown."""

    locales: list[str] | None = None
    """Only these translated locales (the source language is always measured); None for every configured one."""
    json: bool = False
    """Machine-readable report."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``plainleaf readability``."""
    parser.add_argument("--locale", action="append", metavar="L", help="only this locale (repeatable)")
    parser.add_argument("--json", action="store_true", help="machine-readable report (schema in the README)")


def options(args: argparse.Namespace) -> ReadabilityOptions:
    """Typed options from the parsed arguments."""
    return ReadabilityOptions(args.locale, args.json)


def run(context: Context, options: ReadabilityOptions) -> int:
    """Measure, write ``output/reports/readability.html``, print; exit 1 when a product misses a blocking target.
    An advisory miss, a row not checked or without a target is warned of (amber in the report) but exits 0."""
    from pipeline.atomic import write_text
    from pipeline.catalogs.pofile import catalog_date
    from pipeline.readability.products import measure_products
    from pipeline.readability.report import render_html, render_table, report_json

    config = context.config()
    reports = measure_products(config, catalog_locales(config, options.locales))
    target = config.path(config.output_dir) / "reports" / "readability.html"
    write_text(target, render_html(reports, catalog_date()))
    if options.json:
        print(json.dumps(report_json(reports), indent=2, ensure_ascii=False))
    else:
        print(render_table(reports))
        print(f"report: {context.shown(target)}")
    for report in reports:
        if report.status == "advisory miss":
            log.warning(
                "%s (%s) misses its advisory readability target: %s",
                report.product,
                report.locale,
                report.result.removeprefix("advisory miss: "),
            )
    failed = [report for report in reports if report.status == "fail"]
    for report in failed:
        log.error(
            "%s (%s) misses its readability target: %s",
            report.product,
            report.locale,
            report.result.removeprefix("fail: "),
        )
    return EXIT_FAILURE if failed else EXIT_OK

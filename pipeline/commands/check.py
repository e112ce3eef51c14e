"""``plainleaf check``: translations against their msgids, for form (markup, placeholders, numbers, terms, safety)
and for meaning (negation, hedges, quantities, units, sentences, language)."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from dataclasses import dataclass

from pipeline.commands import EXIT_FAILURE, EXIT_OK, Context, catalog_locales
from pipeline.errors import Severity

HELP = "check translations (markup, placeholders, numbers, terms, safety, and meaning)"


@dataclass(slots=True)
class CheckOptions:
    """Which catalogs, how strictly, how shown."""

    locales: list[str] | None = None
    """Only these locales; None for every configured one."""
    strict: bool = False
    """Warnings fail too, and fuzzy and untranslated entries are reported as warnings."""
    json: bool = False
    """Machine-readable findings."""
    notes: bool = True
    """Print the notes for the reviewer (merges and splits a translator marked); ``all`` only counts them unless
    ``-v``, so a clinic's ``make`` is not a screen of lines that ask nothing of it."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``plainleaf check``."""
    parser.add_argument("--locale", action="append", metavar="L", help="only this locale (repeatable)")
    parser.add_argument("--json", action="store_true", help="machine-readable findings")
    parser.add_argument(
        "--strict", action="store_true", help="warnings fail too; report fuzzy and untranslated entries"
    )


def options(args: argparse.Namespace) -> CheckOptions:
    """Typed options from the parsed arguments."""
    return CheckOptions(args.locale, args.strict, args.json)


def run(context: Context, options: CheckOptions) -> int:
    """Print every finding and a count; exit 1 on an error (on a warning too with ``--strict``)."""
    from pipeline.catalogs.project import check_project

    config = context.config()
    result = check_project(config, catalog_locales(config, options.locales), strict=options.strict)
    for error in result.unreadable:
        print(f"plainleaf: error: {error}", file=sys.stderr)
    findings = result.findings
    if options.json:
        rows = [{**dataclasses.asdict(f), "severity": f.severity.name.lower()} for f in findings]
        # An unreadable catalog is a finding too: a tool reading only stdout must not take it for a clean one.
        rows += [
            {
                "path": error.path,
                "line": error.line or 1,
                "msgid": "",
                "check": "unreadable",
                "severity": "error",
                "message": error.message,
            }
            for error in result.unreadable
        ]
        print(json.dumps({"findings": rows}, indent=2, ensure_ascii=False))
    else:
        for finding in findings:
            if options.notes or finding.severity is not Severity.INFO:
                print(finding)
    # A note (a sentence merged on purpose, for the reviewer) or what a language's missing table kept from being
    # checked is said, never a failure: --strict fails warnings.
    failing = [
        f for f in findings if f.severity is Severity.ERROR or (options.strict and f.severity is Severity.WARNING)
    ]
    error_count = sum(f.severity is Severity.ERROR for f in findings)
    warning_count = sum(f.severity is Severity.WARNING for f in findings)
    not_checked = sum(f.severity is Severity.LIMITATION for f in findings)
    notes = sum(f.severity is Severity.INFO for f in findings)
    counts = f"{error_count} errors, {warning_count} warnings"
    counts += (f", {not_checked} not checked" if not_checked else "") + (f", {notes} notes" if notes else "")
    unreadable = f", {len(result.unreadable)} unreadable catalogs" if result.unreadable else ""
    print(f"check: {counts}{unreadable}", file=sys.stderr)
    return EXIT_FAILURE if failing or result.unreadable else EXIT_OK

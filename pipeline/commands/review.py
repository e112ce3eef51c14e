"""``plainleaf review``: the entries of a locale that need a reviewer's eyes, sign-offs, and the paper review sheet."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pipeline.commands import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, Context, select_locales

if TYPE_CHECKING:  # imported when used: ``plainleaf --help`` stays cheap
    from pipeline.catalogs.review import CatalogReview, EntryReview

HELP = "list the entries that need review, sign them off, or write the review sheet"


@dataclass(slots=True)
class ReviewOptions:
    """Which locale, and what to do with its entries."""

    locale: str = ""
    """The locale reviewed (one)."""
    json: bool = False
    """Machine-readable list of the entries that need review."""
    sign_off: str | None = None
    """Record a sign-off by this reviewer."""
    all: bool = False
    """Sign off every entry that needs review and can be signed off."""
    entries: list[str] = field(default_factory=list)
    """Sign off these entries: msgids, or lines (``57``, ``guide.po:57``)."""
    date: str | None = None
    """Day of the sign-off (``YYYY-MM-DD``, for work done on paper); None for today."""
    sheet: bool = False
    """Write ``output/reports/review-<locale>.html`` and its PDF."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``plainleaf review``."""
    parser.add_argument("--locale", required=True, metavar="L", help="the locale to review")
    parser.add_argument("--json", action="store_true", help="machine-readable list of the entries that need review")
    parser.add_argument("--sign-off", metavar="NAME", help="record a sign-off by NAME in the PO files")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--all", action="store_true", help="with --sign-off: every entry that needs review")
    which.add_argument(
        "--entry", action="append", default=[], metavar="MSGID_OR_LINE",
        help="with --sign-off: this entry, by msgid or line (57, guide.po:57); repeatable",
    )  # fmt: skip
    parser.add_argument("--date", metavar="YYYY-MM-DD", help="with --sign-off: the day of the review (default today)")
    parser.add_argument("--sheet", action="store_true", help="write output/reports/review-L.html and .pdf")


def options(args: argparse.Namespace) -> ReviewOptions:
    """Typed options from the parsed arguments."""
    return ReviewOptions(args.locale, args.json, args.sign_off, args.all, list(args.entry), args.date, args.sheet)


def _usage(message: str) -> int:
    print(f"plainleaf review: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def run(context: Context, options: ReviewOptions) -> int:
    """List, sign off or write the sheet; exit 1 when a named entry could not be signed off."""
    from pipeline.catalogs.review import review_locale

    if options.sign_off is not None and not (options.all or options.entries):
        return _usage("--sign-off needs --all or --entry MSGID_OR_LINE")
    if options.sign_off is None and (options.all or options.entries or options.date):
        return _usage("--all, --entry and --date go with --sign-off NAME")
    if options.sign_off is not None and options.sheet:
        return _usage("sign off first, then write the sheet (--sheet on its own)")
    config = context.config()
    chosen = select_locales(config, [options.locale])
    assert chosen is not None
    locale = chosen[0]
    if options.sign_off is not None:
        return _sign_off(locale, context, options)
    catalogs = review_locale(config, locale, recover=True)
    if options.sheet:
        from pipeline.render.review_sheet import write_sheet

        written = write_sheet(config, locale, catalogs)
        for path in written:
            print(f"{context.shown(path)}: written")
    needing = [entry for catalog in catalogs for entry in catalog.needing]
    if options.json:
        print(json.dumps({"locale": locale, "entries": [entry.to_json() for entry in needing]}, indent=2,
                         ensure_ascii=False))  # fmt: skip
    elif not options.sheet:
        _print_entries(needing)
    print(_summary(locale, catalogs), file=sys.stderr)
    return EXIT_OK


def _print_entries(needing: list[EntryReview]) -> None:
    from pipeline.catalogs.qa import shorten
    from pipeline.catalogs.review import diff_text, diff_words

    for entry in needing:
        print(f"{entry.path}:{entry.line}: {entry.why}: \u201c{shorten(entry.msgid, 60)}\u201d")
        if entry.sign_off is not None:
            print(f"    signed off {entry.sign_off.date} by {entry.sign_off.reviewer}")
        if entry.previous_source is not None and entry.previous_source != entry.msgid:
            print(f"    source: {diff_text(diff_words(entry.previous_source, entry.msgid))}")
        if entry.previous_translation is not None and entry.previous_translation != entry.translation:
            print(f"    translation: {diff_text(diff_words(entry.previous_translation, entry.translation))}")
        elif entry.sign_off is not None and entry.why != "source changed since sign-off":
            print("    translation: changed (the signed-off text is not in the catalog's git history)")
        for finding in entry.findings:
            print(f"    check: {finding}")


def _summary(locale: str, catalogs: list[CatalogReview]) -> str:
    from pipeline.catalogs.review import review_counts

    parts = []
    total = None
    for catalog in catalogs:
        counts = review_counts(catalog.entries)
        total = counts if total is None else total + counts
        if counts.needs_review:
            parts.append(f"{counts.needs_review} {catalog.domain}")
    if total is None:
        return f"review: {locale}: no catalogs"
    where = f" ({', '.join(parts)})" if parts else ""
    return (
        f"review: {locale}: {total.needs_review} entries need review{where}, {total.reviewed} reviewed,"
        f" {total.waiting} waiting for translation"
    )


def _sign_off(locale: str, context: Context, options: ReviewOptions) -> int:
    from pipeline.catalogs.qa import shorten
    from pipeline.catalogs.review import review_locale, sign_off_day, sign_off_entries

    assert options.sign_off is not None
    day = sign_off_day(options.date)
    catalogs = review_locale(context.config(), locale, recover=False)
    result = sign_off_entries(catalogs, options.sign_off, day, None if options.all else options.entries)
    for entry, why in result.refused:
        print(f"{entry.path}:{entry.line}: cannot sign off \u201c{shorten(entry.msgid, 40)}\u201d: {why}",
              file=sys.stderr)  # fmt: skip
    for entry in result.already:
        assert entry.sign_off is not None
        print(f"{entry.path}:{entry.line}: already signed off {entry.sign_off.date} by {entry.sign_off.reviewer}")
    if options.entries and result.refused:
        print("review: nothing signed off (fix or leave out the entries above)", file=sys.stderr)
        return EXIT_FAILURE
    for path in result.written:
        print(f"{context.shown(path)}: signed off")
    left = f"; {len(result.refused)} could not be (above)" if result.refused else ""
    print(f"review: {locale}: {len(result.signed)} entries signed off by {options.sign_off.strip()} on {day}{left}",
          file=sys.stderr)  # fmt: skip
    return EXIT_OK

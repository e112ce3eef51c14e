"""``plainleaf stats``: translated, fuzzy, untranslated and obsolete entries and words per locale and domain."""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass

from pipeline.commands import EXIT_OK, Context, catalog_locales

HELP = "show translation progress per locale and domain"


@dataclass(slots=True)
class StatsOptions:
    """Which catalogs, and how to show them."""

    locales: list[str] | None = None
    """Only these locales; None for every configured one."""
    json: bool = False
    """Machine-readable output."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``plainleaf stats``."""
    parser.add_argument("--locale", action="append", metavar="L", help="only this locale (repeatable)")
    parser.add_argument("--json", action="store_true", help="machine-readable output")


def options(args: argparse.Namespace) -> StatsOptions:
    """Typed options from the parsed arguments."""
    return StatsOptions(args.locale, args.json)


def run(context: Context, options: StatsOptions) -> int:
    """Print one row per catalog."""
    from pipeline.catalogs.project import project_stats

    config = context.config()
    rows = project_stats(config, catalog_locales(config, options.locales))
    if options.json:
        print(json.dumps({"catalogs": [row.as_dict() for row in rows]}, indent=2, ensure_ascii=False))
        return EXIT_OK
    print(
        f"{'locale':<8} {'domain':<10} {'done':>6} {'translated':>10} {'fuzzy':>6} "
        f"{'untransl.':>9} {'obsolete':>8} {'words left':>10}"
    )
    for row in rows:
        left = row.fuzzy_words + row.untranslated_words
        print(
            f"{row.locale:<8} {row.domain:<10} {row.percent:>5.0f}% {row.translated:>10} {row.fuzzy:>6} "
            f"{row.untranslated:>9} {row.obsolete:>8} {left:>10}"
        )
    return EXIT_OK

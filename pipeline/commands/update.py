"""``plainleaf update``: merge the templates into every locale's catalogs, never losing a translation."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass

from pipeline.commands import EXIT_OK, Context, catalog_locales

HELP = "merge templates into every locale's catalogs, never losing a translation"
LOCKS_PROJECT = True
"""Writes the project's files: one run at a time (:mod:`pipeline.lock`)."""


@dataclass(slots=True)
class UpdateOptions:
    """Which catalogs to update."""

    locales: list[str] | None = None
    """Only these locales; None for every configured one."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``plainleaf update``."""
    parser.add_argument("--locale", action="append", metavar="L", help="only this locale (repeatable)")


def options(args: argparse.Namespace) -> UpdateOptions:
    """Typed options from the parsed arguments."""
    return UpdateOptions(args.locale)


def run(context: Context, options: UpdateOptions) -> int:
    """Merge, and say per catalog what happened to its entries."""
    from pipeline.catalogs.project import orphaned_catalogs, update_catalogs

    config = context.config()
    for catalog in update_catalogs(config, catalog_locales(config, options.locales)):
        if catalog.summary == "created":
            print(f"{context.shown(catalog.path)}: created, {catalog.messages} messages to translate")
        else:
            print(f"{context.shown(catalog.path)}: {catalog.summary}{'' if catalog.written else ' (unchanged)'}")
    for orphan in orphaned_catalogs(config):
        print(
            f"plainleaf: warning: {context.shown(orphan)}: no document {orphan.stem}.md in"
            f" {context.shown(config.path(config.source_dir))}/ any more (renamed or deleted?): move its translations"
            " to the new name, or delete the file",
            file=sys.stderr,
        )
    return EXIT_OK

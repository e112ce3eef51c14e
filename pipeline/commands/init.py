"""``plainleaf init LOCALE``: the catalogs of a new locale, with Language and Plural-Forms from CLDR."""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from pipeline.commands import EXIT_OK, Context
from pipeline.errors import ConfigError

HELP = "create catalogs for a new locale"
LOCKS_PROJECT = True
"""Writes the project's files: one run at a time (:mod:`pipeline.lock`)."""


@dataclass(slots=True)
class InitOptions:
    """The locale to create."""

    locale: str
    """Its code (``pt_BR``; ``pt-BR`` is read the same)."""
    force: bool = False
    """Overwrite existing catalogs."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``plainleaf init``."""
    parser.add_argument("locale", metavar="LOCALE", help="locale code such as es, zh_Hans, pt_BR")
    parser.add_argument("--force", action="store_true", help="overwrite existing catalogs")


def options(args: argparse.Namespace) -> InitOptions:
    """Typed options from the parsed arguments."""
    return InitOptions(args.locale, args.force)


def run(context: Context, options: InitOptions) -> int:
    """Create the catalogs; remind the user to configure the locale."""
    from pipeline.catalogs.project import init_locale
    from pipeline.languages import language

    config = context.config()
    code = options.locale.replace("-", "_")
    if code == config.source_language:
        raise ConfigError(
            f"{options.locale!r} is the source language (tool.plainleaf.source-language): its products print the"
            " source text, and it has no catalogs to translate"
        )
    for catalog in init_locale(config, code, force=options.force):
        print(f"{context.shown(catalog.path)}: created")
    missing = language(code).missing()
    if missing:
        # What the pipeline cannot check or make for this language until its file has the tables (ARCHITECTURE.md,
        # "Add a language").
        known = language(code)
        where = f"pipeline/languages/{known.defined_in.name if known.defined_in else code + '.py'}"
        print(f"{known.name} ({code}) has no {', '.join(missing)}: not checked until they are added in {where}")
    if code not in config.locale_codes:
        # The code as the folder is named (zh_TW/), which is what the configuration reads back.
        print(f'add {{ code = "{code}" }} to [tool.plainleaf].locales in pyproject.toml to build and check it')
    return EXIT_OK

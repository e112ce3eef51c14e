"""``plainleaf render``: every selected print product rendered again, up to date or not (the builder, forced)."""

from __future__ import annotations

import argparse
from pathlib import Path

from pipeline.builder.jobs import PRODUCT_NAMES, BuildOptions
from pipeline.commands import Context
from pipeline.commands import build as build_command

HELP = "render the large-print guide, handout and summary per locale (all of them, even up to date)"
LOCKS_PROJECT = True
"""Writes the project's files: one run at a time (:mod:`pipeline.lock`)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``plainleaf render``: what to build, as for ``plainleaf build``."""
    parser.add_argument(
        "--locale", action="append", metavar="L", help="only this locale (repeatable; the source language may be named)"
    )
    parser.add_argument("--product", action="append", choices=PRODUCT_NAMES, help="only this product (repeatable)")
    parser.add_argument("--clinic", metavar="CLINIC.toml", help="clinic details (default: clinic.toml if present)")
    parser.add_argument("--draft", action="store_true", help="build incomplete translations as marked drafts")
    parser.add_argument("--threshold", type=float, default=100.0, metavar="PCT", help="percent translated needed")
    parser.add_argument("--pseudo", action="store_true", help="also render the pseudo-locales en-XA and ar-XB")


def options(args: argparse.Namespace) -> BuildOptions:
    """The build's options with every selected product forced."""
    return BuildOptions(
        locales=args.locale,
        products=args.product,
        force=True,
        workers=build_command.default_workers(),
        draft=args.draft,
        threshold=args.threshold,
        pseudo=args.pseudo,
        clinic=Path(args.clinic) if args.clinic else None,
    )


def run(context: Context, options: BuildOptions) -> int:
    """What ``plainleaf build`` does with these options."""
    return build_command.run(context, options)

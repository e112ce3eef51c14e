"""``plainleaf translate``: translated Markdown from a PO file (like po2md), and how complete it is."""

from __future__ import annotations

import argparse
import logging
from dataclasses import dataclass
from pathlib import Path

from pipeline.commands import EXIT_FAILURE, EXIT_OK, Context
from pipeline.errors import CatalogError, PipelineError

HELP = "write translated Markdown from a PO file"
log = logging.getLogger("pipeline")


@dataclass(slots=True)
class TranslateOptions:
    """What to translate with which catalog, and where to."""

    files: list[Path]
    """The Markdown sources."""
    po: Path
    """The catalog with the translations."""
    output: Path | None = None
    """The output file (one input)."""
    output_dir: Path | None = None
    """The output folder (any number of inputs)."""
    locale: str | None = None
    """Target locale; None for the catalog's Language header."""
    strict: bool = False
    """Fail unless every block is translated."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``plainleaf translate``."""
    parser.add_argument("files", nargs="+", metavar="FILE.md")
    parser.add_argument("--po", required=True, metavar="FILE.po", help="catalog with the translations")
    parser.add_argument("-o", "--output", metavar="OUT.md", help="output file (one input)")
    parser.add_argument("--output-dir", metavar="DIR", help="output folder (any number of inputs)")
    parser.add_argument("--locale", metavar="L", help="target locale (default: the catalog's Language)")
    parser.add_argument("--strict", action="store_true", help="exit 1 unless every block is translated")


def options(args: argparse.Namespace) -> TranslateOptions:
    """Typed options from the parsed arguments."""
    return TranslateOptions(
        [Path(name) for name in args.files],
        Path(args.po),
        Path(args.output) if args.output else None,
        Path(args.output_dir) if args.output_dir else None,
        args.locale,
        args.strict,
    )


def run(context: Context, options: TranslateOptions) -> int:
    """Translate every file first, then write them all: a file that cannot be translated leaves nothing behind."""
    from pipeline.atomic import write_text
    from pipeline.catalogs.pofile import read_catalog
    from pipeline.catalogs.translate import translate_document
    from pipeline.document import load_document

    if (options.output is None) == (options.output_dir is None):
        raise PipelineError("give exactly one of -o OUT.md and --output-dir DIR")
    if options.output is not None and len(options.files) > 1:
        raise PipelineError("-o takes one input file; use --output-dir for several")
    catalog = read_catalog(options.po)
    locale = options.locale or catalog.metadata.get("Language", "")
    if not locale:
        raise CatalogError("no Language in the header; give --locale", options.po)
    results = [
        (path, translate_document(load_document(path), catalog, locale, str(options.po))) for path in options.files
    ]
    for path, result in results:
        target = options.output or (options.output_dir or Path()) / path.name
        write_text(target, result.markdown)
        for line in result.rejected:
            log.warning("%s", line)
        print(f"{target}: {result.translated} of {result.total} blocks translated ({result.percent:.0f}%)")
    complete = all(result.translated == result.total for _, result in results)
    return EXIT_OK if complete or not options.strict else EXIT_FAILURE

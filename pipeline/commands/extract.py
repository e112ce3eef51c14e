"""``plainleaf extract``: the POT template of every document (or of the Markdown files given)."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.commands import EXIT_OK, Context
from pipeline.errors import PipelineError

HELP = "write POT templates from the Markdown sources, and the do-not-translate glossary (locales/glossary.csv)"


@dataclass(slots=True)
class ExtractOptions:
    """What to extract."""

    files: list[Path] = field(default_factory=list)
    """Markdown files for an ad-hoc template; empty for the project's documents."""
    output: Path | None = None
    """The ad-hoc template to write (only with ``files``)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``plainleaf extract``."""
    parser.add_argument("files", nargs="*", metavar="FILE.md", help="extract these files instead of the project's")
    parser.add_argument("-o", "--output", metavar="OUT.pot", help="template to write (with FILE.md)")


def options(args: argparse.Namespace) -> ExtractOptions:
    """Typed options from the parsed arguments."""
    return ExtractOptions([Path(name) for name in args.files], Path(args.output) if args.output else None)


def run(context: Context, options: ExtractOptions) -> int:
    """Write the templates and say how many messages each holds."""
    from pipeline.catalogs.project import extract_files, extract_templates

    if options.files:
        if options.output is None:
            raise PipelineError("extract FILE.md ... needs -o OUT.pot")
        written = extract_files(options.files, options.output)
        print(f"{options.output}: {written.messages} messages{'' if written.written else ' (unchanged)'}")
        return EXIT_OK
    if options.output is not None:
        raise PipelineError("-o is only for ad-hoc extraction of files given on the command line")
    config = context.config()
    for template in extract_templates(config):
        print(
            f"{context.shown(template.path)}: {template.messages} {template.unit}"
            f"{'' if template.written else ' (unchanged)'}"
        )
    from pipeline.document import load_document, source_warnings

    for path in config.documents():
        for warning in source_warnings(load_document(path, config.front_matter_fields)):
            print(f"plainleaf: warning: {context.shown(path)}:{warning.line}: {warning.message}", file=sys.stderr)
    return EXIT_OK

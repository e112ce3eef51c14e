"""The ``plainleaf`` command line: the parser, logging, and the mapping from errors to exit status.

Each command lives in its own module of :mod:`pipeline.commands`; this module only wires them together.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import NoReturn

from pipeline import __version__
from pipeline.commands import EXIT_FAILURE, Context
from pipeline.errors import PipelineError, shown
from pipeline.speedups import exit_now

log = logging.getLogger("pipeline")

COMMANDS = (
    "extract",
    "update",
    "init",
    "translate",
    "stats",
    "check",
    "review",
    "readability",
    "render",
    "build",
    "audit",
    "all",
)
"""Every command, in the order ``--help`` lists them (the data flow's); each is a module of
:mod:`pipeline.commands`."""


class _Formatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return f"plainleaf: {record.levelname.lower()}: {record.getMessage()}"


def _command(name: str) -> ModuleType:
    return importlib.import_module(f"pipeline.commands.{name}")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command."""
    parser = argparse.ArgumentParser(
        prog="plainleaf",
        description="Turn a patient guide in Markdown into checked translations and accessible print.",
    )
    parser.add_argument("--version", action="version", version=f"plainleaf {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks and debug messages")
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="show every line (each file, each finding), not a summary"
    )
    parser.add_argument("--config", metavar="PYPROJECT", help="pyproject.toml to use (default: nearest one)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        module = _command(name)
        sub = commands.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(sub)
        # -v after the command too (``plainleaf all -v``); its own name, so the command's default does not hide
        # one given before the command.
        if "-v" not in sub._option_string_actions:  # a command with its own -v (build) keeps it
            sub.add_argument("-v", "--verbose", dest="verbose_here", action="store_true", help=argparse.SUPPRESS)
        sub.set_defaults(module=module)
    return parser


def run() -> NoReturn:
    """The ``plainleaf`` command: :func:`main`, then :func:`pipeline.speedups.exit_now`."""
    exit_now(main())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = build_parser().parse_args(argv)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Formatter())
    log.handlers[:] = [handler]
    log.setLevel(logging.DEBUG if args.debug else logging.INFO)
    log.propagate = False
    verbose = bool(args.verbose or getattr(args, "verbose_here", False))
    context = Context(Path(args.config) if args.config else None, args.debug, verbose)
    try:
        options = args.module.options(args)
        locks = getattr(args.module, "LOCKS_PROJECT", False)
        if callable(locks):
            locks = locks(options)
        if locks:
            from pipeline.lock import project_lock

            config = context.config()
            with project_lock(config.path(config.output_dir), lambda message: print(message, file=sys.stderr)):
                status: int = args.module.run(context, options)
            return status
        status = args.module.run(context, options)
        return status
    except PipelineError as exc:
        if args.debug:
            raise
        if exc.path:
            exc.path = shown(Path(exc.path))
        print(f"plainleaf: error: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        print("plainleaf: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILURE

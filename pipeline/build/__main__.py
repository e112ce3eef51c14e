"""``python -m pipeline.build [OPTIONS]``: the build command on its own (what ``plainleaf build`` runs)."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from pipeline.build.command import EXIT_FAILURE, add_arguments, run
from pipeline.config import find_config, load_config
from pipeline.errors import PipelineError


def main(argv: list[str] | None = None) -> int:
    """Parse the options, load the project's configuration, build; errors are one line and exit status 1."""
    parser = argparse.ArgumentParser(prog="python -m pipeline.build", description="build the print products")
    parser.add_argument("--debug", action="store_true", help="show tracebacks and debug messages")
    parser.add_argument("--config", metavar="PYPROJECT", help="pyproject.toml to use (default: nearest one)")
    add_arguments(parser)
    args = parser.parse_args(argv)
    logging.basicConfig(
        format="plainleaf: %(levelname)s: %(message)s", level=logging.DEBUG if args.debug else logging.INFO
    )
    try:
        config = load_config(Path(args.config) if args.config else find_config(Path.cwd()))
        return run(config, args)
    except PipelineError as exc:
        if args.debug:
            raise
        print(f"plainleaf: error: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        print("plainleaf: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    from pipeline.cli import exit_now

    exit_now(main())

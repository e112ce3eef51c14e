"""The ``plainleaf`` command line: parses arguments, runs stages, reports. The only module that prints."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import gc
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from pipeline import __version__
from pipeline.config import Config, find_config, load_config
from pipeline.errors import CatalogError, ConfigError, PipelineError

log = logging.getLogger("pipeline")

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


class _Formatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return f"plainleaf: {record.levelname.lower()}: {record.getMessage()}"


def _relative(path: Path, config: Config | None = None) -> str:
    root = config.root if config else Path.cwd()
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def _config(args: argparse.Namespace) -> Config:
    path = Path(args.config) if args.config else find_config(Path.cwd())
    return load_config(path)


def _select_locales(config: Config, wanted: Sequence[str] | None) -> list[str]:
    if not wanted:
        return config.locale_codes
    chosen = []
    for code in wanted:
        normal = code.replace("-", "_")
        if normal not in config.locale_codes:
            known = ", ".join(config.locale_codes) or "none"
            raise ConfigError(f"locale {code!r} is not configured in [tool.plainleaf].locales (configured: {known})")
        chosen.append(normal)
    return chosen


LAYOUTS_DOMAIN = "layouts"
"""gettext domain of the print layouts' own words ("Page", "Your clinic" ...), extracted from ``layouts/``."""


def _layouts_dir(config: Config) -> Path:
    return config.root / "layouts"


def _domains(config: Config) -> list[str]:
    documents = config.documents()
    if not documents:
        raise ConfigError(f"no Markdown documents in {_relative(config.path(config.source_dir), config)}/")
    extra = [LAYOUTS_DOMAIN] if _layouts_dir(config).is_dir() else []
    return [path.stem for path in documents] + extra


def settle() -> None:
    """Put what start-up made (modules, configuration) out of the garbage collector's reach: a command that then
    makes many objects no longer walks all of it again in each full collection (a tenth of the time extraction
    of a large corpus takes). ``extract`` calls it once its modules are imported."""
    gc.freeze()


def cmd_extract(args: argparse.Namespace) -> int:
    """Write POT templates: one per document of the project, or one for the files given."""
    from pipeline.extract import extract_files
    from pipeline.pofile import write_catalog

    settle()
    if args.files:
        if not args.output:
            raise PipelineError("extract FILE.md ... needs -o OUT.pot")
        template = extract_files([Path(f) for f in args.files], "plainleaf", ("title", "description"), Path.cwd())
        written = write_catalog(template, Path(args.output), durable=False)
        print(f"{args.output}: {len(template)} messages{'' if written else ' (unchanged)'}")
        return EXIT_OK
    if args.output:
        raise PipelineError("-o is only for ad-hoc extraction of files given on the command line")
    config = _config(args)
    for path in config.documents() or [config.path(config.source_dir) / "*.md"]:
        if not path.exists():
            raise ConfigError(f"no Markdown documents in {_relative(path.parent, config)}/")
        template = extract_files([path], config.project_name, config.front_matter_fields, config.root)
        target = config.template_path(path.stem)
        written = write_catalog(template, target, durable=False)
        print(f"{_relative(target, config)}: {len(template)} messages{'' if written else ' (unchanged)'}")
    if _layouts_dir(config).is_dir():
        from pipeline.render.messages import extract_layout_messages

        template = extract_layout_messages(_layouts_dir(config), config.project_name)
        target = config.template_path(LAYOUTS_DOMAIN)
        written = write_catalog(template, target, durable=False)
        print(f"{_relative(target, config)}: {len(template)} messages{'' if written else ' (unchanged)'}")
    return EXIT_OK


def cmd_update(args: argparse.Namespace) -> int:
    """Merge every template into the catalogs of the chosen locales, creating missing ones."""
    from pipeline.merge import init_catalog, merge_catalog
    from pipeline.pofile import read_catalog, write_catalog

    config = _config(args)
    locales = _select_locales(config, args.locale)
    for domain in _domains(config):
        template_path = config.template_path(domain)
        if not template_path.exists():
            raise CatalogError("template missing; run 'plainleaf extract' first", _relative(template_path, config))
        template = read_catalog(template_path)
        for locale in locales:
            target = config.catalog_path(locale, domain)
            shown = _relative(target, config)
            if not target.exists():
                write_catalog(init_catalog(template, locale), target)
                print(f"{shown}: created, {len(template)} messages to translate")
                continue
            result = merge_catalog(read_catalog(target), template)
            written = write_catalog(result.catalog, target)
            summary = ", ".join(f"{count} {name}" for name, count in result.counts().items() if count)
            print(f"{shown}: {summary or 'nothing to merge'}{'' if written else ' (unchanged)'}")
    return EXIT_OK


def cmd_init(args: argparse.Namespace) -> int:
    """Create the catalogs of a new locale from the templates."""
    from pipeline.merge import init_catalog
    from pipeline.pofile import read_catalog, write_catalog

    config = _config(args)
    for domain in _domains(config):
        template_path = config.template_path(domain)
        if not template_path.exists():
            raise CatalogError("template missing; run 'plainleaf extract' first", _relative(template_path, config))
        target = config.catalog_path(args.locale.replace("-", "_"), domain)
        if target.exists() and not args.force:
            raise CatalogError(
                "catalog exists; use 'plainleaf update' (or --force to start over)", _relative(target, config)
            )
        write_catalog(init_catalog(read_catalog(template_path), args.locale), target)
        print(f"{_relative(target, config)}: created")
    if args.locale.replace("-", "_") not in config.locale_codes:
        print(f"add {args.locale!r} to [tool.plainleaf].locales in pyproject.toml to build and check it")
    return EXIT_OK


def cmd_translate(args: argparse.Namespace) -> int:
    """Write translated Markdown for the files given, from one PO file."""
    from pipeline.atomic import write_text
    from pipeline.document import load_document
    from pipeline.pofile import read_catalog
    from pipeline.translate import translate_document

    if bool(args.output) == bool(args.output_dir):
        raise PipelineError("give exactly one of -o OUT.md and --output-dir DIR")
    if args.output and len(args.files) > 1:
        raise PipelineError("-o takes one input file; use --output-dir for several")
    catalog = read_catalog(Path(args.po))
    locale = args.locale or catalog.metadata.get("Language", "")
    if not locale:
        raise CatalogError("no Language in the header; give --locale", args.po)
    results = []
    for name in args.files:
        document = load_document(Path(name))
        results.append((name, translate_document(document, catalog, locale, args.po)))
    for name, result in results:
        target = Path(args.output) if args.output else Path(args.output_dir) / Path(name).name
        write_text(target, result.markdown)
        for line in result.rejected:
            log.warning("%s", line)
        print(f"{target}: {result.translated} of {result.total} blocks translated ({result.percent:.0f}%)")
    return EXIT_OK if all(r.translated == r.total for _, r in results) or not args.strict else EXIT_FAILURE


def cmd_stats(args: argparse.Namespace) -> int:
    """Show how complete each catalog is."""
    from pipeline.pofile import read_catalog
    from pipeline.stats import catalog_stats

    config = _config(args)
    rows = []
    for locale in _select_locales(config, args.locale):
        for domain in _domains(config):
            path = config.catalog_path(locale, domain)
            if not path.exists():
                raise CatalogError("catalog missing; run 'plainleaf update'", _relative(path, config))
            rows.append(catalog_stats(read_catalog(path), locale, domain))
    if args.json:
        print(json.dumps({"catalogs": [row.as_dict() for row in rows]}, indent=2, ensure_ascii=False))
        return EXIT_OK
    header = (
        f"{'locale':<8} {'domain':<10} {'done':>6} {'translated':>10} {'fuzzy':>6} "
        f"{'untransl.':>9} {'obsolete':>8} {'words left':>10}"
    )
    print(header)
    for row in rows:
        left = row.fuzzy_words + row.untranslated_words
        print(
            f"{row.locale:<8} {row.domain:<10} {row.percent:>5.0f}% {row.translated:>10} {row.fuzzy:>6} "
            f"{row.untranslated:>9} {row.obsolete:>8} {left:>10}"
        )
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    """Check translations for broken markup, placeholders, numbers, terms and unsafe content."""
    from pipeline.checks import Severity, check_catalog, load_terms
    from pipeline.pofile import read_catalog

    config = _config(args)
    terms = load_terms(config.path(config.terms_file)) if config.terms_file else []
    findings = []
    errors: list[PipelineError] = []
    for locale in _select_locales(config, args.locale):
        for domain in _domains(config):
            path = config.catalog_path(locale, domain)
            shown = _relative(path, config)
            try:
                findings += check_catalog(read_catalog(path), shown, locale, terms)
            except CatalogError as exc:
                errors.append(exc)
    for error in errors:
        error.path = _relative(Path(error.path)) if error.path else None
        print(f"plainleaf: error: {error}", file=sys.stderr)
    if args.json:
        rows = [{**dataclasses.asdict(f), "severity": f.severity.name.lower()} for f in findings]
        print(json.dumps({"findings": rows}, indent=2, ensure_ascii=False))
    else:
        for finding in findings:
            print(finding)
    failing = [f for f in findings if f.severity is Severity.ERROR or args.strict]
    error_count = sum(f.severity is Severity.ERROR for f in findings)
    counts = f"{error_count} errors, {len(findings) - error_count} warnings"
    print(f"check: {counts}" + (f", {len(errors)} unreadable catalogs" if errors else ""), file=sys.stderr)
    return EXIT_FAILURE if failing or errors else EXIT_OK


def cmd_readability(args: argparse.Namespace) -> int:
    """Score every product in every language against its plain-language targets."""
    from pipeline.atomic import write_text
    from pipeline.document import load_document
    from pipeline.pofile import catalog_date, read_catalog
    from pipeline.readability import analyze
    from pipeline.readability.report import (
        ProductReadability,
        render_html,
        render_table,
        report_json,
        targets_from_config,
        text_units,
        unknown_formulas,
    )
    from pipeline.stats import catalog_stats
    from pipeline.translate import translate_document

    config = _config(args)
    for document_name, limits in config.readability_targets.items():
        for formula in unknown_formulas(limits):
            raise ConfigError(f"tool.plainleaf.readability.targets.{document_name}: unknown formula {formula!r}")
    locales = [config.source_language, *_select_locales(config, args.locale)]
    reports = []
    for path in config.documents():
        document = load_document(path, config.front_matter_fields)
        limits = config.readability_targets.get(document.domain, {})
        targets = targets_from_config(limits, "tool.plainleaf.readability.targets") if limits else []
        for locale in locales:
            catalog = None
            if locale != config.source_language:
                catalog_path = config.catalog_path(locale, document.domain)
                if not catalog_path.exists():
                    reports.append(ProductReadability(document.domain, locale, None, "no catalog yet"))
                    continue
                catalog = read_catalog(catalog_path)
                stats = catalog_stats(catalog, locale, document.domain)
                if not stats.complete:
                    reason = f"translation incomplete: {stats.translated} of {stats.total} entries, {stats.fuzzy} fuzzy"
                    reports.append(ProductReadability(document.domain, locale, None, reason))
                    continue
            markdown = translate_document(document, catalog, locale).markdown
            analysis = analyze(text_units(markdown), locale, targets)
            reports.append(ProductReadability(document.domain, locale, analysis))
    target = config.path(config.output_dir) / "reports" / "readability.html"
    write_text(target, render_html(reports, catalog_date()))
    if args.json:
        print(json.dumps(report_json(reports), indent=2, ensure_ascii=False))
    else:
        print(render_table(reports))
        print(f"report: {_relative(target, config)}")
    failed = [r for r in reports if r.status == "fail"]
    for report in failed:
        log.error("%s (%s) misses its readability target", report.product, report.locale)
    return EXIT_FAILURE if failed else EXIT_OK


def cmd_render(args: argparse.Namespace) -> int:
    """Render the print products (PDF/UA and HTML) of every complete locale, and output/index.html."""
    from pipeline.render import Layouts, Renderer, default_products, load_clinic, plan_jobs
    from pipeline.render.build import build

    if not args.debug:
        for name in ("weasyprint", "fontTools"):
            logging.getLogger(name).setLevel(logging.ERROR)
    config = _config(args)
    if not _layouts_dir(config).is_dir():
        print(f"no {_relative(_layouts_dir(config), config)}/ folder: no print products to render")
        return EXIT_OK
    clinic_path = Path(args.clinic) if args.clinic else config.root / "clinic.toml"
    clinic = load_clinic(clinic_path, config.root) if args.clinic or clinic_path.is_file() else None
    products = [p for p in default_products() if not args.product or p.name in args.product]
    locales = [config.source_language, *_select_locales(config, args.locale)] if args.locale else None
    if args.pseudo:
        locales = [*(locales or [config.source_language, *config.locale_codes]), "en_XA", "ar_XB"]
    jobs = plan_jobs(config, products, locales, draft=args.draft, threshold=args.threshold)
    renderer = Renderer(config, Layouts(_layouts_dir(config)), clinic=clinic)
    result = build(renderer, jobs, config.path(config.output_dir))
    for row in result.rows:
        name = f"{row.job.locale.code:<8} {row.job.product.name:<11}"
        if row.rendered is not None:
            draft = " (draft)" if row.job.draft else ""
            print(f"{name} {row.rendered.pages} pages{draft}")
        else:
            print(f"{name} not built: {str(row.problem).replace(str(config.root) + '/', '')}")
    return EXIT_FAILURE if result.failures else EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
    """Build the print products that changed, in parallel, and output/index.html."""
    from pipeline.build import command as build_command

    return build_command.run(_config(args), args)


def cmd_audit(args: argparse.Namespace) -> int:
    """Audit every rendered PDF and write output/reports/audit.html."""
    from pipeline.audit import command as audit

    return audit.run(_config(args), args)


def cmd_main(args: argparse.Namespace) -> int:
    """The main job: extract, update, stats, readability, build, audit."""
    steps = [cmd_extract, cmd_update, cmd_stats, cmd_readability]
    if _layouts_dir(_config(args)).is_dir():
        steps += [cmd_build, cmd_audit]
    else:
        print("no layouts/ folder: no print products to render or audit")
    for step in steps:
        status = step(args)
        if status != EXIT_OK:
            return status
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(
        prog="plainleaf",
        description="Turn a patient guide in Markdown into checked translations and accessible print.",
    )
    parser.add_argument("--version", action="version", version=f"plainleaf {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks and debug messages")
    parser.add_argument("--config", metavar="PYPROJECT", help="pyproject.toml to use (default: nearest one)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str, handler: Callable[[argparse.Namespace], int], help: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help, description=help)
        sub.set_defaults(handler=handler)
        return sub

    sub = command("extract", cmd_extract, "write POT templates from the Markdown sources")
    sub.add_argument("files", nargs="*", metavar="FILE.md", help="extract these files instead of the project's")
    sub.add_argument("-o", "--output", metavar="OUT.pot", help="template to write (with FILE.md)")

    sub = command("update", cmd_update, "merge templates into every locale's catalogs, never losing a translation")
    sub.add_argument("--locale", action="append", metavar="L", help="only this locale (repeatable)")

    sub = command("init", cmd_init, "create catalogs for a new locale")
    sub.add_argument("locale", metavar="LOCALE", help="locale code such as es, zh_Hans, pt_BR")
    sub.add_argument("--force", action="store_true", help="overwrite existing catalogs")

    sub = command("translate", cmd_translate, "write translated Markdown from a PO file")
    sub.add_argument("files", nargs="+", metavar="FILE.md")
    sub.add_argument("--po", required=True, metavar="FILE.po", help="catalog with the translations")
    sub.add_argument("-o", "--output", metavar="OUT.md", help="output file (one input)")
    sub.add_argument("--output-dir", metavar="DIR", help="output folder (any number of inputs)")
    sub.add_argument("--locale", metavar="L", help="target locale (default: the catalog's Language)")
    sub.add_argument("--strict", action="store_true", help="exit 1 unless every block is translated")

    sub = command("stats", cmd_stats, "show translation progress per locale and domain")
    sub.add_argument("--locale", action="append", metavar="L", help="only this locale (repeatable)")
    sub.add_argument("--json", action="store_true", help="machine-readable output")

    sub = command("check", cmd_check, "check translations (markup, placeholders, numbers, terms, safety)")
    sub.add_argument("--locale", action="append", metavar="L", help="only this locale (repeatable)")
    sub.add_argument("--json", action="store_true", help="machine-readable findings")
    sub.add_argument("--strict", action="store_true", help="warnings fail too")

    sub = command("readability", cmd_readability, "score readability per product and language against targets")
    sub.add_argument("--locale", action="append", metavar="L", help="only this locale (repeatable)")
    sub.add_argument("--json", action="store_true", help="machine-readable report (schema in the README)")

    sub = command("render", cmd_render, "render the large-print guide, handout and summary per locale")
    sub.add_argument("--locale", action="append", metavar="L", help="only this locale (repeatable)")
    sub.add_argument("--product", action="append", choices=["large-print", "handout", "summary"], help="only this")
    sub.add_argument("--clinic", metavar="CLINIC.toml", help="clinic details (default: clinic.toml if present)")
    sub.add_argument("--draft", action="store_true", help="build incomplete translations as marked drafts")
    sub.add_argument("--threshold", type=float, default=100.0, metavar="PCT", help="percent translated needed")
    sub.add_argument("--pseudo", action="store_true", help="also render the pseudo-locales en-XA and ar-XB")

    from pipeline.audit.command import add_arguments as audit_arguments
    from pipeline.build.command import add_arguments as build_arguments

    sub = command("build", cmd_build, "build the print products that changed, in parallel (or on a Dask cluster)")
    build_arguments(sub)

    sub = command("audit", cmd_audit, "audit every PDF: PDF/UA-1, fonts and text, size, contrast, reading order")
    audit_arguments(sub)

    sub = command("all", cmd_main, "the main job: extract, update, stats, readability, render and audit")
    sub.add_argument("--clinic", metavar="CLINIC.toml", help="clinic details (default: clinic.toml if present)")
    sub.set_defaults(files=[], output=None, locale=None, json=False, product=None, draft=False, threshold=100.0,
                     pseudo=False, document=None, shard=None, jobs=None, force=False, dry_run=False,
                     executor="process", scheduler=None, grades=True)  # fmt: skip
    return parser


def exit_now(status: int) -> NoReturn:
    """End the process with ``status`` once the output is flushed, without tearing the interpreter down: freeing
    every object of a run one by one (WeasyPrint's, the fonts', the catalogs') takes a tenth of a second after
    the work is done. mypy leaves the same way. Only for the command's entry points, never for a caller of
    :func:`main` (a test, another program)."""
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(status)


def run() -> NoReturn:
    """The ``plainleaf`` command: :func:`main`, then :func:`exit_now`."""
    exit_now(main())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Formatter())
    log.handlers[:] = [handler]
    log.setLevel(logging.DEBUG if args.debug else logging.INFO)
    log.propagate = False
    try:
        status: int = args.handler(args)
        return status
    except PipelineError as exc:
        if args.debug:
            raise
        if exc.path:
            exc.path = _relative(Path(exc.path))
        print(f"plainleaf: error: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        print("plainleaf: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILURE

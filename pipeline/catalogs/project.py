"""The catalog stage over a whole project: every document's template, every locale's catalogs.

Each function takes the project's configuration and typed options and returns what it did as data; the command
line (:mod:`pipeline.commands`) prints it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.config import Config
from pipeline.errors import CatalogError, ConfigError, PipelineError, shown

if TYPE_CHECKING:  # imported when used: ``plainleaf --help`` stays cheap
    import polib

    from pipeline.catalogs.qa import EntryFinding
    from pipeline.catalogs.stats import CatalogStats

LAYOUTS_DOMAIN = "layouts"
"""gettext domain of the print layouts' own words ("Page", "Your clinic" ...), extracted from ``layouts/``."""


def domains(config: Config) -> list[str]:
    """Every gettext domain of the project: one per document, then the layouts' words when there are layouts."""
    documents = config.documents()
    if not documents:
        raise ConfigError(f"no Markdown documents in {shown(config.path(config.source_dir), config.root)}/")
    extra = [LAYOUTS_DOMAIN] if config.layouts_dir.is_dir() else []
    return [path.stem for path in documents] + extra


def orphaned_catalogs(config: Config) -> list[Path]:
    """Templates and catalogs of the locales folder whose domain is no longer a document (or the layouts' words):
    left behind by a document renamed or deleted. Never removed here: they may hold translator work; ``update``
    names them so someone decides."""
    wanted = {path.stem for path in config.documents()} | {LAYOUTS_DOMAIN}
    folder = config.path(config.locales_dir)
    found = [path for path in folder.glob("*.pot") if path.stem not in wanted]
    found += [path for path in folder.glob("*/LC_MESSAGES/*.po") if path.stem not in wanted]
    return sorted(found)


@dataclass(slots=True, frozen=True)
class WrittenCatalog:
    """One template or catalog that a stage wrote, or left alone because its content was unchanged."""

    path: Path
    """The file."""
    messages: int
    """Entries in it."""
    written: bool
    """False when the file already held this content (only dates would have changed)."""
    summary: str = ""
    """What happened to its entries (``3 fuzzy, 1 obsolete``), for a merge."""
    unit: str = "messages"
    """What :attr:`messages` counts, for the command line (``terms`` for the glossary)."""


def _template(config: Config, domain: str) -> Path:
    path = config.template_path(domain)
    if not path.exists():
        raise CatalogError("template missing; run 'plainleaf extract' first", shown(path, config.root))
    return path


def extract_files(files: Sequence[Path], output: Path) -> WrittenCatalog:
    """Ad-hoc extraction of any Markdown files into one template (like md2po)."""
    from pipeline.catalogs.extract import extract_files as extract
    from pipeline.catalogs.pofile import write_catalog

    template = extract(list(files), "plainleaf", ("title", "description"), Path.cwd())
    return WrittenCatalog(output, len(template), write_catalog(template, output, durable=False))


def extract_templates(config: Config) -> list[WrittenCatalog]:
    """``locales/<domain>.pot`` for every document of the project, and for the layouts' words."""
    from pipeline.catalogs.extract import extract_files as extract
    from pipeline.catalogs.pofile import write_catalog
    from pipeline.speedups import settle

    settle()
    written = []
    for path in config.documents() or [config.path(config.source_dir) / "*.md"]:
        if not path.exists():
            raise ConfigError(f"no Markdown documents in {shown(path.parent, config.root)}/")
        template = extract([path], config.project_name, config.front_matter_fields, config.root)
        target = config.template_path(path.stem)
        written.append(WrittenCatalog(target, len(template), write_catalog(template, target, durable=False)))
    if config.layouts_dir.is_dir():
        from pipeline.catalogs.layouts import extract_layout_messages

        template = extract_layout_messages(config.layouts_dir, config.project_name)
        target = config.template_path(LAYOUTS_DOMAIN)
        written.append(WrittenCatalog(target, len(template), write_catalog(template, target, durable=False)))
    if config.terms_file:
        written.append(write_glossary(config))
    return written


def glossary_path(config: Config) -> Path:
    """``locales/glossary.csv``: the do-not-translate list as a Weblate glossary, next to the templates."""
    return config.path(config.locales_dir) / GLOSSARY_FILE


GLOSSARY_FILE = "glossary.csv"
"""File name of the glossary export in the locales folder."""


def write_glossary(config: Config) -> WrittenCatalog:
    """Export the do-not-translate list (the one place it is kept) as ``locales/glossary.csv``."""
    from pipeline.atomic import write_bytes
    from pipeline.catalogs.extract import glossary_csv
    from pipeline.catalogs.qa import load_terms

    if config.terms_file is None:
        raise ConfigError("no do-not-translate list configured ([tool.plainleaf].terms)")
    terms = load_terms(config.path(config.terms_file))
    target = glossary_path(config)
    try:
        written = write_bytes(target, glossary_csv(terms).encode("utf-8"), durable=False)
    except OSError as exc:
        raise CatalogError(f"cannot write the glossary: {exc.strerror or exc}", shown(target, config.root)) from exc
    return WrittenCatalog(target, len(terms), written, unit="terms")


def update_catalogs(config: Config, locales: Sequence[str]) -> list[WrittenCatalog]:
    """Merge every template into the catalogs of ``locales``, creating the missing ones."""
    from pipeline.catalogs.merge import init_catalog, merge_catalog
    from pipeline.catalogs.pofile import read_catalog, write_catalog

    results = []
    for domain in domains(config):
        template = read_catalog(_template(config, domain))
        for locale in locales:
            target = config.catalog_path(locale, domain)
            if not target.exists():
                write_catalog(init_catalog(template, locale), target)
                results.append(WrittenCatalog(target, len(template), True, "created"))
                continue
            result = merge_catalog(read_catalog(target), template)
            summary = ", ".join(f"{count} {name}" for name, count in result.counts().items() if count)
            written = write_catalog(result.catalog, target)
            results.append(WrittenCatalog(target, len(result.catalog), written, summary or "nothing to merge"))
    return results


def init_locale(config: Config, locale: str, *, force: bool = False) -> list[WrittenCatalog]:
    """The catalogs of a new locale, from the templates; an existing one is refused unless ``force``."""
    from pipeline.catalogs.merge import init_catalog
    from pipeline.catalogs.pofile import read_catalog, write_catalog

    results = []
    for domain in domains(config):
        template = read_catalog(_template(config, domain))
        target = config.catalog_path(locale.replace("-", "_"), domain)
        if target.exists() and not force:
            raise CatalogError(
                "catalog exists; use 'plainleaf update' (or --force to start over)", shown(target, config.root)
            )
        write_catalog(init_catalog(template, locale), target)
        results.append(WrittenCatalog(target, len(template), True, "created"))
    return results


def project_stats(config: Config, locales: Sequence[str]) -> list[CatalogStats]:
    """How complete every catalog of ``locales`` is, by locale then domain."""
    from pipeline.catalogs.pofile import read_catalog
    from pipeline.catalogs.stats import catalog_stats

    rows = []
    for locale in locales:
        for domain in domains(config):
            path = config.catalog_path(locale, domain)
            if not path.exists():
                raise CatalogError("catalog missing; run 'plainleaf update'", shown(path, config.root))
            rows.append(catalog_stats(read_catalog(path), locale, domain))
    return rows


@dataclass(slots=True)
class CheckResult:
    """What checking a project's translations found."""

    findings: list[EntryFinding] = field(default_factory=list)
    """Every finding, by locale, domain and entry."""
    unreadable: list[PipelineError] = field(default_factory=list)
    """Catalogs that could not be read or checked."""


def check_project(config: Config, locales: Sequence[str], *, strict: bool = False) -> CheckResult:
    """Check every catalog of ``locales`` against its msgids; collect every finding and every unreadable file.

    Each locale's catalogs are then compared with each other (the same msgid translated two ways); ``strict``
    also reports fuzzy and untranslated entries, as warnings. What an unchanged catalog was found to hold is read
    back (:class:`KeptChecks`).
    """
    checks = KeptChecks(config, strict=strict)
    result = CheckResult()
    for locale in locales:
        paths = []
        for domain in domains(config):
            path = config.catalog_path(locale, domain)
            try:
                result.findings += checks.catalog(path, locale)
            except CatalogError as exc:
                exc.path = shown(Path(exc.path)) if exc.path else shown(path, config.root)
                result.unreadable.append(exc)
                continue
            paths.append(path)
        result.findings += checks.consistency(locale, paths)
    checks.save()
    return result


class KeptChecks:
    """The translation check with a memory (:mod:`pipeline.memory`): each catalog's findings are kept under the
    digest of its bytes, its name and locale, the do-not-translate list, the strictness, the checking code and the
    versions of the packages it uses; each locale's comparison of its catalogs under the digests of all of them.

    Measured on the shipped project: checking its 16 catalogs took 1.2 s (the meaning checks, about 0.1 s a
    catalog); read back, a few milliseconds. So ``make`` with one Spanish entry changed checks that catalog only,
    and the build's print gate (:mod:`pipeline.builder.gates`) reads the check's result instead of checking again.
    A catalog that cannot be read is never kept: it is said again on every run.
    """

    def __init__(self, config: Config, *, strict: bool = False) -> None:
        from pipeline.memory import DISTRIBUTIONS, Memory, distribution_versions, file_digest

        self.config = config
        """The project."""
        self.strict = strict
        """Whether fuzzy and untranslated entries are reported too."""
        self.memory = Memory(config.path(config.output_dir), "check")
        """The kept findings."""
        self._terms_path = config.path(config.terms_file) if config.terms_file else None
        self._terms: list[str] | None = None
        self._read: dict[Path, polib.POFile] = {}  # catalogs checked now, for the locale's comparison
        self._common = {
            "terms": file_digest(self._terms_path) if self._terms_path is not None else None,
            "strict": strict,
            "packages": distribution_versions(DISTRIBUTIONS["check"]),
        }

    def _key(self, **parts: object) -> str:
        from pipeline.memory import key_of

        return key_of({**self._common, **parts})

    def catalog(self, path: Path, locale: str) -> list[EntryFinding]:
        """The findings of one catalog, read back when it is unchanged; :class:`CatalogError` when it cannot be
        read or its locale is unknown."""
        from pipeline.catalogs.pofile import read_catalog
        from pipeline.catalogs.qa import check_catalog, check_completeness, load_terms
        from pipeline.memory import file_digest

        name = shown(path, self.config.root)
        key = self._key(catalog=file_digest(path), path=name, locale=locale)
        kept: list[EntryFinding] | None = self.memory.get(f"catalog:{name}", key)
        if kept is not None:
            return kept
        if self._terms is None:
            self._terms = load_terms(self._terms_path) if self._terms_path is not None else []
        catalog = self._read[path] = read_catalog(path)
        findings = check_catalog(catalog, name, locale, self._terms)
        if self.strict:
            findings += check_completeness(catalog, name)
        self.memory.put(f"catalog:{name}", key, findings)
        return findings

    def consistency(self, locale: str, paths: Sequence[Path]) -> list[EntryFinding]:
        """The same msgid translated two ways in the readable catalogs ``paths`` of ``locale`` (domain order)."""
        from pipeline.catalogs.pofile import read_catalog
        from pipeline.catalogs.qa import check_consistency
        from pipeline.memory import file_digest

        names = [shown(path, self.config.root) for path in paths]
        key = self._key(locale=locale, catalogs=[(name, file_digest(p)) for name, p in zip(names, paths, strict=True)])
        kept: list[EntryFinding] | None = self.memory.get(f"consistency:{locale}", key)
        if kept is not None:
            return kept
        read = [
            (name, self._read[p] if p in self._read else read_catalog(p)) for name, p in zip(names, paths, strict=True)
        ]
        findings = check_consistency(read)
        self.memory.put(f"consistency:{locale}", key, findings)
        return findings

    def save(self) -> None:
        """Keep what this run checked for the next one."""
        self.memory.save()

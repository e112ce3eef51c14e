"""What a build is asked to do and what it did: options, job selection and shards, outcomes, the plan's key.

Cheap to import: the command line and a build with nothing to do need only this, the manifest and fingerprints.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from pipeline.builder.fingerprint import digest, files_digest, inputs_digest
from pipeline.builder.manifest import FileHasher, JobRecord, PlannedJob
from pipeline.config import Config
from pipeline.formats import default_formats

PRINT_PRODUCTS = ("large-print", "handout", "summary")
"""Names of the print products (``pipeline.render.default_products``), known without importing the renderer."""
PRODUCT_NAMES = (*PRINT_PRODUCTS, *(name for name, kind in default_formats().items() if not kind.print))
"""Names of every product: print, then each alternative format of the registry (one product per document)."""
EXECUTORS = ("process", "dask")
"""Where jobs run: worker processes on this machine, or a Dask distributed cluster."""


@dataclass(slots=True, frozen=True)
class Shard:
    """Share ``number`` of ``count`` of the jobs, by a stable hash of each job's id."""

    number: int
    """1-based."""
    count: int
    """How many shards the jobs are split into."""

    def __str__(self) -> str:
        return f"{self.number}/{self.count}"

    def holds(self, job_id: str) -> bool:
        """Whether the job belongs to this shard (the same answer on every machine, whatever the job order)."""
        return shard_of(job_id, self.count) == self.number - 1


def shard_of(job_id: str, count: int) -> int:
    """0-based shard of ``job_id`` among ``count``: SHA-256 of the id, so neither list position nor Python's
    per-process string hashing matters."""
    return int.from_bytes(hashlib.sha256(job_id.encode("utf-8")).digest()[:8], "big") % count


def parse_shard(text: str) -> Shard:
    """``K/N`` with 1 <= K <= N; ValueError otherwise."""
    number, _, count = text.partition("/")
    try:
        shard = Shard(int(number), int(count))
    except ValueError:
        raise ValueError(f"expected K/N such as 1/3, got {text!r}") from None
    if not 1 <= shard.number <= shard.count:
        raise ValueError(f"expected K/N with 1 <= K <= N, got {text!r}")
    return shard


@dataclass(slots=True)
class BuildOptions:
    """What to build and how."""

    locales: list[str] | None = None
    """Only these locale codes (the source language may be named); None for all."""
    products: list[str] | None = None
    """Only these products; None for all."""
    documents: list[str] | None = None
    """Only products of these documents (file stems in the source folder); None for all."""
    shard: Shard | None = None
    """Only this share of the selected jobs."""
    force: bool = False
    """Render every selected job even when up to date."""
    dry_run: bool = False
    """Decide what is up to date and what would be rendered, but render and write nothing."""
    workers: int = 1
    """Worker processes (``process`` executor); 1 renders in this process."""
    executor: str = "process"
    """``process`` or ``dask``."""
    scheduler: str | None = None
    """Address of the Dask scheduler (``tcp://host:8786``)."""
    draft: bool = False
    """Build incomplete translations as marked drafts."""
    threshold: float = 100.0
    """Percent of confirmed entries a translation needs to be printed."""
    pseudo: bool = False
    """Also build the pseudo-locales ``en_XA`` and ``ar_XB``."""
    clinic: Path | None = None
    """Clinic file; None for ``clinic.toml`` of the project when there is one."""
    grades: bool = True
    """Compute reading grades for the index."""
    verbose: bool = False
    """List every job in the closing table, up-to-date ones too (``build -v``); changes nothing built."""

    def plan_settings(self) -> dict[str, Any]:
        """The options that change the plan (not the selection)."""
        return {"draft": self.draft, "threshold": self.threshold, "pseudo": self.pseudo}


def select(jobs: Sequence[PlannedJob], options: BuildOptions) -> list[PlannedJob]:
    """The jobs ``options`` ask for: by locale, product and document, then by shard."""
    chosen = []
    for job in jobs:
        if options.locales is not None and job.locale not in options.locales:
            continue
        if options.products is not None and job.product not in options.products:
            continue
        if options.documents is not None and job.document not in options.documents:
            continue
        if options.shard is not None and not options.shard.holds(job.id):
            continue
        chosen.append(job)
    return chosen


def clinic_path(config: Config, options: BuildOptions) -> Path | None:
    """The clinic file the build uses: the one given, else the project's ``clinic.toml`` when it exists."""
    if options.clinic is not None:
        return options.clinic if options.clinic.is_absolute() else Path.cwd() / options.clinic
    default = config.root / "clinic.toml"
    return default if default.is_file() else None


def plan_key(
    config: Config,
    options: BuildOptions,
    hasher: FileHasher,
    environment: dict[str, Any],
    code: Mapping[str, list[str]],
) -> str:
    """Digest of everything planning reads: configuration, plan options, the documents there are, every catalog of
    every configured locale, the layouts there are, the clinic file, the do-not-translate list, the rendering and
    checking code (``render`` and ``check`` of ``code``) and their packages."""
    source = config.path(config.source_dir)
    locales = config.path(config.locales_dir)
    catalogs = {}
    for locale in config.locales:
        folder = locales / locale.code / "LC_MESSAGES"
        catalogs[locale.code] = [(p.name, hasher.digest(p)) for p in sorted(folder.glob("*.po"))]
    clinic = clinic_path(config, options)
    layouts = config.layouts_dir
    terms = config.path(config.terms_file) if config.terms_file else None
    return digest({
        "config": {
            "source_language": config.source_language, "source_dir": str(config.source_dir),
            "locales_dir": str(config.locales_dir), "output_dir": str(config.output_dir),
            "front_matter_fields": list(config.front_matter_fields),
            "locales": [(loc.code, loc.reviewed) for loc in config.locales],
            "targets": config.readability_targets, "braille": config.braille_tables,
            "documents": {name: dataclasses.asdict(entry) for name, entry in sorted(config.declarations.items())},
        },
        "options": options.plan_settings(),
        "sources": sorted(p.relative_to(source).as_posix() for p in source.rglob("*")) if source.is_dir() else None,
        "catalogs": catalogs,
        "layouts": sorted(p.name for p in layouts.iterdir()) if layouts.is_dir() else None,
        "clinic": (str(clinic), hasher.digest(clinic)) if clinic else None,
        "terms": hasher.digest(terms) if terms is not None else None,
        "code": files_digest(hasher, [*code["render"], *code.get("check", [])]),
        "environment": environment,
    })  # fmt: skip


def job_digest(job: PlannedJob, hasher: FileHasher, root: Path, environment: dict[str, Any], code: str) -> str:
    """Digest of everything one job's outputs depend on."""
    return digest({
        "inputs": inputs_digest(hasher, job.inputs, root), "settings": job.settings,
        "environment": environment, "code": code,
    })  # fmt: skip


PLAN_DECISIONS = ("draft", "allow_draft", "missing", "held", "threshold")
"""Settings that are this plan's decisions about a job, not what its printed content is made from."""


def content_digest(job: PlannedJob, hasher: FileHasher, root: Path, environment: dict[str, Any], code: str) -> str:
    """Digest of what a product's content is made from: :func:`job_digest` without the plan's decisions, so a
    product stays current in the index when only the options of a later build differ (``--draft``)."""
    settings = {key: value for key, value in job.settings.items() if key not in PLAN_DECISIONS}
    return digest({
        "inputs": inputs_digest(hasher, job.inputs, root), "settings": settings,
        "environment": environment, "code": code,
    })  # fmt: skip


def layout_key(job: PlannedJob, hasher: FileHasher, root: Path, environment: dict[str, Any], code: str) -> str:
    """Digest of what a layout depends on besides its HTML: fonts, files the layouts load, WeasyPrint, code."""
    fixed = [(role, path) for role, path in job.inputs if role in ("font", "layout-file")]
    return digest({"inputs": inputs_digest(hasher, fixed, root), "environment": environment, "code": code})


def grade_digest(job: PlannedJob, config: Config, hasher: FileHasher, environment: dict[str, Any], code: str) -> str:
    """Digest of what the reading grade of a job's text depends on."""
    return digest({
        "inputs": [(path, hasher.digest(config.root / path)) for path in job.grade_inputs],
        "locale": job.locale, "targets": config.readability_limits(job.document),
        "environment": environment, "code": code,
    })  # fmt: skip


def index_state(
    job: PlannedJob, record: JobRecord | None, current: Callable[[PlannedJob, JobRecord], bool]
) -> tuple[str, str | None]:
    """The job's state as it is now and why, from the plan (just made from the catalogs as they are) and its record.
    One of: ``ready`` to print, ``previous`` (its last ready edition printable while the next waits for translation
    or review: :mod:`pipeline.builder.editions`), ``draft`` (built as a marked draft), ``held`` back by translation
    check errors, ``not built`` (incomplete, failed, or never built), or ``out of date`` (its record no longer
    matches its inputs or its files: built from what has changed since). ``current`` says whether a record still
    matches its inputs and its files."""
    if record is not None and record.status == "previous" and not job.held:  # kept on purpose, see editions
        return ("previous", record.behind) if current(job, record) else ("out of date", None)
    if not job.buildable:  # the plan, not an older record, knows what keeps it from print now
        return ("held", job.held) if job.held else ("not built", job.missing)
    if record is None:
        return "not built", "not built yet"
    if not current(job, record) or (record.status == "built" and record.draft != job.draft):
        return "out of date", None
    if record.status == "built":
        return ("draft", record.missing) if record.draft else ("ready", None)
    return ("held" if record.status == "held" else "not built"), record.reason


def index_lines(
    jobs: Sequence[PlannedJob],
    records: Mapping[str, JobRecord],
    grades: Mapping[str, dict[str, Any]],
    current: Callable[[PlannedJob, JobRecord], bool],
    thumbnails: Mapping[str, Mapping[str, str]] | None = None,
    audits: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """What the index shows of each planned job, as plain data (its digest decides whether to write it again):
    state, files, pages, reading grade and verdict, for a print PDF the thumbnail of its page 1 as
    ``thumbnails`` records it (None when not made yet, ``thumbnail_error`` when it could not be), and the first
    error the audit found in its files as they are (``audits``: :func:`pipeline.builder.manifest.load_audits`)."""
    from pipeline.builder.thumbnails import thumbnail_path

    lines = []
    for job in jobs:
        record = records.get(job.id)
        state, reason = index_state(job, record, current)
        product = job.settings.get("product", {})
        line: dict[str, Any] = {"id": job.id, "reviewed": job.reviewed, "state": state, "reason": reason}
        if product.get("guide_link"):
            line["guide_url"] = job.settings.get("guide_url")
        if job.settings.get("english_fields"):
            line["english_fields"] = list(job.settings["english_fields"])
        review = job.settings.get("review") or {}
        line["unreviewed"] = int(review.get("unreviewed", 0))
        if record is not None and state in ("ready", "previous", "draft"):
            line.update(pages=record.pages, paper=record.paper, date_text=record.date_text)
            line["edition"] = dict(record.edition)
            line["files"] = {name: item.path for name, item in record.outputs.items()}
            for item in record.outputs.values():
                audited = (audits or {}).get(item.path)
                if audited is not None and audited.get("sha256") == item.sha256 and audited.get("error"):
                    line["audit_failure"] = str(audited["error"])
                    break
            graded = grades.get(f"{job.locale}/{job.document}", {})
            line["grade"], line["verdict"] = graded.get("grade"), graded.get("verdict")
            if "pdf" in record.outputs:
                path = thumbnail_path(record.outputs["pdf"].path)
                made = (thumbnails or {}).get(path)
                line["thumbnail"] = None
                if made is not None and made.get("pdf") == record.outputs["pdf"].sha256:
                    line["thumbnail"] = None if made.get("error") else path
                    line["thumbnail_error"] = made.get("error")
        lines.append(line)
    return lines


def wanted_thumbnails(lines: Sequence[dict[str, Any]], records: Mapping[str, JobRecord]) -> list[tuple[str, str, str]]:
    """``(pdf, its sha256, thumbnail)`` of every PDF the index shows, paths relative to the output folder."""
    from pipeline.builder.thumbnails import thumbnail_path

    wanted = []
    for line in lines:
        record = records.get(line["id"])
        if record is not None and "pdf" in line.get("files", {}):
            pdf = record.outputs["pdf"]
            wanted.append((pdf.path, pdf.sha256, thumbnail_path(pdf.path)))
    return wanted


def index_digest(lines: Sequence[dict[str, Any]], template: str, code: str, environment: dict[str, Any]) -> str:
    """Digest of the index's content: its lines, its template and the code that renders it."""
    return digest({"lines": list(lines), "template": template, "code": code, "environment": environment})


@dataclass(slots=True)
class JobOutcome:
    """What happened to one selected job in this build."""

    id: str
    """``<locale>/<document>/<product>``."""
    status: str
    """``built``, ``up to date``, ``previous`` (its last ready edition kept: the next waits for translation or
    review), ``skipped`` (incomplete), ``held back`` (translation check errors), ``failed`` or, in a dry run,
    ``to build``."""
    reason: str | None = None
    """Why skipped, held back or failed."""
    seconds: float = 0.0
    """Time the job took (rendered jobs)."""
    pages: int = 0
    """Page count (built and up-to-date jobs)."""
    draft: bool = False
    """Built as a draft."""
    detail: str | None = None
    """Traceback of an unexpected error (shown with ``--debug``)."""

    @property
    def name(self) -> str:
        """``es summary`` (the locale and file stem a person recognises)."""
        locale, document, product = self.id.split("/")
        return f"{locale} {product if product == document else f'{document}-{product}'}"


STATUSES = ("built", "up to date", "previous", "skipped", "held back", "failed", "to build")
"""Outcome statuses in the order the closing table lists them."""


@dataclass(slots=True)
class BuildReport:
    """What a build did."""

    outcomes: list[JobOutcome] = field(default_factory=list)
    """Every selected job."""
    planned: int = 0
    """Jobs in the whole plan (before selection)."""
    seconds: float = 0.0
    """Wall time."""
    index_written: bool = False
    """Whether ``index.html`` was (re)written."""
    thumbnails_made: int = 0
    """Thumbnails of PDFs rendered by this build for the index (0 when every PDF's was current)."""
    rendered_here: bool = False
    """Whether anything was planned or rendered (False: a no-op decided from the manifest alone)."""
    repaired: list[Path] = field(default_factory=list)
    """Leftover temporary files of killed builds that were removed."""
    warnings: list[str] = field(default_factory=list)
    """What the plan warns of (a document that declares no product)."""
    removed: list[Path] = field(default_factory=list)
    """Files of products no longer planned (a document or a language removed) that an earlier build made, removed."""
    strangers: list[Path] = field(default_factory=list)
    """Files in the output's product folders that no build made, left alone and named."""

    @property
    def held(self) -> list[JobOutcome]:
        """Jobs held back from print by translation check errors."""
        return [outcome for outcome in self.outcomes if outcome.status == "held back"]

    @property
    def failures(self) -> list[JobOutcome]:
        """Jobs that should have been built but failed."""
        return [outcome for outcome in self.outcomes if outcome.status == "failed"]

    def count(self, status: str) -> int:
        """How many selected jobs ended with ``status``."""
        return sum(outcome.status == status for outcome in self.outcomes)


class BuildObserver(Protocol):
    """Told about progress (the command line draws it; the build itself never prints)."""

    def started(self, total: int) -> None:
        """``total`` jobs are about to be rendered."""

    def finished(self, outcome: JobOutcome) -> None:
        """One rendered job is done."""

"""One render job as a self-contained task: what a worker process (or a Dask worker on another machine) runs.

A task carries plain data (paths, the product's rules, the configuration), so it pickles small; the worker builds
its renderer from it, keeps one font catalog per process (reading fonts is the costly part), renders, and either
writes the files itself (same machine) or sends their bytes back (another machine).
"""

from __future__ import annotations

import contextlib
import functools
import time
import traceback
from collections.abc import Iterator, MutableMapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.builder.manifest import JobRecord, OutputFile, sha256_bytes, sha256_file
from pipeline.config import Config
from pipeline.errors import PipelineError

if TYPE_CHECKING:
    from pipeline.formats import Made
    from pipeline.render import FontCatalog, Job, Product, Renderer
    from pipeline.render.jobs import PageMap

PAGE_MAPS_DIR = ".plainleaf-pages"
"""Folder of the output holding each print product's page map (:class:`pipeline.render.jobs.PageMap`), as
its PDF job laid it out: ``<locale>/<document>-<product>.json``, with the digest of the job's inputs it is of."""


@dataclass(slots=True, frozen=True)
class RenderSettings:
    """What every task of one build shares."""

    config: Config
    """The project."""
    layouts_dir: Path
    """Templates and CSS."""
    clinic_path: Path | None
    """Clinic file, or None for a blank contact box."""
    output_dir: Path
    """Where the outputs go."""
    write: bool
    """Whether the worker writes the files (it shares the output folder) or returns their bytes."""


@dataclass(slots=True)
class RenderTask:
    """One job to render."""

    id: str
    """``<locale>/<document>/<product>``."""
    settings: RenderSettings
    """Shared settings."""
    product: Product
    """What to make."""
    locale: str
    """Locale code."""
    document: Path
    """Source document."""
    catalog: Path | None
    """Its catalog in the locale."""
    reviewed: bool
    """Signed off by a qualified medical translator."""
    draft: bool
    """Planned as a draft."""
    missing: str | None
    """What keeps the translation from being final."""
    held: str | None
    """The first translation check error when that is what keeps it from being final (it is then a draft)."""
    allow_draft: bool
    """Whether an incomplete translation found while rendering may be built as a draft."""
    edition: str = ""
    """Short identifier of the edition, printed on the product."""
    print_product: Product | None = None
    """Of a web page, EPUB or braille: the print product of its document whose pages it numbers (None: none)."""
    print_digest: str = ""
    """Of a web page, EPUB or braille: the digest of its print product's job as planned; the page map kept under
    :data:`PAGE_MAPS_DIR` is used only when it was made from exactly that (empty: never used)."""
    expected: dict[str, str] = field(default_factory=dict)
    """SHA-256 of the document and catalogs as planned: a worker that sees other content refuses the job."""
    layout_pages: dict[str, int] = field(default_factory=dict)
    """Page counts of HTML laid out by the last build (valid for the same fonts, WeasyPrint and code)."""
    grade: bool = False
    """Whether the reading grade of the product's text is wanted (for the index)."""
    estimate: float = 0.0
    """Expected seconds, to start the longest jobs first."""


@dataclass(slots=True)
class TaskResult:
    """What a worker made of a task: the job's record as the manifest keeps it, and what travels only back."""

    id: str
    """The task's id."""
    record: JobRecord
    """What the build records: ``built``, ``skipped`` (incomplete translation found while rendering) or ``failed``,
    why, the files with their hashes, pages, paper, seconds, the page counts of the HTML laid out or looked up this
    time. The builder fills in what only it knows (``digest``, ``layout_key``, ``content``)."""
    detail: str | None = None
    """Traceback of an unexpected error (for ``--debug``)."""
    timings: dict[str, float] = field(default_factory=dict)
    """The renderer's own split: ``prepare``, ``layout``, ``write``."""
    data: dict[str, bytes] = field(default_factory=dict)
    """The files' bytes, when the worker did not write them."""
    grade: str | None = None
    """Reading grade of the text, when asked."""
    verdict: dict[str, Any] | None = None
    """Reading verdict of the text against its target (:class:`pipeline.readability.products.ReadingVerdict` as
    plain data), when asked."""
    graded: bool = False
    """Whether ``grade`` was computed."""
    page_map: dict[str, Any] | None = None
    """Of a print product: its page map (:meth:`pipeline.render.jobs.PageMap.to_json`), which the builder
    keeps for the web page, EPUB and braille of the same document and language."""

    @classmethod
    def failed(cls, id: str, reason: str) -> TaskResult:
        """A task that produced nothing, and why."""
        return cls(id, JobRecord("failed", "", reason))


class _UsedPages(MutableMapping[str, int]):
    """The remembered page counts, noting which ones this rendering used (the rest is forgotten)."""

    def __init__(self, known: dict[str, int]) -> None:
        self.known = known
        self.used: dict[str, int] = {}

    def __getitem__(self, key: str) -> int:
        self.used[key] = self.known[key]
        return self.known[key]

    def __setitem__(self, key: str, value: int) -> None:
        self.known[key] = self.used[key] = value

    def __delitem__(self, key: str) -> None:
        del self.known[key]
        self.used.pop(key, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self.known)

    def __len__(self) -> int:
        return len(self.known)

    def __contains__(self, key: object) -> bool:
        return key in self.known


@functools.cache
def _fonts() -> FontCatalog:
    """One font catalog per process: each font's coverage is read once, whatever the number of jobs."""
    from pipeline.render import FontCatalog

    return FontCatalog()


def warm_fonts(tasks: Sequence[RenderTask]) -> None:
    """Read the coverage of every font the tasks may use, before workers are forked: they inherit it instead
    of each reading it again."""
    from pipeline.render import fonts, text_locale
    from pipeline.render.errors import RenderError

    catalog = _fonts()
    scripts = {text_locale(task.locale).script for task in tasks}
    specs = [fonts.ATKINSON, fonts.NOTO_SANS] + ([fonts.NOTO_ARABIC] if "Arab" in scripts else [])
    specs += [fonts.CJK[script] for script in scripts if script in fonts.CJK]
    for spec in specs:
        with contextlib.suppress(RenderError):  # a missing font is reported by the job that needs it
            catalog.font(spec)


def page_map_path(output_dir: Path, job_id: str) -> Path:
    """Where the page map of the print job ``job_id`` (``<locale>/<document>/<product>``) is kept."""
    locale, document, product = job_id.split("/")
    return output_dir / PAGE_MAPS_DIR / locale / f"{document}-{product}.json"


def write_page_map(output_dir: Path, job_id: str, digest: str, draft: bool, data: dict[str, Any]) -> None:
    """Keep a print job's page map with the digest of the inputs it was made from and whether it was a draft."""
    import json

    from pipeline.atomic import write_text

    kept = {"digest": digest, "draft": draft, "map": data}
    write_text(page_map_path(output_dir, job_id), json.dumps(kept, ensure_ascii=False, separators=(",", ":")))


def read_page_map(task: RenderTask) -> tuple[PageMap, bool] | None:
    """The page map of the task's print product and whether it was laid out as a draft, when one is kept for
    exactly the print job's inputs (:attr:`RenderTask.print_digest`); None otherwise (none kept yet, kept of other
    inputs, unreadable): the job then lays the print product out itself."""
    import json

    from pipeline.render.jobs import PageMap

    if task.print_product is None or not task.print_digest:
        return None
    locale, document, _product = task.id.split("/")
    path = page_map_path(task.settings.output_dir, f"{locale}/{document}/{task.print_product.name}")
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
        if kept.get("digest") != task.print_digest:
            return None
        return PageMap.from_json(kept["map"]), bool(kept.get("draft"))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _check_expected(task: RenderTask) -> None:
    for path, expected in task.expected.items():
        if sha256_file(Path(path)) != expected:
            raise PipelineError(
                "changed since the build was planned (edited during the build, or this worker has another copy of"
                " the project); build again",
                path,
            )


def _job(task: RenderTask) -> Job:
    from pipeline.render import Job, text_locale

    return Job(
        task.product, text_locale(task.locale), task.document, task.catalog, task.reviewed,
        draft=task.draft, missing=task.missing, held=task.held, allow_draft=task.allow_draft, edition=task.edition,
        print_product=task.print_product,
    )  # fmt: skip


def _make(
    renderer: Renderer, job: Job, pages: _UsedPages, output_dir: Path
) -> tuple[dict[str, tuple[Path, bytes]], Made]:
    """The job's files by key (path and bytes) and what was made, by its format's generator
    (:mod:`pipeline.formats`)."""
    from pipeline.formats import default_formats
    from pipeline.render.output import output_files

    made = default_formats().of(job.product).render(renderer, job, pages)
    paths = output_files(output_dir, job)
    return {name: (paths[name], data) for name, data in made.files.items()}, made


def _render(task: RenderTask, result: TaskResult, pages: _UsedPages) -> None:
    from pipeline.atomic import write_bytes
    from pipeline.render import (
        IncompleteTranslation,
        Layouts,
        RenderedProduct,
        Renderer,
        load_clinic,
        remove_other_versions,
    )

    settings = task.settings
    record = result.record
    config = settings.config
    _check_expected(task)
    clinic = load_clinic(settings.clinic_path, config.root) if settings.clinic_path is not None else None
    renderer = Renderer(config, Layouts(settings.layouts_dir), fonts=_fonts(), clinic=clinic)
    job = _job(task)
    known = read_page_map(task)
    job.print_map = known[0] if known is not None and known[1] == job.draft else None
    try:
        contents, rendered = _make(renderer, job, pages, settings.output_dir)
    except IncompleteTranslation as exc:
        job.missing = exc.message
        if not job.allow_draft:
            if settings.write:
                remove_other_versions(settings.output_dir, job, built=False)
            record.status, record.reason, record.missing = "skipped", exc.message, exc.message
            return
        job.draft = True
        job.print_map = known[0] if known is not None and known[1] else None  # a draft's pages, marked "Draft"
        contents, rendered = _make(renderer, job, pages, settings.output_dir)
    if settings.write:
        remove_other_versions(settings.output_dir, job, built=True)
        for path, data in contents.values():
            write_bytes(path, data)
    else:
        result.data = {name: data for name, (_path, data) in contents.items()}
    record.outputs = {
        name: OutputFile(path.relative_to(settings.output_dir).as_posix(), sha256_bytes(data))
        for name, (path, data) in contents.items()
    }
    record.status, record.draft, record.missing = "built", job.draft, job.missing
    record.pages, record.date_text, record.title = rendered.pages, rendered.date_text, rendered.title
    result.timings = rendered.timings
    if isinstance(rendered, RenderedProduct):  # print: laid out on a sheet at a chosen type size
        record.paper, record.font_size_pt = rendered.paper.name, rendered.font_size_pt
        from pipeline.render.print_pages import page_map

        # Its pages for the web page, EPUB and braille of the same document, which otherwise lay it out again.
        result.page_map = page_map(job.product.name, rendered.pages, rendered.layout.document).to_json()


def remove_outputs(task: RenderTask) -> None:
    """Delete the task's earlier outputs (a failed job must not leave an outdated product a patient could take
    for the current one)."""
    from pipeline.render import remove_other_versions

    remove_other_versions(task.settings.output_dir, _job(task), built=False)


def render_task(task: RenderTask) -> TaskResult:
    """Render one task; every error becomes a failed result, so one job never stops the others."""
    started = time.perf_counter()
    result = TaskResult(task.id, JobRecord("failed", ""))
    record = result.record
    pages = _UsedPages(dict(task.layout_pages))
    try:
        _render(task, result, pages)
    except PipelineError as exc:
        record.status, record.reason = "failed", str(exc)
        if task.settings.write:
            remove_outputs(task)
    except Exception as exc:
        record.status, record.reason = "failed", f"internal error: {type(exc).__name__}: {exc}"
        result.detail = traceback.format_exc()
    record.layout_pages = pages.used
    if task.grade and record.status == "built":
        from pipeline.readability.products import reading_verdict

        verdict = reading_verdict(task.settings.config, task.document, task.catalog, task.locale)
        result.grade, result.verdict, result.graded = verdict.grade, verdict.to_json(), True
    record.seconds = time.perf_counter() - started
    return result

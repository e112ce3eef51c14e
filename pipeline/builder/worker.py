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

from pipeline.builder.manifest import OutputFile, sha256_bytes, sha256_file
from pipeline.config import Config
from pipeline.errors import PipelineError

if TYPE_CHECKING:
    from pipeline.render import FontCatalog, Job, Product, Renderer


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
    """What a worker made of a task."""

    id: str
    """The task's id."""
    status: str
    """``built``, ``skipped`` (incomplete translation found while rendering) or ``failed``."""
    reason: str | None = None
    """Why skipped or failed."""
    detail: str | None = None
    """Traceback of an unexpected error (for ``--debug``)."""
    draft: bool = False
    """Built as a draft."""
    missing: str | None = None
    """What keeps the translation from being final."""
    pages: int = 0
    """Page count."""
    paper: str = ""
    """Sheet size name."""
    date_text: str = ""
    """The document's date in the locale's format."""
    title: str = ""
    """Title in the product's language."""
    font_size_pt: float = 0.0
    """Body type size chosen."""
    seconds: float = 0.0
    """Wall time of the task."""
    timings: dict[str, float] = field(default_factory=dict)
    """The renderer's own split: ``prepare``, ``layout``, ``write``."""
    outputs: dict[str, OutputFile] = field(default_factory=dict)
    """Files by format, with their hashes."""
    data: dict[str, bytes] = field(default_factory=dict)
    """Their bytes, when the worker did not write them."""
    layout_pages: dict[str, int] = field(default_factory=dict)
    """Page counts of the HTML laid out or looked up this time."""
    grade: str | None = None
    """Reading grade of the text, when asked."""
    verdict: dict[str, Any] | None = None
    """Reading verdict of the text against its target (:class:`pipeline.readability.products.ReadingVerdict` as
    plain data), when asked."""
    graded: bool = False
    """Whether ``grade`` was computed."""


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
    )  # fmt: skip


def _make(
    renderer: Renderer, job: Job, pages: _UsedPages, output_dir: Path
) -> tuple[dict[str, tuple[Path, bytes]], Any]:
    """The job's files by format (path and bytes) and what was rendered: a print PDF with its HTML, or an
    alternative format (web page, EPUB, braille) from :mod:`pipeline.render.alternative`."""
    from pipeline.render import product_paths, render_product
    from pipeline.render.alternative import render_alternative
    from pipeline.render.output import output_files

    if job.product.format != "pdf":
        made = render_alternative(renderer, job)
        paths = output_files(output_dir, job)
        return {name: (paths[name], data) for name, data in made.files.items()}, made
    rendered = render_product(renderer, job, pages)
    pdf_path, html_path = product_paths(output_dir, job)
    return {"pdf": (pdf_path, rendered.pdf), "html": (html_path, rendered.html.encode("utf-8"))}, rendered


def _render(task: RenderTask, result: TaskResult, pages: _UsedPages) -> None:
    from pipeline.atomic import write_bytes
    from pipeline.render import IncompleteTranslation, Layouts, Renderer, load_clinic, remove_other_versions

    settings = task.settings
    config = settings.config
    _check_expected(task)
    clinic = load_clinic(settings.clinic_path, config.root) if settings.clinic_path is not None else None
    renderer = Renderer(config, Layouts(settings.layouts_dir), fonts=_fonts(), clinic=clinic)
    job = _job(task)
    try:
        contents, rendered = _make(renderer, job, pages, settings.output_dir)
    except IncompleteTranslation as exc:
        job.missing = exc.message
        if not job.allow_draft:
            if settings.write:
                remove_other_versions(settings.output_dir, job, built=False)
            result.status, result.reason, result.missing = "skipped", exc.message, exc.message
            return
        job.draft = True
        contents, rendered = _make(renderer, job, pages, settings.output_dir)
    if settings.write:
        remove_other_versions(settings.output_dir, job, built=True)
        for path, data in contents.values():
            write_bytes(path, data)
    else:
        result.data = {name: data for name, (_path, data) in contents.items()}
    result.outputs = {
        name: OutputFile(path.relative_to(settings.output_dir).as_posix(), sha256_bytes(data))
        for name, (path, data) in contents.items()
    }
    result.status, result.draft, result.missing = "built", job.draft, job.missing
    result.pages, result.date_text, result.title = rendered.pages, rendered.date_text, rendered.title
    result.timings = rendered.timings
    if job.product.format == "pdf":
        result.paper, result.font_size_pt = rendered.paper.name, rendered.font_size_pt


def remove_outputs(task: RenderTask) -> None:
    """Delete the task's earlier outputs (a failed job must not leave an outdated product a patient could take
    for the current one)."""
    from pipeline.render import remove_other_versions

    remove_other_versions(task.settings.output_dir, _job(task), built=False)


def render_task(task: RenderTask) -> TaskResult:
    """Render one task; every error becomes a failed result, so one job never stops the others."""
    started = time.perf_counter()
    result = TaskResult(task.id, "failed")
    pages = _UsedPages(dict(task.layout_pages))
    try:
        _render(task, result, pages)
    except PipelineError as exc:
        result.status, result.reason = "failed", str(exc)
        if task.settings.write:
            remove_outputs(task)
    except Exception as exc:
        result.status, result.reason = "failed", f"internal error: {type(exc).__name__}: {exc}"
        result.detail = traceback.format_exc()
    result.layout_pages = pages.used
    if task.grade and result.status == "built":
        from pipeline.readability.products import reading_verdict

        verdict = reading_verdict(task.settings.config, task.document, task.catalog, task.locale)
        result.grade, result.verdict, result.graded = verdict.grade, verdict.to_json(), True
    result.seconds = time.perf_counter() - started
    return result

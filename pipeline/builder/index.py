"""``output/index.html``, the print desk: every planned product as it is now, on disk and in the catalogs, one state
each, with what it is for and whom to give it to, a thumbnail of page 1, its files, pages, paper and reading level.

A product is ready to print, a marked draft, held back by translation check errors, not built (and why), or out of
date (built from inputs that have changed since, or its files gone): see :func:`pipeline.builder.jobs.index_state`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.atomic import write_text
from pipeline.builder.editions import desk_edition
from pipeline.builder.manifest import PlannedJob
from pipeline.formats import default_formats
from pipeline.readability.products import ReadingVerdict
from pipeline.render import Job, Layouts
from pipeline.render.messages import LayoutTranslations
from pipeline.render.paper import A4, LETTER, Paper

PAPERS = {paper.name: paper for paper in (LETTER, A4)}
"""Sheet sizes by the name a record keeps."""
TEMPLATE = "index.html.j2"
"""Template of the index in the layouts folder."""


@dataclass(slots=True, frozen=True)
class RecordedProduct:
    """A product as the manifest records it (the index needs no more)."""

    pages: int
    """Page count in its format's page unit (braille pages for braille; 0 for a format without pages)."""
    paper: Paper
    """Sheet size."""
    date_text: str
    """The document's date in the locale's format."""
    files: dict[str, str] = field(default_factory=dict)
    """Its files by key (:attr:`pipeline.formats.FormatFile.key`), relative to the output folder."""
    thumbnail: str | None = None
    """PNG of page 1 of its PDF, relative to the output folder; None when there is none."""
    thumbnail_error: str | None = None
    """Why page 1 could not be rendered, when it could not."""


@dataclass(slots=True)
class IndexLine:
    """One row of the index."""

    job: Job
    """The product and language."""
    rendered: RecordedProduct | None
    """The product on disk, or None when there is none ready or draft."""
    state: str
    """Its state as :func:`pipeline.builder.jobs.index_state` says (``ready``, ``draft``, ``held``, ``not built``,
    ``out of date``)."""
    reason: str | None
    """Why it is a draft, held back or not built."""
    grade: Any = None
    """Reading grade of the product's text, or None."""
    verdict: ReadingVerdict | None = None
    """The text's reading level against its target; None when not measured in this build."""
    guide_link: bool | None = None
    """For a product carrying the link to the full guide: whether the clinic file gives ``guide_url`` (None for
    other products)."""
    edition: dict[str, Any] = field(default_factory=dict)
    """The edition on disk (:class:`pipeline.builder.editions.Edition` as JSON); empty when none or unknown."""
    unreviewed: int = 0
    """Entries of its translation not signed off (or changed since), as planned now."""


DOCUMENT_NAMES = {"guide": "full guide", "handout": "handout", "summary": "one-page summary"}
"""How staff name the shipped documents, after an alternative format's name ("Web page of the full guide")."""


def index_rows(
    jobs: Sequence[PlannedJob], render_jobs: Mapping[str, Job], lines: Sequence[dict[str, Any]]
) -> list[IndexLine]:
    """The index's rows from the plan and what the records say of each job (see :func:`.jobs.index_lines`)."""
    rows = []
    for job, line in zip(jobs, lines, strict=True):
        render_job = render_jobs[job.id]
        render_job.draft = line["state"] == "draft"  # names the file on disk: the draft's, or the final's
        rendered = None
        if line["state"] in ("ready", "previous", "draft"):
            rendered = RecordedProduct(
                line["pages"], PAPERS.get(line["paper"], LETTER), line["date_text"], dict(line.get("files", {})),
                line.get("thumbnail"), line.get("thumbnail_error"),
            )  # fmt: skip
        verdict = line.get("verdict")
        guide_link = bool(line["guide_url"]) if "guide_url" in line else None
        rows.append(IndexLine(
            render_job, rendered, line["state"], line["reason"], line.get("grade"),
            ReadingVerdict.from_json(verdict) if verdict else None, guide_link, dict(line.get("edition") or {}),
            int(line.get("unreviewed", 0)),
        ))  # fmt: skip
    return rows


def product_name(job: Job) -> str:
    """``Large-print guide``; ``Web page`` of an alternative format (its document said apart, see
    :func:`document_name`); the file stem of a product without a label."""
    return job.product.label or job.product.file_stem(False)


def document_name(job: Job) -> str | None:
    """``of the full guide`` for an alternative format (one is made of every document), None for print."""
    if default_formats().of(job.product).print:
        return None
    document = job.product.document
    return f"of the {DOCUMENT_NAMES.get(document, document)}"


def verdict_text(verdict: ReadingVerdict | None) -> str:
    """The reading level as a plain verdict: ``Meets the plain-language target``, ``Above the target: grade 13.5,
    target 8 (advisory)``, ``Not checked: no validated formula for this language``."""
    if verdict is None:
        return "Not checked: reading level not measured by this build"
    if verdict.met is None:
        return f"Not checked: {verdict.reason or 'no target'}"
    if verdict.met:
        return "Meets the plain-language target"
    assert verdict.score is not None and verdict.target is not None
    above = verdict.scale != "ease"
    unit = "grade " if verdict.scale == "grade" else ("score " if verdict.scale == "ease" else "")
    text = f"{'Above' if above else 'Below'} the target: {unit}{verdict.score:.1f}, target {verdict.target:g}"
    return text + (" (advisory)" if verdict.advisory else "")


def verdict_detail(verdict: ReadingVerdict | None) -> str | None:
    """The formula behind the verdict and its value (``Flesch-Kincaid grade level 13.5; target at most 8``)."""
    if verdict is None or verdict.formula is None or verdict.score is None:
        return None
    text = f"{verdict.formula} {verdict.score:.1f}"
    if verdict.target is not None:
        text += f"; target {'at least' if verdict.scale == 'ease' else 'at most'} {verdict.target:g}"
        text += ", advisory" if verdict.advisory else ""
    return text


def pages_text(row: IndexLine) -> str:
    """``28 pages``, ``29 braille pages``, or ``—`` for a web page or an EPUB (their reader's device pages them)."""
    if row.rendered is None:
        return "—"
    return default_formats().of(row.job.product).page_count(row.rendered.pages) or "—"


def render_index(rows: Sequence[IndexLine], layouts: Layouts, output_dir: Path) -> str:
    """``output/index.html``: every product by language, with what it is for, page 1, files, pages, paper, date,
    reading verdict and state."""
    environment = layouts.environment(LayoutTranslations())
    languages: dict[str, list[dict[str, Any]]] = {}
    names = {}
    for row in rows:
        locale = row.job.locale
        names[locale.code] = locale
        kind = default_formats().of(row.job.product)
        entry: dict[str, Any] = {
            "row": row, "job": row.job, "rendered": row.rendered, "grade": row.grade, "format": kind.name,
            "print": kind.print,
            "name": product_name(row.job), "document": document_name(row.job), "purpose": row.job.product.purpose,
            "stem": row.job.product.file_stem(False), "pages": pages_text(row),
            "verdict": verdict_text(row.verdict), "verdict_detail": verdict_detail(row.verdict),
            "met": row.verdict.met if row.verdict is not None else None,
            "duplex": kind.print and row.job.product.max_pages == 2,
            "id": row.job.locale.code + "-" + row.job.product.file_stem(False),
            **desk_edition(row.edition, row.unreviewed, output_dir, locale.code, row.job.product.file_stem(False)),
        }  # fmt: skip
        if row.rendered is not None:
            labels = {file.key: file.label for file in kind.files}
            order = list(labels)  # main file first, whatever order the manifest kept them in
            files = sorted(
                row.rendered.files.items(), key=lambda item: order.index(item[0]) if item[0] in order else 99
            )
            entry["files"] = [(labels.get(name, name.upper()), path) for name, path in files]
        languages.setdefault(locale.code, []).append(entry)
    template = environment.get_template(TEMPLATE)
    return template.render(languages=[(names[code], entries) for code, entries in languages.items()])


def write_index(rows: Sequence[IndexLine], layouts: Layouts, output_dir: Path) -> bool:
    """Write ``index.html`` atomically; False when unchanged."""
    return write_text(output_dir / "index.html", render_index(rows, layouts, output_dir))

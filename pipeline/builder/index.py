"""``output/index.html``: every planned product as it is now, on disk and in the catalogs, one state each.

A product is ready to print, a marked draft, held back by translation check errors, not built (and why), or out of
date (built from inputs that have changed since, or its files gone): see :func:`pipeline.builder.jobs.index_state`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.atomic import write_text
from pipeline.builder.manifest import PlannedJob
from pipeline.render import Job, Layouts, product_paths
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
    """Page count."""
    paper: Paper
    """Sheet size."""
    date_text: str
    """The document's date in the locale's format."""


@dataclass(slots=True)
class IndexLine:
    """One row of the index."""

    job: Job
    """The product and language."""
    rendered: RecordedProduct | None
    """The product on disk, or None when there is none ready or draft."""
    state: str
    """One of :data:`pipeline.builder.jobs.INDEX_STATES`."""
    reason: str | None
    """Why it is a draft, held back or not built."""
    grade: Any = None
    """Reading grade of the product's text, or None."""


def index_rows(
    jobs: Sequence[PlannedJob], render_jobs: Mapping[str, Job], lines: Sequence[dict[str, Any]]
) -> list[IndexLine]:
    """The index's rows from the plan and what the records say of each job (see :func:`.jobs.index_lines`)."""
    rows = []
    for job, line in zip(jobs, lines, strict=True):
        render_job = render_jobs[job.id]
        render_job.draft = line["state"] == "draft"  # names the file on disk: the draft's, or the final's
        rendered = None
        if line["state"] in ("ready", "draft"):
            rendered = RecordedProduct(line["pages"], PAPERS.get(line["paper"], LETTER), line["date_text"])
        rows.append(IndexLine(render_job, rendered, line["state"], line["reason"], line.get("grade")))
    return rows


def render_index(rows: Sequence[IndexLine], layouts: Layouts, output_dir: Path) -> str:
    """``output/index.html``: every product by language with pages, date and reading grade."""
    environment = layouts.environment(LayoutTranslations())
    languages: dict[str, list[dict[str, Any]]] = {}
    names = {}
    for row in rows:
        if row.job.product.format != "pdf":
            # The template labels every row's files "PDF · HTML" with paper and page count: the web, EPUB and
            # braille editions wait for a row of their own (see README, Alternative formats) rather than a false one.
            continue
        locale = row.job.locale
        names[locale.code] = locale
        entry: dict[str, Any] = {"row": row, "job": row.job, "rendered": row.rendered, "grade": row.grade}
        if row.rendered is not None:
            pdf, html = product_paths(output_dir, row.job)
            entry["pdf"] = pdf.relative_to(output_dir).as_posix()
            entry["html"] = html.relative_to(output_dir).as_posix()
        languages.setdefault(locale.code, []).append(entry)
    template = environment.get_template(TEMPLATE)
    return template.render(languages=[(names[code], entries) for code, entries in languages.items()])


def write_index(rows: Sequence[IndexLine], layouts: Layouts, output_dir: Path) -> bool:
    """Write ``index.html`` atomically; False when unchanged."""
    return write_text(output_dir / "index.html", render_index(rows, layouts, output_dir))

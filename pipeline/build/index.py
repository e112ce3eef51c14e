"""``output/index.html`` from the build's records: every planned product, built now or earlier, or why not."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.build.manifest import PlannedJob
from pipeline.render import Job, Layouts
from pipeline.render.build import write_index
from pipeline.render.paper import A4, LETTER, Paper

PAPERS = {paper.name: paper for paper in (LETTER, A4)}
"""Sheet sizes by the name a record keeps."""


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
    """The product, or None when not built."""
    problem: str | None
    """Why it was not built."""


def write_build_index(
    output_dir: Path,
    layouts: Layouts,
    jobs: Sequence[PlannedJob],
    render_jobs: Mapping[str, Job],
    lines: Sequence[dict[str, Any]],
) -> bool:
    """Write ``index.html`` atomically; False when unchanged."""
    rows = []
    grades: dict[tuple[str, str], Any] = {}
    for job, line in zip(jobs, lines, strict=True):
        render_job = render_jobs[job.id]
        render_job.draft, render_job.missing = line["draft"], line["missing"]
        rendered = None
        if line["built"]:
            rendered = RecordedProduct(line["pages"], PAPERS.get(line["paper"], LETTER), line["date_text"])
            if line.get("grade") is not None:
                grades[(job.locale, job.document)] = line["grade"]
        rows.append(IndexLine(render_job, rendered, line.get("problem")))
    return write_index(rows, layouts, output_dir, grades)

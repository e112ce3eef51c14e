"""Where a product's files go and writing them: atomically, never leaving a stale final beside a draft."""

from __future__ import annotations

from pathlib import Path

from pipeline.atomic import write_bytes, write_text
from pipeline.render.jobs import Job
from pipeline.render.product import RenderedProduct


def product_paths(output_dir: Path, job: Job, draft: bool | None = None) -> tuple[Path, Path]:
    """Where the PDF and HTML of ``job`` go: ``output/<locale>/<document>-<product>[-draft].pdf``."""
    stem = job.product.file_stem(job.draft if draft is None else draft)
    folder = output_dir / job.locale.code
    return folder / f"{stem}.pdf", folder / f"{stem}.html"


def remove_other_versions(output_dir: Path, job: Job, built: bool) -> list[Path]:
    """Delete files a patient could mistake for this job's current version (a stale final when a draft or
    nothing is built now, a stale draft when the final is); returns what was removed."""
    stale = []
    for draft in (False, True):
        if built and draft == job.draft:
            continue
        for path in product_paths(output_dir, job, draft):
            if path.exists():
                path.unlink()
                stale.append(path)
    return stale


def write_product(rendered: RenderedProduct, output_dir: Path) -> list[Path]:
    """Write the PDF and HTML atomically; returns the files written (unchanged ones are not rewritten)."""
    pdf_path, html_path = product_paths(output_dir, rendered.job)
    remove_other_versions(output_dir, rendered.job, built=True)
    written = []
    if write_bytes(pdf_path, rendered.pdf):
        written.append(pdf_path)
    if write_text(html_path, rendered.html):
        written.append(html_path)
    return written

"""Where a product's files go and writing them: atomically, never leaving a stale final beside a draft."""

from __future__ import annotations

import contextlib
from pathlib import Path

from pipeline.atomic import write_bytes, write_text
from pipeline.formats import SITE, default_formats
from pipeline.render.jobs import Job
from pipeline.render.product import RenderedProduct


def site_page(job: Job, draft: bool | None = None) -> str:
    """The web page of ``job`` relative to the site folder: ``zh-Hans/guide/index.html`` (a draft in
    ``guide-draft/``, so a draft never takes the final address)."""
    draft = job.draft if draft is None else draft
    return f"{job.locale.tag}/{job.product.document}{'-draft' if draft else ''}/index.html"


def output_files(output_dir: Path, job: Job, draft: bool | None = None) -> dict[str, Path]:
    """Every file ``job`` writes, by file key, main file first, as its format (:mod:`.formats`) lists them:

    - print: ``pdf`` and ``html`` in ``output/<locale>/<document>-<product>[-draft].*``;
    - web: ``html`` at ``output/site/<lang-tag>/<document>[-draft]/index.html``;
    - EPUB: ``epub`` at ``output/<locale>/<document>[-draft].epub``;
    - braille: ``brf`` and its Unicode braille copy ``txt`` at ``output/<locale>/<document>[-draft].brf``/``.txt``.
    """
    draft = job.draft if draft is None else draft
    kind = default_formats().of(job.product)
    if kind.in_site:
        return {kind.files[0].key: output_dir / SITE / site_page(job, draft)}
    stem = job.product.file_stem(draft) if kind.print else job.product.document + ("-draft" if draft else "")
    return {file.key: output_dir / job.locale.code / f"{stem}{file.suffix}" for file in kind.files}


def product_paths(output_dir: Path, job: Job, draft: bool | None = None) -> tuple[Path, Path]:
    """The main file of ``job`` and its readable companion: the PDF and its HTML for print
    (``output/<locale>/<document>-<product>[-draft].pdf``), the BRF and its Unicode braille text for braille; the
    one file twice for a web page or an EPUB (see :func:`output_files` for every file by format)."""
    files = list(output_files(output_dir, job, draft).values())
    return files[0], files[-1]


def remove_other_versions(output_dir: Path, job: Job, built: bool) -> list[Path]:
    """Delete files a patient could mistake for this job's current version (a stale final when a draft or
    nothing is built now, a stale draft when the final is); returns what was removed."""
    stale = []
    for draft in (False, True):
        if built and draft == job.draft:
            continue
        for path in output_files(output_dir, job, draft).values():
            if path.exists():
                path.unlink()
                stale.append(path)
                if default_formats().of(job.product).in_site:  # the page's own folder, now empty
                    with contextlib.suppress(OSError):
                        path.parent.rmdir()
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

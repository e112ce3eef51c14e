"""The alternative formats of one job (web page, EPUB 3, braille), in memory: what the builder's worker writes.

Each generator (:mod:`.web`, :mod:`.epub`, :mod:`.braille`) is pure: it turns the job's prepared content (the same
translated, checked document the print products are made from) into the bytes of its files.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.render.content import Renderer
from pipeline.render.errors import RenderError
from pipeline.render.jobs import Job


@dataclass(slots=True)
class AlternativeProduct:
    """One job's files in an alternative format."""

    job: Job
    """What was made."""
    files: dict[str, bytes]
    """Bytes by format name, as :func:`pipeline.render.output.output_files` names the paths."""
    title: str
    """Title in the product's language."""
    date_text: str = ""
    """The document's date in the locale's format."""
    pages: int = 0
    """Braille pages (an embosser's sheets, one side each); 0 where the reader's device makes the pages."""
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds spent: ``prepare`` (translate and lay out the document) and ``write`` (make the files)."""


def render_alternative(renderer: Renderer, job: Job) -> AlternativeProduct:
    """Make ``job``'s files in its product's format; a RenderError when the job may not be built."""
    if not job.buildable:
        raise RenderError(f"{job.locale.code} {job.product.name}: not built: {job.missing}", job.catalog)
    kind = job.product.format
    if kind == "web":
        from pipeline.render.web import render_web

        return render_web(renderer, job)
    if kind == "epub":
        from pipeline.render.epub import render_epub

        return render_epub(renderer, job)
    if kind == "braille":
        from pipeline.render.braille import render_braille

        return render_braille(renderer, job)
    raise RenderError(f"{job.product.name}: unknown product format {kind!r}")

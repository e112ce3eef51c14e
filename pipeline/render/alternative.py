"""What a format the reader's device or an embosser lays out (web page, EPUB 3, braille) makes of one job, in memory:
what the builder's worker writes. The generators (:mod:`.web`, :mod:`.epub`, :mod:`.braille`) import this type;
:mod:`pipeline.formats` names them, so nothing here imports them back.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.render.jobs import Job


@dataclass(slots=True)
class AlternativeProduct:
    """One job's files in a format the reader's device or an embosser lays out (web page, EPUB, braille)."""

    job: Job
    """What was made."""
    files: dict[str, bytes]
    """Bytes by file key (:attr:`FormatFile.key`), as :func:`pipeline.render.output.output_files` names the paths."""
    title: str
    """Title in the product's language."""
    date_text: str = ""
    """The document's date in the locale's format."""
    pages: int = 0
    """Braille pages (an embosser's sheets, one side each); 0 where the reader's device makes the pages."""
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds spent: ``prepare`` (translate and lay out the document) and ``write`` (make the files)."""

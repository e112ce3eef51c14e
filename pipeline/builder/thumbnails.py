"""Thumbnails of page 1 of every print PDF, for ``output/index.html``: PNG files beside the products.

Each is rendered once by ``pdftoppm`` (poppler-utils) and recorded in the manifest with the SHA-256 of the PDF it
shows and its own, so a build that leaves a PDF unchanged does not render its thumbnail again (the 15 PDFs of the
shipped project take 1.2 s, 0.08 s each on average, at most 0.27 s for the Chinese handout, measured on the 2-core
build machine under load) and a thumbnail deleted or edited by hand is made again.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from pipeline.atomic import write_bytes
from pipeline.builder.manifest import ABSENT, sha256_file

FOLDER = "thumbnails"
"""Sub-folder of each language's output folder holding its thumbnails."""
WIDTH_PX = 240
"""Width of a thumbnail: sharp at twice the 120 CSS pixels the index shows it at; 24 to 58 KB each (shipped
project)."""
NO_TOOL = "pdftoppm (poppler-utils) is not installed"
"""Why a thumbnail could not be made, shown in place of it."""


def thumbnail_path(pdf: str) -> str:
    """``es/thumbnails/summary.png`` for ``es/summary.pdf`` (paths relative to the output folder, with ``/``)."""
    path = PurePosixPath(pdf)
    return (path.parent / FOLDER / f"{path.stem}.png").as_posix()


def thumbnail_current(output_dir: Path, pdf_sha256: str, record: Mapping[str, str] | None, path: str) -> bool:
    """Whether ``record`` describes a thumbnail of the PDF with ``pdf_sha256`` that is on disk as made (or a
    failure to make it that trying again would repeat: the tool missing)."""
    if record is None or record.get("pdf") != pdf_sha256:
        return False
    if record.get("error"):
        return record["error"] != NO_TOOL or shutil.which("pdftoppm") is None
    return sha256_file(output_dir / path) == record.get("sha256")


def make_thumbnail(output_dir: Path, pdf: str, path: str) -> dict[str, str]:
    """Render page 1 of ``pdf`` to ``path`` (both relative to ``output_dir``); the record the manifest keeps:
    ``{"pdf": sha256, "sha256": sha256}``, or ``{"pdf": sha256, "error": why}`` when it could not be made."""
    source = output_dir / pdf
    pdf_sha256 = sha256_file(source)
    tool = shutil.which("pdftoppm")
    if tool is None:
        return {"pdf": pdf_sha256, "error": NO_TOOL}
    with tempfile.TemporaryDirectory(prefix="plainleaf-thumb-") as folder:
        prefix = Path(folder) / "page"
        done = subprocess.run(
            [tool, "-f", "1", "-l", "1", "-singlefile", "-png", "-scale-to-x", str(WIDTH_PX), "-scale-to-y", "-1",
             str(source), str(prefix)],
            capture_output=True, text=True, check=False, timeout=60,
        )  # fmt: skip
        made = prefix.with_suffix(".png")
        if done.returncode != 0 or not made.is_file():
            why = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
            return {"pdf": pdf_sha256, "error": f"pdftoppm failed: {why}"}
        data = made.read_bytes()
    write_bytes(output_dir / path, data, durable=False)
    return {"pdf": pdf_sha256, "sha256": sha256_file(output_dir / path) if data else ABSENT}


def remove_thumbnails(output_dir: Path, keep: set[str]) -> list[Path]:
    """Delete thumbnails of PDFs that are gone (a draft replaced by its final, a product held back), so none is
    left beside the products to be mistaken for one; returns what was removed."""
    removed = []
    for path in sorted(output_dir.glob(f"*/{FOLDER}/*.png")):
        if path.relative_to(output_dir).as_posix() not in keep:
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed

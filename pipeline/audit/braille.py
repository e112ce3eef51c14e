"""Audit braille: a BRF's geometry (40 cells, 25 lines), its line ends, form feeds and braille page numbers, and
its Unicode braille twin (``.txt``), cell for cell.

The checks are data (:data:`BRF_CHECKS`), each citing the rule it stands for, as for every format.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.audit.checks import MAX_EXAMPLES
from pipeline.audit.files import in_locale_folders, locale_folder, stem_document
from pipeline.audit.model import Check, Finding, ProductAudit, Result, run_checks
from pipeline.errors import Severity
from pipeline.errors import shown as shown_path
from pipeline.render.errors import RenderError


def find(output_dir: Path) -> list[Path]:
    """Every BRF in a locale folder of ``output_dir``, sorted."""
    return in_locale_folders(output_dir, ".brf")


@dataclass(slots=True)
class Braille:
    """What the audit reads from one BRF and its Unicode braille twin."""

    path: Path
    """The BRF."""
    data: bytes
    """Its bytes."""
    twin: Path
    """The ``.txt`` beside it."""
    problems: list[str] = field(default_factory=list)
    """What the renderer's own geometry check (:func:`pipeline.render.braille.check_brf`) finds."""

    def pages(self) -> list[list[str]]:
        """Pages of lines, as the embosser reads them (CR LF line ends, a form feed between pages)."""
        pages = self.data.decode("ascii", errors="replace").split("\f")
        return [page.split("\r\n")[:-1] if page.endswith("\r\n") else page.split("\r\n") for page in pages]


def _geometry(kind: str) -> Callable[[Braille], Iterator[Result]]:
    """A check yielding the geometry problems of one kind (``cells``, ``lines``, ``not Braille ASCII``) found by
    the renderer's check, which the audit reuses rather than measuring a second way."""

    def check(braille: Braille) -> Iterator[Result]:
        found = [p for p in braille.problems if kind in p]
        for problem in found[:MAX_EXAMPLES]:
            yield Severity.ERROR, problem
        if len(found) > MAX_EXAMPLES:
            yield Severity.ERROR, f"{len(found) - MAX_EXAMPLES} more of the same"

    check.__doc__ = f"Problems of :func:`check_brf` that mention {kind!r}."
    return check


def check_brf_pages(braille: Braille) -> Iterator[Result]:
    """Lines end CR LF, pages are separated by form feeds, and the last line of each page ends with its braille page
    number at the right margin (cell 40), North American practice: t1, t2 ... for the transcriber-generated front
    matter, then 1, 2 ... for the text."""
    # Imported here, as in the two functions below: the braille renderer loads the whole renderer and WeasyPrint
    # (1.1 s), which an audit that only finds the BRFs (every result reused) never needs.
    from pipeline.render.braille import CELLS_PER_LINE, LINES_PER_PAGE, page_number, to_brf

    if not braille.data.strip():
        yield Severity.ERROR, "the BRF is empty"
        return
    text = braille.data.decode("ascii", errors="replace")
    if re.search(r"(?<!\r)\n|\r(?!\n)", text):
        yield Severity.ERROR, "lines must end CR LF: a bare LF or CR is in the file"
    if text.endswith("\f") or "\f\f" in text:
        yield Severity.ERROR, "an empty page: two form feeds together or one at the end"
    wrong = []
    pages = braille.pages()
    # The front matter ends where the text's page 1 is; when that number is missing, at the last t page.
    first = to_brf(page_number(1))
    numbered = [index for index, page in enumerate(pages) if page and page[-1].strip() == first]
    front = numbered[0] if numbered else sum(1 for page in pages if page and page[-1].strip().startswith("T#"))
    for number, page in enumerate(pages, 1):
        shown = number if number <= front else number - front
        expected = to_brf(page_number(shown, "t" if number <= front else ""))
        last = page[-1] if page else ""
        if (
            len(page) != LINES_PER_PAGE
            or len(last) != CELLS_PER_LINE
            or not last.endswith(expected)
            or last[: -len(expected)].strip()
        ):
            wrong.append(
                f"page {number}: line {len(page)} is {last!r}, not the page number {expected!r} alone at cell"
                f" {CELLS_PER_LINE} of line {LINES_PER_PAGE}"
            )
    for problem in wrong[:MAX_EXAMPLES]:
        yield Severity.ERROR, problem
    if len(wrong) > MAX_EXAMPLES:
        yield Severity.ERROR, f"{len(wrong) - MAX_EXAMPLES} more pages without their number at the bottom right"


def check_brf_twin(braille: Braille) -> Iterator[Result]:
    """The ``.txt`` twin holds the same pages and lines in Unicode braille, cell for cell."""
    from pipeline.render.braille import to_brf

    if not braille.twin.is_file():
        yield Severity.ERROR, f"no Unicode braille twin {braille.twin.name} beside the BRF"
        return
    try:
        text = braille.twin.read_text(encoding="utf-8")
        twin = [[to_brf(line) for line in page.split("\n")[:-1]] for page in text.split("\f")]
    except (OSError, UnicodeDecodeError, RenderError) as exc:
        yield Severity.ERROR, f"{braille.twin.name}: not Unicode braille: {exc}"
        return
    pages = braille.pages()
    if len(twin) != len(pages):
        yield Severity.ERROR, f"{braille.twin.name} has {len(twin)} pages, the BRF {len(pages)}"
        return
    for number, (ours, theirs) in enumerate(zip(twin, pages, strict=True), 1):
        for row in range(max(len(ours), len(theirs))):
            mine = ours[row] if row < len(ours) else None
            other = theirs[row] if row < len(theirs) else None
            if mine != other:
                yield (
                    Severity.ERROR,
                    f"page {number} line {row + 1}: {braille.twin.name} reads {mine!r} in Braille ASCII, the BRF"
                    f" {other!r}",
                )
                return


BRF_CHECKS: list[tuple[Check, Callable[[Braille], Iterable[Result]]]] = [
    (
        Check("brf-line", "At most 40 cells a line", "BANA Braille Formats (2016): 40 x 25 cells; BRF"),
        _geometry("cells, more than"),
    ),
    (
        Check("brf-page", "At most 25 lines a page", "BANA Braille Formats (2016): 40 x 25 cells; BRF"),
        _geometry("lines, more than"),
    ),
    (
        Check("brf-ascii", "Only North American Braille ASCII characters", "BRF (North American Braille ASCII)"),
        _geometry("not Braille ASCII"),
    ),
    (
        Check(
            "brf-pages",
            "CR LF lines, form feeds between pages, braille page number at the bottom right",
            "BANA Braille Formats (2016): braille page numbers; BRF",
        ),
        check_brf_pages,
    ),
    (
        Check("brf-twin", "The .txt twin holds the same text in Unicode braille", "Plainleaf braille twin (.txt)"),
        check_brf_twin,
    ),
]
"""The checks of every BRF, in report order."""


def audit_brf(path: Path, root: Path, output_dir: Path) -> ProductAudit:
    """Read one BRF and run every check of :data:`BRF_CHECKS` on it."""
    document, draft = stem_document(path.stem)
    shown = shown_path(path, root)
    audit = ProductAudit(
        file=shown,
        locale=locale_folder(path, output_dir),
        product=f"{document} (braille)",
        draft=draft,
        format="brf",
        checks=[check for check, _ in BRF_CHECKS],
    )
    try:
        data = path.read_bytes()
    except OSError as exc:
        audit.findings.append(Finding(shown, None, "brf-pages", Severity.ERROR, f"cannot read the BRF: {exc}"))
        return audit
    from pipeline.render.braille import check_brf

    braille = Braille(path, data, path.with_suffix(".txt"), list(check_brf(data)))
    audit.pages = len(braille.pages())
    run_checks(audit, BRF_CHECKS, braille)
    return audit


def audit_files(paths: list[Path], root: Path, output_dir: Path) -> list[ProductAudit]:
    """Audit BRFs one by one."""
    return [audit_brf(path, root, output_dir) for path in paths]

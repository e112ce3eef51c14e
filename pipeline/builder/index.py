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
    audit_failure: str | None = None
    """The first error the accessibility audit found in the product's files as they are on disk, or None (passed,
    or not audited since it was built)."""
    english_fields: tuple[str, ...] = ()
    """Clinic fields printed in the source language in this translated product (the clinic file has no
    translation of them)."""
    edition: dict[str, Any] = field(default_factory=dict)
    """The edition on disk (:class:`pipeline.builder.editions.Edition` as JSON); empty when none or unknown."""
    unreviewed: int = 0
    """Entries of its translation not signed off (or changed since), as planned now."""


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
            ReadingVerdict.from_json(verdict) if verdict else None, guide_link, line.get("audit_failure"),
            tuple(line.get("english_fields", ())), dict(line.get("edition") or {}), int(line.get("unreviewed", 0)),
        ))  # fmt: skip
    return rows


def product_name(job: Job) -> str:
    """``Large-print guide``, ``Web page``: the product as staff name it (its document said apart, see
    :func:`document_name`); the file stem of a product without a label."""
    return job.product.label or job.product.file_stem(False)


def document_name(job: Job) -> str:
    """The document's own title (front matter or first heading), else its file name."""
    return job.product.title or job.product.document


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


KIND_LABELS = {
    "large-print": "Large print", "handout": "Two-sided handout", "summary": "One-page summary",
    "web": "Web page", "epub": "EPUB e-book", "braille": "Braille (BRF)",
}  # fmt: skip
"""The desk's product filter: each product kind by the name staff use."""


def language_name(locale: Any) -> str:
    """``Spanish — español``: the language in English, for staff, and in itself, for the patient at the desk."""
    english = str(locale.data.english_name or locale.tag) if not locale.pseudo else locale.tag
    native = locale.display_name
    return english if native == english else f"{english} — {native}"


def _counts(rows: Sequence[IndexLine]) -> dict[str, int]:
    """The overview's counts: ready, behind (out of date or a draft), held back, failing the audit, not built."""
    counts = {"ready": 0, "behind": 0, "held": 0, "failing": 0, "not_built": 0}
    for row in rows:
        if row.audit_failure:
            counts["failing"] += 1
        elif row.state == "ready":
            counts["ready"] += 1
        elif row.state in ("out of date", "draft", "previous"):
            counts["behind"] += 1
        elif row.state == "held":
            counts["held"] += 1
        else:
            counts["not_built"] += 1
    return counts


def _entry(row: IndexLine, output_dir: Path) -> dict[str, Any]:
    """What the template shows of one row (with its edition and older editions: :func:`.editions.desk_edition`)."""
    job = row.job
    kind = default_formats().of(job.product)
    entry: dict[str, Any] = {
        "row": row, "job": job, "rendered": row.rendered, "grade": row.grade, "format": kind.name,
        "print": kind.print,
        "kind": job.product.name, "name": product_name(job), "document": document_name(job),
        "purpose": job.product.purpose, "audience": job.product.audience,
        "stem": job.product.file_stem(False), "pages": pages_text(row),
        "verdict": verdict_text(row.verdict), "verdict_detail": verdict_detail(row.verdict),
        "met": row.verdict.met if row.verdict is not None else None,
        "duplex": kind.print and row.job.product.max_pages == 2,
        "id": job.locale.code + "-" + job.product.file_stem(False),
        "audit_failure": row.audit_failure, "english_fields": row.english_fields, "print_file": None,
        **desk_edition(row.edition, row.unreviewed, output_dir, job.locale.code, job.product.file_stem(False)),
    }  # fmt: skip
    if row.rendered is not None:
        labels = {file.key: file.label for file in kind.files}
        order = list(labels)  # main file first, whatever order the manifest kept them in
        files = sorted(row.rendered.files.items(), key=lambda item: order.index(item[0]) if item[0] in order else 99)
        entry["files"] = [(labels.get(name, name.upper()), path) for name, path in files]
        if kind.print:
            entry["print_file"] = row.rendered.files.get(kind.files[0].key)
    return entry


def render_index(rows: Sequence[IndexLine], layouts: Layouts, output_dir: Path) -> str:
    """``output/index.html``: a jump list of languages and an overview (each document by language: how many of its
    products are ready, behind, held back, failing the audit, not built), then each language, headed in English and
    in itself, with its print products first (each with a Print button), its other formats after, and what was
    not built folded away; each product with what it is for, page 1, files, pages, paper, date, reading verdict
    and state. A small script filters by language and product; without it everything shows."""
    environment = layouts.environment(LayoutTranslations())
    by_language: dict[str, list[IndexLine]] = {}
    locales: dict[str, Any] = {}
    documents: dict[str, str] = {}
    for row in rows:
        locales[row.job.locale.code] = row.job.locale
        by_language.setdefault(row.job.locale.code, []).append(row)
        documents.setdefault(row.job.product.document, document_name(row.job))
    languages = []
    for code, language_rows in by_language.items():
        built = [row for row in language_rows if row.rendered is not None or row.state not in ("not built",)]
        sections = [
            {"caption": "Print products", "collapsed": False,
             "entries": [_entry(r, output_dir) for r in built if default_formats().of(r.job.product).print]},
            {"caption": "Other formats", "collapsed": False,
             "entries": [_entry(r, output_dir) for r in built if not default_formats().of(r.job.product).print]},
            {"caption": "Not built", "collapsed": True,
             "entries": [_entry(r, output_dir) for r in language_rows if r not in built]},
        ]  # fmt: skip
        languages.append((locales[code], sections))
    overview = [
        {
            "title": title,
            "counts": [
                _counts([row for row in by_language[code] if row.job.product.document == document])
                for code in by_language
            ],
        }
        for document, title in documents.items()
    ]
    kinds = list(dict.fromkeys(row.job.product.name for row in rows))
    template = environment.get_template(TEMPLATE)
    return template.render(
        languages=languages, overview=overview, language_name=language_name,
        product_kinds=[(kind, KIND_LABELS.get(kind, kind)) for kind in kinds],
    )  # fmt: skip


def write_index(rows: Sequence[IndexLine], layouts: Layouts, output_dir: Path) -> bool:
    """Write ``index.html`` atomically; False when unchanged."""
    return write_text(output_dir / "index.html", render_index(rows, layouts, output_dir))

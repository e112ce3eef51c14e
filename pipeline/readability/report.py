"""Readability reports for reviewers: every product in every language, scored against its targets.

``generate_report`` turns translated documents into :class:`ProductReadability` records (pure);
``render_html``, ``render_table`` and ``report_json`` present them; the command line writes them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from babel import Locale
from jinja2 import Environment, PackageLoader, select_autoescape
from markdown_it.token import Token

from pipeline.document import markdown_parser, plain_text
from pipeline.readability import formulas
from pipeline.readability.model import SCHEMA_VERSION, Analysis, Score, Target, TextUnit

PRODUCTS = {"guide": "large-print guide", "summary": "plain-language summary", "handout": "clinic handout"}
"""Reader-facing name of the product each shipped document becomes."""


@dataclass(slots=True)
class ProductReadability:
    """The readability of one document in one language, or why it was not measured."""

    document: str
    """Document (gettext domain), e.g. ``summary``."""
    locale: str
    """Locale code of the text measured."""
    analysis: Analysis | None
    """The analysis; None when the translation was not complete enough to measure."""
    skipped: str | None = None
    """Why there is no analysis (an incomplete translation)."""

    @property
    def product(self) -> str:
        """Reader-facing product name."""
        return PRODUCTS.get(self.document, self.document)

    @property
    def status(self) -> str:
        """``pass``, ``fail``, ``no target`` (validated, nothing to judge), ``no grade`` or ``skipped``."""
        if self.analysis is None:
            return "skipped"
        if not self.analysis.validated:
            return "no grade"
        passed = self.analysis.passed
        return "no target" if passed is None else ("pass" if passed else "fail")

    def to_dict(self) -> dict[str, Any]:
        """JSON form (see :func:`report_json`)."""
        return {
            "document": self.document,
            "product": self.product,
            "locale": self.locale,
            "status": self.status,
            "skipped": self.skipped,
            "analysis": self.analysis.to_dict() if self.analysis else None,
        }


@cache
def _formula_scales() -> dict[str, str]:
    return {f.id: f.scale for f in vars(formulas).values() if isinstance(f, formulas.Formula)}


def targets_from_config(limits: Mapping[str, float], source: str) -> list[Target]:
    """Targets from ``[tool.plainleaf.readability.targets]``: ease scores are minimums, the rest maximums."""
    scales = _formula_scales()
    result = []
    for formula, limit in limits.items():
        if scales.get(formula) == "ease":
            result.append(Target(formula, minimum=limit, source=source))
        else:
            result.append(Target(formula, maximum=limit, source=source))
    return result


def unknown_formulas(limits: Mapping[str, float]) -> list[str]:
    """Formula ids in a target table that no formula has (a typo would otherwise gate nothing)."""
    return sorted(set(limits) - set(_formula_scales()))


def text_units(markdown: str) -> list[TextUnit]:
    """What the patient reads, block by block: headings, paragraphs, list items and table cells."""
    tokens = markdown_parser().parse(markdown)
    units: list[TextUnit] = []
    section = ""
    stack: list[str] = []
    for index, token in enumerate(tokens):
        if token.nesting == 1:
            stack.append(token.type)
        elif token.nesting == -1:
            stack.pop()
        if token.type != "inline":
            continue
        text = " ".join(plain_text(token).split())
        if not text:
            continue
        kind = _kind(tokens[index - 1], stack)
        if kind.startswith("heading"):
            section = text
        units.append(TextUnit(text, kind, section or text, (token.map[0] + 1) if token.map else 1))
    return units


def _kind(opening: Token, stack: list[str]) -> str:
    if opening.type == "heading_open":
        return f"heading {opening.tag[1:]}"
    if opening.type in ("th_open", "td_open"):
        return "table cell"
    return "list item" if "list_item_open" in stack else "paragraph"


def report_json(reports: Sequence[ProductReadability]) -> dict[str, Any]:
    """The ``--json`` document: ``{"schema": 1, "passed": bool, "products": [...]}``.

    Each product: ``document``, ``product``, ``locale``, ``status`` (``pass``, ``fail``, ``no target``,
    ``no grade``, ``skipped``), ``skipped`` (reason or null) and ``analysis`` (the schema documented in
    :mod:`pipeline.readability`, or null when skipped).
    """
    return {
        "schema": SCHEMA_VERSION,
        "passed": not any(r.status == "fail" for r in reports),
        "products": [r.to_dict() for r in reports],
    }


def headline_score(analysis: Analysis) -> Score:
    """The score a reviewer looks at first: the first judged target's, else the first grade-level formula's,
    else the first formula's, else the first measure."""
    judged = [analysis.score(t.target.formula) for t in analysis.targets if t.value is not None]
    return (
        next((s for s in judged if s is not None), None)
        or next((s for s in analysis.scores if s.scale == "grade"), None)
        or next((s for s in analysis.scores if s.scale != "measure"), None)
        or analysis.scores[0]
    )


def _headline(analysis: Analysis) -> tuple[str, str]:
    """The headline score's name, and its value with band."""
    score = headline_score(analysis)
    band = f" ({score.band})" if score.band else ""
    return score.name, f"{score.value:.1f}{band}"


def render_table(reports: Sequence[ProductReadability]) -> str:
    """A compact terminal table: product, language, headline score, targets, result."""
    rows = [("product", "locale", "score", "targets", "result")]
    for report in reports:
        if report.analysis is None:
            rows.append((report.product, report.locale, "-", "-", f"skipped: {report.skipped}"))
            continue
        name, value = _headline(report.analysis)
        targets = ", ".join(
            f"{t.target.formula} {'<=' if t.target.maximum is not None else '>='} "
            f"{t.target.maximum if t.target.maximum is not None else t.target.minimum:g}"
            + ("" if t.value is None else (" ok" if t.passed else " MISSED"))
            for t in report.analysis.targets
            if t.value is not None
        )
        score = f"{name} {value}" if report.analysis.validated else "no validated formula"
        rows.append((report.product, report.locale, score, targets or "-", report.status))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:4])) + "  " + row[4] for row in rows]
    return "\n".join(lines)


def _language_name(locale: str) -> str:
    try:
        parsed = Locale.parse(locale)
        return str(parsed.get_display_name(parsed) or locale)
    except (ValueError, TypeError):
        return locale


def _direction(locale: str) -> str:
    try:
        return "rtl" if Locale.parse(locale).character_order == "right-to-left" else "ltr"
    except (ValueError, TypeError):
        return "ltr"


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("pipeline.readability", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["language_name"] = _language_name
    environment.filters["direction"] = _direction
    environment.filters["headline_score"] = headline_score
    environment.filters["bcp47"] = lambda code: str(code).replace("_", "-")
    return environment


def _chart(reports: Sequence[ProductReadability]) -> list[dict[str, Any]]:
    """Bars for the locale comparison: share of long sentences, comparable across languages."""
    bars = []
    for report in reports:
        if report.analysis is None:
            continue
        counts = report.analysis.counts
        share = counts.long_sentences / counts.sentences if counts.sentences else 0.0
        bars.append({"label": f"{report.product}, {report.locale}", "value": share, "percent": math.floor(share * 100)})
    return bars


def render_html(reports: Sequence[ProductReadability], generated: str) -> str:
    """One self-contained, accessible HTML page for reviewers."""
    template = _environment().get_template("report.html.j2")
    return template.render(
        reports=reports,
        products=_group(reports),
        chart=_chart(reports),
        generated=generated,
        failed=[r for r in reports if r.status == "fail"],
    )


def _group(reports: Iterable[ProductReadability]) -> dict[str, list[ProductReadability]]:
    grouped: dict[str, list[ProductReadability]] = {}
    for report in reports:
        grouped.setdefault(report.product, []).append(report)
    return grouped

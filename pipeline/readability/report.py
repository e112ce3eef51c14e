"""Readability reports for reviewers: every product in every language, scored against its targets.

``generate_report`` turns translated documents into :class:`ProductReadability` records (pure);
``render_html``, ``render_table`` and ``report_json`` present them; the command line writes them.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from babel import Locale
from jinja2 import Environment, PackageLoader, select_autoescape
from markdown_it.token import Token

from pipeline.document import markdown_parser, plain_text
from pipeline.readability import formulas
from pipeline.readability.model import Analysis, Score, Target, TargetResult, TextUnit

PRODUCTS = {"guide": "large-print guide", "summary": "plain-language summary", "handout": "clinic handout"}
"""Reader-facing name of the product each shipped document becomes."""


REPORT_SCHEMA = 2
"""Version of the ``--json`` report (:func:`report_json`); bumped when a key changes meaning. 2: ``status`` is one
of ``pass``, ``advisory miss``, ``fail``, ``not checked``, ``no target`` (``skipped`` and ``no grade`` became
``not checked`` with a ``reason``), and ``passed`` means no blocking target was missed."""

STATUSES = ("pass", "advisory miss", "fail", "not checked", "no target")
"""Every row status, in the order the counts are told."""

NO_FORMULA = "no validated formula for this language"
"""Why a language with no validated formula (Chinese, Vietnamese) is not checked."""


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
    def judged(self) -> list[TargetResult]:
        """The targets the text could be judged against (their formula applies to the language)."""
        if self.analysis is None or not self.analysis.validated:
            return []
        return [result for result in self.analysis.targets if result.passed is not None]

    @property
    def status(self) -> str:
        """``pass`` (every target judged is met), ``advisory miss`` (only advisory targets missed), ``fail`` (a
        blocking target missed), ``not checked`` (no analysis, no validated formula, or no target applies to the
        language) or ``no target`` (none configured)."""
        if self.analysis is None or not self.analysis.validated:
            return "not checked"
        if not self.analysis.targets:
            return "no target"
        judged = self.judged
        if not judged:
            return "not checked"
        missed = [result for result in judged if not result.passed]
        if any(not result.target.advisory for result in missed):
            return "fail"
        return "advisory miss" if missed else "pass"

    @property
    def reason(self) -> str | None:
        """Why the row is not checked, in words for the reader; None when it was checked."""
        if self.analysis is None:
            return self.skipped or "not measured"
        if not self.analysis.validated:
            return NO_FORMULA
        if self.analysis.targets and not self.judged:
            # Arabic: OSMAN is published for it but has no published bands, so no target exists to configure.
            formulas = [score.name for score in self.analysis.scores if score.calibrated and score.scale != "measure"]
            return f"no validated grade formula for this language; no target on {', '.join(formulas) or 'its formulas'}"
        return None

    @property
    def result(self) -> str:
        """The status in words, as the report and the terminal show it: ``pass``, ``pass (advisory target)``,
        ``advisory miss: Flesch-Kincaid grade level 13.5, target at most 8: 5.5 over``, ``not checked: no validated
        formula for this language`` ..."""
        status = self.status
        if status == "not checked":
            return f"not checked: {self.reason}"
        if status in ("fail", "advisory miss") and self.analysis is not None:
            missed = [describe_target(self.analysis, r) for r in self.judged if not r.passed]
            return f"{status}: {'; '.join(missed)}"
        if status == "pass" and all(result.target.advisory for result in self.judged):
            return "pass (advisory target)"
        return status

    def to_dict(self) -> dict[str, Any]:
        """JSON form (see :func:`report_json`)."""
        return {
            "document": self.document,
            "product": self.product,
            "locale": self.locale,
            "status": self.status,
            "result": self.result,
            "reason": self.reason,
            "skipped": self.skipped,
            "analysis": self.analysis.to_dict() if self.analysis else None,
        }


def target_gap(result: TargetResult) -> str:
    """Where the text stands against one target: ``met``, ``5.5 over`` (a maximum), ``10.2 under`` (a minimum),
    ``not applicable`` (the language has no such formula)."""
    target = result.target
    limit = target.maximum if target.maximum is not None else target.minimum
    if result.value is None or limit is None:
        return "not applicable"
    if result.passed:
        return "met"
    gap = abs(result.value - limit)
    return f"{f'{gap:.1f}' if gap >= 0.05 else 'under 0.1'} {'over' if target.maximum is not None else 'under'}"


def describe_target(analysis: Analysis, result: TargetResult) -> str:
    """One target and where the text stands: ``Flesch-Kincaid grade level 13.5, target at most 8: 5.5 over``."""
    target = result.target
    bound, limit = ("at most", target.maximum) if target.maximum is not None else ("at least", target.minimum)
    score = analysis.score(target.formula)
    name = score.name if score is not None else target.formula
    value = "" if result.value is None else f" {result.value:.1f}"
    return f"{name}{value}, target {bound} {limit or 0:g}: {target_gap(result)}"


def tally(reports: Sequence[ProductReadability]) -> dict[str, int]:
    """How many rows have each status (every one of :data:`STATUSES`, zero included)."""
    return {status: sum(report.status == status for report in reports) for status in STATUSES}


def verdict(reports: Sequence[ProductReadability]) -> str:
    """The banner: ``fail`` (red) on a blocking miss; ``pass`` (green) only when every row meets a target,
    blocking or advisory; else ``warning`` (amber: an advisory miss, a row not checked or without a target)."""
    counts = tally(reports)
    if counts["fail"]:
        return "fail"
    # Nothing measured is nothing checked: never green.
    return "pass" if reports and counts["pass"] == len(reports) else "warning"


def summary_line(reports: Sequence[ProductReadability]) -> str:
    """The counts, plainly: ``4 of 15 meet their target, 2 advisory misses, 0 blocking misses, 9 not checked,
    0 without target``."""
    counts = tally(reports)

    def plural(count: int, word: str) -> str:
        return f"{count} {word}{'es' if count != 1 else ''}"

    return (
        f"{counts['pass']} of {len(reports)} meet their target, {plural(counts['advisory miss'], 'advisory miss')}, "
        f"{plural(counts['fail'], 'blocking miss')}, {counts['not checked']} not checked, "
        f"{counts['no target']} without target"
    )


@cache
def _formula_scales() -> dict[str, str]:
    return {f.id: f.scale for f in vars(formulas).values() if isinstance(f, formulas.Formula)}


def targets_from_config(limits: Mapping[str, float], source: str, advisory: bool = False) -> list[Target]:
    """Targets from ``[tool.plainleaf.readability.targets]``: ease scores are minimums, the rest maximums;
    ``advisory`` for a document configured with ``advisory = true``."""
    scales = _formula_scales()
    result = []
    for formula, limit in limits.items():
        if scales.get(formula) == "ease":
            result.append(Target(formula, minimum=limit, source=source, advisory=advisory))
        else:
            result.append(Target(formula, maximum=limit, source=source, advisory=advisory))
    return result


def unknown_formulas(limits: Mapping[str, float]) -> list[str]:
    """Formula ids in a target table that no formula has (a typo would otherwise gate nothing)."""
    return sorted(set(limits) - set(_formula_scales()))


def text_units(markdown: str, metadata_lines: Collection[int] = ()) -> list[TextUnit]:
    """What the patient reads, block by block: headings, paragraphs, list items, table headers and cells; a block
    starting on one of ``metadata_lines`` (the reading-time line the pipeline fills in) is of kind ``reading time``,
    so that the analysis leaves it out."""
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
        line = (token.map[0] + 1) if token.map else 1
        if kind.startswith("heading"):
            section = text
        elif line in metadata_lines:
            kind = "reading time"
        units.append(TextUnit(text, kind, section or text, line))
    return units


def _kind(opening: Token, stack: list[str]) -> str:
    if opening.type == "heading_open":
        return f"heading {opening.tag[1:]}"
    if opening.type == "th_open":
        return "table header"
    if opening.type == "td_open":
        return "table cell"
    return "list item" if "list_item_open" in stack else "paragraph"


def report_json(reports: Sequence[ProductReadability]) -> dict[str, Any]:
    """The ``--json`` document (``schema`` :data:`REPORT_SCHEMA`)::

        {"schema": 2,
         "passed": true,            # no blocking target missed: the exit status
         "verdict": "pass" | "warning" | "fail",   # the banner: green, amber, red (see verdict())
         "counts": {"products": 15, "met": 4, "advisory_misses": 2, "blocking_misses": 0,
                    "not_checked": 9, "without_target": 0},
         "summary": "4 of 15 meet their target, 2 advisory misses, ...",
         "products": [...]}

    Each product: ``document``, ``product``, ``locale``, ``status`` (``pass``, ``advisory miss``, ``fail``,
    ``not checked``, ``no target``), ``result`` (the status in words, with each missed target's gap),
    ``reason`` (why not checked, or null), ``skipped`` (why not measured, or null) and ``analysis`` (the schema
    documented in :mod:`pipeline.readability`, each target with ``advisory``; null when not measured).
    """
    counts = tally(reports)
    return {
        "schema": REPORT_SCHEMA,
        "passed": not counts["fail"],
        "verdict": verdict(reports),
        "counts": {
            "products": len(reports),
            "met": counts["pass"],
            "advisory_misses": counts["advisory miss"],
            "blocking_misses": counts["fail"],
            "not_checked": counts["not checked"],
            "without_target": counts["no target"],
        },
        "summary": summary_line(reports),
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
    """A compact terminal table: product, language, headline score, result (with each missed target's gap),
    then the counts."""
    rows = [("product", "locale", "score", "result")]
    for report in reports:
        if report.analysis is None or not report.analysis.validated:
            score = "-" if report.analysis is None else "no validated formula"
        else:
            name, value = _headline(report.analysis)
            score = f"{name} {value}"
        rows.append((report.product, report.locale, score, report.result))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:3])) + "  " + row[3] for row in rows]
    return "\n".join([*lines, summary_line(reports)])


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
    environment.globals["describe_target"] = describe_target
    environment.globals["target_gap"] = target_gap
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
        verdict=verdict(reports),
        counts=tally(reports),
        summary=summary_line(reports),
    )


def _group(reports: Iterable[ProductReadability]) -> dict[str, list[ProductReadability]]:
    grouped: dict[str, list[ProductReadability]] = {}
    for report in reports:
        grouped.setdefault(report.product, []).append(report)
    return grouped

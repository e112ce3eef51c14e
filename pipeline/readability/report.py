"""Readability reports for reviewers: every product in every language, scored against its targets.

:func:`~pipeline.readability.products.measure_products` turns translated documents into
:class:`ProductReadability` records; ``render_html``, ``render_table`` and ``report_json`` present them (pure);
the command line writes them.
What a reviewer fixes first comes from :func:`hardest_sentences` (flagged sentences by their own grade) and
:func:`ranked_sections`; :func:`comparison_only` keeps unvalidated measures (OSMAN) out of headlines and targets,
and :func:`caveats` puts what to read with care in the overview.
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
from pipeline.readability.model import (
    EXCLUSION_REASONS,
    Analysis,
    Score,
    Section,
    Sentence,
    Target,
    TargetResult,
    TextUnit,
)

PRODUCTS = {"guide": "large-print guide", "summary": "plain-language summary", "handout": "clinic handout"}
"""Reader-facing name of the product each shipped document becomes."""


REPORT_SCHEMA = 2
"""Version of the ``--json`` report (:func:`report_json`); bumped when a key changes meaning. 2: ``status`` is one
of ``pass``, ``advisory miss``, ``fail``, ``not checked``, ``no target`` (``skipped`` and ``no grade`` became
``not checked`` with a ``reason``), and ``passed`` means no blocking target was missed."""

STATUSES = ("pass", "advisory miss", "fail", "not checked", "no target")
"""Every row status, in the order the counts are told."""

INSTEAD_OF_A_FORMULA = "instead, a native speaker reviews it with PEMAT-P or SAM, and teach-back checks understanding"
"""What replaces a readability formula where a language has none (see :data:`INSTEAD_SOURCES`)."""

INSTEAD_SOURCES = (
    "PEMAT-P: the Patient Education Materials Assessment Tool for printable materials (Shoemaker, Wolf and Brach, "
    "AHRQ, 2013); SAM: the Suitability Assessment of Materials (Doak, Doak and Root, Teaching Patients with Low "
    "Literacy Skills, 1996); teach-back: AHRQ Health Literacy Universal Precautions Toolkit, 2nd edition (2015)"
)
"""Where the review methods of :data:`INSTEAD_OF_A_FORMULA` are published."""

NO_FORMULA = f"no validated formula for this language; {INSTEAD_OF_A_FORMULA}"
"""Why a language's text gets no verdict (Chinese, Vietnamese, Arabic: only neutral or comparison-only measures),
and what to do instead."""


COMPARISON_ONLY = {
    "osman": "no published interpretation bands, and its syllables are estimated where Arabic is written without "
    "diacritics",
}
"""Formulas published for a language that still cannot be a headline number or a target, with why."""

FLAG_LABELS = {
    "long-sentence": "Long sentence",
    "complex-words": "Long words",
    "jargon": "Jargon",
    "passive-voice": "Passive voice",
    "acronym": "Acronym",
}
"""What each flag is called in the report, before its reason (``Long sentence: 32 words; aim for 20 or fewer``)."""


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
        """The targets the text could be judged against (their formula applies to the language and is validated)."""
        return [] if self.analysis is None else judged_targets(self.analysis)

    @property
    def status(self) -> str:
        """``pass`` (every target judged is met), ``advisory miss`` (only advisory targets missed), ``fail`` (a
        blocking target missed), ``not checked`` (no analysis, no validated formula, or no target applies to the
        language) or ``no target`` (none configured)."""
        if self.analysis is None or headline_score(self.analysis) is None:
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
        score = headline_score(self.analysis)
        if score is None:
            return NO_FORMULA
        if self.analysis.targets and not self.judged:
            return f"no target on {score.name}, this language's formula"
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
            "caveats": caveats(self.analysis) if self.analysis else [],
            "hardest_sentences": [item.sentence.index for item in hardest_sentences(self.analysis)]
            if self.analysis
            else [],
            "hardest_sections": [rank.section.title for rank in ranked_sections(self.analysis)]
            if self.analysis
            else [],
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
    ``reason`` (why not checked, or null), ``skipped`` (why not measured, or null), ``caveats`` (what to read
    with care, as the overview shows them), ``hardest_sentences`` (indexes of the flagged sentences, hardest
    first: :func:`hardest_sentences`), ``hardest_sections`` (section titles, hardest first) and ``analysis`` (the
    schema documented in :mod:`pipeline.readability`, each target with ``advisory``; null when not measured).
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


def comparison_only(score: Score) -> str | None:
    """Why ``score`` is for comparison only (no validation or bands for this language), or None when it can be a
    headline number and a target. Plain measures (sentence length, shares) are measures, not formulas: None."""
    if score.scale == "measure":
        return None
    if score.id in COMPARISON_ONLY:
        return COMPARISON_ONLY[score.id]
    return None if score.calibrated else "not validated for this language"


def formula_scores(analysis: Analysis) -> list[Score]:
    """The validated formulas of the analysis: the only scores that can be a headline number or a target."""
    if not analysis.validated:
        return []
    return [score for score in analysis.scores if score.scale != "measure" and comparison_only(score) is None]


def judged_targets(analysis: Analysis) -> list[TargetResult]:
    """The targets the text is judged against: those on a validated formula of its language."""
    usable = {score.id for score in formula_scores(analysis)}
    return [result for result in analysis.targets if result.passed is not None and result.target.formula in usable]


def headline_score(analysis: Analysis) -> Score | None:
    """The score a reviewer looks at first: the first judged target's, else the first validated grade formula's,
    else the first validated formula's; None where the language has none (Chinese, Vietnamese, Arabic)."""
    usable = formula_scores(analysis)
    judged = [analysis.score(result.target.formula) for result in judged_targets(analysis)]
    return (
        next((score for score in judged if score is not None), None)
        or next((score for score in usable if score.scale == "grade"), None)
        or next(iter(usable), None)
    )


def caveats(analysis: Analysis) -> list[str]:
    """What to keep in mind when reading the overview's numbers: each judged or headline score's caveat (SMOG on
    fewer than 30 sentences), every comparison-only score and why, and what was left out of the counts."""
    notes: list[str] = []
    shown = {result.target.formula for result in judged_targets(analysis)}
    headline = headline_score(analysis)
    if headline is not None:
        shown.add(headline.id)
    for score in analysis.scores:
        if score.id in shown and score.caveat:
            notes.append(f"{score.name}: {score.caveat}")
        why = comparison_only(score)
        if why is not None and score.id in COMPARISON_ONLY:
            notes.append(f"{score.name} {score.value:.1f} is for comparison only: {why}")
    left_out = excluded_summary(analysis)
    if left_out:
        notes.append(left_out)
    return notes


def excluded_summary(analysis: Analysis) -> str | None:
    """``180 sentences counted; left out: 22 headings, 1 metadata line`` (None when nothing was left out)."""
    if not analysis.excluded:
        return None
    counts = {reason: sum(item.reason == reason for item in analysis.excluded) for reason in EXCLUSION_REASONS}
    names = {
        "heading": ("heading", "headings"),
        "metadata": ("metadata line", "metadata lines"),
        "label": ("label", "labels"),
    }
    parts = [f"{count} {names[reason][count != 1]}" for reason, count in counts.items() if count]
    return f"{analysis.counts.sentences} sentences counted; left out: {', '.join(parts)}"


@dataclass(slots=True, frozen=True)
class SentenceGrade:
    """A sentence with its own grade, as the report ranks it."""

    sentence: Sentence
    """The sentence."""
    value: float | None
    """Its own value of the language's sentence formula; None when it has none (short, or no validated formula)."""
    formula: str | None
    """Name of that formula (``Flesch-Kincaid grade level``); None when the language has no validated one."""
    scale: str | None
    """The formula's scale: ``grade`` or ``index`` (higher is harder) or ``ease`` (lower is harder)."""

    @property
    def shown(self) -> str:
        """The grade as the report prints it: ``17.2``, or ``—`` when there is none."""
        return "\u2014" if self.value is None else f"{self.value:.1f}"


def sentence_formula(analysis: Analysis) -> Score | None:
    """The validated formula the sentences carry their own value of, if any (English Flesch-Kincaid grade)."""
    keys = {key for sentence in analysis.sentences for key in sentence.measures}
    return next((score for score in formula_scores(analysis) if score.id in keys), None)


def hardest_sentences(analysis: Analysis, flagged_only: bool = True) -> list[SentenceGrade]:
    """Sentences worst first: by their own grade (ease scores: lowest first) where the language has a validated
    sentence formula; then those too short for one, and every sentence where the language has none, by length and
    number of flags. Ties keep reading order."""
    formula = sentence_formula(analysis)
    graded: list[tuple[tuple[int, float, int, int], SentenceGrade]] = []
    for sentence in analysis.sentences:
        if flagged_only and not sentence.flags:
            continue
        value = sentence.measures.get(formula.id) if formula is not None else None
        name = formula.name if formula is not None else None
        scale = formula.scale if formula is not None else None
        hardness = 0.0 if value is None else (-value if scale == "ease" else value)
        key = (0 if value is not None else 1, -hardness, -sentence.counts.words, -len(sentence.flags))
        graded.append((key, SentenceGrade(sentence, value, name, scale)))
    graded.sort(key=lambda item: item[0])  # stable: equal keys stay in reading order
    return [item for _, item in graded]


@dataclass(slots=True, frozen=True)
class SectionRank:
    """A section's place among the document's sections, hardest first."""

    section: Section
    """The section."""
    score: Score | None
    """Its value of the document's headline formula; None where the language has no validated formula."""
    flagged: int
    """How many of its sentences carry a flag."""


def ranked_sections(analysis: Analysis) -> list[SectionRank]:
    """Sections hardest first: by the headline formula (ease scores: lowest first) where there is one, else by the
    share of long sentences and then the average sentence length."""
    headline = headline_score(analysis)
    flagged: dict[str, int] = {}
    for sentence in analysis.sentences:
        flagged[sentence.section] = flagged.get(sentence.section, 0) + bool(sentence.flags)
    ranks = []
    for section in analysis.sections:
        score = next((item for item in section.scores if headline and item.id == headline.id), None)
        ranks.append(SectionRank(section, score, flagged.get(section.title, 0)))

    def hardness(rank: SectionRank) -> tuple[float, float]:
        counts = rank.section.counts
        share = counts.long_sentences / counts.sentences if counts.sentences else 0.0
        if rank.score is None:
            return (-share, -counts.words_per_sentence)
        return (rank.score.value if rank.score.scale == "ease" else -rank.score.value, -share)

    return sorted(ranks, key=hardness)


def flag_text(flag_id: str, reason: str) -> str:
    """A flag as the report shows it: ``Long sentence: 32 words; aim for 20 or fewer``."""
    label = FLAG_LABELS.get(flag_id)
    return f"{label}: {reason}" if label else reason


def _headline(analysis: Analysis) -> tuple[str, str] | None:
    """The headline score's name, and its value with band; None when the language has no validated formula."""
    score = headline_score(analysis)
    if score is None:
        return None
    band = f" ({score.band})" if score.band else ""
    return score.name, f"{score.value:.1f}{band}"


def render_table(reports: Sequence[ProductReadability]) -> str:
    """A compact terminal table: product, language, headline score, result (with each missed target's gap),
    then the counts."""
    rows = [("product", "locale", "score", "result")]
    for report in reports:
        headline = None if report.analysis is None else _headline(report.analysis)
        if headline is None:
            score = "-" if report.analysis is None else "no validated formula"
        else:
            score = f"{headline[0]} {headline[1]}"
        rows.append((report.product, report.locale, score, report.result))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:3])) + "  " + row[3] for row in rows]
    return "\n".join([*lines, summary_line(reports)])


def _language_name(locale: str, english: bool = False) -> str:
    """The language's own name for itself (``español``), or its English name."""
    try:
        parsed = Locale.parse(locale)
        return str((parsed.english_name if english else parsed.get_display_name(parsed)) or locale)
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
    environment.filters["comparison_only"] = comparison_only
    environment.filters["caveats"] = caveats
    environment.filters["hardest_sentences"] = hardest_sentences
    environment.filters["ranked_sections"] = ranked_sections
    environment.filters["excluded_summary"] = excluded_summary
    environment.globals["describe_target"] = describe_target
    environment.globals["target_gap"] = target_gap
    environment.globals["flag_text"] = flag_text
    environment.globals["exclusion_reasons"] = EXCLUSION_REASONS
    environment.globals["instead_of_a_formula"] = INSTEAD_OF_A_FORMULA
    environment.globals["instead_sources"] = INSTEAD_SOURCES
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

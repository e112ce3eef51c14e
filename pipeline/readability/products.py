"""The readability of the project's products: their targets and their measurement, in one place.

``plainleaf readability``, the report and the build's index all score a product through :func:`measure_document`
with the targets of :func:`targets_for`, so the three can never disagree on a number or a target.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polib

from pipeline.config import Config
from pipeline.errors import ConfigError, PipelineError
from pipeline.readability.model import Analysis, Target

if TYPE_CHECKING:
    from pipeline.readability.report import ProductReadability

TARGETS_KEY = "tool.plainleaf.readability.targets"
"""Where the targets are configured (named in findings and errors)."""


def targets_for(config: Config, document: str) -> list[Target]:
    """The readability targets of ``document`` (see :meth:`Config.readability_limits`), advisory where the
    configuration says so (:meth:`Config.readability_is_advisory`)."""
    from pipeline.readability.report import targets_from_config

    limits = config.readability_limits(document)
    advisory = config.readability_is_advisory(document)
    return targets_from_config(limits, TARGETS_KEY, advisory=advisory) if limits else []


def check_targets(config: Config) -> None:
    """Refuse a target naming a formula that does not exist, with its key path."""
    from pipeline.readability.report import COMPARISON_ONLY, unknown_formulas

    for document, limits in config.readability_targets.items():
        for formula in unknown_formulas(limits):
            raise ConfigError(f"{TARGETS_KEY}.{document}: unknown formula {formula!r}")
        for formula in sorted(set(limits) & set(COMPARISON_ONLY)):
            raise ConfigError(
                f"{TARGETS_KEY}.{document}.{formula}: for comparison only ({COMPARISON_ONLY[formula]}), never a target"
            )


def measure_document(
    config: Config, document: Path, catalog: polib.POFile | None, locale: str, targets: Sequence[Target]
) -> Analysis:
    """The analysis of ``document`` as a patient reads it in ``locale``: translated with the confirmed entries of
    ``catalog`` (None for the source language), reading-time line filled in."""
    from pipeline.catalogs.translate import translate_document
    from pipeline.document import load_document
    from pipeline.readability import analyze
    from pipeline.readability.report import text_units

    source = load_document(document, config.front_matter_fields)
    markdown = translate_document(source, catalog, locale).markdown
    # The reading-time line replaces its directive on the directive's line; front matter never becomes a text unit.
    metadata = {block.line for block in source.blocks if block.plural is not None}
    return analyze(text_units(markdown, metadata), locale, list(targets))


@dataclass(slots=True, frozen=True)
class ReadingVerdict:
    """A product's reading level as clinic staff read it: met, missed by how much, or not checked and why."""

    met: bool | None
    """True when every target that could be judged is met, False when one is missed, None when not checked."""
    formula: str | None = None
    """Published name of the formula the verdict rests on (``Flesch-Kincaid grade level``), None when none."""
    score: float | None = None
    """The text's value for that formula, unrounded."""
    target: float | None = None
    """The value the target sets (a maximum for grades and indices, a minimum for ease scores), None when none."""
    scale: str = "grade"
    """``grade``, ``ease`` or ``index`` (see :class:`pipeline.readability.model.Score`): whether above or below
    the target is the miss."""
    advisory: bool = False
    """True when the missed target is advisory: reported with its gap, fails nothing."""
    reason: str | None = None
    """Why it was not checked (``no validated formula for this language``), None when it was."""

    @property
    def grade(self) -> str | None:
        """``"Flesch-Kincaid grade level 5.4"``: the formula and its score, None when no score."""
        return None if self.formula is None or self.score is None else f"{self.formula} {self.score:.1f}"

    def to_json(self) -> dict[str, Any]:
        """Plain data for the build manifest."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ReadingVerdict:
        """Read what :meth:`to_json` wrote."""
        return cls(**data)


def reading_verdict(config: Config, document: Path, catalog: Path | None, locale: str) -> ReadingVerdict:
    """The verdict of ``document`` as a patient reads it in ``locale`` (translated with the confirmed entries of
    ``catalog``) against the document's targets: the first missed target with its gap, else met; not checked, with
    why, where the language has no validated formula, no target applies or the text cannot be scored."""
    from pipeline.catalogs.pofile import read_catalog
    from pipeline.readability.report import NO_FORMULA, headline_score, judged_targets

    try:
        entries = read_catalog(catalog) if catalog is not None else None
        analysis = measure_document(config, document, entries, locale, targets_for(config, document.stem))
    except PipelineError as exc:
        return ReadingVerdict(None, reason=f"the text cannot be scored ({exc})")
    score = headline_score(analysis)
    if score is None:
        return ReadingVerdict(None, reason=NO_FORMULA)
    judged = judged_targets(analysis)
    missed = next((result for result in judged if not result.passed), None)
    chosen = missed or (judged[0] if judged else None)
    if chosen is None:
        reason = f"no target set for {score.name}, this language's formula ({TARGETS_KEY})"
        return ReadingVerdict(None, score.name, score.value, scale=score.scale, reason=reason)
    found = analysis.score(chosen.target.formula)
    target = chosen.target.maximum if chosen.target.maximum is not None else chosen.target.minimum
    return ReadingVerdict(
        met=missed is None,
        formula=found.name if found is not None else chosen.target.formula,
        score=chosen.value,
        target=target,
        scale=found.scale if found is not None else "grade",
        advisory=chosen.target.advisory,
    )


def measure_products(config: Config, locales: Sequence[str]) -> list[ProductReadability]:
    """The readability of every document in the source language and in each of ``locales``, against its targets;
    a translation that is missing or incomplete is reported as not measured, with why.

    A product whose document, catalog, targets and measuring code are those of the last run gets that run's
    measurement back (:mod:`pipeline.memory`): measuring the shipped project's 15 products took 0.7 s, most of it
    loading the pronunciation dictionary and the word pattern; read back, a few milliseconds.
    """
    from pipeline.memory import DISTRIBUTIONS, Memory, distribution_versions, file_digest, key_of

    check_targets(config)
    memory = Memory(config.path(config.output_dir), "readability")
    packages = distribution_versions(DISTRIBUTIONS["readability"])
    reports = []
    for path in config.documents():
        targets = targets_for(config, path.stem)
        for locale in [config.source_language, *locales]:
            catalog_path = config.catalog_path(locale, path.stem) if locale != config.source_language else None
            key = key_of({
                "document": file_digest(path), "catalog": file_digest(catalog_path) if catalog_path else None,
                "targets": [repr(target) for target in targets], "fields": config.front_matter_fields,
                "packages": packages,
            })  # fmt: skip
            slot = f"{path.stem}/{locale}"
            report = memory.get(slot, key)
            if report is None:
                report = memory.put(slot, key, _measure_product(config, path, catalog_path, locale, targets))
            reports.append(report)
    memory.save()
    return reports


def _measure_product(
    config: Config, path: Path, catalog_path: Path | None, locale: str, targets: Sequence[Target]
) -> ProductReadability:
    """The readability of one document in one locale (``catalog_path`` None for the source language)."""
    from pipeline.catalogs.pofile import read_catalog
    from pipeline.catalogs.stats import catalog_stats
    from pipeline.readability.report import ProductReadability

    catalog = None
    if catalog_path is not None:
        if not catalog_path.exists():
            return ProductReadability(path.stem, locale, None, "no catalog yet")
        catalog = read_catalog(catalog_path)
        stats = catalog_stats(catalog, locale, path.stem)
        if not stats.complete:
            reason = f"translation incomplete: {stats.translated} of {stats.total} entries, {stats.fuzzy} fuzzy"
            return ProductReadability(path.stem, locale, None, reason)
    return ProductReadability(path.stem, locale, measure_document(config, path, catalog, locale, targets))

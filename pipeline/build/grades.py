"""Reading grades for ``output/index.html``: the readability stage's headline score of each product's text."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from pipeline.config import Config
from pipeline.errors import PipelineError


def targets_for(config: Config, document: str) -> dict[str, float]:
    """Readability targets of ``document``, or of the document it is a variant of (``summary`` for
    ``summary-clinic-b``)."""
    targets = config.readability_targets
    if document in targets:
        return dict(targets[document])
    bases = [name for name in targets if document.startswith(f"{name}-")]
    return dict(targets[max(bases, key=len)]) if bases else {}


def reading_grade(
    config: Config, document: Path, catalog: Path | None, locale: str, targets: Mapping[str, float]
) -> str | None:
    """``"Flesch-Kincaid grade level 5.4"``: the score of the first target, else the first grade-level formula, for
    the document translated with the confirmed entries of ``catalog``; None where the language has no validated
    formula or the text cannot be scored."""
    from pipeline.document import load_document
    from pipeline.pofile import read_catalog
    from pipeline.readability import analyze
    from pipeline.readability.report import headline_score, targets_from_config, text_units
    from pipeline.translate import translate_document

    try:
        source = load_document(document, config.front_matter_fields)
        entries = read_catalog(catalog) if catalog is not None else None
        markdown = translate_document(source, entries, locale).markdown
        limits = targets_from_config(targets, "tool.plainleaf.readability.targets") if targets else []
        analysis = analyze(text_units(markdown), locale, limits)
    except PipelineError:
        return None
    if not analysis.validated:
        return None
    score = headline_score(analysis)
    return f"{score.name} {score.value:.1f}" if score.scale != "measure" else None

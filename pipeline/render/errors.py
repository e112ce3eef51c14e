"""Errors of the render stage."""

from __future__ import annotations

from pipeline.errors import RenderError

__all__ = ["IncompleteTranslation", "PageBudgetError", "RenderError"]


class PageBudgetError(RenderError):
    """A product does not fit its page budget (the handout's sheet, the summary's page) at its minimum type size."""


class IncompleteTranslation(RenderError):
    """A translation the catalog statistics called complete prints some blocks in the source language."""

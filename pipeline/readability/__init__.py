"""Readability analysis (placeholder)."""

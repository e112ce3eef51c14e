"""Plainleaf: a patient guide in Markdown to checked translations and accessible print."""

__version__ = "0.1.0"

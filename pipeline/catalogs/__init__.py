"""Catalog stage: the gettext side of the pipeline, from documents to translators and back.

:mod:`.extract` turns documents into POT templates (and :mod:`.babel_extractor` lets ``pybabel`` do it),
:mod:`.merge` creates and updates each locale's PO files without losing work, :mod:`.stats` says how complete they
are, :mod:`.qa` checks translations against their msgids, :mod:`.translate` writes translated Markdown, and
:mod:`.pofile` reads and writes the files as GNU gettext does.
"""

"""PO and POT files read with polib and written byte for byte as GNU gettext 0.21 writes them.

The writer reproduces write-po.c of gettext 0.21 (:mod:`.write`) and the line breaking of libunistring 1.0
(:mod:`.linebreak`: UAX #14 as that release implements it, East Asian wide characters two columns), never breaking
inside a format directive (:mod:`.formats`), so that msgcat of a written file shows no diff. Known differences:
flags gettext 0.21 does not know (markdown-text, md-text...) are kept, where msgcat drops them; directives of
format languages other than c, objc, python and python-brace are not located. :mod:`.read` parses as gettext does.
"""

from __future__ import annotations

from pipeline.catalogs.pofile.linebreak import PAGE_WIDTH
from pipeline.catalogs.pofile.read import parse_catalog, read_catalog
from pipeline.catalogs.pofile.write import catalog_date, format_catalog, write_catalog

__all__ = ["PAGE_WIDTH", "catalog_date", "format_catalog", "parse_catalog", "read_catalog", "write_catalog"]

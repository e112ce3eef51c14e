"""WeasyPrint, imported through this module so that its first import looks its shared libraries up quickly.

WeasyPrint asks cffi for each C library under several names (``libgobject-2.0-0``, ``gobject-2.0-0``,
``gobject-2.0`` ...) and for optional ones Debian does not ship (``harfbuzz-vector``). For every name, cffi calls
``ctypes.util.find_library``, which on Linux reads the dynamic linker's cache and, when the name is not there,
links a test program with gcc and then asks ld: about 11 ms for each of the 17 names that are never found, 0.19 s
of WeasyPrint's 0.46 s import, paid by every process that renders (each build worker started by spawn, each
command). While WeasyPrint is imported here, ``find_library`` answers from the linker's cache alone, which holds
every library the dynamic loader itself would find. With ``LD_LIBRARY_PATH`` or ``LIBRARY_PATH`` set, a name the
cache lacks still goes the usual way; and if WeasyPrint cannot load its libraries so, it is imported again with
the standard lookup.
"""

from __future__ import annotations

import contextlib
import sys

from pipeline.speedups import quick_library_lookup


def _import_weasyprint() -> None:
    if "weasyprint" in sys.modules:
        return
    try:
        with quick_library_lookup(), contextlib.redirect_stdout(None):  # WeasyPrint prints its own failure
            import weasyprint
    except OSError:
        for name in [name for name in sys.modules if name == "weasyprint" or name.startswith("weasyprint.")]:
            del sys.modules[name]
        import weasyprint  # noqa: F401


_import_weasyprint()

from weasyprint import CSS, HTML  # noqa: E402
from weasyprint.document import Document  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse  # noqa: E402

__all__ = ["CSS", "HTML", "Document", "FatalURLFetchingError", "FontConfiguration", "URLFetcher", "URLFetcherResponse"]

"""Font subsetting with HarfBuzz's subsetter (``libharfbuzz-subset``, the library WeasyPrint subsets PDF fonts with).

An EPUB in Chinese or Arabic carries subsets of its script's font. fontTools' subsetter took 3.0 s for each face of
Noto Sans CJK SC (a 19 MB collection; two faces a book, so 4 to 7 s a Chinese book, more than its large-print PDF);
``hb_subset`` does the same in 16 ms, keeping every layout feature, name and language as fontTools was told to.
Called through :mod:`ctypes` so that nothing beyond the Debian library is needed; :func:`harfbuzz_subset` returns
None where the library is missing or refuses the font, and the caller falls back to fontTools.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from pathlib import Path

_VOID = ctypes.c_void_p
_SETS_NAME_ID = 4
"""``HB_SUBSET_SETS_NAME_ID``: the name records kept."""
_SETS_NAME_LANG_ID = 5
"""``HB_SUBSET_SETS_NAME_LANG_ID``: the languages of the name records kept."""
_SETS_LAYOUT_FEATURE_TAG = 6
"""``HB_SUBSET_SETS_LAYOUT_FEATURE_TAG``: the OpenType layout features kept (Arabic joining needs them all)."""
_FLAG_NOTDEF_OUTLINE = 0x40
"""``HB_SUBSET_FLAGS_NOTDEF_OUTLINE``: keep the .notdef glyph's outline, as fontTools' ``notdef_outline``."""


class _HarfBuzz:
    """The few functions of ``libharfbuzz`` and ``libharfbuzz-subset`` the subsetter calls, with their C types."""

    def __init__(self, core: ctypes.CDLL, subset: ctypes.CDLL) -> None:
        self.core = core
        """``libharfbuzz``: blobs, faces, sets."""
        self.subset = subset
        """``libharfbuzz-subset``: the subset input and the subsetter."""
        signatures: list[tuple[ctypes.CDLL, str, type | None, list[type]]] = [
            (core, "hb_blob_create_from_file_or_fail", _VOID, [ctypes.c_char_p]),
            (core, "hb_blob_destroy", None, [_VOID]),
            (core, "hb_face_create", _VOID, [_VOID, ctypes.c_uint]),
            (core, "hb_face_destroy", None, [_VOID]),
            (core, "hb_face_reference_blob", _VOID, [_VOID]),
            (core, "hb_blob_get_data", ctypes.POINTER(ctypes.c_char), [_VOID, ctypes.POINTER(ctypes.c_uint)]),
            (core, "hb_set_add", None, [_VOID, ctypes.c_uint32]),
            (core, "hb_set_clear", None, [_VOID]),
            (core, "hb_set_invert", None, [_VOID]),
            (subset, "hb_subset_input_create_or_fail", _VOID, []),
            (subset, "hb_subset_input_destroy", None, [_VOID]),
            (subset, "hb_subset_input_unicode_set", _VOID, [_VOID]),
            (subset, "hb_subset_input_set", _VOID, [_VOID, ctypes.c_int]),
            (subset, "hb_subset_input_set_flags", None, [_VOID, ctypes.c_uint]),
            (subset, "hb_subset_or_fail", _VOID, [_VOID, _VOID]),
        ]
        for library, name, result, arguments in signatures:
            function = getattr(library, name)
            function.restype = result
            function.argtypes = arguments


@functools.cache
def _harfbuzz() -> _HarfBuzz | None:
    """The libraries, loaded once; None when either is missing or too old (``hb_set_invert`` is HarfBuzz 3.0)."""
    try:
        core = ctypes.CDLL(ctypes.util.find_library("harfbuzz") or "libharfbuzz.so.0")
        subset = ctypes.CDLL(ctypes.util.find_library("harfbuzz-subset") or "libharfbuzz-subset.so.0")
        return _HarfBuzz(core, subset)
    except (OSError, AttributeError):
        return None


def harfbuzz_subset(path: Path, face_index: int, text: str) -> bytes | None:
    """Face ``face_index`` of the font file ``path`` cut down to the glyphs ``text`` needs, with every layout
    feature, name record and name language; None when HarfBuzz's subsetter is not installed or fails."""
    hb = _harfbuzz()
    if hb is None:
        return None
    core, sub = hb.core, hb.subset
    blob = core.hb_blob_create_from_file_or_fail(str(path).encode())
    if not blob:
        return None
    face = core.hb_face_create(blob, face_index)
    request = sub.hb_subset_input_create_or_fail()
    result = None
    try:
        if not request:
            return None
        unicodes = sub.hb_subset_input_unicode_set(request)
        for char in sorted(set(text)):
            core.hb_set_add(unicodes, ord(char))
        for kind in (_SETS_LAYOUT_FEATURE_TAG, _SETS_NAME_ID, _SETS_NAME_LANG_ID):
            # An empty set inverted is every value: all features, names and languages, not HarfBuzz's defaults.
            kept = sub.hb_subset_input_set(request, kind)
            core.hb_set_clear(kept)
            core.hb_set_invert(kept)
        sub.hb_subset_input_set_flags(request, _FLAG_NOTDEF_OUTLINE)
        result = sub.hb_subset_or_fail(face, request)
        if not result:
            return None
        data = core.hb_face_reference_blob(result)
        try:
            length = ctypes.c_uint()
            start = core.hb_blob_get_data(data, ctypes.byref(length))
            return ctypes.string_at(start, length.value) if length.value else None
        finally:
            core.hb_blob_destroy(data)
    finally:
        if result:
            core.hb_face_destroy(result)
        if request:
            sub.hb_subset_input_destroy(request)
        core.hb_face_destroy(face)
        core.hb_blob_destroy(blob)

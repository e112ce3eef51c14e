"""Reading PO and POT files with polib, as gettext reads them: LF-only lines, the first header, errors with
file and line, charset and duplicate checks."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import polib

from pipeline.catalogs.pofile.linebreak import PAGE_WIDTH
from pipeline.errors import CatalogError

# --------------------------------------------------------------------------------------
# Reading.
# --------------------------------------------------------------------------------------


class _LineFeedText(str):
    """PO text that polib splits into lines at LF only, as gettext reads it."""

    # str.splitlines also splits at U+2028, U+0085, FS, GS, RS..., which gettext writes
    # raw inside strings: polib, reading text, would tear such lines apart.

    __slots__ = ()

    def splitlines(self, keepends: bool = False) -> list[str]:
        """Lines separated by LF only."""
        return self.split("\n")


class _ParsedCatalog(polib.POFile):
    """The catalog polib's parser fills: its header is the first ``msgid ""`` without a context."""

    # polib's own lookup takes the last entry whose msgctxt is empty or missing, so an
    # entry with msgctxt "" and msgid "" would be taken for the header and lost.

    def find(
        self,
        st: str,
        by: str = "msgid",
        include_obsolete_entries: bool = False,
        msgctxt: str | Literal[False] = False,
    ) -> polib.POEntry | None:
        """Entry lookup, except that the header lookup of the parser finds the real header."""
        if st == "" and by == "msgid" and msgctxt is False and not include_obsolete_entries:
            return next((item for item in self if item.msgctxt is None and not item.msgid and not item.obsolete), None)
        return super().find(st, by, include_obsolete_entries, msgctxt)


_POLIB_LINE = re.compile(r"\(line (\d+)\)(?::\s*(.*))?", re.DOTALL)
_MSGID_LINE = re.compile(r"\s*(?:#~\s*)?msgid\s")
_TRAILING_COMMENT = re.compile(r"\s*(#(?!~)|#~\||#~\s*$|$)")
_CHARSET = re.compile(r"charset=([^\s;]+)", re.IGNORECASE)
_CONTENT_TYPE_LINE = re.compile(r'\s*"Content-Type:')
_STRING_LINE = re.compile(r'\s*(?:(?:#~\|?|#\|)\s*)?(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)?\s*"')
_STRING_TOKEN = re.compile(r'"((?:[^"\\]|\\.)*)("?)')
_BELL_ESCAPE = re.compile(r"(?<!\\)((?:\\\\)*)\\a")


def _string_error(line: str) -> str | None:
    """What gettext's lexer would refuse in a keyword or continuation line's string, if anything."""
    match = _STRING_LINE.match(line)
    if match is None:
        return None
    token = _STRING_TOKEN.match(line, match.end() - 1)
    if token is None or not token[2]:
        return "unterminated string (no closing double quote on the line)"
    rest = line[token.end() :]
    if rest.strip():
        return "unescaped double quote in a string" if '"' in rest else f"text after the string: {rest.strip()!r}"
    for escape in re.finditer(r"\\(.)", token[1]):
        if escape[1] not in '\\"abfnrtv':
            return f"unsupported escape sequence \\{escape[1]}"
    return None


def _first_string_error(lines: Sequence[str]) -> tuple[int, str] | None:
    """Line number and message of the first string gettext would refuse."""
    for number, line in enumerate(lines, start=1):
        message = _string_error(line)
        if message is not None:
            return number, message
    return None


def _for_polib(line: str) -> str:
    """A line that polib reads as gettext does: it skips ``#~|`` lines and leaves ``\\a`` escaped."""
    stripped = line.lstrip()
    if stripped.startswith("#~|"):
        line = line[: len(line) - len(stripped)] + "#|" + stripped[3:]
    match = _STRING_LINE.match(line)
    if match is None or "\\a" not in line:
        return line
    start = match.end() - 1
    return line[:start] + _BELL_ESCAPE.sub("\\1\a", line[start:])


def _without_trailing_comments(lines: list[str]) -> list[str]:
    """Lines without the comments after the last entry, which would make polib drop that entry."""
    end = len(lines)
    while end > 0 and _TRAILING_COMMENT.match(lines[end - 1]):
        end -= 1
    return lines[:end] if end else lines


def _first_line_from(lines: Sequence[str], start: int, pattern: re.Pattern[str]) -> int | None:
    """1-based number of the first line at or after line ``start`` (1-based) matching pattern."""
    for number in range(max(start, 1), len(lines) + 1):
        if pattern.match(lines[number - 1]):
            return number
    return None


def _check_charset(catalog: polib.POFile, lines: Sequence[str], where: str) -> None:
    """Refuse a header that declares a charset other than UTF-8."""
    content_type = catalog.metadata.get("Content-Type")
    if content_type is None:
        return
    match = _CHARSET.search(content_type)
    if match is None or match[1].lower() in ("utf-8", "utf8"):
        return
    line = _first_line_from(lines, 1, _CONTENT_TYPE_LINE)
    raise CatalogError(
        f"header declares charset {match[1]!r}; catalogs must be UTF-8: convert it with"
        f" 'msgconv --to-code=UTF-8 {where} -o {where}' (GNU gettext), which also rewrites the header",
        where,
        line,
    )


def _check_duplicates(catalog: polib.POFile, lines: Sequence[str], where: str) -> None:
    """Refuse two entries with the same msgctxt and msgid (gettext: duplicate message definition)."""
    first_seen: dict[tuple[str | None, str], int | None] = {}
    for entry in catalog:
        context: str | None = entry.msgctxt
        key = (context, entry.msgid)
        line = _first_line_from(lines, entry.linenum or 1, _MSGID_LINE)
        if context is None and not entry.msgid and not entry.obsolete:
            # polib took the first such entry as the header; this one repeats it.
            raise CatalogError('duplicate header entry (msgid "")', where, line)
        if key in first_seen:
            in_context = "" if context is None else f" in context {context!r}"
            earlier = first_seen[key]
            raise CatalogError(
                f"duplicate entry for msgid {entry.msgid!r}{in_context}"
                + (f" (first defined at line {earlier})" if earlier else ""),
                where,
                line,
            )
        first_seen[key] = line


def parse_catalog(text: str, path: Path | str = "<string>") -> polib.POFile:
    """Parse PO text, raising CatalogError with the line for anything gettext would refuse."""
    where = str(path)
    text = text.removeprefix("\ufeff")
    lines = text.split("\n")
    string_error = _first_string_error(lines)
    try:
        parsed = polib.pofile(
            # A trailing newline keeps polib from taking a one-line text for a file name.
            _LineFeedText("\n".join(_for_polib(line) for line in _without_trailing_comments(lines)) + "\n"),
            encoding="utf-8",
            wrapwidth=PAGE_WIDTH,
            klass=_ParsedCatalog,
        )
    except Exception as exc:  # polib raises OSError for syntax errors, anything on odd input
        match = _POLIB_LINE.search(str(exc))
        line = int(match[1]) if match else None
        if string_error is not None and (line is None or string_error[0] <= line):
            raise CatalogError(f"PO syntax error: {string_error[1]}", where, string_error[0]) from exc
        detail = match[2].strip() if match and match[2] else ""
        raise CatalogError("PO syntax error" + (f": {detail}" if detail else ""), where, line) from exc
    if string_error is not None:
        # polib accepts these strings, cutting or keeping characters gettext would refuse.
        raise CatalogError(f"PO syntax error: {string_error[1]}", where, string_error[0])
    catalog = polib.POFile(encoding="utf-8", wrapwidth=PAGE_WIDTH)
    catalog.extend(parsed)
    catalog.header = parsed.header
    catalog.metadata = parsed.metadata
    catalog.metadata_is_fuzzy = parsed.metadata_is_fuzzy
    _check_charset(catalog, lines, where)
    _check_duplicates(catalog, lines, where)
    return catalog


def read_catalog(path: Path) -> polib.POFile:
    """Read a UTF-8 PO or POT file; every problem is a CatalogError naming file and line."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise CatalogError(f"cannot read catalog: {exc.strerror or exc}", path) from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise CatalogError(f"invalid UTF-8 (byte 0x{data[exc.start]:02x}); catalogs must be UTF-8", path, line) from exc
    catalog = parse_catalog(text, path)
    catalog.fpath = str(path)
    return catalog

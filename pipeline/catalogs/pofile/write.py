"""Writing PO and POT files byte for byte as gettext 0.21's write-po.c does, atomically, and their header dates."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

import polib

from pipeline.atomic import write_bytes
from pipeline.catalogs.pofile.formats import _DIGITS, _format_language, _guarded, _parsed_flags, _printed_flags
from pipeline.catalogs.pofile.linebreak import PAGE_WIDTH, _wrap
from pipeline.errors import CatalogError


def _comment_lines(out: list[str], marker: str, text: str | None) -> None:
    """Append one ``#`` comment line per line of text, with a space only before non-empty text."""
    if not text:
        return
    for line in text.split("\n"):
        if line.endswith("\\"):
            # gettext's lexer joins a line ending in a backslash with the next one.
            line += " "
        out.append(f"{marker} {line}" if line else marker)


_BLANKS = " \t\n"


def _number_after(text: str, index: int) -> tuple[int, int] | None:
    """(value, end) of a digit run at index that ends at a blank or the end of text."""
    end = index
    while end < len(text) and text[end] in _DIGITS:
        end += 1
    if end == index or (end < len(text) and text[end] not in _BLANKS):
        return None
    return int(text[index:end]), end


_PLAIN_REFERENCE = re.compile(r"[^\s:]+")


def _references(occurrences: Iterable[tuple[str, str | int | None]]) -> list[tuple[str, int | None]]:
    """File positions as gettext reads ``#:`` text back (po_parse_comment_filepos), duplicates dropped."""
    occurrences = list(occurrences)
    if all(line in (None, "") and _PLAIN_REFERENCE.fullmatch(name) for name, line in occurrences):
        # Names without blanks or colons and without line numbers read back as they are.
        return list(dict.fromkeys((str(name), None) for name, _ in occurrences))
    text = " ".join(
        f"{file_name}:{line}" if line not in (None, "") else str(file_name) for file_name, line in occurrences
    )
    seen: set[tuple[str, int | None]] = set()
    result: list[tuple[str, int | None]] = []

    def add(file_name: str, line: int | None) -> None:
        if (file_name, line) not in seen:
            seen.add((file_name, line))
            result.append((file_name, line))

    index, size = 0, len(text)
    while index < size:
        while index < size and text[index] in _BLANKS:
            index += 1
        if index >= size:
            break
        start = index
        index += 1
        while index < size and text[index] not in _BLANKS:
            index += 1
        end = index
        after = index
        while after < size and text[after] in _BLANKS:
            after += 1
        if after < size and text[after] == ":":  # "file : 12"
            after += 1
            while after < size and text[after] in _BLANKS:
                after += 1
            number = _number_after(text, after)
            if number is not None:
                add(text[start:end], number[0])
                index = number[1]
                continue
        if text[end - 1] == ":":  # "file: 12"
            after = end
            while after < size and text[after] in _BLANKS:
                after += 1
            number = _number_after(text, after)
            if number is not None:
                add(text[start : end - 1], number[0])
                index = number[1]
                continue
        digits = end
        while digits > start and text[digits - 1] in _DIGITS:
            digits -= 1
        if start + 1 < digits < end and text[digits - 1] == ":":  # "file:12"
            add(text[start : digits - 1], int(text[digits:end]))
        else:
            add(text[start:end], None)
    return result


def _reference_lines(out: list[str], occurrences: Iterable[tuple[str, str | int | None]]) -> None:
    """Append ``#:`` lines, as many references per line as fit in the page width."""
    out += _reference_block(tuple((str(name), line) for name, line in occurrences))


@lru_cache(maxsize=1024)
def _reference_block(occurrences: tuple[tuple[str, str | int | None], ...]) -> tuple[str, ...]:
    """The ``#:`` lines of one set of references (entries of one section share theirs)."""
    out: list[str] = []
    references = _references(occurrences)
    if not references:
        return ()
    line = "#:"
    column = 2
    for file_name, line_number in references:
        while file_name.startswith("./"):
            file_name = file_name[2:]
        text = file_name if line_number is None else f"{file_name}:{line_number}"
        length = len(text.encode("utf-8")) + 1
        if column > 2 and column + length > PAGE_WIDTH:
            out.append(line)
            line, column = "#:", 2
        line += " " + text
        column += length
    out.append(line)
    return tuple(out)


def _plural_forms(entry: polib.POEntry) -> list[str]:
    """The msgstr[N] values of a plural entry in index order (two empty ones for a template)."""
    plural = entry.msgstr_plural
    if not plural:
        return [entry.msgstr or "", ""]
    return [plural[key] for key in sorted(plural, key=int)]


def _entry_lines(out: list[str], entry: polib.POEntry, header_comment: str | None = None) -> None:
    """Append the lines of one entry, as message_print or message_print_obsolete writes it."""
    flag_key = tuple(entry.flags)
    flags = _parsed_flags(flag_key)
    plural = _plural_forms(entry) if entry.msgid_plural else None
    first_msgstr = plural[0] if plural is not None else entry.msgstr
    obsolete = bool(entry.obsolete)
    # Only "fuzzy" is written for an obsolete entry, so no other flag may shape it.
    language = None if obsolete else _format_language(flag_key)
    wrap = obsolete or flags.wrap is not False
    prefix = "#~ " if obsolete else ""
    previous_prefix = "#~| " if obsolete else "#| "

    _comment_lines(out, "#", header_comment if header_comment is not None else entry.tcomment)
    _comment_lines(out, "#.", entry.comment)
    _reference_lines(out, entry.occurrences)
    if obsolete:
        if flags.fuzzy:
            out.append("#, fuzzy")
    else:
        printed = _printed_flags(flag_key, bool(first_msgstr))
        if printed:
            out.append("#, " + ", ".join(printed))
    # A previous msgctxt or msgid_plural without a previous msgid is not valid PO syntax.
    if entry.previous_msgid is not None:
        for keyword, previous in (
            ("msgctxt", entry.previous_msgctxt),
            ("msgid", entry.previous_msgid),
            ("msgid_plural", entry.previous_msgid_plural),
        ):
            if previous is not None:
                _wrap(out, previous_prefix, keyword, previous, wrap, _guarded(previous, language, False))
    if entry.msgctxt is not None:
        _wrap(out, prefix, "msgctxt", entry.msgctxt, wrap, _guarded(entry.msgctxt, language, False))
    _wrap(out, prefix, "msgid", entry.msgid, wrap, _guarded(entry.msgid, language, False))
    if plural is None:
        _wrap(out, prefix, "msgstr", entry.msgstr, wrap, _guarded(entry.msgstr, language, True))
        return
    _wrap(out, prefix, "msgid_plural", entry.msgid_plural, wrap, _guarded(entry.msgid_plural, language, False))
    for index, form in enumerate(plural):
        _wrap(out, prefix, f"msgstr[{index}]", form, wrap, _guarded(form, language, True))


def _header_entry(catalog: polib.POFile) -> polib.POEntry:
    """The ``msgid ""`` entry: metadata in insertion order, fuzzy when the header is."""
    msgstr = "".join(f"{name}: {value}\n" for name, value in catalog.metadata.items())
    fuzzy = catalog.metadata_is_fuzzy
    # polib's parser stores the header's flag list here; code usually stores a bool.
    flags = [str(flag) for flag in fuzzy] if isinstance(fuzzy, list) else ["fuzzy"] if fuzzy else []
    return polib.POEntry(msgid="", msgstr=msgstr, flags=flags)


def format_catalog(catalog: polib.POFile) -> str:
    """Serialize a catalog exactly as GNU gettext 0.21 ``msgcat`` would write it."""
    blocks: list[list[str]] = []
    header: list[str] = []
    _entry_lines(header, _header_entry(catalog), header_comment=catalog.header or "")
    blocks.append(header)
    for entry in catalog:
        if not entry.obsolete:
            lines: list[str] = []
            _entry_lines(lines, entry)
            blocks.append(lines)
    for entry in catalog:
        # gettext drops obsolete entries without a translation: nothing to keep.
        if entry.obsolete and (_plural_forms(entry)[0] if entry.msgid_plural else entry.msgstr):
            lines = []
            _entry_lines(lines, entry)
            blocks.append(lines)
    return "\n\n".join("\n".join(block) for block in blocks) + "\n"


# --------------------------------------------------------------------------------------
# Writing files and dates.
# --------------------------------------------------------------------------------------

# Only a date that is there is blanked: a date filled in where the file had none (or a placeholder) is news.
_DATE_LINE = re.compile(r'^("(?:POT-Creation-Date|PO-Revision-Date):) ?\d[^"\n]*(\\n")$', re.MULTILINE)


def _without_dates(text: str) -> str:
    """The text with the header's creation and revision dates blanked, to compare content; empty dates stay."""
    header, separator, rest = text.partition("\n\n")
    return _DATE_LINE.sub(r"\1\2", header) + separator + rest


def write_catalog(catalog: polib.POFile, path: Path, *, durable: bool = True) -> bool:
    """Write atomically; False (file untouched) when only the header dates would change.

    ``durable=False`` skips flushing to disk: for templates, which the next extraction writes again.
    """
    path = Path(path)
    text = format_catalog(catalog)
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise CatalogError(f"catalog text cannot be encoded as UTF-8: {exc.reason}", path) from exc
    try:
        existing = path.read_bytes()
    except FileNotFoundError:
        existing = None
    except OSError as exc:
        raise CatalogError(f"cannot read existing catalog: {exc.strerror or exc}", path) from exc
    if existing is not None:
        old = existing.decode("utf-8", errors="surrogateescape")
        if old == text or _without_dates(old) == _without_dates(text):
            return False
    try:
        write_bytes(path, data, durable=durable)
    except OSError as exc:
        raise CatalogError(f"cannot write catalog: {exc.strerror or exc}", path) from exc
    return True


def catalog_date(now: datetime | None = None) -> str:
    """Header date ``YYYY-MM-DD HH:MM+ZZZZ`` as gettext writes it; SOURCE_DATE_EPOCH (UTC) when set."""
    # An explicit ``now`` wins over SOURCE_DATE_EPOCH; a naive ``now`` is local time.
    if now is None:
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        if epoch:
            try:
                now = datetime.fromtimestamp(int(epoch), tz=UTC)
            except (ValueError, OverflowError, OSError) as exc:
                raise CatalogError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, got {epoch!r}") from exc
        else:
            now = datetime.now().astimezone()
    elif now.tzinfo is None:
        now = now.astimezone()
    offset = now.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "-" if minutes < 0 else "+"
    minutes = abs(minutes)
    return f"{now:%Y-%m-%d %H:%M}{sign}{minutes // 60:02d}{minutes % 60:02d}"

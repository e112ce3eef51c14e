"""CMaps of PDF fonts: how the bytes of a text string split into codes, which CID and which text each code is.

Only what PDF writers embed is read: ``codespacerange``, ``cidchar``/``cidrange`` (encoding CMaps) and
``bfchar``/``bfrange`` (ToUnicode CMaps, ISO 32000-1 9.10.3). ``usecmap`` of predefined CMaps is not followed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

_TOKEN = re.compile(rb"%[^\r\n]*|<[0-9A-Fa-f\s]*>|\[|\]|/[^\s/\[\]<>()%]*|\((?:\\.|[^\\)])*\)|[^\s/\[\]<>()%]+")
_RANGE_LIMIT = 1 << 16
"""Largest range expanded into a table; larger ranges (a malformed or hostile CMap) are cut to this size."""


@dataclass(slots=True)
class CMap:
    """The parts of a CMap the audit uses."""

    codespaces: list[tuple[bytes, bytes]] = field(default_factory=list)
    """Code space ranges as (low, high) byte strings of equal length."""
    unicode: dict[int, str] = field(default_factory=dict)
    """Code to text (ToUnicode CMaps)."""
    cids: dict[int, int] = field(default_factory=dict)
    """Code to CID (encoding CMaps)."""

    def split(self, data: bytes, default_length: int = 2) -> Iterator[int]:
        """The codes of a string, split by the code space ranges (``default_length`` bytes when there are none)."""
        lengths = sorted({len(low) for low, _high in self.codespaces}) or [default_length]
        index = 0
        while index < len(data):
            for length in lengths:
                chunk = data[index : index + length]
                if len(chunk) == length and self._in_codespace(chunk):
                    break
            else:
                length = lengths[0]
                chunk = data[index : index + length]
            index += length
            yield int.from_bytes(chunk, "big")

    def _in_codespace(self, chunk: bytes) -> bool:
        return any(
            len(low) == len(chunk) and all(a <= b <= c for a, b, c in zip(low, chunk, high, strict=True))
            for low, high in self.codespaces
        )


def _hex(token: bytes) -> bytes:
    digits = re.sub(rb"\s", b"", token[1:-1])
    if len(digits) % 2:
        digits += b"0"
    return bytes.fromhex(digits.decode("ascii"))


def _text(data: bytes) -> str:
    if len(data) % 2:
        data += b"\0"
    return data.decode("utf-16-be", errors="replace")


def _tokens(data: bytes) -> list[bytes]:
    return [t for t in _TOKEN.findall(data) if not t.startswith(b"%")]


def parse_cmap(data: bytes) -> CMap:
    """Parse an embedded CMap stream; unknown or malformed parts are skipped, never raised."""
    cmap = CMap()
    tokens = _tokens(data)
    index = 0
    while index < len(tokens):
        keyword = tokens[index]
        index += 1
        if keyword == b"begincodespacerange":
            while index + 1 < len(tokens) and tokens[index] != b"endcodespacerange":
                low, high = tokens[index], tokens[index + 1]
                index += 2
                if low.startswith(b"<") and high.startswith(b"<") and len(_hex(low)) == len(_hex(high)):
                    cmap.codespaces.append((_hex(low), _hex(high)))
        elif keyword == b"beginbfchar":
            while index + 1 < len(tokens) and tokens[index] != b"endbfchar":
                source, target = tokens[index], tokens[index + 1]
                index += 2
                if source.startswith(b"<") and target.startswith(b"<"):
                    cmap.unicode[int.from_bytes(_hex(source), "big")] = _text(_hex(target))
        elif keyword == b"beginbfrange":
            while index + 2 < len(tokens) and tokens[index] != b"endbfrange":
                low, high = tokens[index], tokens[index + 1]
                index += 2
                targets: list[bytes] = []
                if tokens[index] == b"[":
                    index += 1
                    while index < len(tokens) and tokens[index] != b"]":
                        targets.append(tokens[index])
                        index += 1
                    index += 1
                else:
                    targets = [tokens[index]]
                    index += 1
                if not (low.startswith(b"<") and high.startswith(b"<")):
                    continue
                first, last = int.from_bytes(_hex(low), "big"), int.from_bytes(_hex(high), "big")
                last = min(last, first + _RANGE_LIMIT)
                if len(targets) == 1 and targets[0].startswith(b"<"):
                    start = _hex(targets[0])
                    base = int.from_bytes(start, "big")
                    for offset in range(last - first + 1):
                        value = (base + offset).to_bytes(max(len(start), 1), "big", signed=False)
                        cmap.unicode[first + offset] = _text(value)
                else:
                    for offset, target in enumerate(targets[: last - first + 1]):
                        if target.startswith(b"<"):
                            cmap.unicode[first + offset] = _text(_hex(target))
        elif keyword == b"begincidchar":
            while index + 1 < len(tokens) and tokens[index] != b"endcidchar":
                source, cid = tokens[index], tokens[index + 1]
                index += 2
                if source.startswith(b"<") and cid.isdigit():
                    cmap.cids[int.from_bytes(_hex(source), "big")] = int(cid)
        elif keyword == b"begincidrange":
            while index + 2 < len(tokens) and tokens[index] != b"endcidrange":
                low, high, cid = tokens[index], tokens[index + 1], tokens[index + 2]
                index += 3
                if low.startswith(b"<") and high.startswith(b"<") and cid.isdigit():
                    first, last = int.from_bytes(_hex(low), "big"), int.from_bytes(_hex(high), "big")
                    for offset in range(min(last, first + _RANGE_LIMIT) - first + 1):
                        cmap.cids[first + offset] = int(cid) + offset
    return cmap

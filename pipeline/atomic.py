"""Atomic file output: a file is whole under its final name or not there at all."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def write_bytes(path: Path, data: bytes, *, durable: bool = True) -> bool:
    """Write ``data`` to ``path`` through a temporary file and a rename; False when already identical.

    The rename alone means a killed process never leaves a truncated file; ``durable`` also flushes the data
    to disk first, so a power cut cannot either (for people's work, such as translations; generated files
    that the next run rewrites can skip it). A new file gets the mode the umask gives any new file; an existing
    file keeps its mode.
    """
    try:
        existing_mode: int | None = path.stat().st_mode & 0o7777
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        existing_mode = None
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            if durable:
                stream.flush()
                os.fsync(stream.fileno())
        if existing_mode is not None:
            os.chmod(temporary, existing_mode)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return True


def write_text(path: Path, text: str) -> bool:
    """Write UTF-8 ``text`` atomically; False when the file already holds it."""
    return write_bytes(path, text.encode("utf-8"))

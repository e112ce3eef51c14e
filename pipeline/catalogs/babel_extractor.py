"""Babel extractor for Markdown, so ``pybabel extract -F babel.cfg`` gives the same messages as ``plainleaf extract``.

Register a mapping in ``babel.cfg``::

    [plainleaf-markdown: source/**.md]
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from pipeline.catalogs.extract import comments
from pipeline.document import parse_document
from pipeline.errors import SourceError

BabelMessage = tuple[int, str, str | tuple[str, ...], list[str]]


def project_front_matter_fields(folder: Path) -> tuple[str, ...]:
    """``front-matter-fields`` of the Plainleaf project holding ``folder`` (so ``pybabel extract`` offers the same
    front-matter values as ``plainleaf extract``, ``short-title`` included), or Plainleaf's default outside one."""
    from pipeline.config import find_config, load_config
    from pipeline.errors import PipelineError

    try:
        return load_config(find_config(folder)).front_matter_fields
    except PipelineError:
        return ("title", "description")


def extract_markdown(
    fileobj: IO[bytes],
    keywords: Collection[str],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[BabelMessage]:
    """Yield ``(lineno, funcname, messages, comments)`` for every translatable block of a Markdown file."""
    data = fileobj.read()
    name = Path(getattr(fileobj, "name", "<markdown>"))
    try:
        text = data.decode(options.get("encoding", "utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise SourceError("not valid UTF-8", name, data[: exc.start].count(b"\n") + 1) from None
    given = options.get("front_matter_fields")
    fields = (
        tuple(f.strip() for f in str(given).split(",")) if given else project_front_matter_fields(name.resolve().parent)
    )
    document = parse_document(text.replace("\r\n", "\n"), name, fields)
    for block in document.blocks:
        if block.skip:
            continue
        notes = comments(block)
        if block.plural and block.context:
            yield block.line, "npgettext", (block.context, block.text, block.plural), notes
        elif block.plural:
            yield block.line, "ngettext", (block.text, block.plural), notes
        elif block.context:
            yield block.line, "pgettext", (block.context, block.text), notes
        else:
            yield block.line, "gettext", block.text, notes

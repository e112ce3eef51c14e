"""The ``layouts/`` folder: Jinja2 templates with the layouts' words marked for translation, and the CSS."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
from markupsafe import Markup, escape

from pipeline.render.messages import LayoutTranslations

PAGE, PAGES = "\ue010", "\ue011"
"""Stand-ins for the page counters in "Page %(page)s of %(pages)s", turned into CSS ``counter()`` calls."""


def _plain(value: Any) -> str:
    return value.striptags() if isinstance(value, Markup) else str(value)


def css_string(value: Any) -> Markup:
    """``value`` as a CSS string literal, safe inside a ``<style>`` element (no quote, backslash or ``<``)."""
    text = _plain(value)
    escaped = "".join(f"\\{ord(c):X} " if c in '"\\<>' or ord(c) < 0x20 or ord(c) == 0x7F else c for c in text)
    return Markup(f'"{escaped}"')


def css_counters(value: Any, style: str) -> Markup:
    """CSS ``content`` for a translated "Page N of M": the words as strings, the numbers as page counters."""
    if not re.fullmatch(r"[a-z-]+", style):
        raise ValueError(f"not a counter style: {style!r}")
    pieces = []
    for part in re.split(f"({PAGE}|{PAGES})", _plain(value)):
        if part == PAGE:
            pieces.append(f"counter(page, {style})")
        elif part == PAGES:
            pieces.append(f"counter(pages, {style})")
        elif part:
            pieces.append(str(css_string(part)))
    return Markup(" ".join(pieces))


def isolate(value: Any, locale: Any, css_class: str = "") -> Markup:
    """``value`` in a ``<bdi>`` with the locale's language and direction, so a date or name keeps its own order
    inside a sentence of the other direction (an untranslated English sentence in an Arabic product);
    ``css_class`` such as ``digits`` for the face with a plain zero."""
    if css_class:
        return Markup('<bdi lang="{}" dir="{}" class="{}">{}</bdi>').format(
            locale.tag, locale.direction, css_class, value
        )
    return Markup('<bdi lang="{}" dir="{}">{}</bdi>').format(locale.tag, locale.direction, value)


def digits(value: Any) -> Markup:
    """``value`` in a ``<span class="digits">``: set in the face whose zero is plain (see base.css), so "608"
    is never read as "6Ø8"."""
    return Markup('<span class="digits">{}</span>').format(value)


def url_text(value: Any) -> Markup:
    """A web address as printed for typing: without ``https://`` (browsers add it) and with ``<wbr>`` after each
    slash, the only place it may break, so no hyphen is ever added or taken for part of the address."""
    text = re.sub(r"\Ahttps?://", "", _plain(value))
    # Each piece up to its slash is unbreakable (not even at its own hyphens); the <wbr> between pieces is the
    # only break opportunity, outside the no-break spans.
    pieces = re.findall(r"[^/]*/|[^/]+", text)
    return Markup("<wbr>").join(Markup('<span class="nobreak">{}</span>').format(piece) for piece in pieces)


def bdi(value: Any) -> Markup:
    """``value`` in a ``<bdi>`` whose direction is that of its first strong character (what ``dir="auto"``
    means), so a clinic's English address keeps its order inside an Arabic product and vice versa."""
    text = _plain(value)
    direction = "ltr"
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("L", "R", "AL"):
            direction = "ltr" if kind == "L" else "rtl"
            break
    return Markup('<bdi dir="{}">{}</bdi>').format(direction, text)


class _CompiledTemplates(jinja2.BytecodeCache):
    """Templates compiled once per process and shared by the environments of all its jobs (one per job and
    language). Jinja checks each template's source against the checksum stored with its code, so an edited
    layout is compiled again."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _CompiledTemplates()


class Layouts:
    """Templates and stylesheets of the print products."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        """The ``layouts/`` folder."""

    def environment(
        self,
        translations: LayoutTranslations,
        helpers: dict[str, Callable[..., Any]] | None = None,
        fallback_lang: str | None = None,
    ) -> jinja2.Environment:
        """A Jinja2 environment whose ``_()`` and ``{% trans %}`` use ``translations``.

        Translations are escaped before Jinja marks them safe: a catalog is untrusted text and stays text.
        With ``fallback_lang`` (the source language, when rendering another one), words printed untranslated
        are marked ``<span lang=... dir="ltr">`` so screen readers pronounce them in the right language.
        """
        environment = jinja2.Environment(
            loader=jinja2.FileSystemLoader(self.folder),
            autoescape=True,
            extensions=["jinja2.ext.i18n"],
            trim_blocks=True,
            lstrip_blocks=True,
            undefined=jinja2.StrictUndefined,
            bytecode_cache=_COMPILED,
        )

        def mark(text: str, original: bool) -> str:
            if fallback_lang and original:
                return f'<span lang="{escape(fallback_lang)}" dir="ltr">{escape(text)}</span>'
            return str(escape(text))

        def gettext(message: str) -> str:
            text = translations.gettext(message)
            return mark(text, message in translations.missing)

        def ngettext(singular: str, plural: str, n: int) -> str:
            return mark(translations.ngettext(singular, plural, n), singular in translations.missing)

        environment.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
        environment.filters["css_string"] = css_string
        environment.filters["css_counters"] = css_counters
        environment.filters["isolate"] = isolate
        environment.filters["bdi"] = bdi
        environment.filters["digits"] = digits
        environment.filters["url_text"] = url_text
        environment.globals.update({"PAGE": PAGE, "PAGES": PAGES, **(helpers or {})})
        return environment

    def stylesheet(self, name: str) -> str:
        """``base.css`` followed by the product's own stylesheet ``name``."""
        return "\n".join((self.folder / css).read_text(encoding="utf-8") for css in ("base.css", name))

    def template_texts(self) -> list[tuple[Path, str]]:
        """Every template's path and text, to trace a character back to where it is written."""
        return [(path, path.read_text(encoding="utf-8")) for path in sorted(self.folder.glob("*.j2"))]

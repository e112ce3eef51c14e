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


BREAK_BEFORE = "./-_~?#%,"
"""Characters a printed address may break before (Chicago Manual of Style 6.17): the line then starts with them,
so nobody takes the break for a hyphen of the address."""
BREAK_AFTER = "@"
"""Characters a printed address may break after (and after ``//``)."""


def _address_pieces(text: str) -> list[str]:
    """``text`` cut where it may break: before :data:`BREAK_BEFORE` and after :data:`BREAK_AFTER`, never inside a
    run of them (``//``, ``.-``), never before its first or last character."""
    pieces = [text[:1]]
    for index in range(1, len(text)):
        char, previous = text[index], text[index - 1]
        before = char in BREAK_BEFORE and previous not in BREAK_BEFORE + BREAK_AFTER + ":"
        after = previous in BREAK_AFTER and char not in BREAK_BEFORE
        # Never a line holding only the closing slash of an address.
        if (before or after) and index < len(text) - 1:
            pieces.append("")
        pieces[-1] += char
    return pieces


WORD_JOINER = "\u2060"
"""Put after every hyphen and slash of an address: the line breaker may not break there (UAX #14 allows a break
after a hyphen or a slash), so the soft hyphens are its only break opportunities."""


def address_text(value: Any) -> Markup:
    """A web or e-mail address as printed for typing: without ``https://`` (browsers add it), breakable only where
    the Chicago Manual lets an address break (:func:`_address_pieces`), at soft hyphens. A line broken at one
    ends with the continuation mark of ``.address-text`` (base.css: an arrow, never a hyphen a patient would
    type), and nothing is added where it does not break."""
    text = re.sub(r"\Ahttps?://", "", _plain(value))
    pieces = [re.sub(r"([-/@.?#%,~_])", rf"\1{WORD_JOINER}", piece) for piece in _address_pieces(text)]
    return Markup("\u00ad").join(escape(piece) for piece in pieces)


url_text = address_text
"""Former name of :func:`address_text`, kept for templates written before e-mail addresses could break."""


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
        environment.filters["url_text"] = address_text
        environment.filters["address_text"] = address_text
        environment.globals.update({"PAGE": PAGE, "PAGES": PAGES, **(helpers or {})})
        return environment

    def stylesheet(self, name: str) -> str:
        """``base.css`` followed by the product's own stylesheet ``name``."""
        return "\n".join((self.folder / css).read_text(encoding="utf-8") for css in ("base.css", name))

    def template_texts(self) -> list[tuple[Path, str]]:
        """Every template's path and text, to trace a character back to where it is written."""
        return [(path, path.read_text(encoding="utf-8")) for path in sorted(self.folder.glob("*.j2"))]

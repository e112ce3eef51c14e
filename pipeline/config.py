"""Project configuration: ``[tool.plainleaf]`` of ``pyproject.toml``, loaded once and validated."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError

from pipeline.errors import ConfigError

SECTION = "tool.plainleaf"


@dataclass(slots=True, frozen=True)
class LocaleConfig:
    """One target language of the project."""

    code: str
    """POSIX-style locale code as used in ``locales/<code>/``, such as ``es`` or ``zh_Hans``."""
    reviewed: bool = False
    """Whether a qualified medical translator has signed this translation off."""


@dataclass(slots=True, frozen=True)
class DocumentDeclaration:
    """What a document says it is for: declared in its front matter or in ``[tool.plainleaf.documents.<name>]``
    (which wins, key by key)."""

    products: tuple[str, ...] | None = None
    """The products made of it (``large-print``, ``handout``, ``summary``, ``web``, ``epub``, ``braille``); None
    when not declared (the default set), empty for none at all."""
    purpose: str | None = None
    """What it is for, one line for the print desk; None for the product's own."""
    audience: str | None = None
    """Whom to give it to, for the print desk; None when not said."""
    line: int | None = None
    """Line of the front matter that declares it (for messages), None for the configuration."""


@dataclass(slots=True, frozen=True)
class Config:
    """Validated settings of one Plainleaf project."""

    root: Path
    """Folder holding ``pyproject.toml``; every other path is relative to it."""
    source_language: str = "en"
    """Language the Markdown sources are written in."""
    source_dir: Path = Path("source")
    """Folder of the Markdown documents; each ``*.md`` is one gettext domain."""
    locales_dir: Path = Path("locales")
    """Folder of ``<domain>.pot`` templates and ``<lang>/LC_MESSAGES/<domain>.po`` catalogs."""
    output_dir: Path = Path("output")
    """Folder of build results and reports."""
    terms_file: Path | None = None
    """Do-not-translate term list checked by ``plainleaf check``."""
    front_matter_fields: tuple[str, ...] = ("title", "description")
    """Front-matter keys offered for translation."""
    locales: tuple[LocaleConfig, ...] = field(default_factory=tuple)
    """Target languages, in the order reports list them."""
    project_name: str = "plainleaf"
    """Name written to ``Project-Id-Version`` of the templates."""
    readability_targets: dict[str, dict[str, float]] = field(default_factory=dict)
    """Per document (domain): formula id -> target. Grade and index formulas must not exceed it,
    reading-ease formulas must reach it; documents without targets are reported, not gated."""
    readability_advisory: frozenset[str] = frozenset()
    """Documents whose targets are advisory (``advisory = true``): a miss is reported with its gap, in amber, and
    does not fail ``plainleaf readability`` or the build."""
    declarations: dict[str, DocumentDeclaration] = field(default_factory=dict)
    """``[tool.plainleaf.documents.<name>]``: the products, purpose and audience of a document (by file stem),
    over what its front matter declares."""
    braille_tables: dict[str, str] = field(default_factory=dict)
    """Per locale code (or language), the liblouis table its braille edition is translated with, from
    ``[tool.plainleaf.braille.tables]``; overrides the per-language defaults of :mod:`pipeline.render.braille`."""

    def path(self, relative: Path) -> Path:
        """Resolve a configured path against the project root."""
        return relative if relative.is_absolute() else self.root / relative

    @property
    def layouts_dir(self) -> Path:
        """The project's ``layouts/`` folder (templates and CSS of the products, and the index's)."""
        return self.root / "layouts"

    @property
    def locale_codes(self) -> list[str]:
        """The configured target locale codes."""
        return [loc.code for loc in self.locales]

    def documents(self) -> list[Path]:
        """Markdown documents of the project, sorted by name."""
        return sorted(self.path(self.source_dir).glob("*.md"))

    def _readability_entry(self, document: str) -> str | None:
        """The configured name whose targets ``document`` has: itself, or the document it is a variant of
        (``summary`` for ``summary-clinic-b``: the longest configured name it starts with, then ``-``)."""
        if document in self.readability_targets:
            return document
        bases = [name for name in self.readability_targets if document.startswith(f"{name}-")]
        return max(bases, key=len) if bases else None

    def readability_limits(self, document: str) -> dict[str, float]:
        """The readability limits of ``document``, or of the document it is a variant of. The one lookup of
        targets: the readability command, its report and the build's index all use it."""
        entry = self._readability_entry(document)
        return dict(self.readability_targets[entry]) if entry is not None else {}

    def readability_is_advisory(self, document: str) -> bool:
        """Whether the targets :meth:`readability_limits` gives ``document`` are advisory."""
        return self._readability_entry(document) in self.readability_advisory

    def template_path(self, domain: str) -> Path:
        """Where the POT template of ``domain`` lives."""
        return self.path(self.locales_dir) / f"{domain}.pot"

    def catalog_path(self, locale: str, domain: str) -> Path:
        """Where the PO catalog of ``domain`` in ``locale`` lives."""
        return self.path(self.locales_dir) / locale / "LC_MESSAGES" / f"{domain}.po"


def _expect(value: Any, kind: type | tuple[type, ...], key: str, path: Path) -> Any:
    if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise ConfigError(f"{key}: expected {names}, got {value!r}", path)
    return value


def _locale_code(value: Any, key: str, path: Path) -> str:
    code = _expect(value, str, key, path)
    try:
        Locale.parse(code.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        raise ConfigError(f"{key}: unknown locale {code!r}", path) from None
    return str(code.replace("-", "_"))


def _locales(value: Any, key: str, path: Path) -> tuple[LocaleConfig, ...]:
    items = _expect(value, list, key, path)
    result = []
    for index, item in enumerate(items):
        item_key = f"{key}[{index}]"
        if isinstance(item, str):
            result.append(LocaleConfig(_locale_code(item, item_key, path)))
            continue
        table = _expect(item, dict, item_key, path)
        unknown = sorted(set(table) - {"code", "reviewed"})
        if unknown:
            raise ConfigError(f"{item_key}: unknown key {unknown[0]!r}", path)
        if "code" not in table:
            raise ConfigError(f"{item_key}: missing key 'code'", path)
        reviewed = _expect(table.get("reviewed", False), bool, f"{item_key}.reviewed", path)
        result.append(LocaleConfig(_locale_code(table["code"], f"{item_key}.code", path), reviewed))
    codes = [loc.code for loc in result]
    for code in codes:
        if codes.count(code) > 1:
            raise ConfigError(f"{key}: locale {code!r} listed twice", path)
    return tuple(result)


ADVISORY = "advisory"
"""Key of a document's target table that makes its targets advisory (reported with the gap, not gating)."""


def _targets(value: Any, key: str, path: Path) -> tuple[dict[str, dict[str, float]], frozenset[str]]:
    """``[tool.plainleaf.readability]``: the targets per document (formula id -> number) and the documents whose
    targets are advisory (``advisory = true`` beside the formulas)."""
    table = _expect(value, dict, key, path)
    unknown = sorted(set(table) - {"targets"})
    if unknown:
        raise ConfigError(f"{key}: unknown key {unknown[0]!r}", path)
    targets: dict[str, dict[str, float]] = {}
    advisory: set[str] = set()
    documents = _expect(table.get("targets", {}), dict, f"{key}.targets", path)
    for document, formulas in documents.items():
        document_key = f"{key}.targets.{document}"
        targets[document] = {}
        for formula, limit in _expect(formulas, dict, document_key, path).items():
            if formula == ADVISORY:
                if _expect(limit, bool, f"{document_key}.{ADVISORY}", path):
                    advisory.add(document)
                continue
            targets[document][formula] = float(_expect(limit, (int, float), f"{document_key}.{formula}", path))
        if not targets[document]:
            # An empty table would read as "has a target" yet judge nothing.
            raise ConfigError(f"{document_key}: no formula target (e.g. flesch-kincaid-grade = 8)", path)
    return targets, frozenset(advisory)


def _braille(value: Any, key: str, path: Path) -> dict[str, str]:
    """``[tool.plainleaf.braille]``: ``tables = { es = "es-g1.ctb" }``, one liblouis table list per locale."""
    table = _expect(value, dict, key, path)
    unknown = sorted(set(table) - {"tables"})
    if unknown:
        raise ConfigError(f"{key}: unknown key {unknown[0]!r}", path)
    tables = _expect(table.get("tables", {}), dict, f"{key}.tables", path)
    for code, name in tables.items():
        _locale_code(code, f"{key}.tables", path)
        if not re.fullmatch(r"[A-Za-z0-9_.,-]+", _expect(name, str, f"{key}.tables.{code}", path)):
            raise ConfigError(f"{key}.tables.{code}: not a liblouis table list: {name!r}", path)
    return {str(code).replace("-", "_"): str(name) for code, name in tables.items()}


def declaration(table: Any, key: str, path: Path, line: int | None = None) -> DocumentDeclaration:
    """A document's declaration (``products``, ``purpose``, ``audience``) from a TOML table or a front matter
    mapping; errors name ``key`` and the file (and the front matter's line)."""

    def fail(message: str) -> ConfigError:
        return ConfigError(f"{key}{message}", path, line)

    if not isinstance(table, dict):
        raise fail(f": expected a table, got {table!r}")
    unknown = sorted(set(table) - {"products", "purpose", "audience"})
    if unknown:
        raise fail(f": unknown key {unknown[0]!r} (known: audience, products, purpose)")
    products = table.get("products")
    if products is not None:
        if isinstance(products, str):
            products = [products]
        if not isinstance(products, list) or not all(isinstance(item, str) for item in products):
            raise fail(f".products: expected a list of product names, got {products!r}")
        products = tuple(dict.fromkeys(item.strip() for item in products))
    texts = {}
    for name in ("purpose", "audience"):
        value = table.get(name)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise fail(f".{name}: expected a line of text, got {value!r}")
        texts[name] = " ".join(value.split()) if isinstance(value, str) else None
    return DocumentDeclaration(products, texts["purpose"], texts["audience"], line)


def _documents(value: Any, key: str, path: Path) -> dict[str, DocumentDeclaration]:
    """``[tool.plainleaf.documents]``: one table per document (file stem)."""
    table = _expect(value, dict, key, path)
    return {str(name): declaration(entry, f"{key}.{name}", path) for name, entry in table.items()}


def parse_config(table: dict[str, Any], root: Path, path: Path) -> Config:
    """Validate the ``[tool.plainleaf]`` table into a :class:`Config`."""
    known = {
        "source-language", "source-dir", "locales-dir", "output-dir", "terms",
        "front-matter-fields", "locales", "project-name", "readability", "braille", "documents",
    }  # fmt: skip
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigError(f"{SECTION}: unknown key {unknown[0]!r}", path)

    def key(name: str) -> str:
        return f"{SECTION}.{name}"

    def folder(name: str, default: Path) -> Path:
        return Path(_expect(table.get(name, str(default)), str, key(name), path))

    fields = table.get("front-matter-fields", ["title", "description"])
    for index, name in enumerate(_expect(fields, list, key("front-matter-fields"), path)):
        _expect(name, str, f"{key('front-matter-fields')}[{index}]", path)
    terms = table.get("terms")
    targets, advisory = _targets(table.get("readability", {}), key("readability"), path)
    return Config(
        readability_targets=targets,
        readability_advisory=advisory,
        root=root,
        source_language=_locale_code(table.get("source-language", "en"), key("source-language"), path),
        source_dir=folder("source-dir", Path("source")),
        locales_dir=folder("locales-dir", Path("locales")),
        output_dir=folder("output-dir", Path("output")),
        terms_file=Path(_expect(terms, str, key("terms"), path)) if terms is not None else None,
        front_matter_fields=tuple(fields),
        locales=_locales(table.get("locales", []), key("locales"), path),
        project_name=_expect(table.get("project-name", "plainleaf"), str, key("project-name"), path),
        braille_tables=_braille(table.get("braille", {}), key("braille"), path),
        declarations=_documents(table.get("documents", {}), key("documents"), path),
    )


def read_toml(path: Path, missing: str) -> dict[str, Any]:
    """A TOML file as a table; ``missing`` is the message when it does not exist. Errors name file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(missing, path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read: {exc}", path) from exc
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        line = int(found.group(1)) if found else None
        raise ConfigError(f"invalid TOML: {str(exc).split(' (at ')[0]}", path, line) from exc


def load_config(pyproject: Path) -> Config:
    """Read and validate ``[tool.plainleaf]`` from ``pyproject``."""
    data = read_toml(pyproject, "no pyproject.toml here; run plainleaf from the project folder")
    table = data.get("tool", {}).get("plainleaf")
    if table is None:
        raise ConfigError(f"no [{SECTION}] table", pyproject)
    return parse_config(_expect(table, dict, SECTION, pyproject), pyproject.parent.resolve(), pyproject)


def find_config(start: Path) -> Path:
    """The nearest ``pyproject.toml`` with a ``[tool.plainleaf]`` table, from ``start`` upwards."""
    for folder in [start, *start.parents]:
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and "[tool.plainleaf" in candidate.read_text(encoding="utf-8", errors="replace"):
            return candidate
    return start / "pyproject.toml"

"""The translation check as a print gate: a catalog with ``plainleaf check`` errors keeps its products from print.

Each catalog is checked once: the result is kept in the manifest under a digest of the catalog's content, its
locale, the do-not-translate list and the checking code, so a build never checks an unchanged catalog again. A
changed catalog's errors are those ``plainleaf check`` found and kept (:mod:`pipeline.memory`): in ``make`` the
check has just run, so the build checks nothing itself (the meaning checks cost about 0.1 s a catalog).

A document's catalog holds back that document's products in its locale; the layouts' catalog (``layouts.po``,
words printed on every product) holds back every product of its locale.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.builder.fingerprint import digest, files_digest, project_path
from pipeline.builder.manifest import FileHasher
from pipeline.config import Config
from pipeline.errors import CatalogError

if TYPE_CHECKING:  # imported when a catalog is checked: a build with nothing new reads only the manifest
    from pipeline.catalogs.project import KeptChecks


class CatalogGate:
    """Says whether a catalog passes the translation check, from the manifest when its content was checked before."""

    def __init__(
        self, config: Config, hasher: FileHasher, known: dict[str, dict[str, Any]], code: list[str], environment: Any
    ) -> None:
        self.config = config
        """The project."""
        self.hasher = hasher
        """The build's file hashes."""
        self.known = known
        """Results of earlier builds by key (the manifest's ``checks``)."""
        self.results: dict[str, dict[str, Any]] = {}
        """Results this build used (checked now or found in :attr:`known`), by key: what the manifest keeps."""
        self._code = files_digest(hasher, code)
        self._environment = environment
        self._checks: KeptChecks | None = None  # the check's memory, read once per build when a catalog is new

    def _terms_path(self) -> Path | None:
        return self.config.path(self.config.terms_file) if self.config.terms_file else None

    def _key(self, path: Path, shown: str, locale: str) -> str:
        terms = self._terms_path()
        return digest({
            "catalog": self.hasher.digest(path), "path": shown, "locale": locale,
            "terms": self.hasher.digest(terms) if terms is not None else None,
            "code": self._code, "environment": self._environment,
        })  # fmt: skip

    def problem(self, path: Path, locale: str) -> str | None:
        """The reason ``path`` keeps products from print (its first check error, naming file, line and entry), or
        None when it has no error or does not exist (a missing catalog is incompleteness, reported elsewhere)."""
        if not path.is_file():
            return None
        shown = project_path(path, self.config.root)
        key = self._key(path, shown, locale)
        result = self.results.get(key) or self.known.get(key)
        if result is None:
            result = self._check(path, shown, locale)
        self.results[key] = result
        first, count = result.get("first"), int(result.get("errors", 0))
        if first is None:
            return None
        more = f" ({count} check errors in all: see plainleaf check)" if count > 1 else ""
        return f"{first}{more}"

    def _check(self, path: Path, shown: str, locale: str) -> dict[str, Any]:
        """The check's errors in ``path``: those ``plainleaf check`` kept when the catalog has not changed since (in
        ``make`` the check has just run), else the catalog checked now and kept for the next check."""
        from pipeline.catalogs.project import KeptChecks
        from pipeline.errors import Severity

        checks = self._checks = self._checks or KeptChecks(self.config)
        try:
            findings = checks.catalog(path, locale)
        except CatalogError as exc:  # unreadable, or an unknown locale: nothing of it can be trusted in print
            return {"errors": 1, "first": f"{shown}: cannot be checked: {exc.message}"}
        finally:
            checks.save()  # writes only when this catalog was checked now
        errors = [finding for finding in findings if finding.severity is Severity.ERROR]
        return {"errors": len(errors), "first": str(errors[0]) if errors else None}

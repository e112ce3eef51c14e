"""Editions: which exact text a printed product was made from, the last ready one kept while its successor is not
ready, older ones archived, and what changed in the source since.

An edition is the document's ``version`` and ``date`` from its front matter plus a short identifier: a digest of
the exact source file and the confirmed translations (msgid and msgstr of every entry the product prints, not the
comments, so a sign-off does not make a new edition). It is printed on the product and kept in the manifest.

When a product cannot be made ready now (its translation fell behind the source, or waits for review), the builder
keeps the files of its last ready edition under their final names; the desk says which edition it is and what
changed in the source since (:func:`describe_changes`, from a snapshot of the source's entries kept per edition in
``output/.plainleaf-editions/``). When a new edition replaces a ready one, the old files are copied to
``output/<lang>/editions/`` first (:func:`archive_edition`), newest :data:`KEEP` per product.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import re
import shutil
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polib

from pipeline.atomic import write_text
from pipeline.builder.manifest import JobRecord, PlannedJob
from pipeline.config import Config
from pipeline.errors import PipelineError

if TYPE_CHECKING:
    from pipeline.render import Job

EDITIONS_DIR = "editions"
"""Folder of older editions in each language's output folder."""
SNAPSHOTS_DIR = ".plainleaf-editions"
"""Folder of the output holding each edition's source entries, to say what changed since."""
LISTING = "editions.json"
"""The list of archived editions in each ``editions/`` folder."""
KEEP = 5
"""Older editions kept per product; the oldest beyond are deleted."""
ID_LENGTH = 8
"""Hex digits of an edition's identifier."""

REVIEWED_SOURCE, REVIEWED_ENTRIES, REVIEWED_LOCALE = "source language", "every entry signed off", "locale"
"""Why an edition counts as reviewed: it is the source text, every entry it prints is signed off, or the locale is
marked ``reviewed = true`` in ``pyproject.toml`` (review done elsewhere, entry by entry not recorded)."""


@dataclass(slots=True, frozen=True)
class Edition:
    """The exact text a product was made from, as staff and document control name it."""

    version: str
    """The document's ``version`` from its front matter; empty when it has none."""
    date: str
    """The document's ``date`` from its front matter (``YYYY-MM-DD``); empty when it has none."""
    id: str
    """Digest of the source file and the confirmed translations printed (:func:`edition_id`)."""
    source: str
    """Digest of the source file alone: names the snapshot of its entries (:func:`write_snapshot`)."""
    reviewed: str = ""
    """Why it counts as reviewed (:data:`REVIEWED_SOURCE`, :data:`REVIEWED_ENTRIES`, :data:`REVIEWED_LOCALE`); empty
    when not reviewed."""
    unreviewed: int = 0
    """Entries it prints that are not signed off (or changed since), when not reviewed."""

    @property
    def label(self) -> str:
        """``Edition 1.0, 2026-11-29 (a1b2c3d4)``: what the product's colophon and the desk print."""
        parts = [f"Edition {self.version}" if self.version else "Edition"]
        if self.date:
            parts[0] += f", {self.date}"
        return f"{parts[0]} ({self.id})"

    def to_json(self) -> dict[str, Any]:
        """Plain data for the manifest."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Edition:
        """Read what :meth:`to_json` wrote."""
        return cls(**{key: data[key] for key in cls.__dataclass_fields__ if key in data})


def front_matter_edition(text: str) -> tuple[str, str]:
    """``(version, date)`` from a Markdown source's YAML front matter; empty strings when absent or unreadable."""
    import yaml

    match = re.match(r"\A\ufeff?---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", text, re.DOTALL)
    if match is None:
        return "", ""
    try:
        data = yaml.safe_load(match[1])
    except yaml.YAMLError:
        return "", ""
    if not isinstance(data, dict):
        return "", ""
    version, day = data.get("version"), data.get("date")
    if isinstance(day, dt.datetime):
        day = day.date()
    return ("" if version is None else str(version)), (day.isoformat() if isinstance(day, dt.date) else str(day or ""))


def _digest(parts: Iterable[bytes]) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(len(part).to_bytes(8, "big"))
        hasher.update(part)
    return hasher.hexdigest()[:ID_LENGTH]


def confirmed_text(catalog: polib.POFile) -> bytes:
    """The translations a product prints from ``catalog``, as bytes to digest: every active, confirmed, translated
    entry's context, msgid and forms; no comment, no flag, no header."""
    rows = []
    for entry in catalog:
        if entry.obsolete or entry.fuzzy or not entry.msgid:
            continue
        forms = [entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural)] if entry.msgstr_plural else None
        if not (entry.msgstr or (forms and any(forms))):
            continue
        rows.append([entry.msgctxt, entry.msgid, entry.msgid_plural or None, entry.msgstr, forms])
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def source_id(document: bytes) -> str:
    """Digest of a source file's bytes."""
    return _digest([document])


def edition_id(document: bytes, catalogs: Sequence[polib.POFile]) -> str:
    """Digest of the source file and the confirmed translations of ``catalogs`` (document, then layouts)."""
    return _digest([document, *(confirmed_text(catalog) for catalog in catalogs)])


# --- what changed in the source ---------------------------------------------------------------------------------


def snapshot_path(output_dir: Path, document: str, source: str) -> Path:
    """Where the source entries of ``document`` at source digest ``source`` are kept."""
    return output_dir / SNAPSHOTS_DIR / f"{document}-{source}.json"


def write_snapshot(output_dir: Path, document: str, source: str, entries: Sequence[str]) -> bool:
    """Keep the source entries (msgids, in document order) of an edition's source; False when already kept."""
    path = snapshot_path(output_dir, document, source)
    if path.exists():
        return False
    return write_text(path, json.dumps(list(entries), ensure_ascii=False, indent=0) + "\n")


def read_snapshot(output_dir: Path, document: str, source: str) -> list[str] | None:
    """The source entries kept for ``source``, or None when not kept (or unreadable)."""
    try:
        data = json.loads(snapshot_path(output_dir, document, source).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return [str(item) for item in data] if isinstance(data, list) else None


def prune_snapshots(output_dir: Path, records: Iterable[JobRecord], locales: Iterable[str]) -> list[Path]:
    """Delete the kept source entries no edition names any more: neither a record's (current or previous) nor an
    archived one's in the ``editions/`` of ``locales``; returns what was removed."""
    wanted = set()
    for record in records:
        wanted.add(record.edition.get("source"))
    for locale in locales:
        wanted |= {item.edition.source for item in read_archive(output_dir / locale / EDITIONS_DIR)}
    folder = output_dir / SNAPSHOTS_DIR
    removed = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        if path.stem.rpartition("-")[2] not in wanted:
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


@dataclass(slots=True, frozen=True)
class SourceChange:
    """One entry of the source that changed between two editions."""

    kind: str
    """``changed``, ``added`` or ``removed``."""
    old: str | None
    """The entry before (None when added)."""
    new: str | None
    """The entry now (None when removed)."""

    def describe(self, width: int = 60) -> str:
        """``a spelling fix in “What are the risks?” (risks → risk)``, ``added “…”``, ``removed “…”``."""
        if self.kind == "added":
            assert self.new is not None
            return f"added \u201c{_short(self.new, width)}\u201d"
        if self.kind == "removed":
            assert self.old is not None
            return f"removed \u201c{_short(self.old, width)}\u201d"
        assert self.old is not None and self.new is not None
        removed, added = _changed_words(self.old, self.new)
        what = "a spelling fix" if _is_spelling_fix(removed, added) else "a change"
        if len(removed) + len(added) > 40:
            detail = ""
        elif removed and added:
            detail = f" ({removed} \u2192 {added})"
        else:
            detail = f" ({'added' if added else 'removed'} \u201c{added or removed}\u201d)"
        return f"{what} in \u201c{_short(self.old, width)}\u201d{detail}"


def _short(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "\u2026"


def _changed_words(old: str, new: str) -> tuple[str, str]:
    """The words taken out of ``old`` and put into ``new`` (punctuation apart from words), each joined with spaces."""
    from pipeline.catalogs.review import diff_words

    runs = diff_words(old, new)
    removed = " ".join(text.strip() for op, text in runs if op == "-" and text.strip())
    added = " ".join(text.strip() for op, text in runs if op == "+" and text.strip())
    return removed, added


def _is_spelling_fix(removed: str, added: str) -> bool:
    """One word for one, spelled nearly alike (a letter or two)."""
    if not removed or not added or " " in removed or " " in added:
        return False
    return difflib.SequenceMatcher(a=removed.lower(), b=added.lower()).ratio() >= 0.75


def source_changes(old: Sequence[str], new: Sequence[str]) -> list[SourceChange]:
    """The entries that differ between two snapshots of a source, in document order; a replaced entry is paired
    with its most similar successor, as a change."""
    changes: list[SourceChange] = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(a=list(old), b=list(new), autojunk=False).get_opcodes():
        if op == "equal":
            continue
        olds, news = list(old[a1:a2]), list(new[b1:b2])
        while olds and news:
            first = olds.pop(0)
            best = max(news, key=lambda item: difflib.SequenceMatcher(a=first, b=item).ratio())
            if difflib.SequenceMatcher(a=first, b=best).ratio() < 0.5:
                changes.append(SourceChange("removed", first, None))
                continue
            for earlier in news[: news.index(best)]:
                changes.append(SourceChange("added", None, earlier))
            news = news[news.index(best) + 1 :]
            changes.append(SourceChange("changed", first, best))
        changes += [SourceChange("removed", item, None) for item in olds]
        changes += [SourceChange("added", None, item) for item in news]
    return changes


def describe_changes(changes: Sequence[SourceChange], since: str = "", limit: int = 3) -> str:
    """``2 entries changed on 2026-12-07: a spelling fix in “…” (risks → risk); added “…”``."""
    if not changes:
        return "no entry of the source changed (the update is in the translation)"
    count = len(changes)
    head = f"{count} entr{'y' if count == 1 else 'ies'} changed" + (f" on {since}" if since else "")
    shown = "; ".join(change.describe() for change in changes[:limit])
    more = f"; and {count - limit} more" if count > limit else ""
    return f"{head}: {shown}{more}"


# --- archived editions -------------------------------------------------------------------------------------------


@dataclass(slots=True)
class ArchivedEdition:
    """One older edition of one product, kept in ``output/<lang>/editions/``."""

    product: str
    """The product's final file stem (``guide-large-print``, ``guide-web``)."""
    edition: Edition
    """Which edition."""
    files: dict[str, str] = field(default_factory=dict)
    """Its files by format, relative to the output folder."""
    superseded: str = ""
    """Day it stopped being the current edition (``YYYY-MM-DD``)."""

    def to_json(self) -> dict[str, Any]:
        """Plain data for the listing."""
        return {"product": self.product, "edition": self.edition.to_json(), "files": self.files,
                "superseded": self.superseded}  # fmt: skip

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ArchivedEdition:
        """Read what :meth:`to_json` wrote."""
        return cls(str(data["product"]), Edition.from_json(data["edition"]), dict(data.get("files", {})),
                   str(data.get("superseded", "")))  # fmt: skip


def read_archive(folder: Path) -> list[ArchivedEdition]:
    """The archived editions listed in ``folder`` (``output/<lang>/editions/``), newest first; none when unreadable."""
    try:
        data = json.loads((folder / LISTING).read_text(encoding="utf-8"))
        return [ArchivedEdition.from_json(item) for item in data]
    except (OSError, ValueError, KeyError, TypeError):
        return []


def archive_edition(
    output_dir: Path, language: str, product: str, edition: Edition, files: Mapping[str, str], day: str,
    keep: int = KEEP,
) -> ArchivedEdition | None:  # fmt: skip
    """Copy a ready edition's files (``format -> path`` relative to ``output_dir``) into ``<language>/editions/`` as
    ``<product>-<version>-<id>.<ext>`` before a new edition replaces them, list it, and delete the oldest beyond
    ``keep`` of this product; None when no file of it is on disk (nothing to keep) or it is archived already."""
    folder = output_dir / language / EDITIONS_DIR
    listing = read_archive(folder)
    if any(item.product == product and item.edition.id == edition.id for item in listing):
        return None
    tag = "-".join(part for part in (edition.version, edition.id) if part)
    kept: dict[str, str] = {}
    for kind, relative in sorted(files.items()):
        source = output_dir / relative
        if not source.is_file():
            continue
        suffix = "".join(Path(relative).suffixes[-1:])
        target = folder / f"{product}-{tag}{suffix}"
        if target.relative_to(output_dir).as_posix() in kept.values():  # two files of one suffix
            target = folder / f"{product}-{tag}-{kind}{suffix}"
        folder.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.tmp")
        shutil.copyfile(source, temporary)
        temporary.replace(target)
        kept[kind] = target.relative_to(output_dir).as_posix()
    if not kept:
        return None
    archived = ArchivedEdition(product, edition, kept, day)
    listing.insert(0, archived)
    ours = [item for item in listing if item.product == product]
    for old in ours[keep:]:
        for relative in old.files.values():
            (output_dir / relative).unlink(missing_ok=True)
        listing.remove(old)
    write_text(folder / LISTING, json.dumps([item.to_json() for item in listing], ensure_ascii=False, indent=1) + "\n")
    return archived


def today() -> str:
    """Today (``SOURCE_DATE_EPOCH`` when set), ``YYYY-MM-DD``."""
    from pipeline.catalogs.review import sign_off_day

    return sign_off_day()


# --- the edition and review state of each product, at planning -----------------------------------------------------


@dataclass(slots=True, frozen=True)
class ProductText:
    """What a (document, locale) pair prints now: its edition and how far its entries are reviewed."""

    edition: Edition
    """The edition its products would be if built now."""
    waiting: int
    """Entries of its catalogs that are fuzzy or untranslated (the translator's turn)."""
    unreviewed: int
    """Entries translated and confirmed but not signed off, or changed since (the reviewer's turn)."""


class ProductTexts:
    """Editions and review counts of every (document, locale) a plan prints, each catalog read once."""

    def __init__(self, config: Config) -> None:
        self.config = config
        """The project."""
        self._catalogs: dict[Path, polib.POFile | None] = {}
        self._texts: dict[tuple[str, str], ProductText] = {}

    def _catalog(self, path: Path) -> polib.POFile | None:
        if path not in self._catalogs:
            from pipeline.catalogs.pofile import read_catalog
            from pipeline.errors import CatalogError

            try:
                self._catalogs[path] = read_catalog(path) if path.is_file() else None
            except CatalogError:
                self._catalogs[path] = None  # unreadable: the check gate holds its products back
        return self._catalogs[path]

    def of(self, locale: str, document: Path) -> ProductText:
        """The edition and review state of ``document`` in ``locale`` (the source language, or a translation)."""
        key = (locale, str(document))
        if key not in self._texts:
            self._texts[key] = self._compute(locale, document)
        return self._texts[key]

    def _compute(self, locale: str, document: Path) -> ProductText:
        from pipeline.catalogs.review import counts_of, product_catalogs, product_entries

        config = self.config
        try:
            data = document.read_bytes()
        except OSError:
            data = b""
        version, day = front_matter_edition(data.decode("utf-8", errors="replace"))
        source = source_id(data)
        if locale == config.source_language:
            edition = Edition(version, day, edition_id(data, []), source, REVIEWED_SOURCE)
            return ProductText(edition, 0, 0)
        catalogs = [self._catalog(path) for path in product_catalogs(config, locale, document.stem)]
        present = [product_entries(catalog) for catalog in catalogs if catalog is not None]
        waiting = unreviewed = 0
        for catalog in present:
            counts = counts_of(catalog)
            waiting += counts.waiting
            unreviewed += counts.needs_review
        reviewed = ""
        if present and not unreviewed and not waiting:
            reviewed = REVIEWED_ENTRIES
        elif any(item.code == locale and item.reviewed for item in config.locales):
            reviewed = REVIEWED_LOCALE
        edition = Edition(version, day, edition_id(data, present), source, reviewed, 0 if reviewed else unreviewed)
        return ProductText(edition, waiting, unreviewed)

    def source_entries(self, document: Path) -> list[str]:
        """The source entries (msgids, document order) of ``document`` as it is now, for its snapshot."""
        from pipeline.document import load_document

        seen: dict[str, None] = {}
        for block in load_document(document, self.config.front_matter_fields).blocks:
            seen.setdefault(block.text, None)
        return list(seen)


# --- the builder's decisions --------------------------------------------------------------------------------------

PREVIOUS = "previous"
"""Status of a job record (and a build outcome) whose last ready edition is kept while the next is not ready."""


def plan_edition(texts: ProductTexts, job: Job, planned: PlannedJob) -> None:
    """Put in the plan the edition a job would print now and how far it is reviewed (``settings["edition"]``,
    ``settings["review"]``); the job counts as reviewed when its edition does (every entry signed off, or the
    locale's ``reviewed = true``). ``job`` is the renderer's job, ``planned`` the manifest's."""
    if job.locale.pseudo or not job.document.is_file():
        return
    text = texts.of(job.locale.code, job.document)
    job.reviewed = planned.reviewed = bool(text.edition.reviewed)
    job.edition = text.edition.id
    planned.settings["reviewed"] = job.reviewed
    planned.settings["edition"] = text.edition.to_json()
    planned.settings["review"] = {"waiting": text.waiting, "unreviewed": text.unreviewed}


def _count(number: int) -> str:
    return f"{number} entr{'y' if number == 1 else 'ies'}"


def keep_reason(job: PlannedJob, record: JobRecord | None) -> str | None:
    """Why the last ready edition (``record``, a :class:`~pipeline.builder.manifest.JobRecord`) stays printable
    instead of what the plan (``job``, a :class:`~pipeline.builder.manifest.PlannedJob`) would make now, or None.

    It stays while the translation is behind its source (fuzzy or untranslated entries), and while a new edition
    that is not reviewed would replace a reviewed one. A translation failing ``check``, a draft asked for, or a
    product that was never ready keep nothing."""
    if record is None or job.held or job.draft or record.draft or record.status not in ("built", PREVIOUS):
        return None
    review = job.settings.get("review") or {}
    if not job.buildable:
        waiting = int(review.get("waiting", 0))
        return f"update waiting for translation ({_count(waiting)})" if waiting else None
    new = job.settings.get("edition") or {}
    if new.get("id") and new.get("id") == record.edition.get("id"):
        return None
    if record.edition.get("reviewed") and not new.get("reviewed"):
        return f"update waiting for review ({_count(int(review.get('unreviewed', 0)))})"
    return None


def behind_text(reason: str, record: JobRecord, document: Path, texts: ProductTexts, output_dir: Path, day: str) -> str:
    """``update waiting for translation (1 entry); 1 entry changed on 2026-12-07: a spelling fix in ...``: the
    reason and what changed in the source since the kept edition (from its snapshot, when one was kept)."""
    edition = record.edition or {}
    old = read_snapshot(output_dir, document.stem, edition["source"]) if edition.get("source") else None
    if old is None:
        return f"{reason}; what changed in the source since is not known (built before editions were kept)"
    try:
        new = texts.source_entries(document)
    except PipelineError:  # an unreadable source is reported by the build itself
        return reason
    current_date = front_matter_edition(document.read_text(encoding="utf-8", errors="replace"))[1]
    since = current_date if current_date and current_date != edition.get("date") else day
    return f"{reason}; {describe_changes(source_changes(old, new), since)}"


def keep_snapshot(texts: ProductTexts, planned: PlannedJob, document: Path, output_dir: Path) -> None:
    """Keep the source entries of the edition a ready job is (once per source), to say later what changed since."""
    edition = planned.settings.get("edition") or {}
    source = edition.get("source")
    if source and not snapshot_path(output_dir, planned.document, source).exists():
        write_snapshot(output_dir, planned.document, source, texts.source_entries(document))


def archive_record(output_dir: Path, planned: PlannedJob, record: JobRecord | None, stem: str, day: str) -> None:
    """Copy a ready record's files into ``editions/`` before another edition replaces them (or a failing check
    takes them from print); a record without an edition (an older build's) is kept under ``unknown``."""
    if record is None or record.draft or record.status not in ("built", PREVIOUS) or not record.outputs:
        return
    edition = Edition.from_json(record.edition) if record.edition else Edition("", "", "unknown", "")
    new = (planned.settings.get("edition") or {}).get("id")
    if new and new == edition.id:
        return
    files = {name: item.path for name, item in record.outputs.items()}
    archive_edition(output_dir, planned.locale, stem, edition, files, day)


def archived_for(output_dir: Path, locale: str, stem: str) -> list[ArchivedEdition]:
    """The older editions of one product kept in ``<locale>/editions/``, newest first."""
    return [item for item in read_archive(output_dir / locale / EDITIONS_DIR) if item.product == stem]


@dataclass(slots=True)
class DeskCounts:
    """What ``make`` sums up in its last line."""

    held: int = 0
    """Products held back by ``check`` errors."""
    behind: int = 0
    """Products whose previous edition is printed while the translation catches up with the source."""
    review: int = 0
    """Products waiting for a reviewer: a previous edition kept for review, or ready but not reviewed."""

    def line(self) -> str:
        """``0 products held back (check errors), 4 behind their source, 12 waiting for review``."""
        return (
            f"{self.held} product{'s' if self.held != 1 else ''} held back (check errors),"
            f" {self.behind} behind their source (previous edition printable), {self.review} waiting for review"
        )


def desk_counts(jobs: Iterable[PlannedJob], records: Mapping[str, JobRecord]) -> DeskCounts:
    """Count the planned jobs (:class:`~pipeline.builder.manifest.PlannedJob`) by what their records say."""
    counts = DeskCounts()
    for job in jobs:
        record = records.get(job.id)
        if record is None or job.settings.get("edition") is None:
            continue
        if record.status == "held":
            counts.held += 1
        elif record.status == PREVIOUS:
            if (record.behind or "").startswith("update waiting for review"):
                counts.review += 1
            else:
                counts.behind += 1
        elif record.status == "built" and not record.draft and not job.reviewed:
            counts.review += 1
    return counts


def desk_edition(
    edition: Mapping[str, Any], unreviewed: int, output_dir: Path, locale: str, stem: str
) -> dict[str, Any]:
    """What the print desk shows of a product's edition: its label, how it counts as reviewed, the entries left to
    review, and its older editions kept in ``editions/`` (label and files, relative to the output folder)."""
    current = Edition.from_json(edition) if edition.get("id") else None
    archived = [
        {"label": item.edition.label, "superseded": item.superseded, "files": sorted(item.files.items())}
        for item in archived_for(output_dir, locale, stem)
    ]
    return {
        "edition": current.label if current else None,
        "review_basis": current.reviewed if current else "",
        "unreviewed": unreviewed,
        "archived": archived,
    }

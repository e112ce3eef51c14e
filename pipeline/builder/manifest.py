"""The build manifest ``output/.plainleaf-build.json``: what each output was built from, and its hash.

An output is up to date when the digest of everything it depends on equals the recorded one *and* each of its files
is on disk with the recorded SHA-256, so a file deleted, truncated or edited by hand is built again whatever the
manifest says. The manifest is written atomically after the files it describes, merged under a lock with what other
builds sharing the output folder (shards) wrote meanwhile.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import time
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pipeline.atomic import write_text

log = logging.getLogger(__name__)

MANIFEST_NAME = ".plainleaf-build.json"
"""File name of the manifest in the output folder."""
LOCK_NAME = ".plainleaf-build.lock"
"""Lock file serialising manifest updates of builds that share an output folder."""
SCHEMA = 1
"""Manifest format version; a manifest of another version is ignored (everything is built again)."""
RACY_SECONDS = 2.0
"""A file modified this recently may change again within the file system's timestamp granularity: its hash is not
remembered by stat signature (the racy-git problem)."""
ABSENT = "absent"
"""Digest of a file that does not exist, so that creating it changes every digest it is part of."""


def sha256_bytes(data: bytes) -> str:
    """Hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file's content, or :data:`ABSENT`."""
    try:
        with path.open("rb") as stream:
            return hashlib.file_digest(stream, "sha256").hexdigest()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return ABSENT


class FileHasher:
    """SHA-256 of input files, remembered by stat signature so that an unchanged file is not read again."""

    def __init__(self, known: dict[str, list[Any]] | None = None) -> None:
        self.known = known or {}
        """Remembered ``path -> [size, mtime_ns, ctime_ns, inode, sha256]`` from the last build."""
        self.seen: dict[str, list[Any]] = {}
        """What this build hashed, to be remembered by the next one."""
        self._digests: dict[str, str] = {}

    def digest(self, path: Path) -> str:
        """The file's SHA-256 (:data:`ABSENT` when missing), hashed at most once per build."""
        key = str(path)
        if key in self._digests:
            return self._digests[key]
        try:
            status = path.stat()
        except (FileNotFoundError, NotADirectoryError):
            self._digests[key] = ABSENT
            return ABSENT
        signature = [status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino]
        cached = self.known.get(key)
        digest = str(cached[4]) if cached is not None and cached[:4] == signature else sha256_file(path)
        if time.time() - status.st_mtime > RACY_SECONDS:
            self.seen[key] = [*signature, digest]
        self._digests[key] = digest
        return digest


@dataclass(slots=True)
class OutputFile:
    """One file a job wrote."""

    path: str
    """Relative to the output folder, with ``/``."""
    sha256: str
    """Hex SHA-256 of its content."""


@dataclass(slots=True)
class JobRecord:
    """What the last build of one job made, and from what."""

    status: str
    """``built``, ``skipped`` (incomplete translation: nothing to print), ``held`` (translation check errors:
    nothing to print), ``previous`` (its last ready edition kept while the next is not ready: see
    :mod:`pipeline.builder.editions`) or ``failed``."""
    digest: str
    """Digest of every input when it was decided; a failed job is never up to date whatever its digest."""
    reason: str | None = None
    """Why it was skipped, held back or failed."""
    draft: bool = False
    """Built as a marked draft."""
    missing: str | None = None
    """What keeps the translation from being final."""
    outputs: dict[str, OutputFile] = field(default_factory=dict)
    """Files written, by file key (``pdf``, ``html``, ``brf``: :attr:`pipeline.formats.FormatFile.key`)."""
    pages: int = 0
    """Page count."""
    paper: str = ""
    """Sheet size name (``US-Letter``, ``A4``)."""
    date_text: str = ""
    """The document's date in the locale's format, for the index."""
    title: str = ""
    """Title in the product's language."""
    font_size_pt: float = 0.0
    """Body type size chosen."""
    seconds: float = 0.0
    """Time the job took; the next build starts the longest jobs first."""
    layout_key: str = ""
    """Digest of what a layout depends on besides its HTML (fonts, WeasyPrint, code), for ``layout_pages``."""
    layout_pages: dict[str, int] = field(default_factory=dict)
    """Page count of each HTML laid out while choosing the type size, by SHA-256 of the HTML."""
    content: str = ""
    """Digest of what its content was made from, without the plan's decisions (see
    :func:`pipeline.builder.jobs.content_digest`): whether the index may still call it current."""
    edition: dict[str, Any] = field(default_factory=dict)
    """The edition its files are (:class:`pipeline.builder.editions.Edition` as JSON); empty when none."""
    behind: str | None = None
    """Of a ``previous`` record: why the next edition is not ready, and what changed in the source since."""
    since: str = ""
    """Of a ``previous`` record: the day the build first kept it (``YYYY-MM-DD``)."""

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> JobRecord:
        """Read a record written by :meth:`to_json`."""
        outputs = {name: OutputFile(**value) for name, value in data.pop("outputs", {}).items()}
        return cls(**data, outputs=outputs)

    def to_json(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return asdict(self)


@dataclass(slots=True)
class PlannedJob:
    """One job of the plan as the manifest keeps it: enough to check it without planning again."""

    id: str
    """``<locale>/<document>/<product>``."""
    locale: str
    """Locale code."""
    document: str
    """Document (gettext domain)."""
    product: str
    """Product name."""
    buildable: bool
    """Complete, or wanted as a draft."""
    missing: str | None
    """Why the translation is not final, or None."""
    draft: bool
    """Planned as a draft."""
    reviewed: bool
    """Signed off by a qualified medical translator."""
    inputs: list[tuple[str, str]]
    """``(role, path)`` of every file the job reads."""
    settings: dict[str, Any]
    """Configuration and product rules the output depends on."""
    grade_inputs: list[str] = field(default_factory=list)
    """Files the reading grade of the job's text depends on (document and catalog)."""
    held: str | None = None
    """The first translation check error of its catalogs, which keeps it from print (or makes it a draft)."""

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PlannedJob:
        """Read a planned job written by :meth:`to_json`."""
        data = dict(data)
        data["inputs"] = [(role, path) for role, path in data["inputs"]]
        return cls(**data)

    def to_json(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return asdict(self)


@dataclass(slots=True)
class PlanRecord:
    """The plan of the last build and what it was made from."""

    key: str
    """Digest of everything planning reads (configuration, options, documents, catalogs, code)."""
    code: dict[str, list[str]]
    """Source files of the pipeline per concern (``render``, ``readability``), whose content the digests cover."""
    jobs: list[PlannedJob]
    """Every job, in index order."""

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PlanRecord:
        """Read a plan written by :meth:`to_json`."""
        return cls(data["key"], data["code"], [PlannedJob.from_json(job) for job in data["jobs"]])

    def to_json(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {"key": self.key, "code": self.code, "jobs": [job.to_json() for job in self.jobs]}


@dataclass(slots=True)
class Manifest:
    """Everything a build remembers for the next one."""

    plan: PlanRecord | None = None
    """The last plan."""
    jobs: dict[str, JobRecord] = field(default_factory=dict)
    """Per job id, what was built from what."""
    files: dict[str, list[Any]] = field(default_factory=dict)
    """Stat signature and SHA-256 of input files (see :class:`FileHasher`)."""
    grades: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Per ``<locale>/<document>``: ``{"digest": ..., "grade": "SMOG 7.9" | None}``."""
    index: dict[str, str] = field(default_factory=dict)
    """``{"digest": ..., "sha256": ...}`` of ``index.html``."""
    checks: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Translation check of each catalog, by digest of its content and what checking it depends on
    (:mod:`pipeline.builder.gates`): ``{"errors": 2, "first": "locales/es/...po:57: error: ..." | None}``."""
    thumbnails: dict[str, dict[str, str]] = field(default_factory=dict)
    """Per thumbnail (``es/thumbnails/summary.png``), the PDF it shows and its own hash (see
    :mod:`pipeline.builder.thumbnails`): ``{"pdf": sha256, "sha256": sha256}`` or ``{"pdf": sha256, "error": why}``."""

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Manifest:
        """Read a manifest; KeyError, TypeError or ValueError when it is not one of this schema."""
        if data.get("schema") != SCHEMA:
            raise ValueError(f"schema {data.get('schema')!r}, not {SCHEMA}")
        plan = PlanRecord.from_json(data["plan"]) if data.get("plan") else None
        jobs = {key: JobRecord.from_json(dict(value)) for key, value in data.get("jobs", {}).items()}
        return cls(
            plan, jobs, dict(data.get("files", {})), dict(data.get("grades", {})), dict(data.get("index", {})),
            dict(data.get("checks", {})), dict(data.get("thumbnails", {})),
        )  # fmt: skip

    def to_json(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "schema": SCHEMA,
            "plan": self.plan.to_json() if self.plan else None,
            "jobs": {key: record.to_json() for key, record in sorted(self.jobs.items())},
            "files": dict(sorted(self.files.items())),
            "grades": dict(sorted(self.grades.items())),
            "index": self.index,
            "checks": dict(sorted(self.checks.items())),
            "thumbnails": dict(sorted(self.thumbnails.items())),
        }


def load_manifest(output_dir: Path) -> Manifest:
    """The manifest of ``output_dir``; an empty one when there is none or it cannot be read (all is built again)."""
    path = output_dir / MANIFEST_NAME
    try:
        return Manifest.from_json(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return Manifest()
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("%s: not a build manifest of this version (%s); building everything", path, exc)
        return Manifest()


@contextlib.contextmanager
def manifest_lock(output_dir: Path) -> Iterator[None]:
    """Hold the output folder's manifest lock (an advisory ``flock``; a no-op where there is none)."""
    output_dir.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    with open(output_dir / LOCK_NAME, "a+b") as stream:
        fcntl.flock(stream.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(stream.fileno(), fcntl.LOCK_UN)


def save_manifest(output_dir: Path, update: Manifest, job_ids: set[str], keep: set[str] | None = None) -> None:
    """Merge ``update`` into the manifest on disk and write it atomically.

    Records of ``job_ids`` come from ``update``; other jobs keep what is on disk (another shard may have written
    them). With ``keep``, records of jobs outside it (no longer planned) and check results of catalogs this plan
    did not read (old versions) are dropped.
    """
    with manifest_lock(output_dir):
        current = load_manifest(output_dir)
        if update.plan is not None:
            current.plan = update.plan
        for job_id in job_ids:
            if job_id in update.jobs:
                current.jobs[job_id] = update.jobs[job_id]
            else:
                current.jobs.pop(job_id, None)
        if keep is not None:
            current.jobs = {key: value for key, value in current.jobs.items() if key in keep}
        current.files.update(update.files)
        current.files = {path: value for path, value in current.files.items() if os.path.exists(path)}
        current.grades.update(update.grades)
        current.checks.update(update.checks)
        if keep is not None and update.checks:
            current.checks = {key: value for key, value in current.checks.items() if key in update.checks}
        current.thumbnails.update(update.thumbnails)
        if keep is not None and update.index:  # a full build's index names every thumbnail still shown
            current.thumbnails = {key: value for key, value in current.thumbnails.items() if key in update.thumbnails}
        if update.index:
            current.index = update.index
        text = json.dumps(current.to_json(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        write_text(output_dir / MANIFEST_NAME, text + "\n")


AUDITS_NAME = ".plainleaf-audit.json"
"""What the last ``plainleaf audit`` found, per file: written by the audit command, read by the index."""


def save_audits(output_dir: Path, audits: Mapping[str, Mapping[str, Any]]) -> None:
    """Record the audit's verdict of each file (path relative to the output folder: its ``sha256`` when audited and
    its first ``error``, or None), over what earlier audits recorded of other files."""
    current = load_audits(output_dir)
    current.update({path: dict(value) for path, value in audits.items()})
    current = {path: value for path, value in current.items() if (output_dir / path).exists()}
    text = json.dumps({"schema": 1, "files": current}, ensure_ascii=False, sort_keys=True, indent=0)
    write_text(output_dir / AUDITS_NAME, text + "\n")


def load_audits(output_dir: Path) -> dict[str, dict[str, Any]]:
    """The audit verdicts :func:`save_audits` recorded, by file; empty when none can be read (an unaudited file
    shows no failure: the audit report says what was not audited)."""
    try:
        data = json.loads((output_dir / AUDITS_NAME).read_text(encoding="utf-8"))
        files = data["files"]
        return {str(path): dict(value) for path, value in files.items()} if isinstance(files, dict) else {}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def verify_outputs(output_dir: Path, record: JobRecord) -> bool:
    """Whether every file of ``record`` is on disk with its recorded hash."""
    return all(sha256_file(output_dir / item.path) == item.sha256 for item in record.outputs.values())


def remove_temporaries(folder: Path) -> list[Path]:
    """Delete what :mod:`pipeline.atomic` leaves when a build is killed mid-write (``.NAME.PID.HEX.tmp``), unless
    the process that writes it is still running on this machine; returns what was removed."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return removed
    for entry in entries:
        parts = entry.name.split(".")
        if not (entry.name.startswith(".") and entry.name.endswith(".tmp") and len(parts) >= 5):
            continue
        try:
            pid = int(parts[-3])
        except ValueError:
            continue
        if pid != os.getpid() and _running(pid):
            continue
        Path(entry.path).unlink(missing_ok=True)
        removed.append(Path(entry.path))
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True

"""Entry-level review: sign-offs kept in the PO file itself, and which entries need a reviewer's eyes and why.

A sign-off is one translator comment (``# ``), the comment kind that msgmerge, msgcat, Poedit, Weblate
(translate-toolkit), Babel and our own :func:`pipeline.catalogs.merge.merge_catalog` carry with the translation::

    # reviewed: 2026-12-07 Ana López source:1a2b3c4d translation:5e6f7a8b

It says who signed the entry off and when, and holds a short SHA-256 digest of the source (msgctxt, msgid and
msgid_plural) and of the translation (every msgstr form) that were signed off. An entry is reviewed while both
digests still match; a change of either makes it need review again, and says which one changed. Extracted comments
(``#.``) would not do: msgmerge replaces them with the template's. Babel wraps comments at 76 columns, so a long
name may push the digests onto a second ``# `` line; :func:`sign_off_of` reads the two lines as one.

Writing a sign-off edits the file's text (:func:`signed_text`): one comment line is added or replaced before the
entry's other comments, every other byte stays as it was, so a file laid out by Poedit or msgcat stays so.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
import subprocess
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import polib

from pipeline.config import Config
from pipeline.errors import CatalogError

MARKER = "reviewed:"
"""How a sign-off comment starts."""
DIGEST_LENGTH = 8
"""Hex digits of each digest: 32 bits, enough to notice an edit of one entry, short enough for one comment line."""

_SIGN_OFF = re.compile(
    r"reviewed: (?P<date>\d{4}-\d{2}-\d{2}) (?P<reviewer>\S.*?) "
    rf"source:(?P<source>[0-9a-f]{{{DIGEST_LENGTH}}}) translation:(?P<translation>[0-9a-f]{{{DIGEST_LENGTH}}})"
)
_NAME_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]|source:|translation:")

NEVER_REVIEWED = "never reviewed"
SOURCE_CHANGED = "source changed since sign-off"
TRANSLATION_CHANGED = "translation changed since sign-off"
BOTH_CHANGED = "source and translation changed since sign-off"
REASONS = (NEVER_REVIEWED, SOURCE_CHANGED, TRANSLATION_CHANGED, BOTH_CHANGED)
"""Why an entry needs review, as the command line, the JSON and the sheet say it."""

REVIEWED, NEEDS_REVIEW, WAITING = "reviewed", "needs review", "waiting for translation"
"""The review state of an active entry: signed off and unchanged; translated and confirmed but not (or no longer)
signed off; fuzzy or untranslated (nothing to review until the translator is done)."""


def source_digest(entry: polib.POEntry) -> str:
    """Short digest of what the entry translates: msgctxt (None and "" differ, as in gettext), msgid, msgid_plural."""
    return _digest([entry.msgctxt, entry.msgid, entry.msgid_plural or None])


def translation_digest(entry: polib.POEntry) -> str:
    """Short digest of the entry's translation: its msgstr, or every plural form in order."""
    forms = [entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural)] if entry.msgstr_plural else None
    return _digest([entry.msgstr, forms])


def _digest(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:DIGEST_LENGTH]


@dataclass(slots=True, frozen=True)
class SignOff:
    """One reviewer's sign-off of one entry, as its translator comment holds it."""

    date: str
    """Day of the sign-off, ``YYYY-MM-DD``."""
    reviewer: str
    """Who signed it off, as they gave their name."""
    source: str
    """Digest of the source signed off (:func:`source_digest`)."""
    translation: str
    """Digest of the translation signed off (:func:`translation_digest`)."""

    @property
    def comment(self) -> str:
        """The translator comment's text (without ``# ``)."""
        return f"{MARKER} {self.date} {self.reviewer} source:{self.source} translation:{self.translation}"

    @classmethod
    def of(cls, entry: polib.POEntry, reviewer: str, day: str) -> SignOff:
        """A sign-off of ``entry`` as it is now."""
        return cls(day, reviewer, source_digest(entry), translation_digest(entry))


def check_reviewer(name: str) -> str:
    """The reviewer's name, trimmed; CatalogError when it could not be kept on one comment line and read back."""
    trimmed = " ".join(name.split())
    if not trimmed:
        raise CatalogError("the reviewer's name is empty; give it as --sign-off 'NAME'")
    if _NAME_FORBIDDEN.search(name):
        raise CatalogError(f"the reviewer's name {name!r} has a control character or 'source:'/'translation:' in it")
    return trimmed


def sign_off_day(text: str | None = None) -> str:
    """``YYYY-MM-DD`` of a sign-off: ``text`` when given (checked), else today (``SOURCE_DATE_EPOCH`` when set)."""
    import os

    if text is not None:
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError as exc:
            raise CatalogError(f"sign-off date {text!r} is not a date of the form YYYY-MM-DD") from exc
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch and epoch.isdigit() else datetime.now(UTC)
    return moment.date().isoformat()


def _comment_lines(entry: polib.POEntry) -> list[str]:
    return entry.tcomment.split("\n") if entry.tcomment else []


def _sign_off_spans(lines: Sequence[str]) -> list[tuple[int, int, SignOff]]:
    """``(first, end, sign-off)`` of every sign-off in translator comment lines; one wrapped over two lines too."""
    spans = []
    index = 0
    while index < len(lines):
        line = lines[index].strip()
        if line.startswith(MARKER):
            for width in (1, 2):
                text = " ".join(part.strip() for part in lines[index : index + width])
                match = _SIGN_OFF.fullmatch(text)
                if match is not None:
                    found = SignOff(match["date"], " ".join(match["reviewer"].split()), match["source"],
                                    match["translation"])  # fmt: skip
                    spans.append((index, index + width, found))
                    index += width - 1
                    break
        index += 1
    return spans


def sign_off_of(entry: polib.POEntry) -> SignOff | None:
    """The entry's sign-off (the last one when a tool kept two), or None."""
    spans = _sign_off_spans(_comment_lines(entry))
    return spans[-1][2] if spans else None


def other_comments(entry: polib.POEntry) -> str:
    """The entry's translator comments without its sign-offs."""
    lines = _comment_lines(entry)
    dropped = {index for first, end, _ in _sign_off_spans(lines) for index in range(first, end)}
    return "\n".join(line for index, line in enumerate(lines) if index not in dropped)


def translation_text(entry: polib.POEntry) -> str:
    """The translation as one text: the msgstr, or the plural forms one per line."""
    if entry.msgstr_plural:
        return "\n".join(entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural))
    return entry.msgstr


def source_text(msgid: str, msgid_plural: str | None) -> str:
    """The source as one text: the msgid, and the plural msgid on its own line."""
    return msgid + (f"\n{msgid_plural}" if msgid_plural else "")


def is_translated(entry: polib.POEntry) -> bool:
    """Whether every form of the entry has a translation (a plural entry with one empty form is not translated)."""
    if entry.msgstr_plural:
        return all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


@dataclass(slots=True)
class EntryReview:
    """One active entry of a catalog as a reviewer sees it."""

    path: str
    """The PO file, as a person reads it (``locales/es/LC_MESSAGES/guide.po``)."""
    line: int
    """Line where the entry starts in the PO file."""
    msgctxt: str | None
    """Its context, if any."""
    msgid: str
    """Its source text (and the plural on its own line)."""
    translation: str
    """Its translation (plural forms one per line); empty when untranslated."""
    state: str
    """:data:`REVIEWED`, :data:`NEEDS_REVIEW` or :data:`WAITING`."""
    why: str | None = None
    """One of :data:`REASONS` when it needs review; ``fuzzy`` or ``untranslated`` when waiting."""
    sign_off: SignOff | None = None
    """Its sign-off, current or outdated."""
    previous_source: str | None = None
    """The source its translation (or sign-off) was made for, when known: ``#|`` or the reviewed version."""
    previous_translation: str | None = None
    """The translation that was signed off, when it could be recovered (see :func:`recover_reviewed`)."""
    findings: list[str] = field(default_factory=list)
    """What ``plainleaf check`` says of it (``error: [numbers] number 40 missing from the translation``)."""
    check_errors: int = 0
    """How many of :attr:`findings` are errors: an entry with one cannot be signed off."""

    def to_json(self) -> dict[str, object]:
        """Plain data for ``--json``."""
        return {
            "file": self.path, "line": self.line, "msgctxt": self.msgctxt, "msgid": self.msgid,
            "translation": self.translation, "state": self.state, "why": self.why,
            "signed_off": (
                {"date": self.sign_off.date, "reviewer": self.sign_off.reviewer} if self.sign_off else None
            ),
            "previous_source": self.previous_source, "previous_translation": self.previous_translation,
            "source_diff": diff_words(self.previous_source, self.msgid) if self.previous_source else None,
            "translation_diff": (
                diff_words(self.previous_translation, self.translation) if self.previous_translation else None
            ),
            "findings": self.findings,
        }  # fmt: skip


def entry_review(entry: polib.POEntry, path: str) -> EntryReview:
    """The review state of one active entry, from the entry alone (no check findings, nothing recovered)."""
    sign_off = sign_off_of(entry)
    review = EntryReview(
        path, entry.linenum or 1, entry.msgctxt, source_text(entry.msgid, entry.msgid_plural or None),
        translation_text(entry), NEEDS_REVIEW, sign_off=sign_off,
    )  # fmt: skip
    if entry.previous_msgid is not None:
        review.previous_source = source_text(entry.previous_msgid, entry.previous_msgid_plural)
    if entry.fuzzy or not is_translated(entry):
        review.state, review.why = WAITING, "fuzzy" if entry.fuzzy else "untranslated"
        return review
    if sign_off is None:
        review.why = NEVER_REVIEWED
        return review
    source_same = sign_off.source == source_digest(entry)
    translation_same = sign_off.translation == translation_digest(entry)
    if source_same and translation_same:
        review.state = REVIEWED
    elif source_same:
        review.why = TRANSLATION_CHANGED
    else:
        review.why = SOURCE_CHANGED if translation_same else BOTH_CHANGED
    return review


def catalog_review(catalog: polib.POFile, path: str) -> list[EntryReview]:
    """Every active entry of ``catalog`` (not the header), in file order (the document's order)."""
    return [entry_review(entry, path) for entry in catalog if not entry.obsolete and entry.msgid]


@dataclass(slots=True, frozen=True)
class ReviewCounts:
    """How far review of some catalogs has come, in entries."""

    reviewed: int = 0
    """Signed off and unchanged since."""
    needs_review: int = 0
    """Translated and confirmed, but never signed off or changed since."""
    waiting: int = 0
    """Fuzzy or untranslated: the translator is not done."""

    @property
    def total(self) -> int:
        """Active entries."""
        return self.reviewed + self.needs_review + self.waiting

    def __add__(self, other: ReviewCounts) -> ReviewCounts:
        return ReviewCounts(
            self.reviewed + other.reviewed, self.needs_review + other.needs_review, self.waiting + other.waiting
        )


def review_counts(reviews: Iterable[EntryReview]) -> ReviewCounts:
    """Count entries by review state."""
    states = [review.state for review in reviews]
    return ReviewCounts(states.count(REVIEWED), states.count(NEEDS_REVIEW), states.count(WAITING))


DESK_TEMPLATES = frozenset({"layouts/index.html.j2", "layouts/site-index.html.j2"})
"""Templates of the print desk and the web edition's language chooser: their words are in the layouts' catalog but
on no product, so they count for no product's review or edition."""


def printed(entry: polib.POEntry) -> bool:
    """Whether an entry's words can reach a product: not those of the desk's templates alone."""
    files = {name for name, _ in entry.occurrences}
    return not files or not files <= DESK_TEMPLATES


def product_entries(catalog: polib.POFile) -> polib.POFile:
    """``catalog`` with only the entries a product can print (see :func:`printed`)."""
    kept = polib.POFile(fpath=catalog.fpath)
    kept.extend(entry for entry in catalog if printed(entry))
    return kept


def counts_of(catalog: polib.POFile) -> ReviewCounts:
    """Review counts of the entries of one catalog a product can print (what the builder needs)."""
    return review_counts(catalog_review(product_entries(catalog), catalog.fpath or ""))


# --------------------------------------------------------------------------------------
# Writing sign-offs.
# --------------------------------------------------------------------------------------


def _comment_line(text: str) -> str:
    """A translator comment line as gettext writes it."""
    return f"# {text}" if text else "#"


def signed_text(text: str, catalog: polib.POFile, sign_offs: Mapping[int, SignOff], path: str) -> str:
    """``text`` (the PO file ``catalog`` was parsed from) with each entry starting at a line of ``sign_offs`` signed
    off: its sign-off comment replaced, or added after its other translator comments. No other byte changes."""
    lines = text.split("\n")
    entries = {entry.linenum: entry for entry in catalog if entry.linenum is not None}
    # Edit from the end, so that earlier line numbers stay right.
    for start in sorted(sign_offs, reverse=True):
        entry = entries.get(start)
        if entry is None:
            raise CatalogError("no entry starts here", path, start)
        first = start - 1
        end = first
        while end < len(lines) and (lines[end] == "#" or lines[end].startswith("# ")):
            end += 1
        comments = [line[1:].strip() for line in lines[first:end]]  # as polib reads them
        if comments != [line.strip() for line in _comment_lines(entry)]:
            raise CatalogError("cannot find this entry's translator comments in the file", path, start)
        spans = _sign_off_spans(comments)
        new = _comment_line(sign_offs[start].comment)
        if spans:
            # Keep the place of the first sign-off; drop every other (a tool may have kept an old one).
            for span_first, span_end, _ in reversed(spans[1:]):
                del lines[first + span_first : first + span_end]
            span_first, span_end, _ = spans[0]
            lines[first + span_first : first + span_end] = [new]
        else:
            lines.insert(first + len(comments), new)
    return "\n".join(lines)


def find_entries(catalogs: Mapping[str, polib.POFile], wanted: str) -> list[tuple[str, polib.POEntry]]:
    """The active entries ``wanted`` names: a msgid exactly, else a line (``57``, ``guide.po:57`` or the file's
    path with ``:57``), the entry whose text covers that line; ``(path, entry)`` in catalog order."""
    found = [
        (path, entry)
        for path, catalog in catalogs.items()
        for entry in catalog
        if not entry.obsolete and entry.msgid and entry.msgid == wanted
    ]
    if found:
        return found
    where, _, number = wanted.rpartition(":")
    if not number.isdigit():
        return []
    line = int(number)
    result = []
    for path, catalog in catalogs.items():
        if where and not (path == where or Path(path).name == where or Path(path).stem == where):
            continue
        starts = [entry for entry in catalog if not entry.obsolete and entry.msgid and entry.linenum]
        for entry, following in zip(starts, [*starts[1:], None], strict=True):
            assert entry.linenum is not None
            if entry.linenum <= line and (following is None or line < (following.linenum or 0)):
                result.append((path, entry))
    if not where and len(result) > 1:
        names = ", ".join(f"{Path(path).name}:{line}" for path, _ in result)
        raise CatalogError(f"line {line} is in {len(result)} catalogs; name one: {names}")
    return result


# --------------------------------------------------------------------------------------
# Showing what changed.
# --------------------------------------------------------------------------------------

_WORDS = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


def diff_words(old: str, new: str) -> list[tuple[str, str]]:
    """Word-level difference of two texts as ``(op, text)`` runs: ``=`` kept, ``-`` removed, ``+`` added.

    Words are runs of letters and digits; CJK text, with no spaces, is compared character by character."""
    old_words, new_words = _tokens(old), _tokens(new)
    runs: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            runs.append(("=", "".join(old_words[a1:a2])))
            continue
        if a2 > a1:
            runs.append(("-", "".join(old_words[a1:a2])))
        if b2 > b1:
            runs.append(("+", "".join(new_words[b1:b2])))
    return runs


def _tokens(text: str) -> list[str]:
    tokens: list[str] = []
    for token in _WORDS.findall(text):
        if any("\u3000" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" for char in token):
            tokens.extend(token)
        else:
            tokens.append(token)
    return tokens


def diff_text(runs: Sequence[tuple[str, str]]) -> str:
    """A difference for a terminal: removed text in ``[-…-]``, added in ``{+…+}`` (as ``git diff --word-diff``)."""
    return "".join(text if op == "=" else (f"[-{text}-]" if op == "-" else f"{{+{text}+}}") for op, text in runs)


# --------------------------------------------------------------------------------------
# Recovering what was signed off.
# --------------------------------------------------------------------------------------

HISTORY_DEPTH = 50
"""Committed versions of a catalog searched for the text a sign-off covered."""

Versions = Callable[[], Iterable[str]]
"""Earlier texts of a catalog, newest first."""


def recover_reviewed(reviews: Sequence[EntryReview], versions: Versions) -> int:
    """Fill in the source and translation that each changed entry's sign-off covered, from earlier versions of its
    catalog (newest first); returns how many were found. A version holds them when it has an entry with the same
    sign-off whose digests still match it: the text as it was signed off."""
    from pipeline.catalogs.pofile import parse_catalog

    pending = {
        review.sign_off.comment: review
        for review in reviews
        if review.sign_off is not None and review.why in (SOURCE_CHANGED, TRANSLATION_CHANGED, BOTH_CHANGED)
    }
    found = 0
    if not pending:
        return found
    for text in versions():
        if not any(comment in text for comment in pending):
            continue
        try:
            catalog = parse_catalog(text)
        except CatalogError:
            continue
        for entry in catalog:
            sign_off = sign_off_of(entry)
            review = pending.get(sign_off.comment) if sign_off is not None else None
            if review is None or sign_off is None or entry.obsolete:
                continue
            if sign_off.source != source_digest(entry) or sign_off.translation != translation_digest(entry):
                continue
            if review.why != TRANSLATION_CHANGED:
                review.previous_source = source_text(entry.msgid, entry.msgid_plural or None)
            if review.why != SOURCE_CHANGED:
                review.previous_translation = translation_text(entry)
            del pending[sign_off.comment]
            found += 1
        if not pending:
            break
    return found


def git_versions(path: Path, depth: int = HISTORY_DEPTH) -> Versions:
    """Committed texts of ``path`` in its git repository, newest first; none when git or the repository is not
    there (the reviewer then sees what changed without the earlier text)."""

    def versions() -> Iterable[str]:
        folder = path.resolve().parent
        try:
            listed = subprocess.run(
                ["git", "log", f"-n{depth}", "--format=%H", "--", path.name],
                cwd=folder, capture_output=True, text=True, check=True, timeout=30,
            )  # fmt: skip
            prefix = subprocess.run(
                ["git", "rev-parse", "--show-prefix"], cwd=folder, capture_output=True, text=True, check=True
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return
        for commit in listed.stdout.split():
            try:
                shown = subprocess.run(
                    ["git", "show", f"{commit}:{prefix}{path.name}"],
                    cwd=folder, capture_output=True, check=True, timeout=30,
                )  # fmt: skip
            except (OSError, subprocess.SubprocessError):
                continue
            yield shown.stdout.decode("utf-8", errors="replace")

    return versions


# --------------------------------------------------------------------------------------
# Over a project: one locale's catalogs.
# --------------------------------------------------------------------------------------


@dataclass(slots=True)
class CatalogReview:
    """One catalog of a locale, every active entry with its review state and ``check`` findings."""

    domain: str
    """gettext domain (the document, or ``layouts``)."""
    path: Path
    """The PO file."""
    shown: str
    """The PO file as a person reads it."""
    entries: list[EntryReview]
    """Its active entries in file order (the document's order)."""

    @property
    def needing(self) -> list[EntryReview]:
        """The entries that need a reviewer's eyes, in order."""
        return [entry for entry in self.entries if entry.state == NEEDS_REVIEW]


def review_locale(config: Config, locale: str, *, recover: bool = True) -> list[CatalogReview]:
    """Every catalog of ``locale`` with each entry's review state and its ``check`` findings; with ``recover``,
    the source and translation each outdated sign-off covered, from the catalog's git history when there is one."""
    from pipeline.catalogs.pofile import read_catalog
    from pipeline.catalogs.project import domains
    from pipeline.catalogs.qa import check_catalog, load_terms
    from pipeline.errors import Severity, shown

    terms = load_terms(config.path(config.terms_file)) if config.terms_file else []
    result = []
    for domain in domains(config):
        path = config.catalog_path(locale, domain)
        if not path.exists():
            raise CatalogError("catalog missing; run 'plainleaf update'", shown(path, config.root))
        name = shown(path, config.root)
        catalog = read_catalog(path)
        entries = catalog_review(product_entries(catalog), name)  # not the desk's own words
        by_line: dict[int, list[str]] = {}
        errors: dict[int, int] = {}
        for finding in check_catalog(catalog, name, locale, terms):
            by_line.setdefault(finding.line, []).append(
                f"{finding.severity.value}: [{finding.check}] {finding.message}"
            )
            errors[finding.line] = errors.get(finding.line, 0) + (finding.severity is Severity.ERROR)
        for entry in entries:
            entry.findings = by_line.get(entry.line, [])
            entry.check_errors = errors.get(entry.line, 0)
        if recover:
            recover_reviewed(entries, git_versions(path))
        result.append(CatalogReview(domain, path, name, entries))
    return result


def refusal(entry: EntryReview) -> str | None:
    """Why ``entry`` cannot be signed off, or None when it can."""
    if entry.state == WAITING:
        if entry.why == "fuzzy":
            return "fuzzy: the translator has not confirmed it since the source changed"
        return "untranslated: there is nothing to review yet"
    if entry.check_errors:
        return f"fails plainleaf check ({entry.findings[0]}); fix the translation first"
    return None


@dataclass(slots=True)
class SignOffResult:
    """What a sign-off did."""

    signed: list[EntryReview] = field(default_factory=list)
    """Entries signed off now."""
    refused: list[tuple[EntryReview, str]] = field(default_factory=list)
    """Entries that could not be signed off, and why."""
    already: list[EntryReview] = field(default_factory=list)
    """Named entries that were signed off and unchanged already (left as they were)."""
    written: list[Path] = field(default_factory=list)
    """Catalogs rewritten."""


def sign_off_entries(
    catalogs: Sequence[CatalogReview], reviewer: str, day: str, wanted: Sequence[str] | None
) -> SignOffResult:
    """Sign off the entries ``wanted`` names (see :func:`find_entries`), or with None every entry that needs review,
    in the catalogs' files. Every named entry must be signable, or nothing is written (``--entry``); with None the
    signable ones are signed and the others reported. Each file is written atomically, only its sign-off lines
    changed."""
    from pipeline.atomic import write_bytes
    from pipeline.catalogs.pofile import parse_catalog

    reviewer = check_reviewer(reviewer)
    result = SignOffResult()
    parsed = {item.shown: (item, _read_text(item.path, item.shown)) for item in catalogs}
    files = {shown: parse_catalog(text, shown) for shown, (_, text) in parsed.items()}
    reviews = {(item.shown, entry.line): entry for item in catalogs for entry in item.entries}
    chosen: list[tuple[str, EntryReview]] = []
    if wanted is None:
        chosen = [(item.shown, entry) for item in catalogs for entry in item.entries if entry.state != REVIEWED]
    else:
        for name in wanted:
            found = find_entries(files, name)
            if not found:
                raise CatalogError(
                    f"no entry with the msgid {name!r} or at that line in the {len(files)} catalogs of this locale"
                )
            for shown, entry in found:
                review = reviews.get((shown, entry.linenum or 1))
                if review is None:
                    raise CatalogError("a word of the print desk only, on no product: nothing to sign off", shown,
                                       entry.linenum)  # fmt: skip
                if (shown, review) not in chosen:
                    chosen.append((shown, review))
    plan: dict[str, dict[int, SignOff]] = {}
    for shown, review in chosen:
        if review.state == REVIEWED:
            result.already.append(review)
            continue
        why = refusal(review)
        if why is not None:
            result.refused.append((review, why))
            continue
        entry = next(item for item in files[shown] if item.linenum == review.line)
        plan.setdefault(shown, {})[review.line] = SignOff.of(entry, reviewer, day)
        result.signed.append(review)
    if wanted is not None and result.refused:
        result.signed = []
        return result
    for shown, sign_offs in plan.items():
        item, text = parsed[shown]
        new_text = signed_text(text, files[shown], sign_offs, shown)
        _verify(files[shown], parse_catalog(new_text, shown), sign_offs, shown)
        try:
            write_bytes(item.path, new_text.encode("utf-8"))
        except OSError as exc:
            raise CatalogError(f"cannot write the catalog: {exc.strerror or exc}", shown) from exc
        result.written.append(item.path)
    return result


def _read_text(path: Path, shown: str) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError(f"cannot read the catalog: {exc}", shown) from exc


def _verify(before: polib.POFile, after: polib.POFile, sign_offs: Mapping[int, SignOff], shown: str) -> None:
    """Refuse to write a file whose entries changed in anything but the sign-offs asked for."""
    old, new = list(before), list(after)
    if len(old) != len(new):
        raise CatalogError("signing off would change the number of entries; file left as it was", shown)
    for first, second in zip(old, new, strict=True):
        same = (first.msgctxt, first.msgid, first.msgid_plural, first.msgstr, first.msgstr_plural, first.flags,
                first.obsolete, other_comments(first)) == (
                second.msgctxt, second.msgid, second.msgid_plural, second.msgstr, second.msgstr_plural,
                second.flags, second.obsolete, other_comments(second))  # fmt: skip
        expected = sign_offs.get(first.linenum or 0, sign_off_of(first))
        if not same or sign_off_of(second) != expected:
            raise CatalogError("signing off would change this entry; file left as it was", shown, first.linenum)


def product_catalogs(config: Config, locale: str, document: str) -> list[Path]:
    """The catalogs whose entries a product of ``document`` in ``locale`` prints: the document's, and the layouts'
    words (printed on every product) when the project has them."""
    from pipeline.catalogs.project import LAYOUTS_DOMAIN

    paths = [config.catalog_path(locale, document)]
    if config.layouts_dir.is_dir():
        paths.append(config.catalog_path(locale, LAYOUTS_DOMAIN))
    return paths


def product_review(config: Config, locale: str, document: str) -> ReviewCounts:
    """Review counts of every entry a product of ``document`` in ``locale`` uses; a missing or unreadable catalog
    counts nothing (the build reports it as incomplete)."""
    from pipeline.catalogs.pofile import read_catalog

    total = ReviewCounts()
    for path in product_catalogs(config, locale, document):
        try:
            total += counts_of(read_catalog(path))
        except CatalogError:
            continue
    return total

"""Catalog update: merge translators' catalogs with new templates like ``msgmerge --previous``, losing nothing.

The rules and the similarity measure are msgmerge's (gettext ``msgmerge.c``, ``message.c``,
``msgl-fsearch.c``). Where this module differs, it does so on purpose:

- An old entry whose translation was copied into a fuzzy match lives on only in that match: its
  msgstr, and its msgid as the previous msgid (``#|``), as msgmerge does; no obsolete copy piles up.
  Only when the match could not take every form of it (a plural translation matched by a singular
  msgid) does it also stay as an obsolete entry, so no form is lost.
- A fuzzy match from an old fuzzy entry that has no previous msgid records that entry's own msgid
  as the previous one; msgmerge records none.
- A text that comes back to the template gets the translation written for it from the fuzzy entry whose
  previous msgid (``#|``, or ``#~|`` when obsolete) it is (the nearest of several), still fuzzy, before any
  similarity search:
  since its own entry lived on in that ``#|`` only (above), msgmerge offers it the translation of whatever
  old msgid is most similar, a neighbour's, and the text's own translation is lost once the fuzzy entry
  goes. See :func:`_restorable_entries`.
- A singular translation moved into a plural entry fills ``msgstr[0]`` only; msgmerge copies it into
  every form, which would look complete once the entry is un-fuzzied.
- Untranslated entries that leave the template are dropped instead of kept as obsolete; see
  :func:`merge_catalog`.
- ``Project-Id-Version`` comes from the template as well as ``Report-Msgid-Bugs-To`` and
  ``POT-Creation-Date``.
- Every old entry with a msgstr (fuzzy and obsolete ones too, as in msgmerge) is a fuzzy candidate, not
  only those sharing a 4-gram with the new msgid; similarity counts characters, not UTF-8 bytes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar

import polib
from babel import Locale, UnknownLocaleError
from babel.messages.plurals import get_plural
from rapidfuzz import process
from rapidfuzz.distance import Indel

from pipeline.catalogs.pofile import catalog_date
from pipeline.document import PERCENT_ENTITY
from pipeline.errors import CatalogError

FUZZY_THRESHOLD = 0.6
"""msgmerge's ``FUZZY_THRESHOLD``: the least similarity of two msgids for a fuzzy match."""

CONTEXT_BONUS = 0.00001
"""msgmerge's edge for a candidate with the same msgctxt (or none): it only breaks near-ties."""

TEMPLATE_FIELDS = ("Project-Id-Version", "Report-Msgid-Bugs-To", "POT-Creation-Date")
"""Header fields the template owns; every other header field belongs to the translators."""

DEFAULT_NPLURALS = 2
"""Plural forms assumed when a catalog has no usable ``Plural-Forms`` (gettext's default)."""

_NPLURALS_RE = re.compile(r"nplurals\s*=\s*(\d+)")

Key = tuple[str | None, str]
"""What identifies an entry in a catalog: (msgctxt, msgid)."""

_Found = TypeVar("_Found")
"""What a lookup by key finds: an old entry, or a fuzzy entry with the pair its ``#|`` records."""


@dataclass(slots=True)
class MergeResult:
    """The merged catalog and what the merge did, for the command line to report."""

    catalog: polib.POFile
    """The merged catalog: the template's entries in its order, then the obsolete entries."""
    unchanged: int = 0
    """Template entries found with the same msgctxt and msgid among the active old entries."""
    added: int = 0
    """Template entries with no translation to reuse: new and untranslated."""
    fuzzy: int = 0
    """Entries that got a similar entry's translation, or whose plural changed, marked fuzzy for review."""
    resurrected: int = 0
    """Template entries whose translation came back from an obsolete entry or from a fuzzy entry's ``#|``."""
    obsolete: int = 0
    """Active old entries the template no longer has, kept as obsolete entries."""
    dropped: int = 0
    """Old entries left out because they held no translation and no translator comment."""

    def counts(self) -> dict[str, int]:
        """Each count under the name the command line prints, in reading order."""
        return {
            "unchanged": self.unchanged,
            "added": self.added,
            "fuzzy": self.fuzzy,
            "resurrected": self.resurrected,
            "obsolete": self.obsolete,
            "untranslated dropped": self.dropped,
        }


def merge_catalog(catalog: polib.POFile, template: polib.POFile) -> MergeResult:
    """Bring ``catalog`` up to ``template``, keeping, fuzzing or obsoleting every translation; inputs stay untouched.

    Old entries with no translation and no translator comment are dropped when the template loses them
    (msgmerge keeps them as obsolete): they hold no work, and keeping them would grow the catalog with
    every edit of a sentence nobody translated yet.
    """
    nplurals = _nplurals(catalog)
    old = _old_entries(catalog)
    restorable = _restorable_entries(old)
    similar = _SimilarEntries([entry for entry in old.values() if _has_translation(entry)])
    result = MergeResult(catalog=_merged_file(catalog, template))
    reused: set[Key] = set()
    absorbed: set[Key] = set()  # fuzzy-match sources whose every form and msgid live on in the match
    for entry in _template_entries(template):
        key, match = _exact_match(entry, old)
        if match is not None:
            reused.add(key)
            merged = _merged_entry(entry, match, nplurals, exact=True)
            if match.obsolete:
                result.resurrected += 1
            elif merged.fuzzy and not match.fuzzy:
                result.fuzzy += 1
            else:
                result.unchanged += 1
        elif (restored := _exact_match(entry, restorable)[1]) is not None:
            # The text is back, and its own translation waits in the "#|" of the entry it had been edited
            # into: that pair, not a similar msgid's translation, is what the text gets.
            holder, filed = restored
            merged = _merged_entry(entry, filed, nplurals, exact=True)
            result.resurrected += 1
            if _keeps_every_form(merged, filed):
                absorbed.add(_key(holder))
        elif (match := similar.best(entry)) is not None:
            merged = _merged_entry(entry, match, nplurals, exact=False)
            result.fuzzy += 1
            if _holds_every_form(merged, match):
                absorbed.add(_key(match))
        else:
            merged = _untranslated(entry, nplurals)
            result.added += 1
        result.catalog.append(merged)
    taken = {_key(entry) for entry in result.catalog} | set(old)
    for key, entry in old.items():
        if key in reused or key in absorbed:
            continue
        if not (_has_translation(entry) or entry.tcomment):
            result.dropped += 1
            continue
        if not entry.obsolete:
            result.obsolete += 1
        result.catalog.append(_obsolete_copy(entry, taken))
        taken.add(_key(result.catalog[-1]))
    return result


def _obsolete_copy(entry: polib.POEntry, taken: set[Key]) -> polib.POEntry:
    """``entry`` as an obsolete entry; a fuzzy one under its previous msgid, the text its msgstr was written for.

    A fuzzy entry's previous msgid lives only in its ``#|`` line, which an obsolete entry can keep only as
    ``#~|`` (and polib 1.2.0 drops that line when reading, izimobil/polib#158): filed under the previous msgid,
    still fuzzy, the pair the translator wrote survives, and comes back for review if that msgid returns.
    """
    filed = None if entry.obsolete else _filed_under_previous(entry)
    if filed is None or _key(filed) in taken:
        return _copy_entry(entry, obsolete=True, comment="", occurrences=[])
    return filed


def _filed_under_previous(entry: polib.POEntry) -> polib.POEntry | None:
    """A fuzzy entry as the obsolete pair its translator wrote: its msgstr under its previous msgid, still fuzzy.

    None when ``entry`` records no such pair: not fuzzy, no previous msgid, or a previous msgid of another
    shape (singular against plural), whose forms its msgstr cannot be said to translate.
    """
    same_shape = bool(entry.msgid_plural) == bool(entry.previous_msgid_plural)
    if not entry.fuzzy or entry.previous_msgid is None or not same_shape:
        return None
    return _copy_entry(
        entry,
        obsolete=True,
        comment="",
        occurrences=[],
        msgctxt=entry.previous_msgctxt,
        msgid=entry.previous_msgid,
        msgid_plural=entry.previous_msgid_plural or "",
        previous_msgctxt=None,
        previous_msgid=None,
        previous_msgid_plural=None,
    )


def _restorable_entries(old: dict[Key, polib.POEntry]) -> dict[Key, tuple[polib.POEntry, polib.POEntry]]:
    """Translations that live on only in a fuzzy entry's ``#|``, by that previous msgid: (the entry, the pair).

    A fuzzy match takes the place of the entry it came from (its msgid goes to ``#|``, no obsolete copy is
    kept), so when that text comes back to the template no old entry has its key: without this, the
    similarity search offers it a neighbour's translation, and once the fuzzy entry also leaves, its pair
    cannot be filed under a key the restored text now holds (:func:`_obsolete_copy`) and is lost. Obsolete
    entries count too: :func:`pipeline.catalogs.pofile.read_catalog` keeps their ``#~|``. A key some old entry
    already has is left to that entry, as msgmerge does.

    Several entries may name the same text, with different translations when it was translated again between
    its edits; nothing in a PO file says which is newer. The entry whose msgid is nearest the text wins (the
    first in the file on a tie): its latest edit is usually its smallest.
    """
    restorable: dict[Key, tuple[polib.POEntry, polib.POEntry]] = {}
    nearness: dict[Key, float] = {}
    for entry in old.values():
        filed = _filed_under_previous(entry)
        if filed is None or not _has_translation(filed):
            continue
        key = _key(filed)
        total = len(entry.msgid) + len(filed.msgid)
        near = (total - Indel.distance(entry.msgid, filed.msgid)) / total if total else 1.0
        if key not in old and near > nearness.get(key, -1.0):
            restorable[key], nearness[key] = (entry, filed), near
    return restorable


def _exact_match(entry: polib.POEntry, entries: Mapping[Key, _Found]) -> tuple[Key, _Found | None]:
    """What ``entries`` holds under the template entry's key, or under the key its msgid once had.

    Before msgids shielded percent signs from Babel (``&#37;``) they were written plain: the same text.
    """
    key = _key(entry)
    if key not in entries and PERCENT_ENTITY in entry.msgid:
        plain = (entry.msgctxt, entry.msgid.replace(PERCENT_ENTITY, "%"))
        if plain in entries:
            return plain, entries[plain]
    return key, entries.get(key)


def init_catalog(template: polib.POFile, locale: str) -> polib.POFile:
    """A new catalog of ``template`` for ``locale``, every entry untranslated, with the header msginit writes.

    The dates come from the template's ``POT-Creation-Date`` (as ``msginit --no-translator`` does),
    so the same template always gives the same catalog; a translator's editor stamps its own on save.
    A template without one gets the current date (``SOURCE_DATE_EPOCH`` when set), never a placeholder.
    """
    language = _language_identifier(locale)
    try:
        parsed = Locale.parse(language)
    except (UnknownLocaleError, ValueError) as exc:
        raise CatalogError(
            f"unknown locale {locale!r}: expected a CLDR locale such as 'es', 'pt_BR' or 'zh_Hans'"
        ) from exc
    if language.split("_")[0] in ("und", "root"):
        raise CatalogError(f"unknown locale {locale!r}: expected a language, not a CLDR placeholder")
    plural = get_plural(parsed)
    # A template without a creation date gets today's, so no "YEAR" placeholder reaches the catalog
    # (msgfmt --check warns about a PO-Revision-Date left as "YEAR-MO-DA HO:MI+ZONE").
    pot_date = template.metadata.get("POT-Creation-Date", "")
    revised = pot_date if pot_date[:4].isdigit() else catalog_date()
    package = template.metadata.get("Project-Id-Version", "").split(" ")[0] or "PACKAGE"
    year = revised[:4]
    catalog = polib.POFile(wrapwidth=template.wrapwidth, encoding="utf-8")
    catalog.header = "\n".join(
        [
            f"{parsed.english_name} translations for {package} package.",
            f"Copyright (C) {year} THE {package}'S COPYRIGHT HOLDER",
            f"This file is distributed under the same license as the {package} package.",
            f"Automatically generated, {year}.",
            "",
        ]
    )
    catalog.metadata = {
        "Project-Id-Version": template.metadata.get("Project-Id-Version", "PACKAGE VERSION"),
        "Report-Msgid-Bugs-To": template.metadata.get("Report-Msgid-Bugs-To", ""),
        "POT-Creation-Date": pot_date,
        "PO-Revision-Date": revised,
        "Last-Translator": "Automatically generated",
        "Language-Team": "none",
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": f"nplurals={plural.num_plurals}; plural={plural.plural_expr};",
    }
    catalog.metadata_is_fuzzy = False
    for entry in _template_entries(template):
        catalog.append(_untranslated(entry, plural.num_plurals))
    return catalog


class _SimilarEntries:
    """Old translated entries, searched by msgid similarity as msgmerge's fuzzy search does."""

    __slots__ = ("_entries", "_msgids")

    def __init__(self, entries: list[polib.POEntry]) -> None:
        self._entries = entries
        self._msgids = [entry.msgid for entry in entries]

    def best(self, entry: polib.POEntry) -> polib.POEntry | None:
        """The most similar entry above the threshold, preferring the same msgctxt; the first one on a tie."""
        if not entry.msgid or not self._entries:
            return None
        # The C scorer only preselects; the weight is then computed from the integer distance
        # exactly as gettext's fstrcmp does, so that borderline cases decide as msgmerge decides.
        hits = process.extract(
            entry.msgid,
            self._msgids,
            scorer=Indel.normalized_similarity,
            score_cutoff=FUZZY_THRESHOLD - 2 * CONTEXT_BONUS,
            limit=None,
        )
        best: polib.POEntry | None = None
        best_weight = FUZZY_THRESHOLD
        for _, _, index in sorted(hits, key=lambda hit: hit[2]):
            candidate = self._entries[index]
            total = len(entry.msgid) + len(candidate.msgid)
            weight = (total - Indel.distance(entry.msgid, candidate.msgid)) / total
            if candidate.msgctxt is None or candidate.msgctxt == entry.msgctxt:
                weight += CONTEXT_BONUS
            if weight > best_weight:
                best, best_weight = candidate, weight
        return best


def _key(entry: polib.POEntry) -> Key:
    """The (msgctxt, msgid) of an entry; no msgctxt and an empty one differ, as in gettext."""
    return (entry.msgctxt, entry.msgid)


def _forms(entry: polib.POEntry) -> dict[int, str]:
    """An entry's translation as plural forms; a singular translation is form 0."""
    return dict(entry.msgstr_plural) if entry.msgstr_plural else {0: entry.msgstr}


def _has_translation(entry: polib.POEntry) -> bool:
    """Whether an entry holds translator work in any msgstr, fuzzy or not."""
    return any(_forms(entry).values())


def _describe(key: Key) -> str:
    """A message key as a person reads it in an error."""
    msgctxt, msgid = key
    return f"msgid {msgid!r}" + (f" (msgctxt {msgctxt!r})" if msgctxt is not None else "")


def _old_entries(catalog: polib.POFile) -> dict[Key, polib.POEntry]:
    """The old entries by key, active and obsolete, in file order, with harmless duplicates folded."""
    entries: dict[Key, polib.POEntry] = {}
    for entry in catalog:
        key = _key(entry)
        kept = entries.get(key)
        if kept is None:
            entries[key] = entry
            continue
        if _has_translation(kept) and _has_translation(entry) and _forms(kept) != _forms(entry):
            raise CatalogError(
                f"{_describe(key)} is defined twice, with different translations (also line {kept.linenum}); keep one",
                catalog.fpath,
                entry.linenum,
            )
        if _preference(entry) > _preference(kept):
            entries[key] = entry
    return entries


def _preference(entry: polib.POEntry) -> tuple[bool, bool, bool]:
    """Which of two same-key entries to keep: translated, then confirmed, then active."""
    return (_has_translation(entry), not entry.fuzzy, not entry.obsolete)


def _template_entries(template: polib.POFile) -> list[polib.POEntry]:
    """The active entries of a template, which must not repeat a key."""
    seen: set[Key] = set()
    entries = []
    for entry in template:
        if entry.obsolete:
            continue
        key = _key(entry)
        if key in seen:
            raise CatalogError(f"{_describe(key)} is defined twice in the template", template.fpath, entry.linenum)
        seen.add(key)
        entries.append(entry)
    return entries


def _nplurals(catalog: polib.POFile) -> int:
    """The number of plural forms the catalog's ``Plural-Forms`` header declares."""
    found = _NPLURALS_RE.search(catalog.metadata.get("Plural-Forms", ""))
    return int(found.group(1)) if found and int(found.group(1)) > 0 else DEFAULT_NPLURALS


def _merged_file(catalog: polib.POFile, template: polib.POFile) -> polib.POFile:
    """An empty catalog with the old catalog's header and the template's own header fields."""
    merged = polib.POFile(wrapwidth=catalog.wrapwidth, encoding=catalog.encoding, fpath=catalog.fpath)
    merged.header = catalog.header
    merged.metadata = dict(catalog.metadata)
    merged.metadata.update({name: template.metadata[name] for name in TEMPLATE_FIELDS if name in template.metadata})
    # polib's parser stores the header's flag list here, not a bool: copy it, never share it.
    fuzzy_header = catalog.metadata_is_fuzzy
    merged.metadata_is_fuzzy = list(fuzzy_header) if isinstance(fuzzy_header, list) else fuzzy_header
    return merged


def _merged_entry(entry: polib.POEntry, old: polib.POEntry, nplurals: int, *, exact: bool) -> polib.POEntry:
    """The template ``entry`` carrying ``old``'s translation, translator comments and fuzziness."""
    forms = _forms(old)
    if entry.msgid_plural:
        msgstr, msgstr_plural = "", {index: "" for index in range(nplurals)} | forms
    else:
        msgstr, msgstr_plural = forms.get(0, ""), {}
    translated = bool(msgstr) or any(msgstr_plural.values())
    fuzzy = old.fuzzy or (translated and (not exact or old.msgid_plural != entry.msgid_plural))
    previous: tuple[str | None, str | None, str | None] = (None, None, None)
    if fuzzy and translated:
        # The previous msgid is the one the msgstr was written for: an old fuzzy entry passes on its own.
        if old.fuzzy and (exact or old.previous_msgid is not None):
            previous = (old.previous_msgctxt, old.previous_msgid, old.previous_msgid_plural)
        else:
            previous = (old.msgctxt, old.msgid, old.msgid_plural or None)
    return polib.POEntry(
        msgctxt=entry.msgctxt,
        msgid=entry.msgid,
        msgid_plural=entry.msgid_plural,
        msgstr=msgstr,
        msgstr_plural=msgstr_plural,
        comment=entry.comment,
        tcomment=old.tcomment,
        occurrences=list(entry.occurrences),
        flags=(["fuzzy"] if fuzzy else []) + [flag for flag in entry.flags if flag != "fuzzy"],
        previous_msgctxt=previous[0],
        previous_msgid=previous[1],
        previous_msgid_plural=previous[2],
    )


def _holds_every_form(merged: polib.POEntry, old: polib.POEntry) -> bool:
    """Whether a fuzzy match kept every translated form of the entry it came from, and names it in ``#|``."""
    named = merged.previous_msgid == old.msgid or (old.fuzzy and old.previous_msgid == merged.previous_msgid)
    return named and _keeps_every_form(merged, old)


def _keeps_every_form(merged: polib.POEntry, old: polib.POEntry) -> bool:
    """Whether every translated form of ``old`` is one of ``merged``'s (a singular entry holds one form only)."""
    kept = set(_forms(merged).values())
    return all(form in kept for form in _forms(old).values() if form)


def _untranslated(entry: polib.POEntry, nplurals: int) -> polib.POEntry:
    """A template entry as an untranslated catalog entry with ``nplurals`` empty forms if plural."""
    return polib.POEntry(
        msgctxt=entry.msgctxt,
        msgid=entry.msgid,
        msgid_plural=entry.msgid_plural,
        msgstr="",
        msgstr_plural={index: "" for index in range(nplurals)} if entry.msgid_plural else {},
        comment=entry.comment,
        tcomment=entry.tcomment,
        occurrences=list(entry.occurrences),
        flags=[flag for flag in entry.flags if flag != "fuzzy"],
    )


def _copy_entry(entry: polib.POEntry, **changes: object) -> polib.POEntry:
    """A copy of ``entry`` that shares no list or dict with it, with ``changes`` applied."""
    fields: dict[str, object] = {
        "msgctxt": entry.msgctxt,
        "msgid": entry.msgid,
        "msgid_plural": entry.msgid_plural,
        "msgstr": entry.msgstr,
        "msgstr_plural": dict(entry.msgstr_plural),
        "obsolete": entry.obsolete,
        "comment": entry.comment,
        "tcomment": entry.tcomment,
        "occurrences": list(entry.occurrences),
        "flags": list(entry.flags),
        "previous_msgctxt": entry.previous_msgctxt,
        "previous_msgid": entry.previous_msgid,
        "previous_msgid_plural": entry.previous_msgid_plural,
        "linenum": entry.linenum,
    }
    fields.update(changes)
    return polib.POEntry(**fields)


def _language_identifier(locale: str) -> str:
    """A locale as gettext's ``Language`` header spells it: ``zh-hans`` becomes ``zh_Hans``."""
    base, at, modifier = locale.strip().replace("-", "_").partition("@")
    first, *rest = base.split("_")
    parts = [first.lower(), *(part.title() if len(part) == 4 else part.upper() for part in rest)]
    return "_".join(parts) + at + modifier

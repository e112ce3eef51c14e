"""What a reviewer can act on in a sentence: passive voice, jargon with a plain alternative, acronyms.

The detectors are heuristics over words, with no parser: they are tuned to flag what a plain-language
editor would ask about and to stay quiet on common look-alikes, and the tests pin both sides. What a
native reviewer may correct is data in ``data/``: the glossaries (``jargon-<lang>.toml``), how a text
defines a term so that its definition is not flagged (``definitions.toml``), and the Spanish verbs that
are pronominal, not passive, after *se* (``pronominal-es.toml``).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from pipeline.readability.model import Flag, ReadabilityError
from pipeline.readability.words import is_acronym


def _word_set(text: str) -> frozenset[str]:
    """A set of words written as one space-separated string, the way word lists read best."""
    return frozenset(text.split())


PassiveDetector = Callable[[Sequence[str]], list[str]]
"""Passive phrases (as written) in a sentence's words."""


# --- Passive voice: English ----------------------------------------------------------------------

EN_BE = frozenset({"am", "is", "are", "was", "were", "be", "been", "being", "isn't", "aren't", "wasn't", "weren't"})
"""Forms of *be* that head a passive."""

EN_BETWEEN = frozenset(
    {
        "not", "never", "also", "often", "usually", "now", "still", "yet", "already", "then", "being", "been",
        "always", "sometimes", "rarely", "first", "just", "even", "only", "all", "both", "each", "further", "mainly",
        "generally", "typically", "currently", "commonly", "widely", "mostly", "partly", "rather", "very", "well",
    }
)  # fmt: skip
"""Words that may stand between *be* and the participle (``is not yet established``); any -ly adverb also may."""

EN_IRREGULAR_PARTICIPLES = _word_set(
    """
    arisen awoken borne born beaten become begun bent bet bid bitten bled blown broken bred brought built burnt
    bought caught chosen come cost crept cut dealt dug done drawn dreamt drunk driven eaten fallen fed felt fought
    found fled flung flown forbidden forgotten forgiven frozen got gotten given gone ground grown hung had heard
    hidden hit held hurt kept knelt known laid led leant leapt learnt left lent let lain lit lost made meant met
    mistaken misunderstood overcome overtaken overseen paid proven put quit read rid ridden rung risen run said
    seen sought sold sent set sewn shaken shed shone shot shown shrunk shut sung sunk sat slain slept slid slung
    spoken sped spent spilt spun spread sprung stood stolen stuck stung stunk struck strung sworn swept swollen
    swum swung taken taught torn told thought thrown thrust trodden understood undertaken undergone upset woken
    worn woven wept won wound withdrawn withheld written
    """
)
"""Irregular past participles of English."""

EN_NOT_PARTICIPLES = _word_set(
    """
    bed bled bred embed exceed feed hundred indeed need proceed red seed shed sled speed succeed wed weed breed
    naked wicked sacred rugged ragged crooked beloved kindred
    interested excited tired worried pleased surprised scared bored married confused concerned disappointed
    satisfied relaxed ashamed embarrassed frustrated overwhelmed experienced skilled qualified complicated
    sophisticated detailed dedicated talented balanced advanced
    """
)
"""Words ending in -ed that are not verbs, or are adjectives after *be* (``is interested``, ``is advanced``)."""


def english_passives(words: Sequence[str]) -> list[str]:
    """*be* + optional adverbs + past participle (regular -ed or irregular); a *by* phrase is not needed."""
    found: list[str] = []
    lower = [word.lower().replace("\u2019", "'") for word in words]
    index = 0
    while index < len(lower):
        if lower[index] not in EN_BE:
            index += 1
            continue
        end = index + 1
        while end < len(lower) and end - index <= 4 and _en_between(lower[end]):
            end += 1
        if end < len(lower) and _en_participle(lower[end]):
            found.append(" ".join(words[index : end + 1]))
            index = end + 1
        else:
            index += 1
    return found


def _en_between(word: str) -> bool:
    return word in EN_BETWEEN or (word.endswith("ly") and len(word) > 4 and not _en_participle(word))


def _en_participle(word: str) -> bool:
    if word in EN_IRREGULAR_PARTICIPLES:
        return True
    return word.endswith("ed") and len(word) > 4 and word.isalpha() and word not in EN_NOT_PARTICIPLES


# --- Passive voice: Spanish ----------------------------------------------------------------------

ES_SER = _word_set(
    "es son fue fueron era eran será serán sería serían sea sean fuera fueran fuese fuesen sido siendo ser "
    "soy eres somos fui fuiste fuimos"
)
"""Forms of *ser* that head a periphrastic passive."""

ES_BETWEEN = _word_set("no ya también muy más menos siempre nunca aún todavía sido")
"""Words that may stand between *ser* and the participle; any -mente adverb also may."""

ES_IRREGULAR_PARTICIPLES = frozenset(
    f"{stem}{ending}"
    for stem in _word_set(
        "hech dich vist puest escrit abiert cubiert muert vuelt rot resuelt descubiert impres provist devuelt "
        "compuest dispuest propuest expuest supuest previst satisfech deshech absuelt envuelt inscrit descrit "
        "prescrit suscrit transcrit frit"
    )
    for ending in ("o", "a", "os", "as")
)
"""Irregular participles of Spanish with their feminine and plural forms."""

ES_NOT_PARTICIPLES = _word_set(
    """
    cuidado cuidados resultado resultados estado estados lado lados grado grados pasado partido partidos
    sentido sentidos contenido contenidos sonido sonidos ruido ruidos apellido marido vestido nido olvido
    adecuado adecuada adecuados adecuadas delicado delicada privado privada sagrado sagrada mercado mercados
    abogado abogada soldado helado tejado bocado pescado prado hada vida comida medida salida bebida
    """
)
"""Words ending like participles that are nouns or plain adjectives (``son cuidados paliativos``)."""

_ES_PARTICIPLE = re.compile(r"\w{2,}(?:ad|id|íd)[oa]s?")
_ES_ACCENT = re.compile("[áéíóú]")

ES_SE_PLURAL = re.compile(r"\w{2,}(?:an|en|aron|ieron|aban|ían|rán|rían)")
"""Third person plural verb endings: ``se realizan``, ``se usaron``, ``se pueden``."""
ES_SE_SINGULAR = re.compile(r"\w{2,}(?:a|e|ó|ió|aba|ía|rá|ría)")
"""Third person singular verb endings: ``se recomienda``, ``se realizó``."""
ES_DETERMINERS = _word_set("el la los las un una unos unas este esta estos estas su sus otro otra más")
"""Words that open the subject of a *pasiva refleja* after a singular verb (``se realiza una prueba``)."""
ES_CLITICS = _word_set("lo la los las le les")


_ES_ENDINGS = {
    "ar": ("a", "an", "e", "en", "ó", "aron", "aba", "aban", "ará", "arán", "aría", "arían", "ara", "aran"),
    "er": ("e", "en", "a", "an", "ió", "ieron", "ía", "ían", "erá", "erán", "ería", "erían", "iera", "ieran"),
    "ir": ("e", "en", "a", "an", "ió", "ieron", "ía", "ían", "irá", "irán", "iría", "irían", "iera", "ieran"),
}
"""Regular third-person endings (singular, plural) of each conjugation: present, present subjunctive, preterite,
imperfect, future, conditional, -ra subjunctive."""

_ES_SPELLING = (("c", "e", "qu"), ("g", "e", "gu"), ("z", "e", "c"), ("g", "a", "j"))
"""Spelling changes before an ending: multiplica / multipliquen, propaga / propaguen, encoge / encoja."""


def spanish_forms(infinitive: str) -> set[str]:
    """The regular third-person forms of a Spanish verb, with the spelling changes before ``e`` (and ``a``)."""
    stem, conjugation = infinitive[:-2], infinitive[-2:]
    forms: set[str] = set()
    if len(stem) < 2 or conjugation not in _ES_ENDINGS:
        return forms
    for ending in _ES_ENDINGS[conjugation]:
        spelled = stem
        for last, before, replacement in _ES_SPELLING:
            # -car, -gar, -zar verbs before e; -ger, -gir verbs before a (escoger: escoja)
            applies = conjugation == "ar" if before == "e" else conjugation != "ar"
            if applies and stem.endswith(last) and ending.startswith(before):
                spelled = stem[: -len(last)] + replacement
        forms.add(spelled + ending)
    return forms


@cache
def spanish_pronominal_forms() -> frozenset[str]:
    """Third-person forms of the verbs that are pronominal after *se* (``data/pronominal-es.toml``): *se detengan*,
    *se siente*, *se multiplican* are not passives."""
    path = "data/pronominal-es.toml"
    try:
        text = (
            resources.files("pipeline.readability").joinpath("data").joinpath("pronominal-es.toml").read_text("utf-8")
        )
        verbs = tomllib.loads(text).get("verbs")
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ReadabilityError(f"cannot read the pronominal verbs: {exc}", path) from exc
    if not isinstance(verbs, dict):
        raise ReadabilityError("expected a [verbs] table of infinitive = [irregular forms]", path)
    forms: set[str] = set()
    for infinitive, irregular in verbs.items():
        if not isinstance(irregular, list) or not all(isinstance(form, str) for form in irregular):
            raise ReadabilityError(f"verbs.{infinitive}: expected a list of irregular forms", path)
        forms |= spanish_forms(infinitive) | {form.lower() for form in irregular}
    return frozenset(forms)


def spanish_passives(words: Sequence[str]) -> list[str]:
    """*ser* + participle, and the *pasiva refleja* (*se* + third-person verb with a subject that follows); *se* with
    a pronominal verb (``spanish_pronominal_forms``) is not a passive."""
    found: list[str] = []
    pronominal = spanish_pronominal_forms()
    lower = [word.lower() for word in words]
    index = 0
    while index < len(lower):
        word = lower[index]
        if word in ES_SER:
            end = index + 1
            while end < len(lower) and end - index <= 3 and (lower[end] in ES_BETWEEN or lower[end].endswith("mente")):
                end += 1
            if end < len(lower) and _es_participle(lower[end]):
                found.append(" ".join(words[index : end + 1]))
                index = end + 1
                continue
        elif word == "se" and index + 1 < len(lower):
            verb = lower[index + 1]
            after = lower[index + 2] if index + 2 < len(lower) else ""
            if verb not in pronominal and verb not in ES_CLITICS and verb.isalpha():
                plural = ES_SE_PLURAL.fullmatch(verb) is not None
                singular = ES_SE_SINGULAR.fullmatch(verb) is not None and after in ES_DETERMINERS
                if plural or singular:
                    found.append(" ".join(words[index : index + 2]))
                    index += 2
                    continue
        index += 1
    return found


def _es_participle(word: str) -> bool:
    if word in ES_IRREGULAR_PARTICIPLES:
        return True
    if word in ES_NOT_PARTICIPLES or not _ES_PARTICIPLE.fullmatch(word):
        return False
    # Participles carry no written accent before their ending (the -ído of leído, caído is the ending itself):
    # rápido, válido, tímido are adjectives.
    base = word[:-1] if word.endswith("s") else word
    return _ES_ACCENT.search(base[:-3]) is None


# --- Glossary of jargon --------------------------------------------------------------------------


@dataclass(slots=True, frozen=True)
class Glossary:
    """Terms patients may not know, each with a plain alternative, and acronyms that need no expansion."""

    terms: dict[str, str]
    """Term as written in the glossary -> plain alternative."""
    known_acronyms: frozenset[str]
    """Acronyms readers know (``DNA``): never flagged."""
    keys: tuple[str, ...] = ()
    """The terms, longest first: group ``tN`` of :attr:`pattern` is ``keys[N]``."""
    pattern: re.Pattern[str] | None = None
    """All terms, longest first, case-insensitive, with plural endings."""

    def find(self, text: str) -> list[tuple[str, str]]:
        """(term as written in the text, glossary key) for each match, in order; overlapping terms: longest wins."""
        return [(match.group(0), key) for match, key in self.matches(text)]

    def matches(self, text: str) -> list[tuple[re.Match[str], str]]:
        """Each term's match in ``text`` (its place included) with its glossary key, in order."""
        if self.pattern is None:
            return []
        return [
            (match, self.keys[int(match.lastgroup[1:])]) for match in self.pattern.finditer(text) if match.lastgroup
        ]

    def defined(self, text: str, definitions: Definitions) -> set[str]:
        """Keys of the terms ``text`` defines (``X is a ...``, ``X (plain words)``, ``called X`` ...)."""
        return {key for match, key in self.matches(text) if definitions.defines(text, match.start(), match.end())}


@dataclass(slots=True, frozen=True)
class Definitions:
    """How a language's text defines a term next to it (``data/definitions.toml``), so a defined term is not jargon."""

    after: re.Pattern[str] | None = None
    """Matches at the first character after a term that the words after define (``is a``, ``(plain words)``)."""
    before: re.Pattern[str] | None = None
    """Matches ending at the last character before a term that the words before introduce (``called``)."""

    def defines(self, text: str, start: int, end: int) -> bool:
        """True when the term at ``text[start:end]`` is defined right there."""
        if self.after is not None and self.after.match(text, end):
            return True
        return self.before is not None and self.before.search(text[:start]) is not None


@cache
def load_definitions(language: str) -> Definitions:
    """The definition patterns of ``language`` from ``data/definitions.toml``; none for a language not listed."""
    path = "data/definitions.toml"
    try:
        text = resources.files("pipeline.readability").joinpath("data").joinpath("definitions.toml").read_text("utf-8")
        data = tomllib.loads(text)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ReadabilityError(f"cannot read the definition patterns: {exc}", path) from exc
    table = data.get(language, {})
    patterns: dict[str, re.Pattern[str] | None] = {}
    for side in ("after", "before"):
        items = table.get(side, [])
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            raise ReadabilityError(f"{language}.{side} must be a list of regular expressions", path)
        try:
            joined = "|".join(f"(?:{item})" for item in items)
            anchored = joined if side == "after" else f"(?:{joined})\\Z"  # a "before" pattern ends at the term
            patterns[side] = re.compile(anchored, re.IGNORECASE) if items else None
        except re.error as exc:
            raise ReadabilityError(f"{language}.{side}: not a regular expression: {exc}", path) from exc
    return Definitions(patterns["after"], patterns["before"])


def _term_pattern(term: str) -> str:
    """A term's pattern: any word may take a plural ending (Spanish *ensayos clínicos* pluralises each word)."""
    words = [re.escape(part) for part in re.split(r"[\s\-\u2010\u2011]+", term.strip())]
    plural = [f"{word[:-1]}(?:y|ies)" if word.endswith("y") else f"{word}(?:s|es)?" for word in words]
    return r"[\s\-\u2010\u2011]+".join(plural)


def build_glossary(terms: dict[str, str], known_acronyms: Iterable[str] = ()) -> Glossary:
    """A glossary from term -> plain alternative."""
    keys = tuple(sorted(terms, key=lambda term: (-len(term), term)))
    if not keys:
        return Glossary({}, frozenset(known_acronyms))
    alternatives = "|".join(f"(?P<t{index}>{_term_pattern(key)})" for index, key in enumerate(keys))
    pattern = re.compile(rf"(?<![\w\-])(?:{alternatives})(?![\w\-])", re.IGNORECASE)
    return Glossary(dict(terms), frozenset(known_acronyms), keys, pattern)


@cache
def load_glossary(name: str) -> Glossary:
    """The glossary ``data/<name>`` shipped with the package; malformed entries are errors naming the key."""
    path = f"data/{name}"
    try:
        text = resources.files("pipeline.readability").joinpath("data").joinpath(name).read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ReadabilityError(f"cannot read the glossary: {exc}", path) from exc
    unknown = sorted(set(data) - {"terms", "acronyms"})
    if unknown:
        raise ReadabilityError(f"unknown table(s) {', '.join(unknown)}; expected [terms] and [acronyms]", path)
    terms = data.get("terms", {})
    if not isinstance(terms, dict):
        raise ReadabilityError("'terms' must be a table of term = \"plain alternative\"", path)
    for key, value in terms.items():
        if not isinstance(value, str) or not value.strip():
            raise ReadabilityError(f"terms.{key}: the plain alternative must be a non-empty string", path)
    acronyms = data.get("acronyms", {})
    known = acronyms.get("known", []) if isinstance(acronyms, dict) else None
    if not isinstance(known, list) or not all(isinstance(item, str) for item in known):
        raise ReadabilityError("acronyms.known must be a list of strings", path)
    return build_glossary({str(key): str(value) for key, value in terms.items()}, known)


# --- Acronyms ------------------------------------------------------------------------------------

_ROMAN = re.compile(r"[IVXLCDM]+")
_DEFINED_AFTER = re.compile(r"[(\uff08]\s*([A-Z][A-Za-z0-9\-]*[A-Z0-9])s?\s*[)\uff09]")
"""An acronym in brackets right after its expansion: ``chimeric antigen receptor (CAR)``."""
_DEFINED_BEFORE = re.compile(r"\b([A-Z][A-Z0-9\-]*[A-Z0-9])s?\s*[(\uff08]\s*[a-z][^)\uff09]*[)\uff09]")
"""An acronym followed by its expansion in brackets: ``CAR-T (chimeric antigen receptor T-cell)``."""
_DEFINED_CALLED = re.compile(r"\balso\s+(?:called|known\s+as)\s+(?:the\s+)?([A-Z][A-Z0-9\-]*[A-Z0-9])s?\b")
"""An acronym introduced after its expansion in words: ``chimeric antigen receptors, also called CARs``."""


def acronyms_in(word: str) -> list[str]:
    """The acronyms a word carries: the whole word (``CAR-T``, ``KRAS``), or its all-capital parts (``MSI``-high)."""
    if is_acronym(word):
        return [word[:-1] if word.endswith("s") and len(word) > 2 else word]
    parts = re.split(r"[-\u2010\u2011]", word)
    return [part for part in parts if len(parts) > 1 and is_acronym(part)]


@dataclass(slots=True)
class AcronymTracker:
    """Follows a document in reading order: flags each acronym once, unless its expansion came first."""

    known: frozenset[str]
    """Acronyms that never need spelling out."""
    defined: set[str]
    """Acronyms whose expansion the reader has already seen."""
    flagged: set[str]
    """Acronyms already flagged."""
    definitions: Definitions = Definitions()
    """How the language defines a term next to it: ``CXCR4, a protein that ...`` explains CXCR4 there."""

    def check(self, text: str, words: Sequence[str]) -> list[Flag]:
        """Flags for the acronyms of one sentence used before any expansion."""
        for pattern in (_DEFINED_AFTER, _DEFINED_BEFORE, _DEFINED_CALLED):
            self.defined.update(match.group(1) for match in pattern.finditer(text))
        capitals = sum(1 for word in words if is_acronym(word))
        if len(words) >= 3 and capitals * 2 > len(words):
            return []  # a line set in capitals, not a run of acronyms
        flags: list[Flag] = []
        for word in words:
            for acronym in acronyms_in(word):
                if acronym in self.known or acronym in self.defined or acronym in self.flagged:
                    continue
                if _ROMAN.fullmatch(acronym):
                    continue  # Phase II, Phase III
                if self._explained(text, acronym):
                    self.defined.add(acronym)
                    continue
                self.flagged.add(acronym)
                flags.append(
                    Flag(
                        "acronym",
                        f"{acronym} is not spelled out; spell out on first use, then give {acronym} in brackets",
                        acronym,
                    )
                )
        return flags

    def _explained(self, text: str, acronym: str) -> bool:
        """True when the sentence explains ``acronym`` right where it stands (``KRAS, a gene that ...``)."""
        for match in re.finditer(rf"(?<![\w\-]){re.escape(acronym)}s?(?![\w\-])", text):
            if self.definitions.defines(text, match.start(), match.end()):
                return True
        return False

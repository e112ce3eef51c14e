"""The clinic's details for the contact box: ``clinic.toml``, validated with key paths like the project config.

Opening hours are data (days and times), formatted per language with CLDR through Babel; the free-text fields
(name, address, hours given as text) may be translated per language in ``[translations.<lang>]`` tables and fall
back to the source text with a warning naming the field and language.
"""

from __future__ import annotations

import datetime
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_interval, get_day_names
from babel.lists import format_list

from pipeline.config import read_toml
from pipeline.errors import ConfigError

log = logging.getLogger(__name__)

LOGO_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
"""Logo formats accepted: raster only, so a logo cannot carry references to other files (SVG could)."""


@dataclass(slots=True, frozen=True)
class Contact:
    """A person to call or write to."""

    name: str | None = None
    """Full name."""
    phone: str | None = None
    """Phone number as it should be printed."""
    email: str | None = None
    """E-mail address."""


DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""Day names in clinic files, Monday first (Babel's day numbering: 0 is Monday)."""

TRANSLATABLE = ("name", "address", "hours")
"""Free-text fields a ``[translations.<lang>]`` table may give in another language."""


@dataclass(slots=True, frozen=True)
class Hours:
    """The clinic is open on ``days`` from ``opens`` to ``closes``."""

    days: tuple[tuple[int, int], ...]
    """Day ranges, as (first, last) day numbers (0 is Monday); a single day is (n, n)."""
    opens: datetime.time
    """Opening time."""
    closes: datetime.time
    """Closing time."""


@dataclass(slots=True, frozen=True)
class Clinic:
    """A clinic whose details are printed on the handouts."""

    name: str
    """Name of the clinic."""
    phone: str | None = None
    """Main phone number as it should be printed."""
    address: str | None = None
    """Postal address; line breaks are kept."""
    hours: str | tuple[Hours, ...] | None = None
    """Opening hours: days and times (formatted per language), or free text as it should be printed."""
    website: str | None = None
    """http(s) address of the clinic's website."""
    trial_coordinator: Contact | None = None
    """The clinical-trial coordinator patients can ask."""
    navigator: Contact | None = None
    """The nurse or patient navigator patients can call."""
    logo: Path | None = None
    """PNG or JPEG logo, resolved inside the project."""
    country: str | None = None
    """ISO 3166 alpha-2 country; decides the paper size (US Letter or A4)."""
    guide_url: str | None = None
    """Where the full guide is published: an http(s) address with ``{lang}`` for the language tag, or the address
    of the published ``output/site/`` folder (see :func:`guide_address`). Without it the handout prints no QR code
    and no link."""
    translations: dict[str, dict[str, str]] = field(default_factory=dict)
    """Free-text fields in other languages: language code to field to text."""
    path: Path | None = None
    """The clinic file, for messages."""

    def untranslated_fields(self, language: str, source_language: str) -> list[str]:
        """The free-text fields printed in the source language in ``language`` for want of a translation (the
        desk says so on the product's row)."""
        if language == source_language:
            return []
        fields = ["name", "address"] + (["hours"] if isinstance(self.hours, str) else [])
        given = self.translations.get(language, {})
        return [key for key in fields if isinstance(getattr(self, key), str) and key not in given]

    def text(self, key: str, language: str, source_language: str) -> str | None:
        """Free-text field ``key`` in ``language``; the source text, with a warning, when it has no translation."""
        value = getattr(self, key)
        if not isinstance(value, str) or language == source_language:
            return value if isinstance(value, str) else None
        translated = self.translations.get(language, {}).get(key)
        if translated is None:
            log.warning(
                "%s: clinic.%s has no %s translation ([translations.%s] %s); printing the source text",
                self.path or "clinic.toml",
                key,
                language,
                language,
                key,
            )
            return value
        return translated


_FIELDS = {
    "name", "phone", "address", "hours", "website", "trial_coordinator", "navigator", "logo", "country",
    "guide_url", "translations",
}  # fmt: skip
_CONTACT_FIELDS = {"name", "phone", "email"}


def _string(table: dict[str, Any], key: str, where: str, path: Path, *, required: bool = False) -> str | None:
    if key not in table:
        if required:
            raise ConfigError(f"{where}: missing key {key!r}", path)
        return None
    value = table[key]
    if not isinstance(value, str):
        raise ConfigError(f"{where}.{key}: expected string, got {value!r}", path)
    if not value.strip():
        raise ConfigError(f"{where}.{key}: must not be empty", path)
    return value.strip()


def _unknown(table: dict[str, Any], known: set[str], where: str, path: Path) -> None:
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r} (known: {', '.join(sorted(known))})", path)


_WARNED: set[str] = set()
"""Warnings already given by this process: a clinic file is read by the planner and by each worker."""


def _phone(value: str | None, key: str, path: Path) -> str | None:
    """A phone number as written; a warning, with its line, when it holds letters (``1-800-GET-HELP``): many
    phones show no letters on their keypad, a screen reader spells the word, and a translation cannot adapt it."""
    if (
        value is not None
        and re.search(r"[^\W\d_]", value)
        and not re.fullmatch(r"[\d\s().+-]+(?:ext\.?|x)\s*\d+", value)
    ):
        line = None
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
            line = next((n for n, text in enumerate(lines, 1) if value in text), None)
        except (OSError, UnicodeDecodeError):
            pass
        message = (
            f"{path}{f':{line}' if line else ''}: {key}: the phone number {value!r} has letters: write it in digits"
            " (a patient dials digits, and a screen reader reads letters as a word); it is printed as written"
        )
        if message not in _WARNED:
            _WARNED.add(message)
            log.warning("%s", message)
    return value


def _web_address(value: str | None, key: str, path: Path) -> str | None:
    if value is not None and not re.match(r"https?://[^\s/]+\.[^\s]*\Z", value):
        raise ConfigError(f"{key}: expected an http:// or https:// address, got {value!r}", path)
    return value


def _contact(data: dict[str, Any], name: str, where: str, path: Path) -> Contact | None:
    if name not in data:
        return None
    table = data[name]
    key = f"{where}.{name}"
    if not isinstance(table, dict):
        raise ConfigError(f"{key}: expected table, got {table!r}", path)
    _unknown(table, _CONTACT_FIELDS, key, path)
    email = _string(table, "email", key, path)
    if email is not None and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        raise ConfigError(f"{key}.email: not an e-mail address: {email!r}", path)
    return Contact(
        _string(table, "name", key, path), _phone(_string(table, "phone", key, path), f"{key}.phone", path), email
    )


def _days(value: Any, key: str, path: Path) -> tuple[tuple[int, int], ...]:
    """``"mon-fri"``, ``"sat"``, ``"mon-wed, fri"`` as day ranges."""
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f'{key}: expected days such as "mon-fri" or "mon, wed", got {value!r}', path)
    ranges = []
    for part in value.lower().split(","):
        ends = [end.strip() for end in part.split("-")]
        if len(ends) > 2 or any(end not in DAYS for end in ends):
            raise ConfigError(f"{key}: unknown days {part.strip()!r} (days: {', '.join(DAYS)})", path)
        first, last = DAYS.index(ends[0]), DAYS.index(ends[-1])
        if last < first:
            raise ConfigError(f"{key}: {part.strip()!r} runs backwards", path)
        ranges.append((first, last))
    return tuple(ranges)


def _time(value: Any, key: str, path: Path) -> datetime.time:
    if not isinstance(value, str) or not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value):
        raise ConfigError(f'{key}: expected a 24-hour time such as "08:00", got {value!r}', path)
    return datetime.time.fromisoformat(value)


def _hours(data: dict[str, Any], where: str, path: Path) -> str | tuple[Hours, ...] | None:
    """``hours``: free text, or a list of ``{ days = "mon-fri", open = "08:00", close = "17:00" }``."""
    value = data.get("hours")
    if value is None or isinstance(value, str):
        return _string(data, "hours", where, path)
    if not isinstance(value, list) or not value:
        raise ConfigError(
            f'{where}.hours: expected a list such as [{{ days = "mon-fri", open = "08:00", close = "17:00" }}]'
            f" or text, got {value!r}",
            path,
        )
    hours = []
    for index, entry in enumerate(value):
        key = f"{where}.hours[{index}]"
        if not isinstance(entry, dict):
            raise ConfigError(f"{key}: expected table, got {entry!r}", path)
        _unknown(entry, {"days", "open", "close"}, key, path)
        for name in ("days", "open", "close"):
            if name not in entry:
                raise ConfigError(f"{key}: missing key {name!r}", path)
        opens, closes = _time(entry["open"], f"{key}.open", path), _time(entry["close"], f"{key}.close", path)
        if closes <= opens:
            raise ConfigError(f"{key}: closes ({entry['close']}) before it opens ({entry['open']})", path)
        hours.append(Hours(_days(entry["days"], f"{key}.days", path), opens, closes))
    return tuple(hours)


def _translations(data: dict[str, Any], where: str, path: Path) -> dict[str, dict[str, str]]:
    """``[translations.<lang>]`` tables of free-text fields."""
    table = data.get("translations", {})
    key = f"{where}.translations"
    if not isinstance(table, dict):
        raise ConfigError(f"{key}: expected table, got {table!r}", path)
    result: dict[str, dict[str, str]] = {}
    for language, fields in table.items():
        here = f"{key}.{language}"
        if not re.fullmatch(r"[a-z]{2,3}([_-][A-Za-z0-9]+)*", language):
            raise ConfigError(f"{here}: not a language code", path)
        if not isinstance(fields, dict):
            raise ConfigError(f"{here}: expected table, got {fields!r}", path)
        _unknown(fields, set(TRANSLATABLE), here, path)
        result[language.replace("-", "_")] = {name: str(_string(fields, name, here, path)) for name in fields}
    return result


def parse_clinic(data: dict[str, Any], root: Path, path: Path) -> Clinic:
    """Validate the table of a clinic file into a :class:`Clinic`; ``root`` is the project folder."""
    where = "clinic"
    _unknown(data, _FIELDS, where, path)
    coordinator = _contact(data, "trial_coordinator", where, path)
    country = _string(data, "country", where, path)
    if country is not None:
        country = country.upper()
        if country not in Locale("en").territories or not re.fullmatch(r"[A-Z]{2}", country):
            raise ConfigError(f"{where}.country: unknown ISO 3166 country code {data['country']!r}", path)
    logo = None
    logo_name = _string(data, "logo", where, path)
    if logo_name is not None:
        candidate = (root / logo_name).resolve()
        if Path(logo_name).is_absolute() or not candidate.is_relative_to(root.resolve()):
            raise ConfigError(f"{where}.logo: must be a path inside the project, got {logo_name!r}", path)
        if candidate.suffix.lower() not in LOGO_TYPES:
            raise ConfigError(f"{where}.logo: must be a PNG or JPEG file, got {logo_name!r}", path)
        if not candidate.is_file():
            raise ConfigError(f"{where}.logo: no such file {logo_name!r}", path)
        logo = candidate
    guide_url = _web_address(_string(data, "guide_url", where, path), f"{where}.guide_url", path)
    return Clinic(
        name=str(_string(data, "name", where, path, required=True)),
        phone=_phone(_string(data, "phone", where, path), f"{where}.phone", path),
        address=_string(data, "address", where, path),
        hours=_hours(data, where, path),
        website=_web_address(_string(data, "website", where, path), f"{where}.website", path),
        trial_coordinator=coordinator,
        navigator=_contact(data, "navigator", where, path),
        translations=_translations(data, where, path),
        logo=logo,
        country=country,
        guide_url=guide_url,
        path=path,
    )


def load_clinic(path: Path, root: Path) -> Clinic:
    """Read and validate a clinic file; ``root`` is the project folder the logo must be inside."""
    return parse_clinic(read_toml(path, "no such clinic file"), root, path)


def guide_address(clinic: Clinic | None, tag: str) -> str | None:
    """The full guide's address in language ``tag``, or None when the clinic configured none (never invented).

    ``{lang}`` in ``guide_url`` is replaced by the tag; otherwise ``guide_url`` is where the web edition's folder
    ``output/site/`` is published, and the address is that of the guide's page in it (``<url>/es/guide/``, as
    ``output/site/qr-targets.csv`` lists)."""
    if clinic is None or clinic.guide_url is None:
        return None
    if "{lang}" in clinic.guide_url:
        return clinic.guide_url.replace("{lang}", tag)
    return clinic.guide_url.rstrip("/") + f"/{tag}/guide/"


def guide_target(address: str) -> str:
    """What the full guide's ``address`` serves: ``pdf`` (the large-print guide) when it names a PDF file, ``web``
    (the web edition's page) otherwise; what ``qr-targets.csv`` tells staff to publish there."""
    path = re.sub(r"[?#].*", "", address)
    return "pdf" if path.lower().endswith(".pdf") else "web"


REGIONAL_ENGLISH = frozenset({"GB", "IE", "AU", "NZ", "ZA", "IN"})
"""Countries whose English CLDR formats differ from the US ones the ``en`` locale has (24-hour clock in GB, IE,
ZA and IN; day before month): an ``en`` product for a clinic there formats dates and times as ``en_GB`` etc.
Spelling is the source's own (the guide is written in US English); only formats follow the country."""


def formats_locale(locale: Locale, clinic: Clinic | None) -> Locale:
    """The Babel locale whose CLDR formats (dates, times) a product in ``locale`` uses for ``clinic``: ``en_GB``
    for English at a clinic in Great Britain (:data:`REGIONAL_ENGLISH`), the language's own otherwise."""
    country = clinic.country if clinic else None
    if locale.language == "en" and not locale.territory and country in REGIONAL_ENGLISH:
        return Locale("en", country)
    return locale


def format_hours(hours: tuple[Hours, ...], locale: Locale) -> list[tuple[str, str]]:
    """Opening hours in ``locale`` (CLDR through Babel): (days, times) per entry, such as ("lunes \u2013 viernes",
    "8:00\u201317:00"); 12- or 24-hour clock as the language's short time format has it."""
    names = get_day_names("wide", locale=locale)
    fallback = str(locale.interval_formats.get(None, "{0} \u2013 {1}"))
    skeleton = "hm" if "h" in str(locale.time_formats["short"].pattern) else "Hm"
    lines = []
    for entry in hours:
        days = [
            str(names[first]) if first == last else fallback.format(names[first], names[last])
            for first, last in entry.days
        ]
        times = format_interval(entry.opens, entry.closes, skeleton, locale=locale)
        lines.append((str(format_list(days, locale=locale)), str(times)))
    return lines

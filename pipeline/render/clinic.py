"""The clinic's details for the contact box: ``clinic.toml``, validated with key paths like the project config."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel import Locale

from pipeline.config import read_toml
from pipeline.errors import ConfigError

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


@dataclass(slots=True, frozen=True)
class Clinic:
    """A clinic whose details are printed on the handouts."""

    name: str
    """Name of the clinic."""
    phone: str | None = None
    """Main phone number as it should be printed."""
    address: str | None = None
    """Postal address; line breaks are kept."""
    hours: str | None = None
    """Opening hours as they should be printed."""
    website: str | None = None
    """http(s) address of the clinic's website."""
    trial_coordinator: Contact | None = None
    """The clinical-trial coordinator patients can ask."""
    logo: Path | None = None
    """PNG or JPEG logo, resolved inside the project."""
    country: str | None = None
    """ISO 3166 alpha-2 country; decides the paper size (US Letter or A4)."""
    guide_url: str | None = None
    """Where the full guide is published: an http(s) address with ``{lang}`` for the language tag, or the address
    of the published ``output/site/`` folder (see :func:`guide_address`). Without it the handout prints no QR code
    and no link."""
    path: Path | None = None
    """The clinic file, for messages."""


_FIELDS = {"name", "phone", "address", "hours", "website", "trial_coordinator", "logo", "country", "guide_url"}
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


def _web_address(value: str | None, key: str, path: Path) -> str | None:
    if value is not None and not re.match(r"https?://[^\s/]+\.[^\s]*\Z", value):
        raise ConfigError(f"{key}: expected an http:// or https:// address, got {value!r}", path)
    return value


def parse_clinic(data: dict[str, Any], root: Path, path: Path) -> Clinic:
    """Validate the table of a clinic file into a :class:`Clinic`; ``root`` is the project folder."""
    where = "clinic"
    _unknown(data, _FIELDS, where, path)
    coordinator = None
    if "trial_coordinator" in data:
        table = data["trial_coordinator"]
        key = f"{where}.trial_coordinator"
        if not isinstance(table, dict):
            raise ConfigError(f"{key}: expected table, got {table!r}", path)
        _unknown(table, _CONTACT_FIELDS, key, path)
        email = _string(table, "email", key, path)
        if email is not None and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
            raise ConfigError(f"{key}.email: not an e-mail address: {email!r}", path)
        coordinator = Contact(_string(table, "name", key, path), _string(table, "phone", key, path), email)
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
        phone=_string(data, "phone", where, path),
        address=_string(data, "address", where, path),
        hours=_string(data, "hours", where, path),
        website=_web_address(_string(data, "website", where, path), f"{where}.website", path),
        trial_coordinator=coordinator,
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

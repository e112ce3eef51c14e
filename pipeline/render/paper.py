"""Paper size from the clinic's country, after CLDR's ``measurementData/paperSize``."""

from __future__ import annotations

from dataclasses import dataclass

US_LETTER_TERRITORIES = frozenset({"BZ", "CA", "CL", "CO", "CR", "GT", "MX", "NI", "PA", "PH", "PR", "SV", "US", "VE"})
"""Territories where CLDR (supplementalData.xml, ``<paperSize type="US-Letter">``, CLDR 42 to 47) says US Letter;
A4 everywhere else (``territories="001"``). Babel ships no paper-size data, so the list is kept here."""

DEFAULT_COUNTRY = "US"
"""Country assumed when the clinic file names none."""


@dataclass(slots=True, frozen=True)
class Paper:
    """A sheet size."""

    name: str
    """CLDR name: ``US-Letter`` or ``A4``."""
    css: str
    """The CSS ``@page size`` keyword."""
    width_pt: float
    """Width in PostScript points: the contact box is measured alone on a page this wide (render/fit.py)."""


LETTER = Paper("US-Letter", "letter", 612.0)
A4 = Paper("A4", "A4", 595.276)


def paper_for_country(country: str | None) -> Paper:
    """US Letter where CLDR says so for ``country`` (ISO 3166 alpha-2), A4 elsewhere; None means the default country."""
    territory = (country or DEFAULT_COUNTRY).upper()
    return LETTER if territory in US_LETTER_TERRITORIES else A4

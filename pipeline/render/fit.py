"""The clinic's contact box fitted to any clinic file before the page is composed.

The box is laid out alone, at the product's text width and type size (:func:`measure_contact`): every line of it
must stay inside its border (web and e-mail addresses break at their dots, hyphens and ``@`` with an arrow, so only
a piece longer than the box can overflow), and its height and each detail's are known. The product then tries its
type sizes with the box as it is and, when the page budget needs it, ``compact`` (labels beside their values).
When no size fits, :func:`budget_message` says which clinic field is too wide or how much too tall the box is
for the room the page leaves it, and which details take that room: never "shorten the text" when the text is not
what overflows.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from weasyprint.formatting_structure import boxes

from pipeline.render.clinic import Clinic

MM = 96 / 25.4
"""CSS pixels (WeasyPrint's unit of layout) in a millimetre."""
TOLERANCE = 0.5
"""Rounding of WeasyPrint's positions, in CSS pixels: a line this little past its border does not cross it."""


@dataclass(slots=True, frozen=True)
class ContactFit:
    """How the contact box is set."""

    compact: bool = False
    """Labels beside their values (fewer lines), chosen only when the page budget needs it."""
    omit: bool = False
    """The summary's clinic strip left out: the last resort of a one-page summary whose text fills its page at
    its smallest size (logged as a warning; the handout's contact box is never left out)."""


@dataclass(slots=True, frozen=True)
class Overflow:
    """A line of the contact box that crosses its border."""

    key: str
    """The clinic-file key of the detail it belongs to (``clinic.trial_coordinator``), or ``contact box``."""
    text: str
    """The text that overflows."""
    excess: float
    """How far past the border it reaches, in CSS pixels."""


@dataclass(slots=True)
class ContactMeasure:
    """The contact box laid out alone."""

    height: float
    """Height of the box, border and margins included, in CSS pixels."""
    details: dict[str, float] = field(default_factory=dict)
    """Height of each detail in CSS pixels, by its clinic-file key."""
    overflows: list[Overflow] = field(default_factory=list)
    """Lines crossing the box's border."""


def _walk(box: Any, key: str) -> Iterator[tuple[Any, str]]:
    """Every box under ``box`` with the clinic-file key of the detail it is part of (``data-field``)."""
    element = getattr(box, "element", None)
    if element is not None and getattr(box, "element_tag", None) and element.get("data-field"):
        key = element.get("data-field")
    yield box, key
    for child in getattr(box, "children", []):
        yield from _walk(child, key)


def find_contact_box(page_box: Any) -> Any | None:
    """The ``aside.contact`` block box under ``page_box``, or None."""
    for box, _key in _walk(page_box, ""):
        element: Any = getattr(box, "element", None)
        if isinstance(box, boxes.BlockBox) and box.element_tag == "aside" and "contact" in (element.get("class") or ""):
            return box
    return None


def measure_box(contact: Any) -> ContactMeasure:
    """Height, details and overflowing lines of the laid-out contact box ``contact``."""
    left = contact.content_box_x()
    right = left + contact.width
    measure = ContactMeasure(contact.margin_height())
    for box, key in _walk(contact, "contact box"):
        if key != "contact box" and isinstance(box, boxes.BlockBox | boxes.FlexBox | boxes.BlockContainerBox):
            measure.details[key] = max(measure.details.get(key, 0.0), box.margin_height())
        if isinstance(box, boxes.TextBox) and box.text.strip():
            excess = max(left - box.position_x, box.position_x + box.width - right)
            if excess > TOLERANCE:
                measure.overflows.append(Overflow(key, box.text, excess))
    return measure


def measure_contact(document: Any) -> ContactMeasure | None:
    """The contact box of a laid-out ``document`` (the box alone, or a whole product), measured."""
    for page in document.pages:
        contact = find_contact_box(page._page_box)
        if contact is not None:
            return measure_box(contact)
    return None


def field_line(clinic: Clinic | None, key: str) -> int | None:
    """Line of the clinic file where ``key`` (``clinic.address``, ``clinic.navigator``) is written, if found."""
    if clinic is None or clinic.path is None or not clinic.path.is_file():
        return None
    name = key.removeprefix("clinic.")
    pattern = re.compile(rf"\s*(\[{re.escape(name)}\]|{re.escape(name)}\s*=)")
    for number, line in enumerate(clinic.path.read_text(encoding="utf-8").splitlines(), 1):
        if pattern.match(line):
            return number
    return None


def overflow_message(overflow: Overflow, size_pt: float) -> str:
    """``clinic.website: "www.a-very-long…" is 12 mm wider than the contact box at 14 pt``."""
    text = " ".join(overflow.text.split()).replace("\u00ad", "").replace("\u2060", "")
    shown = text if len(text) <= 40 else text[:39] + "\u2026"
    return (
        f"{overflow.key}: \u201c{shown}\u201d is {overflow.excess / MM:.0f} mm wider than the contact box at "
        f"{size_pt:g} pt, even broken at its dots, hyphens and @"
    )


def _page_bottom(page_box: Any) -> float:
    """Bottom of the page's content area, in CSS pixels from its top."""
    return float(page_box.content_box_y() + page_box.height)


def _used_bottom(page_box: Any) -> float:
    """Bottom of the last block the page's flow holds."""
    bottom = page_box.content_box_y()
    html = page_box.children[0] if page_box.children else None
    for box in getattr(html, "children", []):
        for child in getattr(box, "children", []):
            bottom = max(bottom, child.position_y + child.margin_height())
    return float(bottom)


def budget_message(document: Any, contact: ContactMeasure | None, max_pages: int, size_pt: float) -> str:
    """Why a laid-out handout does not keep its page budget, naming what overflows and by how much: the text alone
    (the translation), or the contact box with the details that make it tall."""
    pages = document.pages
    box_page = next((index for index, page in enumerate(pages) if find_contact_box(page._page_box) is not None), None)
    if contact is None or box_page is None:
        return f"{len(pages)} pages even at {size_pt:g} pt; it must fit {max_pages}"
    if box_page >= max_pages:
        last = pages[max_pages - 1]._page_box
        text_pages = box_page  # pages before the box holds the text
        left = _page_bottom(last) - _used_bottom(last)
        if text_pages > max_pages:
            return (
                f"the text alone takes more than {max_pages} pages at {size_pt:g} pt, before the contact box:"
                " shorten the text"
            )
        left = max(left, 0.0)
        return (
            f"the clinic's contact box is {contact.height / MM:.0f} mm tall at {size_pt:g} pt and page {max_pages}"
            f" has {left / MM:.0f} mm left under the text: {math.ceil((contact.height - left) / MM)} mm too tall; its"
            " tallest details: " + _tallest(contact) + "; shorten them in the clinic file or leave one out"
        )
    # The box fits its page, but what follows it (the version line) does not.
    last = pages[max_pages - 1]._page_box
    left = max(_page_bottom(last) - _used_bottom(last), 0.0)
    spill = sum(_used_bottom(page._page_box) - page._page_box.content_box_y() for page in pages[max_pages:])
    if box_page == max_pages - 1 and spill > 0:
        excess = math.ceil((spill - left) / MM)
        return (
            f"the contact box leaves {left / MM:.0f} mm at the foot of page {max_pages} at {size_pt:g} pt and the"
            f" version line after it needs {spill / MM:.0f} mm: the box is {excess} mm too tall;"
            f" its tallest details: {_tallest(contact)}; shorten them in the clinic file or leave one out"
        )
    return f"{len(pages)} pages even at {size_pt:g} pt, the contact box on page {box_page + 1}; it must fit {max_pages}"


def _tallest(contact: ContactMeasure) -> str:
    """The three tallest details of the box with their heights: ``clinic.address 12 mm, ...``."""
    tallest = sorted(contact.details.items(), key=lambda item: -item[1])[:3]
    return ", ".join(f"{key} {height / MM:.0f} mm" for key, height in tallest)

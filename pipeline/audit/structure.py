"""The logical structure tree of a tagged PDF, read without recursion so no file can exhaust the stack."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pikepdf

MAX_ELEMENTS = 200_000
"""More structure elements than this is not a print product; reading stops there."""


@dataclass(slots=True)
class Element:
    """A structure element (``/StructElem``)."""

    role: str
    """Standard role after the role map, without slash (``H1``, ``P``, ``LI``)."""
    page: int | None
    """1-based page of its ``/Pg`` (inherited from the parent when absent)."""
    alt: str | None = None
    """``/Alt`` text."""
    actual_text: str | None = None
    """``/ActualText``."""
    parent: Element | None = None
    """Parent element, None under the root."""
    kids: list[Element | tuple[int, int]] = field(default_factory=list)
    """Child elements and marked content as (page, MCID), in logical order."""

    def descendants(self) -> Iterator[Element]:
        """Every element below this one, depth first in logical order."""
        stack: list[Element] = [kid for kid in reversed(self.kids) if isinstance(kid, Element)]
        while stack:
            element = stack.pop()
            yield element
            stack.extend(kid for kid in reversed(element.kids) if isinstance(kid, Element))

    def ancestors(self) -> Iterator[Element]:
        """Parent, grandparent ... up to the top."""
        element = self.parent
        while element is not None:
            yield element
            element = element.parent


@dataclass(slots=True)
class StructureTree:
    """The tree under ``/StructTreeRoot`` and what reading it revealed."""

    top: list[Element] = field(default_factory=list)
    """Elements directly under the root."""
    references: set[tuple[int, int]] = field(default_factory=set)
    """Every (page, MCID) the tree points at."""
    problems: list[str] = field(default_factory=list)
    """Loops, dangling references, unreadable parts."""

    def elements(self) -> Iterator[Element]:
        """Every element in logical (reading) order."""
        for element in self.top:
            yield element
            yield from element.descendants()


def _text(value: Any) -> str | None:
    if isinstance(value, pikepdf.String):
        return str(value)
    return None


def read_structure(pdf: pikepdf.Pdf) -> StructureTree | None:
    """The structure tree of ``pdf``, or None when it has no ``/StructTreeRoot``."""
    root = pdf.Root.get("/StructTreeRoot")
    if not isinstance(root, pikepdf.Dictionary):
        return None
    tree = StructureTree()
    pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages, 1)}
    role_map = root.get("/RoleMap")
    roles: dict[str, str] = {}
    if isinstance(role_map, pikepdf.Dictionary):
        roles = {str(key).lstrip("/"): str(value).lstrip("/") for key, value in role_map.items()}

    def standard(role: str) -> str:
        seen = {role}
        while role in roles and roles[role] not in seen:
            role = roles[role]
            seen.add(role)
        return role

    def page_of(node: pikepdf.Dictionary, inherited: int | None) -> int | None:
        page = node.get("/Pg")
        if isinstance(page, pikepdf.Dictionary) and page.is_indirect:
            return pages.get(page.objgen, inherited)
        return inherited

    visited: set[tuple[int, int]] = set()
    count = 0
    # Each stack item: (kid object, parent element or None, inherited page, where to append).
    stack: list[tuple[Any, Element | None, int | None, list[Any]]] = []
    kids = root.get("/K")
    items = list(kids) if isinstance(kids, pikepdf.Array) else ([kids] if kids is not None else [])
    for item in reversed(items):
        stack.append((item, None, None, tree.top))
    while stack:
        node, parent, page, siblings = stack.pop()
        if isinstance(node, int) and not isinstance(node, bool):
            mcid = node
            if page is None:
                tree.problems.append(f"marked content {mcid} has no page")
                continue
            siblings.append((page, mcid))
            tree.references.add((page, mcid))
            continue
        if not isinstance(node, pikepdf.Dictionary):
            continue
        kind = str(node.get("/Type", ""))
        if kind == "/MCR":
            mcid_value = node.get("/MCID")
            mcr_page = page_of(node, page)
            if mcid_value is not None and mcr_page is not None:
                siblings.append((mcr_page, int(mcid_value)))
                tree.references.add((mcr_page, int(mcid_value)))
            continue
        if kind == "/OBJR" or "/S" not in node:
            continue
        if node.is_indirect:
            if node.objgen in visited:
                tree.problems.append(f"structure element {node.objgen[0]} appears twice (a loop or shared element)")
                continue
            visited.add(node.objgen)
        count += 1
        if count > MAX_ELEMENTS:
            tree.problems.append(f"more than {MAX_ELEMENTS} structure elements; the rest was not read")
            break
        element = Element(
            role=standard(str(node.get("/S")).lstrip("/")),
            page=page_of(node, page),
            alt=_text(node.get("/Alt")),
            actual_text=_text(node.get("/ActualText")),
            parent=parent,
        )
        siblings.append(element)
        children = node.get("/K")
        items = list(children) if isinstance(children, pikepdf.Array) else ([children] if children is not None else [])
        for item in reversed(items):
            stack.append((item, element, element.page, element.kids))
    return tree

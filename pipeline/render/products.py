"""The print products: what each one is made from and the rules its layout must keep."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True, frozen=True)
class Product:
    """One kind of print product made from one document of the project."""

    name: str
    """Product name used in file names, such as ``large-print``."""
    document: str
    """The document (gettext domain) it is made from: ``guide`` for ``source/guide.md``."""
    template: str
    """Jinja2 template in ``layouts/``."""
    stylesheet: str
    """Product stylesheet in ``layouts/``, after ``base.css``."""
    font_sizes_pt: tuple[float, ...]
    """Body type sizes to try, largest first; the last is the minimum the product may use."""
    line_heights: tuple[float, ...] = (1.5,)
    """Line heights to try at each size, loosest first."""
    max_pages: int | None = None
    """Page budget (a handout is one sheet printed on both sides), or None for no limit."""
    contents: bool = False
    """Whether the product starts with a table of contents."""
    contact_box: bool = False
    """Whether the product carries the clinic's contact box."""
    guide_link: bool = False
    """Whether the product carries the QR code and printed link to the full guide."""
    running_head: bool = True
    """Whether pages carry the title as running head and "Page N of M"."""

    @property
    def min_font_pt(self) -> float:
        """Smallest body size the product is ever set in."""
        return self.font_sizes_pt[-1]

    def file_stem(self, draft: bool) -> str:
        """``guide-large-print``, or ``handout`` when document and product share a name; ``-draft`` appended
        for drafts, so a draft never takes the final name."""
        stem = self.name if self.name == self.document else f"{self.document}-{self.name}"
        return stem + ("-draft" if draft else "")


def default_products() -> list[Product]:
    """The products Plainleaf makes for every language: large-print guide, handout and summary."""
    return [
        Product(
            name="large-print",
            document="guide",
            template="large-print.html.j2",
            stylesheet="large-print.css",
            font_sizes_pt=(18.0,),
            line_heights=(1.5,),
            contents=True,
        ),
        Product(
            name="handout",
            document="handout",
            template="handout.html.j2",
            stylesheet="handout.css",
            font_sizes_pt=(16.0, 15.0, 14.0),
            line_heights=(1.5, 1.4, 1.3),
            max_pages=2,
            contact_box=True,
            guide_link=True,
        ),
        Product(
            name="summary",
            document="summary",
            template="summary.html.j2",
            stylesheet="summary.css",
            font_sizes_pt=(18.0, 17.0, 16.0),
            line_heights=(1.5, 1.4, 1.3, 1.25, 1.2),
            max_pages=1,
            running_head=False,
        ),
    ]

"""The products: what each one is made from and the rules its layout must keep. Print products are PDFs; the
alternative formats (web page, EPUB 3, braille) come from the same translated document (see ``format``)."""

from __future__ import annotations

from dataclasses import dataclass

FORMATS = ("pdf", "web", "epub", "braille")
"""What a product is made as: a print PDF (with its HTML), a static web page, an EPUB 3 book, or braille (BRF)."""
ALTERNATIVE_DOCUMENTS = ("guide", "handout", "summary")
"""Documents every alternative format is made from (and the documents named after them, as for print)."""


@dataclass(slots=True, frozen=True)
class Product:
    """One kind of product made from one document of the project."""

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
    format: str = "pdf"
    """One of :data:`FORMATS`: the generator that makes it and the files it writes (``output.output_files``)."""
    purpose: str = ""
    """What the product is for and whom to give it to, in a sentence or two, for the people who hand it out (the
    index)."""
    label: str = ""
    """The product's name as clinic staff say it (``Large-print guide``, ``Braille (BRF)``), for the index; the
    file stem when empty."""
    title: str = ""
    """The document's own title (front matter ``title``, else its first heading), for the desk; filled in by the
    planner."""
    audience: str = ""
    """Whom to give it to, as the document declares (``audience``), for the desk; empty when not said."""
    alternates: tuple[tuple[str, str], ...] = ()
    """Web pages: ``(locale code, page in the site folder)`` of each language whose page of the same document the
    build makes, linked as other languages (filled in by the planner; empty lists only the page's own language)."""

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
    """The products Plainleaf makes for every language: large-print guide, handout and summary, and each
    document's web page, EPUB and braille editions."""
    return [
        Product(
            name="large-print",
            document="guide",
            template="large-print.html.j2",
            stylesheet="large-print.css",
            font_sizes_pt=(18.0,),
            line_heights=(1.5,),
            contents=True,
            label="Large-print guide",
            purpose="The whole guide in 18 pt type, with contents. Give it to every patient joining the trial, "
            "and to anyone who asks for large print.",
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
            label="Two-sided handout",
            purpose="One sheet to take home: the key points, questions to ask and whom to call. Give it at the "
            "first visit; its QR code leads to the full guide.",
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
            label="One-page summary",
            purpose="The key points on one page. Give it to a patient who wants only the essentials, or to family "
            "and carers.",
        ),
        *alternative_products(),
    ]


def alternative_products() -> list[Product]:
    """The alternative formats clinics must offer on request, each for every document of
    :data:`ALTERNATIVE_DOCUMENTS`: a web page for screen readers and phones, an EPUB 3 book, braille for an
    embosser. None has a page budget or a type size: the reader's device sets them."""
    purposes = {
        "web": (
            "Web page",
            "For phones and screen readers; the handout's QR code leads here (upload site/). Give "
            "the link to a patient who reads on screen or listens with a screen reader.",
        ),
        "epub": (
            "EPUB e-book",
            "For reading apps and refreshable braille displays. Send it to a patient who asks "
            "for an e-book or reads on a braille display.",
        ),
        "braille": (
            "Braille (BRF)",
            "For the clinic's braille embosser; the Unicode braille text is the same pages "
            "to check on screen. Give the embossed copy to a patient who reads braille.",
        ),
    }
    return [
        Product(
            name=name, document=document, template="web.html.j2", stylesheet="web.css", font_sizes_pt=(12.0,),
            contents=True, running_head=False, format=name, label=label, purpose=purpose,
        )
        for document in ALTERNATIVE_DOCUMENTS
        for name, (label, purpose) in purposes.items()
    ]  # fmt: skip

"""The products: what each one is made from and the rules its layout must keep. Print products are PDFs; the
alternative formats (web page, EPUB 3, braille) come from the same translated document (see ``format``)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.config import Config
from pipeline.errors import ConfigError
from pipeline.formats import default_formats

CLINIC_DOCUMENTS = ("handout", "summary")
"""Documents whose every product carries the clinic's details when there is a clinic file: the print handout's
contact box, the print summary's strip, and a text section in their web page, EPUB and braille."""
CONTACT_TEXT = "contact-text.html.j2"
"""The clinic's details as text, for the formats without a contact box."""


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
    """A format of :func:`pipeline.formats.default_formats`: the generator that makes it, the files it writes,
    its page unit and its audit."""
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
    def carries_clinic(self) -> bool:
        """Whether the product prints the clinic's details when there is a clinic file: in a contact box, or as the
        summary's strip and the text section of a clinic document's other formats (:data:`CLINIC_DOCUMENTS`)."""
        return self.contact_box or self.document in CLINIC_DOCUMENTS

    @property
    def min_font_pt(self) -> float:
        """Smallest body size the product is ever set in."""
        return self.font_sizes_pt[-1]

    def file_stem(self, draft: bool) -> str:
        """``guide-large-print``, or ``handout`` when document and product share a name; ``-draft`` appended
        for drafts, so a draft never takes the final name."""
        stem = self.name if self.name == self.document else f"{self.document}-{self.name}"
        return stem + ("-draft" if draft else "")


PRINT_KINDS = ("large-print", "handout", "summary")
"""The print products, in the order the desk lists them."""
ALTERNATIVE_KINDS = ("web", "epub", "braille")
"""The alternative formats clinics must offer on request."""
DEFAULT_KINDS = ("large-print", *ALTERNATIVE_KINDS)
"""What a document that declares nothing is made as: large print, web page, EPUB and braille."""
CONVENTIONAL_KINDS = {"guide": "large-print", "handout": "handout", "summary": "summary"}
"""The print product a document declaring nothing gets from its name (``handout.md``, ``summary-clinic-b.md``),
as projects were laid out before documents declared their products; large print for any other name."""
PRODUCTS_KEY = "products"
"""Front matter (and ``[tool.plainleaf.documents.<name>]``) key listing a document's products."""


def product_kinds() -> dict[str, Product]:
    """Every product Plainleaf can make of a document, by name, each with the rules its layout must keep (the
    document is filled in for each document that declares it: :func:`declared_products`)."""
    large_print = Product(
        name="large-print", document="", template="large-print.html.j2", stylesheet="large-print.css",
        font_sizes_pt=(18.0,), line_heights=(1.5,), contents=True, label="Large print",
        purpose="The whole document in 18 pt type, with contents, for anyone who asks for large print.",
    )  # fmt: skip
    handout = Product(
        name="handout", document="", template="handout.html.j2", stylesheet="handout.css",
        font_sizes_pt=(16.0, 15.0, 14.0), line_heights=(1.5, 1.4, 1.3), max_pages=2, contact_box=True,
        guide_link=True, label="Two-sided handout",
        purpose="One sheet to take home: the key points, questions to ask and whom to call. Give it at the first "
        "visit; its QR code leads to the full guide.",
    )  # fmt: skip
    summary = Product(
        name="summary", document="", template="summary.html.j2", stylesheet="summary.css",
        font_sizes_pt=(18.0, 17.0, 16.0), line_heights=(1.5, 1.4, 1.3, 1.25, 1.2), max_pages=1, running_head=False,
        label="One-page summary",
        purpose="The key points on one page. Give it to a patient who wants only the essentials, or to family and "
        "carers.",
    )  # fmt: skip
    return {product.name: product for product in (large_print, handout, summary, *alternative_products(""))}


def products_of(document: str, kinds: Sequence[str], title: str = "", declaration: Any = None) -> list[Product]:
    """The products of one document: each kind named, made of ``document``, with its title, and the purpose and
    audience the document declares (its purpose first, then what the product's form is for)."""
    available = product_kinds()
    products = []
    for kind in kinds:
        product = available[kind]
        purpose = product.purpose
        if declaration is not None and declaration.purpose:
            purpose = f"{declaration.purpose} {purpose}"
        audience = declaration.audience if declaration is not None and declaration.audience else ""
        label = "Large-print guide" if kind == "large-print" and document == "guide" else product.label
        products.append(
            dataclasses.replace(
                product, document=document, title=title, purpose=purpose, audience=audience or "", label=label
            )
        )
    return products


def default_kinds(document: str) -> tuple[str, ...]:
    """The products of a document that declares none: :data:`DEFAULT_KINDS`, its print product named by
    :data:`CONVENTIONAL_KINDS` when its name starts with one of them."""
    for prefix, kind in CONVENTIONAL_KINDS.items():
        if document == prefix or document.startswith(f"{prefix}-"):
            return (kind, *ALTERNATIVE_KINDS)
    return DEFAULT_KINDS


def default_products() -> list[Product]:
    """The shipped documents' products: large-print guide, handout and summary, and each document's web page, EPUB
    and braille editions (what :func:`default_kinds` gives ``guide``, ``handout`` and ``summary``)."""
    products = []
    for document in CONVENTIONAL_KINDS:
        products += products_of(document, default_kinds(document)[:1])
    for document in CONVENTIONAL_KINDS:
        products += products_of(document, ALTERNATIVE_KINDS)
    return products


def alternative_products(document: str) -> list[Product]:
    """The alternative formats of ``document``: every format of the registry that is not print (a web page for
    screen readers and phones, an EPUB 3 book, braille for an embosser), named, labelled and explained as the
    registry says. None has a page budget or a type size: the reader's device sets them."""
    formats = [entry for entry in default_formats().values() if not entry.print]
    return [
        Product(
            name=entry.name, document=document, template="web.html.j2", stylesheet="web.css", font_sizes_pt=(12.0,),
            contents=True, running_head=False, format=entry.name, label=entry.label, purpose=entry.purpose,
        )
        for entry in formats
    ]  # fmt: skip


def declared_products(config: Config, documents: Sequence[Path]) -> tuple[list[Product], list[str]]:
    """Every product of the project's documents as each declares them (front matter ``products``, ``purpose``,
    ``audience``; ``[tool.plainleaf.documents.<name>]`` over it, key by key; :func:`default_kinds` when neither
    says), print products first; and a warning for each document that yields no product. Errors name the file and
    line, or the key."""
    from pipeline.config import DocumentDeclaration, declaration
    from pipeline.document import read_heading_and_front_matter

    known = product_kinds()
    products: list[Product] = []
    warnings = []
    for path in documents:
        front, heading = read_heading_and_front_matter(path)
        declared = {key: front[key] for key in (PRODUCTS_KEY, "purpose", "audience") if key in front}
        line = _front_matter_line(path, next(iter(declared))) if declared else None
        own = declaration(declared, "front matter", path, line) if declared else DocumentDeclaration()
        configured = config.declarations.get(path.stem, DocumentDeclaration())
        merged = DocumentDeclaration(
            configured.products if configured.products is not None else own.products,
            configured.purpose or own.purpose, configured.audience or own.audience, own.line,
        )  # fmt: skip
        where = f"tool.plainleaf.documents.{path.stem}" if configured.products is not None else "front matter"
        for name in merged.products or ():
            if name not in known:
                raise ConfigError(
                    f"{where}: unknown product {name!r} (known: {', '.join(known)})",
                    path if configured.products is None else config.root / "pyproject.toml",
                    merged.line if configured.products is None else None,
                )
        kinds = default_kinds(path.stem) if merged.products is None else merged.products
        if not kinds:
            warnings.append(f"{path}: declares no product (products: []): nothing is built or listed for it")
        title = str(front.get("title") or "").strip() or re.sub(r"[*_`\\]", "", heading or "") or path.stem
        products += products_of(path.stem, [k for k in known if k in kinds], title, merged)
    order = list(known)
    products.sort(key=lambda product: order.index(product.name) >= len(PRINT_KINDS))
    return products, warnings


def _front_matter_line(path: Path, key: str) -> int | None:
    """The line of ``key:`` in a document's front matter, for messages."""
    try:
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if text.startswith(f"{key}:"):
                return number
    except (OSError, UnicodeDecodeError):
        pass
    return None

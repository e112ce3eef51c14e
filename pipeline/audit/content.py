"""Page content as drawn: text runs with their size, colour, font and tag, and the filled areas beneath them.

A small interpreter of PDF content streams (ISO 32000-1, sections 8 and 9): it follows the graphics state
(``q``/``Q``, ``cm``, colours, ``gs`` alpha), text state and matrices, marked content (``BDC``/``EMC``), filled
paths and form XObjects, and measures every shown string in page space. It draws nothing and trusts nothing:
malformed operands are skipped and counted, never raised.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pikepdf

from pipeline.audit.fonts import PdfFont, read_font

Matrix = tuple[float, float, float, float, float, float]
"""A PDF transformation matrix ``[a b c d e f]``."""
Colour = tuple[float, float, float]
"""sRGB components 0..1."""
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_MAX_FORM_DEPTH = 12


def multiply(first: Matrix, second: Matrix) -> Matrix:
    """``first`` then ``second`` (PDF's row-vector convention: ``first x second``)."""
    a1, b1, c1, d1, e1, f1 = first
    a2, b2, c2, d2, e2, f2 = second
    return (
        a1 * a2 + b1 * c2,
        a1 * b2 + b1 * d2,
        c1 * a2 + d1 * c2,
        c1 * b2 + d1 * d2,
        e1 * a2 + f1 * c2 + e2,
        e1 * b2 + f1 * d2 + f2,
    )


def apply(matrix: Matrix, x: float, y: float) -> tuple[float, float]:
    """The point ``(x, y)`` transformed by ``matrix``."""
    a, b, c, d, e, f = matrix
    return a * x + c * y + e, b * x + d * y + f


@dataclass(slots=True, frozen=True)
class Marked:
    """One level of marked content around a drawing."""

    tag: str
    """Tag name without slash (``Span``, ``Artifact``, ``P``)."""
    mcid: int | None
    """Marked-content id linking it to the structure tree, if any."""


@dataclass(slots=True)
class TextRun:
    """One shown string (``Tj``, ``TJ``, ``'`` or ``"``) as it lands on the page."""

    order: int
    """Paint order on the page."""
    text: str
    """Its Unicode text (from the font's ToUnicode map), in drawing order."""
    font: PdfFont
    """The font it is set in."""
    size_pt: float
    """Em size on the page in points: font size x text and current matrices' vertical scale."""
    skew_degrees: float
    """How far the glyph axes lean from upright (synthetic oblique when not 0)."""
    colour: Colour | None
    """Fill (or stroke, for stroked text) colour; None when the colour space is not understood."""
    alpha: float
    """Constant alpha of that colour."""
    visible: bool
    """False for invisible (``Tr 3``, ``7``) text."""
    marked: tuple[Marked, ...]
    """Marked-content levels around it, outermost first."""
    samples: tuple[tuple[float, float], ...]
    """Points in page space inside the glyphs' x-height band, for background look-up."""
    baseline: tuple[float, float]
    """Origin of the first glyph in page space."""
    missing: tuple[str, ...] = ()
    """Text of glyphs drawn with the missing glyph (``?`` when a code has no text)."""
    unmapped: int = 0
    """Glyphs with no Unicode text."""

    @property
    def artifact(self) -> bool:
        """Inside ``/Artifact`` marked content."""
        return any(level.tag == "Artifact" for level in self.marked)

    @property
    def mcid(self) -> int | None:
        """Innermost marked-content id, None outside tagged content."""
        for level in reversed(self.marked):
            if level.mcid is not None:
                return level.mcid
        return None


@dataclass(slots=True)
class Fill:
    """A filled path: rectangles (or the bounding boxes of other shapes) in page space."""

    order: int
    """Paint order on the page."""
    rectangles: list[tuple[float, float, float, float, int]]
    """``(x0, y0, x1, y1, winding)``; winding +1 or -1 by the rectangle's direction."""
    even_odd: bool
    """Even-odd fill rule (``f*``, ``B*``)."""
    colour: Colour | None
    """Fill colour, None when not understood (pattern, shading)."""
    alpha: float
    """Constant alpha."""

    def covers(self, x: float, y: float) -> bool:
        """Whether the point is painted by this fill."""
        count = winding = 0
        for x0, y0, x1, y1, direction in self.rectangles:
            if x0 <= x <= x1 and y0 <= y <= y1:
                count += 1
                winding += direction
        return count % 2 == 1 if self.even_odd else winding != 0


@dataclass(slots=True)
class Picture:
    """An image drawn on the page (its bounding box), which makes the colour beneath text unknown."""

    order: int
    """Paint order on the page."""
    box: tuple[float, float, float, float]
    """``(x0, y0, x1, y1)`` in page space."""
    marked: tuple[Marked, ...]
    """Marked-content levels around it."""

    def covers(self, x: float, y: float) -> bool:
        """Whether the point lies on the image."""
        return self.box[0] <= x <= self.box[2] and self.box[1] <= y <= self.box[3]


@dataclass(slots=True)
class PageContent:
    """Everything drawn on one page."""

    number: int
    """1-based page number."""
    width: float
    """Media box width in points."""
    height: float
    """Media box height in points."""
    runs: list[TextRun] = field(default_factory=list)
    """Shown strings in paint order."""
    fills: list[Fill] = field(default_factory=list)
    """Filled paths in paint order."""
    pictures: list[Picture] = field(default_factory=list)
    """Images in paint order."""
    mcids: dict[int, list[str]] = field(default_factory=dict)
    """Marked-content id to the texts drawn inside it, in order."""
    problems: list[str] = field(default_factory=list)
    """What could not be interpreted (malformed operands, unknown fonts)."""


@dataclass(slots=True)
class _State:
    ctm: Matrix = IDENTITY
    fill: Colour | None = (0.0, 0.0, 0.0)
    stroke: Colour | None = (0.0, 0.0, 0.0)
    fill_space: str = "/DeviceGray"
    stroke_space: str = "/DeviceGray"
    fill_alpha: float = 1.0
    stroke_alpha: float = 1.0
    font: PdfFont | None = None
    font_size: float = 0.0
    char_spacing: float = 0.0
    word_spacing: float = 0.0
    horizontal_scale: float = 1.0
    leading: float = 0.0
    rise: float = 0.0
    render_mode: int = 0


def _colour(space: str, components: Sequence[float]) -> Colour | None:
    values = [min(max(v, 0.0), 1.0) for v in components]
    if space in ("/DeviceGray", "/CalGray", "gray") and len(values) == 1:
        return (values[0], values[0], values[0])
    if space in ("/DeviceRGB", "/CalRGB", "rgb") and len(values) == 3:
        return (values[0], values[1], values[2])
    if space in ("/DeviceCMYK", "cmyk") and len(values) == 4:
        c, m, y, k = values
        return ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
    return None


def _space_kind(name: str, resources: pikepdf.Dictionary) -> str:
    """The device family of a colour space name: a device space, ``gray``/``rgb``/``cmyk`` for ICC, or unknown."""
    if name in ("/DeviceGray", "/DeviceRGB", "/DeviceCMYK", "/CalRGB", "/CalGray", "/Pattern"):
        return name
    spaces = resources.get("/ColorSpace")
    value = spaces.get(name) if isinstance(spaces, pikepdf.Dictionary) else None
    if isinstance(value, pikepdf.Array) and len(value) >= 2 and str(value[0]) == "/ICCBased":
        stream = value[1]
        components = int(stream.get("/N", 0)) if isinstance(stream, pikepdf.Stream) else 0
        return {1: "gray", 3: "rgb", 4: "cmyk"}.get(components, name)
    if isinstance(value, pikepdf.Array) and len(value) >= 1 and str(value[0]) in ("/CalRGB", "/CalGray"):
        return str(value[0])
    if isinstance(value, pikepdf.Name):
        return str(value)
    return name


def _numbers(operands: Sequence[Any]) -> list[float] | None:
    try:
        return [float(value) for value in operands]
    except (TypeError, ValueError):
        return None


class _Interpreter:
    """Walks one page's content (and the forms it draws) and fills a :class:`PageContent`."""

    def __init__(self, page: PageContent, fonts: dict[tuple[int, int], PdfFont]) -> None:
        self.page = page
        self.fonts = fonts
        self.order = 0
        self.marked: list[Marked] = []
        self.forms: list[tuple[int, int]] = []

    def _font(self, resources: pikepdf.Dictionary, name: str) -> PdfFont | None:
        table = resources.get("/Font")
        font = table.get(name) if isinstance(table, pikepdf.Dictionary) else None
        if not isinstance(font, pikepdf.Dictionary):
            self.page.problems.append(f"font {name} is not in the page resources")
            return None
        key = font.objgen if font.is_indirect else (id(font), -1)
        if key not in self.fonts:
            self.fonts[key] = read_font(font)
        return self.fonts[key]

    def _next(self) -> int:
        self.order += 1
        return self.order

    def run(self, content: Any, resources: pikepdf.Dictionary, state: _State) -> None:
        """Interpret ``content`` (a page or a form stream) with ``resources`` from ``state``."""
        try:
            instructions = pikepdf.parse_content_stream(content)
        except pikepdf.PdfError as exc:
            self.page.problems.append(f"content stream cannot be parsed: {exc}")
            return
        stack: list[_State] = []
        text_matrix = line_matrix = IDENTITY
        subpaths: list[tuple[float, float, float, float, int] | None] = []
        current: list[tuple[float, float]] = []
        marked_depth = len(self.marked)

        def close_subpath() -> None:
            if current:
                xs = [p[0] for p in current]
                ys = [p[1] for p in current]
                subpaths.append((min(xs), min(ys), max(xs), max(ys), 0))
                current.clear()

        for instruction in instructions:
            if isinstance(instruction, pikepdf.ContentStreamInlineImage):
                self._picture(state.ctm)
                continue
            operator = str(instruction.operator)
            operands = list(instruction.operands)
            try:
                if operator == "q":
                    stack.append(replace(state))
                elif operator == "Q":
                    if stack:
                        state = stack.pop()
                elif operator == "cm":
                    values = _numbers(operands)
                    if values and len(values) == 6:
                        state.ctm = multiply(tuple(values), state.ctm)  # type: ignore[arg-type]
                elif operator in ("g", "rg", "k"):
                    state.fill_space = {"g": "/DeviceGray", "rg": "/DeviceRGB", "k": "/DeviceCMYK"}[operator]
                    state.fill = _colour(state.fill_space, _numbers(operands) or [])
                elif operator in ("G", "RG", "K"):
                    state.stroke_space = {"G": "/DeviceGray", "RG": "/DeviceRGB", "K": "/DeviceCMYK"}[operator]
                    state.stroke = _colour(state.stroke_space, _numbers(operands) or [])
                elif operator == "cs":
                    state.fill_space = _space_kind(str(operands[0]), resources)
                    state.fill = (0.0, 0.0, 0.0) if state.fill_space != "/Pattern" else None
                elif operator == "CS":
                    state.stroke_space = _space_kind(str(operands[0]), resources)
                    state.stroke = (0.0, 0.0, 0.0) if state.stroke_space != "/Pattern" else None
                elif operator in ("sc", "scn"):
                    state.fill = _colour(state.fill_space, _numbers(operands) or [])
                elif operator in ("SC", "SCN"):
                    state.stroke = _colour(state.stroke_space, _numbers(operands) or [])
                elif operator == "gs":
                    self._graphics_state(resources, str(operands[0]), state)
                elif operator == "m":
                    close_subpath()
                    x, y = (float(v) for v in operands)
                    current.append(apply(state.ctm, x, y))
                elif operator in ("l", "c", "v", "y"):
                    values = [float(v) for v in operands]
                    for index in range(0, len(values) - 1, 2):
                        current.append(apply(state.ctm, values[index], values[index + 1]))
                elif operator == "h":
                    close_subpath()
                elif operator == "re":
                    close_subpath()
                    x, y, width, height = (float(v) for v in operands)
                    corners = [apply(state.ctm, x + dx, y + dy) for dx in (0, width) for dy in (0, height)]
                    xs, ys = [p[0] for p in corners], [p[1] for p in corners]
                    a, b, c, d = state.ctm[:4]
                    direction = 1 if (width * height) * (a * d - b * c) >= 0 else -1
                    subpaths.append((min(xs), min(ys), max(xs), max(ys), direction))
                elif operator in ("f", "F", "f*", "B", "B*", "b", "b*"):
                    close_subpath()
                    rectangles = [
                        (x0, y0, x1, y1, direction or 1) for x0, y0, x1, y1, direction in filter(None, subpaths)
                    ]
                    if rectangles:
                        self.page.fills.append(
                            Fill(self._next(), rectangles, "*" in operator, state.fill, state.fill_alpha)
                        )
                    subpaths.clear()
                elif operator in ("n", "S", "s"):
                    subpaths.clear()
                    current.clear()
                elif operator == "BT":
                    text_matrix = line_matrix = IDENTITY
                elif operator == "Tf":
                    state.font = self._font(resources, str(operands[0]))
                    state.font_size = float(operands[1])
                elif operator == "Tc":
                    state.char_spacing = float(operands[0])
                elif operator == "Tw":
                    state.word_spacing = float(operands[0])
                elif operator == "Tz":
                    state.horizontal_scale = float(operands[0]) / 100
                elif operator == "TL":
                    state.leading = float(operands[0])
                elif operator == "Ts":
                    state.rise = float(operands[0])
                elif operator == "Tr":
                    state.render_mode = int(operands[0])
                elif operator == "Td":
                    tx, ty = (float(v) for v in operands)
                    text_matrix = line_matrix = multiply((1, 0, 0, 1, tx, ty), line_matrix)
                elif operator == "TD":
                    tx, ty = (float(v) for v in operands)
                    state.leading = -ty
                    text_matrix = line_matrix = multiply((1, 0, 0, 1, tx, ty), line_matrix)
                elif operator == "Tm":
                    values = _numbers(operands)
                    if values and len(values) == 6:
                        text_matrix = line_matrix = tuple(values)  # type: ignore[assignment]
                elif operator == "T*":
                    text_matrix = line_matrix = multiply((1, 0, 0, 1, 0, -state.leading), line_matrix)
                elif operator in ("Tj", "TJ", "'", '"'):
                    if operator in ("'", '"'):
                        if operator == '"':
                            state.word_spacing, state.char_spacing = float(operands[0]), float(operands[1])
                        text_matrix = line_matrix = multiply((1, 0, 0, 1, 0, -state.leading), line_matrix)
                    shown = operands[-1]
                    parts = list(shown) if isinstance(shown, pikepdf.Array) else [shown]
                    text_matrix = self._show(parts, state, text_matrix)
                elif operator in ("BMC", "BDC"):
                    level = self._marked(operands, resources)
                    self.marked.append(level)
                    if level.mcid is not None and not any(m.tag == "Artifact" for m in self.marked):
                        self.page.mcids.setdefault(level.mcid, [])
                elif operator == "EMC":
                    if len(self.marked) > marked_depth:
                        self.marked.pop()
                elif operator == "Do":
                    self._xobject(resources, str(operands[0]), state)
            except (ValueError, TypeError, IndexError, pikepdf.PdfError) as exc:
                self.page.problems.append(f"operator {operator} with operands {list(operands)!r}: {exc}")
        del self.marked[marked_depth:]

    def _graphics_state(self, resources: pikepdf.Dictionary, name: str, state: _State) -> None:
        table = resources.get("/ExtGState")
        values = table.get(name) if isinstance(table, pikepdf.Dictionary) else None
        if not isinstance(values, pikepdf.Dictionary):
            return
        if "/ca" in values:
            state.fill_alpha = float(values["/ca"])
        if "/CA" in values:
            state.stroke_alpha = float(values["/CA"])
        font = values.get("/Font")
        if isinstance(font, pikepdf.Array) and len(font) == 2 and isinstance(font[0], pikepdf.Dictionary):
            state.font = read_font(font[0])
            state.font_size = float(font[1])

    def _marked(self, operands: Sequence[Any], resources: pikepdf.Dictionary) -> Marked:
        tag = str(operands[0]).lstrip("/") if operands else ""
        mcid = None
        if len(operands) > 1:
            properties = operands[1]
            if isinstance(properties, pikepdf.Name):
                table = resources.get("/Properties")
                properties = table.get(str(properties)) if isinstance(table, pikepdf.Dictionary) else None
            if isinstance(properties, pikepdf.Dictionary) and "/MCID" in properties:
                try:
                    mcid = int(properties["/MCID"])
                except (TypeError, ValueError):
                    mcid = None
        return Marked(tag, mcid)

    def _picture(self, ctm: Matrix) -> None:
        corners = [apply(ctm, x, y) for x in (0, 1) for y in (0, 1)]
        xs, ys = [p[0] for p in corners], [p[1] for p in corners]
        self.page.pictures.append(Picture(self._next(), (min(xs), min(ys), max(xs), max(ys)), tuple(self.marked)))

    def _xobject(self, resources: pikepdf.Dictionary, name: str, state: _State) -> None:
        table = resources.get("/XObject")
        xobject = table.get(name) if isinstance(table, pikepdf.Dictionary) else None
        if not isinstance(xobject, pikepdf.Stream):
            return
        subtype = str(xobject.get("/Subtype", ""))
        if subtype == "/Image":
            self._picture(state.ctm)
            return
        if subtype != "/Form":
            return
        key = xobject.objgen
        if key in self.forms or len(self.forms) >= _MAX_FORM_DEPTH:
            self.page.problems.append(f"form {name} draws itself or nests too deeply; not followed")
            return
        matrix = _numbers(list(xobject.get("/Matrix", pikepdf.Array([1, 0, 0, 1, 0, 0]))))
        inner = replace(state)
        if matrix and len(matrix) == 6:
            inner.ctm = multiply(tuple(matrix), state.ctm)  # type: ignore[arg-type]
        form_resources = xobject.get("/Resources")
        self.forms.append(key)
        try:
            self.run(xobject, form_resources if isinstance(form_resources, pikepdf.Dictionary) else resources, inner)
        finally:
            self.forms.pop()

    def _show(self, parts: Iterable[Any], state: _State, text_matrix: Matrix) -> Matrix:
        font = state.font
        if font is None:
            self.page.problems.append("text shown without a font")
            return text_matrix
        size, scale = state.font_size, state.horizontal_scale
        start_matrix = text_matrix
        texts: list[str] = []
        missing: list[str] = []
        unmapped = 0
        for part in parts:
            if isinstance(part, pikepdf.String):
                for glyph in font.glyphs(bytes(part)):
                    texts.append(glyph.text)
                    unmapped += not glyph.text
                    if glyph.missing:
                        missing.append(glyph.text or "?")
                    spacing = state.char_spacing + (
                        state.word_spacing if glyph.code == 32 and not font._two_byte else 0
                    )
                    advance = (glyph.width * size + spacing) * scale
                    text_matrix = multiply((1, 0, 0, 1, advance, 0), text_matrix)
            else:
                try:
                    adjustment = float(part)
                except (TypeError, ValueError):
                    continue
                text_matrix = multiply((1, 0, 0, 1, -adjustment / 1000 * size * scale, 0), text_matrix)
        text = "".join(texts)
        if not text and not missing and not unmapped:
            return text_matrix
        parameters: Matrix = (size * scale, 0.0, 0.0, size, 0.0, state.rise)
        start = multiply(multiply(parameters, start_matrix), state.ctm)
        end = multiply(multiply(parameters, text_matrix), state.ctm)
        x_axis, y_axis = math.hypot(start[0], start[1]), math.hypot(start[2], start[3])
        skew = 0.0
        if x_axis and y_axis:
            cosine = abs(start[0] * start[2] + start[1] * start[3]) / (x_axis * y_axis)
            skew = math.degrees(math.asin(min(cosine, 1.0)))
        stroked = state.render_mode in (1, 5)
        samples = (apply(start, 0.05, 0.3), apply(end, -0.05, 0.3), apply(start, 0.05, 0.1))
        middle = ((samples[0][0] + samples[1][0]) / 2, (samples[0][1] + samples[1][1]) / 2)
        mcid_levels = tuple(self.marked)
        run = TextRun(
            order=self._next(),
            text=text,
            font=font,
            size_pt=y_axis,
            skew_degrees=skew,
            colour=state.stroke if stroked else state.fill,
            alpha=state.stroke_alpha if stroked else state.fill_alpha,
            visible=state.render_mode not in (3, 7),
            marked=mcid_levels,
            samples=(*samples, middle),
            baseline=apply(start, 0, 0),
            missing=tuple(missing),
            unmapped=unmapped,
        )
        self.page.runs.append(run)
        if run.mcid is not None and not run.artifact:
            self.page.mcids.setdefault(run.mcid, []).append(text)
        return text_matrix


def _inherited(page: pikepdf.Dictionary, key: str) -> Any:
    """A page attribute that may be inherited from the page tree (``/Resources``, ``/MediaBox``)."""
    node: Any = page
    for _ in range(64):
        if not isinstance(node, pikepdf.Dictionary):
            return None
        if key in node:
            return node[key]
        node = node.get("/Parent")
    return None


def read_pages(pdf: pikepdf.Pdf) -> list[PageContent]:
    """Interpret every page of ``pdf``."""
    fonts: dict[tuple[int, int], PdfFont] = {}
    pages = []
    for number, page in enumerate(pdf.pages, 1):
        media = _inherited(page.obj, "/MediaBox")
        box = _numbers(list(media)) if isinstance(media, pikepdf.Array) else None
        if not box or len(box) != 4:
            box = [0.0, 0.0, 612.0, 792.0]
        content = PageContent(number, abs(box[2] - box[0]), abs(box[3] - box[1]))
        resources = _inherited(page.obj, "/Resources")
        interpreter = _Interpreter(content, fonts)
        if "/Contents" in page.obj:
            interpreter.run(
                page, resources if isinstance(resources, pikepdf.Dictionary) else pikepdf.Dictionary(), _State()
            )
        pages.append(content)
    return pages

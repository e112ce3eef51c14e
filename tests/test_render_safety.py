"""Untrusted text stays text: hostile sources are refused before rendering, and rendering itself reads nothing
outside the layouts and fonts. A loopback HTTP server proves no request leaves while rendering."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from pipeline.config import load_config
from pipeline.render import Layouts, Renderer, RenderError, default_products, plan_jobs, render_product
from pipeline.render.fonts import FontCatalog
from pipeline.render.pdf import layout_html, write_pdf

logging.getLogger("weasyprint").setLevel(logging.CRITICAL)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "render"
PRINT_PROJECT = Path(__file__).parent / "roots" / "print"
"""The sample project of the print products: guide, summary and handout; es (reviewed) and ar."""
HOSTILE = sorted((FIXTURES / "hostile").glob("*.md"))
EXPECTED = {
    "data-image": ("with the scheme 'data'", 3),
    "file-image": ("with the scheme 'file'", 3),
    "file-link": ("with the scheme 'file'", 3),
    "iframe": ("raw HTML <iframe>", 3),
    "image-without-alt": ("has no alternative text", 3),
    "img-tag": ("raw HTML <img>", 3),
    "inline-style": ("CSS that loads resources", 3),
    "javascript-link": ("with the scheme 'javascript'", 3),
    "link-tag": ("raw HTML <link>", 3),
    "object": ("raw HTML <object>", 3),
    "remote-image": ("not a file of the project", 3),
    "script": ("raw HTML <script>", 5),
    "style": ("CSS that loads resources", 3),
}


def test_the_loopback_server_does_record_requests(server: tuple[str, list[str]]) -> None:
    import urllib.request

    address, requests = server
    urllib.request.urlopen(f"http://{address}/probe", timeout=5).close()
    assert requests == ["/probe"]


def test_every_hostile_fixture_has_an_expectation() -> None:
    assert {path.stem for path in HOSTILE} == set(EXPECTED)


@pytest.mark.parametrize("fixture", HOSTILE, ids=[path.stem for path in HOSTILE])
def test_hostile_source_is_refused_naming_document_and_line(
    fixture: Path, server: tuple[str, list[str]], tmp_path: Path
) -> None:
    address, requests = server
    project = tmp_path / "project"
    shutil.copytree(PRINT_PROJECT, project)
    guide = project / "source" / "guide.md"
    guide.write_text(fixture.read_text(encoding="utf-8").replace("{server}", address), encoding="utf-8")
    config = load_config(project / "pyproject.toml")
    renderer = Renderer(config, Layouts(ROOT / "layouts"))
    for job in plan_jobs(config, [p for p in default_products() if p.document == "guide"], ["en", "en_XA"]):
        with pytest.raises(RenderError) as caught:
            render_product(renderer, job)
        message, line = EXPECTED[fixture.stem]
        assert message in str(caught.value)
        assert caught.value.path == str(guide) and caught.value.line == line
    assert requests == []


HOSTILE_HTML = [
    ("img", '<img src="http://{server}/pixel.png" alt="x">'),
    ("stylesheet", '<link rel="stylesheet" href="http://{server}/style.css">'),
    ("import", "<style>@import url(http://{server}/import.css);</style>"),
    ("background", '<p style="background: url(http://{server}/bg.png)">x</p>'),
    ("font", "<style>@font-face { font-family: X; src: url(http://{server}/font.ttf); } p { font-family: X }</style>"),
    ("file", '<img src="file:///etc/passwd" alt="x">'),
    ("relative", '<img src="../pyproject.toml" alt="x">'),
    ("svg", '<svg width="20" height="20"><image href="http://{server}/i.png" width="9" height="9"/></svg>'),
    ("svg-xlink", '<svg width="20" height="20"><image xlink:href="http://{server}/i.png" width="9" height="9"/></svg>'),
]


@pytest.mark.parametrize("html", [case[1] for case in HOSTILE_HTML], ids=[case[0] for case in HOSTILE_HTML])
def test_renderer_fetches_nothing_outside_layouts_and_fonts(html: str, server: tuple[str, list[str]]) -> None:
    address, requests = server
    fonts = FontCatalog().fonts_for("Latn", "x")
    hostile = html.replace("{server}", address)
    page = f'<html lang="en"><head><title>t</title></head><body><p>text</p>{hostile}</body></html>'
    with pytest.raises(RenderError, match="refused"):
        write_pdf(layout_html(page, fonts, ROOT / "layouts"))
    assert requests == []


def test_layouts_and_fonts_are_allowed(server: tuple[str, list[str]]) -> None:
    fonts = FontCatalog().fonts_for("Latn", "x")
    page = '<html lang="en"><head><link rel="stylesheet" href="base.css"></head><body><p>text</p></body></html>'
    assert layout_html(page, fonts, ROOT / "layouts").pages == 1

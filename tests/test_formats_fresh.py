"""The alternative formats (issue 14) without the shipped build: liblouis's own translations and the embosser's
geometry, the axe runner's own checks, the guide address, and builds of one document of a fresh copy of the shipped
project (a missing braille table fails its job, the completeness gate). That pseudo-locales get no braille is
asserted on ``tests/test_audit_axe.py``'s build of them.

Split from ``tests/test_formats.py``, whose tests read the copy of the project ``make`` built
(``conftest.shipped_all``): these need none of it, so a pytest-xdist worker runs them while the other one builds it.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polib
import pytest
from commands import copy_shipped, plainleaf
from test_audit_axe import run_axe
from test_formats import FORMATS, LANGUAGES, ROOT, VIEWS

from pipeline.config import Config, load_config
from pipeline.languages import language
from pipeline.render import text_locale
from pipeline.render.braille import BRAILLE_ASCII, braille_table, check_brf, to_brf, translate
from pipeline.render.clinic import Clinic, guide_address

pytestmark = pytest.mark.slow

LOU_TRANSLATE = shutil.which("lou_translate")


def _project(tmp: Path) -> Path:
    return copy_shipped(tmp / "project")


def test_guide_address_defaults_to_the_guide_page_of_the_published_site() -> None:
    assert (
        guide_address(Clinic("C", guide_url="https://c.test/site/"), "zh-Hans") == "https://c.test/site/zh-Hans/guide/"
    )
    assert guide_address(Clinic("C", guide_url="https://c.test/{lang}.pdf"), "ar") == "https://c.test/ar.pdf"
    assert guide_address(Clinic("C"), "ar") is None


RUNNER_PAGES = {
    "dark.html": "<style>@media (prefers-color-scheme: dark) { p { color: #333; background: #000; } }</style>"
    "<main><p>faint in the dark</p></main>",
    "wide.html": '<main><p style="width:600px">wide</p></main>',
    # About 230 px of unbreakable text at 16 px: it fits 320 px, and at 200 % text it does not.
    "big-text.html": '<main><p style="white-space:nowrap">Call the trial team on Monday</p></main>',
}
"""Pages that each fail at some views only: contrast in dark mode, a box wider than a phone, text at 200 %."""


def _runner_pages(folder: Path) -> list[Path]:
    pages = []
    for name, body in RUNNER_PAGES.items():
        page = folder / name
        page.write_text(f'<!DOCTYPE html><html lang="en"><head><title>{name}</title></head><body>{body}</body></html>')
        pages.append(page)
    return pages


def _seen(page: dict[str, Any]) -> tuple[list[str], bool]:
    return sorted(v["id"] for v in page["violations"]), page["overflow"] > 0


def test_the_runner_sees_each_view_and_one_run_at_every_view_sees_what_each_view_alone_sees(tmp_path: Path) -> None:
    pages = _runner_pages(tmp_path)
    views = [(str(width), scheme, str(text)) for width, scheme, text in VIEWS]
    alone = {}
    for width, scheme, text in views:
        options = ["--width", width, "--text", text, *(["--dark"] if scheme == "dark" else [])]
        for page in run_axe([*options, *pages])["pages"]:
            alone[Path(page["file"]).name, width, scheme, text] = _seen(page)
    # What each page must show, view by view (width, scheme, text size).
    contrast = (["color-contrast"], False)
    assert alone["dark.html", "320", "dark", "100"] == contrast
    assert all(alone["dark.html", *view] == ([], False) for view in views if view[1] == "light")
    assert all(alone["wide.html", *view] == ([], view[0] == "320") for view in views)
    assert all(alone["big-text.html", *view] == ([], view[2] == "200") for view in views)
    # One browser and one load of each page for all the views (as the audit runs it): the same, in view order.
    together = run_axe([*(option for view in views for option in ("--view", ",".join(view))), *pages])["pages"]
    order = [(Path(page["file"]).name, str(page["width"]), page["scheme"], str(page["text"])) for page in together]
    assert order == [(page.name, *view) for view in views for page in pages]
    assert {key: _seen(page) for key, page in zip(order, together, strict=True)} == alone


KNOWN_WORDS = {
    "en": "The clinical trial team will call you.",
    "es": "El equipo del ensayo clínico le llamará.",
    "vi": "Nhóm thử nghiệm lâm sàng sẽ gọi cho bạn.",
    "ar": "سيتصل بك فريق التجربة السريرية.",
    "zh_Hans": "临床试验团队会给您打电话。",
}


def _lou_translate(table: str, text: str) -> str:
    assert LOU_TRANSLATE, "lou_translate missing: install the Debian package liblouis-bin"
    done = subprocess.run(
        [LOU_TRANSLATE, "--forward", table], input=text, capture_output=True, text=True, check=True, timeout=30
    )
    return done.stdout.rstrip("\n")


@pytest.mark.parametrize("code", list(KNOWN_WORDS))
def test_braille_is_liblouis_own_translation_in_each_language(code: str) -> None:
    table = braille_table(Config(ROOT), text_locale(code))
    assert table == language(code).braille_table
    cells = translate(table, KNOWN_WORDS[code])
    assert cells == _lou_translate(f"unicode.dis,{table}", KNOWN_WORDS[code]).replace(" ", "\u2800")
    assert cells and all(0x2800 <= ord(c) <= 0x283F for c in cells)


def test_brf_characters_are_north_american_braille_ascii_as_liblouis_writes_it() -> None:
    text = "Call 911 now, or ask the team: it's free!"
    ours = to_brf(translate("en-ueb-g2.ctb", text))
    assert ours == _lou_translate("en-us-brf.dis,en-ueb-g2.ctb", text).upper()
    assert len(BRAILLE_ASCII) == 64 and len(set(BRAILLE_ASCII)) == 64


def test_a_language_without_a_braille_table_is_reported_not_guessed(tmp_path: Path) -> None:
    assert braille_table(Config(ROOT), text_locale("de")) is None
    assert braille_table(Config(ROOT), text_locale("zh_Hant")) is None  # zh-chn.ctb is for simplified Chinese
    configured = Config(ROOT, braille_tables={"de": "de-g1.ctb", "es": "es-g2.ctb"})
    assert braille_table(configured, text_locale("de")) == "de-g1.ctb"
    assert braille_table(configured, text_locale("es")) == "es-g2.ctb"
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[tool.plainleaf]\nbraille = { tables = { vi = "vi g1" } }\n', encoding="utf-8")
    with pytest.raises(Exception, match=r"braille.tables.vi: not a liblouis table list"):
        load_config(pyproject)


def test_a_missing_table_fails_the_braille_job_and_says_which(tmp_path: Path) -> None:
    project = _project(tmp_path)
    with (project / "pyproject.toml").open("a", encoding="utf-8") as stream:
        stream.write('\n[tool.plainleaf.braille]\ntables = { vi = "no-such-table.ctb" }\n')
    done = plainleaf(project, "build", "--product", "braille", "--locale", "vi", "--document", "summary")
    assert done.returncode == 1 and "no-such-table.ctb" in done.stdout + done.stderr
    assert not (project / "output" / "vi" / "summary.brf").exists()


def test_the_geometry_check_finds_a_long_line_a_long_page_and_a_stray_character() -> None:
    assert not list(check_brf(b"ABC\r\n" * 25))
    problems = list(check_brf(b"A" * 41 + b"\r\n" + b"B\r\n" * 25 + b"\fa\r\n"))
    assert any("41 cells" in p for p in problems) and any("26 lines" in p for p in problems)
    assert any("not Braille ASCII" in p for p in problems)


def _unconfirm_one_entry(catalog: Path) -> None:
    po = polib.pofile(str(catalog))
    entry = next(e for e in po if e.msgstr and not e.obsolete)
    entry.msgstr = ""
    po.save()


def _files(project: Path, code: str, document: str) -> Iterator[Path]:
    output = project / "output"
    tag = LANGUAGES[code]
    for path in (output / code / f"{document}.epub", output / code / f"{document}.brf",
                 output / "site" / tag / document / "index.html"):  # fmt: skip
        yield path
        yield (
            path.with_name(path.name.replace(document, f"{document}-draft"))
            if path.name != "index.html"
            else (output / "site" / tag / f"{document}-draft" / "index.html")
        )


def test_an_incomplete_translation_makes_no_alternative_format_or_a_marked_draft(tmp_path: Path) -> None:
    project = _project(tmp_path)
    done = plainleaf(project, "build", *FORMATS, "--locale", "es", "--locale", "en", "--document", "summary")
    assert done.returncode == 0, done.stdout + done.stderr
    final = [p for p in _files(project, "es", "summary") if "draft" not in str(p)]
    assert all(p.is_file() for p in final)
    _unconfirm_one_entry(project / "locales" / "es" / "LC_MESSAGES" / "summary.po")

    done = plainleaf(project, "build", *FORMATS, "--locale", "es", "--locale", "en", "--document", "summary")
    assert "previous" in done.stdout, done.stdout + done.stderr
    # Issue 21: the last ready edition stays printable (and its web page listed) while the translation catches up.
    assert [p for p in _files(project, "es", "summary") if p.exists()] == final
    assert "es/summary" in (project / "output" / "site" / "index.html").read_text(encoding="utf-8")

    done = plainleaf(project, "build", *FORMATS, "--locale", "es", "--locale", "en", "--document", "summary", "--draft")
    assert done.returncode == 0, done.stdout + done.stderr
    drafts = [p for p in _files(project, "es", "summary") if p.exists()]
    assert drafts and all("draft" in p.as_posix() for p in drafts) and len(drafts) == 3
    page = project / "output" / "site" / "es" / "summary-draft" / "index.html"
    assert 'class="draft-banner"' in page.read_text(encoding="utf-8")
    # A draft is linked from no final page and listed neither in the chooser nor among the QR targets.
    site = project / "output" / "site"
    assert "summary-draft" not in (site / "en" / "summary" / "index.html").read_text(encoding="utf-8")
    assert "summary-draft" not in (site / "index.html").read_text(encoding="utf-8")
    brf = (project / "output" / "es" / "summary-draft.brf").read_bytes()
    marked = (project / "output" / "es" / "summary-draft.txt").read_text(encoding="utf-8")
    assert brf and translate("es-g1.ctb", "Borrador") in marked  # the draft notice, in braille too

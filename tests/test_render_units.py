"""Render stage, the parts that need no page layout: clinic files, paper, locales, words, fonts, planning."""

from __future__ import annotations

import logging
import os
import re
import shutil
from pathlib import Path
from typing import Any

import polib
import pytest
from babel import Locale

from pipeline.config import load_config
from pipeline.errors import ConfigError
from pipeline.render import (
    A4,
    LETTER,
    FontCatalog,
    Layouts,
    RenderError,
    default_products,
    extract_layout_messages,
    load_clinic,
    load_layout_translations,
    paper_for_country,
    parse_clinic,
    plan_jobs,
    text_locale,
)
from pipeline.render.clinic import format_hours
from pipeline.render.fonts import NOTO_SANS, TextOrigin, check_coverage
from pipeline.render.layouts import PAGE, PAGES, address_text, css_counters, css_string
from pipeline.render.pseudo import pseudo_text

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "render"
PRINT_PROJECT = Path(__file__).parent / "roots" / "print"
"""The sample project of the print products: guide, summary and handout; es (reviewed) and ar."""
LAYOUTS = ROOT / "layouts"


# --- clinic files -----------------------------------------------------------------------------------------

BAD_CLINICS = [
    ("phone-number", {"name": "C", "phone": 3}, "clinic.phone: expected string, got 3"),
    ("unknown-key", {"name": "C", "fax": "1"}, "clinic: unknown key 'fax'"),
    ("missing-name", {"phone": "1"}, "clinic: missing key 'name'"),
    ("empty-name", {"name": "  "}, "clinic.name: must not be empty"),
    ("coordinator-type", {"name": "C", "trial_coordinator": "Sam"},
     "clinic.trial_coordinator: expected table, got 'Sam'"),
    ("coordinator-key", {"name": "C", "trial_coordinator": {"mobile": "1"}},
     "clinic.trial_coordinator: unknown key 'mobile'"),
    ("coordinator-email", {"name": "C", "trial_coordinator": {"email": 5}},
     "clinic.trial_coordinator.email: expected string, got 5"),
    ("bad-email", {"name": "C", "trial_coordinator": {"email": "trials"}},
     "clinic.trial_coordinator.email: not an e-mail"),
    ("country", {"name": "C", "country": "XX"}, "clinic.country: unknown ISO 3166 country code 'XX'"),
    ("website", {"name": "C", "website": "javascript:alert(1)"},
     "clinic.website: expected an http:// or https:// address"),
    ("guide-url", {"name": "C", "guide_url": "file:///etc/passwd"},
     "clinic.guide_url: expected an http:// or https:// address"),
    ("logo-outside", {"name": "C", "logo": "/etc/hostname"}, "clinic.logo: must be a path inside the project"),
    ("logo-escape", {"name": "C", "logo": "../outside.png"}, "clinic.logo: must be a path inside the project"),
    ("logo-svg", {"name": "C", "logo": "layouts/base.css"}, "clinic.logo: must be a PNG or JPEG file"),
    ("logo-missing", {"name": "C", "logo": "no-such-logo.png"}, "clinic.logo: no such file"),
    ("hours-type", {"name": "C", "hours": 8}, "clinic.hours: expected a list"),
    ("hours-days", {"name": "C", "hours": [{"days": "mon-fry", "open": "08:00", "close": "17:00"}]},
     "clinic.hours[0].days: unknown days 'mon-fry'"),
    ("hours-backwards", {"name": "C", "hours": [{"days": "fri-mon", "open": "08:00", "close": "17:00"}]},
     "clinic.hours[0].days: 'fri-mon' runs backwards"),
    ("hours-time", {"name": "C", "hours": [{"days": "mon", "open": "8am", "close": "17:00"}]},
     "clinic.hours[0].open: expected a 24-hour time"),
    ("hours-closes-first", {"name": "C", "hours": [{"days": "mon", "open": "17:00", "close": "08:00"}]},
     "clinic.hours[0]: closes (08:00) before it opens (17:00)"),
    ("hours-missing", {"name": "C", "hours": [{"days": "mon", "open": "08:00"}]},
     "clinic.hours[0]: missing key 'close'"),
    ("hours-key", {"name": "C", "hours": [{"days": "mon", "open": "08:00", "close": "09:00", "lunch": "x"}]},
     "clinic.hours[0]: unknown key 'lunch'"),
    ("translation-field", {"name": "C", "translations": {"es": {"phone": "1"}}},
     "clinic.translations.es: unknown key 'phone'"),
    ("translation-type", {"name": "C", "translations": {"es": "Clínica"}},
     "clinic.translations.es: expected table"),
    ("navigator-key", {"name": "C", "navigator": {"pager": "1"}}, "clinic.navigator: unknown key 'pager'"),
]  # fmt: skip


@pytest.mark.parametrize(("data", "message"), [case[1:] for case in BAD_CLINICS], ids=[case[0] for case in BAD_CLINICS])
def test_bad_clinic_is_reported_with_its_key_path(data: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_clinic(data, ROOT, Path("clinic.toml"))
    assert message in str(caught.value)
    assert str(caught.value).startswith("clinic.toml: ")


def test_full_clinic_file_loads() -> None:
    clinic = load_clinic(FIXTURES / "clinics" / "full.toml", ROOT)
    assert clinic.name == "Test Clinic"
    assert clinic.trial_coordinator is not None and clinic.trial_coordinator.email == "trials@clinic.test"
    assert clinic.logo == (FIXTURES / "clinics" / "logo.png").resolve()
    assert clinic.address == "1 Test Street\nTestville"


def test_hours_are_formatted_per_language_by_cldr() -> None:
    clinic = load_clinic(FIXTURES / "clinics" / "full.toml", ROOT)
    assert isinstance(clinic.hours, tuple)
    assert format_hours(clinic.hours, Locale.parse("en")) == [
        ("Monday\u2009\u2013\u2009Friday", "8:00\u202fAM\u2009\u2013\u20095:00\u202fPM"),
        ("Saturday", "9:00\u202fAM\u2009\u2013\u200912:30\u202fPM"),
    ]
    assert format_hours(clinic.hours, Locale.parse("es"))[0] == ("lunes\u2009\u2013\u2009viernes", "8:00\u201317:00")
    arabic = format_hours(clinic.hours, Locale.parse("ar"))[0]
    assert "\u0627\u0644\u0627\u062b\u0646\u064a\u0646" in arabic[0]  # الاثنين, Monday
    assert "Monday" not in arabic[0] and "\u0635" in arabic[1]  # ص, the Arabic "AM"
    several = parse_clinic({"name": "C", "hours": [{"days": "mon, wed-thu", "open": "09:00", "close": "13:00"}]},
                           ROOT, Path("clinic.toml"))  # fmt: skip
    assert isinstance(several.hours, tuple)
    assert format_hours(several.hours, Locale.parse("en"))[0][0] == "Monday and Wednesday\u2009\u2013\u2009Thursday"


def test_clinic_text_falls_back_to_the_source_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    clinic = load_clinic(FIXTURES / "clinics" / "full.toml", ROOT)
    with caplog.at_level(logging.WARNING, logger="pipeline.render.clinic"):
        assert clinic.text("name", "es", "en") == "Clínica de Prueba"
        assert clinic.text("name", "en", "en") == "Test Clinic"
        assert not caplog.records
        assert clinic.text("address", "vi", "en") == "1 Test Street\nTestville"
    assert [record.getMessage() for record in caplog.records] == [
        f"{clinic.path}: clinic.address has no vi translation ([translations.vi] address); printing the source text"
    ]


def test_addresses_break_only_where_the_chicago_manual_lets_them() -> None:
    html = str(address_text("https://patient-services.clinic-north.test/guides/es/"))
    assert "https://" not in html
    # Soft hyphens (the only break opportunities: a word joiner follows every hyphen and slash) before dots,
    # hyphens and slashes, never before the closing slash.
    pieces = [piece.replace("\u2060", "") for piece in html.split("\u00ad")]
    assert pieces == ["patient", "-services", ".clinic", "-north", ".test", "/guides", "/es/"]
    assert str(address_text("a.b@c-d.uk")).split("\u00ad") == ["a", ".\u2060b@\u2060", "c", "-\u2060d", ".\u2060uk"]


def test_invalid_toml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "clinic.toml"
    path.write_text('name = "C"\nphone = \n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_clinic(path, tmp_path)
    assert caught.value.line == 2


def test_example_clinic_file_is_valid() -> None:
    clinic = load_clinic(LAYOUTS / "clinic.example.toml", ROOT)
    assert clinic.guide_url and "{lang}" in clinic.guide_url


# --- paper ------------------------------------------------------------------------------------------------


PAPERS = [("US", LETTER), ("ca", LETTER), ("MX", LETTER), ("PH", LETTER), ("DE", A4), ("ES", A4), ("VN", A4),
          ("CN", A4), ("EG", A4), (None, LETTER)]  # fmt: skip


@pytest.mark.parametrize(("country", "paper"), PAPERS)
def test_paper_follows_cldr(country: str | None, paper: object) -> None:
    assert paper_for_country(country) == paper


# --- locales ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "tag", "direction", "script", "name"),
    [("ar", "ar", "rtl", "Arab", "العربية"), ("zh_Hans", "zh-Hans", "ltr", "Hans", "中文 (简体)"),
     ("vi", "vi", "ltr", "Latn", "Tiếng Việt"), ("es", "es", "ltr", "Latn", "español"),
     ("ar_XB", "ar-XB", "rtl", "Latn", None), ("en-XA", "en-XA", "ltr", "Latn", None)],
)  # fmt: skip
def test_locale_tag_direction_script(code: str, tag: str, direction: str, script: str, name: str | None) -> None:
    locale = text_locale(code)
    assert (locale.tag, locale.direction, locale.script) == (tag, direction, script)
    if name:
        assert locale.display_name == name


def test_unknown_locale_is_an_error() -> None:
    with pytest.raises(RenderError):
        text_locale("xx_Nope")


def test_pseudo_texts_keep_markup_and_placeholders() -> None:
    text = "Ask your **care team** about [trials][1] in {minutes} minutes, `CAR-T` {2}."
    accented = pseudo_text(text, "accented")
    assert accented.startswith("[") and accented.endswith("]")
    for kept in ("**", "][1]", "{minutes}", "`CAR-T`", "{2}"):
        assert kept in accented
    assert "Àšķ" in accented
    plain = "Ask your care team about the risks and the benefits of joining."
    assert len(pseudo_text(plain, "accented")) >= 1.35 * len(plain)
    mirrored = pseudo_text(text, "mirrored")
    assert "\u202e" in mirrored and text == re.sub("[\u202e\u202c\u200f]", "", mirrored)
    # Every word carries its own override, so each line of a wrapped paragraph reads mirrored, not only the first.
    assert mirrored.count("\u202e") == len(text.split())


# --- the layouts' words -----------------------------------------------------------------------------------


def test_layout_messages_are_extracted_from_the_templates() -> None:
    template = extract_layout_messages(LAYOUTS)
    ids = {entry.msgid for entry in template}
    for word in ("Page %(page)s of %(pages)s", "Contents", "Draft", "Your clinic", "Phone",
                 "This translation has not yet been reviewed by a qualified medical translator."):  # fmt: skip
        assert word in ids
    page = template.find("Page %(page)s of %(pages)s")
    assert page is not None and page.flags == ["python-format"]
    assert any(path.startswith("layouts/") for path, _line in page.occurrences)
    assert "page footer" in page.comment


def test_templates_compiled_once_per_process_are_compiled_again_when_edited(tmp_path: Path) -> None:
    from pipeline.render.messages import LayoutTranslations

    template = tmp_path / "note.j2"
    template.write_text("<p>{{ _('First words') }}</p>", encoding="utf-8")
    first = Layouts(tmp_path).environment(LayoutTranslations()).get_template("note.j2").render()
    again = Layouts(tmp_path).environment(LayoutTranslations()).get_template("note.j2").render()
    stat = template.stat()
    template.write_text("<p>{{ _('Other words') }}</p>", encoding="utf-8")
    os.utime(template, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same time: only the text tells them apart
    edited = Layouts(tmp_path).environment(LayoutTranslations()).get_template("note.j2").render()
    assert (first, again, edited) == ("<p>First words</p>", "<p>First words</p>", "<p>Other words</p>")


def test_only_confirmed_layout_translations_are_used(tmp_path: Path) -> None:
    catalog = polib.POFile()
    catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    catalog.append(polib.POEntry(msgid="Contents", msgstr="Contenido"))
    fuzzy = polib.POEntry(msgid="Draft", msgstr="Borrador viejo")
    fuzzy.flags.append("fuzzy")
    catalog.append(fuzzy)
    path = tmp_path / "layouts.po"
    catalog.save(str(path))
    translations = load_layout_translations(path)
    assert translations.gettext("Contents") == "Contenido"
    assert translations.gettext("Draft") == "Draft"
    assert translations.missing == {"Draft"}


def test_css_strings_cannot_break_out_of_the_style_element() -> None:
    hostile = 'x"; } </style><script>alert(1)</script>'
    literal = str(css_string(hostile))
    assert "<" not in literal and '"' not in literal[1:-1]
    content = str(css_counters(f"Página {PAGE} de {PAGES}", "arabic-indic"))
    assert content == '"Página " counter(page, arabic-indic) " de " counter(pages, arabic-indic)'


def test_translated_words_stay_text(tmp_path: Path) -> None:
    catalog = polib.POFile()
    catalog.append(polib.POEntry(msgid="Contents", msgstr='<img src="http://127.0.0.1:9/x">'))
    path = tmp_path / "layouts.po"
    catalog.save(str(path))
    environment = Layouts(LAYOUTS).environment(load_layout_translations(path))
    rendered = environment.from_string('{{ _("Contents") }}').render()
    assert "<img" not in rendered and "&lt;img" in rendered


# --- fonts ------------------------------------------------------------------------------------------------


def test_character_no_font_covers_is_an_error_naming_it_and_where() -> None:
    fonts = FontCatalog()
    stack = fonts.fonts_for("Latn", "Hello")
    origins = [TextOrigin("locales/es/LC_MESSAGES/guide.po", 42, "Hola 🙂 amigos")]
    with pytest.raises(RenderError) as caught:
        check_coverage("Hola 🙂 amigos", stack, origins, "es guide-large-print")
    message = str(caught.value)
    assert "U+1F642" in message and "SLIGHTLY SMILING FACE" in message
    assert message.startswith("locales/es/LC_MESSAGES/guide.po:42: ")


def test_vietnamese_gets_noto_sans_because_atkinson_lacks_its_letters() -> None:
    fonts = FontCatalog()
    atkinson = fonts.fonts_for("Latn", "Hello")[0]
    assert atkinson.family == "Atkinson Hyperlegible"
    assert not atkinson.covers("ư") and not atkinson.covers("ạ")
    stack = fonts.fonts_for("Latn", "Thử nghiệm lâm sàng")
    assert [font.family for font in stack] == ["Noto Sans"]
    assert all(stack[0].covers(c) for c in "ThửnghiệmlâmsàngƯỹ")


def test_scripts_get_their_fonts() -> None:
    fonts = FontCatalog()
    assert [f.family for f in fonts.fonts_for("Arab", "مرحبا")] == ["Noto Sans Arabic", "Noto Sans"]
    assert [f.family for f in fonts.fonts_for("Hans", "你好")] == ["Noto Sans CJK SC", "Noto Sans"]


def test_missing_font_names_the_debian_package(tmp_path: Path) -> None:
    fonts = FontCatalog(font_dirs=[tmp_path])
    with pytest.raises(RenderError, match="install the Debian package fonts-noto-cjk"):
        fonts.fonts_for("Hans", "你好")
    with pytest.raises(RenderError, match="fonts-noto-core"):
        fonts.font(NOTO_SANS)


# --- planning: what may be printed ------------------------------------------------------------------------


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(PRINT_PROJECT, root)
    return root


def _catalog(path: Path, entries: list[tuple[str, str]], fuzzy: set[str] = frozenset()) -> None:  # type: ignore[assignment]
    catalog = polib.POFile()
    catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "es"}
    for msgid, msgstr in entries:
        entry = polib.POEntry(msgid=msgid, msgstr=msgstr)
        if msgid in fuzzy:
            entry.flags.append("fuzzy")
        catalog.append(entry)
    path.parent.mkdir(parents=True, exist_ok=True)
    catalog.save(str(path))


def test_incomplete_or_fuzzy_catalog_is_skipped_with_what_is_missing(project: Path) -> None:
    config = load_config(project / "pyproject.toml")
    _catalog(config.catalog_path("es", "summary"), [("A", "B"), ("C", "D"), ("E", "")], fuzzy={"C"})
    jobs = {(j.locale.code, j.product.name): j for j in plan_jobs(config, default_products())}
    summary = jobs[("es", "summary")]
    assert not summary.buildable
    assert "1 untranslated and 1 fuzzy of 3 entries" in (summary.missing or "")
    assert "no catalog guide.po" in (jobs[("es", "large-print")].missing or "")
    english = jobs[("en", "large-print")]
    assert english.buildable and english.reviewed and not english.draft


def test_draft_takes_a_different_file_name(project: Path) -> None:
    config = load_config(project / "pyproject.toml")
    jobs = {(j.locale.code, j.product.name): j for j in plan_jobs(config, default_products(), draft=True)}
    draft = jobs[("es", "large-print")]
    assert draft.buildable and draft.draft
    assert draft.stem == "guide-large-print-draft"
    assert jobs[("en", "large-print")].stem == "guide-large-print"
    assert jobs[("en", "handout")].stem == "handout"


def test_threshold_allows_partial_but_never_fuzzy(project: Path) -> None:
    config = load_config(project / "pyproject.toml")
    _catalog(config.catalog_path("es", "summary"), [("A", "B"), ("C", "D"), ("E", ""), ("F", "G")])
    product = [p for p in default_products() if p.name == "summary"]
    assert plan_jobs(config, product, ["es"], threshold=75)[0].missing is None
    assert plan_jobs(config, product, ["es"], threshold=100)[0].missing is not None
    _catalog(config.catalog_path("es", "summary"), [("A", "B"), ("C", "D")], fuzzy={"C"})
    assert plan_jobs(config, product, ["es"], threshold=0)[0].missing is not None


def test_pseudo_locales_are_always_drafts(project: Path) -> None:
    config = load_config(project / "pyproject.toml")
    for job in plan_jobs(config, default_products(), ["en_XA", "ar_XB"]):
        assert job.draft and job.buildable and not job.reviewed


def test_font_coverage_read_from_cmap_ranges_matches_fonttools() -> None:
    from fontTools.ttLib import TTCollection, TTFont

    from pipeline.render import fonts as font_module

    catalog = FontCatalog()
    for spec in (font_module.ATKINSON, font_module.NOTO_SANS, font_module.NOTO_ARABIC, font_module.CJK["Hans"]):
        font = catalog.font(spec)
        for path in (font.regular, font.bold):
            if path.suffix == ".ttc":
                faces = TTCollection(str(path), lazy=True).fonts
                face = next(f for f in faces if f["name"].getDebugName(1) == spec.family)
            else:
                face = TTFont(str(path), lazy=True)
            assert font_module._cmap(path, spec.family) == set(face.getBestCmap()), path.name


# --- loading WeasyPrint -----------------------------------------------------------------------------------

LOAD_ENGINE = """
import ctypes.util, json, subprocess, sys
standard = ctypes.util.find_library
links = []
def counting_popen(*args, **kwargs):
    links.append(args[0][0] if args and isinstance(args[0], list) else str(args[0]))
    return real_popen(*args, **kwargs)
real_popen = subprocess.Popen
subprocess.Popen = counting_popen
if sys.argv[1] == "empty-cache":
    ctypes.util._findSoname_ldconfig = lambda name: None
from pipeline.render.engine import HTML
pdf = HTML(string="<p>ok</p>").write_pdf()
print(json.dumps({"restored": ctypes.util.find_library is standard, "pdf": pdf.startswith(b"%PDF"),
                  "programs": sorted(set(links))}))
"""


def _load_engine(mode: str) -> dict[str, Any]:
    import json
    import os
    import subprocess
    import sys

    environment = {key: value for key, value in os.environ.items() if key not in ("LD_LIBRARY_PATH", "LIBRARY_PATH")}
    result = subprocess.run(
        [sys.executable, "-c", LOAD_ENGINE, mode], capture_output=True, text=True, env=environment, check=True
    )
    loaded: dict[str, Any] = json.loads(result.stdout)
    return loaded


def test_weasyprint_finds_its_libraries_in_the_linker_cache_without_linking_test_programs() -> None:
    loaded = _load_engine("normal")
    assert loaded["pdf"] and loaded["restored"]
    assert not {"gcc", "cc", "ld"} & {Path(program).name for program in loaded["programs"]}


def test_weasyprint_still_loads_when_the_linker_cache_knows_none_of_its_libraries() -> None:
    loaded = _load_engine("empty-cache")  # the quick lookup fails: WeasyPrint is imported the standard way
    assert loaded["pdf"] and loaded["restored"]


def test_an_ordered_list_resumed_after_a_sublist_keeps_its_numbers(tmp_path: Path) -> None:
    # WeasyPrint ignores <ol start>: the summary's steps printed 1, 1, 2 around their list of questions.
    from markdown_it import MarkdownIt

    from pipeline.render.markup import render_body

    source = "1. Ask early:\n\n- a question?\n\n2. Weigh it.\n3. Ask for help.\n"
    body = render_body(MarkdownIt("commonmark").parse(source), tmp_path / "doc.md", None)
    assert '<ol start="2" style="counter-reset: list-item 1">' in body.html
    assert body.html.count("counter-reset") == 1

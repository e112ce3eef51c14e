"""Braille as a reader of it would check it (issue 24): the front matter of BANA's *Braille Formats* (title page,
transcriber's note, contents with print and braille page numbers) read back with liblouis's own back-translation,
the braille page number at the bottom right of every page and the print page at the top right, headings never at
the foot of a page, and the codes of each language: Arabic and Chinese samples read back to their source text
(digits, Latin terms), Vietnamese uncontracted.

Needs ``lou_translate`` (Debian ``liblouis-bin``) and the tables (``liblouis-data``); ``make`` installs both.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from commands import copy_shipped, plainleaf

from pipeline.config import Config, load_config
from pipeline.render import Layouts, Renderer, default_products, plan_jobs, prepare_content, text_locale
from pipeline.render.braille import (
    CELLS_PER_LINE,
    LINES_PER_PAGE,
    FrontMatter,
    blocks_of,
    braille_pages,
    braille_table,
    identifier_cells,
    language_code,
    to_brf,
    translate,
    translate_text,
)
from pipeline.render.braille_format import BLANK, formats, number_cells
from pipeline.render.print_pages import print_pages

ROOT = Path(__file__).resolve().parent.parent
LOU_TRANSLATE = shutil.which("lou_translate")
ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")


def _lou(direction: str, table: str, text: str) -> str:
    assert LOU_TRANSLATE, "lou_translate missing: install the Debian package liblouis-bin"
    done = subprocess.run(
        [LOU_TRANSLATE, f"--{direction}", table], input=text, capture_output=True, text=True, check=True, timeout=30
    )
    return done.stdout.rstrip("\n")


def _back(table: str, cells: str) -> str:
    return _lou("backward", f"unicode.dis,{table}", cells.replace(BLANK, " "))


# --- codes per language -----------------------------------------------------------------------------------------


def test_arabic_latin_terms_and_digits_read_back_as_written() -> None:
    code = language_code(text_locale("ar"))
    assert code is not None and code.foreign["open"] and code.foreign["close"]
    source = "يستخدم علاج CAR-T خلايا مناعية. طفرة KRAS و CD40 و RNA في 2 من 10 مرضى، و KRAS G12D."
    cells = translate_text(code.table, source, code)
    opening, closing = re.escape(code.foreign["open"]), re.escape(code.foreign["close"])
    read = []
    for part in re.split(f"({opening}.*?{closing})", cells):
        if part.startswith(code.foreign["open"]):
            read.append(_back(code.foreign["table"], part[len(code.foreign["open"]) : -len(code.foreign["close"])]))
        elif part:
            read.append(_back(code.table, part))
    # liblouis reads Arabic braille digits back as Arabic-Indic digits: the same numbers.
    assert "".join(read).translate(ARABIC_DIGITS) == source
    # Without the code switch, liblouis reads the capital sign as shadda and the Latin letters as Arabic ones.
    assert "CAR-T" not in _back(code.table, _lou("forward", f"unicode.dis,{code.table}", source))


def test_chinese_uses_the_national_common_braille_with_words_apart_and_one_number_sign() -> None:
    code = language_code(text_locale("zh_Hans"))
    assert code is not None and code.table == "zhcn-cbs.ctb" == braille_table(Config(ROOT), text_locale("zh_Hans"))
    source = "针对KRAS突变的RNA疫苗和基于CD40的联合策略在第2期试验中有120名患者\uff0cCAR-T疗法。"
    cells = translate_text(code.table, source, code)
    assert "⠼⠁⠃⠚" in cells and "⠼⠁⠼⠃" not in cells  # 120: one number sign, not one a digit (zh-chn.ctb)
    assert cells.count(BLANK) >= 10  # words written apart (分词连写)
    # zhcn-cbs.ctb has no back-translation; the numbers and Latin terms, written in UEB, read back as written.
    runs = [run for run in cells.split(BLANK) if run[:1] in ("⠼", "⠠")]
    read = [_back("en-ueb-g1.ctb", run.rstrip("⠐⠆")) for run in runs]
    assert read == ["KRAS", "RNA", "CD40", "2", "120", "CAR-T"]


def test_vietnamese_is_uncontracted_and_reads_back_exactly() -> None:
    code = language_code(text_locale("vi"))
    assert code is not None and code.grade == 0 and code.table == "vi-vn-g0.utb"
    source = "Nhóm thử nghiệm lâm sàng sẽ gọi cho bạn vào ngày 12."
    assert _back(code.table, translate_text(code.table, source, code)) == source


def test_every_language_has_its_code_reason_and_front_matter_words() -> None:
    rules = formats()
    for key in rules.languages:
        code = language_code(text_locale(key))
        assert code is not None and code.table and code.why and code.code, key
        assert code.table == braille_table(Config(ROOT), text_locale(key)), key  # the language file's table
        words = rules.words([key])
        assert set(rules.wording["en"]) <= set(rules.wording[key]), f"{key} lacks words"
        assert "{page}" in words["print_page"] and "{code}" in words["code_label"]


# --- the guide in braille -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project with the English guide built in braille by ``plainleaf build``."""
    project = copy_shipped(tmp_path_factory.mktemp("braille") / "project")
    done = plainleaf(project, "build", "--product", "braille", "--document", "guide", "--locale", "en")
    assert done.returncode == 0, done.stdout + done.stderr
    return project


def _pages(path: Path) -> list[list[str]]:
    return [page.split("\r\n")[:-1] for page in path.read_bytes().decode("ascii").split("\f")]


def _number(cells: str) -> int:
    """A braille number (numeric indicator and letters a-j) in Braille ASCII, as an integer."""
    return int("".join(str("JABCDEFGHI".index(char)) for char in cells.rsplit("#", 1)[1]))


def _read(lines: list[str]) -> str:
    """Lines of BRF read back to print with liblouis (UEB grade 2), as one text."""
    text = " ".join(line.strip() for line in lines if line.strip())
    # lou_translate reads backslash escapes in its input: the BRF's backslash (dots 1-2-5-6) is written escaped.
    return " ".join(_lou("backward", "en-us-brf.dis,en-ueb-g2.ctb", text.lower().replace("\\", "\\\\")).split())


def test_title_page_transcribers_note_and_contents_read_back(english: Path) -> None:
    pages = _pages(english / "output" / "en" / "guide.brf")
    title, note = _read(pages[0]), _read(pages[1])
    assert "Immunotherapy for Pancreatic Cancer Clinical Trials Guide" in title
    assert "Version 1.0" in title and "Plainleaf" in title and "Unified English Braille" in title
    assert "Transcriber\u2019s Note" in note and "not been proofread by a certified braille transcriber" in note
    contents = [page for page in pages if _read(page[:1]).strip() == "Contents"]
    assert len(contents) == 1
    first = pages.index(contents[0])
    entries = _read([line for page in pages[first : first + 2] for line in page])
    for heading in ("Key Takeaways", "Introduction", "Moving Forward"):
        assert heading in entries, heading
    # Each H2 and H3 is listed with its print page, then the braille page where it is.
    lines = [line for page in pages for line in page]
    entry = next(line for line in lines if line.startswith(",KEY ,TAKEAWAYS") and '"' in line)
    print_page, braille_page = entry.split()[-2:]
    body = [page for page in pages if not page[-1].strip().startswith("T#")]
    assert any(",KEY ,TAKEAWAYS" in line for line in body[_number(braille_page) - 1]), "the contents are wrong"
    assert _number(print_page) >= 1


def test_page_numbers_on_every_page(english: Path) -> None:
    pages = _pages(english / "output" / "en" / "guide.brf")
    front = [page for page in pages if page[-1].strip().startswith("T#")]
    assert len(front) >= 3 and pages[: len(front)] == front  # title page, transcriber's note, contents first
    for index, page in enumerate(pages):
        assert len(page) == LINES_PER_PAGE and max(map(len, page)) <= CELLS_PER_LINE
        number = index + 1 if index < len(front) else index + 1 - len(front)
        expected = to_brf(number_cells(number, "t" if index < len(front) else ""))
        # The braille page number at the right of line 25, at least three blank cells from anything else.
        assert page[-1].endswith(expected) and len(page[-1]) == CELLS_PER_LINE, (index, page[-1])
        assert page[-1][: -len(expected)].strip() == ""
        if index >= len(front):
            # The print page at the right of line 1, alone on it (a continued print page carries a letter).
            assert re.fullmatch(r" {3,}[A-Z]?#[A-J]+", page[0]), (index, page[0])
    # Print page change indicators: a line of dots 3-6 ending in the new print page, pages in order.
    turns = [line for page in pages for line in page if line.startswith("---")]
    numbers = [_number(line) for line in turns]
    assert turns and numbers == sorted(numbers) and all(len(line) == CELLS_PER_LINE for line in turns)


def test_no_heading_on_the_last_two_lines_of_a_page(english: Path) -> None:
    config = load_config(english / "pyproject.toml")
    renderer = Renderer(config, Layouts(english / "layouts"))
    # The guide's braille with its print product, whose pages it numbers (the planner passes every declared one).
    products = [p for p in default_products() if p.document == "guide" and p.name in ("large-print", "braille")]
    job = next(job for job in plan_jobs(config, products, ["en"]) if job.product.name == "braille")
    assert job.print_product is not None and job.print_product.name == "large-print"
    content = prepare_content(renderer, job)
    body = str(content.context["body"])
    blocks = blocks_of(body, print_pages(renderer, job, body))
    table = braille_table(config, job.locale)
    assert table is not None
    laid_out = braille_pages(FrontMatter("T", "", [], formats().words(["en"]), "UEB"), blocks, table, "Latn")
    built = _pages(english / "output" / "en" / "guide.brf")
    body_pages = [page for page in laid_out if not page.number.startswith("t")]
    assert [[to_brf(line).rstrip() for line in page.lines] for page in body_pages] == built[-len(body_pages) :]
    headings = 0
    for page in body_pages:
        for line in page.headings:
            headings += 1
            assert line <= LINES_PER_PAGE - 2, (page.number, line)
            after = [text for text in page.lines[line : LINES_PER_PAGE - 1] if text.strip(BLANK)]
            assert len(after) >= 2, f"page {page.number}: heading on line {line} without two lines of its text"
    assert headings >= 20


# --- the edition on the title page --------------------------------------------------------------------------------


def _edition_id(project: Path, job: str) -> str:
    manifest = json.loads((project / "output" / ".plainleaf-build.json").read_text(encoding="utf-8"))
    identifier = str(manifest["jobs"][job]["edition"]["id"])
    assert re.fullmatch(r"[0-9a-f]{8}", identifier), identifier
    return identifier


def _title_page_identifiers(path: Path) -> list[str]:
    """Every line of the title page read back as uncontracted UEB that looks like an edition identifier."""
    title = _pages(path)[0]
    read = [_lou("backward", "en-us-brf.dis,en-ueb-g1.ctb", line.strip().lower()) for line in title if line.strip()]
    return [text for text in read if re.fullmatch(r"[0-9a-f]{8}", text)]


def test_the_title_page_carries_the_edition_identifier(english: Path) -> None:
    """The print, web and EPUB editions show "Version 1.0, <date> · <id>"; the braille title page too: the version
    and date in the language's words, the identifier on the line under them."""
    identifier = _edition_id(english, "en/guide/braille")
    assert _title_page_identifiers(english / "output" / "en" / "guide.brf") == [identifier]
    lines = [line.strip() for line in _pages(english / "output" / "en" / "guide.brf")[0] if line.strip()]
    version = next(index for index, line in enumerate(lines) if "Version 1.0" in _read([line]))
    assert _lou("backward", "en-us-brf.dis,en-ueb-g1.ctb", lines[version + 1].lower()) == identifier


def test_the_identifier_changes_with_the_edition(tmp_path: Path) -> None:
    project = copy_shipped(tmp_path / "project")
    argv = ["build", "--product", "braille", "--document", "summary", "--locale", "en"]
    brf = project / "output" / "en" / "summary.brf"
    identifiers = []
    for _ in range(2):
        done = plainleaf(project, *argv)
        assert done.returncode == 0, done.stdout + done.stderr
        identifiers.append(_edition_id(project, "en/summary/braille"))
        assert _title_page_identifiers(brf) == identifiers[-1:]
        source = project / "source" / "summary.md"
        source.write_text(source.read_text(encoding="utf-8").replace("extra visits, tests", "extra visits and tests"))
    assert identifiers[0] != identifiers[1]


def test_an_identifier_reads_back_as_written_in_every_language() -> None:
    """The identifier is a code: uncontracted UEB in every language, so a letter after a digit is not read as a
    digit (Spanish braille as liblouis writes it reads 9f as 96), between Arabic's code-switch indicators."""
    identifier = "9f3e0b7c"
    cells = identifier_cells(identifier)
    assert _back("en-ueb-g1.ctb", cells) == identifier
    assert _back("es-g1.ctb", translate("es-g1.ctb", identifier)) != identifier  # why it is not the language's table
    arabic = language_code(text_locale("ar"))
    assert arabic is not None
    wrapped = identifier_cells(identifier, arabic)
    assert wrapped == arabic.foreign["open"] + cells + arabic.foreign["close"]
    for code in ("es", "vi", "zh_Hans"):
        assert identifier_cells(identifier, language_code(text_locale(code))) == cells, code

"""PO files as GNU gettext writes them: every catalog we write must survive ``msgcat`` unchanged."""

# The catalogs are full of full-width punctuation on purpose.
# ruff: noqa: RUF001

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.catalogs.pofile import catalog_date, format_catalog, parse_catalog, read_catalog, write_catalog
from pipeline.errors import CatalogError

# --------------------------------------------------------------------------------------
# GNU gettext as the reference.
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def gettext() -> str:
    """The version line of GNU gettext; the tests fail (never skip) without its tools."""
    missing = [tool for tool in ("msgcat", "msgfmt") if shutil.which(tool) is None]
    if missing:
        pytest.fail(
            f"GNU gettext is required to prove PO output is GNU-exact; missing {', '.join(missing)}. "
            "Run `make setup` (or `apt-get install gettext`)."
        )
    return subprocess.run(["msgcat", "--version"], capture_output=True, text=True, check=True).stdout.split("\n")[0]


def msgcat(text: str, directory: Path, name: str = "catalog") -> str:
    """What ``msgcat FILE -o OUT`` writes for the given PO text."""
    source = directory / f"{name}.po"
    output = directory / f"{name}.msgcat.po"
    source.write_bytes(text.encode("utf-8"))
    # --force-po: without it msgcat writes no file at all for a catalog with only a header.
    result = subprocess.run(["msgcat", "--force-po", str(source), "-o", str(output)], capture_output=True, text=True)
    assert result.returncode == 0, f"msgcat refused our output:\n{result.stderr}"
    return output.read_bytes().decode("utf-8")


def without_flags(text: str, flags: set[str]) -> str:
    """The text with flags gettext does not know removed from ``#,`` lines, as msgcat drops them."""

    def keep(match: re.Match[str]) -> str:
        kept = [flag for flag in match[1].split(", ") if flag not in flags]
        return f"#, {', '.join(kept)}\n" if kept else ""

    return re.sub(r"^#, (.*)\n", keep, text, flags=re.MULTILINE)


def assert_gnu_exact(catalog: polib.POFile, directory: Path, version: str) -> str:
    """Format the catalog and check msgcat writes the very same bytes; return the text."""
    ours = format_catalog(catalog)
    theirs = msgcat(ours, directory)
    # The Markdown flags (ours and Weblate's) are unknown to gettext 0.21, which drops them (see pofile._Flags).
    expected = without_flags(ours, {"markdown-text", "md-text"})
    if theirs != expected:
        ours_lines, their_lines = expected.splitlines(), theirs.splitlines()
        first = next(
            (i for i, (a, b) in enumerate(zip(ours_lines, their_lines, strict=False)) if a != b),
            min(len(ours_lines), len(their_lines)),
        )
        window = slice(max(first - 3, 0), first + 4)
        pytest.fail(
            f"{version} writes it differently from line {first + 1}:\n"
            f"ours:\n" + "\n".join(ours_lines[window]) + "\nmsgcat:\n" + "\n".join(their_lines[window])
        )
    return ours


# --------------------------------------------------------------------------------------
# Realistic catalogs, built as the pipeline builds them.
# --------------------------------------------------------------------------------------

HEADER_COMMENT = "Patient guide: immunotherapy trials for pancreatic cancer.\nCopyright (C) 2025 Plainleaf.\n"


def new_catalog(language: str, plural_forms: str = "nplurals=2; plural=(n != 1);") -> polib.POFile:
    """A catalog with the header msginit writes for ``language``."""
    catalog = polib.POFile()
    catalog.header = HEADER_COMMENT + "Translators: see CONTRIBUTING.md."
    catalog.metadata = {
        "Project-Id-Version": "plainleaf-guide 1.0",
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": "2025-02-03 10:00+0000",
        "PO-Revision-Date": "2025-02-04 11:30+0100",
        "Last-Translator": "Ana Pérez <ana@example.org>",
        "Language-Team": f"{language or 'LANGUAGE'} <team@example.org>",
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": plural_forms,
    }
    return catalog


def entry(msgid: str, msgstr: str = "", **fields: object) -> polib.POEntry:
    """A Markdown block entry with the flag and comment the extractor gives every entry."""
    fields.setdefault("flags", ["markdown-text"])
    fields.setdefault("comment", "paragraph")
    return polib.POEntry(msgid=msgid, msgstr=msgstr, **fields)


GUIDE = (
    "Immunotherapy helps your immune system find and attack cancer cells. In a clinical trial, "
    "researchers test whether a new treatment is safe and whether it works better than the "
    "treatment people usually get. Taking part is always your choice, and you can leave a trial "
    "at any time without losing access to your usual care."
)


def english() -> polib.POFile:
    """The English template: long paragraphs, headings, notes, many references."""
    catalog = new_catalog("")
    catalog.metadata_is_fuzzy = True
    catalog.append(
        entry(
            "What is a clinical trial?",
            comment="heading level 2\nNote: keep it a question.",
            occurrences=[("guide.md#what-is-a-clinical-trial", "")],
        )
    )
    catalog.append(entry(GUIDE, occurrences=[("guide.md#what-is-a-clinical-trial", "")]))
    catalog.append(
        entry(
            "Ask your care team these questions before you decide:",
            msgctxt="questions-intro",
            occurrences=[(f"chapters/{name}.md#questions-to-ask-your-team", "") for name in ("01", "02", "03", "04")]
            + [("./summary.md", "12"), ("./summary.md", "12"), ("handout/one-sheet.md", "7")],
        )
    )
    catalog.append(
        entry(
            "It usually takes {minutes} minute to read this page.",
            msgid_plural="It usually takes {minutes} minutes to read this page.",
            msgstr_plural={0: "", 1: ""},
            flags=["markdown-text", "python-brace-format"],
            comment="paragraph\n{minutes} is a number the pipeline computes; keep it.",
        )
    )
    return catalog


def spanish() -> polib.POFile:
    """Spanish: accents, ¿¡ and «», fuzzy entries with the previous msgid, a context."""
    catalog = new_catalog("es")
    catalog.append(
        entry(
            "What is a clinical trial?",
            "¿Qué es un ensayo clínico?",
            tcomment="Revisado por la Dra. Muñoz.",
            occurrences=[("guide.md#what-is-a-clinical-trial", "")],
        )
    )
    catalog.append(
        entry(
            GUIDE,
            "La inmunoterapia ayuda a su sistema inmunitario a encontrar y atacar las células del cáncer. "
            "En un ensayo clínico, los investigadores comprueban si un tratamiento nuevo es seguro y si "
            "funciona mejor que el tratamiento habitual. Participar es siempre «su decisión»: puede dejar "
            "el ensayo en cualquier momento sin perder su atención médica habitual.",
            flags=["fuzzy", "markdown-text"],
            previous_msgid=GUIDE.replace("Taking part", "Joining"),
        )
    )
    catalog.append(
        entry(
            "Leave",
            "Abandonar",
            msgctxt="button: leave the trial",
            flags=["markdown-text", "fuzzy"],
            previous_msgctxt="button",
            previous_msgid="Quit",
        )
    )
    catalog.append(
        entry(
            "It usually takes {minutes} minute to read this page.",
            msgid_plural="It usually takes {minutes} minutes to read this page.",
            msgstr_plural={
                0: "¡Leer esta página suele llevar {minutes} minuto!",
                1: "¡Leer esta página suele "
                "llevar {minutes} minutos, con calma y sin prisa, en su casa o en la clínica!",
            },
            flags=["markdown-text", "python-brace-format"],
        )
    )
    catalog.append(entry("Untranslated and fuzzy: gettext drops the flag.", flags=["fuzzy", "markdown-text"]))
    return catalog


def chinese() -> polib.POFile:
    """Simplified Chinese: long paragraphs without spaces, full-width punctuation, mixed Latin."""
    catalog = new_catalog("zh_Hans", "nplurals=1; plural=0;")
    catalog.append(
        entry(
            GUIDE,
            "免疫疗法帮助您的免疫系统发现并攻击癌细胞。在临床试验中，研究人员会检验一种新疗法是否安全，"
            "以及它是否比人们通常接受的治疗效果更好。是否参加始终由您决定，您可以随时退出试验，"
            "而不会失去获得常规医疗服务的机会。如有疑问，请联系您的医疗团队（电话：400-800-1234）。",
        )
    )
    catalog.append(
        entry(
            "Ask about side effects such as fatigue, rash, diarrhea and changes in thyroid function.",
            "请询问副作用，例如疲劳、皮疹、腹泻以及甲状腺功能的变化。请注意，「免疫相关不良事件」可能在治疗"
            "结束后数周甚至数月才出现；如果出现任何新的症状，请立即告诉医生。《患者手册》第3章有更多说明。",
            tcomment="术语参见 NCI 词汇表。",
        )
    )
    catalog.append(
        entry(
            "It usually takes {minutes} minute to read this page.",
            msgid_plural="It usually takes {minutes} minutes to read this page.",
            msgstr_plural={0: "阅读本页通常需要{minutes}分钟。"},
            flags=["markdown-text", "python-brace-format"],
        )
    )
    return catalog


ARABIC_PLURALS = "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);"


def arabic() -> polib.POFile:
    """Arabic: six plural forms, Arabic punctuation, diacritics (combining marks)."""
    catalog = new_catalog("ar", ARABIC_PLURALS)
    catalog.append(
        entry(
            "What is a clinical trial?",
            "ما هي التجربة السريرية؟",
        )
    )
    catalog.append(
        entry(
            GUIDE,
            "يساعد العلاجُ المناعيُّ جهازَك المناعيَّ على العثور على الخلايا السرطانية ومهاجمتها. في التجربة "
            "السريرية، يختبر الباحثون ما إذا كان العلاج الجديد آمنًا، وما إذا كان يعمل بشكل أفضل من العلاج "
            "المعتاد. المشاركة اختيارك دائمًا، ويمكنك مغادرة التجربة في أي وقت.",
        )
    )
    forms = ["لا دقائق", "دقيقة واحدة", "دقيقتان", "{minutes} دقائق", "{minutes} دقيقة", "{minutes} دقيقة"]
    catalog.append(
        entry(
            "It usually takes {minutes} minute to read this page.",
            msgid_plural="It usually takes {minutes} minutes to read this page.",
            msgstr_plural={
                index: f"تستغرق قراءة هذه الصفحة عادةً {form} تقريبًا، حسب سرعتك." for index, form in enumerate(forms)
            },
            flags=["markdown-text", "python-brace-format"],
        )
    )
    return catalog


def vietnamese() -> polib.POFile:
    """Vietnamese: stacked diacritics, precomposed and decomposed."""
    catalog = new_catalog("vi", "nplurals=1; plural=0;")
    catalog.append(
        entry(
            GUIDE,
            "Liệu pháp miễn dịch giúp hệ miễn dịch của bạn tìm và tấn công các tế bào ung thư. Trong một thử "
            "nghiệm lâm sàng, các nhà nghiên cứu kiểm tra xem một phương pháp điều trị mới có an toàn không và "
            "có hiệu quả hơn phương pháp thông thường không. Tham gia luôn là lựa chọn của bạn.",
        )
    )
    catalog.append(
        entry(
            "Side effects",
            unicodedata.normalize(
                "NFD", "Tác dụng phụ có thể xảy ra rất muộn, sau nhiều tuần hoặc nhiều tháng điều trị."
            ),
        )
    )
    return catalog


def long_words() -> polib.POFile:
    """URLs, paths and words longer than a line, which gettext never breaks inside."""
    catalog = new_catalog("en")
    url = "https://www.cancer.gov/about-cancer/treatment/clinical-trials/search/v?id=NCI-2024-01234&r=1&loc=0"
    catalog.append(entry(f"See {url} for the full trial listing.", f"Full listing: {url}"))
    catalog.append(entry("x" * 120, "y" * 77))
    catalog.append(entry("Word " + "z" * 76 + " next", "A" * 76 + " " + "B" * 76))
    catalog.append(
        entry(
            "Write to research.coordinator.pancreatic.immunotherapy.trials@example-hospital.org or call.",
            "Mail: research.coordinator.pancreatic.immunotherapy.trials@example-hospital.org/über/länger/pfad",
            occurrences=[("very/deep/directory/structure/for/the/guide/chapters/" + "x" * 40 + ".md", "1")] * 2
            + [("a.md", str(n)) for n in range(1, 30)],
        )
    )
    catalog.append(entry("Hyphen-ated-words-that-go-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-x"))
    return catalog


def escapes() -> polib.POFile:
    """Embedded newlines, tabs, quotes and backslashes, and escapes at the wrap column."""
    catalog = new_catalog("en")
    catalog.append(entry("Line one\nLine two\n", "Línea uno\nLínea dos\n"))
    catalog.append(entry("\nStarts with a newline and ends with two\n\n", "\nEmpieza con salto y acaba con dos\n\n"))
    catalog.append(entry("Say \"yes\" or 'no'\tthen press \\ (backslash)", 'Diga "sí"\t\\n is not a newline'))
    catalog.append(entry("a" * 75 + '"quoted"', "b" * 76 + "\\" + "c" * 10))
    catalog.append(entry("c" * 76 + "\n" + "d" * 10, "tab\tat\tthe\tcolumn " + "e" * 60 + "\t\t\n" + "f" * 9))
    catalog.append(entry("Carriage\r\nreturn", "form\ffeed and vertical\vtab and bell\a and backspace\b"))
    catalog.append(entry("\n", "\n"))
    catalog.append(entry("Windows path", "C:\\Program Files\\", tcomment="Keep the path C:\\"))
    return catalog


def obsolete() -> polib.POFile:
    """Obsolete entries: comments, fuzzy, previous msgids, plurals; untranslated ones vanish."""
    catalog = new_catalog("es")
    catalog.append(entry("Current entry", "Entrada actual"))
    catalog.append(
        entry(
            "An old paragraph that the guide no longer contains, long enough that it has to wrap.",
            "Un párrafo antiguo que la guía ya no contiene, lo bastante largo como para partirse en líneas.",
            obsolete=True,
            tcomment="Kept for reuse.",
            flags=["fuzzy"],
            previous_msgid="An older paragraph",
        )
    )
    catalog.append(
        entry(
            "{n} old item",
            msgid_plural="{n} old items",
            msgstr_plural={0: "{n} elemento antiguo", 1: "{n} elementos antiguos"},
            obsolete=True,
            msgctxt="list",
        )
    )
    catalog.append(entry("Never translated, now gone", obsolete=True))
    return catalog


def comments_and_references() -> polib.POFile:
    """Multi-line extracted comments, translator comments, and many references that wrap."""
    catalog = new_catalog("es")
    catalog.append(
        entry(
            "Call your doctor right away if you have a fever.",
            "Llame a su médico de inmediato si tiene fiebre.",
            tcomment="Checked against the clinic's script.\n\n  Indented line.",
            comment="list item\nNote: urgent symptoms, keep the imperative.\nLink target: #fever",
            occurrences=[(f"chapters/{n:02d}-side-effects.md#when-to-call", "") for n in range(1, 12)]
            + [("handout/one-sheet.md", "3"), ("handout/one-sheet.md", "3"), ("handout/one-sheet.md", "30")],
        )
    )
    catalog.append(entry("No comments at all", "Sin comentarios", comment="", flags=[]))
    return catalog


def format_strings() -> polib.POFile:
    """Format flags change where gettext may break: never inside a directive."""
    catalog = new_catalog("es")
    catalog.append(
        entry(
            "Progress: " + "x" * 60 + " 100%% done, % d left",
            "Progreso: " + "y" * 60 + " 100%% hecho, % d faltan",
            flags=["c-format"],
        )
    )
    catalog.append(
        entry(
            "Hello %(name)s, " + "w" * 59 + " %(a b)s and %%",
            "Hola %(name)s, " + "v" * 60 + " %(a b)s y %%",
            flags=["python-format", "no-c-format"],
        )
    )
    catalog.append(
        entry(
            "a b c " + "b" * 72 + " {x:>10} tail",
            "é b c " + "b" * 72 + " {x:>10} tail",
            flags=["python-brace-format", "markdown-text"],
        )
    )
    catalog.append(entry("No wrap " + "word " * 30, "Sin corte " + "palabra " * 20, flags=["no-wrap"]))
    catalog.append(
        entry(
            "{n} dose",
            msgid_plural="{n} doses",
            msgstr_plural={0: "{n} dosis", 1: "{n} dosis"},
            flags=["range: 1..5", "python-brace-format", "markdown-text"],
        )
    )
    return catalog


CATALOGS: dict[str, Callable[[], polib.POFile]] = {
    "english": english,
    "spanish": spanish,
    "chinese": chinese,
    "arabic": arabic,
    "vietnamese": vietnamese,
    "long-words": long_words,
    "escapes": escapes,
    "obsolete": obsolete,
    "comments-references": comments_and_references,
    "format-strings": format_strings,
}


@pytest.mark.parametrize("name", list(CATALOGS))
def test_written_catalog_is_what_msgcat_writes(name: str, tmp_path: Path, gettext: str) -> None:
    assert_gnu_exact(CATALOGS[name](), tmp_path, gettext)


@pytest.mark.parametrize("name", list(CATALOGS))
def test_msgfmt_check_accepts_written_catalog(name: str, tmp_path: Path, gettext: str) -> None:
    path = tmp_path / f"{name}.po"
    path.write_text(format_catalog(CATALOGS[name]()), encoding="utf-8")
    result = subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(path)], capture_output=True, text=True)
    # msgfmt only warns about \r, \a, \b, \f and \v in messages.
    assert result.returncode == 0, result.stderr


def test_polib_alone_is_not_gnu_exact(tmp_path: Path, gettext: str) -> None:
    # Why this module exists, and proof the msgcat comparison can fail.
    text = str(chinese())
    assert msgcat(text, tmp_path) != text


def test_cjk_lines_count_wide_characters_twice() -> None:
    text = format_catalog(chinese())
    lines = [line for line in text.split("\n") if line.startswith('"') and any("\u4e00" <= c <= "\u9fff" for c in line)]
    assert lines, "the Chinese catalog has wrapped lines"
    widths = [sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line) for line in lines]
    assert max(widths) <= 79
    assert max(widths) >= 75, "lines are filled, not wrapped at half width"


def test_python_brace_directives_guard_the_start_of_the_string_as_gettext_does() -> None:
    # gettext 0.21 records a python-brace directive's extent from the string's start, so a
    # 7-character directive forbids the breaks within the first 7 bytes, not inside itself.
    catalog = new_catalog("en")
    text = "a b c " + "b" * 72 + " {x:>10} tail"
    catalog.append(polib.POEntry(msgid=text, flags=["python-brace-format"]))
    catalog.append(polib.POEntry(msgid="plain " + text))
    written = format_catalog(catalog)
    assert f'"a b c {"b" * 72} "\n"{{x:>10}} tail"' in written
    assert f'"plain a b c "\n"{"b" * 72} {{x:"\n">10}} tail"' in written


def test_unknown_flags_are_kept_after_gettexts_own() -> None:
    catalog = new_catalog("es")
    catalog.append(entry("a", "b", flags=["markdown-text", "python-brace-format", "fuzzy", "markdown-text"]))
    text = format_catalog(catalog)
    assert "\n#, fuzzy, python-brace-format, markdown-text\nmsgid" in text


def test_header_keeps_metadata_order_comments_and_fuzzy() -> None:
    catalog = polib.POFile()
    catalog.header = "First line\n\nThird line"
    catalog.metadata = {"Language": "es", "Project-Id-Version": "x", "Content-Type": "text/plain; charset=UTF-8"}
    catalog.metadata_is_fuzzy = True
    assert format_catalog(catalog) == (
        "# First line\n#\n# Third line\n#, fuzzy\n"
        'msgid ""\nmsgstr ""\n"Language: es\\n"\n"Project-Id-Version: x\\n"\n'
        '"Content-Type: text/plain; charset=UTF-8\\n"\n'
    )


def test_parsed_fuzzy_header_stays_fuzzy(tmp_path: Path) -> None:
    text = format_catalog(english())
    assert '#, fuzzy\nmsgid ""\n' in text
    assert format_catalog(parse_catalog(text)) == text


def test_obsolete_entries_go_last_and_untranslated_ones_vanish() -> None:
    text = format_catalog(obsolete())
    assert text.index("Current entry") < text.index("#~ msgid")
    assert "Never translated" not in text
    assert '#~| msgid "An older paragraph"' in text
    assert text.endswith('#~ msgstr[1] "{n} elementos antiguos"\n')


def test_fixture_catalogs_read_back_unchanged(tmp_path: Path) -> None:
    for name, build in CATALOGS.items():
        text = format_catalog(build())
        path = tmp_path / f"{name}.po"
        path.write_bytes(text.encode("utf-8"))
        assert format_catalog(read_catalog(path)) == text, name


# --------------------------------------------------------------------------------------
# Every script at once: random text from all characters of Unicode 14 against msgcat.
# --------------------------------------------------------------------------------------


def assigned_characters() -> list[str]:
    """Printable characters assigned in Unicode 14 (the version libunistring 1.0 knows)."""
    return [
        chr(code) for code in range(0x20, 0x110000) if unicodedata.category(chr(code)) not in ("Cn", "Cs", "Co", "Cc")
    ]


def test_random_text_from_every_script_matches_msgcat(tmp_path: Path, gettext: str) -> None:
    rng = random.Random(20250203)
    characters = assigned_characters()
    common = [*" \n\t\"\\-/.,;:!?()[]{}%$'", "\u00a0", "\u200b", "\u200d", "\u0301", "\u3000"]
    catalog = new_catalog("en")
    for number in range(1500):
        length = rng.choice([20, 70, 76, 77, 78, 150, 300])
        text = "".join(rng.choice(common) if rng.random() < 0.3 else rng.choice(characters) for _ in range(length))
        catalog.append(polib.POEntry(msgid=f"{number} {text}", msgstr=text[::-1]))
    assert_gnu_exact(catalog, tmp_path, gettext)


# One character of each line-breaking class libunistring 1.0 distinguishes (UTF-8 text).
CLASS_SAMPLES = (
    '\u2060\u00a0\u2014|\u00b4-})!\u2024\u3005(\u3008",1%$/a\U0001f466\U0001f3fb\uac00\uac01\u05d0\u4e00'
    "\u1100\u1160\u11a8\U0001f1e6 \u200b\u0301\u200d\u00a7\u0e01\u3041\ufffc\u2028\u0085"
)
# Characters whose class in libunistring 1.0 differs from the Unicode 16 data in uniseg.
CLASS_EXCEPTIONS = (
    "\u0600\u06dd\u0890\u08e2\u19da\u1b50\u1b59\u1b5c\u1b61\u1b74\u1dcd\u1dfc\u2057\u2e56\u2e5c\ua9c1\ua9cf"
    "\ua9d0\ua9de\uaa40\uaa44\uaa50\uaa5c\ufe10\ufe13\ufe20\ufe2e\uff62\U00011049\U00011052\U00011066"
    "\U0001107f\U000110bd\U0001133d\U00011950\U00011ef2\U0001f10d\U0001f16d\U0001f1ad\U0001f8b0"
    "\u1b05\u1bc0\u1b44\u1bf2\U00011003\u0378\U0001f8c0\u20c5\u3134"
)


def test_break_opportunities_between_every_pair_of_classes_match_msgcat(tmp_path: Path, gettext: str) -> None:
    # Each pair sits at the end of the line, so whether gettext may break inside it shows.
    catalog = new_catalog("en")
    samples = CLASS_SAMPLES + CLASS_EXCEPTIONS
    for first in samples:
        for second in CLASS_SAMPLES if first in CLASS_EXCEPTIONS else samples:
            for lead in (72, 74):
                catalog.append(polib.POEntry(msgid=f"{'a' * lead} {first}{second}x {len(catalog)}"))
    for sequence in ("\u05d0-a", "\u05d0|a", "\u05d0-\u05d1", "a\u200d(", "a \u0301b", "\u200b\u0301a", "1.<p>",
                     "\U0001f1e6" * 5, "\U0001f1e6 \U0001f1e6\U0001f1e6", "(\u0301a", "a\u2028b"):  # fmt: skip
        for lead in range(68, 77):
            catalog.append(polib.POEntry(msgid=f"{'a' * lead} {sequence}x {len(catalog)}"))
    assert_gnu_exact(catalog, tmp_path, gettext)


# --------------------------------------------------------------------------------------
# Property: random catalogs are written as msgcat writes them, and read back unchanged.
# --------------------------------------------------------------------------------------

MIXED = (
    "abcdefghijklmnopqrstuvwxyz ABCXYZ 0123456789 .,;:!?-()[]{}%/'\"\\\n\t"
    "áéíóúñüçÁÉ¿¡«» 中文汉字。，、；：「」《》（）！？ 日本語カタカナ ひらがな 한국어 "
    "مرحبا بالعالم،؟ שלום עולם tiếng Việt ạảãằ ệ  ก่อน कृपया 🙂👩‍⚕️🇪🇸 \u00a0\u2014\u2026\u201c\u201d\u0301\u200b"
    "\a\b\f\v\r\x01\x1c\u0085\u2028"
)
text_strategy = st.text(alphabet=st.sampled_from(sorted(set(MIXED))), max_size=400)
word_strategy = st.text(alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyz-_/.:?=&#"), min_size=1, max_size=120)
any_text = st.one_of(text_strategy, st.lists(word_strategy, max_size=8).map(" ".join))
comment_line = (
    st.text(
        alphabet=st.sampled_from(sorted(set(MIXED) - set("\n\t\a\b\f\v\r\x01\x1c\x85\u2028"))), min_size=1, max_size=90
    )
    .map(str.strip)
    .filter(bool)
)
comments = st.lists(comment_line, max_size=3).map("\n".join)
references = st.lists(
    st.tuples(
        st.sampled_from(["guide.md", "./chapters/01-intro.md", "handout/one-sheet.md"]),
        st.sampled_from(["", "3", "120"]),
    ),
    max_size=15,
)
known_flags = st.lists(
    st.sampled_from(["fuzzy", "python-format", "c-format", "python-brace-format", "no-wrap"]), unique=True, max_size=2
)


@st.composite
def entries(draw: st.DrawFn) -> polib.POEntry:
    """One random entry: singular or plural, maybe with context, comments, flags, previous msgid."""
    result = polib.POEntry(
        msgid=draw(any_text),
        msgstr=draw(any_text),
        msgctxt=draw(st.none() | any_text),
        tcomment=draw(comments),
        comment=draw(comments),
        occurrences=draw(references),
        flags=draw(known_flags),
        obsolete=draw(st.booleans().map(lambda flag: flag and draw(st.integers(0, 4)) == 0)),
    )
    if draw(st.booleans()):
        result.msgid_plural = draw(any_text.filter(bool))
        result.msgstr_plural = dict(enumerate(draw(st.lists(any_text, min_size=2, max_size=6))))
    if draw(st.integers(0, 3)) == 0:
        result.previous_msgid = draw(any_text)
        result.previous_msgctxt = draw(st.none() | any_text)
    return result


catalogs = st.lists(entries(), max_size=8, unique_by=lambda item: (item.msgctxt, item.msgid)).filter(
    lambda items: all(item.msgid or item.msgctxt is not None for item in items)
)


def comparable(entry_: polib.POEntry) -> tuple[object, ...]:
    """What must survive a write and a read."""
    translated = (entry_.msgstr_plural.get(0, "") if entry_.msgid_plural else entry_.msgstr) != ""
    flags = [flag for flag in entry_.flags if flag != "fuzzy" or translated]
    return (
        entry_.msgctxt,
        entry_.msgid,
        entry_.msgid_plural,
        entry_.msgstr if not entry_.msgid_plural else "",
        dict(entry_.msgstr_plural),
        bool(entry_.obsolete),
        sorted(flags) if not entry_.obsolete else "fuzzy" in flags,
        entry_.tcomment,
        entry_.comment,
        entry_.previous_msgctxt,
        entry_.previous_msgid,
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(items=catalogs)
def test_random_catalogs_are_gnu_exact_and_read_back(
    items: list[polib.POEntry], tmp_path_factory: pytest.TempPathFactory, gettext: str
) -> None:
    catalog = new_catalog("es", ARABIC_PLURALS)
    for item in items:
        catalog.append(item)
    text = assert_gnu_exact(catalog, tmp_path_factory.mktemp("property"), gettext)
    again = parse_catalog(text)
    kept = [
        item
        for item in items
        if not item.obsolete or (item.msgstr_plural.get(0, "") if item.msgid_plural else item.msgstr)
    ]
    expected = sorted((comparable(item) for item in kept), key=repr)
    assert sorted((comparable(item) for item in again), key=repr) == expected
    assert again.metadata == catalog.metadata
    assert format_catalog(again) == text


# --------------------------------------------------------------------------------------
# Reading: every problem is a CatalogError naming the file and line.
# --------------------------------------------------------------------------------------

GOOD_HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'

BAD_CATALOGS: dict[str, tuple[bytes, int, str]] = {
    "syntax-error": ((GOOD_HEADER + '\nmsgid "a"\nmsgstr "b"\n\nthis is not PO\n').encode(), 8, "syntax error"),
    "unescaped-quote": ((GOOD_HEADER + '\nmsgid "a"\nmsgstr "say "hi""\n').encode(), 6, "double quote"),
    "unterminated-string": (
        (GOOD_HEADER + '\nmsgid "a"\nmsgstr ""\n"cut here\n\nmsgid "b"\nmsgstr ""\n').encode(),
        7,
        "unterminated",
    ),
    "octal-escape": ((GOOD_HEADER + '\nmsgid "caf\\303\\251"\nmsgstr ""\n').encode(), 5, "escape"),
    "msgid-twice": ((GOOD_HEADER + '\nmsgid "a"\nmsgid "b"\nmsgstr ""\n').encode(), 6, "syntax error"),
    "invalid-utf8": ((GOOD_HEADER + '\nmsgid "caf\xe9"\nmsgstr ""\n').encode("latin-1"), 5, "UTF-8"),
    "invalid-utf8-later": ((GOOD_HEADER + '\nmsgid "a"\nmsgstr "b"\n\n# \xff\n').encode("latin-1"), 8, "UTF-8"),
    "latin1-charset": (
        b'# comment\nmsgid ""\nmsgstr ""\n"Project-Id-Version: x\\n"\n'
        b'"Content-Type: text/plain; charset=ISO-8859-1\\n"\n',
        5,
        "ISO-8859-1",
    ),
    "duplicate": (
        (GOOD_HEADER + '\nmsgid "a"\nmsgstr "1"\n\n# again\nmsgid "a"\nmsgstr "2"\n').encode(),
        9,
        "duplicate",
    ),
    "duplicate-in-context": (
        (
            GOOD_HEADER
            + '\nmsgctxt "c"\nmsgid "a"\nmsgstr ""\n\nmsgid "a"\nmsgstr ""\n\nmsgctxt "c"\nmsgid "a"\nmsgstr ""\n'
        ).encode(),
        13,
        "context 'c'",
    ),
    "duplicate-obsolete": (
        (GOOD_HEADER + '\nmsgid "a"\nmsgstr "1"\n\n#~ msgid "a"\n#~ msgstr "2"\n').encode(),
        8,
        "duplicate",
    ),
    "duplicate-header": ((GOOD_HEADER + '\nmsgid ""\nmsgstr ""\n').encode(), 5, "header"),
}


@pytest.mark.parametrize("name", list(BAD_CATALOGS))
def test_bad_catalog_is_refused_with_its_line(name: str, tmp_path: Path) -> None:
    data, line, words = BAD_CATALOGS[name]
    path = tmp_path / "locales" / "es.po"
    path.parent.mkdir()
    path.write_bytes(data)
    with pytest.raises(CatalogError) as caught:
        read_catalog(path)
    assert (caught.value.path, caught.value.line) == (str(path), line)
    assert words.lower() in caught.value.message.lower()
    assert str(caught.value).startswith(f"{path}:{line}: ")


def test_same_msgid_in_other_context_is_no_duplicate() -> None:
    catalog = parse_catalog(GOOD_HEADER + '\nmsgid "a"\nmsgstr ""\n\nmsgctxt "menu"\nmsgid "a"\nmsgstr ""\n')
    assert [(item.msgctxt, item.msgid) for item in catalog] == [(None, "a"), ("menu", "a")]


@pytest.mark.parametrize("name", ["missing", "directory"])
def test_unreadable_catalog_is_refused(name: str, tmp_path: Path) -> None:
    path = tmp_path / "es.po"
    if name == "directory":
        path.mkdir()
    with pytest.raises(CatalogError) as caught:
        read_catalog(path)
    assert caught.value.path == str(path)
    assert caught.value.line is None


@pytest.mark.parametrize(
    "text",
    ['msgstr[x] ""\n', "\x00\x01\x02", 'msgid "a"\nmsgstr[0] "b"\nmsgstr[a] "c"\n', "#| msgid\n", '"\n' * 3],
    ids=["bad-plural-index", "binary", "bad-index-later", "previous-without-string", "lone-quotes"],
)
def test_garbage_raises_only_catalog_errors(text: str) -> None:
    with pytest.raises(CatalogError):
        parse_catalog(text, "garbage.po")


def test_comments_after_the_last_entry_do_not_lose_it() -> None:
    # polib alone drops the last entry when a comment follows it.
    catalog = parse_catalog(GOOD_HEADER + '\nmsgid "last"\nmsgstr "kept"\n\n# trailing note\n')
    assert [item.msgstr for item in catalog] == ["kept"]


def test_raw_line_separators_inside_strings_are_read_as_text() -> None:
    # U+2028 and U+0085 are written raw, as gettext does; str.splitlines would split there.
    catalog = new_catalog("en")
    catalog.append(entry("a\u2028b\u0085c\x1cd", "x"))
    assert [item.msgid for item in parse_catalog(format_catalog(catalog))] == ["a\u2028b\u0085c\x1cd"]


# --------------------------------------------------------------------------------------
# Writing files.
# --------------------------------------------------------------------------------------


def redated(catalog: polib.POFile, pot: str, po: str) -> polib.POFile:
    """The catalog with other header dates."""
    catalog.metadata["POT-Creation-Date"] = pot
    catalog.metadata["PO-Revision-Date"] = po
    return catalog


def test_write_creates_directories_atomically(tmp_path: Path) -> None:
    path = tmp_path / "locales" / "es" / "LC_MESSAGES" / "guide.po"
    assert write_catalog(spanish(), path) is True
    assert path.read_text(encoding="utf-8") == format_catalog(spanish())
    assert sorted(p.name for p in path.parent.iterdir()) == ["guide.po"], "no temporary file left behind"


def test_write_skips_a_change_of_dates_only(tmp_path: Path) -> None:
    path = tmp_path / "guide.po"
    write_catalog(spanish(), path)
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    before = path.read_bytes()
    assert write_catalog(redated(spanish(), "2030-01-01 00:00+0000", "2030-01-02 03:04-0500"), path) is False
    assert path.read_bytes() == before
    assert path.stat().st_mtime_ns == 1_000_000_000
    assert write_catalog(spanish(), path) is False


def test_write_rewrites_a_real_change(tmp_path: Path) -> None:
    path = tmp_path / "guide.po"
    write_catalog(spanish(), path)
    path.chmod(0o640)
    changed = redated(spanish(), "2030-01-01 00:00+0000", "2030-01-02 03:04-0500")
    changed[0].msgstr = "¿Qué es un ensayo?"
    assert write_catalog(changed, path) is True
    assert path.read_text(encoding="utf-8") == format_catalog(changed)
    assert path.stat().st_mode & 0o777 == 0o640


def test_a_date_outside_the_header_is_a_real_change(tmp_path: Path) -> None:
    path = tmp_path / "guide.po"
    catalog = spanish()
    catalog.append(entry("POT-Creation-Date: 2025-01-01 00:00+0000\n", "x"))
    write_catalog(catalog, path)
    catalog[-1].msgid = "POT-Creation-Date: 2026-01-01 00:00+0000\n"
    assert write_catalog(catalog, path) is True


def test_catalog_date_honours_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert catalog_date() == "2023-11-14 22:13+0000"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(CatalogError, match="SOURCE_DATE_EPOCH"):
        catalog_date()


def test_catalog_date_writes_the_offset_as_gettext_does(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    india = timezone(timedelta(hours=5, minutes=30))
    assert catalog_date(datetime(2025, 3, 5, 9, 7, tzinfo=india)) == "2025-03-05 09:07+0530"
    assert catalog_date(datetime(2025, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-3)))) == "2025-12-31 23:59-0300"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d[+-]\d{4}", catalog_date())

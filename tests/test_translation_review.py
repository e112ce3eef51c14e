"""Translation review fixes (issues 12 and 15) stay fixed in the shipped catalogs.

Each test pins one corrected meaning in ``locales/<lang>/LC_MESSAGES/<domain>.po``.
The catalogs are read with polib only, so these tests do not depend on the
``pipeline`` package. Entries are found by the start of their English msgid.
"""

from __future__ import annotations

import re
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[1]
LOCALES = ROOT / "locales"
SHIPPED = sorted(LOCALES.glob("*/LC_MESSAGES/*.po"))


def catalog(locale: str, domain: str) -> polib.POFile:
    return polib.pofile(str(LOCALES / locale / "LC_MESSAGES" / f"{domain}.po"))


def entry(locale: str, domain: str, prefix: str) -> polib.POEntry:
    """The one active entry whose msgid starts with ``prefix``."""
    matches = [e for e in catalog(locale, domain) if not e.obsolete and e.msgid.startswith(prefix)]
    assert len(matches) == 1, f"{locale}/{domain}: {len(matches)} entries start with {prefix!r}"
    return matches[0]


def msgstr(locale: str, domain: str, prefix: str) -> str:
    found = entry(locale, domain, prefix)
    assert found.msgstr, f"{locale}/{domain}: {prefix!r} is untranslated"
    return found.msgstr


# --- es -------------------------------------------------------------------------------


def test_es_guide_84_6_is_one_of_the_reported_rates() -> None:
    text = msgstr("es", "guide", "Early studies have shown encouraging results. One reported")
    # "One reported disease control rate", not "the rate": the figure is one of several.
    assert "una de las tasas de control de la enfermedad notificadas" in text
    assert "que la tasa de control" not in text
    assert "84,6 %" in text
    assert "CAR-T" in text


def test_es_summary_title_says_clinical_trials() -> None:
    text = msgstr("es", "summary", "Pancreatic Cancer: Immune Treatments and Trials")
    assert text == "Cáncer de páncreas: inmunoterapia y estudios clínicos"


# --- ar -------------------------------------------------------------------------------


def test_ar_car_t_refinement_keeps_might() -> None:
    text = msgstr("ar", "guide", "CAR-T therapy trials are also contributing to this")
    assert "كيف يمكن تحسين" in text  # "how ... might be refined"
    assert "كيفية تحسين" not in text  # "how ... are refined"
    assert "CAR-T" in text


def test_ar_stroma_blocks_physically_not_in_practice() -> None:
    text = msgstr("ar", "guide", "Pancreatic cancer develops a protective structure called the")
    assert "فعليًا" not in text  # "actually / in practice"
    assert "ماديًا" in text  # "physically"


def test_ar_microenvironment_signals_act_actively() -> None:
    text = msgstr("ar", "guide", "The tumor microenvironment refers to the cells, signals,")
    assert "بشكل نشط" in text  # "actively"
    assert "فعّال" not in text  # "effectively"


def test_ar_radiation_aims_at_the_targeted_area_not_part_of_the_tumor() -> None:
    text = msgstr("ar", "guide", "Radiation delivers high-energy beams aimed at a targeted")
    assert "من الورم" not in text  # "(a specific part) of the tumor"
    assert "منطقة الورم المستهدفة" in text  # "the targeted tumor area"


INVESTIGATIONAL_AR = "قيد البحث"
EXPERIMENTAL_AR = "تجريبي"  # also the stem of تجريبيًا / تجريبية; not of التجارب ("trials")


def test_ar_investigational_and_experimental_are_distinct() -> None:
    seen = {"investigational": 0, "experimental": 0}
    for path in sorted(LOCALES.glob("ar/LC_MESSAGES/*.po")):
        for item in polib.pofile(str(path)):
            if item.obsolete or not item.msgid:
                continue
            texts = [item.msgstr, *item.msgstr_plural.values()]
            english = item.msgid.lower()
            where = f"{path.name}:{item.linenum} {item.msgid[:60]!r}"
            for text in texts:
                if "investigational" in english:
                    seen["investigational"] += 1
                    assert INVESTIGATIONAL_AR in text, where
                if "experimental" in english:
                    seen["experimental"] += 1
                    assert EXPERIMENTAL_AR in text, where
                else:
                    # "experimental" wording only where the English says experimental.
                    assert "تجريب" not in text, where
    assert seen["investigational"] >= 10
    assert seen["experimental"] >= 5


# --- zh_Hans --------------------------------------------------------------------------


def test_zh_handout_tumor_tissue_review_uses_guide_term() -> None:
    text = msgstr("zh_Hans", "handout", "**Ask about tumor testing** (molecular testing) and a review of")
    assert "病理复核" in text
    assert "复查" not in text
    guide = msgstr("zh_Hans", "guide", "A pathology review confirms the diagnosis")
    assert "病理复核" in guide


def test_zh_handout_not_proof_is_not_softened() -> None:
    text = msgstr("zh_Hans", "handout", "Some early results look hopeful, but they are not proof.")
    for softener in ("确切", "确凿", "决定性", "充分", "最终"):
        assert softener not in text
    assert "证明" in text


# --- vi -------------------------------------------------------------------------------


def test_vi_guide_combinations_are_not_proven_standard_treatments() -> None:
    text = msgstr("vi", "guide", "These are examples of the types of combinations")
    sentences = [s for s in re.split(r"(?<=\.)\s+", text) if "tiêu chuẩn" in s]
    assert len(sentences) == 1, sentences
    assert "không phải" in sentences[0]
    assert "chưa" not in sentences[0]  # "not yet" would soften "not proven"


def test_vi_handout_not_proof_is_not_softened() -> None:
    text = msgstr("vi", "handout", "Some early results look hopeful, but they are not proof.")
    for softener in ("chắc chắn", "kết luận", "xác thực", "đầy đủ"):
        assert softener not in text
    assert "không phải là bằng chứng" in text
    summary = msgstr("vi", "summary", "Early results look hopeful, but they are not proof")
    assert "không phải là bằng chứng" in summary


def test_vi_reading_time_is_the_same_in_every_document_that_has_one() -> None:
    # The summary has no reading-time line since issue 23 (its one page holds the key points and next steps).
    guide = entry("vi", "guide", "Estimated reading time: {minutes} minute")
    assert all("{minutes}" in text for text in guide.msgstr_plural.values())
    for path in sorted(LOCALES.glob("vi/LC_MESSAGES/*.po")):
        for other in polib.pofile(str(path)):
            if other.msgid == guide.msgid and not other.obsolete:
                assert other.msgstr_plural == guide.msgstr_plural, path.name


# --- every shipped catalog ------------------------------------------------------------


def test_no_obsolete_entries_in_shipped_catalogs() -> None:
    assert len(SHIPPED) == 16
    found = {}
    for path in SHIPPED:
        obsolete = [e for e in polib.pofile(str(path)) if e.obsolete]
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("#~")]
        if obsolete or lines:
            found[str(path.relative_to(ROOT))] = (len(obsolete), len(lines))
    assert found == {}


# --- zh_Hans and vi: the 84.6 % figure is one of several rates, as in es and ar ------------


def test_zh_and_vi_guide_84_6_is_one_of_the_reported_rates() -> None:
    prefix = "Early studies have shown encouraging results. One reported"
    chinese = msgstr("zh_Hans", "guide", prefix)
    assert "疾病控制率之一" in chinese and "84.6%" in chinese
    vietnamese = msgstr("vi", "guide", prefix)
    assert "một trong các tỷ lệ kiểm soát bệnh" in vietnamese and "84,6%" in vietnamese

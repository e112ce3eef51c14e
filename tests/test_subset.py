"""EPUB font subsets (issue 19): HarfBuzz's subsetter keeps every character of the text, the layout tables Arabic
joining needs and the same bytes for the same input, and a machine without it falls back to fontTools."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from pipeline.render import subset
from pipeline.render.epub import subset_font

CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
ARABIC = Path("/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf")
CHINESE = "免疫疗法是一种治疗方法\uff0c它帮助您的免疫系统对抗癌症。临床试验"
ARABIC_TEXT = "العلاج المناعي هو علاج يساعد جهازك المناعي على محاربة السرطان"


def _cmap(data: bytes) -> dict[int, str]:
    return TTFont(io.BytesIO(data)).getBestCmap()


@pytest.mark.parametrize(
    ("path", "family", "text"), [(CJK, "Noto Sans CJK SC", CHINESE), (ARABIC, "Noto Sans Arabic", ARABIC_TEXT)]
)
def test_the_subset_covers_the_text_keeps_layout_tables_and_is_reproducible(path: Path, family: str, text: str) -> None:
    assert subset._harfbuzz() is not None, "libharfbuzz-subset missing: apt-get install libharfbuzz-subset0"
    started = time.perf_counter()
    data = subset_font(path, family, text)
    seconds = time.perf_counter() - started
    font = TTFont(io.BytesIO(data))
    assert {ord(c) for c in text if not c.isspace()} <= set(font.getBestCmap())
    assert "GSUB" in font and font["name"].getDebugName(1) == family
    assert len(data) < 1_000_000  # a subset, not the whole 19 MB collection
    assert subset_font(path, family, text) == data
    assert seconds < 1.0  # fontTools took 3.0 s for the CJK face


def test_without_harfbuzz_fonttools_makes_the_subset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(subset, "_harfbuzz", lambda: None)
    data = subset_font(ARABIC, "Noto Sans Arabic", ARABIC_TEXT)
    assert {ord(c) for c in ARABIC_TEXT if not c.isspace()} <= set(_cmap(data))

"""Finding CJK faces by name and subsetting them with HarfBuzz."""

from __future__ import annotations

import io
import shutil
import time
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from bookmaker import fonts, fontsubset

TEXT = "山中笔记：一个程序员的十年，“引号”与《书名》……English 123"
needs_noto = pytest.mark.skipif(
    fonts.find_face("Noto Serif CJK SC", 400) is None, reason="Noto Serif CJK not installed"
)


@pytest.mark.parametrize(
    ("language", "family"),
    [
        ("zh-CN", "Noto Serif CJK SC"),
        ("zh-Hans", "Noto Serif CJK SC"),
        ("zh-TW", "Noto Serif CJK TC"),
        ("zh-Hant-TW", "Noto Serif CJK TC"),
        ("zh-HK", "Noto Serif CJK HK"),
        ("ja", "Noto Serif CJK JP"),
        ("en", "Noto Serif CJK SC"),
    ],
)
def test_body_family_follows_the_language(language, family):
    assert fonts.body_family(language) == family


@needs_noto
def test_the_sc_face_is_picked_by_name_inside_the_collection():
    regular = fonts.find_face("Noto Serif CJK SC", fonts.REGULAR)
    bold = fonts.find_face("Noto Serif CJK SC", fonts.BOLD)
    assert regular.path.suffix == ".ttc" and regular.path != bold.path
    for face in (regular, bold):
        font = TTFont(str(face.path), fontNumber=face.index, lazy=True)
        assert font["name"].getDebugName(1).startswith("Noto Serif CJK SC")
    assert fonts.find_face("No Such Family Anywhere", 400) is None


@needs_noto
def test_a_font_in_the_project_wins_over_the_system(tmp_path: Path):
    system = fonts.find_face("Noto Serif CJK SC", fonts.REGULAR)
    mine = tmp_path / "fonts"
    mine.mkdir()
    shutil.copy(system.path, mine / "Mine.ttc")
    found = fonts.find_face("Noto Serif CJK SC", fonts.REGULAR, (mine,))
    assert found.path == mine / "Mine.ttc" and found.index == system.index


@needs_noto
def test_subset_is_small_fast_covers_the_text_and_keeps_cjk_features():
    face = fonts.find_face("Noto Serif CJK SC", fonts.REGULAR)
    start = time.perf_counter()
    data = fontsubset.subset(face.path, face.index, TEXT)
    elapsed = time.perf_counter() - start
    assert elapsed < 2.0  # the bound; HarfBuzz takes a few hundredths
    assert len(data) < face.path.stat().st_size / 100
    font = TTFont(io.BytesIO(data))
    cmap = font.getBestCmap()
    assert {ord(c) for c in TEXT} <= set(cmap)
    assert len(cmap) <= len(set(TEXT))
    gsub = {r.FeatureTag for r in font["GSUB"].table.FeatureList.FeatureRecord}
    gpos = {r.FeatureTag for r in font["GPOS"].table.FeatureList.FeatureRecord}
    assert {"vert", "locl"} <= gsub and "halt" in gpos
    assert fontsubset.font_suffix(data) == (".otf", "font/otf")


def test_fonttools_fallback_gives_the_same_coverage():
    face = fonts.find_face("Noto Serif CJK SC", fonts.REGULAR)
    if face is None:
        pytest.skip("Noto Serif CJK not installed")
    codepoints = sorted({ord(c) for c in "中文"})
    data = fontsubset._subset_fonttools(face.path, face.index, codepoints)
    assert set(codepoints) <= set(TTFont(io.BytesIO(data)).getBestCmap())

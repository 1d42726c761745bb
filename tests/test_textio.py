"""Reading articles in every encoding blogs were saved in, and refusing to guess wrong."""

from __future__ import annotations

import codecs

import pytest

from bookmaker import textio

ZH = "今天下午我们在咖啡馆里讨论了新的项目计划，大家都觉得这个想法很有意思。Python 和 Rust。\n"
TW = "今天下午我們在咖啡館裡討論了新的專案計畫，大家都覺得這個想法很有意思。Python 與 Rust。\n"
JA = "今日の午後、私たちは喫茶店で新しいプロジェクトの計画について話し合いました。とても面白い。\n"


@pytest.mark.parametrize(
    ("text", "codec", "name"),
    [
        (ZH, "gbk", "GB18030"),
        (ZH, "gb18030", "GB18030"),
        (TW, "big5", "Big5"),
        (JA, "shift_jis", "Shift-JIS"),
    ],
)
def test_legacy_encodings_are_detected(text, codec, name):
    decoded = textio.decode(text.encode(codec))
    assert decoded.text == text
    assert decoded.encoding == name
    assert any("UTF-8" in message for _, message in decoded.warnings)


def test_gbk_text_is_not_read_as_big5_even_though_it_decodes():
    data = ZH.encode("gbk")
    data.decode("cp950")  # it does decode as Big5, into nonsense
    assert textio.decode(data).text == ZH


@pytest.mark.parametrize(
    ("bom", "codec", "name"),
    [
        (codecs.BOM_UTF8, "utf-8", "UTF-8 with BOM"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16 LE"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16 BE"),
    ],
)
def test_byte_order_marks(bom, codec, name):
    decoded = textio.decode(bom + ("---\ntitle: 标题\n---\n" + ZH).encode(codec))
    assert decoded.text.startswith("---\ntitle: 标题")  # no BOM left to hide the fence
    assert decoded.encoding == name


def test_crlf_and_cr_line_ends_become_lf():
    assert textio.decode(b"a\r\nb\rc\n").text == "a\nb\nc\n"


def test_control_characters_are_removed_with_a_warning_naming_the_line():
    decoded = textio.decode("一\n二\x00三\x07\n\t四\n".encode())
    assert decoded.text == "一\n二三\n\t四\n"
    [(line, message)] = decoded.warnings
    assert line == 2
    assert "2 control character" in message


def test_unclear_bytes_are_refused_with_the_offset_and_a_hint():
    data = "标题 ok ".encode() + bytes([0xFF, 0xFE, 0x80, 0x81, 0xFF])
    with pytest.raises(textio.DecodeRefused) as info:
        textio.decode(data)
    assert info.value.offset == len("标题 ok ".encode())
    assert f"offset {info.value.offset}" in str(info.value)
    assert "--encoding" in str(info.value)


def test_forced_encoding_wins_over_detection():
    data = TW.encode("big5")
    assert textio.decode(data, forced="big5").text == TW
    with pytest.raises(textio.DecodeRefused, match="not valid shift-jis at byte"):
        textio.decode(ZH.encode("gbk") + b"\x80", forced="shift-jis")


def test_unknown_forced_encoding_is_named():
    with pytest.raises(textio.DecodeRefused, match="unknown encoding 'klingon'"):
        textio.decode(b"abc", forced="klingon")


def test_utf16_without_bom_is_recognised():
    assert textio.decode("---\ntitle: x\n---\n".encode("utf-16-le")).text.startswith("---\ntitle")

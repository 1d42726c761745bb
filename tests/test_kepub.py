"""Kobo span markup: sentences, CJK end marks, numbering."""

from __future__ import annotations

from lxml import etree

from bookmaker.kepub import koboize, sentences

NS = {"x": "http://www.w3.org/1999/xhtml"}
PAGE = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" lang="zh-CN" xml:lang="zh-CN">
<head><title>t</title></head>
<body><h1>标题</h1><p>他说：“走吧。”我们就走了！真的？当然；然后……结束</p>
<p>One. Two? <b>粗体。</b>尾巴。</p><pre><code>x = 1</code></pre>
<math xmlns="http://www.w3.org/1998/Math/MathML"><mi>x</mi></math></body></html>"""


def test_sentences_split_on_chinese_end_marks_and_keep_closing_quotes():
    text = "他说：“走吧。”我们就走了！真的？当然；然后……结束"
    assert sentences(text) == [
        "他说：“走吧。”",
        "我们就走了！",
        "真的？",
        "当然；",
        "然后……",
        "结束",
    ]


def test_sentences_keep_decimals_and_rejoin_to_the_text():
    for text in ("版本 3.14 发布了。好", "Hello world. Bye!", "", "没有句号", "。。。"):
        assert "".join(sentences(text)) == text
    assert sentences("版本 3.14 发布了。好") == ["版本 3.14 发布了。", "好"]


def test_koboize_wraps_every_sentence_and_keeps_the_text():
    out = koboize(PAGE)
    root = etree.fromstring(out.encode())
    spans = root.findall(".//x:span[@class='koboSpan']", NS)
    ids = [s.get("id") for s in spans]
    assert len(ids) == len(set(ids))
    assert ids[0] == "kobo.1.1"
    assert [s.text for s in root.find(".//x:p", NS).findall("x:span", NS)][:2] == [
        "他说：“走吧。”",
        "我们就走了！",
    ]
    before = "".join(etree.fromstring(PAGE.encode()).find("x:body", NS).itertext())
    assert "".join(root.find("x:body", NS).itertext()) == before
    assert root.find(".//x:div[@id='book-columns']/x:div[@id='book-inner']", NS) is not None
    assert root.find(".//{http://www.w3.org/1998/Math/MathML}mi").text == "x"
    assert out.startswith('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>')

"""End to end: hostile, broken and rich Markdown through the HTML stage into an EPUB that
EPUBCheck accepts, with nothing dangerous left in it."""

from __future__ import annotations

import zipfile

import pytest
from epubcheck_util import needs_epubcheck, problems

HOSTILE = """\
---
title: 不怀好意的文章
date: 2024-10-02
---

开头 <script>alert(1)</script> 与 <img src="x.png" onerror="alert(2)">。

<center>居中的<font color=red>红字</font></center>

<p>段落里<div>块</div><figure>图</figure>还有 <pending> 和 a<b

<table align=center><tr><td style="text-align:right">1<td>2</table>

<iframe src="https://www.youtube.com/embed/xyz"></iframe>
<object data="a.swf"></object><embed src="b.swf"><form><input name=x></form>

[坏链接](javascript:alert(3)) [数据](data:text/html,hi) [文件](file:///etc/passwd)
[另一篇](2024-10-03-other.md#tail) [脚注][^1] [不存在](#nowhere)

## 同名
## 同名

$$
x
===
y
$$

价格 $5 and $6，公式 $a_1^2$。

- [x] 做完
- [ ] 没做

<ruby>汉<rp>(</rp><rt>hàn</rt><rp>)</rp></ruby> <details><summary>更多</summary>内容</details>

{% if x %}条件{% endif %} {{< unknown >}}

```
{% raw %}{{ kept }}{% endraw %} <script>in code</script>
```

![缺的图](missing.png)

[^1]: 注释。
"""

OTHER = """\
---
title: 另一篇
date: 2024-10-03
---

## Tail

内容。
"""


@pytest.mark.slow
@needs_epubcheck
def test_hostile_articles_make_a_valid_epub(make_project, run_cli):
    project = make_project(
        {
            "content/2024-10-02-hostile.md": HOSTILE,
            "content/2024-10-03-other.md": OTHER,
            "bookmaker.toml": '[book]\ntitle = "测试"\nauthor = "某人"\n',
        }
    )
    _status, _out, err = run_cli(project, "epub", "-o", "book.epub")
    book = project / "book.epub"
    assert book.is_file(), err
    assert problems(book) == []
    with zipfile.ZipFile(book) as z:
        texts = [z.read(n).decode() for n in z.namelist() if n.endswith(".xhtml")]
    joined = "\n".join(texts)
    for bad in (
        "<script>alert",
        "onerror",
        "javascript:",
        "<iframe",
        "<object",
        "<embed",
        "<form",
        "file:///",
        "data:text",
    ):
        assert bad not in joined
    assert "&lt;script&gt;in code" in joined or "<script>in code" not in joined
    assert "{{ kept }}" in joined and "<pending>" not in joined
    # `{% if x %}`: x cannot be known, so it counts as not set and the branch is left out
    assert "taken as not set" in err and "条件" not in joined

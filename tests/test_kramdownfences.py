"""Chirpy's code blocks: `{: file="run.sh" }` under a fence names the file over the code."""

from __future__ import annotations

import pytest
from render_util import NS, context, parse, render, site

from bookmaker import kramdownfences

JEKYLL = context(the_site=site("jekyll"))


def _block(body: str):
    root = parse(render(body, JEKYLL).xhtml)
    return root, root.find(".//h:div[@class='highlight']", NS)


@pytest.mark.parametrize(
    "ial",
    ['{: file="run.sh" }', "{: file='run.sh' .nolineno }", "{:file=run.sh}"],
)
def test_the_file_name_shows_over_the_code_and_the_line_is_not_printed(ial):
    root, block = _block(f"运行脚本：\n\n```bash\npython3 -m venv .venv\n```\n{ial}\n\n然后。\n")
    name = block.find("h:span[@class='filename']", NS)
    assert name is not None and "".join(name.itertext()) == "run.sh"
    assert "{:" not in "".join(root.itertext())
    assert "python3 -m venv .venv" in "".join(block.itertext())


def test_nolineno_is_dropped_silently():
    root, block = _block("```python\nprint(1)\n```\n{: .nolineno }\n\n下一段。\n")
    assert block.find("h:span[@class='filename']", NS) is None
    assert block.find(".//h:span[@class='linenos']", NS) is None
    assert "nolineno" not in "".join(root.itertext())


def test_a_file_name_in_a_quote_and_the_fences_own_title_wins():
    source = (
        '> ```js\n> let a = 1;\n> ```\n> {: file="a.js" }\n\n'
        '```py title="b.py"\nx\n```\n{: file="c.py" }\n'
    )
    assert kramdownfences.file_titles(source) == (
        '> ```js title="a.js"\n> let a = 1;\n> ```\n\n```py title="b.py"\nx\n```\n'
    )


def test_an_attribute_line_inside_the_code_is_the_code():
    source = '```text\n{: file="x" }\n```\n'
    assert kramdownfences.file_titles(source) == source

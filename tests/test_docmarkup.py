"""What VuePress, VitePress and Docusaurus pages write, as the book shows it: their boxes,
code groups, tabs and fences' options; no component, script or MDX line printed raw."""

from __future__ import annotations

import pytest
from pdf_util import make_article, make_book, page_texts
from render_util import NS, FakeStore, article, boxes, context, parse, site

from bookmaker import docsites, markdown, pdf
from bookmaker.config import Config, PdfConfig
from bookmaker.layouts import load_layout


def rendered(body: str, kind: str = "vuepress", **kw):
    a = article(body, **kw)
    s = site(kind, markdown_it=docsites.MARKDOWN_IT)
    r = markdown.render(a, context((a,), s))
    return r, parse(r.xhtml)


def text(root) -> str:
    return "".join(root.itertext())


@pytest.mark.parametrize("kind", docsites.KINDS)
def test_containers_are_boxes_titled_as_written(kind):
    r, _ = rendered(
        "::: tip 提示\n本文基于 Vue 3.3。\n:::\n\n::: warning\n不要解构。\n:::\n\n"
        ":::danger[危险操作]\n不要修改原型。\n:::",
        kind,
    )
    assert boxes(r.xhtml) == [
        ("callout callout-tip", "提示", "本文基于Vue3.3。"),
        ("callout callout-warning", "警告", "不要解构。"),
        ("callout callout-danger", "危险操作", "不要修改原型。"),
    ]
    assert ":::" not in r.xhtml


def test_a_details_container_is_shown_open_under_its_summary():
    r, root = rendered("::: details 点击查看完整实现\n```js\nfunction effect() {}\n```\n:::")
    details = root.find(".//h:details", NS)
    assert details is not None and details.get("open") == "open"
    assert text(details.find("h:summary", NS)) == "点击查看完整实现"
    assert text(details.find(".//h:pre", NS)) == "function effect() {}\n"
    assert not boxes(r.xhtml)


def test_a_code_group_shows_each_block_under_its_label_in_no_box():
    r, root = rendered(
        "::: code-group\n\n```sh [npm]\nnpm i vue\n```\n\n```sh [pnpm]\npnpm add vue\n```\n\n:::"
    )
    assert not boxes(r.xhtml) and ":::" not in r.xhtml and "[npm]" not in r.xhtml
    labels = [text(s).strip() for s in root.iterfind(".//h:span[@class='filename']", NS)]
    assert labels == ["npm", "pnpm"]
    assert [text(p) for p in root.iterfind(".//h:pre", NS)] == ["npm i vue\n", "pnpm add vue\n"]


def test_hope_tabs_show_each_tab_under_its_label():
    _, root = rendered("::: tabs\n\n@tab 苹果\n\n红色的。\n\n@tab:active 香蕉\n\n黄色的。\n\n:::")
    assert [text(p) for p in root.iterfind("h:p", NS)] == ["苹果", "红色的。", "香蕉", "黄色的。"]
    assert root.find("h:p/h:strong", NS) is not None
    assert "@tab" not in text(root) and ":::" not in text(root)


def test_fence_options_mark_lines_and_title_the_code():
    _, root = rendered(
        "```ts {2}\nconst a = 1\nconst b = 2\n```\n\n"
        '```js title="src/index.js" showLineNumbers\nhello()\n```'
        "\n\n```rust :no-line-numbers\nfn main() {}\n```"
    )
    first, second, third = root.iterfind(".//h:div[@class='highlight']", NS)
    assert [text(el) for el in first.iterfind(".//h:span[@class='hll']", NS)] == ["const b = 2\n"]
    assert text(second.find(".//h:span[@class='filename']", NS)).strip() == "src/index.js"
    assert second.find(".//h:span[@class='linenos']", NS) is not None
    assert text(third.find(".//h:pre", NS)) == "fn main() {}\n"
    assert "{2}" not in text(root) and "no-line-numbers" not in text(root)


def test_a_badge_is_its_words_highlighted():
    r, root = rendered(
        '新特性 <Badge text="beta" type="warning" /> 和 <Badge type="tip">推荐</Badge>'
    )
    assert [text(m) for m in root.iterfind(".//h:mark", NS)] == ["beta", "推荐"]
    assert "Badge" not in r.xhtml and r.problems == ()


def test_script_and_style_blocks_and_vue_expressions_never_print():
    r, root = rendered(
        "<script setup>\nimport { ref } from 'vue'\nconst count = ref(0)\n</script>\n\n"
        "# {{ $frontmatter.title }}\n\n计数器：{{ count }}。标题是{{ $frontmatter.title }}。\n\n"
        "```vue\n<script setup>\nconst m = '{{ kept }}'\n</script>\n```\n\n"
        "行内 `{{ 这也保留 }}`。\n\n<style module>\n.red { color: red; }\n</style>",
        "vitepress",
        title="Go 泛型",
    )
    assert root.find(".//h:h2", NS) is None  # the page's `# title` is the book's own title
    paragraphs = [text(p) for p in root.iterfind("h:p", NS)]
    assert paragraphs[0] == "计数器：。标题是Go 泛型。"  # (before typography)
    assert text(root.find(".//h:pre", NS)) == "<script setup>\nconst m = '{{ kept }}'\n</script>\n"
    assert "{{ 这也保留 }}" in paragraphs[1]
    assert "color: red" not in text(root) and "ref(0)" not in text(root)
    assert [p.message for p in r.problems] == [
        "Vue expression {{ count }} left out: bookmaker cannot work it out"
    ]


def test_mdx_imports_comments_and_tabs():
    body = (
        "import Tabs from '@theme/Tabs';\nimport TabItem from '@theme/TabItem';\n"
        "export const Hi = ({children}) => <b>{children}</b>;\n\n"
        '{/* 作者的注释 */}\n\nMDX 里的 <Highlight color="#25c2a0">绿色</Highlight> 高亮。\n\n'
        '<Tabs>\n  <TabItem value="npm" label="npm 安装" default>\n    用 npm：\n\n'
        "    ```bash\n    npm install\n    ```\n  </TabItem>\n"
        '  <TabItem value="yarn">\n    用 Yarn。\n  </TabItem>\n</Tabs>'
    )
    r, root = rendered(body, "docusaurus")
    assert [text(p) for p in root.iterfind("h:p", NS)] == [
        "MDX 里的 绿色 高亮。",
        "npm 安装",
        "用 npm：",
        "yarn",
        "用 Yarn。",
    ]
    assert text(root.find(".//h:pre", NS)) == "npm install\n"
    assert "import" not in text(root) and "作者的注释" not in text(root)
    assert [p.message for p in r.problems] == [
        "component <Highlight> left out (its content kept): a book cannot run it"
    ]


def test_an_aligning_container_is_no_box():
    r, root = rendered(
        "::: theorem 牛顿第一定律\n物体保持静止。\n::: right\n来自维基百科\n:::\n:::\n\n"
        "::: center\n居中\n:::"
    )
    assert boxes(r.xhtml) == [
        ("callout callout-note", "牛顿第一定律", "物体保持静止。来自维基百科")
    ]
    assert text(root[-1]) == "居中"


def test_v_pre_keeps_its_braces_and_mdx_jsx_is_no_vue_expression():
    r, root = rendered(
        "::: v-pre\n写法：{{ 原样 }}\n:::\n\n标题：{{ $frontmatter.title }}", "vitepress"
    )
    assert [text(p) for p in root.iterfind("h:p", NS)] == ["写法：{{ 原样 }}", "标题：标题"]
    assert not boxes(r.xhtml) and r.problems == ()
    r, root = rendered('<div style={{color: "red"}}>\n\n红字\n\n</div>', "docusaurus")
    assert "红字" in text(root) and r.problems == ()


def test_hope_s_picture_sizes_are_widths():
    a = article("![标志](/logo.png =200x)\n\n![图|300x200](/logo.png)\n\n![高](/logo.png =x150)")
    s = site("vuepress", markdown_it=docsites.MARKDOWN_IT)
    r = markdown.render(a, context((a,), s, store=FakeStore(("/logo.png",))))
    images = parse(r.xhtml).iterfind(".//h:img", NS)
    assert [(i.get("alt"), i.get("width")) for i in images] == [
        ("标志", "200"),
        ("图", "300"),
        ("高", None),
    ]
    assert r.problems == ()


def test_a_container_s_attributes_are_no_title():
    _, root = rendered("::: details 点我 {open}\n内容\n:::", "vitepress")
    assert text(root.find(".//h:summary", NS)) == "点我"


def test_a_box_in_a_list_item_stays_in_the_item():
    r, root = rendered("1. 第一步\n\n   ::: tip\n   列表里的提示。\n   :::\n\n2. 第二步\n")
    items = root.findall("h:ol/h:li", NS)
    assert len(root.findall("h:ol", NS)) == 1 and len(items) == 2
    assert items[0].find("h:div[@class]", NS) is not None
    assert boxes(r.xhtml) == [("callout callout-tip", "提示", "列表里的提示。")]


def test_mdx_statements_over_several_lines_never_print():
    body = (
        "import {\n  useColorMode,\n} from '@docusaurus/theme-common';\n\n"
        "export const Highlight = ({children, color}) => (\n"
        "  <span style={{backgroundColor: color}}>\n    {children}\n  </span>\n);"
        "\n\n正文。\n\n```js\nimport x from 'y';\nexport const z = (\n  1\n);\n```"
    )
    r, root = rendered(body, "docusaurus")
    assert [text(p) for p in root.iterfind("h:p", NS)] == ["正文。"]
    assert text(root.find(".//h:pre", NS)) == "import x from 'y';\nexport const z = (\n  1\n);\n"
    assert r.problems == ()


def _titled_code(n: int):
    """An article one line longer than the one before, then a code block under its title
    (a code group's tab): one of them puts the title last on a page."""
    title = f'<span class="filename">T{n:02}</span>'
    code = f'<div class="highlight">{title}<pre><code>C{n:02}\n</code></pre></div>'
    return make_article(f"c{n}", "代码", "<p>短句。</p>" * (12 + n) + code, n + 2)


@pytest.mark.slow
def test_a_printed_code_title_stays_with_its_code(tmp_path):
    config = Config(base=tmp_path, pdf=PdfConfig(chunk_pages=0))
    target = tmp_path / "code.pdf"
    book = make_book([("一章", [_titled_code(n) for n in range(16)])])
    pdf.write(book, config, load_layout(tmp_path), target)
    pages = page_texts(target)
    for n in range(16):
        assert [f"T{n:02}" in t for t in pages] == [f"C{n:02}" in t for t in pages], n

"""VuePress, VitePress and Docusaurus blogs: the site found with its settings, its posts
(and not its home, about and guide pages) in the book."""

from __future__ import annotations

import json
import re
import zipfile

import pytest
from epubcheck_util import needs_epubcheck, problems
from lxml import etree

from bookmaker import config as configmod
from bookmaker import site

HOPE = {
    "package.json": '{"devDependencies": {"vuepress": "2.0.0-rc.9"}}',
    "src/.vuepress/config.ts": """
        import { defineUserConfig } from "vuepress";
        import theme from "./theme.js";
        // title: "an old title",
        export default defineUserConfig({
          base: "/",
          lang: "zh-CN",
          title: "小舟的技术博客",
          description: "记录 Vue 与 Rust",
          theme,
        });
        """,
    "src/.vuepress/theme.ts": """
        export default hopeTheme({
          hostname: "https://xiaozhou.dev",
          author: { name: "林小舟", url: "https://xiaozhou.dev" },
        });
        """,
    "src/.vuepress/public/assets/cover.png": b"",
    "src/README.md": "---\nhome: true\nlayout: BlogHome\ntitle: 博客主页\n---\n主页",
    "src/intro.md": "---\nicon: circle-info\n---\n# 介绍页\n\n个人介绍。",
    "src/posts/vue.md": "---\ntitle: Vue 响应式\ndate: 2023-05-12\ntag: [Vue]\n---\n正文",
    "src/posts/ideas.md": "---\ntitle: 想法\ndate: 2023-09-01\narticle: false\n---\n清单",
    "src/posts/README.md": "---\ntitle: 文章\nindex: false\n---\n<Catalog />",
    "src/posts/trip/README.md": "---\ntitle: 旅行\ndate: 2023-10-01\n---\n海边。",
}


def _list(run_cli, project, *flags):
    status, out, _ = run_cli(project, "list", "--json", *flags)
    return status, json.loads(out)


def test_a_vuepress_site_is_found_with_its_settings(make_project):
    project = make_project(HOPE)
    s = site.detect(configmod.load(None, project))
    root = project.resolve()
    assert s.kind == "vuepress" and "VuePress site (src/.vuepress/config.ts" in s.found_by
    assert s.content_dirs == (root / "src",)
    assert s.static_dirs == (root / "src" / ".vuepress" / "public",)  # `/assets/cover.png`
    assert (s.title, s.author, s.description, s.language) == (
        "小舟的技术博客",
        "林小舟",
        "记录 Vue 与 Rust",
        "zh-CN",
    )


def test_a_vuepress_book_holds_the_posts_not_the_home_about_or_unlisted_pages(
    make_project, run_cli
):
    status, listing = _list(run_cli, make_project(HOPE), "-v")
    assert status == 0 and listing["title"] == "小舟的技术博客"
    paths = [a["path"] for c in listing["chapters"] for a in c["articles"]]
    assert paths == ["src/posts/vue.md", "src/posts/trip/README.md"]  # (a dated README too)
    assert listing["problems"] == []  # the undated intro page is no error


def test_the_skipped_pages_say_why(make_project, run_cli):
    status, out, _ = run_cli(make_project(HOPE), "list", "-v")
    assert status == 0
    assert "src/README.md: the site's home page, not a post" in out
    assert "src/posts/README.md: a page of the site, not a dated post" in out
    assert "slug=trip tags=- url=/posts/trip/" in out
    assert "src/intro.md: a page of the site, not a dated post (--undated end keeps it)" in out
    assert "src/posts/ideas.md: not a post (`article: false`: the blog does not list it)" in out


def test_undated_end_keeps_the_site_s_pages(make_project, run_cli):
    _, listing = _list(run_cli, make_project(HOPE), "--undated", "end")
    titles = [a["title"] for c in listing["chapters"] for a in c["articles"]]
    assert titles == ["Vue 响应式", "旅行", "介绍页", "文章"]


def test_a_vitepress_site_and_its_home_page(make_project, run_cli):
    project = make_project({
        "docs/.vitepress/config.mts": """
            import { defineConfig } from 'vitepress'
            export default defineConfig({
              lang: 'zh-CN',
              title: "慢慢写",
              description: '一个 Go 程序员的周记',
              themeConfig: { nav: [{ text: '首页', link: '/' }] },
            })
            """,
        "docs/index.md": "---\nlayout: home\nhero:\n  name: 慢慢写\n---\n",
        "docs/posts/go.md": "---\ntitle: Go 泛型\ndate: 2024-03-15\n---\n正文",
    })  # fmt: skip
    s = site.detect(configmod.load(None, project))
    assert s.kind == "vitepress" and s.content_dirs == (project.resolve() / "docs",)
    assert (s.title, s.description, s.language) == ("慢慢写", "一个 Go 程序员的周记", "zh-CN")
    status, listing = _list(run_cli, project)
    assert status == 0 and listing["problems"] == []
    assert [a["path"] for c in listing["chapters"] for a in c["articles"]] == ["docs/posts/go.md"]


DOCUSAURUS = {
    "docusaurus.config.ts": """
        const config: Config = {
          title: '阿杰的开发日志',
          tagline: '前端、Go 与开源',
          url: 'https://ajie.dev',
          i18n: { defaultLocale: 'zh-Hans', locales: ['zh-Hans'] },
          themeConfig: { navbar: { title: 'My Site' } },
        };
        """,
    "blog/authors.yml": "ajie:\n  name: 阿杰\n  title: 前端工程师\n",
    "blog/2019-05-28-first-blog-post.md": "---\nslug: first\ntitle: 第一篇\n---\n正文",
    "blog/2021-08-26-welcome/index.mdx": "---\nslug: welcome\ntitle: 欢迎\n---\nMDX 正文",
    "blog/2022/03/04/spring.md": "---\ntitle: 春天\n---\n正文",
    "docs/intro.md": "---\nsidebar_position: 1\n---\n# 教程\n文档",
    "static/img/logo.png": b"",
}


def test_a_docusaurus_blog_is_its_blog_folder_with_its_mdx_posts(make_project, run_cli):
    project = make_project(DOCUSAURUS)
    s = site.detect(configmod.load(None, project))
    root = project.resolve()
    assert s.kind == "docusaurus" and s.content_dirs == (root / "blog",)
    assert s.static_dirs == (root / "static",)
    assert (s.title, s.subtitle, s.language) == ("阿杰的开发日志", "前端、Go 与开源", "zh-Hans")
    assert s.author == "阿杰"  # the one author of blog/authors.yml
    status, listing = _list(run_cli, project)
    assert status == 0 and listing["problems"] == []
    articles = [(a["date"][:10], a["title"]) for c in listing["chapters"] for a in c["articles"]]
    assert articles == [("2019-05-28", "第一篇"), ("2021-08-26", "欢迎"), ("2022-03-04", "春天")]


def _chapter_xhtml(project, name: str) -> str:
    with zipfile.ZipFile(project / "book.epub") as z:
        return z.read(f"EPUB/text/{name}.xhtml").decode("utf-8")


def test_links_by_the_site_s_urls_lead_within_the_book_or_to_the_site(make_project, run_cli):
    project = make_project({
        **HOPE,
        "src/posts/rust.md": (
            "---\ntitle: Rust\ndate: 2023-08-03\n---\n"
            "见[前文](/posts/vue.html)、[无扩展名](/posts/vue)和[介绍](/intro.html) :tada:\n"
        ),
    })  # fmt: skip
    status, _, err = run_cli(project, "epub", "-o", "book.epub")
    assert status == 0 and "warning" not in err
    xhtml = _chapter_xhtml(project, "rust")
    assert xhtml.count('href="vue.xhtml#vue"') == 2
    assert 'href="https://xiaozhou.dev/intro.html"' in xhtml  # hope's `hostname`
    assert "🎉" in xhtml and ":tada:" not in xhtml  # markdown-it-emoji, on by default


def test_docusaurus_urls_are_its_slug_or_its_day_under_blog(make_project, run_cli):
    project = make_project({
        **DOCUSAURUS,
        "blog/2022-01-02-third.md": (
            "---\ntitle: 第三篇\n---\n[第一篇](/blog/first) [欢迎](/blog/welcome/)"
            " [按日期](/blog/2022/01/02/third) :tada:\n"
        ),
    })  # fmt: skip
    status, _, err = run_cli(project, "epub", "-o", "book.epub")
    assert status == 0 and "warning" not in err
    xhtml = _chapter_xhtml(project, "third")
    assert 'href="first.xhtml#first"' in xhtml and 'href="welcome.xhtml#welcome"' in xhtml
    assert 'href="#third"' in xhtml
    assert "🎉" not in xhtml  # Docusaurus has no emoji plugin


INCLUDING = {
    **HOPE,
    "src/snippets/part.md": (
        "开头\n<!-- #region usage -->\n区域里的话。\n<!-- #endregion usage -->\n结尾\n"
    ),
    "src/posts/snippet.md": "第一行\n第二行\n第三行\n",
    "src/posts/rust.md": (
        "---\ntitle: Rust\ndate: 2023-08-03\n---\n正文。\n\n"
        "<!-- @include: @/snippets/part.md#usage -->\n\n<!--@include: ./snippet.md{2-3}-->\n\n"
        "```md\n<!-- @include: ./snippet.md -->\n```\n\n<!-- @include: ../../../etc/passwd -->\n"
    ),
}


def _body_words(project) -> str:
    root = etree.fromstring(_chapter_xhtml(project, "rust").encode("utf-8"))
    words = "".join(root.find(".//{*}div[@class='article-body']").itertext())
    return words.replace("\u2060", "")  # (typography's word joiners)


def test_an_include_prints_the_file_s_lines_or_region(make_project, run_cli):
    project = make_project(INCLUDING)
    status, _, err = run_cli(project, "epub", "-o", "book.epub")
    words = _body_words(project)
    assert "区域里的话。" in words and "开头" not in words and "结尾" not in words
    assert "第二行第三行" in words and "第一行" not in words
    assert "<!-- @include: ./snippet.md -->" in words  # a sample in code stays as written
    assert "root:" not in words  # nothing outside the site
    assert "src/posts/rust.md:15: warning: <!-- @include: ../../../etc/passwd --> left out" in err
    assert status == 0


def test_an_edited_include_is_printed_anew_from_the_cache(make_project, run_cli):
    rust = INCLUDING["src/posts/rust.md"].replace("<!-- @include: ../../../etc/passwd -->", "")
    project = make_project({**INCLUDING, "src/posts/rust.md": rust})
    assert run_cli(project, "epub", "-o", "book.epub")[0] == 0
    part = project / "src/snippets/part.md"
    part.write_text(part.read_text(encoding="utf-8").replace("区域里的话", "改过的话"), "utf-8")
    assert run_cli(project, "epub", "-o", "book.epub")[0] == 0
    assert "改过的话。" in _body_words(project)


def test_a_reco_post_with_keys_is_private_unless_drafts(make_project, run_cli):
    project = make_project({
        **HOPE,
        "src/posts/secret.md": "---\ntitle: 私密\ndate: 2020-06-01\nkeys:\n - 'e10adc39'\n---\n密",
    })  # fmt: skip
    _, listing = _list(run_cli, project)
    assert "私密" not in [a["title"] for c in listing["chapters"] for a in c["articles"]]
    _, listing = _list(run_cli, project, "--drafts")
    assert "私密" in [a["title"] for c in listing["chapters"] for a in c["articles"]]


def test_code_imported_from_a_file_is_a_code_block(make_project, run_cli):
    project = make_project({
        **HOPE,
        "src/snippets/config.js": (
            'export default {\n  // #region config\n  title: "慢慢写",\n  lang: "zh-CN",\n'
            "  // #endregion config\n}\n"
        ),
        "src/snippets/main.rs": 'fn main() {\n    println!("你好");\n}\n',
        "src/posts/rust.md": (
            "---\ntitle: Rust\ndate: 2023-08-03\n---\n正文。\n\n"
            "<<< @/snippets/config.js#config{2} [配置]\n\n"
            '@[code{1-2} rust{2} title="main.rs"](../snippets/main.rs)\n\n<<< ./missing.js\n'
        ),
    })  # fmt: skip
    status, _, err = run_cli(project, "epub", "-o", "book.epub")
    root = etree.fromstring(_chapter_xhtml(project, "rust").encode("utf-8"))
    blocks = root.findall(".//{*}div[@class='highlight']")
    titles = ["".join(b.find("{*}span[@class='filename']").itertext()) for b in blocks]
    codes = ["".join(b.find(".//{*}pre").itertext()) for b in blocks]
    marked = ["".join(m.itertext()) for b in blocks for m in b.iterfind(".//{*}span[@class='hll']")]
    assert titles == ["配置", "main.rs"]
    assert codes == [
        '  title: "慢慢写",\n  lang: "zh-CN",\n',
        'fn main() {\n    println!("你好");\n',
    ]
    assert marked == ['  lang: "zh-CN",\n', '    println!("你好");\n']
    assert "<<<" not in _body_words(project) and "@[code" not in _body_words(project)
    assert "src/posts/rust.md:11: warning: <<< ./missing.js left out" in err and status == 0


def test_vitepress_src_dir_holds_the_pages_and_their_public_folder(make_project):
    project = make_project({
        ".vitepress/config.mts": "export default defineConfig({ srcDir: 'src', title: '笔记' })",
        "src/public/a.png": b"",
        "src/posts/a.md": "---\ntitle: A\ndate: 2024-01-01\n---\n正文",
    })  # fmt: skip
    s = site.detect(configmod.load(None, project))
    root = project.resolve()
    assert (s.kind, s.title) == ("vitepress", "笔记")
    assert (s.content_dirs, s.static_dirs) == ((root / "src",), (root / "src" / "public",))


@pytest.mark.slow
@needs_epubcheck
def test_a_vuepress_book_with_every_kind_of_box_is_a_valid_epub(make_project, run_cli):
    project = make_project({
        **HOPE,
        "src/posts/boxes.md": (
            "---\ntitle: 盒子\ndate: 2023-10-02\n---\n[[toc]]\n\n## 一\n\n"
            "::: tip 提示\n<Badge text=\"beta\" /> 可以用。\n:::\n\n"
            "::: details 展开\n```ts {2}\nconst a = 1\nconst b = 2\n```\n:::\n\n"
            "::: code-group\n\n```sh [npm]\nnpm i\n```\n\n```sh [pnpm]\npnpm add\n```\n\n:::\n\n"
            "::: tabs\n\n@tab 苹果\n\n红。\n\n@tab 香蕉\n\n黄。\n\n:::\n\n"
            "1. 步骤\n\n   ::: warning\n   小心。\n   :::\n\n2. 再一步\n"
        ),
    })  # fmt: skip
    status, _, err = run_cli(project, "epub", "-o", "book.epub")
    assert status == 0 and "warning" not in err
    assert problems(project / "book.epub") == []


def _byline(xhtml: str) -> str | None:
    found = re.search(r'<span class="article-authors">([^<]*)</span>', xhtml)
    return found[1] if found else None


def test_a_docusaurus_post_names_its_authors_under_its_title(make_project, run_cli):
    """A blog of several writers: each post says who wrote it (keys into blog/authors.yml,
    inline authors, `author:`), in both books; the blog's only author is not repeated."""
    from bookmaker import collect, pdfdoc, render
    from bookmaker.pagesizes import page_size

    project = make_project({
        **DOCUSAURUS,
        "blog/authors.yml": "ajie:\n  name: 阿杰\n  title: 前端工程师\nxiaoyu:\n  name: 小雨\n",
        "blog/2019-05-28-first-blog-post.md": "---\nslug: first\ntitle: 第一篇\n"
        "authors: [ajie, xiaoyu]\n---\n正文",
        "blog/2021-08-26-welcome/index.mdx": "---\nslug: welcome\ntitle: 欢迎\nauthors:\n"
        "  - name: 客座作者 王五\n    title: 独立开发者\n---\nMDX 正文",
        "blog/2022/03/04/spring.md": "---\ntitle: 春天\nauthor: 阿杰\n---\n正文",
    })  # fmt: skip
    assert run_cli(project, "epub", "-o", "book.epub")[0] == 0
    bylines = [_byline(_chapter_xhtml(project, n)) for n in ("first", "welcome", "spring")]
    assert bylines == ["阿杰、小雨", "客座作者 王五", "阿杰"]
    config = configmod.load(None, project)
    built = render.render_book(config, collect.collect(config), workers=1)
    blocks = pdfdoc.blocks(built, pdfdoc.Assets(()), True, page_size("A5"))
    assert [_byline(b.html) for b in blocks if b.anchor in ("first", "welcome")] == [
        "阿杰、小雨",
        "客座作者 王五",
    ]
    alone = make_project(
        {**DOCUSAURUS, "blog/2022/03/04/spring.md": "---\ntitle: 春天\nauthors: ajie\n---\n正文"},
        project.parent / "alone",
    )
    assert run_cli(alone, "epub", "-o", "book.epub")[0] == 0
    assert _byline(_chapter_xhtml(alone, "spring")) is None  # 阿杰's blog: his name is the book's

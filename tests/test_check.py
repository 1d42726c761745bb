"""`bookmaker check`: small good and bad EPUBs and PDFs made by hand, not by the backends."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pikepdf
import pytest
from epubcheck_util import needs_epubcheck

from bookmaker import check as checkmod
from bookmaker.check import check, language_problem

NOTO = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
BODY = "<h1>第一章</h1><p>你好，世界。Hello.</p>"


def xhtml(body: str, head: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"'
        ' xml:lang="zh-CN" lang="zh-CN">'
        f"<head><title>t</title>{head}</head><body>{body}</body></html>"
    )


NAV = xhtml('<nav epub:type="toc"><ol><li><a href="a.xhtml">第一章</a></li></ol></nav>')


def opf(language: str = "zh-CN", extra_items: str = "", nav: bool = True) -> str:
    nav_item = (
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>'
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="id">urn:uuid:12345678-1234-1234-1234-123456789abc</dc:identifier>
    <dc:title>测试</dc:title>
    <dc:language>{language}</dc:language>
    <meta property="dcterms:modified">2024-01-01T00:00:00Z</meta>
  </metadata>
  <manifest>
    {nav_item if nav else ""}
    <item id="a" href="a.xhtml" media-type="application/xhtml+xml"/>
    {extra_items}
  </manifest>
  <spine><itemref idref="a"/></spine>
</package>"""


CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles><rootfile full-path="OEBPS/content.opf"
    media-type="application/oebps-package+xml"/></rootfiles>
</container>"""


def make_epub(
    path: Path, body: str = BODY, head: str = "", files=None, container=CONTAINER, **opf_args
) -> Path:
    """A minimal EPUB 3; `files` adds entries under OEBPS/ (name -> bytes or text)."""
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        zf.writestr("META-INF/container.xml", container)
        zf.writestr("OEBPS/content.opf", opf(**opf_args))
        zf.writestr("OEBPS/a.xhtml", xhtml(body, head))
        if opf_args.get("nav", True):
            zf.writestr("OEBPS/nav.xhtml", NAV)
        for name, data in (files or {}).items():
            zf.writestr(f"OEBPS/{name}", data)
    return path


def messages(report, level: str | None = None) -> list[str]:
    return [p.message for p in report.problems if level is None or p.level == level]


def font_item(name: str = "f.otf") -> str:
    return f'<item id="f" href="{name}" media-type="font/otf"/>'


def cjk_font(text: str) -> bytes:
    from bookmaker.fontsubset import subset

    return subset(NOTO, 0, text)


FONT_CSS = (
    '<style>@font-face { font-family: "B"; src: url(f.otf); } body { font-family: "B"; }</style>'
)


# ---- EPUB ---------------------------------------------------------------------------------


@pytest.mark.slow
@needs_epubcheck
def test_good_epub_passes_epubcheck_and_every_check(tmp_path):
    book = make_epub(
        tmp_path / "good.epub",
        head=FONT_CSS,
        extra_items=font_item(),
        files={"f.otf": cjk_font("第一章你好，世界。Hello.")},
    )
    report = check(book)
    assert report.problems == ()
    assert "EPUBCheck ran: valid" in report.notes
    assert report.status(strict=True) == 0


@pytest.mark.slow
@needs_epubcheck
def test_epubcheck_errors_are_reported_as_errors(tmp_path):
    book = make_epub(tmp_path / "nonav.epub", nav=False)  # EPUB 3 requires a nav document
    report = check(book)
    errors = messages(report, "error")
    assert any(m.startswith("EPUBCheck RSC-005") or "nav" in m for m in errors), errors
    assert report.status(strict=False) == 1


def test_epubcheck_skipped_without_java_is_said(tmp_path, monkeypatch):
    monkeypatch.setattr(checkmod.shutil, "which", lambda name: None)
    report = check(make_epub(tmp_path / "b.epub"))
    assert "EPUBCheck skipped: Java is not installed" in report.notes


@pytest.mark.parametrize(
    ("tag", "level"),
    [
        ("zh-CN", None),
        ("zh-Hant-TW", None),
        ("ja", None),
        ("en-US", None),
        ("zh_CN", "error"),  # the classic: a POSIX locale, not a language tag
        ("", "error"),
        ("chinese", "error"),  # 7 letters is a valid length but…
        ("zh-", "error"),
        (" zh", "error"),
        ("zho", "warning"),
        ("und", "warning"),
    ],
)
def test_language_tags(tag, level):
    problem = language_problem(tag)
    if tag == "chinese":  # syntactically a language subtag: valid BCP 47, not registered
        assert problem is None
        return
    assert (problem[0] if problem else None) == level


def test_bad_language_is_an_error_naming_kindle(tmp_path):
    report = check(make_epub(tmp_path / "b.epub", language="zh_CN"), epubcheck=False)
    assert any("E999" in m and "zh_CN" in m for m in messages(report, "error"))
    assert report.status(strict=False) == 1


def test_book_over_50_mb_is_an_error(tmp_path):
    big = bytes(51 * 1024 * 1024)
    path = tmp_path / "big.epub"
    make_epub(path)
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("OEBPS/padding.bin", big, compress_type=zipfile.ZIP_STORED)
    report = check(path, epubcheck=False)
    assert any("50 MB" in m for m in messages(report, "error"))


def test_images_without_alt_text(tmp_path):
    body = BODY + '<p><img src="x.png"/><img src="x.png" alt=""/><img src="x.png" alt="猫"/></p>'
    item = '<item id="x" href="x.png" media-type="image/png"/>'
    report = check(make_epub(tmp_path / "b.epub", body=body, extra_items=item), epubcheck=False)
    assert "OEBPS/a.xhtml: 2 image(s) without alt text" in messages(report, "warning")


def test_remote_references_in_xhtml_and_css(tmp_path):
    body = BODY + '<p><img src="https://example.com/a.png" alt="a"/>'
    body += '<a href="https://example.com/">a link is fine</a></p>'
    css = "p { color: red }\nbody { background: url('http://example.com/bg.png') }\n"
    item = '<item id="c" href="s.css" media-type="text/css"/>'
    report = check(
        make_epub(tmp_path / "b.epub", body=body, extra_items=item, files={"s.css": css}),
        epubcheck=False,
    )
    found = messages(report, "warning")
    assert any("OEBPS/a.xhtml: remote resource https://example.com/a.png" in m for m in found)
    assert any("OEBPS/s.css:2: remote resource http://example.com/bg.png" in m for m in found)
    assert not any(m.endswith("https://example.com/ (e-readers show nothing)") for m in found)


def test_css_adobe_cannot_parse_is_named_with_line(tmp_path):
    css = "/* calc( in a comment is fine */\np { margin: 1em }\nh1 { width: calc(100% - 2em) }\n"
    css += "img { max-width: 100%; height: min(50vh, 20em) }\n"
    item = '<item id="c" href="s.css" media-type="text/css"/>'
    report = check(
        make_epub(tmp_path / "b.epub", extra_items=item, files={"s.css": css}), epubcheck=False
    )
    found = [m for m in messages(report, "warning") if "Adobe" in m]
    assert [m.split(" is not")[0] for m in found] == [
        "OEBPS/s.css:3: calc()",
        "OEBPS/s.css:4: min()",
    ]


def test_cjk_text_without_embedded_cjk_font_warns_about_kobo(tmp_path):
    report = check(make_epub(tmp_path / "b.epub"), epubcheck=False)
    assert any("no embedded CJK font" in m and "Kobo" in m for m in messages(report))
    assert "no embedded fonts: the glyph check was skipped" in report.notes


def test_characters_missing_from_embedded_fonts_are_listed(tmp_path):
    book = make_epub(
        tmp_path / "b.epub",
        head=FONT_CSS,
        extra_items=font_item(),
        files={"f.otf": cjk_font("第一章你好Hello")},  # no 世界, no punctuation
    )
    report = check(book, epubcheck=False)
    (missing,) = [m for m in messages(report, "warning") if "in no embedded font" in m]
    assert missing.endswith(": " + "".join(sorted("，世界。.")))
    assert not any("no embedded CJK font" in m for m in messages(report))


def test_not_a_zip_or_pdf_is_a_user_error(tmp_path, run_cli):
    (tmp_path / "book.epub").write_text("hello")
    status, _out, err = run_cli(tmp_path, "check", "book.epub")
    assert status == 2
    assert "neither an EPUB nor a PDF" in err


def test_damaged_opf_is_reported_not_a_traceback(tmp_path):
    broken = CONTAINER.replace("content.opf", "bad.opf")
    files = {"bad.opf": "<package><unclosed>"}
    path = make_epub(tmp_path / "b.epub", files=files, container=broken)
    report = check(path, epubcheck=False)
    assert any("not well-formed" in m for m in messages(report, "error"))


# ---- command line ---------------------------------------------------------------------------


def test_cli_prints_one_line_per_finding_and_a_summary(tmp_path, run_cli, monkeypatch):
    monkeypatch.setattr(checkmod.shutil, "which", lambda name: None)
    make_epub(tmp_path / "b.epub", body=BODY + '<img src="x.png"/>', language="zh_CN")
    status, out, _err = run_cli(tmp_path, "check", "--strict", "b.epub")
    lines = out.splitlines()
    assert "b.epub: error: language 'zh_CN' is not a BCP 47 tag" in out
    assert all(line.startswith("b.epub: ") for line in lines)
    assert lines[-1] == "b.epub: 1 error(s), 2 warning(s)"
    assert status == 1


def test_cli_warnings_fail_only_with_strict(tmp_path, run_cli, monkeypatch):
    monkeypatch.setattr(checkmod.shutil, "which", lambda name: None)
    make_epub(tmp_path / "b.epub")  # only a warning: no CJK font
    assert run_cli(tmp_path, "check", "b.epub")[0] == 0
    assert run_cli(tmp_path, "check", "--strict", "b.epub")[0] == 1


# ---- PDF ------------------------------------------------------------------------------------


def weasy_pdf(path: Path, html: str) -> Path:
    from weasyprint import HTML

    HTML(string=html).write_pdf(path)
    return path


PAGE = "<style>@page { size: A5 } body { font-family: 'Noto Serif CJK SC' }</style>"


@pytest.fixture(scope="module")
def good_pdf(tmp_path_factory):
    html = f'<html lang="zh-CN">{PAGE}<h1>第一章</h1><p>你好，世界。Hello.</p></html>'
    return weasy_pdf(tmp_path_factory.mktemp("pdf") / "good.pdf", html)


def test_good_pdf_is_clean_and_names_its_page_size(good_pdf):
    report = check(good_pdf)
    assert report.problems == ()
    assert "1 pages, A5 (148 × 210 mm)" in report.notes


def test_pdf_without_language_or_outline(tmp_path):
    pdf = weasy_pdf(tmp_path / "b.pdf", f"<html>{PAGE}<p>你好。</p></html>")
    found = messages(check(pdf), "warning")
    assert any("no /Lang" in m for m in found)
    assert any("no outline" in m for m in found)


def test_pdf_bad_language_tag(tmp_path, good_pdf):
    with pikepdf.open(good_pdf) as doc:
        doc.Root.Lang = pikepdf.String("zh_CN")
        doc.save(tmp_path / "b.pdf")
    assert any("zh_CN" in m for m in messages(check(tmp_path / "b.pdf"), "error"))


def test_pdf_character_without_glyph_is_an_error(tmp_path):
    # U+E000 is private use: no installed font draws it, so WeasyPrint uses glyph 0.
    html = f'<html lang="zh-CN">{PAGE}<h1>一</h1><p>你\ue000好</p></html>'
    report = check(weasy_pdf(tmp_path / "b.pdf", html))
    errors = messages(report, "error")
    assert errors == ["1 character(s) print as empty boxes (no glyph): \ue000"]


def test_pdf_font_not_embedded_is_an_error(tmp_path):
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
    )
    page = pdf.add_blank_page(page_size=(420, 595))
    page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.obj.Contents = pdf.make_stream(b"BT /F1 12 Tf 72 500 Td (Hello) Tj ET")
    pdf.save(tmp_path / "b.pdf")
    errors = messages(check(tmp_path / "b.pdf"), "error")
    assert any("font Helvetica is not embedded" in m for m in errors)


def test_pdf_mixed_page_sizes_warn(tmp_path):
    html = f"<html lang='en'>{PAGE}<style>@page :first {{ size: A4 }}</style>"
    html += "<h1>a</h1><p style='break-before: page'>b</p><p style='break-before: page'>c</p>"
    found = messages(check(weasy_pdf(tmp_path / "b.pdf", html)), "warning")
    assert any("pages of different sizes: A4 besides A5" in m for m in found)


def test_damaged_pdf_is_an_error_not_a_traceback(tmp_path):
    (tmp_path / "b.pdf").write_bytes(b"%PDF-1.7\n garbage")
    assert any("not a readable PDF" in m for m in messages(check(tmp_path / "b.pdf"), "error"))


def test_pdf_picture_that_prints_soft_is_named_with_its_page_and_dpi(tmp_path):
    from PIL import Image as PILImage

    PILImage.new("RGB", (300, 200), (200, 60, 40)).save(tmp_path / "small.png")
    PILImage.new("RGB", (1200, 800), (40, 60, 200)).save(tmp_path / "large.png")
    small, large = (tmp_path / "small.png").as_uri(), (tmp_path / "large.png").as_uri()
    html = (
        f'<html lang="zh-CN">{PAGE}<h1>图</h1><img src="{large}" style="width: 80mm">'
        f'<p style="break-before: page"><img src="{small}"></p></html>'
    )
    found = messages(check(weasy_pdf(tmp_path / "b.pdf", html)), "warning")
    assert found == [
        "1 picture(s) print below 150 dpi, soft on paper (a print shop asks for 300):"
        " PDF page 2 (300×200 px, 96 dpi)"
    ]

"""A project adds rules in layouts/default/custom.css without copying the built-in sheets."""

from __future__ import annotations

import zipfile

import pikepdf
import pytest

ARTICLE = "---\ntitle: 一篇\ndate: 2024-05-01\n---\n\n正文在这里。\n"
CUSTOM = "p { color: rgb(255, 0, 0); }\n"


@pytest.fixture
def project(make_project):
    return make_project(
        {
            "content/posts/2024-05-01-a.md": ARTICLE,
            "layouts/default/custom.css": CUSTOM,
            "bookmaker.toml": '[book]\ntitle = "Custom"\n[output]\nname = "custom"\n',
        }
    )


def test_epub_packages_custom_css_after_the_built_in_sheets(project, run_cli):
    status, _, err = run_cli(project, "epub", "-q")
    assert status == 0, err
    with zipfile.ZipFile(project / "build" / "custom.epub") as z:
        sheets = [n for n in z.namelist() if n.endswith("custom.css")]
        assert sheets and z.read(sheets[0]).decode() == CUSTOM
        page = next(z.read(n).decode() for n in z.namelist() if n.endswith("a.xhtml"))
    links = [line for line in page.splitlines() if "stylesheet" in line]
    assert "custom.css" in links[-1]  # last, so its rules win


@pytest.mark.slow
def test_pdf_applies_custom_css(project, run_cli):
    status, _, err = run_cli(project, "pdf", "-q")
    assert status == 0, err
    with pikepdf.open(project / "build" / "custom.pdf") as pdf:
        drawn = b"".join(_stream(o) for o in pdf.objects if isinstance(o, pikepdf.Stream))
    assert b"1 0 0 rg" in drawn  # the paragraph is drawn in red


def _stream(obj: pikepdf.Stream) -> bytes:
    try:
        return obj.read_bytes()
    except pikepdf.PdfError:  # an image filter pikepdf cannot decode: not drawing operators
        return b""

"""PNG pixels reach the PDF unchanged whether WeasyPrint re-encodes them or not."""

from __future__ import annotations

import io

import pikepdf
import pytest
from PIL import Image

from bookmaker import pdfimages
from bookmaker.pdfchunks import Job, render_job


def picture(mode: str) -> Image.Image:
    """A small image whose every pixel differs, so a wrong predictor or stride shows."""
    base = Image.new("RGB", (37, 23))
    base.putdata([(x * 7 % 256, y * 11 % 256, x * y % 256) for y in range(23) for x in range(37)])
    if mode == "RGBA":
        out = base.convert("RGBA")
        out.putalpha(Image.linear_gradient("L").resize((37, 23)))
        return out
    return base.convert(mode)


def png(image: Image.Image, **options) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="PNG", **options)
    return buf.getvalue()


def test_chunks_are_taken_only_from_png_that_pdf_reads_as_is():
    assert pdfimages.png_chunks(png(picture("RGB")), "RGB")
    assert pdfimages.png_chunks(png(picture("L")), "L")
    assert pdfimages.png_chunks(png(picture("RGBA")), "RGBA") is None  # alpha: split off
    assert pdfimages.png_chunks(png(picture("P")), "P") is None  # palette
    assert pdfimages.png_chunks(png(picture("RGB")), "L") is None  # header disagrees
    assert pdfimages.png_chunks(b"GIF89a", "RGB") is None
    sixteen = Image.new("I;16", (4, 4), 40000)
    assert pdfimages.png_chunks(png(sixteen), "L") is None


def drawn_pixels(tmp_path, data: bytes) -> tuple[Image.Image, int]:
    """Render a page showing the PNG `data`; the image as the PDF holds it, and its count."""
    (tmp_path / "p.png").write_bytes(data)
    html = f'<img src="{(tmp_path / "p.png").as_uri()}" style="width: 5cm">'
    out = tmp_path / "out.pdf"
    job = Job("t", html, tmp_path.as_uri() + "/", (str(tmp_path),), str(out))
    assert not render_job(job, limits=False).error
    with pikepdf.open(out) as pdf:
        xobjects = pdf.pages[0].obj.Resources.XObject.values()
        images = [x for x in xobjects if x.get("/Subtype") == "/Image"]
        return pikepdf.PdfImage(images[0]).as_pil_image().convert("RGB"), len(images)


@pytest.mark.parametrize(
    ("mode", "options"),
    [
        ("RGB", {"optimize": True}),  # compressed otherwise than Pillow's default: bytes differ
        ("RGB", {"compress_level": 1}),
        ("L", {"compress_level": 9}),
        ("RGBA", {}),
        ("P", {}),
    ],
)
def test_the_pdf_shows_the_pngs_own_pixels(tmp_path, mode, options):
    image = picture(mode)
    shown, count = drawn_pixels(tmp_path, png(image, **options))
    assert count == 1
    expected = image.convert("RGB")  # with alpha: the PDF keeps it apart (an SMask)
    assert shown.tobytes() == expected.tobytes()

"""One copy of each picture in a book merged from parts: only identical pictures are one."""

from __future__ import annotations

import io
import zlib

import pikepdf
from pikepdf import Dictionary, Name, Pdf

from bookmaker import pdfpictures


def picture(pdf: Pdf, pixels: bytes, mask: bytes | None = None):
    image = pdf.make_stream(zlib.compress(pixels))
    image.stream_dict = Dictionary(
        Type=Name.XObject, Subtype=Name.Image, Width=2, Height=2, ColorSpace=Name.DeviceGray,
        BitsPerComponent=8, Filter=Name.FlateDecode,
    )  # fmt: skip
    if mask is not None:
        image.SMask = picture(pdf, mask)
    return image


def page(pdf: Pdf, **xobjects) -> None:
    """A page of its own resources (as every part has), drawing each named picture."""
    draw = b"".join(f"q 10 0 0 10 0 0 cm /{n} Do Q ".encode() for n in xobjects)
    pdf.add_blank_page(page_size=(20, 20))
    pdf.pages[-1].obj.Resources = pdf.make_indirect(Dictionary(XObject=Dictionary(
        {f"/{n}": x for n, x in xobjects.items()})))  # fmt: skip
    pdf.pages[-1].obj.Contents = pdf.make_stream(draw)


def images_kept(pdf: Pdf) -> int:
    """Image streams in the file as saved (qpdf leaves out what nothing uses)."""
    out = io.BytesIO()
    pdf.save(out)
    with pikepdf.open(io.BytesIO(out.getvalue())) as saved:
        return sum(1 for o in saved.objects if o.get("/Subtype") == Name.Image)


def test_the_same_picture_in_two_parts_is_stored_once_and_drawn_on_both_pages():
    pdf = Pdf.new()
    page(pdf, Im0=picture(pdf, b"\x00\x80\x80\xff"))
    page(pdf, Im7=picture(pdf, b"\x00\x80\x80\xff"))
    assert pdfpictures.share_pictures(pdf) == len(zlib.compress(b"\x00\x80\x80\xff"))
    first = pdf.pages[0].Resources.XObject.Im0
    assert pdf.pages[1].Resources.XObject.Im7.objgen == first.objgen
    assert images_kept(pdf) == 1


def test_pictures_that_differ_in_pixels_or_mask_stay_apart():
    pdf = Pdf.new()
    page(pdf, A=picture(pdf, b"\x00\x80\x80\xff"), B=picture(pdf, b"\xff\x80\x80\x00"))
    page(pdf, C=picture(pdf, b"\x00\x80\x80\xff", mask=b"\xff\xff\x00\x00"))
    page(pdf, D=picture(pdf, b"\x00\x80\x80\xff", mask=b"\x00\x00\xff\xff"))
    assert pdfpictures.share_pictures(pdf) == 0
    assert images_kept(pdf) == 4 + 2  # and the two masks


def test_a_picture_inside_a_form_is_shared_too():
    pdf = Pdf.new()
    page(pdf, Im0=picture(pdf, b"\x00\x80\x80\xff"))
    form = pdf.make_stream(b"/Im1 Do")
    form.stream_dict = Dictionary(
        Type=Name.XObject, Subtype=Name.Form, BBox=[0, 0, 1, 1],
        Resources=Dictionary(XObject=Dictionary(Im1=picture(pdf, b"\x00\x80\x80\xff"))),
    )  # fmt: skip
    page(pdf, Fm0=form)
    pdfpictures.share_pictures(pdf)
    assert images_kept(pdf) == 1


def test_a_masked_picture_three_times_keeps_one_picture_and_one_mask():
    pdf = Pdf.new()
    pixels, mask = b"\x00\x80\x80\xff", b"\xff\xff\x00\x00"
    for _ in range(3):
        page(pdf, Im0=picture(pdf, pixels, mask=mask))
    saved = pdfpictures.share_pictures(pdf)
    assert saved == 2 * (len(zlib.compress(pixels)) + len(zlib.compress(mask)))
    assert images_kept(pdf) == 2

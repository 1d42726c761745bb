"""imageproc: real format by content, bombs refused before decoding, orientation, metadata,
conversions e-readers need, downscaling, byte-for-byte passthrough, deterministic output."""

from __future__ import annotations

import io
import random
import struct
import zlib

import pytest
from PIL import Image, ImageCms

from bookmaker import imageproc
from bookmaker.imageproc import ImageError, Settings, process, sniff

EPUB = Settings()
PRINT = Settings(max_long_side=None, max_width=1200, keep_animation=False)


def picture(size=(200, 100), mode="RGB", colour=(200, 40, 40)) -> Image.Image:
    """A small image with detail (a gradient), so encoders have real work."""
    im = Image.new(mode, size, colour if mode != "L" else 128)
    for x in range(0, size[0], max(1, size[0] // 20)):
        for y in range(size[1]):
            im.putpixel((x, y), (x % 256, y % 256, 90)[: len(mode)] if mode != "L" else x % 256)
    return im


def encoded(im: Image.Image, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    im.save(buf, fmt, **kw)
    return buf.getvalue()


def opened(data: bytes) -> Image.Image:
    im = Image.open(io.BytesIO(data))
    im.load()
    return im


def exif(orientation: int | None = None, gps: bool = False) -> bytes:
    e = Image.Exif()
    if orientation:
        e[0x0112] = orientation
    e[0x010F] = "PhoneMaker"
    if gps:
        e[0x8825] = {1: "N", 2: (39.0, 54.0, 26.0), 3: "E", 4: (116.0, 23.0, 29.0)}
    return e.tobytes()


def png_bomb(width=30000, height=30000) -> bytes:
    """A PNG whose header claims width×height pixels: tiny on disk, 900 MP if decoded."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * (width * 3 + 1) * 4)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


@pytest.mark.parametrize(
    "fmt,expected",
    [
        ("JPEG", "JPEG"),
        ("PNG", "PNG"),
        ("GIF", "GIF"),
        ("WEBP", "WEBP"),
        ("BMP", "BMP"),
        ("TIFF", "TIFF"),
        ("AVIF", "AVIF"),
    ],
)
def test_every_allowed_format_is_recognised_and_made_readable(fmt, expected):
    if fmt == "AVIF" and not imageproc.HAS_AVIF:
        pytest.skip("Pillow without AVIF")
    data = encoded(picture(), fmt)
    assert sniff(data) == expected
    r = process(data, EPUB)
    assert r.format in ("JPEG", "PNG", "GIF")  # what every e-reader shows
    assert (r.width, r.height) == (200, 100)
    if r.data is not None:
        assert opened(r.data).format == r.format


def test_lying_extension_does_not_matter_the_content_decides():
    png = encoded(picture(), "PNG")
    assert sniff(png) == "PNG"
    assert process(png, EPUB).format == "PNG"  # whatever the file was called


def test_non_images_are_refused():
    for data in (b"", b"hello world", b"%PDF-1.4\n", b"\x00" * 100, b"%!PS-Adobe-3.0 EPSF"):
        with pytest.raises(ImageError, match="not an image"):
            process(data, EPUB)


def test_exif_orientation_applied_200x100_stored_with_6_comes_out_100x200():
    data = encoded(picture((200, 100)), "JPEG", exif=exif(orientation=6))
    r = process(data, EPUB)
    assert (r.width, r.height) == (100, 200)
    out = opened(r.data)
    assert out.size == (100, 200)
    assert out.getexif().get(0x0112) is None


def test_gps_exif_stripped_without_reencoding_the_pixels():
    im = picture((300, 200))
    data = encoded(im, "JPEG", quality=90, exif=exif(gps=True))
    before = imageproc.WORK["encode"]
    r = process(data, EPUB)
    assert r.data is not None and b"PhoneMaker" not in r.data and b"Exif" not in r.data
    assert not opened(r.data).getexif()
    # Lossless: the same pixels as the original, not a second JPEG generation.
    assert opened(r.data).tobytes() == opened(data).tobytes()
    assert imageproc.WORK["encode"] == before


def test_png_text_and_exif_chunks_stripped_pixels_kept():
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "someone private")
    data = encoded(picture(), "PNG", pnginfo=info, exif=exif(gps=True))
    r = process(data, EPUB)
    assert b"someone private" not in r.data and b"eXIf" not in r.data
    assert opened(r.data).tobytes() == opened(data).tobytes()


def test_file_that_fits_and_needs_nothing_passes_through_byte_for_byte():
    for fmt in ("JPEG", "PNG", "GIF"):
        data = encoded(picture(), fmt)
        before = imageproc.WORK["encode"]
        r = process(data, EPUB)
        assert r.data is None, fmt
        assert imageproc.WORK["encode"] == before


def test_bomb_refused_from_its_header_quickly_and_without_decoding():
    data = png_bomb()
    assert len(data) < 2000
    before = imageproc.WORK["decode"]
    with pytest.raises(ImageError, match=r"image too large \(900 MP > 40 MP limit\)"):
        process(data, EPUB)
    assert imageproc.WORK["decode"] == before


def test_lowered_pixel_limit_is_restored_afterwards():
    saved = Image.MAX_IMAGE_PIXELS
    with pytest.raises(ImageError):
        process(png_bomb(), EPUB)
    assert saved == Image.MAX_IMAGE_PIXELS


def test_truncated_files_refused_never_passed_through():
    for fmt in ("JPEG", "PNG"):
        data = encoded(picture((400, 300)), fmt)
        with pytest.raises(ImageError, match=r"not an image \(or truncated\)"):
            process(data[: len(data) // 2], EPUB)


def test_pass_through_is_checked_without_decoding_a_pixel():
    for fmt in ("JPEG", "PNG", "GIF"):
        data = encoded(picture((400, 300)), fmt)
        before = imageproc.WORK["decode"]
        assert process(data, EPUB).data is None, fmt
        assert imageproc.WORK["decode"] == before, fmt


def test_truncated_pass_through_candidates_refused_at_any_cut():
    for fmt in ("JPEG", "PNG", "GIF"):
        data = encoded(picture((400, 300)), fmt)
        for cut in (len(data) // 3, len(data) - 30):
            with pytest.raises(ImageError, match=r"not an image \(or truncated\)"):
                process(data[:cut], EPUB)


def test_file_missing_only_its_end_is_never_passed_through_as_it_is():
    # Refused, or (when every pixel decodes) a clean copy: a reader may refuse the broken file.
    for fmt in ("JPEG", "PNG"):
        data = encoded(picture((400, 300)), fmt)
        try:
            r = process(data[:-2], EPUB)
        except ImageError as exc:
            assert "truncated" in str(exc)
        else:
            assert r.data is not None and opened(r.data).size == (400, 300), fmt


def test_progressive_jpeg_passes_whole_and_is_refused_cut_between_scans():
    data = encoded(picture((400, 300)), "JPEG", progressive=True)
    assert process(data, EPUB).data is None
    second_scan = data.index(b"\xff\xda", data.index(b"\xff\xda") + 2)
    with pytest.raises(ImageError, match="truncated"):
        process(data[:second_scan], EPUB)


def test_end_marker_bytes_inside_a_segment_between_scans_do_not_end_the_jpeg():
    data = encoded(picture((400, 300)), "JPEG", progressive=True)
    second_scan = data.index(b"\xff\xda", data.index(b"\xff\xda") + 2)
    comment = b"\xff\xfe\x00\x06x\xff\xd9y"  # a COM segment holding FF D9
    tricky = data[:second_scan] + comment + data[second_scan:]
    assert process(tricky, EPUB).data is None  # whole: passed through, not cut at the comment
    with pytest.raises(ImageError, match="truncated"):
        process(tricky[: second_scan + len(comment) + 20], EPUB)


def test_gif_missing_only_its_trailer_still_shown():
    data = encoded(picture((400, 300)), "GIF")
    assert data.endswith(b"\x00;")  # old encoders left the final `;` out; viewers show them
    assert process(data[:-1], EPUB).data is None


def test_animated_gif_cut_in_a_later_frame_not_passed_through():
    data = animated_gif()
    try:
        r = process(data[: len(data) - 40], EPUB)
    except ImageError as exc:
        assert "truncated" in str(exc)
    else:  # the first frame was whole: kept as a still
        assert r.data is not None and r.format == "PNG"


def test_damaged_png_chunk_refused():
    data = bytearray(encoded(picture((400, 300)), "PNG"))
    data[60] ^= 0xFF  # inside the image data: its CRC no longer matches
    with pytest.raises(ImageError, match="truncated"):
        process(bytes(data), EPUB)


def test_bytes_after_the_end_of_a_jpeg_or_png_are_dropped():
    for fmt in ("JPEG", "PNG"):
        data = encoded(picture((400, 300)), fmt)
        r = process(data + b"trailing junk\xff\xd9", EPUB)
        assert r.data == data, fmt


def test_webp_photo_downscaled_to_jpeg_close_to_a_fair_resize():
    im = picture((4000, 3000))
    r = process(encoded(im, "WEBP", lossless=True, exact=True), EPUB)
    assert r.format == "PNG" and r.width == 1600  # lossless WebP: a drawing, fair filter
    r = process(encoded(im, "WEBP", quality=95), EPUB)
    fair = im.resize((1600, 1200), Image.Resampling.LANCZOS)
    assert r.format == "JPEG" and _psnr(opened(r.data).convert("RGB"), fair) > 30


def _photo(size: tuple[int, int]) -> Image.Image:
    """Smooth gradients with grain: what a photograph looks like to a codec."""
    ramp = Image.linear_gradient("L").resize(size)
    ring = Image.radial_gradient("L").resize(size)
    rgb = Image.merge("RGB", (ramp, ring, ramp.transpose(Image.Transpose.ROTATE_180)))
    return Image.blend(rgb, Image.effect_noise(size, 40).convert("RGB"), 0.15)


def test_webp_photo_scaled_by_libwebp_while_it_is_decoded(monkeypatch):
    from bookmaker import webpscale

    if not webpscale.available():
        pytest.skip("no libwebp on this machine (scripts/system-deps.sh installs libwebp7)")
    calls = []
    real = webpscale.decode
    monkeypatch.setattr(webpscale, "decode", lambda *a: calls.append(a[1]) or real(*a))
    im = _photo((2000, 1500))
    r = process(encoded(im, "WEBP", quality=90), EPUB)
    assert calls == [(1600, 1200)]
    fair = im.resize((1600, 1200), Image.Resampling.LANCZOS)
    assert r.format == "JPEG" and (r.width, r.height) == (1600, 1200)
    assert _psnr(opened(r.data).convert("RGB"), fair) > 30


def test_webp_photo_shrunk_by_pillow_where_libwebp_cannot_be_called(monkeypatch):
    from bookmaker import webpscale

    monkeypatch.setattr(webpscale, "_library", lambda: None)
    im = _photo((2000, 1500))
    r = process(encoded(im, "WEBP", quality=90), EPUB)
    fair = im.resize((1600, 1200), Image.Resampling.LANCZOS)
    assert r.format == "JPEG" and (r.width, r.height) == (1600, 1200)
    assert _psnr(opened(r.data).convert("RGB"), fair) > 30


def test_libwebp_leaves_every_other_webp_to_pillow():
    from bookmaker import webpscale

    if not webpscale.available():
        pytest.skip("no libwebp on this machine")
    photo = _photo((400, 300))
    lossy = encoded(photo, "WEBP", quality=80)
    assert webpscale.decode(lossy, (200, 150)).size == (200, 150)
    frames = encoded(photo, "WEBP", save_all=True, append_images=[photo.rotate(90)])
    for data, size in [
        (lossy[: len(lossy) // 2], (200, 150)),  # cut short: Pillow says so
        (encoded(photo, "WEBP", lossless=True), (200, 150)),  # a drawing: the fair filter
        (encoded(Image.new("RGBA", (400, 300), (0, 0, 0, 0)), "WEBP"), (200, 150)),
        (frames, (200, 150)),
        (lossy, (800, 600)),  # never larger
    ]:
        assert webpscale.decode(data, size) is None


def _psnr(a: Image.Image, b: Image.Image) -> float:
    import math

    from PIL import ImageChops, ImageStat

    rms = ImageStat.Stat(ImageChops.difference(a, b)).rms
    mse = sum(x * x for x in rms) / len(rms)
    return 99.0 if mse == 0 else 10 * math.log10(255 * 255 / mse)


def test_truncated_refused_even_after_weasyprint_relaxed_pillow(monkeypatch):
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)  # what `import weasyprint` does
    data = encoded(picture((400, 300)), "JPEG")
    with pytest.raises(ImageError, match="truncated"):
        process(data[: len(data) // 2], EPUB)
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # restored for WeasyPrint


def test_cmyk_jpeg_becomes_rgb():
    data = encoded(picture().convert("CMYK"), "JPEG")
    r = process(data, EPUB)
    assert r.format == "JPEG" and opened(r.data).mode == "RGB"


def test_non_srgb_profile_converted_to_srgb_and_dropped():
    # A profile that is not sRGB (LittleCMS's XYZ): colours must be converted, not dropped.
    wide = ImageCms.ImageCmsProfile(ImageCms.createProfile("XYZ")).tobytes()
    data = encoded(picture(), "PNG", icc_profile=wide)
    r = process(data, EPUB)
    assert r.data is not None and "icc_profile" not in opened(r.data).info


def test_webp_opaque_to_jpeg_alpha_to_png():
    opaque = encoded(picture(), "WEBP", quality=80)
    assert process(opaque, EPUB).format == "JPEG"
    alpha = picture(mode="RGBA", colour=(10, 20, 30, 0))
    r = process(encoded(alpha, "WEBP", lossless=True), EPUB)
    assert r.format == "PNG" and opened(r.data).mode == "RGBA"


def test_sixteen_bit_png_converted_to_eight_bits():
    im = Image.new("I;16", (64, 32))
    for x in range(64):
        im.putpixel((x, 0), x * 1000)
    data = encoded(im, "PNG")
    assert data[24] == 16
    r = process(data, EPUB)
    out = opened(r.data)
    assert r.data[24] == 8 and out.mode == "L"
    assert out.getpixel((63, 0)) == 63 * 1000 // 256  # scaled, not clipped to white


def animated_gif(frames=3) -> bytes:
    ims = [Image.new("RGB", (120, 80), (i * 80, 40, 200 - i * 60)) for i in range(frames)]
    return encoded(ims[0], "GIF", save_all=True, append_images=ims[1:], duration=100, loop=0)


def test_animated_gif_kept_as_is_for_the_ebook():
    data = animated_gif()
    assert opened(data).n_frames == 3
    r = process(data, EPUB)
    assert r.data is None and r.format == "GIF" and (r.width, r.height) == (120, 80)


def test_animated_gif_first_frame_as_png_for_print():
    data = animated_gif()
    r = process(data, PRINT)
    out = opened(r.data)
    assert r.format == "PNG" and not getattr(out, "is_animated", False)
    assert out.convert("RGB").getpixel((0, 0)) == opened(data).convert("RGB").getpixel((0, 0))


def test_large_image_downscaled_to_the_long_side():
    data = encoded(picture((4000, 3000)), "JPEG")
    r = process(data, EPUB)
    assert (r.width, r.height) == (1600, 1200) and opened(r.data).size == (1600, 1200)


def test_print_rendition_limited_to_the_text_block_width():
    data = encoded(picture((3000, 1000)), "PNG")
    r = process(data, PRINT)
    assert (r.width, r.height) == (1200, 400)


def test_grayscale_for_e_ink():
    r = process(encoded(picture(), "JPEG"), Settings(grayscale=True))
    assert opened(r.data).mode == "L"


def test_tiff_photo_becomes_jpeg_drawing_becomes_png():
    drawing = Image.new("RGB", (200, 100), "white")
    assert process(encoded(drawing, "TIFF"), EPUB).format == "PNG"
    photo = Image.frombytes("RGB", (200, 100), random.Random(1).randbytes(200 * 100 * 3))
    assert process(encoded(photo, "TIFF"), EPUB).format == "JPEG"


def test_same_input_same_bytes():
    data = encoded(picture((2400, 1800)), "WEBP")
    assert process(data, EPUB).data == process(data, EPUB).data


def test_svg_goes_through_the_sanitizer():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 20"><script>x</script></svg>'
    r = process(svg, EPUB)
    assert r.format == "SVG" and (r.width, r.height) == (40, 20) and b"script" not in r.data


def test_apng_kept_for_the_ebook_first_frame_for_print():
    frames = [Image.new("RGBA", (50, 40), (i * 90, 10, 10, 255)) for i in range(3)]
    data = encoded(frames[0], "PNG", save_all=True, append_images=frames[1:], duration=80)
    assert b"acTL" in data
    assert process(data, EPUB).data is None
    printed = process(data, PRINT)
    assert printed.data is not None and b"acTL" not in printed.data

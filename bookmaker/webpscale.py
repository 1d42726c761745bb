"""A lossy WebP decoded by libwebp straight to a smaller size: bytes -> a Pillow RGB image.

Pillow decodes a WebP whole and then shrinks it: a 4000x3000 photograph takes 210 ms to
decode and ~60 ms more to shrink. libwebp can scale while it decodes, row by row, with no
full-size picture in memory: the same photograph to 1600x1200 in ~140 ms. Pillow does not
offer that, so libwebp (Debian: libwebp7) is called directly, for plain pictures only: a
still, opaque, lossy WebP. Anything else, or no libwebp, or a failure: None, and Pillow
does all the work as before (and names what is wrong with a broken file).

The structures are libwebp's `decode.h` (decoder ABI 2.x, unchanged since libwebp 0.5 but
for padding kept for this purpose); `WebPInitDecoderConfig` refuses another major version.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import logging

from PIL import Image as PILImage

log = logging.getLogger(__name__)

ABI_VERSION = 0x0209
LOSSY = 1  # WebPBitstreamFeatures.format
MODE_RGB = 0  # WEBP_CSP_MODE
OK = 0  # VP8StatusCode

_int = ctypes.c_int


class _Features(ctypes.Structure):
    _fields_ = [
        ("width", _int),
        ("height", _int),
        ("has_alpha", _int),
        ("has_animation", _int),
        ("format", _int),
        ("pad", ctypes.c_uint32 * 5),
    ]


class _RGBA(ctypes.Structure):
    _fields_ = [("rgba", ctypes.c_void_p), ("stride", _int), ("size", ctypes.c_size_t)]


class _YUVA(ctypes.Structure):
    _fields_ = [
        *[(name, ctypes.c_void_p) for name in ("y", "u", "v", "a")],
        *[(name, _int) for name in ("y_stride", "u_stride", "v_stride", "a_stride")],
        *[(name, ctypes.c_size_t) for name in ("y_size", "u_size", "v_size", "a_size")],
    ]


class _Buffers(ctypes.Union):
    _fields_ = [("RGBA", _RGBA), ("YUVA", _YUVA)]


class _Output(ctypes.Structure):
    _fields_ = [
        ("colorspace", _int),
        ("width", _int),
        ("height", _int),
        ("is_external_memory", _int),
        ("u", _Buffers),
        ("pad", ctypes.c_uint32 * 4),
        ("private_memory", ctypes.c_void_p),
    ]


_OPTIONS = (
    "bypass_filtering no_fancy_upsampling use_cropping crop_left crop_top crop_width"
    " crop_height use_scaling scaled_width scaled_height use_threads dithering_strength flip"
    " alpha_dithering_strength"
).split()


class _Options(ctypes.Structure):
    _fields_ = [*[(name, _int) for name in _OPTIONS], ("pad", ctypes.c_uint32 * 5)]


class _Config(ctypes.Structure):
    _fields_ = [("input", _Features), ("output", _Output), ("options", _Options)]


@functools.cache
def _library():
    name = ctypes.util.find_library("webp")
    if name is None:
        return None
    try:
        lib = ctypes.CDLL(name)
        lib.WebPInitDecoderConfigInternal.argtypes = [ctypes.POINTER(_Config), _int]
        lib.WebPGetFeaturesInternal.argtypes = [
            ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(_Features), _int
        ]  # fmt: skip
        lib.WebPDecode.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(_Config)]
        lib.WebPFreeDecBuffer.argtypes = [ctypes.POINTER(_Output)]
    except (OSError, AttributeError) as exc:
        log.debug("libwebp not usable (%s): Pillow decodes WebP", exc)
        return None
    return lib


def available() -> bool:
    return _library() is not None


def decode(data: bytes, size: tuple[int, int]) -> PILImage.Image | None:
    """`data` decoded at `size` (RGB), or None when libwebp will not or cannot do it."""
    lib = _library()
    if lib is None:
        return None
    config = _Config()
    if not lib.WebPInitDecoderConfigInternal(ctypes.byref(config), ABI_VERSION):
        return None
    features = config.input
    if lib.WebPGetFeaturesInternal(data, len(data), ctypes.byref(features), ABI_VERSION) != OK:
        return None
    if features.format != LOSSY or features.has_alpha or features.has_animation:
        return None
    width, height = size
    if not (0 < width <= features.width and 0 < height <= features.height):
        return None
    pixels = bytearray(width * height * 3)
    target = (ctypes.c_char * len(pixels)).from_buffer(pixels)
    out = config.output
    out.colorspace, out.is_external_memory = MODE_RGB, 1
    out.u.RGBA.rgba = ctypes.addressof(target)
    out.u.RGBA.stride, out.u.RGBA.size = width * 3, len(pixels)
    options = config.options
    options.use_scaling, options.scaled_width, options.scaled_height = 1, width, height
    status = lib.WebPDecode(data, len(data), ctypes.byref(config))
    lib.WebPFreeDecBuffer(ctypes.byref(out))  # frees nothing of ours: the memory is external
    if status != OK:
        return None
    del target  # (a bytearray with a live export cannot be read by Pillow)
    return PILImage.frombytes("RGB", size, bytes(pixels))

"""svgsafe: entity bombs and XXE refused, scripts and external references removed, size set."""

from __future__ import annotations

import pytest
from lxml import etree

from bookmaker.svgsafe import SvgError, sanitize, svg_size

NS = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'


def svg(inner: str, attrs: str = 'width="100" height="50"') -> bytes:
    return f"<svg {NS} {attrs}>{inner}</svg>".encode()


def cleaned(inner: str, attrs: str = 'width="100" height="50"') -> str:
    out = sanitize(svg(inner, attrs)).data
    etree.fromstring(out)  # always well-formed
    return out.decode()


def test_billion_laughs_refused_at_once():
    lol = "".join(f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    data = (
        f'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY l0 "lol">{lol}]>'
        f"<svg {NS}><text>&l9;</text></svg>"
    ).encode()
    with pytest.raises(SvgError, match="DOCTYPE or ENTITY"):
        sanitize(data)


def test_xxe_refused():
    data = b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + svg(
        "<text>&x;</text>"
    )
    with pytest.raises(SvgError):
        sanitize(data)


def test_doctype_hidden_in_utf16_refused():
    text = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE svg [<!ENTITY x "y">]>'
    data = (text + svg("<text>&x;</text>").decode()).encode("utf-16")
    with pytest.raises(SvgError):
        sanitize(data)


def test_script_event_handlers_and_foreign_object_removed():
    out = cleaned(
        '<script>alert(1)</script><rect width="10" height="10" onclick="alert(2)" '
        'onload="alert(3)"/><foreignObject><div xmlns="http://www.w3.org/1999/xhtml">'
        'hi</div></foreignObject><circle r="4"/>'
    )
    assert "script" not in out and "alert" not in out and "foreignObject" not in out
    assert "<rect" in out and "<circle" in out


def test_external_references_removed_internal_kept():
    out = cleaned(
        '<image xlink:href="http://evil.example/track.png" width="5" height="5"/>'
        '<image href="file:///etc/passwd"/><use href="other.svg#x"/>'
        '<use xlink:href="#dot"/><image href="data:image/png;base64,iVBORw0KGgo="/>'
        '<image href="data:image/svg+xml;base64,PHN2Zz4="/>'
        '<rect fill="url(http://evil.example/p)" stroke="url(#grad)"/>'
    )
    assert "evil.example" not in out and "passwd" not in out and "other.svg" not in out
    assert "svg+xml" not in out
    assert 'href="#dot"' in out and "data:image/png" in out and 'stroke="url(#grad)"' in out


def test_style_with_import_or_outside_url_dropped():
    out = cleaned(
        "<style>@import url(http://evil.example/x.css);</style>"
        "<style>.a { fill: url(https://evil.example/p) }</style>"
        "<style>.b { fill: red }</style>"
        '<rect style="background: url(http://evil.example/q)" class="b"/>'
    )
    assert "evil.example" not in out and ".b { fill: red }" in out


def test_javascript_in_animation_and_links_removed():
    out = cleaned(
        '<a href="javascript:alert(1)"><set attributeName="href" to="javascript:alert(2)"/>'
        '<text>x</text></a><animate attributeName="opacity" from="0" to="1"/>'
    )
    assert "javascript" not in out and "<animate" in out


def test_editor_metadata_dropped():
    data = svg('<sodipodi:namedview xmlns:sodipodi="http://sodipodi.sourceforge.net/"/><g/>')
    assert b"sodipodi:namedview" not in sanitize(data).data


@pytest.mark.parametrize(
    "attrs,size",
    [
        ('width="120" height="80"', (120, 80)),
        ('width="2in" height="1in"', (192, 96)),
        ('viewBox="0 0 400 240"', (400, 240)),
        ('width="800" viewBox="0 0 400 200"', (800, 400)),
        ('width="100%" height="100%" viewBox="0,0,30,10"', (30, 10)),
        ("", (300, 150)),
        ('viewBox="0 0 200000 100000"', (10000, 5000)),
    ],
)
def test_size_from_attributes_viewbox_or_default_written_into_the_svg(attrs, size):
    safe = sanitize(svg("<g/>", attrs))
    assert (safe.width, safe.height) == size
    root = etree.fromstring(safe.data)
    assert (root.get("width"), root.get("height")) == (str(size[0]), str(size[1]))


def test_svg_without_namespace_gets_it():
    safe = sanitize(b'<svg width="10" height="10"><rect width="5" height="5"/></svg>')
    root = etree.fromstring(safe.data)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root[0].tag == "{http://www.w3.org/2000/svg}rect"


def test_not_svg_or_broken_refused():
    for data in (b"<html><body/></html>", b"<svg xmlns='http://www.w3.org/2000/svg'><g>"):
        with pytest.raises(SvgError):
            sanitize(data)


def test_svg_size_of_our_own_math_svg():
    assert svg_size(svg("<g/>", 'width="12.5pt" height="9pt"')) == (17, 12)
    assert svg_size(b"garbage") == (300, 150)


def test_output_is_deterministic():
    data = svg('<g onclick="x"><rect width="3" height="4"/></g>')
    assert sanitize(data).data == sanitize(data).data

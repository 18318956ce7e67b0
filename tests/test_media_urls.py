"""Images a page would load from the reader's own network, or not over http(s), are refused at build time.

The expected classes are hand labels: each address below was worked out by hand from the WHATWG URL
standard's host parser (what a browser requests), not from the code under test.
"""

from __future__ import annotations

import re

import pytest

from ingest.model.html.clean import clean_html
from ingest.model.html.media_urls import judge_image_url, public_image_url

REFUSED = [
    # the examples: the reader's router, in every IPv4 spelling a browser accepts
    "http://192.168.1.1/cgi-bin/reboot.cgi",
    "http://3232235777/",  # 192.168.1.1 as one decimal number
    "http://0xC0A80101/",  # as one hex number
    "http://0300.0250.1.1/",  # octal parts
    "http://0xc0.0xa8.0x1.0x1/",
    "http://192.168.257/",  # three parts: the last fills 16 bits (1.1)
    "http://192.11010305/",  # two parts: 168.1.1 = 11010305
    "http://192.168.1.1./",  # a trailing dot is the same host
    "http://%31%39%32.168.1.1/",  # percent-encoded host
    "http://\uff11\uff19\uff12\uff0e\uff11\uff16\uff18\u3002\uff11\uff0e\uff11/",  # full-width digits, ideographic stop
    "HTTP://192.168.1.1/",
    "http:192.168.1.1/x",  # no slashes: still the host for a browser
    "http:\\\\192.168.1.1\\x",  # backslashes are slashes
    "http:/\\/192.168.1.1/x",
    "ht\ttp://19\n2.168.1.1/",  # tabs and newlines are dropped anywhere
    "  http://192.168.1.1/  ",
    "http://192.168.1.1\\@images.example.com/",  # the host ends at the backslash
    "http://10.0.0.1/", "http://172.16.0.1/", "http://100.64.0.1/",
    "http://127.0.0.1/", "http://127.1/", "http://0x7f.1/", "http://2130706433/", "http://017700000001/",
    "http://0/", "http://0.0.0.0/",
    "http://169.254.169.254/latest/meta-data/",  # cloud metadata
    "http://224.0.0.1/", "http://255.255.255.255/",
    # IPv6 literals and the IPv4 addresses they carry
    "http://[::1]/", "http://[::]/", "http://[fe80::1]/", "http://[fd00::1]/", "http://[fc00::1]/",
    "http://[ff02::1]/", "http://[fec0::1]/",
    "http://[::ffff:192.168.1.1]/", "http://[::ffff:c0a8:101]/", "http://[::ffff:127.0.0.1]/",
    "http://[64:ff9b::7f00:1]/", "http://[64:ff9b::192.168.1.1]/",  # NAT64
    "http://[2002:7f00:1::]/", "http://[2002:c0a8:101::1]/",  # 6to4
    "http://[::127.0.0.1]/", "http://[::192.168.1.1]/",  # IPv4-compatible
    "http://[fe80::1%25eth0]/",  # a zone
    "http://[::1]:8080/x.png",
    # names that only a local network resolves
    "http://localhost/", "http://LOCALHOST:8000/", "http://a.localhost/", "http://printer.local/",
    "http://db.internal/", "http://nas.home.arpa/", "http://router.lan/", "http://router/", "http://intranet./",
    # not http(s), not absolute, or malformed
    "data:image/svg+xml,<svg/>", "javascript:alert(1)", "file:///etc/passwd", "ftp://example.com/a.png",
    "//images.example.com/a.png", "/a.png", "a.png", "",
    "http://user:pass@images.example.com/a.png", "http://images.example.com@192.168.1.1/",
    "http://1.2.3.4.5/", "http://256.1.1.1/", "http://1.2.3.0x100/", "http://08.1.1.1/", "http://foo.0x/",
    "http://images.example.com:99999/", "http://images.example.com:8o/", "http://[::1/", "http://exa mple.com/",
]

KEPT = [
    ("https://media2.dev.to/dynamic/image/width=800%2Cheight=/a.png", "https://media2.dev.to/dynamic/image/width=800%2Cheight=/a.png"),
    ("http://images.example.com/a.png", "https://images.example.com/a.png"),  # upgraded, as on an https page
    ("https://Images.Example.COM./a.png?x=1#y", "https://images.example.com/a.png?x=1#y"),
    ("http://images.example.com:8080\\a\\b.png", "https://images.example.com:8080/a/b.png"),
    ("http://images.example.com:80/a.png", "https://images.example.com/a.png"),
    ("https://images.example.com:443/a.png", "https://images.example.com/a.png"),
    ("http://134744072/a.png", "https://8.8.8.8/a.png"),  # a public address, in its plain form
    ("http://0x08080808/a.png", "https://8.8.8.8/a.png"),
    ("http://[2606:4700::1111]/a.png", "https://[2606:4700::1111]/a.png"),
    ("http://b\u00fccher.example/a.png", "https://xn--bcher-kva.example/a.png"),
    ("http://images.example.com\\@192.168.1.1/", "https://images.example.com/@192.168.1.1/"),  # host: images…
    ("https://images.example.com", "https://images.example.com/"),
]


@pytest.mark.parametrize("url", REFUSED)
def test_an_image_url_a_reader_must_not_load_is_refused(url):
    kept, reason = judge_image_url(url)
    assert kept is None and reason, (url, kept)


@pytest.mark.parametrize("url, plain", KEPT)
def test_a_public_image_url_is_kept_in_its_plain_form(url, plain):
    assert public_image_url(url) == plain


def test_the_reason_names_the_class():
    assert "private" in judge_image_url("http://0300.0250.1.1/")[1]
    assert "loopback" in judge_image_url("http://[::ffff:127.0.0.1]/")[1]
    assert "link-local" in judge_image_url("http://169.254.169.254/")[1]
    assert "local network" in judge_image_url("http://printer.local/")[1]
    assert "http(s)" in judge_image_url("data:image/png;base64,AAAA")[1]


# Every way an article could make the browser load something by itself, pointed at private addresses.
HOSTILE_MEDIA = """
<p>Before <img src="http://192.168.1.1/cgi-bin/reboot.cgi" alt="the router's admin page"> after.</p>
<p><a href="https://example.com/post"><img src="http://0xC0A80101/x.png"></a></p>
<p><img src="https://images.example.com/ok.png" alt="kept" srcset="http://10.0.0.1/a.png 2x, http://127.0.0.1/b.png 3x"></p>
<picture><source srcset="http://10.0.0.2/c.png"><source src="http://10.0.0.3/d.png">
  <img src="http://3232235777/e.png" alt="a picture"></picture>
<video src="http://10.0.0.4/v.mp4" poster="http://10.0.0.5/poster.png"><source src="http://10.0.0.6/v.webm"></video>
<audio src="http://10.0.0.7/a.mp3"></audio>
<input type="image" src="http://10.0.0.8/i.png">
<div style="background-image: url(http://10.0.0.9/bg.png)" background="http://10.0.0.10/bg.png">Styled</div>
<table background="http://10.0.0.11/t.png"><tr><td>cell</td></tr></table>
<link rel="stylesheet" href="http://10.0.0.14/s.css"><svg><image href="http://10.0.0.15/s.png"/></svg>
<img src="//192.168.1.1/protocol-relative.png" alt="relative">
<img src="http://localhost:8080/x.png" alt="local name">
<p>The end.</p>
<object data="http://10.0.0.12/o.svg"></object><embed src="http://10.0.0.13/e.svg">
"""
PRIVATE = re.compile(r"192\.168|0xC0A80101|3232235777|10\.0\.0\.|127\.0\.0\.1|localhost", re.I)


@pytest.mark.parametrize("prefix", ["", "<!DOCTYPE html>"])  # the lxml path, and the BeautifulSoup path
def test_no_element_of_an_article_loads_from_a_private_address(prefix):
    cleaned = clean_html(prefix + HOSTILE_MEDIA, base_url="https://blog.example.com/post/1")
    assert PRIVATE.search(cleaned.html) is None, cleaned.html
    # The refused images' alt text stays as text; the public image stays as an image.
    assert "the router's admin page" in cleaned.text and "Before" in cleaned.text and "after." in cleaned.text
    assert all(t in cleaned.text for t in ("a picture", "relative", "local name", "The end."))
    assert re.findall(r'<img [^>]*src="([^"]+)"', cleaned.html) == ["https://images.example.com/ok.png"]
    # A link that only held a refused image, with no alt text, is gone, not left empty.
    assert 'href="https://example.com/post"' not in cleaned.html


def test_an_image_without_a_base_url_and_a_relative_src_is_left_out():
    cleaned = clean_html('<p>Text <img src="/images/a.png" alt="a diagram"></p>')
    assert "<img" not in cleaned.html and "a diagram" in cleaned.text

"""Article images copied into the archive's media store, from a real HTTP server on 127.0.0.1.

The images an article shows are downloaded under the fetch's hardening: a byte cap per image,
budgets per feed and run, a deadline, the network policy on every redirect, and only bytes that
are a PNG, JPEG, GIF, WebP or AVIF image. Hostile answers fail one image in one line each, and the
archive's entries are never touched. The expected formats and sizes are written by hand from the
formats' specifications (PNG's IHDR, GIF's logical screen, JPEG's SOF0, WebP's VP8X, AVIF's ispe).
"""

from __future__ import annotations

import hashlib
import json
import logging
import struct
import time
from html import escape
from pathlib import Path

import pytest

from ingest.archive.imagetypes import NotAnImage, sniff_image
from ingest.archive.images import fill_images
from ingest.archive.report import fetch_and_report
from ingest.config import load_project
from ingest.errors import UsageError
from ingest.model.html.clean import clean_html
from ingest.model.images import shown_images
from ingest.sources import FetchOptions, ImageOptions
from support import Response, make_project, png_image, snapshot

LOCAL = FetchOptions(allow_private=("127.0.0.0/8",), timeout=5, deadline=10)
PHOTO = png_image(64, 48)


def _feed(images: list[tuple[str, str]], title: str = "An article with figures") -> str:
    body = "".join(f'<p>Figure: <img src="{escape(src)}" alt="{escape(alt)}"></p>' for src, alt in images)
    body += "<p>About retries, timeouts and circuit breakers in running services.</p>"
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Figures</title><link>https://blog.example.com/</link><description>d</description>
<item><title>{escape(title)}</title><link>https://blog.example.com/post/1</link>
<guid>https://blog.example.com/post/1</guid><pubDate>Mon, 02 Mar 2026 10:00:00 +0000</pubDate>
<description>{escape(body)}</description></item></channel></rss>
"""


def _archive_with(tmp_path: Path, images: list[tuple[str, str]]) -> Path:
    archive = tmp_path / "archive"
    feed = tmp_path / "figures.xml"
    feed.write_text(_feed(images), encoding="utf-8")
    [report] = fetch_and_report(archive, [], LOCAL, source=str(feed), name="figures")
    assert report.new == 1, report
    return archive


def _index(archive: Path) -> dict:
    return json.loads((archive / "media" / "index.json").read_text(encoding="utf-8"))


# -- what the bytes are --------------------------------------------------------------------------

def test_the_kept_formats_are_known_by_their_first_bytes_with_their_size():
    gif = b"GIF89a" + struct.pack("<HH", 320, 200) + b"\x00" * 20
    # JPEG: SOI, an APP0 segment of 16 bytes, then SOF0 with height 480 and width 640.
    jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 9 + b"\xff\xc0\x00\x11\x08\x01\xe0\x02\x80" + b"\x00" * 12
    webp = b"RIFF\x00\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00\x00\x00\x00\x00" + (799).to_bytes(3, "little") \
        + (599).to_bytes(3, "little")
    avif = struct.pack(">I", 24) + b"ftypavif\x00\x00\x00\x00mif1avif" + b"\x00\x00\x00\x14ispe\x00\x00\x00\x00" \
        + struct.pack(">II", 1024, 768)
    kinds = {name: sniff_image(body) for name, body in
             (("png", PHOTO), ("gif", gif), ("jpeg", jpeg), ("webp", webp), ("avif", avif))}
    assert {n: (k.mime, k.width, k.height) for n, k in kinds.items()} == {
        "png": ("image/png", 64, 48), "gif": ("image/gif", 320, 200), "jpeg": ("image/jpeg", 640, 480),
        "webp": ("image/webp", 800, 600), "avif": ("image/avif", 1024, 768)}


@pytest.mark.parametrize("body, says", [
    (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "SVG"),
    (b"<svg onload=alert(1)>", "SVG"),
    (b"<!DOCTYPE html><html><body>Not found</body></html>", "not a PNG, JPEG, GIF, WebP or AVIF"),
    (b"BM\x00\x00", "not a PNG"),  # a BMP: not kept
    (b"", "empty"),
])
def test_anything_else_is_refused_with_what_it_looks_like(body, says):
    with pytest.raises(NotAnImage, match=says):
        sniff_image(body)


# -- alt text: the author's, else the figure's caption or the title, else decorative ---------------

@pytest.mark.parametrize("markup, alt", [
    ('<img src="https://i.example.com/a.png" alt="The retry storm, in requests per second">',
     "The retry storm, in requests per second"),
    ('<figure><img src="https://i.example.com/a.png"><figcaption>Figure 2: the queue</figcaption></figure>',
     "Figure 2: the queue"),
    ('<img src="https://i.example.com/a.png" title="Latency by percentile">', "Latency by percentile"),
    ('<img src="https://i.example.com/Screenshot_2020-01-01.png" alt="Screenshot_2020-01-01.png">', ""),
    ('<img src="https://i.example.com/a.png">', ""),
])
def test_an_image_keeps_its_alt_or_gets_its_caption_or_title_or_none(markup, alt):
    html = clean_html(f"<p>Text.</p>{markup}", base_url="https://blog.example.com/p").html
    assert f' alt="{escape(alt)}"' in html, html


# -- downloading -----------------------------------------------------------------------------------

def test_an_articles_images_are_kept_by_content_once_each(server, tmp_path):
    server.routes["/a.png"] = Response(body=PHOTO, headers={"Content-Type": "image/png"})
    server.routes["/same.png"] = Response(body=PHOTO, headers={"Content-Type": "application/octet-stream"})
    gif = b"GIF89a" + struct.pack("<HH", 2, 2) + b"\x00" * 30
    server.routes["/as-html"] = Response(body=gif, headers={"Content-Type": "text/html"})  # the bytes decide
    archive = _archive_with(tmp_path, [(server.url("/a.png"), "a"), (server.url("/same.png"), "b"),
                                       (server.url("/as-html"), "c")])
    entries = snapshot(archive / "entries")
    [report] = fill_images(archive, shown_images, ImageOptions(), LOCAL)
    assert (report.kept, report.failed) == (3, 0)
    digest = hashlib.sha256(PHOTO).hexdigest()
    stored = archive / "media" / digest[:2] / f"{digest}.png"
    assert stored.read_bytes() == PHOTO
    assert len(list((archive / "media").rglob("*.png"))) == 1  # two URLs, one file
    index = _index(archive)
    assert index["images"][server.url("/a.png")] == {"file": f"{digest[:2]}/{digest}.png", "type": "image/png",
                                                     "bytes": len(PHOTO), "width": 64, "height": 48}
    assert index["images"][server.url("/as-html")]["type"] == "image/gif"
    assert snapshot(archive / "entries") == entries
    # The entry's images are all tried: the next run asks the server nothing.
    asked = len(server.requests)
    assert fill_images(archive, shown_images, ImageOptions(), LOCAL) == []
    assert len(server.requests) == asked


def _endless(chunk: bytes, pause: float = 0.0, declared: int | None = None):
    """A handler that answers with `chunk` again and again until the client hangs up (at most 20 s)."""

    def handle(request) -> None:
        request.send_response(200)
        request.send_header("Content-Type", "image/png")
        if declared is not None:
            request.send_header("Content-Length", str(declared))
        request.end_headers()
        ends = time.monotonic() + 20
        try:
            request.wfile.write(PHOTO[:16])
            while time.monotonic() < ends:
                request.wfile.write(chunk)
                request.wfile.flush()
                time.sleep(pause)
        except OSError:
            pass  # the client stopped reading: what the cap and the deadline are for

    return handle


def test_hostile_images_fail_one_line_each_and_leave_the_entries_as_they_were(server, tmp_path, caplog):
    server.routes["/good.png"] = Response(body=PHOTO, headers={"Content-Type": "image/png"})
    server.routes["/huge.png"] = Response(handler=_endless(b"\0" * 65536))
    server.routes["/declared-huge.png"] = Response(handler=_endless(b"\0" * 65536, declared=50_000_000))
    server.routes["/slow.png"] = Response(handler=_endless(b"\0", pause=0.2))
    server.routes["/page.png"] = Response(body=b"<!DOCTYPE html><html><p>Not an image</p></html>",
                                          headers={"Content-Type": "image/png"})
    server.routes["/script.svg"] = Response(
        body=b'<svg xmlns="http://www.w3.org/2000/svg"><script>fetch("/steal")</script></svg>',
        headers={"Content-Type": "image/svg+xml"})
    for name, target in (("metadata", "http://169.254.169.254/latest/meta-data/x.png"),
                         ("router", "http://10.0.0.1/x.png")):
        server.routes[f"/to-{name}.png"] = Response(status=302, headers={"Location": target})
    server.routes["/gone.png"] = Response(status=404)
    names = ["good.png", "huge.png", "declared-huge.png", "slow.png", "page.png", "script.svg", "to-metadata.png",
             "to-router.png", "gone.png"]
    archive = _archive_with(tmp_path, [(server.url(f"/{n}"), n) for n in names])
    before = snapshot(archive)
    options = ImageOptions(max_image_bytes=1_000_000, image_deadline=1.5)
    caplog.set_level(logging.WARNING)
    [report] = fill_images(archive, shown_images, options, LOCAL)
    assert (report.kept, report.failed) == (1, 8)
    # Only the media store was written: the entries and the feed's state are as they were.
    after = snapshot(archive)
    assert {k: v for k, v in after.items() if not k.startswith("media/")} == before
    lines = {r.getMessage() for r in caplog.records if "image" in r.getMessage()}
    assert len(lines) == 8 and all("\n" not in line and line.startswith("feed figures: image http") for line in lines)
    said = {n: next(line for line in lines if f"/{n}:" in line) for n in names[1:]}
    assert "limit" in said["huge.png"] and "limit" in said["declared-huge.png"]
    assert "1.5 s" in said["slow.png"]
    assert "not a PNG, JPEG, GIF, WebP or AVIF" in said["page.png"] and "SVG" in said["script.svg"]
    assert "link-local" in said["to-metadata.png"] and "private" in said["to-router.png"]
    assert "404" in said["gone.png"]
    failed = _index(archive)["failed"]
    assert server.url("/script.svg") in failed and server.url("/slow.png") not in failed  # a slow server may recover
    assert not list((archive / "media").rglob("*.svg"))


def test_a_feeds_budget_leaves_the_rest_for_the_next_run(server, tmp_path, caplog):
    pictures = {f"/p{n}.png": png_image(40 + n, 30) for n in range(4)}
    for path, body in pictures.items():
        server.routes[path] = Response(body=body, headers={"Content-Type": "image/png"})
    archive = _archive_with(tmp_path, [(server.url(p), p) for p in pictures])
    budget = ImageOptions(max_feed_bytes=len(pictures["/p0.png"]) + 1)
    [first] = fill_images(archive, shown_images, budget, LOCAL)
    assert (first.kept, first.left) == (2, 2)  # the second one passes the budget; then it is spent
    assert "max_feed_bytes spent" in caplog.text
    [second] = fill_images(archive, shown_images, ImageOptions(), LOCAL)
    assert (second.kept, second.known, second.left) == (2, 2, 0)


@pytest.mark.parametrize("value, says", [
    ("lcoal", "mode: expected 'local'"),
    ("{mode: local, max_image_bytes: -1}", "max_image_bytes: expected a whole number greater than 0"),
    ("{mode: local, max_image_size: 5}", "unknown key 'max_image_size'"),
])
def test_a_mistake_in_the_images_option_is_one_line_naming_it(tmp_path, value, says):
    project = make_project(tmp_path, with_archive=False)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("      images: remote\n", f"      images: {value}\n", 1))
    with pytest.raises(UsageError) as raised:
        load_project(config)
    line = str(raised.value)
    assert "\n" not in line and str(config) in line and "option 'images'" in line and says in line, line


# -- the site's side: the cache follows the store, and the site's budget ---------------------------

def test_a_cached_article_takes_its_images_copies_once_they_are_kept(server, tmp_path):
    from ingest.model.load import load_knowledge
    from ingest.site.media import site_media

    server.routes["/a.png"] = Response(body=PHOTO, headers={"Content-Type": "image/png"})
    archive = _archive_with(tmp_path, [(server.url("/a.png"), "the figure")])

    def body() -> str:
        media = site_media(archive, ImageOptions(), directory_urls=True)
        [article] = load_knowledge(archive, media=media.lookup)[0].articles
        return article.body.html

    before = body()  # analysed and cached while the store is empty: the image is no public URL, so its text
    assert "<img" not in before and "the figure" in before
    fill_images(archive, shown_images, ImageOptions(), LOCAL)
    digest = hashlib.sha256(PHOTO).hexdigest()
    after = body()
    assert f'src="../../media/{digest[:2]}/{digest}.png"' in after and 'alt="the figure"' in after
    assert 'width="64"' in after and 'height="48"' in after  # the size is known: the box is reserved


def test_beyond_the_sites_budget_images_are_hot_linked_and_the_build_says_so(server, tmp_path, caplog):
    from ingest.site.media import site_media

    pictures = {f"/p{n}.png": png_image(40 + n, 30) for n in range(3)}
    for path, picture in pictures.items():
        server.routes[path] = Response(body=picture, headers={"Content-Type": "image/png"})
    archive = _archive_with(tmp_path, [(server.url(p), p) for p in pictures])
    fill_images(archive, shown_images, ImageOptions(), LOCAL)
    room = len(pictures["/p0.png"]) + len(pictures["/p1.png"])
    caplog.set_level(logging.INFO)
    media = site_media(archive, ImageOptions(max_site_bytes=room), directory_urls=True)
    assert len(media.files) == 2
    assert media.lookup(server.url("/p2.png")) is None and media.lookup(server.url("/p0.png")) is not None
    assert "1 images are hot-linked from their blogs instead" in caplog.text
    assert site_media(archive, ImageOptions(mode="remote"), directory_urls=True).lookup is None

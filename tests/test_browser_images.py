"""Article images as a reader's browser loads them, in real headless Chromium.

A feed's images that point into the reader's own network are never requested by the reader's
browser: a canary HTTP server on 127.0.0.1 stands for the reader's router, the article names it as
images in every spelling a browser accepts, and it must receive nothing.

With `images: local` (the default), the images a fetch copied into the archive's media store are
served by the site itself, with their original alt text, and no request for them leaves the site;
an image never copied is hot-linked over https (never http), and when it cannot load it shows its
alt text on one line, not a blank box. With `images: remote` every image is hot-linked.
Requests to anywhere but 127.0.0.1 are aborted, so nothing reaches the network.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from support import FeedServer, QuietServer, Response, make_project, node_tool, png_image, run_cli

pytestmark = pytest.mark.slow

PUBLIC_IMAGE = "https://images.example.com/kept.png"


class _Canary(http.server.BaseHTTPRequestHandler):
    hits: list[str]

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/gif")
        self.end_headers()
        self.wfile.write(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;")

    def log_message(self, *args) -> None:
        pass


def _serve(handler) -> QuietServer:
    httpd = QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return httpd


def _article(port: int) -> str:
    """An article whose images reach the canary on 127.0.0.1:port in every form, and private hosts."""
    local = [f"http://127.0.0.1:{port}/plain.gif", f"http://2130706433:{port}/decimal.gif",
             f"http://0x7f000001:{port}/hex.gif", f"http://0177.0.0.1:{port}/octal.gif",
             f"http://127.1:{port}/short.gif", f"http://[::ffff:127.0.0.1]:{port}/mapped.gif",
             f"http://localhost:{port}/name.gif", f"//127.0.0.1:{port}/protocol-relative.gif",
             f"http:\\\\127.0.0.1:{port}\\backslash.gif", f"http:127.0.0.1:{port}/no-slashes.gif"]
    images = "".join(f'<p>Figure {n}: <img src="{escape(url)}" alt="figure {n}"></p>' for n, url in enumerate(local))
    return (f"<p>Reboot: <img src=\"http://192.168.1.1/cgi-bin/reboot.cgi\" alt=\"the router's page\"></p>"
            f'<p><img src="http://169.254.169.254/latest/meta-data/" alt="metadata"></p>{images}'
            f'<p><img src="{PUBLIC_IMAGE}" alt="kept" '
            f'srcset="http://127.0.0.1:{port}/srcset.gif 2x"></p>'
            f'<picture><source srcset="http://127.0.0.1:{port}/source.gif"><img src="http://10.0.0.1/p.gif"></picture>'
            f'<video poster="http://127.0.0.1:{port}/poster.gif" src="http://127.0.0.1:{port}/v.mp4"></video>'
            f'<p>About retries and timeouts in running services.</p>')


def _feed(body: str) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Images</title><link>https://blog.example.com/</link><description>d</description>
<item><title>An article with images</title><link>https://blog.example.com/post/1</link>
<guid>https://blog.example.com/post/1</guid><pubDate>Mon, 02 Mar 2026 10:00:00 +0000</pubDate>
<description>{escape(body)}</description></item></channel></rss>
"""


def test_images_into_the_readers_network_make_no_request(browser, tmp_path):
    hits: list[str] = []
    canary = _serve(type("Canary", (_Canary,), {"hits": hits}))
    port = canary.server_address[1]
    project = make_project(tmp_path, with_archive=False)
    (tmp_path / "feed.xml").write_text(_feed(_article(port)), encoding="utf-8")
    # --no-images: the archiver, not the reader, would fetch them (this project allows private addresses).
    fetched = run_cli("fetch", "--no-images", "--feed", str(tmp_path / "feed.xml"), cwd=project, timeout=120)
    assert fetched.returncode == 0
    site = tmp_path / "site"
    built = run_cli("build", "--site-dir", str(site), cwd=project, timeout=300)
    assert built.returncode == 0, built.stderr
    [page] = [p for p in (site / "articles").glob("*/index.html") if "An article with images" in p.read_text()]

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    httpd = _serve(functools.partial(Quiet, directory=str(site)))
    origin = f"http://127.0.0.1:{httpd.server_address[1]}"
    requested: list[str] = []

    def only_local(route) -> None:
        host = urlsplit(route.request.url).hostname or ""
        (route.continue_ if host in ("127.0.0.1", "::1", "localhost", "::ffff:127.0.0.1") else route.abort)()

    try:
        context = browser.new_context(viewport={"width": 1200, "height": 8000})  # every image in view
        context.route("**/*", only_local)
        tab = context.new_page()
        tab.on("request", lambda request: requested.append(request.url))
        tab.goto(f"{origin}/{page.parent.relative_to(site).as_posix()}/", wait_until="load")
        tab.mouse.wheel(0, 20_000)
        tab.wait_for_timeout(500)
        text = tab.inner_text("article")
        context.close()
    finally:
        httpd.shutdown()
        httpd.server_close()
        canary.shutdown()
        canary.server_close()
    assert hits == []
    elsewhere = sorted({u for u in requested if not u.startswith(origin) and not u.startswith("data:")})
    # The public image was asked for (and aborted here): the log sees images, and it saw nothing else.
    assert elsewhere == [PUBLIC_IMAGE]
    assert "the router's page" in text and "figure 0" in text and "retries" in text



# -- copying: `fetch` copies the new entries' images, and a failed image fails nothing ---------------

PHOTO = png_image(64, 48)


def test_fetch_copies_the_images_and_an_image_failure_fails_nothing(server, tmp_path):
    server.routes["/good.png"] = Response(body=PHOTO, headers={"Content-Type": "image/png"})
    project = make_project(tmp_path, with_archive=False, images="local")
    feed = tmp_path / "figures.xml"
    feed.write_text(_feed(f'<p><img src="{server.url("/good.png")}" alt="the good one"></p>'
                          f'<p><img src="{server.url("/missing.png")}" alt="missing"></p><p>Retries.</p>'))
    result = run_cli("fetch", "--feed", str(feed), "--name", "figures", cwd=project, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "figures: images: 1 kept" in result.stdout and "1 failed" in result.stdout
    assert f"feed figures: image {server.url('/missing.png')}: HTTP 404" in result.stderr
    assert len(list((project / "archive" / "media").rglob("*.png"))) == 1
    # `images` goes over the archive again: nothing left to do, nothing asked.
    asked = len(server.requests)
    again = run_cli("images", cwd=project, timeout=120)
    assert again.returncode == 0, again.stderr
    assert len(server.requests) == asked
    # Given as --archive, the archive's feed names are not the configured ones: any name is taken.
    other = run_cli("--archive", str(project / "archive"), "images", "figures", "elsewhere", cwd=project, timeout=120)
    assert other.returncode == 0, other.stderr
    assert len(server.requests) == asked


# -- local copies and hot-links ---------------------------------------------------------------------

FIGURE = png_image(320, 180, (200, 60, 40))
FIGURE_ALT = "Figure 1: requests per second during the retry storm"
CAPTIONED = png_image(200, 100, (30, 140, 60))
REMOTE_ALT = "A diagram on a blog this reader cannot reach"
PLAIN_HTTP_ALT = "A chart linked over plain http"


def _figures_article(server: FeedServer) -> str:
    return (f'<p>The storm: <img src="{server.url("/figure.png")}" alt="{FIGURE_ALT}" width="640" height="360"></p>'
            f'<figure><img src="{server.url("/captioned.png")}"><figcaption>The queue drains</figcaption></figure>'
            f'<p><img src="https://images.example.com/diagram.png" alt="{REMOTE_ALT}" width="800" height="450"></p>'
            f'<p><img src="http://images.example.com/chart.png" alt="{PLAIN_HTTP_ALT}"></p>'
            f'<p><img src="https://images.example.com/spacer.png" width="700" height="400"></p>'
            "<p>About retries and timeouts in running services.</p>")


@pytest.fixture(scope="module")
def figures(tmp_path_factory):
    """One fetch (which copies the images), then the site built twice: `images: local` and `images: remote`."""
    tmp = tmp_path_factory.mktemp("figures")
    server = FeedServer()
    server.thread.start()
    server.routes["/figure.png"] = Response(body=FIGURE, headers={"Content-Type": "image/png"})
    server.routes["/captioned.png"] = Response(body=CAPTIONED, headers={"Content-Type": "image/png"})
    project = make_project(tmp, with_archive=False, images="local")
    (tmp / "feed.xml").write_text(_feed(_figures_article(server)), encoding="utf-8")
    fetched = run_cli("fetch", "--feed", str(tmp / "feed.xml"), "--name", "figures", cwd=project, timeout=120)
    assert fetched.returncode == 0, fetched.stderr
    assert "figures: images: 2 kept" in fetched.stdout
    sites = {}
    for mode in ("local", "remote"):
        config = project / "mkdocs.yml"
        text = re.sub(r"\n      images: \w+", "", config.read_text(encoding="utf-8"))
        config.write_text(text.replace("  - resilience-kb:\n", f"  - resilience-kb:\n      images: {mode}\n", 1))
        sites[mode] = tmp / f"site-{mode}"
        built = run_cli("build", "--site-dir", str(sites[mode]), cwd=project, timeout=300)
        assert built.returncode == 0, built.stderr
    yield server, sites
    server.httpd.shutdown()
    server.httpd.server_close()


def _read(browser, site: Path, *, axe: bool = False) -> dict:
    """The article page of `site` in Chromium: its images, every request it made, and axe's findings."""
    [page] = [p for p in (site / "articles").glob("*/index.html") if "The storm" in p.read_text()]

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    httpd = _serve(functools.partial(Quiet, directory=str(site)))
    origin = f"http://127.0.0.1:{httpd.server_address[1]}"
    requested: list[str] = []
    try:
        context = browser.new_context(viewport={"width": 1200, "height": 4000}, bypass_csp=axe)
        context.route("**/*", lambda route: (route.continue_ if route.request.url.startswith(origin)
                                             else route.abort)())
        tab = context.new_page()
        tab.on("request", lambda request: requested.append(request.url))
        tab.goto(f"{origin}/{page.parent.relative_to(site).as_posix()}/", wait_until="load")
        tab.wait_for_timeout(500)
        images = tab.evaluate("""[...document.querySelectorAll('article img')].map(i => ({
            src: i.currentSrc, alt: i.getAttribute('alt'), natural: i.naturalWidth,
            height: i.getBoundingClientRect().height, failed: i.classList.contains('rkb-image-failed')}))""")
        found = []
        if axe:
            tab.add_script_tag(content=node_tool("axe-core/axe.min.js").read_text())
            result = tab.evaluate("axe.run(document, {resultTypes: ['violations']})")
            found = [f"{v['id']}: {v['nodes'][0]['target']}" for v in result["violations"]
                     if v["impact"] in ("serious", "critical")]
        context.close()
    finally:
        httpd.shutdown()
        httpd.server_close()
    policy = re.search(r'img-src ([^;]*);', page.read_text(encoding="utf-8")).group(1)
    return {"origin": origin, "images": images, "requested": requested, "axe": found, "policy": policy}


def test_copied_images_are_served_by_the_site_with_their_alt_text(browser, figures):
    server, sites = figures
    asked = len(server.requests)
    seen = _read(browser, sites["local"], axe=True)
    origin = seen["origin"]
    by_alt = {image["alt"]: image for image in seen["images"]}
    figure, captioned = by_alt[FIGURE_ALT], by_alt["The queue drains"]  # the caption, for an image with no alt
    for image in (figure, captioned):
        assert image["src"].startswith(f"{origin}/media/") and image["natural"] > 0
    assert figure["natural"] == 320  # the copy itself, and it shows
    assert len(server.requests) == asked  # the blog's server heard nothing from the reader
    # The images never copied are hot-linked over https; unreachable here, they take one line or none.
    remote, plain, spacer = by_alt[REMOTE_ALT], by_alt[PLAIN_HTTP_ALT], by_alt[""]
    assert remote["src"] == "https://images.example.com/diagram.png" and remote["failed"]
    assert plain["src"] == "https://images.example.com/chart.png"
    assert remote["height"] < 40 and plain["height"] < 40 and spacer["height"] == 0
    elsewhere = sorted({u for u in seen["requested"] if not u.startswith(origin)})
    assert elsewhere == ["https://images.example.com/chart.png", "https://images.example.com/diagram.png",
                         "https://images.example.com/spacer.png"]
    assert seen["policy"] == "'self' data: https://images.example.com"
    assert seen["axe"] == []


def test_remote_mode_hot_links_and_never_over_plain_http(browser, figures):
    _, sites = figures
    seen = _read(browser, sites["remote"])
    assert not (sites["remote"] / "media").exists()
    srcs = {image["alt"]: image["src"] for image in seen["images"]}
    assert srcs[REMOTE_ALT] == "https://images.example.com/diagram.png"
    assert srcs[PLAIN_HTTP_ALT] == "https://images.example.com/chart.png"
    # The blog's own images on 127.0.0.1 are the reader's network: hot-linked, they would be refused; their
    # alt text stays as text.
    assert FIGURE_ALT not in srcs
    assert not any(u.startswith("http://") and not u.startswith(seen["origin"]) for u in seen["requested"])
    assert "https://images.example.com/chart.png" in seen["requested"]
    assert seen["policy"] == "'self' data: https://images.example.com"

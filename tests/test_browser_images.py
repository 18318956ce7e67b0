"""A feed's images that point into the reader's own network are never requested by the reader's browser.

A real feed is fetched and built into a site; real headless Chromium reads the article while a
request log records everything it asks for. A canary HTTP server on 127.0.0.1 stands for the
reader's router: the article names it as images in every spelling a browser accepts, and it
must receive nothing. Requests to anywhere but 127.0.0.1 are aborted, so nothing reaches the network.
"""

from __future__ import annotations

import functools
import http.server
import threading
from html import escape
from urllib.parse import urlsplit

from support import QuietServer, make_project, run_cli

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
    assert run_cli("fetch", "--feed", str(tmp_path / "feed.xml"), cwd=project, timeout=120).returncode == 0
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


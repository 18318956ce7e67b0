"""Right-to-left articles as a reader sees them, in real headless Chromium: a Persian feed's page is
laid out right to left in its title and body, while the site's own chrome stays left to right."""

from __future__ import annotations

import functools
import http.server
import threading

import pytest

from support import ROOT, make_project, run_cli

PERSIAN = "corpus/persian_hoder_2005.rss.xml"
TITLE = "پروژه‌ی هاروارد، قدم دوم"  # the post with a body, read from the feed


@pytest.fixture(scope="module")
def rtl_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("rtl")
    project = make_project(root, with_archive=False)
    result = run_cli("fetch", "--feed", str(ROOT / "tests" / PERSIAN), cwd=project)
    assert result.returncode == 0, result.stderr
    site = root / "site"
    result = run_cli("build", "--site-dir", str(site), cwd=project)
    assert result.returncode == 0, result.stderr
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *args: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield site, f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def test_a_persian_article_is_laid_out_right_to_left(browser, rtl_site):
    site, url = rtl_site
    pages = [p for p in (site / "articles").glob("*/index.html") if TITLE in p.read_text(encoding="utf-8")]
    assert len(pages) == 1
    page = browser.new_page()
    page.goto(url + pages[0].parent.relative_to(site).as_posix() + "/")
    title = page.locator("article h1").first
    body = page.locator(".rkb-article-body")
    assert title.inner_text() == TITLE
    style = "e => [getComputedStyle(e).direction, e.closest('[lang]').lang]"
    assert title.evaluate(style) == ["rtl", "fa"]
    assert body.evaluate(style) == ["rtl", "fa"]
    assert body.evaluate("e => getComputedStyle(e.querySelector('p')).textAlign") in ("start", "right")
    # The text of the last line (a short one) sits against the right edge, far from the left one.
    edges = body.evaluate("""e => { const p = e.querySelector('p'); const r = document.createRange();
        r.selectNodeContents(p); const lines = r.getClientRects(); const last = lines[lines.length - 1];
        const box = p.getBoundingClientRect(); return [box.right - last.right, last.left - box.left]; }""")
    assert edges[0] < 2 and edges[1] > 50, edges
    assert page.locator("html").evaluate("e => [e.lang, getComputedStyle(e).direction]") == ["en", "ltr"]
    assert page.locator(".rkb-byline").evaluate("e => getComputedStyle(e).direction") == "ltr"
    page.close()


def test_listings_let_each_title_find_its_own_direction(browser, rtl_site):
    site, url = rtl_site
    page = browser.new_page()
    page.goto(url + "articles/")
    link = page.locator("a", has_text=TITLE).first
    assert link.get_attribute("dir") == "auto"
    assert link.evaluate("e => getComputedStyle(e).direction") == "rtl"
    page.close()

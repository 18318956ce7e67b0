"""Wayfinding as a reader meets it in real Chromium: every generated page says where it is (its tab,
its section in the sidebar or the phone's drawer, a breadcrumb), the home page routes the four kinds
of reader, and a missing page offers a way on. Sections and links are the ones mkdocs.yml names."""

from __future__ import annotations

import functools
import http.server
import threading

import pytest
from bs4 import BeautifulSoup

from support import QuietServer, node_tool

pytestmark = pytest.mark.slow

DIGEST = "aws-re-invent-2020-digest-part-1-31li-afa801ab6a"
# One page of each generated kind, and the section (tab) mkdocs.yml puts it in.
GENERATED = {
    "article": ("articles/ten-lessons-from-twelve-years-of-aws-59b2-1be02dbe72/", "Articles"),
    "pattern": ("patterns/bulkheads/", "Patterns"),
    "checklist": ("checklists/orr/", "Checklists"),
    "year": ("articles/by-year/2020/", "Articles"),
    "tag": ("tags/aws/", "Articles"),
    "note": (f"launches/{DIGEST}/", "Notes"),
    "source": ("sources/adhorn/", "About"),  # under About > Sources, as mkdocs.yml lists Sources
}
# The link the sidebar shows for the section, where it is not the section's name.
SIDEBAR_LINK = {"source": "Sources"}


def _visible_texts(page, selector: str) -> list[str]:
    return page.locator(selector).evaluate_all(
        "els => els.filter(e => e.offsetParent !== null && e.getBoundingClientRect().width > 0)"
        ".map(e => e.textContent.trim())")


@pytest.mark.parametrize("kind", GENERATED)
def test_a_generated_page_shows_its_tab_sidebar_and_breadcrumb(browser, site_url, kind):
    path, section = GENERATED[kind]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site_url + path)
    assert _visible_texts(page, ".md-tabs__item--active") == [section]
    sidebar = _visible_texts(page, ".md-sidebar--primary a.md-nav__link")
    assert len(sidebar) >= 2 and SIDEBAR_LINK.get(kind, section) in sidebar, sidebar  # the section's own link, and more
    crumbs = _visible_texts(page, "nav.md-path .md-path__link")
    assert crumbs[:2] == ["Home", section], crumbs
    page.close()


def test_a_note_page_leads_back_through_its_kind(browser, site_url):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site_url + f"launches/{DIGEST}/")
    assert _visible_texts(page, "nav.md-path .md-path__link") == ["Home", "Notes", "Launches"]
    assert "Launches" in _visible_texts(page, ".md-sidebar--primary a.md-nav__link")
    page.close()


@pytest.mark.parametrize("kind", GENERATED)
def test_on_a_phone_the_drawer_opens_on_the_section(browser, site_url, kind):
    path, section = GENERATED[kind]
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(site_url + path)
    assert _visible_texts(page, "nav.md-path .md-path__link")[:2] == ["Home", section]
    page.locator("label.md-header__button[for='__drawer']").click()
    page.wait_for_timeout(400)  # the drawer slides in
    titles = _visible_texts(page, ".md-sidebar--primary label.md-nav__title")
    links = _visible_texts(page, ".md-sidebar--primary a.md-nav__link")
    assert section in titles, titles
    assert len(links) >= 1, links
    page.close()


def test_notes_has_an_index_and_each_kind_in_the_sidebar(browser, site_url):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site_url + "notes/")
    sidebar = _visible_texts(page, ".md-sidebar--primary a.md-nav__link")
    for kind in ("Launches", "Biases", "Lessons", "Failure injections"):
        assert kind in sidebar
        assert page.locator("article a", has_text=kind).count() >= 1  # the index lists it
    assert "What's new" not in sidebar  # it is under Articles now, and on the home page
    page.close()


def test_the_home_page_routes_each_kind_of_reader(browser, site_url):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site_url)
    hrefs = page.locator(".grid.cards a").evaluate_all("links => links.map(a => new URL(a.href).pathname)")
    for target in ("/start-here/", "/checklists/orr/", "/checklists/postmortem/", "/patterns/", "/whats-new/"):
        assert target in hrefs, (target, hrefs)
    assert page.locator(".grid.cards a[href^='patterns/']").count() >= 3  # a few top patterns, and all
    page.close()


def test_the_latest_articles_on_the_home_page_are_not_launch_digests(built_site):
    soup = BeautifulSoup((built_site / "index.html").read_text(encoding="utf-8"), "lxml")
    heading = soup.find(id="latest-articles")
    latest = [a["href"] for a in heading.find_next("ul").find_all("a")]
    assert len(latest) == 5
    # The bundled archive's two newest articles are its two launch digests (7 January 2021, 10 December 2020).
    assert not [href for href in latest if "re-invent-2020-digest" in href]
    summary = heading.find_next("ul").find_next("p").get_text(" ")
    assert "2 launch digests" in summary and "21 launches" in summary


@pytest.fixture(scope="module")
def site_with_404(built_site):
    """The built site served as a static host serves it: 404.html for any address it lacks."""

    class Handler(http.server.SimpleHTTPRequestHandler):
        def send_error(self, code, message=None, explain=None):
            if code != 404:
                return super().send_error(code, message, explain)
            body = (built_site / "404.html").read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    httpd = QuietServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(built_site)))
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize("missing", ["no-such-page/", "articles/gone/deeper/still/"])
def test_the_404_page_offers_search_and_ways_on_at_any_depth(browser, site_with_404, missing):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    response = page.goto(site_with_404 + missing)
    assert response.status == 404
    text = page.locator("article").inner_text()
    assert "search" in text.lower()
    links = page.locator("article a")
    names = [name.strip() for name in links.all_inner_texts()]
    for name in ("Home", "Start here", "Patterns", "Checklists"):
        assert name in names, names
    for index in range(links.count()):  # each leads to a page that exists, from wherever the reader is
        href = links.nth(index).evaluate("a => a.href")
        assert page.request.get(href).status == 200, href
    page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_wayfinding_pages_have_no_serious_accessibility_violations(browser, site_with_404, scheme):
    axe = node_tool("axe-core/axe.min.js").read_text()
    found = []
    for width in (1280, 390):
        page = browser.new_page(color_scheme=scheme, viewport={"width": width, "height": 900}, bypass_csp=True)
        for path in ("", GENERATED["article"][0], GENERATED["pattern"][0], "notes/", "no-such-page/"):
            page.goto(site_with_404 + path)
            page.add_script_tag(content=axe)
            result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
            found += [f"{width} {path or 'home'}: {v['id']} ({v['impact']}: {v['nodes'][0]['target']})"
                      for v in result["violations"] if v["impact"] in ("serious", "critical")]
        page.close()
    assert found == []

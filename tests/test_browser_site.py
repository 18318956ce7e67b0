"""The built site as a reader meets it, in real headless Chromium: search, clean page loads,
links that resolve, accessibility (axe-core) and the keyboard."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from support import node_tool

ORR = "checklists/orr/"
PAGES = {
    "home": "",
    "article": "articles/ten-lessons-from-twelve-years-of-aws-59b2-1be02dbe72/",
    "pattern": "patterns/bulkheads/",
    "checklist": ORR,
    "start here": "start-here/",
}


def search(page, site_url: str, query: str) -> list[str]:
    """Type `query` into the site's search box; return the pages of the results, best first."""
    page.goto(site_url)
    box = page.locator(".pagefind-ui__search-input")
    box.fill(query)
    results = page.locator(".pagefind-ui__result-title > a.pagefind-ui__result-link")
    results.first.wait_for(timeout=15_000)
    page.wait_for_timeout(300)  # the list settles once every result's excerpt is in
    # A page with sub-results (its sections) has one link each: the pages, once each, in order.
    return list(dict.fromkeys(urlsplit(href).path for href in results.evaluate_all("links => links.map(a => a.href)")))


@pytest.mark.parametrize("query, expected", [
    ("bulkhead", "/patterns/bulkheads/"),
    ("circuit breaker", "/patterns/circuit-breakers/"),
    ("static stability", "/patterns/static-stability/"),
])
def test_searching_a_pattern_finds_its_page_first(browser, site_url, query, expected):
    page = browser.new_page()
    results = search(page, site_url, query)
    assert expected in results[:3], results[:5]
    page.close()


@pytest.mark.parametrize("phrase, expected", [
    ("tech years like dog years", "/articles/ten-lessons-from-twelve-years-of-aws-59b2-1be02dbe72/"),
    ("hands-down my favorite launch", "/articles/aws-re-invent-2020-digest-part-1-31li-afa801ab6a/"),
    ("MultiIPAddressPacketLossAttack", "/articles/building-resilient-services-at-prime-video-with-c92b766799/"),
])
def test_searching_a_phrase_from_an_article_finds_the_article(browser, site_url, phrase, expected):
    page = browser.new_page()
    results = search(page, site_url, phrase)
    assert expected in results[:3], results[:5]
    page.close()


def test_search_finds_notes_too(browser, site_url):
    page = browser.new_page()
    assert [r for r in search(page, site_url, "Babelfish for Amazon Aurora PostgreSQL")[:3] if r.startswith("/launches/")]
    # An injection's notes live on its article's page; the Failure injections index is a listing, not indexed.
    assert search(page, site_url, "MultiIPAddressPacketLossAttack")[0].startswith("/articles/building-resilient")
    page.close()


@pytest.mark.parametrize("name", PAGES)
def test_pages_load_without_errors_or_failed_requests(browser, site_url, name):
    page = browser.new_page()
    errors: list[str] = []
    failed: list[str] = []
    ours = site_url.rstrip("/")

    def on_console(message):
        where = message.location.get("url", "") if message.location else ""
        # An image of an article lives on its author's site; offline it cannot load, and that is not ours.
        if message.type == "error" and (not where or where.startswith(ours)):
            errors.append(f"{message.text} ({where})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("requestfailed", lambda request: failed.append(request.url) if request.url.startswith(ours) else None)
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.url.startswith(ours) and r.status >= 400
            else None)
    page.goto(site_url + PAGES[name], wait_until="networkidle")
    assert errors == [] and failed == []
    page.close()


def test_every_internal_link_and_anchor_resolves(built_site):
    # 404.html is served for any missing path, so its links are absolute from the site's root.
    pages = {p: BeautifulSoup(p.read_text(encoding="utf-8"), "lxml") for p in built_site.rglob("*.html")
             if p.name != "404.html"}
    ids = {p: {tag["id"] for tag in soup.find_all(id=True)} for p, soup in pages.items()}
    broken = []
    checked = 0
    for path, soup in pages.items():
        for tag in soup.find_all(["a", "link", "script", "img"]):
            target = tag.get("href") or tag.get("src")
            if not target or re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE) or target.startswith("//"):
                continue  # external, mailto:, data: …
            checked += 1
            address, _, anchor = target.partition("#")
            anchor = anchor.partition(":~:")[0]  # a text fragment directive is the browser's, not an id
            resolved = _resolve(built_site, path, unquote(address)) if address else path
            if resolved is None:
                broken.append(f"{path.relative_to(built_site)}: {target}")
            elif anchor and resolved.suffix == ".html" and unquote(anchor) not in ids.get(resolved, set()):
                broken.append(f"{path.relative_to(built_site)}: {target} (no such anchor)")
    assert checked > 2000
    assert broken == []


def _resolve(site: Path, page: Path, address: str) -> Path | None:
    target = Path(posixpath.normpath(str(page.parent / address)))
    if not str(target).startswith(str(site)):
        return None
    if target.is_dir():
        target = target / "index.html"
    return target if target.is_file() else None


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 390])
def test_no_serious_accessibility_violations(browser, site_url, scheme, width):
    axe = node_tool("axe-core/axe.min.js").read_text()
    # axe-core is injected as an inline script, which the site's Content-Security-Policy refuses
    # (as it should: test_browser_csp.py); this test's own tool is let through.
    page = browser.new_page(color_scheme=scheme, viewport={"width": width, "height": 900}, bypass_csp=True)
    found = []
    for name, path in PAGES.items():
        page.goto(site_url + path)
        page.add_script_tag(content=axe)
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        found += [f"{name}: {v['id']} ({v['impact']}, {len(v['nodes'])} nodes: {v['nodes'][0]['target']})"
                  for v in result["violations"] if v["impact"] in ("serious", "critical")]
    page.close()
    assert found == []


def test_search_works_from_the_keyboard(browser, site_url):
    page = browser.new_page()
    page.goto(site_url)
    page.keyboard.press("/")  # search.js: "/" goes to the search box
    page.keyboard.type("bulkhead")
    page.locator(".pagefind-ui__result-link").first.wait_for(timeout=15_000)
    for _ in range(10):  # past the Clear button, to the first result
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('pagefind-ui__result-link')"):
            break
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/patterns/bulkheads/"))
    assert page.locator("article h1").inner_text().removesuffix("¶") == "Bulkheads"
    page.close()


def test_navigation_works_from_the_keyboard(browser, site_url):
    page = browser.new_page()
    page.goto(site_url)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to content"
    for _ in range(40):  # tab on to the navigation's Patterns link
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Patterns":
            break
    else:
        pytest.fail("no Patterns link reached by Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/patterns/$"))
    assert page.locator("article h1").inner_text().removesuffix("¶") == "Resilience patterns"
    page.close()


def test_checklist_boxes_work_from_the_keyboard(browser, site_url):
    context = browser.new_context()
    page = context.new_page()
    page.goto(site_url + ORR)
    first = page.locator("input.rkb-box").first
    first.focus()
    page.keyboard.press("Space")
    assert first.is_checked()
    page.keyboard.press("Tab")  # to the question's "Answer, risk and notes" (review.js), then the next box
    assert page.evaluate("document.activeElement.textContent") == "Answer, risk and notes"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "tick-orr-describe-your-operational-goals-for-the"
    page.keyboard.press("Space")
    assert page.locator(".rkb-total").inner_text() == "2 of 93 answered"
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_search_results_have_no_serious_accessibility_violations(browser, site_url, scheme):
    axe = node_tool("axe-core/axe.min.js").read_text()
    page = browser.new_page(color_scheme=scheme, bypass_csp=True)  # to inject axe-core, as above
    search(page, site_url, "bulkhead")
    page.add_script_tag(content=axe)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    page.close()
    assert [v["id"] for v in result["violations"] if v["impact"] in ("serious", "critical")] == []


# Builds, fetches or runs the command line in subprocesses: left out of `make test-fast`.
pytestmark = pytest.mark.slow

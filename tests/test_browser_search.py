"""The search box in real Chromium on the bundled site: nothing of Pagefind loads on a first view (the
page-weight budget, README), and search works once opened by click, keyboard or ?q=; its results are
readable (text of 14 px or more) and say what each page is; the result count is announced."""

from __future__ import annotations

import pytest

from searchquality import ARTICLE, first_view
from support import node_tool

RESULT = ".pagefind-ui__result-link"
BUDGET_GZIP = 100_000  # the first view's bytes (gzipped) without the article's own images: README


@pytest.mark.parametrize("path", ["", ARTICLE])
def test_first_view_loads_no_search_file_and_stays_in_budget(browser, site_url, path):
    weight = first_view(browser, site_url + path)
    assert [u for u in weight["urls"] if "/pagefind/" in u] == []
    assert weight["gzip"] <= BUDGET_GZIP, weight


def test_search_works_once_the_box_is_clicked(browser, site_url):
    page = browser.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(site_url + ARTICLE, wait_until="networkidle")
    assert not [u for u in requested if "/pagefind/" in u]
    page.locator("#rkb-search input").first.click()
    page.keyboard.type("bulkhead")
    page.locator(RESULT).first.wait_for(timeout=15_000)
    assert any(u.endswith("/pagefind/pagefind-ui.js") for u in requested)
    assert "/patterns/bulkheads/" in page.locator(RESULT).first.get_attribute("href")
    page.close()


def test_search_opens_from_the_keyboard_and_the_address(browser, site_url):
    page = browser.new_page()
    page.goto(site_url, wait_until="networkidle")
    page.keyboard.press("s")  # Material's shortcut, which search.js keeps
    page.keyboard.type("canary")
    page.locator(RESULT).first.wait_for(timeout=15_000)
    assert page.evaluate("document.activeElement.classList.contains('pagefind-ui__search-input')")
    page.goto(site_url + "?q=bulkhead")
    page.locator(RESULT).first.wait_for(timeout=15_000)
    assert page.locator(".pagefind-ui__search-input").input_value() == "bulkhead"
    page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_results_are_readable_labelled_and_announced(browser, site_url, scheme):
    page = browser.new_page(color_scheme=scheme, bypass_csp=True)  # to inject axe-core below
    page.goto(site_url, wait_until="networkidle")
    page.locator("#rkb-search input").first.fill("postmortem")
    page.locator(".pagefind-ui__result-excerpt").first.wait_for(timeout=15_000)
    page.wait_for_timeout(300)  # every result's excerpt and tags are in
    sizes = page.evaluate("""() => [...document.querySelectorAll(
        '.pagefind-ui__result-title, .pagefind-ui__result-excerpt, .pagefind-ui__result-tag, .pagefind-ui__message')]
        .map(e => parseFloat(getComputedStyle(e).fontSize))""")
    assert sizes and min(sizes) >= 14, sizes
    titles = page.locator(".pagefind-ui__result-title").all_inner_texts()
    assert titles and not [t for t in titles if "¶" in t]
    tags = " | ".join(page.locator(".pagefind-ui__result-tags").all_inner_texts())
    assert "Article" in tags and "Checklist" in tags and "DEV Community: Adrian Hornsby" in tags, tags
    assert "26 June 2020" in tags  # the postmortem template's date in its feed
    assert page.locator(".pagefind-ui__message").get_attribute("aria-live") == "polite"
    page.add_script_tag(content=node_tool("axe-core/axe.min.js").read_text())
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    page.close()
    assert [(v["id"], v["nodes"][0]["target"]) for v in result["violations"]
            if v["impact"] in ("serious", "critical")] == []


# Builds a site and opens a browser: left out of `make test-fast`.
pytestmark = pytest.mark.slow

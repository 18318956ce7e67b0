"""The Reviews pages in real headless Chromium: accessibility, the keyboard, colours off, and the printed report.

The site is the project's with the example reviews and generated ones (tests/reviewsite.py),
built once by `resilience-kb build`. What a page must say comes from the example files:
example-payments' latest review rates one question high ("Does your architecture handle a
sudden surge of traffic?") and two medium; in Architecture one is none and one n/a.
"""

from __future__ import annotations

import io
import re

import pytest

from support import node_tool, run_cli
from reviewsite import reviews_project, served

PAGES = {"reviews": "reviews/", "service": "reviews/example-payments/", "generated service": "reviews/service-001/",
         "actions": "reviews/actions/"}
NAVIGATION_ONLY = ("Table of contents", "Material for MkDocs", "Skip to content", "Back to top", "Search")


@pytest.fixture(scope="module")
def reviews_url(tmp_path_factory):
    project = reviews_project(tmp_path_factory.mktemp("reviews-browser"))
    site = project.parent / "site"
    result = run_cli("-f", str(project / "mkdocs.yml"), "build", "--site-dir", str(site))
    assert result.returncode == 0, result.stderr
    with served(site) as url:
        yield url


def letters(text: str) -> str:
    return re.sub(r"[\W_]+", "", text).casefold()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violations(browser, reviews_url, scheme):
    axe = node_tool("axe-core/axe.min.js").read_text()
    page = browser.new_page(color_scheme=scheme, bypass_csp=True)  # to inject axe-core (the CSP refuses it)
    found = []
    for name, path in PAGES.items():
        page.goto(reviews_url + path)
        page.add_script_tag(content=axe)
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        found += [f"{name}: {v['id']} ({v['impact']}, {len(v['nodes'])} nodes: {v['nodes'][0]['target']})"
                  for v in result["violations"] if v["impact"] in ("serious", "critical")]
    page.close()
    assert found == []


@pytest.mark.parametrize("path", ["reviews/", "reviews/example-payments/", "reviews/actions/"])
def test_every_link_of_the_page_is_reached_with_the_keyboard(browser, reviews_url, path):
    page = browser.new_page()
    page.goto(reviews_url + path)
    wanted = page.evaluate("[...document.querySelectorAll('article a[href]')].filter(a => a.offsetParent)"
                           ".map(a => a.href)")
    reached = set()
    for _ in range(400):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("document.activeElement.href || ''"))
        if set(wanted) <= reached:
            break
    page.close()
    assert set(wanted) - reached == set()
    assert len(wanted) > 3


def test_the_grid_reads_the_same_with_colours_off(browser, reviews_url):
    """Forced colours (high contrast) drop every background: each count still says its risk in words."""
    page = browser.new_page()
    page.emulate_media(forced_colors="active")
    page.goto(reviews_url + "reviews/example-payments/")
    assert page.evaluate("matchMedia('(forced-colors: active)').matches")
    counts = page.locator(".rkb-risk-counts").first.inner_text()
    assert re.sub(r"\s+", " ", counts).strip().split(" ")[:4] == ["1", "high", "2", "medium"]
    header = page.locator(".rkb-grid table thead").first.inner_text().split()
    assert header == ["Section", "High", "Medium", "None", "N/A", "Unanswered"]
    architecture = page.locator(".rkb-grid table tbody tr", has_text="Architecture").first.inner_text().split()
    assert architecture[:5] == ["Architecture", "1", "2", "1", "1"]  # high, medium, none, n/a: from the file
    # The cells of risks found are told apart by a border in forced colours, not by colour alone.
    border = page.evaluate("getComputedStyle(document.querySelector('.rkb-cell--high')).borderTopStyle")
    assert border == "solid"
    assert page.locator(".rkb-risk-item--high .rkb-risk-label").first.inner_text().startswith("High risk")
    page.close()


def pdf_text(browser, url: str) -> list[str]:
    from pypdf import PdfReader

    page = browser.new_page()
    try:
        page.goto(url)
        pdf = page.pdf(format="A4", print_background=True)
    finally:
        page.close()
    return [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.parametrize("service", ["example-payments", "service-000"])
def test_the_printed_service_page_is_the_meeting_report(browser, reviews_url, service):
    page = browser.new_page()
    page.goto(reviews_url + f"reviews/{service}/")
    high = [t.removesuffix("¶") for t in page.locator(".rkb-risk-item--high h3").all_inner_texts()]
    printed = page.evaluate("[...document.querySelectorAll('.rkb-risk-item--high .rkb-improve a')]"
                            ".map(a => a.dataset.print)")
    page.close()
    pages = pdf_text(browser, reviews_url + f"reviews/{service}/")
    flat = letters("".join(pages))
    assert high, "the page has high risks"
    for question in high:
        assert letters(question) in flat, question
    for words in ("High risks", "Medium risks", "How to improve", "Action items", "History", "Answer"):
        assert letters(words) in flat, words
    assert letters("1 high") in flat or letters(f"{len(high)} high") in flat
    for label in NAVIGATION_ONLY:
        assert letters(label) not in flat, label
    assert not {"Articles", "Patterns", "Tags", "About"} & set(" ".join(pages).split())  # the navigation's tabs
    assert printed and all(printed)
    for target in printed:  # the improvement links of each high risk print where they lead
        assert letters(target) in flat, target

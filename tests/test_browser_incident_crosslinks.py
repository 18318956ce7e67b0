"""Incidents beside the knowledge base in real headless Chromium: axe-core on the pages with the sections,
and the sections read on a phone without scrolling sideways.

The site is built once from the hand-made incidents of tests/crosslinksite.py and the example reviews.
"""

from __future__ import annotations

import pytest

from support import node_tool, run_cli
from crosslinksite import SURGE, crosslinks_project
from reviewsite import served

# Each page, and the section of it that must be there (axe-core checks the whole page).
PAGES = {"pattern": ("patterns/throttling/", "#in-our-incidents"),
         "pattern with reviews": ("patterns/auto-scaling/", "#in-our-reviews"),
         "biases": ("biases/", "#named-only-in-our-incidents"),
         "checklist": ("checklists/orr/", ".rkb-blind-spots")}


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    project = crosslinks_project(tmp_path_factory.mktemp("crosslinks-browser"))
    site = project.parent / "site"
    result = run_cli("-f", str(project / "mkdocs.yml"), "build", "--site-dir", str(site))
    assert result.returncode == 0, result.stderr
    with served(site) as url:
        yield url


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violations(browser, site_url, scheme):
    axe = node_tool("axe-core/axe.min.js").read_text()
    page = browser.new_page(color_scheme=scheme, bypass_csp=True)  # to inject axe-core (the CSP refuses it)
    found = []
    for name, (path, section) in PAGES.items():
        page.goto(site_url + path)
        assert page.locator(section).count() == 1, name
        page.add_script_tag(content=axe)
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        found += [f"{name}: {v['id']} ({v['impact']}, {len(v['nodes'])} nodes: {v['nodes'][0]['target']})"
                  for v in result["violations"] if v["impact"] in ("serious", "critical")]
    page.close()
    assert found == []


@pytest.mark.parametrize("width", [1280, 390])
def test_the_sections_fit_the_width_and_the_links_are_visible(browser, site_url, width):
    page = browser.new_page(viewport={"width": width, "height": 800})
    for name, (path, section) in PAGES.items():
        page.goto(site_url + path)
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), name
        box = page.locator(section).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, name
    page.goto(site_url + "checklists/orr/")
    pointed = page.locator(f"#{SURGE} .rkb-pointed a")
    assert pointed.count() == 1 and pointed.is_visible()
    page.close()

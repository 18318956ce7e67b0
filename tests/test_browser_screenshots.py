"""The views of the README's screenshots (tools/screenshots.py), in real Chromium at desktop and phone
width, light and dark: axe-core finds no serious or critical violation on any, and each shows what its
screenshot is for (a pattern's passages, search results with their kind, the postmortem's fields as
printed)."""

from __future__ import annotations

import importlib.util

import pytest

from support import ROOT, node_tool

pytestmark = pytest.mark.slow

_spec = importlib.util.spec_from_file_location("screenshots", ROOT / "tools" / "screenshots.py")
screenshots = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(screenshots)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", sorted(screenshots.WIDTHS))
def test_the_screenshot_views_have_no_serious_accessibility_violations(browser, site_url, width, scheme):
    axe = node_tool("axe-core/axe.min.js").read_text()
    size = screenshots.WIDTHS[width]
    # axe-core is injected as an inline script, which the site's CSP refuses (as it should).
    page = browser.new_page(color_scheme=scheme, viewport={"width": size[0], "height": size[1]}, bypass_csp=True)
    found = []
    for name in screenshots.VIEWS:
        screenshots.open_view(page, site_url, name)
        page.add_script_tag(content=axe)
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        found += [f"{name}: {v['id']} ({v['impact']}, {len(v['nodes'])} nodes: {v['nodes'][0]['target']})"
                  for v in result["violations"] if v["impact"] in ("serious", "critical")]
    page.close()
    assert found == []


def test_each_view_shows_what_its_screenshot_is_for(browser, site_url):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    screenshots.open_view(page, site_url, "pattern")
    assert page.locator("article h1").inner_text().removesuffix("¶") == "Circuit breakers"
    assert page.locator("article blockquote, article li").count() >= 2  # its definition, passages
    screenshots.open_view(page, site_url, "search")
    assert page.locator(".pagefind-ui__result-link").count() >= 1
    screenshots.open_view(page, site_url, "postmortem-print")
    assert page.evaluate("matchMedia('print').matches")
    assert not page.locator("nav.md-path").is_visible()  # the breadcrumb is navigation: not on paper
    # In print, the postmortem's facts are fields to write on, not questions to tick.
    assert "Date" in page.locator("article").inner_text()
    page.close()

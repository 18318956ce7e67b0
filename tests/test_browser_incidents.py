"""The Incidents pages in real headless Chromium: the filter, accessibility, the keyboard, and the printed page.

The site is the project's with the example reviews and, as files, the incidents of test_incident_pages,
built once by `resilience-kb build`. What the pages must show was read by hand from those incidents
(tests/incidentsite.py: EXPECTED).
"""

from __future__ import annotations

import re

import pytest

from support import node_tool, run_cli
from reviewsite import served
from incidentsite import EXPECTED, incidents_project
from test_browser_reviews import NAVIGATION_ONLY, letters, pdf_text

pytestmark = pytest.mark.slow

PAGES = {"incidents": "incidents/", "incident": f"incidents/{EXPECTED['page']}/", "public": "incidents/public/",
         "actions": "reviews/actions/"}
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    project = incidents_project(tmp_path_factory.mktemp("incidents-browser"))
    site = project.parent / "site"
    result = run_cli("-f", str(project / "mkdocs.yml"), "build", "--site-dir", str(site))
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="module")
def site_url(site):
    with served(site) as url:
        yield url


def test_the_pages_are_made_only_when_enabled_and_weigh_at_most_150_kb(site, built_site):
    pages = [site / path / "index.html" for path in PAGES.values()]
    pages += list((site / "incidents").rglob("index.html"))
    assert all(page.is_file() for page in pages)
    assert max(page.stat().st_size for page in pages) <= 150 * 1024
    assert not (built_site / "incidents").exists()  # the default site: incidents are private
    assert "incidents/" not in (built_site / "checklists" / "index.html").read_text(encoding="utf-8")


def shown_rows(page, table: str = "#incident-list") -> list[str]:
    """The incidents' titles of the rows a reader sees."""
    return page.evaluate(f"[...document.querySelectorAll('{table} tbody tr')].filter(r => !r.hidden && r.offsetParent)"
                         ".map(r => r.cells[1].innerText.trim())")


def test_without_the_script_the_whole_list_shows_and_no_filter(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "incidents/?service=" + EXPECTED["service"])
    assert sorted(shown_rows(page)) == sorted(EXPECTED["titles"])
    assert not page.locator("form.rkb-filter").is_visible()
    context.close()


def test_filters_leave_the_matching_incidents_and_say_so(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + "incidents/")
    total = len(EXPECTED["titles"])
    assert page.locator("#incident-list-status").inner_text() == f"Showing all {total} incidents."
    page.select_option("select[name=service]", EXPECTED["service"])
    assert sorted(shown_rows(page)) == sorted(EXPECTED["of service"])
    status = page.locator("#incident-list-status").inner_text()
    assert status == f"Showing {len(EXPECTED['of service'])} of {total} incidents: service {EXPECTED['service']}."
    assert page.evaluate("location.search") == f"?service={EXPECTED['service']}"
    page.select_option("select[name=pattern]", label=EXPECTED["pattern"])
    assert sorted(shown_rows(page)) == sorted(EXPECTED["of service and pattern"])
    # The filter is in the address: opened again, the list is filtered the same way.
    address = page.url
    page.goto(address)
    assert page.locator("select[name=service]").input_value() == EXPECTED["service"]
    assert sorted(shown_rows(page)) == sorted(EXPECTED["of service and pattern"])
    page.click("form.rkb-filter button[type=reset]")
    page.wait_for_function("document.querySelector('#incident-list-status').innerText.startsWith('Showing all')")
    assert sorted(shown_rows(page)) == sorted(EXPECTED["titles"])
    assert page.evaluate("location.search") == ""
    for key in ("severity", "type", "bias"):
        page.select_option(f"select[name={key}]", label=EXPECTED[key])
        assert sorted(shown_rows(page)) == sorted(EXPECTED[f"of {key}"]), key
        page.select_option(f"select[name={key}]", "")
    page.close()


def test_the_filter_is_used_with_the_keyboard(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + "incidents/")
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "severity":
            break
    assert page.evaluate("document.activeElement.name") == "severity"
    page.keyboard.press("ArrowDown")  # the first severity after "Any"
    first = page.evaluate("document.activeElement.value")
    page.keyboard.press("Enter")
    assert first == EXPECTED["first severity"]
    assert sorted(shown_rows(page)) == sorted(EXPECTED["of first severity"])
    page.close()


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violations(browser, site_url, scheme, viewport):
    axe = node_tool("axe-core/axe.min.js").read_text()
    page = browser.new_page(color_scheme=scheme, viewport=VIEWPORTS[viewport], bypass_csp=True)  # to inject axe
    found = []
    for name, path in PAGES.items():
        page.goto(site_url + path)
        page.add_script_tag(content=axe)
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        found += [f"{name}: {v['id']} ({v['impact']}, {len(v['nodes'])} nodes: {v['nodes'][0]['target']})"
                  for v in result["violations"] if v["impact"] in ("serious", "critical")]
    page.close()
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("name", ["incidents", "incident", "public"])
def test_every_link_and_control_of_the_page_is_reached_with_the_keyboard(browser, site_url, name):
    page = browser.new_page()
    page.goto(site_url + PAGES[name])
    wanted = page.evaluate("[...document.querySelectorAll('article a[href], article select, article button')]"
                           ".filter(e => e.offsetParent).map(e => e.href || e.name || e.textContent)")
    reached = set()
    for _ in range(400):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("document.activeElement.href || document.activeElement.name || "
                                  "document.activeElement.textContent"))
        if set(wanted) <= reached:
            break
    page.close()
    assert set(wanted) - reached == set()
    assert len(wanted) > 3


def test_the_pages_sit_under_checklists_with_breadcrumbs(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + PAGES["incident"])
    crumbs = [" ".join(t.split()) for t in page.locator(".md-path__item").all_inner_texts()]
    assert crumbs[-2:] == ["Checklists", "Incidents"]
    page.goto(site_url + "incidents/public/")
    sidebar = page.locator(".md-sidebar--primary").inner_text()
    assert "Incidents" in sidebar and "Public incidents" in sidebar
    assert EXPECTED["titles"][0] not in sidebar  # one page per incident: not listed in the sidebar
    page.close()


def test_the_printed_incident_page_holds_the_whole_write_up_and_no_navigation(browser, site_url):
    pages = pdf_text(browser, site_url + PAGES["incident"])
    flat = letters("".join(pages))
    for text in EXPECTED["printed"]:
        assert letters(text) in flat, text
    for label in NAVIGATION_ONLY:  # "Search" is in the example services' names: the search box, by its words
        assert letters(label if label != "Search" else "Search the knowledge base") not in flat, label
    assert not {"Articles", "Patterns", "Tags", "About"} & set(" ".join(pages).split())  # the navigation's tabs
    assert not re.search(r"\bShowing all\b", " ".join(pages))

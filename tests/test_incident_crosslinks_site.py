"""Cross-links both ways on a built site: incident → question → incident, incident → pattern → incident,
incident → bias → incident; the reviews' blind spots; and nothing of it on the default site.

Built once by `resilience-kb build` from the hand-made incidents of tests/crosslinksite.py and the
example reviews; the expected values are read from those files.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import urldefrag

import pytest
from bs4 import BeautifulSoup

from support import run_cli
from crosslinksite import GOALS, SCALING, SLUGS, SURGE, TITLES, crosslinks_project

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    project = crosslinks_project(tmp_path_factory.mktemp("crosslinks"))
    site = project.parent / "site"
    result = run_cli("-f", str(project / "mkdocs.yml"), "build", "--site-dir", str(site))
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines()
                if line.startswith("WARNING") and "is not in a git repository" not in line]
    assert warnings == []
    return site


def soup(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")


def targets(page_path: str, links) -> list[tuple[str, str]]:
    """Each link's (page folder below the site root, anchor), resolved from the page at `page_path`."""
    found = []
    for a in links:
        url, anchor = urldefrag(a["href"])
        folder = posixpath.normpath(posixpath.join(page_path, url)) if url else page_path
        found.append((folder, anchor))
    return found


def incident_page(site: Path, key: str) -> tuple[str, BeautifulSoup]:
    path = f"incidents/{SLUGS[key]}"
    return path, soup(site, path)


def test_incident_to_question_and_back(site):
    path, incident = incident_page(site, "surge")
    assert ("checklists/orr", SURGE) in targets(path, incident.select("article a[href]"))
    checklist = soup(site, "checklists/orr")
    pointed = checklist.find(id=SURGE).select_one(".rkb-pointed")
    assert pointed.get_text(" ", strip=True) == f"Pointed to by 1 incident: {TITLES['surge']} (10 March 2026)"
    assert targets("checklists/orr", pointed.find_all("a")) == [(path, "")]
    # An action item's question counts as the incident pointing to it.
    goals = checklist.find(id=GOALS).select_one(".rkb-pointed")
    assert targets("checklists/orr", goals.find_all("a")) == [(f"incidents/{SLUGS['goals']}", "")]


def test_incident_to_pattern_and_back(site):
    path, incident = incident_page(site, "scaling")
    linked = targets(path, incident.select("article a[href]"))
    assert ("patterns/auto-scaling", "") in linked and ("patterns/throttling", "") in linked
    pattern = soup(site, "patterns/throttling")
    heading = pattern.find("h2", id="in-our-incidents")
    rows = heading.find_next_sibling("ul").find_all("li")
    # Newest first, each with its date, service and the factor's text.
    assert [li.get_text(" ", strip=True) for li in rows] == [
        f"{TITLES['surge']} — 10 March 2026, example-payments: “The sale's surge of traffic overwhelmed the card "
        "authoriser”",
        f"{TITLES['scaling']} — 20 January 2026, example-payments: “New instances came up twenty minutes after "
        "the load”"]
    assert [t for li in rows for t in targets("patterns/throttling", li.find_all("a"))] == [
        (f"incidents/{SLUGS['surge']}", ""), (f"incidents/{SLUGS['scaling']}", "")]


def test_a_pattern_page_has_our_reviews_that_rate_its_questions(site):
    pattern = soup(site, "patterns/auto-scaling")
    rows = pattern.find("h2", id="in-our-reviews").find_next_sibling("ul").find_all("li")
    assert [li.get_text(" ", strip=True) for li in rows] == [
        "example-search (medium): “Does your service support auto-scaling?” ( Operational Readiness Review "
        "Template )"]
    assert targets("patterns/auto-scaling", rows[0].find_all("a")) == [("reviews/example-search", ""),
                                                                       ("checklists/orr", SCALING)]


def test_incident_to_bias_and_back(site):
    path, incident = incident_page(site, "surge")
    assert ("biases", "optimism-bias") in targets(path, incident.select("article a[href]"))
    biases = soup(site, "biases")
    entry = biases.find(id="optimism-bias")
    line = next(p for p in entry.find_next_siblings("p") if "In our incidents" in p.get_text())
    assert line.get_text(" ", strip=True) == f"In our incidents: {TITLES['surge']} (10 March 2026)"
    assert targets("biases", line.find_all("a")) == [(path, "")]
    # Groupthink: no article names it, our incident does; it gets an entry, which the incident page links to.
    scaling, page = incident_page(site, "scaling")
    assert ("biases", "groupthink") in targets(scaling, page.select("article a[href]"))
    groupthink = biases.find("h3", id="groupthink")
    assert groupthink.find_previous("h2").get_text(strip=True) == "Named only in our incidents¶"
    line = next(p for p in groupthink.find_next_siblings("p") if "In our incidents" in p.get_text())
    assert targets("biases", line.find_all("a")) == [(f"incidents/{SLUGS['scaling']}", "")]


def test_the_checklist_page_lists_the_blind_spots(site):
    checklist = soup(site, "checklists/orr")
    spots = checklist.select(".rkb-blind-spots li")
    # Surge: rated high by example-payments. Auto-scaling: none (example-search's medium is not this
    # incident's service). The goals: unanswered.
    assert [li.find("a")["href"] for li in spots] == [f"#{GOALS}", f"#{SCALING}"]
    assert spots[0].get_text(" ", strip=True).endswith(
        f"1 incident: {TITLES['goals']} (5 December 2025); latest reviews: unanswered (example-payments)")
    assert spots[1].get_text(" ", strip=True).endswith(
        f"1 incident: {TITLES['scaling']} (20 January 2026); latest reviews: none (example-payments)")
    toc = [a.get_text(strip=True) for a in checklist.select(".md-sidebar--secondary a")]
    assert toc[-1] == "Questions incidents point to that no review rated as a risk"


def test_start_here_names_an_incident_as_a_stop(site):
    stops = soup(site, "start-here").select(".rkb-stop")
    last = stops[-1]
    assert last.find("h2").get_text(strip=True).endswith("What bit us¶")
    assert f"Our incidents: {TITLES['surge']} (10 March 2026)" in last.get_text(" ", strip=True)
    assert targets("start-here", last.select("li a")) == [(f"incidents/{SLUGS['surge']}", "")]


def test_the_default_site_has_none_of_it(built_site):
    for path in ("patterns/throttling", "patterns/auto-scaling", "biases", "checklists/orr", "start-here"):
        text = (built_site / path / "index.html").read_text(encoding="utf-8")
        assert [w for w in ("In our incidents", "In our reviews", "rkb-pointed", "blind-spots", "incidents/")
                if w in text] == [], path

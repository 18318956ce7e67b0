"""The Reviews pages: built by `resilience-kb build` from the example reviews and generated ones.

Expected values come from the example files (examples/reviews/), read by hand:
example-payments' latest review (2026-03-02) rates "Does your architecture handle a
sudden surge of traffic?" high, the blast radius question and "Do you have any
single-points of failure?" medium, with two open items due 2026-05-04 and
2026-03-20; example-search's (2026-02-10) rates one question high and auto-scaling
medium, with open items due 2026-03-01 and 2026-04-15.
"""

from __future__ import annotations

import re
from datetime import date as Date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from support import ROOT, run_cli
from ingest.errors import KBError
from ingest.model.load import load_knowledge
from ingest.model.reviews import load_reviews
from ingest.site.review_pages import render_actions, render_review_pages

from reviewsite import reviews_project

MAX_PAGE = 150 * 1024
SURGE = "Does your architecture handle a sudden surge of traffic?"
SPOF = "Do you have any single-points of failure?"
BLAST = "What parts of your architectural design reduces the blast radius of failures?"


@pytest.fixture(scope="module")
def reviews_site(tmp_path_factory) -> Path:
    project = reviews_project(tmp_path_factory.mktemp("reviews"))
    site = project.parent / "site"
    result = run_cli("-f", str(project / "mkdocs.yml"), "build", "--site-dir", str(site))
    assert result.returncode == 0, result.stderr
    # The copy in tmp_path is not a git repository: the build says once that renames are found only
    # against the site built before (test_checklist_renames); nothing else may warn.
    warnings = [line for line in result.stderr.splitlines()
                if line.startswith("WARNING") and "is not in a git repository" not in line]
    assert warnings == []
    return site


def soup(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")


@pytest.mark.slow
def test_the_pages_exist_only_when_enabled(reviews_site, built_site):
    for path in ("reviews", "reviews/actions", "reviews/example-payments", "reviews/example-search",
                 "reviews/service-000"):
        assert (reviews_site / path / "index.html").is_file(), path
    assert not (built_site / "reviews").exists()  # the default site: reviews are private
    assert "Rated high or medium" not in (built_site / "checklists/orr/index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_index_has_each_service_with_counts_actions_and_a_trend(reviews_site):
    page = soup(reviews_site, "reviews")
    rows = {r.find("td").get_text(strip=True): r for r in page.select("article table tbody tr")}
    assert set(rows) >= {"example-payments", "example-search", "service-000", "service-002"}
    payments = rows["example-payments"].get_text(" ", strip=True)
    assert "2026-03-02" in payments and "Operational Readiness Review Template" in payments
    assert "1 high" in payments and "2 medium" in payments
    assert "2 open, 1 overdue" in payments.replace(" ,", ",")
    search = rows["example-search"].get_text(" ", strip=True)
    assert "1 high" in search and "1 medium" in search and "2 open, 1 overdue" in search.replace(" ,", ",")
    # The trend: high + medium of the review before, then of the latest, as numbers beside the picture.
    trend = rows["example-payments"].select_one(".rkb-trend")
    assert trend.find("svg")["role"] == "img" and "2026-03-02: 1 high, 2 medium" in trend.find("svg")["aria-label"]
    assert trend.get_text(strip=True).endswith("3 → 3")  # 2 high + 1 medium on 2025-09-15


@pytest.mark.slow
def test_a_service_page_has_its_risks_answers_actions_and_history(reviews_site):
    page = soup(reviews_site, "reviews/example-payments")
    text = page.select_one("article").get_text(" ", strip=True)
    high = page.select(".rkb-risk-item--high h3")
    medium = page.select(".rkb-risk-item--medium h3")
    assert [h.get_text(strip=True).removesuffix("¶") for h in high] == [SURGE]
    assert [h.get_text(strip=True).removesuffix("¶") for h in medium] == [BLAST, SPOF]
    assert text.index("High risks") < text.index("Medium risks") < text.index("Action items") < text.index("History")
    assert "Not tested beyond twice the usual peak." in text  # the answer, from the file
    assert "How to improve" in text
    # Overdue against 2026-04-01: the fail-over due 2026-03-20, not the load test due 2026-05-04.
    rows = page.select_one("#action-items").find_next("table").select("tbody tr")
    due = {r.find_all("td")[2].find(string=True).strip(): r.find("td").get_text(" ", strip=True) for r in rows}
    assert due["Automate the database fail-over"] == "Overdue 2026-03-20"
    assert due["Load test at five times the peak before the sales week"] == "2026-05-04"
    # History: the SLA was high on 2025-09-15 and none now; the surge was not rated then.
    changes = page.select_one(".rkb-changes").get_text(" ", strip=True)
    assert re.search(r"1 risk resolved : What is the SLA of the service\?", changes)
    assert re.search(r"2 new risks : Does your architecture handle a sudden surge of traffic\?; What parts of your "
                     r"architectural design reduces the blast radius of failures\?", changes)
    assert "Checklist version used" in text


def test_overdue_is_counted_against_the_day_handed_in_never_the_clock():
    knowledge, _ = load_knowledge(ROOT / "archive", ROOT / "checklists")
    reviews = tuple(load_reviews(ROOT / "examples" / "reviews", [e.checklist for e in knowledge.curated]))

    def overdue_titles(day: Date) -> list[str]:
        html = render_actions(reviews, day)[0].html
        rows = BeautifulSoup(html, "html.parser").select("table")[0].select("tbody tr")  # then the open items by month
        return [r.find_all("td")[2].find(string=True).strip() for r in rows if "Overdue" in r.find("td").get_text()]

    assert overdue_titles(Date(2026, 2, 1)) == []
    assert overdue_titles(Date(2026, 3, 10)) == ["Ask the provider for a scheduled resize before the sales week"]
    assert overdue_titles(Date(2026, 4, 1)) == [
        "Ask the provider for a scheduled resize before the sales week", "Automate the database fail-over"]
    # Every open item, overdue first, then by due date; done and won't-do items are not listed.
    rows = BeautifulSoup(render_actions(reviews, Date(2026, 4, 1))[0].html, "html.parser").select("table")[0].select(
        "tbody tr")
    assert [r.find("td").get_text(" ", strip=True) for r in rows] == [
        "Overdue 2026-03-01", "Overdue 2026-03-20", "2026-04-15", "2026-05-04"]


@pytest.mark.slow
def test_every_improvement_link_goes_to_a_pattern_page_that_exists(reviews_site):
    knowledge, _ = load_knowledge(ROOT / "archive", ROOT / "checklists")
    [orr] = [e for e in knowledge.curated if e.checklist.id == "orr"]
    checked = 0
    for page_path in sorted((reviews_site / "reviews").glob("service-*/index.html")):
        page = BeautifulSoup(page_path.read_text(encoding="utf-8"), "html.parser")
        for item in page.select(".rkb-risk-item"):
            question = item.find("h3")["id"]
            links = [a["href"] for a in item.select(".rkb-improve a") if "/patterns/" in a["href"]]
            expected = orr.patterns.get(question, ())
            assert [re.search(r"patterns/([a-z0-9-]+)/", h).group(1) for h in links] == list(expected)
            for href in links:
                target = (page_path.parent / href).resolve() / "index.html"
                assert target.is_file(), href
                checked += 1
    assert checked > 20  # the generated reviews rate many questions that name patterns


@pytest.mark.slow
def test_the_checklist_page_counts_services_that_rated_a_question_risky(reviews_site):
    page = soup(reviews_site, "checklists/orr")
    surge = page.select_one("#orr-does-your-architecture-handle-a-sudden .rkb-rated")
    # example-payments' latest review (2026-03-02) rates it high, and high comes first; two are named
    said = re.fullmatch(r"Rated high or medium by (\d+) services? \((\d+) high(?:, (\d+) medium)?\): "
                        r"example-payments(?:, [a-z0-9-]+)?(?:, and (\d+) more)?", surge.get_text())
    assert said, surge.get_text()
    total, high, medium, more = (int(n or 0) for n in said.groups())
    assert high >= 1 and high + medium == total == len(surge.find_all("a")) - (1 if more else 0) + more
    links = {a.get_text(): a["href"] for a in surge.find_all("a")}
    assert links["example-payments"] == "../../reviews/example-payments/"
    assert "example-search" not in links  # its latest review rates it none


@pytest.mark.slow
def test_the_sidebar_lists_the_reviews_page_not_every_service(reviews_site):
    """The services grow with the organisation: the Reviews page lists them; each service is under it."""
    for path in ("reviews/example-payments", "reviews", "checklists/orr"):
        page = soup(reviews_site, path)
        links = [a.get_text(" ", strip=True) for a in page.select("nav.md-nav--primary .md-nav__link")]
        assert not [text for text in links if "example-" in text or "service-0" in text], (path, links)
        if path.startswith("reviews"):
            assert {"Reviews", "Action items"} <= set(links), (path, links)
    crumbs = [a.get_text(strip=True) for a in soup(reviews_site, "reviews/example-payments").select(".md-path a")]
    assert crumbs[-2:] == ["Checklists", "Reviews"]


@pytest.mark.slow
def test_every_page_is_at_most_150_kb(reviews_site):
    sizes = {p.relative_to(reviews_site).as_posix(): p.stat().st_size for p in reviews_site.rglob("*.html")}
    assert max(sizes.values()) <= MAX_PAGE, max(sizes.items(), key=lambda kv: kv[1])


def test_a_service_named_like_a_page_of_reviews_is_refused():
    knowledge, _ = load_knowledge(ROOT / "archive", ROOT / "checklists")
    reviews = load_reviews(ROOT / "examples" / "reviews", [e.checklist for e in knowledge.curated])
    from dataclasses import replace
    renamed = tuple(replace(r, service="actions") if r.service == "example-search" else r for r in reviews)
    with pytest.raises(KBError, match=r"example-search/2025-11-20-orr\.md: a service cannot be named 'actions'"):
        render_review_pages(renamed, knowledge, Date(2026, 4, 1))


def test_the_model_reserves_the_names_of_the_reviews_pages():
    from ingest.model.review_format import RESERVED_SERVICES
    from ingest.site import urls

    assert set(urls.RESERVED_SERVICES) == set(RESERVED_SERVICES)
    assert {p.removeprefix("reviews/").removesuffix(".md") for p in (urls.REVIEWS, urls.REVIEW_ACTIONS)} == {
        "index", "actions"}


def test_the_grid_counts_what_a_review_asks_and_not_the_guidance():
    """A review of the current postmortem that leaves a question out: that one is unanswered, guidance never."""
    import dataclasses

    from ingest.model.reviews import new_review

    knowledge, _ = load_knowledge(ROOT / "archive", ROOT / "checklists")
    [entry] = [e for e in knowledge.curated if e.checklist.id == "postmortem"]
    assert any(item.kind == "guidance" for item in entry.checklist.items)  # else this test could not fail
    review = new_review(entry.checklist, service="checkout", day=Date(2026, 1, 5))
    review = dataclasses.replace(review, answers=review.answers[1:], path="reviews/checkout/2026-01-05-postmortem.md")
    [page] = [p for p in render_review_pages((review,), knowledge, Date(2026, 4, 1)) if "checkout" in p.src_uri]
    grid = BeautifulSoup(page.html, "html.parser").select_one(".rkb-grid table")
    assert grid.select("thead th")[-1].get_text() == "Unanswered"
    unanswered = sum(int(row.find_all("td")[-1].get_text()) for row in grid.select("tbody tr"))
    assert unanswered == len(entry.checklist.answered_items)  # every item a review asks; none answered

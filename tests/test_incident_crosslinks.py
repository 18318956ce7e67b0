"""Incidents beside the knowledge base: the pattern, biases, checklist and Start here pages, from hand-made incidents.

The incidents are made here; the reviews are the examples' (examples/reviews/), read by hand:
example-payments' latest review (2026-03-02) rates "Does your architecture handle a sudden
surge of traffic?" high, "Does your service support auto-scaling?" none, and leaves "Describe
your operational goals for the service." unanswered; example-search's latest (2026-02-10) rates
auto-scaling medium. The blind spots are also worked out on reviews made here.
"""

from __future__ import annotations

from datetime import date as Date

import pytest
from bs4 import BeautifulSoup

from support import ROOT
from ingest.model.incident_index import Heard, index_incidents
from ingest.model.incident_types import Factor, Incident, IncidentAction
from ingest.model.load import load_knowledge
from ingest.model.onboarding import OnboardingError, load_onboarding
from ingest.model.review_format import ActionItem, Answer, Review
from ingest.model.reviews import load_reviews
from ingest.site.incident_sections import blind_spots_html, pointed_line
from ingest.site.info import SiteInfo
from ingest.site.pages import render_site

SURGE = "orr-does-your-architecture-handle-a-sudden"
SCALING = "orr-does-your-service-support-auto-scaling"
GOALS = "orr-describe-your-operational-goals-for-the"
SLA = "orr-what-is-the-sla-of-the"

SURGE_INCIDENT = Incident(
    "2026-03-10-checkout-surge", "Checkout fell over in the spring sale", Date(2026, 3, 10),
    services=("example-payments",),
    factors=(Factor("f1", "The sale's surge of traffic overwhelmed the card authoriser", "technical",
                    patterns=("throttling",), biases=("optimism-bias",), questions=(SURGE,)),))
SCALING_INCIDENT = Incident(
    "2026-01-20-scaling-lag", "Payments scaled out too late", Date(2026, 1, 20), services=("example-payments",),
    factors=(Factor("f1", "New instances came up twenty minutes after the load", "technical",
                    patterns=("auto-scaling", "throttling"), biases=("groupthink",), questions=(SCALING,)),
             Factor("f2", "Nobody questioned the scaling plan", "human factors", biases=("groupthink",))))
GOALS_INCIDENT = Incident(
    "2025-12-05-no-goals", "Nobody knew what fast enough meant", Date(2025, 12, 5), services=("example-payments",),
    factors=(Factor("f1", "No latency goal was written down", "process"),),
    actions=(IncidentAction(ActionItem("Write the latency goals", question=GOALS), factor="f1"),))
PUBLIC_INCIDENT = Incident(  # another company's: a library entry, never among ours
    "big-cloud-outage", "A big cloud's outage", Date(2026, 3, 11), public=True, services=("example-payments",),
    factors=(Factor("f1", "Shedding load too late", "technical", patterns=("throttling",), biases=("groupthink",),
                    questions=(SURGE,)),))
INCIDENTS = (GOALS_INCIDENT, SURGE_INCIDENT, PUBLIC_INCIDENT, SCALING_INCIDENT)


@pytest.fixture(scope="module")
def knowledge():
    return load_knowledge(ROOT / "archive", ROOT / "checklists")[0]


@pytest.fixture(scope="module")
def reviews(knowledge):
    return tuple(load_reviews(ROOT / "examples" / "reviews", [e.checklist for e in knowledge.curated]))


@pytest.fixture(scope="module")
def pages(knowledge, reviews):
    return {p.src_uri: p for p in render_site(knowledge, SiteInfo(reviews=reviews, incidents=INCIDENTS))}


def soup(page) -> BeautifulSoup:
    return BeautifulSoup((page.html or "") + (page.body_html or ""), "html.parser")


def section(page: BeautifulSoup, heading_id: str) -> list:
    """The elements after the heading up to the next heading of its level or higher."""
    heading = page.find(id=heading_id)
    found = []
    for sibling in heading.find_next_siblings():
        if sibling.name in ("h1", "h2") or (heading.name == "h3" and sibling.name == "h3"):
            break
        found.append(sibling)
    return found


def links(elements) -> list[str]:
    return [a["href"] for element in elements for a in element.find_all("a")]


def test_a_pattern_page_lists_our_incidents_newest_first_with_the_factor_after_the_passages(pages):
    page = soup(pages["patterns/throttling.md"])
    # After the knowledge base's own content: the articles' passages and the articles naming it in passing.
    assert page.find(id="in-our-incidents").find_all_next("a", href=lambda h: "/articles/" in h) == []
    headings = [h.get_text() for h in page.find_all("h2")]
    assert headings.index("In our incidents¶") > headings.index("Passages¶")
    rows = [li.get_text(" ", strip=True) for e in section(page, "in-our-incidents") for li in e.find_all("li")]
    assert len(rows) == 2  # the public incident is not ours
    assert rows[0].startswith("Checkout fell over in the spring sale — 10 March 2026, example-payments")
    assert "“The sale's surge of traffic overwhelmed the card authoriser”" in rows[0]
    assert rows[1].startswith("Payments scaled out too late — 20 January 2026, example-payments")
    assert links(section(page, "in-our-incidents")) == ["../../incidents/2026-03-10-checkout-surge/",
                                                         "../../incidents/2026-01-20-scaling-lag/"]
    assert "big-cloud-outage" not in str(page)


def test_a_pattern_page_lists_the_services_whose_latest_review_rates_its_question_risky(pages):
    page = soup(pages["patterns/auto-scaling.md"])
    rows = [li.get_text(" ", strip=True) for e in section(page, "in-our-reviews") for li in e.find_all("li")]
    # example-search rates it medium; example-payments' latest says none (its older review is history).
    assert rows == ["example-search (medium): “Does your service support auto-scaling?” "
                    "( Operational Readiness Review Template )"]
    assert links(section(page, "in-our-reviews")) == ["../../reviews/example-search/",
                                                       f"../../checklists/orr/#{SCALING}"]


def test_a_pattern_no_incident_or_review_names_has_neither_section(pages):
    page = soup(pages["patterns/chaos-engineering.md"])  # no checklist question names it
    assert page.find(id="in-our-incidents") is None and page.find(id="in-our-reviews") is None


def test_the_biases_page_names_the_incidents_each_bias_played_a_part_in(pages, knowledge):
    page = soup(pages["biases.md"])
    optimism = " ".join(e.get_text(" ", strip=True) for e in section(page, "optimism-bias"))
    assert "In our incidents: Checkout fell over in the spring sale (10 March 2026)" in optimism
    assert links(section(page, "optimism-bias"))[-1] == "../incidents/2026-03-10-checkout-surge/"
    # No article names groupthink: it gets an entry of its own, with our definition, once per incident.
    assert "groupthink" not in {b.id for b in knowledge.biases}
    groupthink = " ".join(e.get_text(" ", strip=True) for e in section(page, "groupthink"))
    assert page.find(id="groupthink").get_text() == "Groupthink¶"
    assert "drive for agreement" in groupthink
    assert groupthink.count("Payments scaled out too late") == 1 and "A big cloud" not in groupthink
    # Hindsight bias: named by articles, by none of our incidents.
    assert "In our incidents" not in " ".join(e.get_text() for e in section(page, "hindsight-bias"))


def test_each_checklist_question_names_the_incidents_that_point_to_it(pages):
    page = soup(pages["checklists/orr.md"])
    surge = page.find(id=SURGE).select_one(".rkb-pointed")
    assert surge.get_text(" ", strip=True) == "Pointed to by 1 incident: Checkout fell over in the spring sale " \
                                              "(10 March 2026)"
    assert [a["href"] for a in surge.find_all("a")] == ["../../incidents/2026-03-10-checkout-surge/"]
    # An action item's question counts as pointed to, as a factor's does.
    assert "Nobody knew what fast enough meant" in page.find(id=GOALS).select_one(".rkb-pointed").get_text()
    assert page.find(id=SLA).select_one(".rkb-pointed") is None
    assert len(page.select(".rkb-pointed")) == 3


def test_the_checklist_page_lists_the_reviews_blind_spots(pages):
    page = soup(pages["checklists/orr.md"])
    spots = page.select(".rkb-blind-spots li")
    # Surge: rated high by example-payments, not a blind spot. Auto-scaling: rated none by the incident's
    # service (example-search's medium is not that incident's). Goals: unanswered.
    assert [li.find("a")["href"] for li in spots] == [f"#{GOALS}", f"#{SCALING}"]
    assert spots[0].get_text() == ("Describe your operational goals for the service. — 1 incident: Nobody knew what "
                                   "fast enough meant (5 December 2025); latest reviews: unanswered (example-payments)")
    assert spots[1].get_text().endswith("1 incident: Payments scaled out too late (20 January 2026); latest reviews: "
                                        "none (example-payments)")
    assert page.find("h2", id="blind-spots").get_text() == ("Questions incidents point to that no review rated as "
                                                            "a risk¶")
    assert pages["checklists/orr.md"].headings[-1].id == "blind-spots"  # in the table of contents, last


def test_blind_spots_on_reviews_made_by_hand(knowledge):
    checklists = [e.checklist for e in knowledge.curated]
    pointing = Incident("2026-02-01-x", "X", Date(2026, 2, 1), services=("svc",),
                        factors=(Factor("f1", "t", "technical", questions=(SURGE, SCALING, GOALS)),))
    older = Review("svc", Date(2025, 1, 1), "orr", "v", answers=(Answer(SCALING, risk="high"),))
    newer = Review("svc", Date(2026, 1, 1), "orr", "v", answers=(
        Answer(SURGE, risk="high"), Answer(SCALING, risk="none"), Answer(GOALS, risk=None)))
    spots = index_incidents([pointing], [older, newer], checklists).blind_spots
    assert [(s.item.id, s.incidents[0][1]) for s in spots] == [
        (GOALS, (Heard("svc", "unanswered"),)), (SCALING, (Heard("svc", "none"),))]
    # A service that was never reviewed with the checklist is a blind spot too; a question rated medium is not.
    unreviewed = index_incidents([pointing], [], checklists).blind_spots
    assert {s.item.id for s in unreviewed} == {SURGE, SCALING, GOALS}
    assert unreviewed[0].incidents[0][1] == (Heard("svc", "not reviewed"),)
    medium = Review("svc", Date(2026, 1, 1), "orr", "v", answers=(Answer(GOALS, risk="medium"),))
    assert GOALS not in {s.item.id for s in index_incidents([pointing], [medium], checklists).blind_spots}


def test_many_incidents_are_counted_not_all_named(knowledge):
    """A question many incidents point to links the latest by its date; the blind spots most pointed to come first, ten."""
    checklists = [e.checklist for e in knowledge.curated]
    orr = next(c for c in checklists if c.id == "orr")
    questions = [item.id for item in orr.answered_items[:12]]
    incidents = [Incident(f"2026-01-{n + 1:02d}-i{n}", f"Incident {n}", Date(2026, 1, n + 1), services=(f"s{n % 5}",),
                          factors=(Factor("f1", "t", "process", questions=tuple(questions[:n + 1])),))
                 for n in range(12)]
    index = index_incidents(incidents, [], checklists)
    line = BeautifulSoup(pointed_line("checklists/orr.md", index.by_question[("orr", questions[0])], True),
                         "html.parser")
    assert line.get_text() == "Pointed to by 12 incidents, the latest on 12 January 2026"
    assert [a["href"] for a in line.find_all("a")] == ["../../incidents/2026-01-12-i11/"]
    spots = BeautifulSoup(blind_spots_html("checklists/orr.md", orr, index, True), "html.parser")
    # Question n is pointed to by incidents n..11: 12 - n of them, never reviewed.
    assert [li.find("a")["href"] for li in spots.find_all("li")] == [f"#{q}" for q in questions[:10]]
    # Its services as the incidents come, newest first: incident 11 hit s1, 10 s0, 9 s4, then s3 and s2.
    assert spots.find("li").get_text().endswith("latest reviews: not reviewed (s1, s0, s4 and 2 more)")
    assert spots.find_all("p")[-1].get_text() == "… and 2 more questions that incidents point to."


def test_without_incidents_the_pages_are_as_before(knowledge, reviews, pages):
    """Incidents enabled but none written: no page changes; and none of the sections on the default site
    ("In our reviews" is there whenever the reviews are: it is made of them alone)."""
    before = {p.src_uri: p for p in render_site(knowledge, SiteInfo(reviews=reviews))}
    empty = {p.src_uri: p for p in render_site(knowledge, SiteInfo(reviews=reviews, incidents=()))}
    for uri in ("patterns/throttling.md", "patterns/auto-scaling.md", "biases.md", "checklists/orr.md"):
        assert empty[uri] == before[uri]
        assert pages[uri] != before[uri]  # the hand-made incidents do change them
    default = {p.src_uri: p for p in render_site(knowledge, SiteInfo())}
    for uri in ("patterns/throttling.md", "biases.md", "checklists/orr.md"):
        text = (default[uri].html or "") + (default[uri].body_html or "")
        assert [w for w in ("In our incidents", "In our reviews", "rkb-pointed", "blind-spots") if w in text] == []
    assert "In our reviews" in before["patterns/auto-scaling.md"].html


def test_start_here_names_incidents_as_stops_checked_with_their_line(knowledge, tmp_path):
    path = tmp_path / "onboarding.yml"
    path.write_text("title: Start here\nstops:\n  - title: Patterns\n    learn: x\n    patterns: [retries]\n"
                    "  - title: What bit us\n    learn: Our own incidents.\n"
                    "    incidents: [2026-03-10-checkout-surge, big-cloud-outage]\n", encoding="utf-8")
    with pytest.raises(OnboardingError, match=r"onboarding\.yml:6: stop 2 \('What bit us'\) names an unknown "
                                              r"incident 'big-cloud-outage'"):
        load_onboarding(path, knowledge, [], (), INCIDENTS)  # a public incident is not one of ours
    path.write_text(path.read_text(encoding="utf-8").replace(", big-cloud-outage", ""), encoding="utf-8")
    onboarding = load_onboarding(path, knowledge, [], (), INCIDENTS)
    assert onboarding.stops[1].incidents == ("2026-03-10-checkout-surge",)
    page = {p.src_uri: p for p in render_site(knowledge, SiteInfo(onboarding=onboarding, incidents=INCIDENTS))}
    stop = BeautifulSoup(page["start-here.md"].html, "html.parser").find(id="stop-2")
    assert "Our incidents: Checkout fell over in the spring sale (10 March 2026)" in stop.get_text(" ", strip=True)
    assert [a["href"] for a in stop.select("li a")] == ["../incidents/2026-03-10-checkout-surge/"]
    assert page["start-here.md"].links[-1] == ("incidents/2026-03-10-checkout-surge.md", None)  # checked by the build
    # Where incidents are private, the stop's incidents are neither checked nor shown.
    path.write_text(path.read_text(encoding="utf-8").replace("checkout-surge", "no-such"), encoding="utf-8")
    private = load_onboarding(path, knowledge, [], (), None)
    assert private.stops[1].incidents == ()
    hidden = {p.src_uri: p for p in render_site(knowledge, SiteInfo(onboarding=private))}["start-here.md"].html
    assert "Our incidents:" not in hidden and "no-such" not in hidden

"""The Incidents pages, rendered from incidents made by hand here and the example reviews.

Expected values are written from the incidents below and the example review files, by hand:
example-payments' latest review (2026-03-02) rates "Does your architecture handle a sudden
surge of traffic?" (orr-does-your-architecture-handle-a-sudden) high and answers "Not tested
beyond twice the usual peak."; example-search's (2026-02-10) rates it none. The checkout
incident ran 14:00 to 15:35 UTC (1 h 35 min) and was detected after "12 min".
"""

from __future__ import annotations

from datetime import date as Date
from datetime import datetime, timedelta, timezone
from functools import lru_cache

import pytest
from bs4 import BeautifulSoup

from support import ROOT
from ingest.errors import KBError
from ingest.model.incident_types import Factor, Incident, IncidentAction, TimelineEntry
from ingest.model.load import load_knowledge
from ingest.model.review_format import ActionItem, Answer, Review
from ingest.model.reviews import load_reviews
from ingest.site.incident_pages import render_incident_pages
from ingest.site.incident_parts import duration, open_by_month, written_minutes
from ingest.site.info import SiteInfo
from ingest.site.pages import render_site
from ingest.site.review_pages import render_actions

SURGE = "orr-does-your-architecture-handle-a-sudden"
SLA = "orr-what-is-the-sla-of-the"
UTC = timezone.utc

CHECKOUT = Incident(
    slug="2026-03-10-checkout-retries", title="Checkout retries stormed the <database>", date=Date(2026, 3, 10),
    start=datetime(2026, 3, 10, 14, 0, tzinfo=UTC), end=datetime(2026, 3, 10, 15, 35, tzinfo=UTC),
    severity="sev2", type="outage", services=("example-payments", "example-search"), detection="paging alert",
    detected_after="12 min", owner="Ada Example", status="reviewed",
    sections=(("Summary", "Retries amplified the load on the primary.\n\nCheckout failed for 95 minutes."),
              ("Lessons learned", "Back-off is not optional.")),
    factors=(Factor("f1", "Clients retried at once, without back-off", "technical",
                    patterns=("retries", "back-off"), biases=("groupthink",), questions=(SURGE,)),
             Factor("f2", "Nobody questioned the launch plan", "organisational", biases=("groupthink",))),
    actions=(IncidentAction(ActionItem("Add jittered back-off to the client", owner="Bo", due=Date(2026, 3, 20),
                                       status="open", question=SURGE), factor="f1"),
             IncidentAction(ActionItem("Load test at three times the peak", owner="Cy", due=Date(2026, 5, 1),
                                       status="in progress")),
             IncidentAction(ActionItem("Write the runbook", owner="Di", due=Date(2026, 3, 15), status="done"))),
    timeline=(TimelineEntry("14:00 UTC", "Error rate above 5%"), TimelineEntry("14:12 UTC", "On-call paged")),
    path="incidents/2026-03-10-checkout-retries.md")
NEAR_MISS = Incident(
    slug="2025-11-02-search-index-full", title="Search index disk nearly full", date=Date(2025, 11, 2),
    start=datetime(2025, 11, 2, 9, 0, tzinfo=timezone(timedelta(hours=1))),
    end=datetime(2025, 11, 2, 9, 40, tzinfo=timezone(timedelta(hours=1))),
    severity="sev4", type="near miss", services=("example-search",), detected_after="2 hours",
    factors=(Factor("f1", "No alert on disk use", "technical", patterns=("monitoring",)),),
    path="incidents/2025-11-02-search-index-full.md")
PUBLIC = Incident(
    slug="acme-dns-outage", title="Acme's DNS outage", date=Date(2026, 1, 5), public=True, company="Acme",
    type="outage", source_url="https://acme.example/postmortem",
    actions=(IncidentAction(ActionItem("Acme's own follow-up", status="open", due=Date(2026, 1, 9))),),
    extra=(("product", "Acme DNS"),), path="incidents/public/acme-dns-outage.md")


@lru_cache(maxsize=1)
def knowledge_and_reviews():
    knowledge, _ = load_knowledge(ROOT / "archive", ROOT / "checklists")
    reviews = tuple(load_reviews(ROOT / "examples" / "reviews", [e.checklist for e in knowledge.curated]))
    return knowledge, reviews


def pages(today: Date = Date(2026, 4, 1), incidents=(CHECKOUT, NEAR_MISS, PUBLIC)) -> dict[str, BeautifulSoup]:
    knowledge, reviews = knowledge_and_reviews()
    made = render_incident_pages(incidents, reviews, knowledge, today)
    return {p.src_uri: BeautifulSoup(p.html, "html.parser") for p in made}


def words(node) -> str:
    return " ".join(node.get_text(" ").split())


def flat(node) -> str:
    """The text as read inline: elements' texts joined as they stand."""
    return " ".join(node.get_text().split())


def test_times_written_by_teams_are_read_with_their_units():
    assert written_minutes("12 min") == 12
    assert written_minutes("1 h 5 min") == 65
    assert written_minutes("2 hours") == 120
    assert written_minutes("1 day and 3 hours") == 1620
    assert written_minutes("about an hour") is None  # no number: shown as written, left out of the medians
    assert written_minutes("") is None
    assert duration(95) == "1 h 35 min"
    assert duration(0) == "0 min"


def test_the_index_lists_the_teams_incidents_newest_first_never_the_public_ones():
    index = pages()["incidents/index.md"]
    rows = index.select("#incident-list tbody tr")
    assert [words(r.find_all("td")[1]) for r in rows] == ["Checkout retries stormed the <database>",
                                                          "Search index disk nearly full"]
    assert "Acme" not in words(index.select_one("#incident-list"))
    intro = words(index.find("p"))
    assert "2 incidents of 2 services" in intro
    assert "1 postmortem, never counted here" in intro
    first = [words(td) for td in rows[0].find_all("td")]
    assert first[0] == "2026-03-10"
    assert first[5:7] == ["12 min", "1 h 35 min"]  # detected after 12 min; 14:00 to 15:35
    assert words(rows[1].find_all("td")[5]) == "2 h"
    # What the filter matches: the cells list their values between ", " (a pattern by its name).
    assert first[2] == "example-payments, example-search"
    assert first[7] == "Retries, Back-off and jitter, groupthink"
    assert words(rows[1].find_all("td")[4]) == "near miss"


def test_the_filter_offers_what_the_incidents_hold_and_is_hidden_without_the_script():
    index = pages()["incidents/index.md"]
    form = index.select_one("form.rkb-filter")
    assert form.has_attr("hidden")
    options = {s["name"]: [o["value"] for o in s.find_all("option")] for s in form.find_all("select")}
    assert options["service"] == ["", "example-payments", "example-search"]
    assert options["severity"] == ["", "sev2", "sev4"]
    assert options["type"] == ["", "near miss", "outage"]
    assert options["pattern"] == ["", "Back-off and jitter", "Monitoring and alarming", "Retries"]  # vocabulary names
    assert options["bias"] == ["", "groupthink"]
    columns = {s["name"]: int(s["data-column"]) for s in form.find_all("select")}
    header = [words(th) for th in index.select("#incident-list thead th")]
    assert [header[columns[k]] for k in ("service", "severity", "type", "pattern", "bias")] == [
        "Services", "Severity", "Type", "Patterns and biases", "Patterns and biases"]
    assert all(select.find_parent("label") for select in form.find_all("select"))  # each has its name


def test_the_times_by_quarter_are_medians_with_their_numbers_in_text():
    index = pages()["incidents/index.md"]
    table = index.find("h2", id="times").find_next("table")
    rows = [[words(td) for td in tr.find_all("td")] for tr in table.select("tbody tr")]
    assert rows == [["2026 Q1", "1", "12 min", "1 h 35 min"], ["2025 Q4", "1", "2 h", "40 min"]]
    trend = words(index.select_one(".rkb-times"))
    assert "2 h → 12 min" in trend and "40 min → 1 h 35 min" in trend


def test_the_public_library_is_its_own_page():
    public = pages()["incidents/public.md"]
    rows = public.select("#public-list tbody tr")
    assert [words(r.find_all("td")[1]) for r in rows] == ["Acme's DNS outage"]
    assert words(rows[0].find_all("td")[2]) == "Acme"
    page = pages()["incidents/public/acme-dns-outage.md"]
    facts = words(page.select_one("dl.rkb-facts"))
    assert "Company Acme" in facts and "product Acme DNS" in facts
    assert page.select_one('dl.rkb-facts a[href="https://acme.example/postmortem"]')


def test_an_incident_page_holds_the_facts_write_up_factors_items_and_timeline():
    page = pages()["incidents/2026-03-10-checkout-retries.md"]
    facts = words(page.select_one("dl.rkb-facts"))
    for said in ("Severity sev2", "Type outage", "Start 2026-03-10 14:00 UTC", "End 2026-03-10 15:35 UTC",
                 "Time to detect 12 min", "Time to resolve 1 h 35 min", "Detected by paging alert",
                 "Owner Ada Example", "Status reviewed"):
        assert said in facts, said
    assert page.select_one('dl.rkb-facts a[href="../../reviews/example-payments/"]')
    text = words(page)
    assert "Retries amplified the load on the primary." in text and "Back-off is not optional." in text
    factors = page.find("h2", id="contributing-factors").find_next("ul")
    hrefs = [a["href"] for a in factors.find_all("a")]
    assert "../../patterns/retries/" in hrefs and "../../patterns/back-off/" in hrefs
    assert f"../../checklists/orr/#{SURGE}" in hrefs
    assert "technical: Clients retried at once, without back-off" in flat(factors)
    assert "organisational: Nobody questioned the launch plan" in flat(factors)
    timeline = [[words(td) for td in tr.find_all("td")] for tr in page.find("h2", id="timeline")
                .find_next("table").select("tbody tr")]
    assert timeline == [["14:00 UTC", "Error rate above 5%"], ["14:12 UTC", "On-call paged"]]


def test_overdue_is_counted_against_the_day_handed_in():
    def overdue_items(today):
        table = pages(today)["incidents/2026-03-10-checkout-retries.md"].find("h2", id="action-items").find_next("table")
        return [words(tr.find_all("td")[2]).split(" factor")[0].split(" question")[0]
                for tr in table.select("tbody tr") if tr.select_one(".rkb-overdue")]
    # Due 2026-03-20 (open), 2026-05-01 (in progress), 2026-03-15 (done: never overdue).
    assert overdue_items(Date(2026, 3, 18)) == []
    assert overdue_items(Date(2026, 4, 1)) == ["Add jittered back-off to the client"]
    assert overdue_items(Date(2026, 6, 1)) == ["Add jittered back-off to the client", "Load test at three times the peak"]


def test_each_question_says_whether_each_services_review_flagged_it():
    page = pages()["incidents/2026-03-10-checkout-retries.md"]
    questions = page.find("h2", id="questions").find_next("ul")
    said = words(questions)
    assert "Does your architecture handle a sudden surge of traffic?" in said
    answers = [flat(li) for li in questions.find("ul").find_all("li")]
    assert answers[0].startswith("Flagged: high risk in example-payments, 2026-03-02")
    assert "Not tested beyond twice the usual peak." in answers[0]
    assert answers[1].startswith("Not flagged: risk none in example-search, 2026-02-10")
    # A high risk has its own place on the service's page: the link leads there.
    assert questions.find("a", string=lambda s: s and "payments" in s)["href"] == f"../../reviews/example-payments/#{SURGE}"


def test_a_question_no_review_asked_says_so():
    asked_elsewhere = Incident(slug="2026-02-01-x", title="X", date=Date(2026, 2, 1), services=("example-payments",
                               "example-unreviewed"), factors=(Factor("f1", "t", "process", questions=(SLA,)),))
    page = pages(incidents=(asked_elsewhere,))["incidents/2026-02-01-x.md"]
    answers = [flat(li) for li in page.find("h2", id="questions").find_next("ul").find("ul").find_all("li")]
    assert answers[0].startswith("Not flagged: risk none in example-payments")
    assert answers[1].startswith("Not asked: example-unreviewed's latest review does not exist")


def test_a_bias_links_to_its_entry_only_where_the_biases_page_has_one():
    knowledge, _ = knowledge_and_reviews()
    on_page = knowledge.biases[0]
    incident = Incident(slug="2026-02-01-b", title="B", date=Date(2026, 2, 1),
                        factors=(Factor("f1", "t", "human factors", biases=(on_page.id, "not-a-known-bias")),))
    factors = pages(incidents=(incident,))["incidents/2026-02-01-b.md"].find("h2", id="contributing-factors")
    links = [a["href"] for a in factors.find_next("ul").find_all("a")]
    assert links == [f"../../biases/#{on_page.id}"]


def test_an_incident_named_like_a_page_of_incidents_is_refused():
    knowledge, reviews = knowledge_and_reviews()
    with pytest.raises(KBError, match="incidents/public.md: an incident cannot be named 'public'"):
        render_incident_pages((Incident(slug="public", title="P", date=Date(2026, 1, 1), path="incidents/public.md"),),
                              reviews, knowledge, Date(2026, 4, 1))


def test_the_action_items_page_holds_the_teams_incident_items_and_not_the_public_ones():
    knowledge, reviews = knowledge_and_reviews()
    page = BeautifulSoup(render_actions(reviews, Date(2026, 4, 1), True, (CHECKOUT, PUBLIC), knowledge)[0].html,
                         "html.parser")
    rows = {words(tr.find_all("td")[2]): tr for tr in page.find("table").select("tbody tr")}
    jitter = next(tr for text, tr in rows.items() if text.startswith("Add jittered back-off"))
    assert words(jitter.find_all("td")[4]) == ("Incident Checkout retries stormed the <database> "
                                              "(example-payments, example-search)")
    assert jitter.find_all("td")[4].a["href"] == "../../incidents/2026-03-10-checkout-retries/"
    assert jitter.select_one(".rkb-overdue")
    assert any(t.startswith("Load test at three times the peak") for t in rows)
    assert not any("Write the runbook" in t or "Acme" in t for t in rows)  # done; public


def _review(day: Date, *items: ActionItem) -> Review:
    return Review(service="svc", date=day, checklist="orr", checklist_version="v",
                  answers=(Answer(question="q", actions=items),))


def test_the_open_items_by_month_follow_the_reviews_and_incidents():
    """Counted by hand: X opens in January and is done in the March review; Y opens in February with an
    incident; Z is in the January review only, so it is no longer carried from March; W is an incident's item
    done by its due day in March."""
    january = _review(Date(2026, 1, 15), ActionItem("X"), ActionItem("Z"))
    march = _review(Date(2026, 3, 10), ActionItem("X", status="done"))
    incident = Incident(slug="2026-02-05-y", title="Y", date=Date(2026, 2, 5), actions=(
        IncidentAction(ActionItem("Y")), IncidentAction(ActionItem("W", status="done", due=Date(2026, 3, 1)))))
    months = open_by_month([january, march], [incident], Date(2026, 4, 1))
    assert [(m.name, m.open, m.opened, m.closed) for m in months] == [
        ("2026-01", 2, 2, 0), ("2026-02", 4, 2, 0), ("2026-03", 1, 0, 3), ("2026-04", 1, 0, 0)]


def test_the_default_site_has_no_incident_page():
    knowledge, reviews = knowledge_and_reviews()
    made = {p.src_uri for p in render_site(knowledge, SiteInfo(incidents=None))}
    assert not any(uri.startswith("incidents/") for uri in made)
    shown = {p.src_uri for p in render_site(knowledge, SiteInfo(reviews=reviews, incidents=(CHECKOUT,)))}
    assert {"incidents/index.md", "incidents/public.md", "incidents/2026-03-10-checkout-retries.md"} <= shown


def test_the_write_up_is_markdown_made_safe():
    written = Incident(slug="2026-02-01-w", title="W", date=Date(2026, 2, 1), sections=(("What happened", (
        "# Not a page heading\n\nThe *cache* expired.\n\n- first\n- second\n\n<script>alert(1)</script>"
        "<img src=x onerror=alert(1)>\n\n[a link](javascript:alert(1)) and [the ticket](https://tracker.example/7)")),))
    section = pages(incidents=(written,))["incidents/2026-02-01-w.md"].find("div", class_="rkb-writeup")
    assert [li.get_text() for li in section.find_all("li")] == ["first", "second"]
    assert section.find("em").get_text() == "cache"
    assert section.find("h3").get_text() == "Not a page heading"  # below the page's own headings
    assert not section.find_all(["script", "img", "h1", "h2"])
    assert [a.get("href") for a in section.find_all("a")] == [None, "https://tracker.example/7"]


def test_the_example_incidents_say_what_the_example_reviews_flagged():
    """From the files: the 2026-02-27 incident of example-search points to the auto-scaling question, which
    example-search's 2026-02-10 review rates medium ("No: the managed service has a fixed size, …"), and to
    the scaling requirements question, which that review leaves unanswered. Four team incidents, three public."""
    from ingest.model.incidents import known_services, load_incidents

    knowledge, reviews = knowledge_and_reviews()
    incidents = load_incidents(ROOT / "examples" / "incidents", [e.checklist for e in knowledge.curated],
                               knowledge.vocabulary, known_services(ROOT / "examples" / "reviews"))
    made = pages(incidents=incidents)
    assert len(made["incidents/index.md"].select("#incident-list tbody tr")) == 4
    assert len(made["incidents/public.md"].select("#public-list tbody tr")) == 3
    page = made["incidents/2026-02-27-search-scaled-out-too-late-for-the-sale.md"]
    questions = page.find("h2", id="questions").find_next("ul").find_all("li", recursive=False)
    answers = [flat(li) for question in questions for li in question.find("ul").find_all("li")]
    assert answers[0].startswith("Flagged: medium risk in example-search, 2026-02-10")
    assert "No: the managed service has a fixed size" in answers[0]
    assert answers[1] == "Not answered in example-search, 2026-02-10"

"""What the scheduled job relies on: the fetch report, What's new, the site's own feeds,
the Sources page with stale feeds, the Start here path, and builds that do not depend on git."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest
from bs4 import BeautifulSoup

from support import ROOT, SEED, Response, make_project, point_feed, run_cli, snapshot

pytestmark = pytest.mark.slow

NEW_ITEM = """<item>
      <title>Static stability, explained</title>
      <dc:creator>Adrian Hornsby</dc:creator>
      <pubDate>{yesterday}</pubDate>
      <link>https://dev.to/aws/static-stability-explained-9zz9</link>
      <guid>https://dev.to/aws/static-stability-explained-9zz9</guid>
      <description>&lt;p&gt;A statically stable service keeps working when a dependency fails: it does not
      need to make changes, such as launching instances, to survive an Availability Zone outage. Use bulkheads
      and shuffle sharding too.&lt;/p&gt;</description>
    </item>
    <item>"""


def text_of(path) -> str:
    return " ".join(BeautifulSoup(path.read_text(), "lxml").get_text(" ").split())


@pytest.fixture
def fetched_project(tmp_path, server):
    """A project whose configured feeds are: the seed plus one new entry (200), and a feed that is gone (404)."""
    project = make_project(tmp_path)
    for entry in (project / "archive" / "entries").glob("*.json"):  # archived long before this run
        entry.write_text(re.sub(r'"(first_seen|seen)": "[^"]+"', r'"\1": "2026-01-05T06:00:00Z"', entry.read_text()))
    # Published the day before the fetch: the Sources page measures a feed's silence at its fetch.
    yesterday = format_datetime(datetime.now(timezone.utc) - timedelta(days=1))
    new_item = NEW_ITEM.format(yesterday=yesterday).encode()
    adhorn = server.feed("/adhorn", SEED.read_bytes().replace(b"<item>", new_item, 1))
    point_feed(project, f"{adhorn}\n        - name: gone\n          url: {server.url('/gone')}")
    server.routes["/gone"] = Response(status=404)
    result = run_cli("fetch", cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "adhorn: 200, 1 new, 0 updated, 12 unchanged",
        "gone: error, HTTP 404 Not Found (check the feed URL)",
        "total: 2 feeds, 1 new, 0 updated, 12 unchanged, 1 failed",
    ]
    site = tmp_path / "site"
    built = run_cli("build", "--site-dir", str(site), cwd=project)
    assert built.returncode == 0, built.stderr
    return project, site


def test_report_for_the_job_summary_and_the_commit_message(fetched_project):
    project, _ = fetched_project
    message = run_cli("report", "--commit-message", cwd=project)
    assert message.stdout == "archive: 1 new, 0 updated (adhorn: 1 new)\n"
    summary = run_cli("report", cwd=project).stdout
    assert "| adhorn | 200 | 1 | 0 | 12 |  |" in summary
    assert "| gone | ❌ error | 0 | 0 | 0 | HTTP 404 Not Found (check the feed URL) |" in summary
    assert "1 new, 0 updated, 1 of 2 feeds failed." in summary


def test_a_new_entry_reaches_whats_new_and_the_site_feeds(fetched_project):
    _, site = fetched_project
    page = BeautifulSoup((site / "whats-new" / "index.html").read_text(), "lxml")
    days = [h.get_text(" ", strip=True).removesuffix(" ¶") for h in page.select("article h2")]
    assert days[1] == "5 January 2026" and len(days) == 2
    today = page.select_one("article h2").find_next("ul")
    assert [a.get_text() for a in today.select("a")] == ["Static stability, explained"]
    came_with = " ".join(today.find_next("ul").get_text(" ").split())
    # Shuffle sharding is new to the archive; bulkheads and static stability were mentioned before.
    assert came_with == "1 pattern mentioned for the first time: Shuffle sharding"
    rss = ET.fromstring((site / "feed.xml").read_bytes())
    first = rss.find("channel/item")
    assert first.findtext("title") == "Static stability, explained"
    assert first.findtext("link") == "https://dev.to/aws/static-stability-explained-9zz9"
    assert first.findtext("description").startswith("A statically stable service keeps working")
    feed = json.loads((site / "feed.json").read_text())
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["items"][0]["title"] == "Static stability, explained"
    head = BeautifulSoup((site / "index.html").read_text(), "lxml").head
    assert head.find("link", rel="alternate", type="application/rss+xml")["href"] == "feed.xml"


def test_sources_page_shows_each_feed_and_the_failing_one(fetched_project):
    _, site = fetched_project
    sources = BeautifulSoup((site / "sources" / "index.html").read_text(), "lxml")

    def cells(row) -> dict[str, str]:
        return {td.get("data-label"): " ".join(td.get_text(" ").split()) for td in row.select("td")}

    rows = {r.select_one("td a").get_text(): cells(r) for r in sources.select("table tbody tr")}
    assert "HTTP 200, 1 new, 0 updated, 12 unchanged" in rows["DEV Community: Adrian Hornsby"]["Latest fetch"]
    assert rows["DEV Community: Adrian Hornsby"]["State"] == "ok"  # its newest article was published yesterday
    assert "error , HTTP 404 Not Found (check the feed URL)" in rows["gone"]["Latest fetch"]
    assert rows["gone"]["State"] == "failing"
    warning = " ".join(sources.select_one(".admonition.warning").get_text(" ").split())
    assert warning == "gone is failing The latest fetch failed (HTTP 404 Not Found (check the feed URL))."
    home = text_of(site / "index.html")
    assert re.search(r"The archive last changed on \d+ \w+ \d{4}", home)


def test_a_run_that_brings_nothing_new_commits_nothing(tmp_path, server):
    project = make_project(tmp_path)
    point_feed(project, server.feed('/adhorn', SEED.read_bytes()))
    assert run_cli("fetch", cwd=project).returncode == 0  # records the feed's (test) address
    before = snapshot(project / "archive")
    assert run_cli("fetch", cwd=project).returncode == 0
    assert snapshot(project / "archive") == before
    assert (project / "archive" / ".fetch-report.json").exists()  # the build still learns the result
    assert ".fetch-report.json" in (ROOT / ".gitignore").read_text()
    assert run_cli("report", "--commit-message", cwd=project).stdout == "archive: 0 new, 0 updated\n"


def test_start_here_lists_the_path_with_reading_times(built_site):
    page = BeautifulSoup((built_site / "start-here" / "index.html").read_text(), "lxml")
    stops = page.select(".rkb-stop")
    assert len(stops) == 6
    titles = [s.select_one("h2").get_text(" ", strip=True).removesuffix(" ¶") for s in stops]
    assert titles[0] == "1. Why resilience, and the resilient-architecture series"
    assert titles[-1] == "6. Lessons from experience"
    intro = text_of(built_site / "start-here" / "index.html")
    assert re.search(r"6 stops, about \d h \d+ min of reading in all", intro)
    chaos = stops[2]
    assert "About 46 min of reading." in chaos.get_text(" ")  # 2+4+7+14+13 min of articles, 3 patterns at 2 min
    links = [a["href"] for a in chaos.select("a")]
    assert "../articles/creating-your-own-chaos-monkey-with-aws-systems-e52e210ecb/" in links
    assert all(s.select_one("input.rkb-box") for s in stops)


def test_an_unknown_id_in_the_path_fails_the_build_clearly(tmp_path):
    project = make_project(tmp_path)
    path = project / "onboarding.yml"
    path.write_text(path.read_text().replace("incident-postmortem-template-18m7-dd266f544a",
                                             "incident-postmortem-templat-18m7"))
    result = run_cli("build", "--site-dir", str(tmp_path / "site"), cwd=project)
    assert result.returncode == 1
    assert re.search(r"onboarding\.yml:\d+: stop 5 \('Incidents and postmortems, and the biases to watch for'\) "
                     r"names an unknown article 'incident-postmortem-templat-18m7'; did you mean "
                     r"'incident-postmortem-template-18m7-dd266f544a'\?", result.stderr)


def test_an_unknown_pattern_in_the_path_fails_the_build(tmp_path):
    project = make_project(tmp_path)
    path = project / "onboarding.yml"
    path.write_text(path.read_text().replace("patterns: [postmortems]", "patterns: [post-mortems]"))
    result = run_cli("build", "--site-dir", str(tmp_path / "site"), cwd=project)
    assert result.returncode == 1
    assert "names an unknown pattern 'post-mortems'; did you mean 'postmortems'?" in result.stderr


def test_the_same_archive_builds_the_same_site(tmp_path, built_site):
    """Dates come from the archive, not from git or the clock: a second build is identical."""
    again = tmp_path / "again"
    assert run_cli("build", "--site-dir", str(again)).returncode == 0
    first, second = snapshot(built_site), snapshot(again)
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []

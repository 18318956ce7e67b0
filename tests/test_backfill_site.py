"""`resilience-kb backfill` end to end: a Forem-shaped site of 60 articles on 127.0.0.1, the command run
twice, and the strict build of the site with them (What's new, the site's feeds, local links, no script)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from pagingsites import forem_article, forem_site, rss, serve_json
from support import FeedServer, make_project, point_feed, run_cli, snapshot
from sitecheck import executable_content

pytestmark = pytest.mark.slow

HOSTILE = ('<p>Plain words first.</p><script>alert("rkb-pwned")</script><img src="x" onerror="alert(1)">'
           '<a href="javascript:alert(2)">a link</a><iframe srcdoc="<script>alert(3)</script>"></iframe>'
           '<form action="javascript:alert(4)"><button>go</button></form><p>{{ config }}</p>')
MEDIUM = "https://medium.com/@adhorn/an-older-title-for-the-same-article-4f2a9c1be3d7"


@pytest.fixture(scope="module")
def backfilled(tmp_path_factory):
    """A project whose one feed is a Forem site of 60 articles: fetched, backfilled twice, built."""
    tmp_path = tmp_path_factory.mktemp("backfill")
    server = FeedServer()
    server.thread.start()
    try:
        yield _run(tmp_path, server)
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()


def _run(tmp_path: Path, server: FeedServer) -> dict:
    made = forem_site(server, 60)
    base = server.url("")
    by_number = {a.number: a for a in made}
    # Article 2 was first published on Medium under another title; article 30 carries hostile HTML.
    second = forem_article(by_number[2], base, "adhorn") | {"canonical_url": MEDIUM}
    serve_json(server, "/api/articles/1002", second)
    serve_json(server, "/api/articles/1030", forem_article(by_number[30], base, "adhorn") | {"body_html": HOSTILE})
    # Article 50 (in the feed) is a collection that links to three older parts, one by its Medium address.
    links = (f'<li><a href="{base}/{by_number[1].slug}">Part 1</a></li>'
             f'<li><a href="{MEDIUM}">Part 2</a></li><li><a href="{base}/{by_number[3].slug}">Part 3</a></li>')
    collection = by_number[50].body_html + f"<p>The whole series:</p><ul>{links}</ul>"
    made[49] = replace(by_number[50], body_html=collection)
    server.feed("/feed/adhorn", rss(list(reversed(made))[:12], base, channel_link=f"{base}/adhorn"))
    serve_json(server, "/api/articles/1050", forem_article(made[49], base, "adhorn"))

    project = make_project(tmp_path, with_archive=False)
    point_feed(project, f"{base}/feed/adhorn\n      backfill_delay: 0")
    fetched = run_cli("fetch", cwd=project)
    first = run_cli("backfill", cwd=project)
    archive = snapshot(project / "archive")
    asked = len(server.requests)
    second = run_cli("backfill", "adhorn", cwd=project)
    unchanged = snapshot(project / "archive") == archive
    site = tmp_path / "site"
    built = run_cli("build", "--site-dir", str(site), cwd=project)
    return {"made": made, "project": project, "site": site, "fetched": fetched, "first": first, "second": second,
            "built": built, "unchanged": unchanged, "second_requests": server.requests[asked:]}


def test_backfill_archives_all_60_and_a_second_run_files_nothing(backfilled):
    assert backfilled["fetched"].stdout.splitlines() == ["adhorn: 200, 12 new, 0 updated, 0 unchanged"]
    first = backfilled["first"]
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines() == [
        "adhorn: forem, 2 pages, 48 new, 12 already archived, reached the oldest page"]
    assert len(list((backfilled["project"] / "archive" / "entries").glob("*.json"))) == 60
    second = backfilled["second"]
    assert second.returncode == 0, second.stderr
    assert second.stdout.splitlines() == [
        "adhorn: forem, 1 page, 0 new, 30 already archived, stopped at a page with no new entry"]
    assert backfilled["unchanged"]
    assert [path for path, _ in backfilled["second_requests"] if "/api/articles/" in path] == []


def test_the_site_builds_strictly_with_every_article(backfilled):
    built = backfilled["built"]
    assert built.returncode == 0, built.stderr
    site = backfilled["site"]
    knowledge = json.loads((site / "knowledge.json").read_text())
    assert len(knowledge["articles"]) == 60
    # Every body but the hostile one (article 30) names the circuit breaker: the backfilled articles'
    # notes joined the knowledge base.
    [breaker] = [p for p in knowledge["patterns"] if p["id"] == "circuit-breakers"]
    assert len(breaker["articles"]) == 59
    # Article 34 was published on 1 March 2017 + 9 × 34 days: 1 January 2018 (counted by hand).
    [page] = [p for p in (site / "articles").glob("notes-on-*part-34-*/index.html")]
    assert "1 January 2018" in " ".join(BeautifulSoup(page.read_text(), "lxml").get_text(" ").split())


def test_no_page_runs_anything_from_the_hostile_article(backfilled):
    site = backfilled["site"]
    pages = list(site.rglob("*.html"))
    assert len(pages) > 60
    assert {str(p.relative_to(site)): found for p in pages if (found := executable_content(p))} == {}
    [hostile] = [p for p in (site / "articles").glob("notes-on-*part-30-*/index.html")]
    text = hostile.read_text()
    assert "Plain words first." in text and "rkb-pwned" not in text and "{{ config }}" in text


def test_the_collection_links_to_the_archived_parts_locally(backfilled):
    site = backfilled["site"]
    [page] = [p for p in (site / "articles").glob("notes-on-*part-50-*/index.html")]
    anchors = {a.get_text(): a["href"] for a in BeautifulSoup(page.read_text(), "lxml").select(".md-content a")
               if a.get_text() in ("Part 1", "Part 2", "Part 3")}
    made = {a.number: a for a in backfilled["made"]}
    for number in (1, 2, 3):
        slug = made[number].slug.split("/")[-1]
        assert anchors[f"Part {number}"].startswith(f"../{slug}-"), anchors  # the local page, not the original


def test_whats_new_and_the_site_feeds_show_the_backfill_as_one_event(backfilled):
    site = backfilled["site"]
    page = BeautifulSoup((site / "whats-new" / "index.html").read_text(), "lxml")
    text = " ".join(page.select_one("article").get_text(" ").split()).replace(" ,", ",")
    assert "48 earlier articles added from adhorn's archive, published from March 2017 to May 2018" in text
    assert "12 new articles" in text and "and 43 more" in text
    rss = ET.fromstring((site / "feed.xml").read_bytes())
    titles = [item.findtext("title") for item in rss.iter("item")]
    assert len(titles) == 13 and "48 earlier articles added from adhorn's archive" in titles
    feed = json.loads((site / "feed.json").read_text())
    assert [i["title"] for i in feed["items"]].count("48 earlier articles added from adhorn's archive") == 1

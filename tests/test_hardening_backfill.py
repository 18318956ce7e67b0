"""Backfill and fetch against hostile or failing sites: Forem's calendar edges, endless ids, pages of
404s and off-site links; RFC 5005 downgrades; URLs typed the way people type them. Real HTTP on 127.0.0.1."""

from __future__ import annotations

import pytest

import json

from support import Response, SEED
from pagingsites import forem_list_path, forem_site, serve_json
from ingest.archive.backfill import BackfillOptions, backfill_feeds
from ingest.archive.collect import FetchOptions, collect_source
from ingest.archive.paging import refusal
from ingest.archive.store import Archive
from ingest.config import FeedSource
from ingest.model.articles import entry_date

OPTIONS = BackfillOptions(fetch=FetchOptions(timeout=2, max_bytes=2_000_000, allow_private=True), delay=0)


def backfill(archive: Archive, feed: FeedSource):
    [report] = backfill_feeds(archive, [feed], OPTIONS, now="2026-01-01T00:00:00Z")
    return report


def by_link(archive: Archive) -> dict[str, dict]:
    return {r.entry["link"]: r.entry for r in map(archive.read_entry, archive.entry_paths())}


def test_forem_dates_at_the_ends_of_the_calendar_are_kept_dated(tmp_path, server):
    made = forem_site(server, 3, in_feed=0)
    base = server.url("")
    edges = {1: "0001-01-01T00:00:00+01:00", 2: "9999-12-31T23:59:59-01:00", 3: "0001-01-01T00:00:00Z"}
    for number, moment in edges.items():
        path = f"/api/articles/{1000 + number}"
        data = json.loads(server.routes[path].body)
        serve_json(server, path, {**data, "published_at": moment, "edited_at": moment})
    archive = Archive(tmp_path / "archive")
    report = backfill(archive, FeedSource("adhorn", server.url("/feed/adhorn"), paging="forem"))
    assert (report.failed, report.new) == (False, 3), report.summary()
    entries = by_link(archive)
    expected = {1: "0001-01-01T00:00:00Z", 2: "9999-12-31T23:59:59Z", 3: "0001-01-01T00:00:00Z"}
    for article in made:
        entry = entries[f"{base}/{article.slug}"]
        assert entry["published_parsed"] == expected[article.number]
        assert entry_date(entry).year == int(expected[article.number][:4])  # dated, not undated


def test_a_forem_id_of_5000_digits_is_skipped_not_a_crash(tmp_path, server):
    forem_site(server, 2, in_feed=0)
    base = server.url("")
    # Python will not even convert an integer of more than 4,300 digits.
    listing = server.routes[forem_list_path("adhorn", 1)].body
    endless = b'{"id": ' + b"7" * 5000 + b', "url": "' + f"{base}/adhorn/endless".encode() + b'"}, '
    server.routes[forem_list_path("adhorn", 1)] = Response(body=b"[" + endless + listing[1:],
                                                           headers={"Content-Type": "application/json"})
    archive = Archive(tmp_path / "archive")
    report = backfill(archive, FeedSource("adhorn", server.url("/feed/adhorn"), paging="forem"))
    assert (report.failed, report.new) == (False, 2), report.summary()
    assert any("1 items without a numeric id" in w for w in report.warnings)


def test_a_forem_page_whose_articles_all_answer_404_is_not_the_end(tmp_path, server):
    made = forem_site(server, 40, in_feed=0)  # page 1: articles 40..11, page 2: 10..1
    for article in made[:10]:
        server.routes[f"/api/articles/{1000 + article.number}"] = Response(status=404)
    archive = Archive(tmp_path / "archive")
    feed = FeedSource("adhorn", server.url("/feed/adhorn"), paging="forem")
    report = backfill(archive, feed)
    assert report.failed and report.new == 30
    assert "every article it lists (10) answered 404 or 410" in report.summary()
    state = archive.feed_state("adhorn")
    assert state.backfill_done is None
    assert state.backfill_next == server.url(forem_list_path("adhorn", 2))
    # The outage passes: the next run picks up the page and finishes.
    forem_site(server, 40, in_feed=0)
    again = backfill(archive, feed)
    assert (again.failed, again.new, again.stopped) == (False, 10, "end")
    assert archive.feed_state("adhorn").backfill_done is not None


def test_a_forem_list_url_on_another_site_is_keyed_on_the_site(tmp_path, server):
    made = forem_site(server, 2, in_feed=0)
    base = server.url("")
    path = forem_list_path("adhorn", 1)
    listing = json.loads(server.routes[path].body)
    listing[0]["url"] = f"https://attacker.example/{made[1].slug}?x=1"
    serve_json(server, path, listing)
    archive = Archive(tmp_path / "archive")
    report = backfill(archive, FeedSource("adhorn", server.url("/feed/adhorn"), paging="forem"))
    assert (report.failed, report.new) == (False, 2)
    assert set(by_link(archive)) == {f"{base}/{made[1].slug}?x=1", f"{base}/{made[0].slug}"}
    assert any("1 articles name an address on another site" in w for w in report.warnings)


def test_an_rfc5005_link_may_not_downgrade_https_to_http():
    assert "no downgrade" in refusal("http://example.org/feed?page=2", "https://example.org/feed", set())
    assert refusal("https://example.org/feed?page=2", "https://example.org/feed", set()) is None
    assert refusal("https://example.org/feed?page=2", "http://example.org/feed", set()) is None  # an upgrade


def test_a_url_typed_with_capitals_or_a_leading_space_is_fetched_not_read_as_a_path(tmp_path, server):
    url = server.feed("/feed.xml", SEED.read_bytes())
    for typed in (url.replace("http://", "HTTP://"), f"  {url}\n", url.replace("http://", "Http://")):
        report = collect_source(Archive(tmp_path / "archive"), typed, [], OPTIONS.fetch, name="typed")
        assert (report.status, report.failed) == ("200", False), report.error


# Builds, fetches or runs the command line in subprocesses: left out of `make test-fast`.
pytestmark = pytest.mark.slow

"""Collecting feeds over real HTTP into an archive: counts, idempotence, updates, bad feeds."""

from __future__ import annotations

import json

from support import FIXTURES, Response, snapshot
from ingest.archive.store import Archive
from ingest.archive.collect import FetchOptions, collect_feeds, collect_source
from ingest.sources import FeedSource

OPTIONS = FetchOptions(timeout=2, max_bytes=2_000_000, allow_private=True)
T1, T2 = "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z"


def test_first_fetch_archives_every_entry(tmp_path, server, seed_bytes):
    url = server.feed("/adhorn", seed_bytes)
    archive = Archive(tmp_path / "archive")
    [report] = collect_feeds(archive, [FeedSource("adhorn", url)], OPTIONS, now=T1)
    assert (report.status, report.new, report.updated, report.unchanged) == ("200", 12, 0, 0)
    assert report.summary() == "adhorn: 200, 12 new, 0 updated, 0 unchanged"
    records = [archive.read_entry(path) for path in archive.entry_paths()]
    assert len(records) == 12
    titles = {r.entry["title"] for r in records}
    assert "Ten lessons from twelve years of AWS" in titles
    assert "Incident Postmortem Template" in titles
    assert all(r.first_seen == T1 and r.feed == "adhorn" for r in records)


def test_unchanged_feed_writes_nothing(tmp_path, server, seed_bytes):
    url = server.feed("/adhorn", seed_bytes)  # no validators: a full 200 each time
    archive = Archive(tmp_path / "archive")
    collect_feeds(archive, [FeedSource("adhorn", url)], OPTIONS, now=T1)
    before = snapshot(archive.root)
    [report] = collect_feeds(archive, [FeedSource("adhorn", url)], OPTIONS, now=T2)
    assert (report.new, report.updated, report.unchanged) == (0, 0, 12)
    assert snapshot(archive.root) == before


def test_304_writes_nothing_and_validators_are_sent_back(tmp_path, server, seed_bytes):
    url = server.conditional_feed("/adhorn", seed_bytes, etag='"rev-1"')
    archive = Archive(tmp_path / "archive")
    collect_feeds(archive, [FeedSource("adhorn", url)], OPTIONS, now=T1)
    assert archive.feed_state("adhorn").etag == '"rev-1"'
    before = snapshot(archive.root)
    [report] = collect_feeds(archive, [FeedSource("adhorn", url)], OPTIONS, now=T2)
    assert report.status == "304"
    assert report.summary() == "adhorn: 304, 0 new, 0 updated, 0 unchanged"
    assert server.requests[-1][1]["If-None-Match"] == '"rev-1"'
    assert snapshot(archive.root) == before


def test_changed_entry_updates_only_that_file_and_records_the_change(tmp_path, server, seed_bytes):
    url = server.feed("/adhorn", seed_bytes)
    archive = Archive(tmp_path / "archive")
    collect_feeds(archive, [FeedSource("adhorn", url)], OPTIONS, now=T1)
    before = snapshot(archive.root)
    changed = seed_bytes.replace(b"This is hands-down my favorite launch!", b"This is still my favorite launch!")
    assert changed != seed_bytes
    server.feed("/adhorn", changed)
    [report] = collect_feeds(archive, [FeedSource("adhorn", url)], OPTIONS, now=T2)
    assert (report.new, report.updated, report.unchanged) == (0, 1, 11)
    after = snapshot(archive.root)
    differing = [name for name in after if after[name] != before.get(name)]
    assert differing == ["entries/aws-re-invent-2020-digest-part-1-31li-afa801ab6a.json"]
    record = json.loads(after[differing[0]])
    assert record["updated"] == T2
    assert record["first_seen"] == T1
    assert [r["seen"] for r in record["revisions"]] == [T1, T2]
    assert record["revisions"][0]["content_hash"] != record["content_hash"]
    assert "This is still my favorite launch!" in record["entry"]["summary"]


def test_entries_that_fall_off_the_feed_are_kept(tmp_path, server, seed_bytes):
    url = server.feed("/adhorn", seed_bytes)
    archive = Archive(tmp_path / "archive")
    collect_feeds(archive, [FeedSource("adhorn", url)], OPTIONS, now=T1)
    first_item = seed_bytes.index(b"<item>")
    last_item_end = seed_bytes.index(b"</item>", first_item) + len(b"</item>")
    server.feed("/adhorn", seed_bytes[:first_item] + seed_bytes[last_item_end:])  # newest entry gone
    [report] = collect_feeds(archive, [FeedSource("adhorn", url)], OPTIONS, now=T2)
    assert (report.new, report.unchanged) == (0, 11)
    assert len([archive.read_entry(path) for path in archive.entry_paths()]) == 12


def test_a_failing_feed_leaves_the_archive_alone_and_others_go_on(tmp_path, server, seed_bytes):
    good = server.feed("/adhorn", seed_bytes)
    server.routes["/broken"] = Response(status=500)
    server.routes["/page"] = Response(body=b"<!doctype html><html><head><title>Hi</title></head><body>x</body></html>",
                                      headers={"Content-Type": "text/html"})
    server.feed("/empty", b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>')
    archive = Archive(tmp_path / "archive")
    feeds = [FeedSource("broken", server.url("/broken")), FeedSource("page", server.url("/page")),
             FeedSource("empty", server.url("/empty")), FeedSource("adhorn", good)]
    reports = collect_feeds(archive, feeds, OPTIONS, now=T1)
    assert [r.status for r in reports] == ["error", "error", "error", "200"]
    assert reports[0].summary() == "broken: error, HTTP 500 Internal Server Error (a server-side problem: the next run will try again)"
    assert reports[1].error.startswith("not an RSS or Atom feed (text/html)")
    assert reports[2].error == "the feed has no entries; nothing was archived"
    assert reports[3].new == 12
    assert sorted(p.name for p in archive.feeds_dir.iterdir()) == ["adhorn.json"]


def test_malformed_but_readable_feed_is_ingested_with_a_warning(tmp_path, caplog):
    archive = Archive(tmp_path / "archive")
    report = collect_source(archive, str(FIXTURES / "aws_blog_typepad_2009.atom.xml"), [], OPTIONS, now=T1)
    assert report.new == 10
    # The file starts with a blank line before its XML declaration.
    [warning] = report.warnings
    assert warning == ("malformed feed, read anyway: SAXParseException: "
                       "XML or text declaration not at start of entity")
    assert "feed amazon-web-services-blog: malformed feed, read anyway" in caplog.text


def test_local_copy_of_a_configured_feed_files_under_its_name(tmp_path):
    archive = Archive(tmp_path / "archive")
    configured = [FeedSource("adhorn", "https://dev.to/feed/adhorn")]
    report = collect_source(archive, str(FIXTURES / "adhorn-devto-feed.xml"), configured, OPTIONS, now=T1)
    assert (report.feed, report.status, report.new) == ("adhorn", "file", 12)
    state = archive.feed_state("adhorn")
    assert (state.url, state.title, state.etag) == ("https://dev.to/feed/adhorn", "DEV Community: Adrian Hornsby", None)


def test_non_utf8_feed_is_decoded(tmp_path):
    archive = Archive(tmp_path / "archive")
    report = collect_source(archive, str(FIXTURES / "ibash_russian_windows1251.rss.xml"), [], OPTIONS, now=T1)
    assert report.new == 50
    titles = {r.entry["title"] for r in [archive.read_entry(path) for path in archive.entry_paths()]}
    assert "Цитата #17703" in titles


def test_permanent_redirect_is_in_the_summary(tmp_path, server, seed_bytes):
    target = server.feed("/new", seed_bytes)
    server.routes["/old"] = Response(status=301, headers={"Location": target})
    [report] = collect_feeds(Archive(tmp_path), [FeedSource("adhorn", server.url("/old"))], OPTIONS, now=T1)
    assert report.summary() == (f"adhorn: 200, 12 new, 0 updated, 0 unchanged "
                                f"(moved permanently to {target}: update mkdocs.yml)")

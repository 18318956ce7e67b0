"""An entry belongs to its feed: the same guid in two feeds is two entries, never an overwrite; one guid
spelled two ways is one entry; ids of entries already archived never change."""

from __future__ import annotations

import pytest

import json
import unicodedata

from support import snapshot
from ingest.archive.collect import FetchOptions, collect_feeds
from ingest.archive.ids import entry_id
from ingest.archive.store import Archive
from ingest.config import FeedSource
from ingest.model.articles import parse_article
from ingest.model.history import events

OPTIONS = FetchOptions(timeout=5, max_bytes=2_000_000, allow_private=True)
T1, T2, T3 = "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z", "2026-01-03T00:00:00Z"


def rss(*items: tuple[str, str, str]) -> bytes:
    body = "".join(f"<item><title>{title}</title><guid isPermaLink='false'>{guid}</guid>"
                   f"<link>{link}</link><description>{title}, the text.</description></item>"
                   for guid, title, link in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>F</title>'
            f'<link>http://example.com/</link>{body}</channel></rss>').encode("utf-8")


def test_the_same_guid_in_two_feeds_is_two_entries_and_nothing_churns(tmp_path, server):
    first = server.feed("/a", rss(("42", "Alpha's post", "https://a.example/posts/alpha")))
    second = server.feed("/b", rss(("42", "Beta's post", "https://b.example/posts/beta")))
    feeds = [FeedSource("alpha", first), FeedSource("beta", second)]
    archive = Archive(tmp_path / "archive")
    reports = collect_feeds(archive, feeds, OPTIONS, now=T1)
    assert [(r.new, r.updated) for r in reports] == [(1, 0), (1, 0)]
    after_first = snapshot(archive.root)
    for now in (T2, T3):
        reports = collect_feeds(archive, feeds, OPTIONS, now=now)
        assert [(r.new, r.updated, r.unchanged) for r in reports] == [(0, 0, 1), (0, 0, 1)]
    assert snapshot(archive.root) == after_first  # no file rewritten: no revision, no churn
    records = {r.feed: r for r in (archive.read_entry(p) for p in archive.entry_paths())}
    assert {f: r.entry["title"] for f, r in records.items()} == {"alpha": "Alpha's post", "beta": "Beta's post"}
    assert all(len(r.revisions) == 1 and r.updated is None for r in records.values())
    # The first feed's entry has the id it always had; the second's is another.
    assert records["alpha"].id == entry_id("42", "Alpha's post")
    assert records["beta"].id != records["alpha"].id
    articles = [parse_article(r).article for r in records.values()]
    assert sorted(e.kind for e in events(articles)) == ["new", "new"]


def test_an_entry_archived_before_keeps_its_file_when_another_feed_sends_its_guid(tmp_path, server):
    guid = "https://shared.example/posts/one"
    archive = Archive(tmp_path / "archive")
    collect_feeds(archive, [FeedSource("alpha", server.feed("/a", rss((guid, "Alpha", guid))))], OPTIONS, now=T1)
    [original] = archive.entry_paths()
    text = original.read_bytes()
    collect_feeds(archive, [FeedSource("beta", server.feed("/b", rss((guid, "Beta copy", guid))))], OPTIONS, now=T2)
    assert original.read_bytes() == text
    assert len(archive.entry_paths()) == 2
    # And the next run finds both where they are.
    reports = collect_feeds(archive, [FeedSource("alpha", server.url("/a")), FeedSource("beta", server.url("/b"))],
                            OPTIONS, now=T3)
    assert [(r.new, r.updated) for r in reports] == [(0, 0), (0, 0)]


def test_a_renamed_feed_keeps_its_entries(tmp_path, server):
    url = server.feed("/a", rss(("g1", "One", "https://a.example/1")))
    archive = Archive(tmp_path / "archive")
    collect_feeds(archive, [FeedSource("old-name", url)], OPTIONS, now=T1)
    [report] = collect_feeds(archive, [FeedSource("new-name", url)], OPTIONS, now=T2)
    assert (report.new, report.updated, report.unchanged) == (0, 0, 1)
    assert len(archive.entry_paths()) == 1


def test_a_guid_spelled_two_ways_is_one_entry(tmp_path, server):
    composed = "tag:example.com,2026:caf\u00e9"
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    url = server.feed("/a", rss((composed, "Café", "https://a.example/cafe"),
                                (decomposed, "Café again", "https://a.example/cafe"),
                                ("HTTPS://Example.COM/Post", "Post", "https://example.com/Post"),
                                ("https://example.com/Post", "Post again", "https://example.com/Post"),
                                ("https://example.com/post", "Another post", "https://example.com/post")))
    archive = Archive(tmp_path / "archive")
    [report] = collect_feeds(archive, [FeedSource("a", url)], OPTIONS, now=T1)
    assert report.new == 3  # the path's case is kept: /Post and /post are two pages
    assert any("repeat a guid" in w for w in report.warnings)
    # A later run that spells them the other way finds the same entries.
    server.feed("/a", rss((decomposed, "Café", "https://a.example/cafe"),
                          ("https://EXAMPLE.com/Post", "Post", "https://example.com/Post")))
    [report] = collect_feeds(archive, [FeedSource("a", url)], OPTIONS, now=T2)
    assert report.new == 0 and len(archive.entry_paths()) == 3  # (updated: the entry's own guid field changed)


def test_an_entry_archived_under_a_decomposed_guid_keeps_its_id(tmp_path):
    decomposed = unicodedata.normalize("NFD", "tag:example.com,2026:caf\u00e9")
    archive = Archive(tmp_path / "archive")
    # As the archive wrote it before keys were normalised: the id is the hash of the key as the feed sent it.
    old_id = entry_id(decomposed, "Café")
    (archive.root / "entries").mkdir(parents=True)
    record = {"schema": 1, "id": old_id, "key": decomposed, "feed": "a", "first_seen": T1, "updated": None,
              "content_hash": "sha256:0", "revisions": [{"seen": T1, "content_hash": "sha256:0"}],
              "entry": {"title": "Café"}}
    (archive.root / "entries" / f"{old_id}.json").write_text(json.dumps(record), encoding="utf-8")
    with archive.lock(), archive.batch() as batch:
        change, stored = batch.store({"title": "Café", "summary": "new"}, key=decomposed, feed="a", now=T2)
    assert (change, stored.id, stored.key) == ("updated", old_id, decomposed)
    assert [p.stem for p in archive.entry_paths()] == [old_id]


# Builds, fetches or runs the command line in subprocesses: left out of `make test-fast`.
pytestmark = pytest.mark.slow

"""A feed of very many items is taken a capped number of entries a run, the newest first, and nothing is lost."""

from __future__ import annotations

import pytest

from support import make_project, run_cli
from ingest.archive.collect import FetchOptions, collect_feeds
from ingest.archive.store import Archive
from ingest.config import FeedSource

T = ["2026-01-0%dT00:00:00Z" % day for day in range(1, 6)]


def many(count: int) -> bytes:
    """An RSS feed of `count` tiny items, item n published on day n (counted in minutes from 2020)."""
    items = "".join(f"<item><title>Item {n}</title><guid>https://example.com/{n}</guid>"
                    f"<pubDate>{_date(n)}</pubDate></item>" for n in range(count))
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Many</title><link>https://example.com/</link>'
            f'{items}</channel></rss>').encode()


def _date(n: int) -> str:
    return f"Wed, 01 Jan 2020 {n // 3600 % 24:02d}:{n // 60 % 60:02d}:{n % 60:02d} +0000"


def test_entries_beyond_the_cap_are_taken_by_the_next_runs_newest_first(tmp_path, server):
    url = server.conditional_feed("/many", many(250), etag='"v1"')
    archive = Archive(tmp_path / "archive")
    options = FetchOptions(timeout=10, max_bytes=5_000_000, allow_private=True, max_entries=100)
    feed = [FeedSource("many", url)]
    [first] = collect_feeds(archive, feed, options, now=T[0])
    assert (first.new, first.updated) == (100, 0)
    assert any("the other 150 are left for the next run" in w for w in first.warnings)
    titles = {r.entry["title"] for r in (archive.read_entry(p) for p in archive.entry_paths())}
    assert titles == {f"Item {n}" for n in range(150, 250)}  # the newest
    assert archive.feed_state("many").etag is None  # so the next run is not told "not modified"
    [second] = collect_feeds(archive, feed, options, now=T[1])
    assert (second.status, second.new, second.unchanged) == ("200", 100, 100)
    [third] = collect_feeds(archive, feed, options, now=T[2])
    assert (third.new, third.unchanged, third.warnings) == (50, 200, ())
    assert len(archive.entry_paths()) == 250
    assert archive.feed_state("many").etag == '"v1"'
    [fourth] = collect_feeds(archive, feed, options, now=T[3])
    assert fourth.status == "304"


def test_the_cap_is_an_option_of_mkdocs_yml(tmp_path):
    project = make_project(tmp_path, with_archive=False)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - resilience-kb:\n", "  - resilience-kb:\n      max_entries_per_run: 3\n"))
    feed = tmp_path / "feed.xml"
    feed.write_bytes(many(5))
    result = run_cli("--archive", str(tmp_path / "archive"), "fetch", "--feed", str(feed), cwd=project, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "3 new" in result.stderr + result.stdout
    assert "the other 2 are left for the next run" in result.stderr
    config.write_text(config.read_text().replace("max_entries_per_run: 3", "max_entries_per_run: 0"))
    result = run_cli("fetch", "--feed", str(feed), cwd=project, timeout=120)
    assert result.returncode == 2 and "max_entries_per_run" in result.stderr


def test_a_backfill_page_beyond_the_cap_is_filed_over_runs(tmp_path, server):
    from pagingsites import articles, paged_feed

    from ingest.archive.backfill import BackfillOptions, backfill_feeds

    made = list(reversed(articles(12, server.url(""))))
    url = paged_feed(server, [made[0:1], made[1:8], made[8:12]])  # the feed, then pages of 7 and 4
    archive = Archive(tmp_path / "archive")
    feed = [FeedSource("big-pages", url)]
    options = BackfillOptions(fetch=FetchOptions(timeout=5, allow_private=True, max_entries=5), delay=0)
    [first] = backfill_feeds(archive, feed, options, now=T[0])
    assert (first.new, first.stopped) == (5, "entry limit")
    assert first.resume_at.endswith("/paged?page=2") and "resumes at" in first.summary()
    [second] = backfill_feeds(archive, feed, options, now=T[1])
    assert (second.new, second.known) == (5, 5)  # the rest of page 2, then page 3 up to the cap
    [third] = backfill_feeds(archive, feed, options, now=T[2])
    assert (third.new, third.stopped) == (1, "end")
    assert {r.entry["title"] for r in (archive.read_entry(p) for p in archive.entry_paths())} == {a.title for a in made[1:12]}


# Builds, fetches or runs the command line in subprocesses: left out of `make test-fast`.
pytestmark = pytest.mark.slow

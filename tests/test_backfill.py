"""Backfill over real HTTP on 127.0.0.1: each paging scheme, the broken cases, resumption and idempotence."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from pagingsites import (articles, forem_list_path, forem_site, paged_feed, rss, serve_json)
from support import FIXTURES, Response, snapshot
from ingest.archive.backfill import BackfillOptions, backfill_feeds
from ingest.archive.collect import FetchOptions, collect_feeds
from ingest.archive.fetch import USER_AGENT
from ingest.archive.store import Archive
from ingest.sources import FeedSource

# The tests' servers are on 127.0.0.1, which the network policy refuses unless allowed.
FETCH = FetchOptions(timeout=2, max_bytes=2_000_000, allow_private=True)
OPTIONS = BackfillOptions(fetch=FETCH, delay=0)
T1, T2, T3 = "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z", "2026-01-03T00:00:00Z"


def backfill(archive: Archive, feed: FeedSource, now: str = T1, options: BackfillOptions = OPTIONS):
    [report] = backfill_feeds(archive, [feed], options, now=now)
    return report


def titles(archive: Archive) -> set[str]:
    return {r.entry["title"] for r in [archive.read_entry(path) for path in archive.entry_paths()]}


# -- Forem ---------------------------------------------------------------------------------------


def test_forem_site_of_60_articles_is_archived_in_pages_and_a_second_run_files_nothing(tmp_path, server):
    made = forem_site(server, 60)
    archive = Archive(tmp_path / "archive")
    feed = FeedSource("adhorn", server.url("/feed/adhorn"))
    report = backfill(archive, feed)
    assert (report.scheme, report.pages, report.new, report.failed) == ("forem", 2, 60, False)
    assert report.summary() == "adhorn: forem, 2 pages, 60 new, 0 already archived, reached the oldest page"
    assert titles(archive) == {a.title for a in made}
    records = [archive.read_entry(path) for path in archive.entry_paths()]
    assert all(r.backfill == "forem" and r.first_seen == T1 and r.feed == "adhorn" for r in records)
    paths = [path for path, _ in server.requests]
    assert [p for p in paths if p.startswith("/api/articles?")] == [forem_list_path("adhorn", n) for n in (1, 2, 3)]
    assert all(headers["User-Agent"] == USER_AGENT for _, headers in server.requests)

    before, asked = snapshot(archive.root), len(server.requests)
    again = backfill(archive, feed, now=T2)
    assert (again.new, again.known, again.pages) == (0, 30, 1)
    assert snapshot(archive.root) == before
    # One look at the feed, one list page; no article is asked for again.
    assert [p for p, _ in server.requests[asked:]] == ["/feed/adhorn", forem_list_path("adhorn", 1)]


def test_forem_article_maps_to_the_entry_the_feed_gives(tmp_path, server):
    made = forem_site(server, 3)
    archive = Archive(tmp_path / "archive")
    backfill(archive, FeedSource("adhorn", server.url("/feed/adhorn"), paging="forem"))
    newest = made[-1]
    [record] = [r for r in [archive.read_entry(path) for path in archive.entry_paths()] if r.entry["title"] == newest.title]
    entry = record.entry
    assert entry["link"] == entry["id"] == server.url(f"/{newest.slug}")
    assert entry["published"] == "Tue, 28 Mar 2017 09:30:00 +0000"  # 1 March 2017 (a Wednesday) + 27 days
    assert entry["published_parsed"] == "2017-03-28T09:30:00Z"
    assert entry["author"] == "Adrian Hornsby"
    assert [t["term"] for t in entry["tags"]] == ["resilience", "chaos"]
    assert entry["summary"].startswith("<h2>Why chaos experiments matter</h2>")
    assert entry["summary_detail"]["type"] == "text/html"


def test_an_article_seen_first_through_the_api_then_through_the_feed_is_one_entry(tmp_path, server):
    forem_site(server, 40)
    archive = Archive(tmp_path / "archive")
    feed = FeedSource("adhorn", server.url("/feed/adhorn"))
    assert backfill(archive, feed).new == 40
    ids = {r.id for r in [archive.read_entry(path) for path in archive.entry_paths()]}
    [fetched] = collect_feeds(archive, [feed], FETCH, now=T2)
    # The feed's 12 newest are the API's: same ids, same content, nothing new, nothing changed.
    assert (fetched.new, fetched.updated, fetched.unchanged) == (0, 0, 12)
    assert {r.id for r in [archive.read_entry(path) for path in archive.entry_paths()]} == ids


def test_the_feed_first_then_the_api_fetches_only_the_missing_bodies(tmp_path, server):
    forem_site(server, 40)
    archive = Archive(tmp_path / "archive")
    feed = FeedSource("adhorn", server.url("/feed/adhorn"))
    collect_feeds(archive, [feed], FETCH, now=T1)
    feed_records = {r.id: r for r in [archive.read_entry(path) for path in archive.entry_paths()]}
    report = backfill(archive, feed, now=T2)
    assert (report.new, report.known) == (28, 12)
    bodies = [p for p, _ in server.requests if p.startswith("/api/articles/")]
    assert sorted(bodies) == sorted(f"/api/articles/{1000 + n}" for n in range(1, 29))  # the 28 oldest
    after = {r.id: r for r in [archive.read_entry(path) for path in archive.entry_paths()]}
    assert len(after) == 40
    # What the feed brought is not touched, and is not marked as backfilled.
    assert all(after[i].to_json() == record.to_json() and after[i].backfill is None
               for i, record in feed_records.items())


def test_the_known_newest_page_is_passed_over_on_a_first_backfill(tmp_path, server):
    # 30 in the feed: the API's whole first page is archived already, the older pages are not.
    forem_site(server, 70, in_feed=30)
    archive = Archive(tmp_path / "archive")
    feed = FeedSource("adhorn", server.url("/feed/adhorn"))
    collect_feeds(archive, [feed], FETCH, now=T1)
    report = backfill(archive, feed, now=T2)
    assert (report.pages, report.new, report.known) == (3, 40, 30)
    assert len([archive.read_entry(path) for path in archive.entry_paths()]) == 70


def test_malformed_json_stops_the_walk_keeps_what_was_filed_and_the_next_run_resumes(tmp_path, server):
    forem_site(server, 70)
    good_page_2 = server.routes[forem_list_path("adhorn", 2)]
    server.routes[forem_list_path("adhorn", 2)] = Response(body=b'[{"id": 1001, "url": ', headers={
        "Content-Type": "application/json"})
    archive = Archive(tmp_path / "archive")
    feed = FeedSource("adhorn", server.url("/feed/adhorn"))
    report = backfill(archive, feed)
    assert report.failed and (report.pages, report.new) == (1, 30)
    assert "malformed JSON" in report.error and "page=2" in report.error
    assert "\n" not in report.summary() and "the next run resumes there" in report.summary()
    assert len([archive.read_entry(path) for path in archive.entry_paths()]) == 30

    server.routes[forem_list_path("adhorn", 2)] = good_page_2
    asked = len(server.requests)
    again = backfill(archive, feed, now=T2)
    assert (again.failed, again.new, again.pages) == (False, 40, 2)
    lists = [p for p, _ in server.requests[asked:] if p.startswith("/api/articles?")]
    assert lists == [forem_list_path("adhorn", 2), forem_list_path("adhorn", 3)]  # resumed at page 2
    assert len([archive.read_entry(path) for path in archive.entry_paths()]) == 70


def test_a_malformed_article_answer_stops_at_its_page(tmp_path, server):
    forem_site(server, 40)
    serve_json(server, "/api/articles/1005", ["not", "an", "article"])
    archive = Archive(tmp_path / "archive")
    report = backfill(archive, FeedSource("adhorn", server.url("/feed/adhorn")))
    assert report.failed and "article 1005: expected a JSON object" in report.error
    # Page 1 (articles 40 to 11) was filed; page 2 holds article 5 and was not.
    assert (report.new, len([archive.read_entry(path) for path in archive.entry_paths()])) == (30, 30)


def test_list_items_without_a_numeric_id_are_skipped_and_never_reach_a_url(tmp_path, server):
    base = server.url("")
    server.feed("/feed/someone", rss([], base, channel_link=f"{base}/someone"))
    serve_json(server, forem_list_path("someone", 1), [
        {"id": "../../secret", "url": f"{base}/someone/a"},
        {"id": 7, "url": "javascript:alert(1)"},
        {"id": True, "url": f"{base}/someone/b"},
        "not an object",
    ])
    archive = Archive(tmp_path / "archive")
    report = backfill(archive, FeedSource("someone", server.url("/feed/someone"), paging="forem"))
    assert report.new == 0 and not report.failed
    assert any("4 items without a numeric id" in w for w in report.warnings)
    assert not [p for p, _ in server.requests if p.startswith("/api/articles/")]


HOSTILE_BODY = ('<p>Before</p><script>alert("rkb-pwned")</script><img src=x onerror="alert(1)">'
                '<a href="javascript:alert(2)">click</a><iframe src="javascript:alert(3)"></iframe>'
                '<svg onload="alert(4)"></svg><p>After</p>')


def test_hostile_body_html_is_archived_as_data(tmp_path, server):
    forem_site(server, 2)
    data = json.loads(server.routes["/api/articles/1001"].body)
    data["body_html"] = HOSTILE_BODY
    data["title"] = '<img src=x onerror="alert(5)">Hostile'
    serve_json(server, "/api/articles/1001", data)
    archive = Archive(tmp_path / "archive")
    assert backfill(archive, FeedSource("adhorn", server.url("/feed/adhorn"))).new == 2
    [record] = [r for r in [archive.read_entry(path) for path in archive.entry_paths()] if "Hostile" in r.entry["title"]]
    assert record.entry["summary"] == HOSTILE_BODY  # kept as published; cleaned at every build
    assert record.entry["title_detail"]["type"] == "text/plain"  # a title is text: its markup is shown, not run


# -- RFC 5005 and WordPress ----------------------------------------------------------------------


def test_rfc5005_paged_feed_is_walked_by_its_next_links(tmp_path, server):
    made = list(reversed(articles(25, server.url(""))))
    url = paged_feed(server, [made[0:10], made[10:20], made[20:25]])
    archive = Archive(tmp_path / "archive")
    feed = FeedSource("paged", url)
    collect_feeds(archive, [feed], FETCH, now=T1)
    report = backfill(archive, feed, now=T2)
    assert (report.scheme, report.pages, report.new) == ("rfc5005", 2, 15)
    assert report.summary() == "paged: rfc5005, 2 pages, 15 new, 0 already archived, reached the oldest page"
    assert titles(archive) == {a.title for a in made}
    before = snapshot(archive.root)
    again = backfill(archive, feed, now=T3)
    assert (again.new, again.pages) == (0, 1)
    assert snapshot(archive.root) == before


def test_rfc5005_archived_feed_is_walked_by_its_prev_archive_links(tmp_path, server):
    made = list(reversed(articles(12, server.url(""))))
    url = paged_feed(server, [made[0:4], made[4:8], made[8:12]], rel="prev-archive", path="/current")
    archive = Archive(tmp_path / "archive")
    report = backfill(archive, FeedSource("archived", url, paging="rfc5005"))
    assert (report.scheme, report.pages, report.new) == ("rfc5005", 2, 8)
    # The subscription document itself is the feed's business: a fetch files it, not a backfill.
    assert titles(archive) == {a.title for a in made[4:12]}


def test_a_page_that_loops_back_stops_the_walk_and_keeps_what_was_filed(tmp_path, server):
    made = list(reversed(articles(9, server.url(""))))
    url = paged_feed(server, [made[0:3], made[3:6], made[6:9]])
    base = server.url("")
    # Page 3 links back to page 2.
    server.feed("/paged?page=3", rss(made[6:9], base, channel_link=f"{base}/",
                                     extra=f'<atom:link rel="next" href="{base}/paged?page=2"/>'))
    archive = Archive(tmp_path / "archive")
    report = backfill(archive, FeedSource("loop", url))
    assert (report.failed, report.pages, report.new) == (False, 2, 6)
    assert "loops back" in report.summary()
    assert [p for p, _ in server.requests].count("/paged?page=2") == 1


def test_a_next_link_to_another_host_is_not_followed(tmp_path, server):
    made = list(reversed(articles(6, server.url(""))))
    base = server.url("")
    elsewhere = base.replace("127.0.0.1", "localhost") + "/paged?page=3"
    server.feed("/paged", rss(made[0:3], base, channel_link=f"{base}/",
                              extra=f'<atom:link rel="next" href="{base}/paged?page=2"/>'))
    server.feed("/paged?page=2", rss(made[3:6], base, channel_link=f"{base}/",
                                     extra=f'<atom:link rel="next" href="{elsewhere}"/>'))
    archive = Archive(tmp_path / "archive")
    report = backfill(archive, FeedSource("hop", server.url("/paged")))
    assert (report.pages, report.new) == (1, 3)
    assert any("another host" in w and elsewhere in w for w in report.warnings)
    assert "/paged?page=3" not in [p for p, _ in server.requests]


def test_a_failing_page_is_one_line_and_the_next_run_resumes_there(tmp_path, server):
    made = list(reversed(articles(12, server.url(""))))
    url = paged_feed(server, [made[0:3], made[3:6], made[6:9], made[9:12]])
    good = server.routes["/paged?page=3"]
    server.routes["/paged?page=3"] = Response(status=500, body=b"oops")
    archive = Archive(tmp_path / "archive")
    report = backfill(archive, FeedSource("flaky", url))
    assert report.failed and (report.pages, report.new) == (1, 3)
    assert "HTTP 500" in report.summary() and "\n" not in report.summary()
    filed = snapshot(archive.root)
    server.routes["/paged?page=3"] = good
    asked = len(server.requests)
    again = backfill(archive, FeedSource("flaky", url), now=T2)
    assert (again.failed, again.pages, again.new) == (False, 2, 6)
    assert [p for p, _ in server.requests[asked:]][1] == "/paged?page=3"  # after the look at the feed
    assert all(snapshot(archive.root)[name] == data for name, data in filed.items() if name.startswith("entries"))


def test_the_page_limit_stops_the_walk_and_the_next_run_goes_on(tmp_path, server):
    made = list(reversed(articles(12, server.url(""))))
    url = paged_feed(server, [made[0:3], made[3:6], made[6:9], made[9:12]])
    archive = Archive(tmp_path / "archive")
    feed = FeedSource("limited", url)
    one_page = BackfillOptions(fetch=OPTIONS.fetch, max_pages=1, delay=0)
    report = backfill(archive, feed, options=one_page)
    assert (report.stopped, report.pages, report.new) == ("page limit", 1, 3)
    assert "resumes at" in report.summary() and report.resume_at.endswith("/paged?page=3")
    assert backfill(archive, feed, now=T2, options=one_page).new == 3
    last = backfill(archive, feed, now=T3, options=one_page)
    assert (last.new, last.stopped) == (3, "end")  # page 4 is the oldest
    assert len([archive.read_entry(path) for path in archive.entry_paths()]) == 9


def test_wordpress_is_paged_with_paged_until_its_404(tmp_path, server):
    made = list(reversed(articles(9, server.url(""))))
    base = server.url("")
    generator = "https://wordpress.org/?v=6.4.2"
    for number, items in enumerate([made[0:3], made[3:6], made[6:9]], start=1):
        path = "/feed/" if number == 1 else f"/feed/?paged={number}"
        server.feed(path, rss(items, base, channel_link=f"{base}/", generator=generator))
    archive = Archive(tmp_path / "archive")
    report = backfill(archive, FeedSource("blog", server.url("/feed/")))
    assert (report.scheme, report.pages, report.new, report.failed) == ("wordpress", 2, 6, False)
    assert "/feed/?paged=4" in [p for p, _ in server.requests]  # the 404 that ends it
    assert titles(archive) == {a.title for a in made[3:9]}


def test_wordpress_that_ignores_paged_stops_at_the_repeated_page(tmp_path, server):
    made = list(reversed(articles(3, server.url(""))))
    base = server.url("")
    body = rss(made, base, channel_link=f"{base}/", generator="https://wordpress.org/?v=6.4.2")
    for path in ("/feed/", "/feed/?paged=2", "/feed/?paged=3", "/feed/?paged=4"):
        server.feed(path, body)
    archive = Archive(tmp_path / "archive")
    report = backfill(archive, FeedSource("same", server.url("/feed/")))
    assert report.new == 3 and report.pages == 1 and "repeats an earlier page" in report.summary()


def test_a_feed_with_no_paging_scheme_is_said_once(tmp_path, server):
    url = server.feed("/adhorn.xml", (FIXTURES / "aws_blog_typepad_2009.atom.xml").read_bytes())
    archive = Archive(tmp_path / "archive")
    report = backfill(archive, FeedSource("plain", url))
    assert report.scheme == "none" and not report.failed
    assert report.summary().startswith("plain: none, no paging scheme found")
    assert [archive.read_entry(path) for path in archive.entry_paths()] == []


@pytest.mark.parametrize("paging", ["none"])
def test_paging_none_asks_nothing(tmp_path, server, paging):
    archive = Archive(tmp_path / "archive")
    report = backfill(archive, FeedSource("off", server.url("/feed/off"), paging=paging))
    assert report.scheme == "none" and server.requests == []


def test_the_delay_spaces_the_requests(tmp_path, server):
    from ingest.archive.backfill import Walk, backfill_feed

    forem_site(server, 3)
    waits: list[float] = []
    options = BackfillOptions(fetch=OPTIONS.fetch, delay=5)
    walk = Walk(options, sleep=waits.append)
    backfill_feed(Archive(tmp_path / "archive"), FeedSource("adhorn", server.url("/feed/adhorn")), options, T1,
                  walk=walk)
    # The feed, one list page, three articles: a wait before each request after the first, never above 5 s.
    assert len(server.requests) == 5 and len(waits) == 4
    assert all(0 < w <= 5 for w in waits)


# -- the archive's format ------------------------------------------------------------------------


def test_entries_and_feed_states_archived_before_backfills_keep_their_bytes():
    from dataclasses import asdict

    from support import BUNDLED_ARCHIVE
    from ingest.atomic import dump_json

    archive = Archive(BUNDLED_ARCHIVE)
    paths = archive.entry_paths()
    assert len(paths) == 12
    for path in paths:
        record = archive.read_entry(path)
        assert record.backfill is None
        assert record.to_json() == path.read_text(encoding="utf-8"), path.name
    for path in sorted((BUNDLED_ARCHIVE / "feeds").glob("*.json")):
        # A feed never backfilled is written as before backfills existed: no backfill key at all.
        state = archive.feed_state(path.stem)
        before = {k: v for k, v in asdict(state).items() if not k.startswith("backfill")}
        assert state.to_json() == dump_json(before), path.name


def test_a_fetch_keeps_the_place_where_a_backfill_resumes(tmp_path, server):
    made = list(reversed(articles(9, server.url(""))))
    url = paged_feed(server, [made[0:3], made[3:6], made[6:9]])
    archive = Archive(tmp_path / "archive")
    feed = FeedSource("kept", url)
    backfill(archive, feed, options=BackfillOptions(fetch=OPTIONS.fetch, max_pages=1, delay=0))
    resume_at = archive.feed_state("kept").backfill_next
    assert resume_at.endswith("/paged?page=3")
    collect_feeds(archive, [feed], FETCH, now=T2)
    assert archive.feed_state("kept").backfill_next == resume_at


def test_a_backfilled_entry_that_the_feed_changes_is_updated_as_usual(tmp_path, server):
    made = forem_site(server, 20)
    archive = Archive(tmp_path / "archive")
    feed = FeedSource("adhorn", server.url("/feed/adhorn"))
    backfill(archive, feed)
    newest = made[-1]
    base = server.url("")
    changed = [replace(newest, body_html=newest.body_html + "<p>An update.</p>")] + list(reversed(made))[1:12]
    server.feed("/feed/adhorn", rss(changed, base, channel_link=f"{base}/adhorn"))
    [report] = collect_feeds(archive, [feed], FETCH, now=T2)
    assert (report.new, report.updated, report.unchanged) == (0, 1, 11)
    [record] = [r for r in [archive.read_entry(path) for path in archive.entry_paths()] if r.entry["title"] == newest.title]
    assert record.updated == T2 and len(record.revisions) == 2 and record.backfill == "forem"
    assert record.entry["summary"].endswith("<p>An update.</p>")


def test_an_unreachable_feed_is_one_error_line(tmp_path, server):
    server.routes["/gone"] = Response(status=404)
    report = backfill(Archive(tmp_path / "archive"), FeedSource("gone", server.url("/gone")))
    assert report.failed
    assert report.summary() == "gone: error, HTTP 404 Not Found (check the feed URL)"


def test_an_article_listed_but_gone_is_skipped_not_retried_forever(tmp_path, server):
    forem_site(server, 5)
    server.routes["/api/articles/1003"] = Response(status=404)
    archive = Archive(tmp_path / "archive")
    report = backfill(archive, FeedSource("adhorn", server.url("/feed/adhorn")))
    assert (report.failed, report.new) == (False, 4)
    assert any("articles 1003 are listed but not found" in w for w in report.warnings)


def test_history_groups_each_backfill_run_of_each_feed_into_one_event():
    from ingest.archive.records import EntryRecord, Revision
    from ingest.model.articles import parse_article
    from ingest.model.history import events

    def article(n: int, feed: str, seen: tuple[str, ...], backfill: str | None):
        entry = {"title": f"Post {n}", "link": f"https://blog.example/{n}",
                 "published_parsed": f"2020-01-{n:02d}T00:00:00Z", "summary": "<p>words</p>"}
        return parse_article(EntryRecord(
            id=f"post-{n}", key=entry["link"], feed=feed, first_seen=seen[0], updated=None, content_hash="sha256:0",
            revisions=tuple(Revision(s, "sha256:0") for s in seen), entry=entry, backfill=backfill)).article

    history = events([
        article(1, "a", (T1,), "forem"), article(2, "a", (T1, T3), "forem"), article(3, "a", (T1,), "forem"),
        article(4, "b", (T1,), "rfc5005"), article(5, "a", (T2,), "forem"), article(6, "a", (T1,), None),
    ])
    described = [(e.when, e.kind, e.article.title, [a.title for a in e.articles]) for e in history]
    assert described == [
        (T3, "updated", "Post 2", []),
        (T2, "backfill", "Post 5", ["Post 5"]),
        (T1, "new", "Post 6", []),
        (T1, "backfill", "Post 4", ["Post 4"]),
        (T1, "backfill", "Post 3", ["Post 3", "Post 2", "Post 1"]),
    ]


@pytest.mark.parametrize("href", ["http://127.0.0.1:99999999/paged?page=2", "http://[::1/paged?page=2",
                                  "javascript:alert(1)", "http://127.0.0.1/x&#10;next line"])
def test_a_malformed_next_link_ends_the_walk_in_one_line(tmp_path, server, href):
    made = list(reversed(articles(6, server.url(""))))
    base = server.url("")
    server.feed("/paged", rss(made[0:3], base, channel_link=f"{base}/", extra=f'<atom:link rel="next" href="{base}/paged?page=2"/>'))
    server.feed("/paged?page=2", rss(made[3:6], base, channel_link=f"{base}/", extra=f'<atom:link rel="next" href="{href}"/>'))
    report = backfill(Archive(tmp_path / "archive"), FeedSource("odd", server.url("/paged")))
    assert (report.failed, report.new) == (False, 3)
    assert "\n" not in report.summary()  # feedparser drops some of these links; the others are refused


@pytest.mark.parametrize("fixture, feed_url, forem_shaped", [
    ("adhorn-devto-feed.xml", "https://dev.to/feed/adhorn", True),
    ("devto_gautamkrishnar_2020.rss.xml", "https://dev.to/feed/gautamkrishnar", True),
    ("devto_gautamkrishnar_2020.rss.xml", "https://dev.to/feed/someone-else", False),
    ("medium_ameliakusiak_polish.rss.xml", "https://medium.com/feed/@ameliakusiak", False),
    ("aws_blog_typepad_2009.atom.xml", "https://aws.typepad.com/aws/atom.xml", False),
])
def test_forem_feeds_are_recognised_by_their_shape(fixture, feed_url, forem_shaped):
    from ingest.archive.feeds import parse_feed
    from ingest.archive.forem import looks_like_forem

    parsed = parse_feed((FIXTURES / fixture).read_bytes())
    assert looks_like_forem(feed_url, parsed.link) is forem_shaped
    assert "wordpress" not in (parsed.generator or "").lower()  # TypePad and Medium say who they are


def test_backfill_inherits_the_network_policy_of_fetch(tmp_path, server):
    made = list(reversed(articles(6, server.url(""))))
    url = paged_feed(server, [made[0:3], made[3:6]])
    forem_site(server, 3)
    archive = Archive(tmp_path / "archive")
    closed = BackfillOptions(fetch=FetchOptions(timeout=2), delay=0)  # private addresses not allowed
    for feed in (FeedSource("paged", url), FeedSource("adhorn", server.url("/feed/adhorn"), paging="forem")):
        report = backfill(archive, feed, options=closed)
        assert report.failed and "127.0.0.1" in report.error and "\n" not in report.summary()
    assert server.requests == [] and [archive.read_entry(path) for path in archive.entry_paths()] == []


def test_a_bug_in_one_feed_is_its_failure_and_the_next_feed_is_backfilled(tmp_path, server, monkeypatch):
    from ingest.archive import backfill as module

    forem_site(server, 5)
    real = module.backfill_feed

    def broken_for_one(archive, feed, options, now, walk=None):
        if feed.name == "broken":
            raise ZeroDivisionError("division by zero")
        return real(archive, feed, options, now, walk)

    monkeypatch.setattr(module, "backfill_feed", broken_for_one)
    archive = Archive(tmp_path / "archive")
    feeds = [FeedSource("broken", server.url("/feed/adhorn")), FeedSource("adhorn", server.url("/feed/adhorn"))]
    first, second = backfill_feeds(archive, feeds, OPTIONS, now=T1)
    assert first.failed and first.summary().startswith("broken: error, unexpected ZeroDivisionError")
    assert (second.failed, second.new) == (False, 5)

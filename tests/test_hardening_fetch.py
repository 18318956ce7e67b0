"""Broken transports and odd sources: each is one line for its feed, the archive stays as it was,
the feeds after it are still fetched, and no traceback reaches the user.

Every server is on 127.0.0.1; local oddities (a FIFO, a sparse file) are made in tmp_path.
"""

from __future__ import annotations

import os
import threading

import pytest

from support import FIXTURES, SEED, Response, make_project, point_feed, run_cli, snapshot
from hostile_http import HostileServer
from ingest.archive.collect import FetchOptions, collect_feeds, collect_source
from ingest.archive.fetch import FetchError, fetch_url, read_file
from ingest.archive.netguard import refused_reason
from ingest.archive.store import Archive
from ingest.sources import FeedSource

OTHER = (FIXTURES / "devto_gautamkrishnar_2020.rss.xml").read_bytes()
T1, T2 = "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z"
OPTIONS = FetchOptions(timeout=2, deadline=3, max_bytes=2_000_000, allow_private=True)


@pytest.fixture
def hostile():
    # What the server cuts up is the seed with one entry changed: accepting a part of it would
    # overwrite the archived entry with less.
    server = HostileServer(SEED.read_bytes().replace(b"hands-down my favorite", b"my second favorite"))
    yield server
    server.close()


@pytest.fixture
def archived(tmp_path, server):
    """An archive that holds the seed feed, fetched over HTTP as feed 'adhorn'."""
    archive = Archive(tmp_path / "archive")
    [report] = collect_feeds(archive, [FeedSource("adhorn", server.feed("/adhorn", SEED.read_bytes()))], OPTIONS,
                             now=T1)
    assert report.new == 12
    return archive


@pytest.mark.parametrize("path, words", [
    ("/too-many-headers", "malformed HTTP response (got more than 100 headers)"),
    ("/long-header", "over-long line"),
    ("/junk-status", "not HTTP"),
    ("/no-answer", "closed the connection without answering"),
    ("/short-length", "the response ended early"),
    ("/chunked-truncated", "the response ended early"),
    ("/chunked-malformed", "the response ended early"),
    ("/trickle", "the download took longer than 3 s"),
])
def test_a_broken_response_fails_its_feed_only_and_changes_nothing(archived, server, hostile, path, words):
    before = snapshot(archived.root)
    server.feed("/other", OTHER)
    feeds = [FeedSource("adhorn", hostile.url(path)), FeedSource("other", server.url("/other"))]
    broken, after = collect_feeds(archived, feeds, OPTIONS, now=T2)
    assert broken.failed and words in broken.error, broken.error
    assert broken.summary().startswith("adhorn: error, ") and "\n" not in broken.summary()
    assert (after.status, after.failed, after.new) == ("200", False, 6)  # the feed after it was fetched
    now = snapshot(archived.root)
    added = set(now) - set(before)
    assert {k: now[k] for k in before} == before  # every archived file byte-identical
    assert all(name.startswith(("entries/", "feeds/other")) for name in added) and len(added) == 6 + 1


def test_a_short_body_through_the_command_line_is_one_line_and_stores_nothing(tmp_path, hostile):
    project = make_project(tmp_path)
    point_feed(project, hostile.url('/short-length'))
    before = snapshot(project / "archive")
    result = run_cli("fetch", cwd=project, timeout=60)
    assert result.returncode == 1
    assert result.stdout.startswith("adhorn: error, the response ended early")
    assert "Traceback" not in result.stdout + result.stderr
    assert snapshot(project / "archive") == before
    assert "the response ended early" in (project / "archive" / ".fetch-report.json").read_text()


@pytest.mark.parametrize("url, words", [
    ("http://127.0.0.1:{port}/with space/feed", None),
    ("http://127.0.0.1:{port}/f\u00fcr/feed", None),
    ("http://b\u00fccher.invalid/feed", "cannot connect"),
    ("http://127.0.0.1:99999/feed", "the port is not a number"),
])
def test_urls_with_spaces_or_non_ascii_are_encoded_not_a_crash(server, url, words):
    server.routes["/with%20space/feed"] = Response(body=SEED.read_bytes())
    server.routes["/f%C3%BCr/feed"] = Response(body=SEED.read_bytes())
    url = url.format(port=server.httpd.server_address[1])
    if words is None:
        assert fetch_url(url, allow_private=True).body == SEED.read_bytes()
    else:
        with pytest.raises(FetchError, match=words):
            fetch_url(url, timeout=2, allow_private=True)


def test_an_ftp_url_given_to_fetch_feed_is_refused_not_read_as_a_path(tmp_path):
    archive = Archive(tmp_path / "archive")
    report = collect_source(archive, "ftp://example.com/feed.xml", [], OPTIONS)
    assert report.failed and report.error.startswith("ftp:// is not supported")
    assert not (tmp_path / "archive" / "entries").exists()


def test_an_endless_fifo_is_read_up_to_the_cap(tmp_path):
    fifo = tmp_path / "endless"
    os.mkfifo(fifo)
    stop, opened = threading.Event(), threading.Event()

    def write_forever():
        try:
            with open(fifo, "wb") as pipe:
                opened.set()
                while not stop.is_set():
                    pipe.write(b"<rss>" * 1000)
        except BrokenPipeError:
            pass  # the reader stopped at the cap, as it should

    # A reader that reads nothing lets the writer open the FIFO before read_file does: the writer
    # is there from the first byte, as behind `fetch --feed <(endless command)`.
    keeper = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    writer = threading.Thread(target=write_forever, daemon=True)
    writer.start()
    try:
        assert opened.wait(5)
        with pytest.raises(FetchError, match="over the 100,000-byte limit"):
            read_file(fifo, max_bytes=100_000, deadline=10)
    finally:
        stop.set()
        os.close(keeper)
        writer.join(5)


def test_a_fifo_nobody_writes_to_does_not_hang(tmp_path):
    fifo = tmp_path / "silent"
    os.mkfifo(fifo)
    assert read_file(fifo, max_bytes=1000, deadline=2).body == b""  # no writer: end of file at once


def test_a_huge_sparse_file_is_refused_before_reading(tmp_path):
    sparse = tmp_path / "sparse.xml"
    with open(sparse, "wb") as handle:
        handle.truncate(50 * 1024**3)  # 50 GiB of nothing, no disk used
    with pytest.raises(FetchError, match="over the 1,000,000-byte limit"):
        read_file(sparse, max_bytes=1_000_000)


def test_fetch_feed_on_a_fifo_through_the_command_line_ends(tmp_path):
    project = make_project(tmp_path)
    fifo = tmp_path / "silent"
    os.mkfifo(fifo)
    before = snapshot(project / "archive")
    result = run_cli("fetch", "--feed", str(fifo), cwd=project, timeout=60)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert snapshot(project / "archive") == before


def test_a_file_whose_title_names_a_configured_feed_is_not_filed_under_it(tmp_path):
    archive = Archive(tmp_path / "archive")
    feed = tmp_path / "copy.xml"
    # The title slugs to 'adhorn', a configured feed's name; the file is not that feed.
    feed.write_bytes(OTHER.replace(b"<title>Gautam krishna.R</title>", b"<title>adhorn</title>", 1))
    assert feed.read_bytes() != OTHER
    report = collect_source(archive, str(feed), [FeedSource("adhorn", "https://dev.to/feed/adhorn")], OPTIONS)
    assert report.feed == "adhorn-local"
    assert archive.feed_state("adhorn").url is None  # the configured feed's state is untouched


@pytest.mark.parametrize("address, refused", [
    ("127.0.0.1", "loopback"), ("::1", "loopback"), ("10.1.2.3", "private"), ("192.168.0.1", "private"),
    ("169.254.169.254", "link-local (cloud metadata)"), ("fd00:ec2::254", "private"),
    ("::ffff:127.0.0.1", "loopback"), ("100.100.100.200", "not a public address"), ("0.0.0.0", "unspecified"),
    ("93.184.215.14", None), ("2606:2800:21f:cb07:6820:80da:af6b:8b2c", None),
])
def test_addresses_out_of_a_feeds_reach(address, refused):
    reason = refused_reason(address)
    assert (reason is None) if refused is None else (refused in reason)


def test_a_feed_on_a_private_address_is_refused_unless_allowed(server):
    url = server.feed("/feed", SEED.read_bytes())
    with pytest.raises(FetchError, match=r"127\.0\.0\.1, a loopback address: refused .*allow_private_addresses"):
        fetch_url(url)
    assert server.requests == []  # refused before connecting
    # A name is resolved and its address checked: 'localhost' is no way round the policy.
    with pytest.raises(FetchError, match="localhost resolves to .*loopback address: refused"):
        fetch_url(url.replace("127.0.0.1", "localhost"))
    assert fetch_url(url, allow_private=True).body == SEED.read_bytes()


def test_a_redirect_to_the_metadata_service_is_refused(server):
    # The test server is on 127.0.0.1, so that network is allowed; the redirect's target is not.
    server.routes["/feed"] = Response(status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"})
    with pytest.raises(FetchError, match="169.254.169.254, a link-local .* refused"):
        fetch_url(server.url("/feed"), timeout=2, allow_private=("127.0.0.0/8",))
    assert [path for path, _ in server.requests] == ["/feed"]


def test_the_command_line_refuses_a_private_feed_by_default(tmp_path, server):
    project = make_project(tmp_path, allow_private=False)
    point_feed(project, server.feed('/adhorn', SEED.read_bytes()))
    before = snapshot(project / "archive")
    result = run_cli("fetch", cwd=project, timeout=60)
    assert result.returncode == 1
    assert "adhorn: error, 127.0.0.1 resolves to 127.0.0.1, a loopback address: refused" in result.stdout
    assert server.requests == []
    assert snapshot(project / "archive") == before


# Builds, fetches or runs the command line in subprocesses: left out of `make test-fast`.
pytestmark = pytest.mark.slow

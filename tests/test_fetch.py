"""Fetching over real HTTP from a server on 127.0.0.1: statuses, validators, limits, timeouts."""

from __future__ import annotations

import functools
import gzip
import socket
import time

import pytest

from support import Response
from ingest.archive.fetch import FetchError, read_file
from ingest.archive.fetch import fetch_url as fetch_anywhere

# The test server is on 127.0.0.1, which the network policy refuses unless allowed.
fetch_url = functools.partial(fetch_anywhere, allow_private=True)


def test_200_returns_body_and_validators(server, seed_bytes):
    url = server.feed("/feed", seed_bytes, ETag='"v1"', **{"Last-Modified": "Thu, 07 Jan 2021 12:22:56 GMT"})
    result = fetch_url(url)
    assert result.status == 200
    assert result.body == seed_bytes
    assert result.etag == '"v1"'
    assert result.last_modified == "Thu, 07 Jan 2021 12:22:56 GMT"
    assert result.moved_to is None


def test_sends_a_clear_user_agent_and_accepts_feeds(server, seed_bytes):
    fetch_url(server.feed("/feed", seed_bytes))
    headers = server.requests[-1][1]
    assert headers["User-Agent"].startswith("resilience-kb/")
    assert "application/rss+xml" in headers["Accept"]


def test_304_when_etag_matches(server, seed_bytes):
    url = server.conditional_feed("/feed", seed_bytes, etag='"abc"')
    result = fetch_url(url, etag='"abc"')
    assert result.status == 304
    assert result.body == b""
    assert server.requests[-1][1]["If-None-Match"] == '"abc"'


def test_304_when_last_modified_matches(server, seed_bytes):
    stamp = "Wed, 21 Oct 2026 07:28:00 GMT"
    url = server.conditional_feed("/feed", seed_bytes, last_modified=stamp)
    result = fetch_url(url, last_modified=stamp)
    assert result.status == 304
    assert server.requests[-1][1]["If-Modified-Since"] == stamp


def test_stale_etag_gets_the_full_feed(server, seed_bytes):
    url = server.conditional_feed("/feed", seed_bytes, etag='"new"')
    result = fetch_url(url, etag='"old"')
    assert result.status == 200
    assert result.body == seed_bytes
    assert result.etag == '"new"'


def test_permanent_redirect_is_followed_and_reported(server, seed_bytes):
    target = server.feed("/new-home", seed_bytes)
    server.routes["/old"] = Response(status=301, headers={"Location": target})
    result = fetch_url(server.url("/old"))
    assert result.status == 200
    assert result.body == seed_bytes
    assert result.moved_to == target


def test_temporary_redirect_is_followed_silently(server, seed_bytes):
    target = server.feed("/today", seed_bytes)
    server.routes["/feed"] = Response(status=302, headers={"Location": target})
    result = fetch_url(server.url("/feed"))
    assert result.body == seed_bytes
    assert result.moved_to is None


def test_redirect_loop_is_an_error(server):
    server.routes["/a"] = Response(status=302, headers={"Location": server.url("/b")})
    server.routes["/b"] = Response(status=302, headers={"Location": server.url("/a")})
    with pytest.raises(FetchError, match="HTTP 30[12]|redirect"):
        fetch_url(server.url("/a"))


def test_redirect_to_a_non_http_scheme_is_refused(server):
    server.routes["/feed"] = Response(status=301, headers={"Location": "file:///etc/passwd"})
    with pytest.raises(FetchError, match="file:///etc/passwd' is not allowed|not an http"):
        fetch_url(server.url("/feed"))


@pytest.mark.parametrize("status, words", [
    (404, "HTTP 404 Not Found (check the feed URL)"),
    (410, "HTTP 410 Gone"),
    (500, "HTTP 500 Internal Server Error"),
])
def test_http_errors_are_one_line(server, status, words):
    server.routes["/feed"] = Response(status=status, body=b"nope")
    with pytest.raises(FetchError) as error:
        fetch_url(server.url("/feed"))
    assert words in str(error.value)
    assert "\n" not in str(error.value)


def test_slow_server_times_out(server, seed_bytes):
    server.routes["/slow"] = Response(body=seed_bytes, delay=3)
    started = time.monotonic()
    with pytest.raises(FetchError, match="timed out"):
        fetch_url(server.url("/slow"), timeout=0.5)
    assert time.monotonic() - started < 2.5


def test_unreachable_host_is_a_clear_error():
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(FetchError, match="cannot connect: Connection refused"):
        fetch_url(f"http://127.0.0.1:{port}/feed", timeout=2)


def test_declared_size_over_the_cap_is_refused(server):
    server.routes["/big"] = Response(body=b"x" * 5000)
    with pytest.raises(FetchError, match="over the 1,000-byte limit"):
        fetch_url(server.url("/big"), max_bytes=1000)


def test_undeclared_size_over_the_cap_is_cut_off(server):
    def stream_without_length(request):
        request.send_response(200)
        request.send_header("Connection", "close")
        request.end_headers()
        for _ in range(50):
            request.wfile.write(b"y" * 1000)

    server.routes["/stream"] = Response(handler=stream_without_length)
    with pytest.raises(FetchError, match="over the 10,000-byte limit"):
        fetch_url(server.url("/stream"), max_bytes=10_000)


def test_gzip_body_is_decompressed(server, seed_bytes):
    server.routes["/feed"] = Response(body=gzip.compress(seed_bytes), headers={"Content-Encoding": "gzip"})
    assert fetch_url(server.url("/feed")).body == seed_bytes
    assert "gzip" in server.requests[-1][1]["Accept-Encoding"]


def test_gzip_bomb_is_cut_off_after_decompression(server):
    bomb = gzip.compress(b"\0" * 5_000_000)  # about 5 KB on the wire
    server.routes["/bomb"] = Response(body=bomb, headers={"Content-Encoding": "gzip"})
    with pytest.raises(FetchError, match="over the 100,000-byte limit"):
        fetch_url(server.url("/bomb"), max_bytes=100_000)


def test_truncated_gzip_is_an_error(server, seed_bytes):
    packed = gzip.compress(seed_bytes)
    server.routes["/feed"] = Response(body=packed[: len(packed) // 2], headers={"Content-Encoding": "gzip"})
    with pytest.raises(FetchError, match="truncated or corrupt"):
        fetch_url(server.url("/feed"))


def test_only_http_urls_are_fetched():
    with pytest.raises(FetchError, match="not an http"):
        fetch_url("file:///etc/passwd")


def test_local_file_is_read_with_the_same_cap(tmp_path, seed_bytes):
    path = tmp_path / "feed.xml"
    path.write_bytes(seed_bytes)
    assert read_file(path).body == seed_bytes
    with pytest.raises(FetchError, match="over the 100-byte limit"):
        read_file(path, max_bytes=100)
    with pytest.raises(FetchError, match="No such file"):
        read_file(tmp_path / "missing.xml")

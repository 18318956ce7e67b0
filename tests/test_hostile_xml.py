"""XML attacks and network faults: neutralised or refused, in bounded time and memory, nothing lost.

Bounds checked here, each attack parsed in a fresh process: under 5 s and under
200 MB of peak memory (a plain parse of the 217 KB seed feed takes about 0.3 s
and 40 MB). A feed is at most max_feed_bytes (10 MB by default) after
decompression, and with its DTD removed feedparser's work is linear in that.
"""

from __future__ import annotations

import json
import socket
import struct
import subprocess
import sys
import textwrap
import time

import pytest

from support import ROOT, SEED, Response, snapshot
from ingest.archive.store import Archive
from ingest.archive.collect import FetchOptions, collect_feeds
from ingest.sources import FeedSource
from ingest.archive.xmlguard import strip_doctype

TIME_BOUND, MEMORY_BOUND_MB = 5.0, 200


def rss(items: str, prologue: str = "") -> str:
    return (f'<?xml version="1.0" encoding="utf-8"?>\n{prologue}\n<rss version="2.0"><channel><title>t</title>'
            f"<link>https://example.org/</link>{items}</channel></rss>")


BILLION_LAUGHS = rss(
    "<item><title>&lol9;</title><link>https://example.org/1</link></item>",
    "<!DOCTYPE rss [\n <!ENTITY lol \"lol\">\n" + "".join(
        f' <!ENTITY lol{n} "{f"&lol{n - 1};" * 10 if n > 1 else "&lol;" * 10}">\n' for n in range(1, 10)) + "]>",
)
QUADRATIC = rss(
    "<item><title>q</title><link>https://example.org/q</link><description>" + "&a;" * 50_000 + "</description></item>",
    f'<!DOCTYPE rss [<!ENTITY a "{"B" * 100_000}">]>',
)
PARAMETER_ENTITIES = rss(
    "<item><title>&all;</title><link>https://example.org/p</link></item>",
    '<!DOCTYPE rss [<!ENTITY % p1 "<!ENTITY all \'xxxxxxxxxx\'>"> %p1;]>',
)


def measure(feed: bytes) -> dict:
    """Parse `feed` in a fresh process; return its seconds, peak memory, and what it read."""
    script = textwrap.dedent("""
        import json, resource, sys, time
        from ingest.archive.feeds import FeedError, parse_feed
        body = sys.stdin.buffer.read()
        start = time.perf_counter()
        try:
            parsed = parse_feed(body)
            result = {"entries": [{"title": e.get("title", ""), "summary": e.get("summary", "")} for e in parsed.entries],
                      "doctype_removed": parsed.doctype_removed}
        except FeedError as e:
            result = {"error": str(e)}
        result["seconds"] = time.perf_counter() - start
        # VmHWM is this process's own peak: ru_maxrss would carry over the peak of the process that
        # started it (Linux keeps it across exec), and a pytest worker may be far larger than this.
        hwm = [line for line in open("/proc/self/status") if line.startswith("VmHWM:")]
        result["peak_mb"] = (int(hwm[0].split()[1]) if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) / 1024
        print(json.dumps(result))
    """)
    done = subprocess.run([sys.executable, "-c", script], input=feed, cwd=ROOT, capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    return json.loads(done.stdout)


@pytest.mark.parametrize("name, feed", [
    ("billion laughs", BILLION_LAUGHS), ("quadratic blow-up", QUADRATIC), ("parameter entities", PARAMETER_ENTITIES),
])
def test_entity_expansion_attacks_are_neutralised_in_bounded_time_and_memory(name, feed):
    result = measure(feed.encode())
    assert result["doctype_removed"] is True
    assert result["seconds"] < TIME_BOUND and result["peak_mb"] < MEMORY_BOUND_MB, result
    text = " ".join(e["title"] + e["summary"] for e in result["entries"])
    assert "lollollol" not in text and "xxxxxxxxxx" not in text and "BBBBBBBBBB" not in text
    # Undefined references come back as literal text ("&a;", escaped as "&amp;a;"): linear, not expanded.
    assert len(text) <= 2 * len(feed)


def test_the_same_attack_in_utf16_is_neutralised():
    result = measure(BILLION_LAUGHS.replace('encoding="utf-8"', 'encoding="utf-16"').encode("utf-16"))
    assert result["doctype_removed"] is True
    assert "lollollol" not in json.dumps(result["entries"])


def test_external_entities_are_never_read(tmp_path, server):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    feed = rss("<item><title>&file;&remote;</title><link>https://example.org/x</link></item>",
               f'<!DOCTYPE rss [<!ENTITY file SYSTEM "file://{secret}"> '
               f'<!ENTITY remote SYSTEM "{server.url("/entity")}">]>')
    external_dtd = rss("<item><title>&thing;</title><link>https://example.org/y</link></item>",
                       f'<!DOCTYPE rss SYSTEM "{server.url("/evil.dtd")}">')
    for attack in (feed, external_dtd):
        result = measure(attack.encode())
        assert "TOP-SECRET-VALUE" not in json.dumps(result)
    assert server.requests == []  # nothing was fetched from the DTD or the entities


def test_doctype_inside_content_is_left_alone():
    feed = rss("<item><title>About DTDs</title><link>https://example.org/d</link>"
               "<description>&lt;!DOCTYPE html&gt; starts an HTML page</description></item>")
    assert strip_doctype(feed.encode()) == (feed.encode(), False)
    stripped, found = strip_doctype(rss("", '<!DOCTYPE rss PUBLIC "-//x//y" "http://example.org/a>b.dtd">').encode())
    assert found and b"DOCTYPE" not in stripped and b"<rss" in stripped


def test_a_response_over_the_cap_is_cut_off_also_after_gzip(tmp_path, server):
    import gzip

    bomb = gzip.compress(b"<rss>" + b" " * 30_000_000)
    server.routes["/bomb"] = Response(body=bomb, headers={"Content-Encoding": "gzip"})
    archive = Archive(tmp_path)
    started = time.monotonic()
    [report] = collect_feeds(archive, [FeedSource("bomb", server.url("/bomb"))],
                             FetchOptions(max_bytes=1_000_000, allow_private=True))
    assert report.error == "response is over the 1,000,000-byte limit"
    assert time.monotonic() - started < TIME_BOUND


# -- network faults: nothing lost, a clear message, the other feeds processed ---------------------------------------


def reset_mid_body(request):
    request.send_response(200)
    request.send_header("Content-Length", "100000")
    request.end_headers()
    request.wfile.write(SEED.read_bytes()[:5000])
    request.wfile.flush()
    request.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    request.connection.close()  # linger 0: the peer gets a TCP reset


def stall_after_headers(request):
    request.send_response(200)
    request.send_header("Content-Length", "100000")
    request.end_headers()
    request.wfile.flush()
    time.sleep(3)


@pytest.mark.parametrize("fault, message", [
    (reset_mid_body, "connection failed: Connection reset by peer|IncompleteRead|timed out"),
    (stall_after_headers, "timed out after 0.5 s"),
])
def test_network_faults_lose_nothing_and_the_other_feeds_go_on(tmp_path, server, fault, message):
    import re

    archive = Archive(tmp_path)
    good = server.feed("/good", SEED.read_bytes())
    collect_feeds(archive, [FeedSource("good", good)], FetchOptions(timeout=0.5, allow_private=True))
    before = snapshot(archive.root)
    server.routes["/bad"] = Response(handler=fault)
    reports = collect_feeds(archive, [FeedSource("bad", server.url("/bad")), FeedSource("good", good)],
                            FetchOptions(timeout=0.5, allow_private=True))
    assert reports[0].failed and re.search(message, reports[0].error), reports[0].error
    assert "\n" not in reports[0].error
    assert (reports[1].status, reports[1].unchanged) == ("200", 12)
    assert snapshot(archive.root) == before


def test_a_feed_that_turns_into_another_site_is_reported(tmp_path, server):
    archive = Archive(tmp_path)
    url = server.feed("/feed", SEED.read_bytes())
    collect_feeds(archive, [FeedSource("adhorn", url)], FetchOptions(allow_private=True))
    other = (ROOT / "tests" / "fixtures" / "devto_gautamkrishnar_2020.rss.xml").read_bytes()
    server.feed("/feed", other)
    [report] = collect_feeds(archive, [FeedSource("adhorn", url)], FetchOptions(allow_private=True))
    assert report.new == 6
    assert report.warnings[0].startswith(
        "it now describes another site (https://dev.to/gautamkrishnar, was https://dev.to/adhorn)")
    assert len([archive.read_entry(path) for path in archive.entry_paths()]) == 18  # nothing lost


def test_a_feed_that_suddenly_has_no_items_deletes_nothing(tmp_path, server):
    archive = Archive(tmp_path)
    url = server.feed("/feed", SEED.read_bytes())
    collect_feeds(archive, [FeedSource("adhorn", url)], FetchOptions(allow_private=True))
    before = snapshot(archive.root)
    server.feed("/feed", rss("").encode())
    [report] = collect_feeds(archive, [FeedSource("adhorn", url)], FetchOptions(allow_private=True))
    assert report.error == "the feed has no entries; nothing was archived"
    assert snapshot(archive.root) == before

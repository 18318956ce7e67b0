"""A run's loose ends: the report names what `--feed` was given, a killed run's temporaries are cleaned by
the next one (and nothing else is), one feed listed twice under two spellings is refused."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest

from support import make_project, run_cli
from ingest.archive.collect import FetchOptions, collect_source
from ingest.archive.store import Archive
from ingest.config import Feeds
from mkdocs.config.base import ValidationError

OPTIONS = FetchOptions(timeout=5, max_bytes=5_000_000, allow_private=True)


def feed(count: int, self_link: str = "") -> bytes:
    items = "".join(f"<item><title>Entry {n}</title><guid>https://example.org/{n}</guid>"
                    f"<description>Entry {n}, a few words.</description></item>" for n in range(count))
    return (f'<?xml version="1.0"?><rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>'
            f'<title>Synthetic</title><link>https://example.org/</link>{self_link}{items}</channel></rss>').encode()


def test_the_report_of_fetch_feed_names_the_url_or_file_given(tmp_path, server):
    url = server.feed("/no-self-link.xml", feed(2))
    report = collect_source(Archive(tmp_path / "a"), url, [], OPTIONS)
    assert (report.source, report.new) == (url, 2)
    path = tmp_path / "feed.xml"
    path.write_bytes(feed(2))
    report = collect_source(Archive(tmp_path / "b"), str(path), [], OPTIONS)
    assert (report.source, report.new) == (str(path), 2)


@pytest.mark.slow
def test_a_killed_fetch_leaves_temporaries_that_the_next_run_removes(tmp_path, server):
    url = server.feed("/large.xml", feed(3_000))
    project = make_project(tmp_path, with_archive=False)
    archive = tmp_path / "archive"
    entries = archive / "entries"
    entries.mkdir(parents=True)
    # Not ours: a user's files that merely end in .tmp stay.
    for name in (".notes.tmp", "draft.json.tmp", ".x.json.12-x.tmp"):
        (entries / name).write_text("keep")
    run = subprocess.Popen([sys.executable, "-m", "ingest.cli", "--archive", str(archive), "fetch", "--feed", url],
                           cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        ends = time.monotonic() + 120
        while run.poll() is None and time.monotonic() < ends:
            if len([p for p in entries.iterdir() if p.name.endswith(".tmp")]) > 53:
                break  # mid-staging: 50 of its own temporaries written, none renamed into place
            time.sleep(0.01)
        assert run.poll() is None, "the fetch ended before it could be killed"
        run.send_signal(signal.SIGKILL)
    finally:
        run.kill()
        run.wait()
    left = [p.name for p in entries.iterdir() if p.name.endswith(".tmp")]
    assert len(left) > 53 and not list(entries.glob("*.json"))
    result = run_cli("--archive", str(archive), "fetch", "--feed", url, cwd=project, timeout=300)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in entries.iterdir() if p.name.endswith(".tmp")) == \
        [".notes.tmp", ".x.json.12-x.tmp", "draft.json.tmp"]
    assert len(list(entries.glob("*.json"))) == 1_000  # the default max_entries_per_run


# Hosts under .invalid, which never resolve.
@pytest.mark.parametrize("first, second", [
    ("https://example.invalid/feed", "HTTPS://Example.INVALID:443/feed"),
    ("https://example.invalid/feed", "https://example.invalid./feed"),
    ("http://example.invalid", "http://EXAMPLE.invalid:80/"),
    ("https://bücher.invalid/feed", "https://xn--bcher-kva.invalid/feed#top"),
])
def test_one_feed_listed_under_two_spellings_is_refused_naming_both(first, second):
    with pytest.raises(ValidationError) as refused:
        Feeds(default=[]).run_validation([{"name": "one", "url": first}, {"name": "two", "url": second}])
    assert str(refused.value) == (f"feeds[1].url: '{second}' (two) is the address of feeds[0] (one: '{first}') "
                                  f"spelled another way: list each feed once")


@pytest.mark.parametrize("first, second", [("https://a.invalid/feed", "https://a.invalid/Feed"),
                                           ("https://a.invalid/feed", "http://a.invalid/feed"),
                                           ("https://a.invalid/feed", "https://a.invalid:8443/feed")])
def test_other_addresses_are_other_feeds(first, second):
    assert len(Feeds(default=[]).run_validation([{"name": "one", "url": first}, {"name": "two", "url": second}])) == 2


def test_the_command_line_says_so_in_one_line(tmp_path):
    project = make_project(tmp_path, with_archive=False)
    config = project / "mkdocs.yml"
    text = config.read_text()
    feeds = ("      feeds:\n        - name: one\n          url: https://example.invalid/feed\n"
             "        - name: two\n          url: HTTPS://EXAMPLE.invalid:443/feed\n")
    start = text.index("      feeds:")
    end = text.index("\n", text.index("url:", start))
    config.write_text(text[:start] + feeds + text[end + 1:])
    local = tmp_path / "feed.xml"  # the run reads a local file, never the feeds
    local.write_bytes(feed(1))
    result = run_cli("--archive", str(tmp_path / "archive"), "fetch", "--feed", str(local), cwd=project, timeout=60)
    assert result.returncode == 2
    [line] = [line for line in result.stderr.splitlines() if "feeds[1].url" in line]
    assert "(two) is the address of feeds[0] (one: 'https://example.invalid/feed')" in line


# Builds, fetches or runs the command line in subprocesses: left out of `make test-fast`.
pytestmark = pytest.mark.slow

"""Runs killed with SIGKILL at random moments: the archive always loads, nothing committed is lost,
and the next run completes."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from support import ROOT, make_project, point_feed, run_cli, snapshot
from ingest.archive.store import Archive

pytestmark = pytest.mark.slow

KILLS = 50


def archived(folder):
    """Every entry of the archive in `folder`, read as the analysis reads them."""
    archive = Archive(folder)
    return [archive.read_entry(path) for path in archive.entry_paths()]


def synthetic_feed(path: Path, entries: int, version: int) -> Path:
    """A feed of `entries` items; a new `version` changes every item's text and adds ten items."""
    items = []
    for n in range(entries + 10 * version):
        body = f"<p>Entry {n}, version {version}. " + "Retries with back-off and jitter. " * 40 + "</p>"
        items.append(f"<item><title>Entry {n}</title><link>https://example.org/{n}</link>"
                     f"<guid>https://example.org/{n}</guid><pubDate>Mon, 02 Mar 2026 10:00:00 +0000</pubDate>"
                     f"<description><![CDATA[{body}]]></description></item>")
    path.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>Synthetic</title>'
                    f'<link>https://example.org/</link>{"".join(items)}</channel></rss>')
    return path


def start(*args: str, cwd: Path = ROOT) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "ingest.cli", *args], cwd=cwd,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def timed(*args: str, cwd: Path = ROOT) -> float:
    began = time.perf_counter()
    assert run_cli(*args, cwd=cwd).returncode == 0
    return time.perf_counter() - began


def test_fetch_killed_at_random_moments_loses_nothing(tmp_path):
    archive = tmp_path / "archive"
    feeds = [synthetic_feed(tmp_path / f"v{v}.xml", 300, v) for v in range(3)]
    duration = timed("--archive", str(archive), "fetch", "--feed", str(feeds[0]))
    committed = {path.name: json.loads(path.read_text()) for path in (archive / "entries").glob("*.json")}
    assert len(committed) == 300
    rng = random.Random(20261126)
    interrupted = kill = 0
    # On a busy machine a run can end before its kill: go on (up to 3x) until enough kills landed mid-run.
    while kill < KILLS or (interrupted < KILLS // 2 and kill < 3 * KILLS):
        kill += 1
        run = start("--archive", str(archive), "fetch", "--feed", str(feeds[1 + kill % 2]))
        time.sleep(rng.uniform(0, duration * 1.2))
        run.send_signal(signal.SIGKILL)
        interrupted += run.wait() == -signal.SIGKILL
        records = archived(archive)  # always loads
        present = {f"{r.id}.json" for r in records}
        assert set(committed) <= present, f"kill {kill}: entries lost"
        for record in records:  # each file whole: one version or another, its hash matching its content
            assert record.revisions[-1].content_hash == record.content_hash
            assert record.entry["title"].startswith("Entry ")
    assert interrupted >= KILLS // 2  # most kills did land while a run was going
    assert run_cli("--archive", str(archive), "fetch", "--feed", str(feeds[2])).returncode == 0
    final = archived(archive)
    assert len(final) == 320
    assert all("version 2." in r.entry["summary"] for r in final)
    assert not list((archive / "entries").glob(".*.tmp"))  # a run under the lock cleans up after killed ones


def test_build_killed_at_random_moments_leaves_the_archive_and_the_next_build_completes(tmp_path):
    project = make_project(tmp_path)
    site = tmp_path / "site"
    before = snapshot(project / "archive")
    duration = timed("build", "--site-dir", str(site), cwd=project)
    rng = random.Random(11)
    interrupted = kills = 0
    while kills < KILLS or (interrupted < KILLS // 2 and kills < 3 * KILLS):  # as in the fetch test above
        kills += 1
        run = start("build", "--site-dir", str(site), cwd=project)
        time.sleep(rng.uniform(0, duration))
        run.send_signal(signal.SIGKILL)
        interrupted += run.wait() == -signal.SIGKILL
        assert snapshot(project / "archive") == before
    assert interrupted >= KILLS // 2
    assert run_cli("build", "--site-dir", str(site), cwd=project).returncode == 0
    assert len([p for p in (site / "articles").glob("*/index.html")
                if p.parent.name not in ("by-year", "by-kind")]) == 12


def test_backfill_killed_at_random_moments_keeps_each_page_and_resumes(tmp_path, server):
    from pagingsites import forem_site

    forem_site(server, 150)
    project = make_project(tmp_path, with_archive=False)
    point_feed(project, f"{server.url('/feed/adhorn')}\n      backfill_delay: 0")
    archive = project / "archive"
    rng = random.Random(20261130)
    filed, midway = 0, 0
    for kill in range(12):
        # Killed after a random number of requests, not of seconds: the machine's load does not matter.
        # A page of the API is one list request and 30 article requests; some kills land inside one.
        asked, wanted = len(server.requests), rng.randint(1, 80)
        run = start("backfill", "--delay", "0", cwd=project)
        began = time.monotonic()
        while len(server.requests) - asked < wanted and run.poll() is None and time.monotonic() - began < 60:
            time.sleep(0.002)
        run.send_signal(signal.SIGKILL)
        midway += run.wait() == -signal.SIGKILL
        records = archived(archive)  # always loads
        assert len(records) >= filed, f"kill {kill}: entries lost"
        filed = len(records)
        state = Archive(archive).feed_state("adhorn")
        if state.backfill_next:  # the cursor never runs ahead of what was filed: pages before it are whole
            page = int(parse_qs(urlsplit(state.backfill_next).query)["page"][0])
            assert filed >= 30 * (page - 1), f"kill {kill}: cursor at page {page} with {filed} entries"
    assert midway >= 3 and 0 < filed  # kills did land during runs, and runs did file pages
    result = run_cli("backfill", cwd=project)
    assert result.returncode == 0, result.stderr
    assert len(archived(archive)) == 150
    assert not list((archive / "entries").glob(".*.tmp"))

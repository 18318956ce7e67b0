"""The fetch report remembers each feed's latest fetch, so a run of one feed (`fetch --feed`)
does not make the Sources page forget when the others were fetched."""

from __future__ import annotations

import json

import pytest

from ingest.archive.collect import FeedReport
from ingest.archive.report import FetchRun, ReportError, commit_message, load_report, write_report


def run(when: str, *reports: FeedReport) -> FetchRun:
    return FetchRun(finished=when, feeds=reports)


def test_each_feed_keeps_its_own_latest_fetch(tmp_path):
    write_report(tmp_path, run("2026-03-01T10:00:00Z", FeedReport("a", "s-a", "200", new=2),
                               FeedReport("b", "s-b", "error", error="HTTP 404")))
    write_report(tmp_path, run("2026-03-02T10:00:00Z", FeedReport("c", "s-c", "file", new=6,
                                                                  warnings=("malformed feed, read anyway: bad",))))
    write_report(tmp_path, run("2026-03-03T10:00:00Z", FeedReport("a", "s-a", "304", unchanged=12)))
    latest = load_report(tmp_path)
    assert latest.finished == "2026-03-03T10:00:00Z" and [r.feed for r in latest.feeds] == ["a"]
    when, a = latest.latest("a")
    assert (when, a.status, a.unchanged) == ("2026-03-03T10:00:00Z", "304", 12)
    when, b = latest.latest("b")
    assert (when, b.failed, b.error) == ("2026-03-01T10:00:00Z", True, "HTTP 404")
    when, c = latest.latest("c")
    assert (when, c.new, c.warnings) == ("2026-03-02T10:00:00Z", 6, ("malformed feed, read anyway: bad",))
    assert latest.latest("d") is None
    # The run's own summary is still of the latest run only.
    assert commit_message(latest) == "archive: 0 new, 0 updated"


def test_a_damaged_earlier_result_is_named(tmp_path):
    (tmp_path / ".fetch-report.json").write_text(json.dumps(
        {"finished": "2026-01-01T00:00:00Z", "feeds": [],
         "earlier": [{"finished": "2026-01-01T00:00:00Z", "feed": {"feed": "a", "source": "s", "status": 200}}]}))
    with pytest.raises(ReportError, match=r"\.fetch-report\.json: earlier\[0\]\.status is 200, of the wrong type"):
        load_report(tmp_path)

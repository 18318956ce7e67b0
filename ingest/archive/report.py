"""The latest fetch's report: what each feed gave, kept beside the archive but never committed.

`fetch` writes it; the build reads it for the Sources page; `resilience-kb
report` prints it for a CI job summary or an archive commit message. It is
git-ignored, so a run that brings nothing new commits nothing, and yet the
site built in the same job shows the result of that run.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass
from pathlib import Path

from ingest.archive.collect import FeedReport, collect_feeds, collect_source, utc_now
from ingest.archive.store import Archive
from ingest.atomic import dump_json, write_atomic
from ingest.sources import FeedSource, FetchOptions
from ingest.errors import KBError, WriteError
from ingest.text import one_line

REPORT_NAME = ".fetch-report.json"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FetchRun:
    finished: str  # ISO 8601 UTC
    feeds: tuple[FeedReport, ...]
    # Each other feed's result in the latest earlier run that fetched it: (when that run finished, its report).
    # A `fetch --feed` run fetches one feed; the Sources page still knows when each of the others was fetched.
    earlier: tuple[tuple[str, FeedReport], ...] = ()

    @property
    def new(self) -> int:
        return sum(r.new for r in self.feeds)

    @property
    def updated(self) -> int:
        return sum(r.updated for r in self.feeds)

    @property
    def failed(self) -> list[FeedReport]:
        return [r for r in self.feeds if r.failed]

    def feed(self, name: str) -> FeedReport | None:
        return next((r for r in self.feeds if r.feed == name), None)

    def latest(self, name: str) -> tuple[str, FeedReport] | None:
        """When the feed was last fetched, and what that gave: in this run, else in the latest earlier one."""
        result = self.feed(name)
        if result is not None:
            return self.finished, result
        return next(((when, r) for when, r in self.earlier if r.feed == name), None)


def write_report(archive_root: Path, run: FetchRun) -> None:
    """Write the run's report, keeping each other feed's latest result from the report it replaces.

    Every text in it is one inert line (`report --json` prints it as it is).
    """
    before = read_report(archive_root)
    if before is not None:
        fetched = {r.feed for r in run.feeds}
        kept: dict[str, tuple[str, FeedReport]] = {}
        for when, result in [(before.finished, r) for r in before.feeds] + list(before.earlier):
            if result.feed not in fetched and result.feed not in kept:
                kept[result.feed] = (when, result)
        run = FetchRun(run.finished, run.feeds, tuple(kept.values()))
    data = {"finished": run.finished, "feeds": [_inert(asdict(r)) for r in run.feeds],
            "earlier": [{"finished": when, "feed": _inert(asdict(r))} for when, r in run.earlier]}
    archive_root.mkdir(parents=True, exist_ok=True)
    write_atomic(archive_root / REPORT_NAME, dump_json(data))


def fetch_and_report(archive_dir: Path, feeds: list[FeedSource], options: FetchOptions, *,
                     source: str | None = None, name: str | None = None) -> list[FeedReport]:
    """Fetch the configured feeds (or the one `source`) into the archive and keep the run's report beside it."""
    archive = Archive(archive_dir)
    if source:
        reports = [collect_source(archive, source, feeds, options, name=name)]
    else:
        reports = collect_feeds(archive, feeds, options)
    try:
        write_report(archive.root, FetchRun(finished=utc_now(), feeds=tuple(reports)))
    except OSError as e:
        raise WriteError(f"the fetch report in {archive.root}", e) from None
    return reports


def summary_lines(reports: list[FeedReport]) -> list[str]:
    """One line per feed, and a total when there are several: the end of a fetch."""
    lines = [report.summary() for report in reports]
    if len(reports) > 1:
        totals = {k: sum(getattr(r, k) for r in reports) for k in ("new", "updated", "unchanged")}
        failed = sum(1 for r in reports if r.failed)
        lines.append(f"total: {len(reports)} feeds, {totals['new']} new, {totals['updated']} updated, "
                     f"{totals['unchanged']} unchanged, {failed} failed")
    return lines


def report_json(archive_root: Path) -> str:
    """The latest run's report file as it is; an error if there is none."""
    if read_report(archive_root) is None:
        raise KBError(f"no fetch report in {archive_root}")
    return (archive_root / REPORT_NAME).read_text(encoding="utf-8")


class ReportError(KBError):
    """The fetch report cannot be read; the message names the file and what is wrong."""


def read_report(archive_root: Path) -> FetchRun | None:
    """The latest run's report, or None if there is none (or it cannot be read: it is only a report)."""
    try:
        return load_report(archive_root)
    except ReportError as e:
        log.info("resilience-kb: ignoring %s", e)
        return None


def load_report(archive_root: Path) -> FetchRun | None:
    """The latest run's report, None if there is none; ReportError names the file if it is damaged."""
    path = archive_root / REPORT_NAME
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not isinstance(data.get("feeds"), list):
            raise TypeError("expected an object with a list 'feeds'")
        feeds = tuple(_feed_report(i, r) for i, r in enumerate(data["feeds"]))
        return FetchRun(finished=str(data["finished"]), feeds=feeds, earlier=_earlier(data.get("earlier", [])))
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise ReportError(f"the fetch report {path}: {e}; the next fetch rewrites it (or delete it)") from None


_REPORT_TYPES = {"feed": str, "source": str, "status": str, "new": int, "updated": int, "unchanged": int,
                 "error": (str, type(None)), "moved_to": (str, type(None)), "warnings": list}


def _feed_report(index: int, data: object, where: str = "feeds") -> FeedReport:
    if not isinstance(data, dict):
        raise TypeError(f"{where}[{index}] should be an object")
    for key, kind in _REPORT_TYPES.items():
        value = data.get(key, [] if key == "warnings" else None)
        if isinstance(value, bool) or not isinstance(value, kind):
            raise TypeError(f"{where}[{index}].{key} is {value!r}, of the wrong type")
    unknown = set(data) - set(_REPORT_TYPES)
    if unknown:
        raise TypeError(f"{where}[{index}] has unknown key {sorted(unknown)[0]!r}")
    return FeedReport(**{**data, "warnings": tuple(str(w) for w in data.get("warnings", []))})


def _earlier(data: object) -> tuple[tuple[str, FeedReport], ...]:
    if not isinstance(data, list):
        raise TypeError("'earlier' should be a list")
    found = []
    for index, item in enumerate(data):
        if not isinstance(item, dict) or not isinstance(item.get("finished"), str):
            raise TypeError(f"earlier[{index}] should be an object with 'finished' and 'feed'")
        found.append((item["finished"], _feed_report(index, item.get("feed"), "earlier")))
    return tuple(found)


def _inert(data: dict) -> dict:
    return {key: [one_line(w) for w in value] if key == "warnings" else one_line(value) if isinstance(value, str)
            else value for key, value in data.items()}


def summary_markdown(run: FetchRun | None) -> str:
    """A Markdown table for a CI job summary."""
    if run is None:
        return "No fetch report: `resilience-kb fetch` has not run on this archive.\n"
    lines = [
        f"### Feeds fetched at {run.finished}",
        "",
        "| Feed | Status | New | Updated | Unchanged | Problem |",
        "|---|---|---:|---:|---:|---|",
    ]
    for r in run.feeds:
        problem = r.error or "; ".join(r.warnings) or ""
        mark = "❌ error" if r.failed else r.status
        lines.append(f"| {_cell(r.feed)} | {mark} | {r.new} | {r.updated} | {r.unchanged} | {_cell(problem)} |")
    lines += ["", f"{run.new} new, {run.updated} updated, {len(run.failed)} of {len(run.feeds)} feeds failed.", ""]
    return "\n".join(lines)


def commit_message(run: FetchRun | None) -> str:
    """'archive: 2 new, 1 updated (adhorn: 2 new; other: 1 updated)'."""
    if run is None:
        return "archive: update"
    parts = [f"{r.feed}: " + ", ".join(f"{n} {what}" for n, what in ((r.new, "new"), (r.updated, "updated")) if n)
             for r in run.feeds if r.new or r.updated]
    return f"archive: {run.new} new, {run.updated} updated" + (f" ({'; '.join(parts)})" if parts else "")


def _cell(text: str) -> str:
    """Text for a table cell of the CI job summary: one line, no table, HTML or command syntax from it."""
    return one_line(" ".join(text.split())).replace("|", "\\|").replace("<", "&lt;")

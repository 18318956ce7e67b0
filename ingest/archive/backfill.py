"""Backfill: walk a feed's older pages and file the entries the archive does not have yet.

A feed shows only its newest items. Sites page the rest in one of three ways,
each a "scheme" here:

    rfc5005    RFC 5005 links in the feed: `next` (paged feeds) or `prev-archive` (archived feeds)
    wordpress  `?paged=N` on the feed's URL, when the feed's generator is WordPress
    forem      the public articles API of DEV and other Forem sites (forem.py)

The walk is bounded and polite: at most `max_pages` pages a run, a delay
between requests, the same fetch (caps, timeouts, User-Agent) and parser
(hostile-input defences) as `fetch`. It stops at the end of the pages, at the
first page that brings nothing new, at an error, at a page it has seen before
or that leads to another host, and at the page limit. Each page is filed as
one atomic batch together with where the walk goes next, so an error or a kill
keeps what was filed before it, and the next run resumes where this one
stopped. A backfill only adds entries: what the feed brought is never replaced.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from ingest.archive import forem
from ingest.archive.collect import fallback_key, utc_now
from ingest.archive.feeds import EmptyFeed, FeedError, ParsedFeed, entry_key, parse_feed_within
from ingest.archive.fetch import ACCEPT, FetchError, FetchResult, fetch_url
from ingest.archive.paging import forem_first, older_link, page_id, page_number, refusal, same_host, shown, with_query
from ingest.archive.store import Archive, ArchiveError, ArchiveLocked, Batch
from ingest.sources import FeedSource, FetchOptions
from ingest.errors import UsageError
from ingest.text import one_line

log = logging.getLogger(__name__)

MAX_PAGES = 50


@dataclass(frozen=True)
class BackfillOptions:
    fetch: FetchOptions = field(default_factory=FetchOptions)
    max_pages: int = MAX_PAGES
    delay: float = 1.0  # seconds between two requests


@dataclass(frozen=True)
class BackfillReport:
    """The outcome of one feed's backfill."""

    feed: str
    scheme: str  # "rfc5005", "wordpress", "forem", or "none"
    pages: int = 0  # older pages read that held entries
    new: int = 0
    known: int = 0  # entries of those pages already in the archive
    stopped: str = "end"  # "end", "no new entry", "page limit", "entry limit", "error", or "none"
    error: str | None = None
    warnings: tuple[str, ...] = ()
    resume_at: str | None = None  # the page the next run starts at

    @property
    def failed(self) -> bool:
        return self.error is not None

    def summary(self) -> str:
        """One line for the end of a run (what the server sent in it escaped: see `one_line`)."""
        return one_line(self._summary())

    def _summary(self) -> str:
        if self.failed and self.scheme == "none":
            return f"{self.feed}: error, {self.error}"
        if self.scheme == "none":
            return (f"{self.feed}: none, no paging scheme found (if the site has one, set paging: rfc5005, "
                    f"wordpress or forem for this feed in mkdocs.yml)")
        counts = f"{self.pages} {'page' if self.pages == 1 else 'pages'}, {self.new} new, {self.known} already archived"
        if self.failed:
            resume = " (the next run resumes there)" if self.resume_at else ""
            return f"{self.feed}: {self.scheme}, error after {counts}: {self.error}{resume}"
        ending = {
            "end": "reached the oldest page",
            "no new entry": "stopped at a page with no new entry",
            "page limit": f"stopped at the page limit; the next run resumes at {shown(self.resume_at or '')}",
            "entry limit": f"stopped at max_entries_per_run new entries; the next run resumes at "
                           f"{shown(self.resume_at or '')}",
        }.get(self.stopped, self.stopped)
        return f"{self.feed}: {self.scheme}, {counts}, {ending}"


@dataclass(frozen=True)
class Page:
    """One older page: its entries (key, entry), the URL of the page after it, and what to warn about."""

    entries: tuple[tuple[str, dict], ...]
    next: str | None
    known: int = 0  # entries skipped before reading them (Forem: archived, so the body is not fetched)
    warnings: tuple[str, ...] = ()
    unread: int = 0  # articles the page lists that could not be read (Forem: answered 404 or 410)


class Walk:
    """The requests of one feed's backfill: spaced by the delay, through the one fetch function."""

    def __init__(self, options: BackfillOptions, sleep: Callable[[float], None] = time.sleep) -> None:
        self.options = options
        self.sleep = sleep
        self.last: float | None = None

    def get(self, url: str, accept: str = ACCEPT) -> FetchResult:
        if self.last is not None and self.options.delay:
            self.sleep(max(0.0, self.options.delay - (time.monotonic() - self.last)))
        try:
            fetch = self.options.fetch
            return fetch_url(url, timeout=fetch.timeout, max_bytes=fetch.max_bytes, deadline=fetch.deadline,
                             allow_private=fetch.allow_private, allow_private_proxy=fetch.allow_private_proxy,
                             accept=accept)
        finally:
            self.last = time.monotonic()

    def feed(self, url: str) -> ParsedFeed:
        response = self.get(url)
        return parse_feed_within(self.options.fetch.parse_deadline, response.body, base_url=response.url,
                                 content_type=response.content_type)


def backfill_named(archive_dir: Path, feeds: list[FeedSource], names: list[str],
                   options: BackfillOptions) -> list[BackfillReport]:
    """Backfill the configured feeds called `names` (all of them when none is named)."""
    known = {feed.name for feed in feeds}
    unknown = [name for name in names if name not in known]
    if unknown:
        raise UsageError(f"no feed named {unknown[0]!r} in mkdocs.yml (configured: {', '.join(sorted(known))})")
    return backfill_feeds(Archive(archive_dir), [f for f in feeds if f.name in names] if names else feeds, options)


def summary_lines(reports: list[BackfillReport]) -> list[str]:
    """One line per feed, and a total when there are several: the end of a backfill."""
    lines = [report.summary() for report in reports]
    if len(reports) > 1:
        failed = sum(1 for r in reports if r.failed)
        lines.append(f"total: {len(reports)} feeds, {sum(r.new for r in reports)} new from "
                     f"{sum(r.pages for r in reports)} older pages, {failed} failed")
    return lines


def backfill_feeds(archive: Archive, feeds: list[FeedSource], options: BackfillOptions,
                   now: str | None = None) -> list[BackfillReport]:
    """Backfill every feed given, one report each, holding the archive's lock."""
    now = now or utc_now()
    with archive.lock():
        return [_guarded(archive, feed, options, now) for feed in feeds]


def _guarded(archive: Archive, feed: FeedSource, options: BackfillOptions, now: str) -> BackfillReport:
    """One feed's backfill; a bug in it is that feed's failure, not the end of the run.

    What it filed before stays: each page is its own atomic batch.
    """
    try:
        return backfill_feed(archive, feed, options, now)
    except ArchiveLocked:
        raise
    except Exception as e:  # noqa: BLE001 (one feed's bug must not stop the feeds after it)
        log.debug("feed %s: unexpected error", feed.name, exc_info=True)
        error = (f"unexpected {type(e).__name__}: {' '.join(str(e).split())[:200]} (this is a bug in "
                 f"resilience-kb: please report it with the output of `resilience-kb -v backfill {feed.name}`)")
        return _report(feed, "none" if feed.paging == "auto" else feed.paging, _Progress(error=error))


def backfill_feed(archive: Archive, feed: FeedSource, options: BackfillOptions, now: str,
                  walk: Walk | None = None) -> BackfillReport:
    """Walk one feed's older pages and file what is missing."""
    walk = walk or Walk(options)
    try:
        scheme, first = plan(feed, walk)
    except (FetchError, FeedError) as e:
        return _report(feed, "none" if feed.paging == "auto" else feed.paging, _Progress(error=str(e)))
    if scheme == "none":
        log.info("feed %s: no paging scheme found", feed.name)
        return BackfillReport(feed.name, "none", stopped="none")
    state = archive.feed_state(feed.name)
    resuming = bool(state.backfill_next and state.url == feed.url and same_host(state.backfill_next, feed.url))
    # On a first backfill the newest pages hold what the feed already brought: go on past them.
    progress = _Progress(passing_head=state.backfill_done is None and not resuming,
                         resume_at=state.backfill_next if resuming else first)
    if progress.resume_at is None:
        progress.warnings.append("the feed links to no older page (no RFC 5005 next or prev-archive link)")
    _walk(archive, feed, scheme, walk, options, now, progress)
    if progress.error is None and progress.stopped not in ("page limit", "entry limit"):
        try:
            _finish(archive, feed.name, now)
        except ArchiveError as e:
            progress.error = str(e)
    return _report(feed, scheme, progress)


@dataclass
class _Progress:
    """Where one feed's walk is, and what it has done so far."""

    passing_head: bool = False
    resume_at: str | None = None  # the page to read next
    pages: int = 0
    new: int = 0
    known: int = 0
    stopped: str = "end"
    error: str | None = None
    warnings: list[str] = field(default_factory=list)


def _walk(archive: Archive, feed: FeedSource, scheme: str, walk: Walk, options: BackfillOptions, now: str,
          progress: _Progress) -> None:
    """Read and file page after page until a reason to stop; `progress` says which and how far it went."""
    read = _reader(scheme, feed, archive)
    seen_urls: set[str] = set()
    seen_pages: set[tuple[str, ...]] = set()
    while (url := progress.resume_at) is not None:
        if progress.pages >= options.max_pages:
            progress.stopped = "page limit"
            return
        refused = refusal(url, feed.url, seen_urls)
        if refused:
            progress.warnings.append(refused)
            progress.stopped, progress.resume_at = refused, None
            return
        seen_urls.add(page_id(url))
        try:
            page = read(url, walk)
        except (FetchError, FeedError, forem.ForemError) as e:
            progress.stopped, progress.error = "error", f"page {shown(url)}: {e}"
            return
        keys = tuple(key for key, _ in page.entries)
        progress.warnings += page.warnings
        if keys and keys in seen_pages:
            progress.stopped = f"page {shown(url)} repeats an earlier page; stopped there"
            progress.warnings.append(progress.stopped)
            return
        seen_pages.add(keys)
        if not page.entries and not page.known:
            if page.unread:  # a page of articles that all failed is no end: a passing outage must not lose the rest
                progress.stopped, progress.error = "error", (
                    f"page {shown(url)}: every article it lists ({page.unread}) answered 404 or 410, a passing "
                    f"outage or a purge; the backfill is not done, the next run tries this page again")
            return  # else an empty page (or WordPress's 404): past the oldest one
        budget = options.fetch.max_entries - progress.new  # new entries this run may still file
        try:
            new, known = _file(archive, feed, scheme, page, now, url, budget)
        except ArchiveError as e:
            progress.stopped, progress.error = "error", str(e)
            return
        if new >= budget and len(page.entries) > new + known:  # the rest of this page waits for the next run
            progress.pages, progress.new = progress.pages + 1, progress.new + new
            progress.known += known + page.known
            progress.stopped, progress.resume_at = "entry limit", url
            return
        progress.pages, progress.new, progress.known = progress.pages + 1, progress.new + new, \
            progress.known + known + page.known
        progress.resume_at = page.next
        if new:
            progress.passing_head = False
        elif not progress.passing_head:
            progress.stopped = "no new entry"
            return


def plan(feed: FeedSource, walk: Walk) -> tuple[str, str | None]:
    """The feed's paging scheme and the URL of its first older page (None: it has none)."""
    if feed.paging == "none":
        return "none", None
    if feed.paging == "forem":
        return "forem", forem_first(feed)
    if feed.paging == "wordpress":
        return "wordpress", with_query(feed.url, paged=2)
    parsed = walk.feed(feed.url)
    older = older_link(parsed)
    if feed.paging == "rfc5005" or older:
        return "rfc5005", older
    if parsed.generator and "wordpress" in parsed.generator.lower():
        return "wordpress", with_query(feed.url, paged=2)
    if forem.looks_like_forem(feed.url, parsed.link):
        return "forem", forem_first(feed)
    return "none", None


def _reader(scheme: str, feed: FeedSource, archive: Archive) -> Callable[[str, Walk], Page]:
    def read_feed_page(url: str, walk: Walk) -> Page:
        try:
            parsed = walk.feed(url)
        except EmptyFeed:
            return Page((), None)
        except FetchError as e:
            if scheme == "wordpress" and e.status == 404:  # WordPress's answer past the last page
                return Page((), None)
            raise
        warnings = (f"page {shown(url)} is malformed, read anyway: {parsed.problem}",) if parsed.problem else ()
        warnings += tuple(f"page {shown(url)}: {repair}" for repair in parsed.repairs())
        entries = tuple((entry_key(entry) or fallback_key(entry), entry) for entry in parsed.entries)
        following = older_link(parsed) if scheme == "rfc5005" else with_query(url, paged=page_number(url, "paged") + 1)
        return Page(entries, following, warnings=warnings)

    def read_forem_page(url: str, walk: Walk) -> Page:
        listed, skipped, moved = forem.parse_list(walk.get(url, accept=forem.ACCEPT).body, feed.url)
        full = len(listed) + skipped >= forem.PER_PAGE
        over = len(listed) - forem.PER_PAGE
        listed = listed[:forem.PER_PAGE]  # one request per article: a page never asks for more than it should
        entries, known, gone = [], 0, []
        for item in listed:
            if _archived(archive, item.url, feed):
                known += 1
                continue
            try:
                body = walk.get(forem.article_url(feed.url, item.id), accept=forem.ACCEPT).body
            except FetchError as e:
                if e.status not in (404, 410):
                    raise
                gone.append(str(item.id))  # unpublished since the list was made: every run would stop here
                continue
            entries.append((item.url, forem.parse_article(body, item)))
        warnings = tuple(text for count, text in (
            (gone, f"page {url}: articles {', '.join(gone)} are listed but not found (unpublished?); skipped"),
            (skipped, f"page {url}: {skipped} items without a numeric id or an http(s) url were skipped"),
            (moved, f"page {url}: {moved} articles name an address on another site; linked on this site instead"),
            (over > 0, f"page {url} lists {over} articles more than the {forem.PER_PAGE} asked for; they were left"),
        ) if count)
        following = with_query(url, page=page_number(url, "page") + 1) if full else None
        return Page(tuple(entries), following, known=known, warnings=warnings, unread=len(gone))

    return read_forem_page if scheme == "forem" else read_feed_page


def _file(archive: Archive, feed: FeedSource, scheme: str, page: Page, now: str, url: str,
          budget: int) -> tuple[int, int]:
    """File one page's entries (at most `budget` new) and where the walk goes next, in one atomic batch.

    A page filed only in part is where the next run resumes.
    """
    new = known = 0
    with archive.batch() as batch:
        for key, entry in page.entries:
            if new >= budget:
                break
            change, _ = batch.store(entry, key=key, feed=feed.name, now=now, backfill=scheme, feed_url=feed.url)
            if change == "new":
                new += 1
            else:
                known += 1
        state = archive.feed_state(feed.name)
        whole = new + known == len(page.entries)
        batch.save_feed_state(replace(state, url=state.url or feed.url, backfill_next=page.next if whole else url))
    return new, known


def _finish(archive: Archive, name: str, now: str) -> None:
    """The walk reached its end: no page to resume at; the first completion's time is kept."""
    state = archive.feed_state(name)
    with archive.batch() as batch:
        batch.save_feed_state(replace(state, backfill_next=None, backfill_done=state.backfill_done or now))


def _report(feed: FeedSource, scheme: str, progress: _Progress) -> BackfillReport:
    if progress.error:
        log.error("feed %s: backfill stopped: %s", feed.name, progress.error)
    for warning in progress.warnings:
        log.warning("feed %s: %s", feed.name, warning)
    stopped = progress.stopped
    return BackfillReport(
        feed.name, scheme, pages=progress.pages, new=progress.new, known=progress.known, stopped=stopped,
        error=progress.error, warnings=tuple(progress.warnings),
        resume_at=progress.resume_at if stopped in ("error", "page limit", "entry limit") else None,
    )


def _archived(archive: Archive, key: str, feed: FeedSource) -> bool:
    return Batch(archive).has(key, feed.name, feed.url)  # a look only: nothing is staged, nothing is written

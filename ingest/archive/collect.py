"""Collect feeds into the archive: fetch, parse, store, and report per feed.

One feed's failure never stops the others and never touches the archive: a
feed's entries and state are staged and applied together, or not at all.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from ingest.archive.ids import identity
from ingest.archive.store import Archive, ArchiveError, ArchiveLocked
from ingest.sources import FEED_NAME, FeedSource, FetchOptions
from ingest.archive.feeds import FeedError, ParsedFeed, entry_key, parse_feed_within
from ingest.text import one_line, slugify
from ingest.archive.fetch import FetchError, FetchResult, fetch_url, read_file

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FeedReport:
    """The outcome of collecting one feed."""

    feed: str
    source: str
    status: str  # the HTTP status ("200", "304"), "file" for a local file, or "error"
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    error: str | None = None
    warnings: tuple[str, ...] = field(default_factory=tuple)
    moved_to: str | None = None

    @property
    def failed(self) -> bool:
        return self.status == "error"

    def summary(self) -> str:
        """One line for the end of a run (what the server sent in it escaped: see `one_line`)."""
        if self.failed:
            return one_line(f"{self.feed}: error, {self.error}")
        counts = f"{self.new} new, {self.updated} updated, {self.unchanged} unchanged"
        moved = f" (moved permanently to {self.moved_to}: update mkdocs.yml)" if self.moved_to else ""
        return one_line(f"{self.feed}: {self.status}, {counts}{moved}")


def collect_feeds(archive: Archive, feeds: list[FeedSource], options: FetchOptions,
                  now: str | None = None) -> list[FeedReport]:
    """Fetch every configured feed into the archive, one report each."""
    now = now or utc_now()
    reports = []
    with archive.lock():
        for feed in feeds:
            reports.append(_guarded(feed.name, feed.url, lambda: _collect_url(archive, feed, options, now)))
    return reports


def _guarded(name: str, source: str, collect) -> FeedReport:
    """Run one feed's collection; whatever it raises becomes that feed's failure, never the run's end.

    The feed's writes are staged and applied together, so a failure leaves the archive as it was.
    """
    try:
        return collect()
    except ArchiveLocked:
        raise
    except Exception as e:  # noqa: BLE001 (one feed's bug must not stop the feeds after it)
        log.debug("feed %s: unexpected error", name, exc_info=True)
        return _failure(name, source, FetchError(
            f"unexpected {type(e).__name__}: {' '.join(str(e).split())[:200]} (nothing stored; "
            f"this is a bug in resilience-kb: please report it with the output of `resilience-kb -v fetch`)"))


def collect_source(archive: Archive, source: str, configured: list[FeedSource], options: FetchOptions,
                   name: str | None = None, now: str | None = None) -> FeedReport:
    """Ingest one feed given on the command line: a local path or an http(s) URL."""
    now = now or utc_now()
    source = source.strip()  # a pasted URL's leading space must not make it a local path
    with archive.lock():
        return _guarded(name or _name_from_source(source), source,
                        lambda: _collect_one(archive, source, configured, options, name, now))


def _collect_one(archive: Archive, source: str, configured: list[FeedSource], options: FetchOptions,
                 name: str | None, now: str) -> FeedReport:
    match = next((f for f in configured if f.url == source), None)
    if match is not None:
        return _collect_url(archive, FeedSource(name or match.name, match.url), options, now)
    scheme = urlsplit(source).scheme.lower() if "://" in source else ""
    if scheme not in ("", "http", "https", "file"):
        return _failure(name or _name_from_source(source), source, FetchError(
            f"{scheme}:// is not supported: give an http(s) URL or the path of a local file"))
    if scheme in ("http", "https"):
        try:
            response = fetch_url(source, timeout=options.timeout, max_bytes=options.max_bytes,
                                 deadline=options.deadline, allow_private=options.allow_private,
                                 allow_private_proxy=options.allow_private_proxy)
        except FetchError as e:
            return _failure(name or _name_from_source(source), source, e)
    else:
        path = Path(source[len("file://"):] if scheme == "file" else source)
        try:
            response = read_file(path, max_bytes=options.max_bytes, deadline=options.deadline)
        except FetchError as e:
            return _failure(name or _name_from_source(source), source, e)
    try:
        parsed = parse_feed_within(options.parse_deadline, response.body, base_url=_base_url(response),
                                   content_type=response.content_type)
    except FeedError as e:
        return _failure(name or _name_from_source(source), source, e)
    feed_name = name or _name_for(parsed, source, configured)
    # A feed filed under a configured name by --name keeps that feed's URL; any other keeps its own.
    url = next((f.url for f in configured if f.name == feed_name), parsed.self_url)
    report = _store(archive, FeedSource(feed_name, url or ""), response, parsed, now, options, keep_validators=True)
    return replace(report, source=source)  # what was given: the report says where the entries came from


def _collect_url(archive: Archive, feed: FeedSource, options: FetchOptions, now: str) -> FeedReport:
    state = archive.feed_state(feed.name)
    try:
        response = fetch_url(
            feed.url,
            etag=state.etag if state.url == feed.url else None,
            last_modified=state.last_modified if state.url == feed.url else None,
            timeout=options.timeout,
            max_bytes=options.max_bytes,
            deadline=options.deadline,
            allow_private=options.allow_private,
            allow_private_proxy=options.allow_private_proxy,
        )
        if response.status == 304:
            return FeedReport(feed.name, feed.url, "304", moved_to=response.moved_to)
        parsed = parse_feed_within(options.parse_deadline, response.body, base_url=response.url,
                                   content_type=response.content_type)
    except (FetchError, FeedError) as e:
        return _failure(feed.name, feed.url, e)
    return _store(archive, feed, response, parsed, now, options, keep_validators=False)


def _store(archive: Archive, feed: FeedSource, response: FetchResult, parsed: ParsedFeed, now: str,
           options: FetchOptions, keep_validators: bool) -> FeedReport:
    """Stage the entries (at most `options.max_entries` new or changed) and the feed's state, then apply them
    together."""
    counts = {"new": 0, "updated": 0, "unchanged": 0}
    warnings = []
    if parsed.doctype_removed:
        warnings.append("its DOCTYPE was removed before parsing; entities it declared are not expanded")
    if parsed.problem:
        warnings.append(f"malformed feed, read anyway: {parsed.problem}")
    warnings += parsed.repairs()
    keyed, without_key, duplicates = _keyed(parsed.entries)
    before = archive.feed_state(feed.name)
    if before.link and parsed.link and _site(before.link) != _site(parsed.link):
        warnings.append(f"it now describes another site ({parsed.link}, was {before.link}): check that its "
                        f"URL still leads to the feed you meant; its entries were archived beside the old ones")
    left = 0
    try:
        with archive.batch() as batch:
            for position, (key, entry) in enumerate(keyed):
                if counts["new"] + counts["updated"] >= options.max_entries:
                    left = len(keyed) - position
                    break
                change, _ = batch.store(entry, key=key, feed=feed.name, now=now, feed_url=feed.url or None)
                counts[change] += 1
            # With entries left for the next run, no validator is kept: the next request gets the whole feed.
            batch.save_feed_state(replace(  # replace: a backfill's place in the older pages is kept
                before,
                url=feed.url or before.url,
                title=parsed.title,
                link=parsed.link,
                etag=None if left else before.etag if keep_validators else response.etag,
                last_modified=None if left else before.last_modified if keep_validators else response.last_modified,
                language=parsed.language,
                author=parsed.author,
            ))
    except ArchiveError as e:
        return _failure(feed.name, feed.url, e)
    if without_key:
        warnings.append(f"{without_key} entries have no guid or link; keyed by title and date instead")
    if duplicates:
        warnings.append(f"{duplicates} entries repeat a guid seen earlier in the feed; kept the first")
    if left:
        warnings.append(f"{options.max_entries:,} new or changed entries stored, the newest first; the other "
                        f"{left:,} are left for the next run (max_entries_per_run in mkdocs.yml)")
    if response.moved_to:
        warnings.append(f"permanently redirected to {response.moved_to}: update the feed's url in mkdocs.yml")
    for warning in warnings:
        log.warning("feed %s: %s", feed.name, warning)
    status = str(response.status) if response.url.startswith(("http://", "https://")) else "file"
    return FeedReport(feed.name, feed.url, status, warnings=tuple(warnings),
                      moved_to=response.moved_to, **counts)


def _keyed(entries: list[dict]) -> tuple[list[tuple[str, dict]], int, int]:
    """The entries with their keys, each key once (the first kept), the newest first; and how many had
    no key and how many repeated one. Undated entries follow the dated ones, in the feed's order."""
    seen: set[str] = set()
    keyed = []
    without_key = 0
    for entry in entries:
        key = entry_key(entry)
        if key is None:
            key = fallback_key(entry)
            without_key += 1
        if identity(key) not in seen:
            seen.add(identity(key))
            keyed.append((key, entry))
    keyed.sort(key=lambda pair: _published(pair[1]), reverse=True)  # stable: ties keep the feed's order
    return keyed, without_key, len(entries) - len(keyed)


def _published(entry: dict) -> str:
    for name in ("published_parsed", "updated_parsed", "created_parsed"):
        if isinstance(entry.get(name), str):
            return entry[name]
    return ""


def _site(link: str) -> str:
    """A site's identity for comparing a feed's link over time: host without www, path without slash."""
    parts = urlsplit(link.strip().lower())
    return f"{(parts.hostname or '').removeprefix('www.')}{parts.path.rstrip('/')}"


def _failure(name: str, source: str, error: Exception) -> FeedReport:
    log.error("feed %s (%s): %s", name, source, error)
    return FeedReport(name, source, "error", error=str(error))


def _name_for(parsed: ParsedFeed, source: str, configured: list[FeedSource]) -> str:
    """A configured feed's name when the file is a copy of it (same self link), else a slug.

    A slug that happens to be a configured feed's name (a title alike) gets a suffix: only the
    self link says that a file is that feed, so its entries are not filed under it.
    """
    for feed in configured:
        if parsed.self_url and parsed.self_url == feed.url:
            return feed.name
    name = _name_from_source(source, parsed.title)
    taken = {feed.name for feed in configured}
    if name in taken:
        name = next(f"{name[:56]}-local{n or ''}" for n in range(len(taken) + 1)
                    if f"{name[:56]}-local{n or ''}" not in taken)
    return name


def _name_from_source(source: str, title: str | None = None) -> str:
    """A feed name from the feed's title, else from the file or URL it came from."""
    for text in (title, Path(source.rstrip("/")).stem, source):
        name = slugify(text or "")[:64].strip("-")
        if name and FEED_NAME.fullmatch(name):
            return name
    return "feed"


def _base_url(response: FetchResult) -> str | None:
    # A local file has no meaningful base: relative links stay relative and are
    # resolved against each entry's own link when the page is built.
    return response.url if response.url.startswith(("http://", "https://")) else None


def fallback_key(entry: dict) -> str:
    """A key for an entry with neither guid nor link: a hash of its title, dates and summary."""
    basis = "\n".join(str(entry.get(k) or "") for k in ("title", "published", "updated", "summary"))
    return "urn:resilience-kb:" + hashlib.sha256(basis.encode("utf-8")).hexdigest()


def utc_now() -> str:
    """The current time as an ISO 8601 UTC timestamp, to the second."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

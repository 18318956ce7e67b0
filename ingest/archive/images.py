"""Copy the images the archived articles show into the media store (media.py), within caps and budgets.

Run after a fetch or a backfill (for the entries it brought) and by `resilience-kb
images` (for every entry). Each image is downloaded as a feed is (fetch.py: the
network policy, redirects, timeouts and a deadline), capped in bytes, and kept only
when its first bytes are a PNG, JPEG, GIF, WebP or AVIF image (imagetypes.py). A
feed and a run have budgets of bytes and a run one of time; what they leave out
waits for the next run. A failed image is one line naming the feed, the URL and the
cause; it fails neither the fetch nor anything else, and the entries are only read.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Collection

from ingest.archive.fetch import FetchError, fetch_url
from ingest.archive.imagetypes import NotAnImage, sniff_image
from ingest.archive.media import MediaIndex, MediaStore, media_key
from ingest.archive.records import EntryRecord
from ingest.archive.store import Archive
from ingest.sources import FetchOptions, ImageOptions
from ingest.text import is_http_url, one_line

log = logging.getLogger(__name__)

ImagesOf = Callable[[EntryRecord], "list[str]"]  # the URLs of the images an entry's page shows, as its page names them
ACCEPT = "image/avif, image/webp, image/png, image/jpeg, image/gif, */*;q=0.1"
SAVE_EVERY = 50  # images downloaded between two writes of the index
MAX_URL = 2000  # characters: a longer "URL" (a data: URI, say) is no image to download


@dataclass
class ImageReport:
    """What one feed's images came to in a run."""

    feed: str
    kept: int = 0  # downloaded and stored by this run
    known: int = 0  # stored by an earlier run (or earlier in this one)
    failed: int = 0
    left: int = 0  # not tried: a budget was spent; the next run tries them
    bytes: int = 0  # downloaded by this run

    def summary(self) -> str:
        left = f", {self.left} left for the next run" if self.left else ""
        return (f"{self.feed}: images: {self.kept} kept ({self.bytes / 1e6:.1f} MB), {self.known} kept before, "
                f"{self.failed} failed{left}")


@dataclass
class _Budget:
    options: ImageOptions
    ends: float
    run_bytes: int = 0
    feed_bytes: dict[str, int] = field(default_factory=dict)

    def spent(self, feed: str) -> str | None:
        """Which budget is spent, or None while the feed may download another image."""
        if self.run_bytes >= self.options.max_run_bytes:
            return "max_run_bytes"
        if self.feed_bytes.get(feed, 0) >= self.options.max_feed_bytes:
            return "max_feed_bytes"
        if time.monotonic() >= self.ends:
            return "max_seconds"
        return None

    def add(self, feed: str, size: int) -> None:
        self.run_bytes += size
        self.feed_bytes[feed] = self.feed_bytes.get(feed, 0) + size


def fill_images(archive_dir: Path, images_of: ImagesOf, options: ImageOptions, fetch: FetchOptions, *,
                feeds: Collection[str] | None = None, retry: bool = False) -> list[ImageReport]:
    """Download the images of the archived entries (of `feeds`, else all) that the store lacks; one report a feed.

    An entry whose images were all tried is remembered by its content hash and skipped
    next time; `retry` tries again the images that failed for good (a 404, a refused type).
    """
    archive = Archive(archive_dir)
    store = MediaStore(archive.root)
    index = store.read_index()
    found = MediaIndex()
    budget = _Budget(options, time.monotonic() + options.max_seconds)
    reports: dict[str, ImageReport] = {}
    warned: set[tuple[str, str]] = set()
    saved = 0
    try:
        for path in archive.entry_paths():
            record = archive.read_entry(path)
            if feeds is not None and record.feed not in feeds:
                continue
            if not retry and index.entries.get(record.id) == record.content_hash:
                continue
            report = reports.setdefault(record.feed, ImageReport(record.feed))
            if _fill_entry(record, images_of, index, found, store, budget, report, fetch, retry, warned):
                found.entries[record.id] = record.content_hash
            if len(found.images) - saved >= SAVE_EVERY:  # a long run interrupted keeps what it downloaded
                _save(archive, store, found)
                saved = len(found.images)
    finally:
        _save(archive, store, found)
    return [reports[name] for name in sorted(reports)]


def _save(archive: Archive, store: MediaStore, found: MediaIndex) -> None:
    """Merge the run's findings into the index as it is on disk now (another run may have written it)."""
    if found.images or found.failed or found.entries:
        with archive.lock():
            store.write_index(store.read_index().merged(found))


def _fill_entry(record: EntryRecord, images_of: ImagesOf, index: MediaIndex, found: MediaIndex, store: MediaStore,
                budget: _Budget, report: ImageReport, fetch: FetchOptions, retry: bool, warned: set) -> bool:
    """Try the entry's images; whether every one is now kept or failed for good."""
    try:
        urls = images_of(record)
    except Exception as e:  # noqa: BLE001 (an entry the model cannot read has no images to copy; the build says why)
        log.debug("entry %s: images not listed: %s", record.id, e, exc_info=True)
        return False
    complete = True
    for url in dict.fromkeys(media_key(u) for u in urls):
        if len(url) > MAX_URL or not is_http_url(url):
            continue
        if url in index.images or url in found.images:
            report.known += 1
            continue
        if url in found.failed or (url in index.failed and not retry):
            report.failed += 1
            continue
        spent = budget.spent(record.feed)
        if spent:
            report.left += 1
            complete = False
            if (record.feed, spent) not in warned:
                warned.add((record.feed, spent))
                log.warning("feed %s: images: %s spent; the rest wait for the next run", record.feed, spent)
            continue
        complete &= _download(url, record.feed, found, store, budget, report, fetch)
    return complete


def _download(url: str, feed: str, found: MediaIndex, store: MediaStore, budget: _Budget, report: ImageReport,
              fetch: FetchOptions) -> bool:
    """Download one image into the store; whether it is settled (kept, or failed for a reason that will stay)."""
    options = budget.options
    deadline = max(0.5, min(options.image_deadline, fetch.deadline, budget.ends - time.monotonic()))
    try:
        response = fetch_url(url, timeout=min(fetch.timeout, deadline), max_bytes=options.max_image_bytes,
                             deadline=deadline, allow_private=fetch.allow_private,
                             allow_private_proxy=fetch.allow_private_proxy, accept=ACCEPT)
        budget.add(feed, len(response.body))
        report.bytes += len(response.body)
        kind = sniff_image(response.body)
    except (FetchError, NotAnImage) as e:
        report.failed += 1
        log.warning("feed %s: image %s: %s", feed, one_line(url)[:300], e)
        if _lasting(e):
            found.failed[url] = one_line(str(e))[:300]
            return True
        return False
    found.images[url] = store.keep(response.body, kind)
    report.kept += 1
    return True


def _lasting(error: Exception) -> bool:
    """Whether trying again later would fail the same way: not an image, too large, refused, a 4xx."""
    if isinstance(error, NotAnImage):
        return True
    status = getattr(error, "status", None)
    if status is not None:
        return 400 <= status < 500 and status not in (408, 425, 429)
    message = str(error)
    return "limit" in message or "refused" in message or "not an http" in message or "redirected to" in message


def summary_lines(reports: list[ImageReport]) -> list[str]:
    """One line per feed whose images were looked at."""
    return [report.summary() for report in reports if report.kept or report.failed or report.left]

"""The archive: every entry ever seen, one JSON file each, committed to git.

Layout (relative to the archive folder):

    entries/<entry-id>.json   the raw entry as feedparser read it, plus when we
                              first saw it and every content change since
    feeds/<feed-name>.json    what a feed said about itself, and its ETag and
                              Last-Modified for conditional requests

Nothing is ever deleted. Files change only when their content changes, so a
re-run on an unchanged feed leaves `git status` clean. Writes are atomic, and
a lock keeps two runs from writing at once.
"""

from __future__ import annotations

import fcntl
import logging
import os
import stat
import time
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Iterator, Literal

from ingest.archive.ids import (  # noqa: F401  (entry_id: part of the API)
    candidate_ids, entry_id, identity, key_digest, scoped_key,
)
from ingest.archive.records import (  # noqa: F401  (the records are part of the store's API)
    ArchiveError, ArchiveLocked, ArchiveWriteError, EntryRecord, FeedState, Revision, content_hash, read_entry_file,
    read_feed_file, refuse_symlink,
)
from ingest.sources import FEED_NAME
from ingest.atomic import remove_stale_temporaries, sync_folder, write_temporary

Change = Literal["new", "updated", "unchanged"]
log = logging.getLogger(__name__)


class Archive:
    """Reads and writes the archive folder."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.entries_dir = self.root / "entries"
        self.feeds_dir = self.root / "feeds"

    # -- reading ----------------------------------------------------------

    def entry_paths(self) -> list[Path]:
        """The entry files, sorted by id (the way to read a large archive a part at a time)."""
        refuse_symlink(self.entries_dir)
        return sorted(self.entries_dir.glob("*.json")) if self.entries_dir.is_dir() else []

    def feed_states(self) -> dict[str, FeedState]:
        """The stored state of every feed, by name."""
        refuse_symlink(self.feeds_dir)
        if not self.feeds_dir.is_dir():
            return {}
        states = [self._read_feed(path) for path in sorted(self.feeds_dir.glob("*.json"))]
        return {state.name: state for state in states}

    def feed_state(self, name: str) -> FeedState:
        path = self.feeds_dir / f"{name}.json"
        return self._read_feed(path) if path.exists() else FeedState(name=name)

    # -- writing ----------------------------------------------------------

    @contextmanager
    def batch(self) -> Iterator["Batch"]:
        """Stage writes and apply them together at the end; on any error apply none."""
        batch = Batch(self)
        try:
            yield batch
        except BaseException:
            batch.abort()
            raise
        batch.commit()

    @contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the archive's write lock; raise ArchiveLocked at once if another run holds it."""
        if self.root.exists() and not self.root.is_dir():
            raise ArchiveError(f"{self.root} is a file, not an archive folder: give --archive a folder "
                               f"(a new one is created)")
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            for folder in (self.entries_dir, self.feeds_dir):
                refuse_symlink(folder)
            handle = self._open_lock()
        except OSError as e:
            raise ArchiveError(f"cannot open the archive {self.root}: {e.strerror or e}") from None
        with handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.seek(0)
                holder = handle.read().strip() or "unknown"
                raise ArchiveLocked(
                    f"the archive {self.root} is in use by another resilience-kb run "
                    f"(pid {holder}); wait for it to finish and run again"
                ) from None
            handle.seek(0)
            handle.truncate()
            handle.write(str(os.getpid()))
            handle.flush()
            for folder in (self.root, self.entries_dir, self.feeds_dir):  # the root: the fetch report's
                if folder.is_dir() and not folder.is_symlink():
                    removed = remove_stale_temporaries(folder)
                    if removed:
                        log.info("removed %d temporary files a killed run left in %s", removed, folder)
            try:
                yield
            finally:
                handle.seek(0)
                handle.truncate()
                fcntl.flock(handle, fcntl.LOCK_UN)

    @contextmanager
    def reading(self, wait: float = 60) -> Iterator[None]:
        """Hold the lock shared while reading: a fetch that is writing is waited for, at most `wait` s.

        A build must not publish a feed's entries half renamed into place. An archive that
        cannot hold a lock file (a read-only checkout) cannot be written either: it is read as is.
        """
        if self.root.exists() and not self.root.is_dir():
            self.require()
        try:
            handle = self._open_lock()
        except OSError:
            yield
            return
        with handle:
            ends = time.monotonic() + wait
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= ends:
                        handle.seek(0)
                        holder = handle.read().strip() or "unknown"
                        raise ArchiveLocked(
                            f"the archive {self.root} is being written by a resilience-kb fetch (pid {holder}); "
                            f"waited {wait:g} s: run the build again when it has finished") from None
                    time.sleep(0.1)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def require(self) -> None:
        """ArchiveError unless the archive folder exists (an empty site from a mistyped path helps nobody)."""
        if not self.root.exists():
            raise ArchiveError(f"no archive folder at {self.root}: check the path, or fetch a feed into it first")
        if not self.root.is_dir():
            raise ArchiveError(f"{self.root} is a file, not an archive folder: give the archive's folder")

    def _open_lock(self):
        """The lock file, opened without following a symlink: a planted link must not truncate its target."""
        path = self.root / ".lock"
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
        except OSError as e:
            if path.is_symlink():
                raise ArchiveError(f"{path} is a symbolic link; the archive's lock must be a plain file: "
                                   f"delete the link and run again") from None
            raise
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise ArchiveError(f"{path} is not a regular file: delete it and run again")
        return os.fdopen(fd, "r+")

    # -- internals --------------------------------------------------------

    def read_entry(self, path: Path) -> EntryRecord:
        """One entry file as a record; ArchiveError names the file if it is damaged."""
        return read_entry_file(path)

    def _read_feed(self, path: Path) -> FeedState:
        return read_feed_file(path)


class Batch:
    """Writes staged as temporary files, renamed into place together by commit().

    Staging writes the data first, so a full disk fails before any file of the
    archive changes. A run killed during commit leaves every file whole, either
    old or new; the next run finishes the job.
    """

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self._staged: dict[Path, tuple[Path, EntryRecord | None]] = {}
        self._by_digest: dict[str, list[Path]] | None = None  # short key hash -> entry files, read when needed
        self._feed_urls: dict[str, str | None] = {}  # feed name -> the URL its stored state was read from

    def store(self, entry: dict, *, key: str, feed: str, now: str, backfill: str | None = None,
              feed_url: str | None = None) -> tuple[Change, EntryRecord]:
        """Add or update one of `feed`'s entries; write nothing when its content is unchanged.

        An entry belongs to its feed: another feed's entry with the same key is
        another entry, never overwritten. `feed_url` lets a renamed feed (a feed
        state of another name that was read from the same URL) keep its entries.
        A backfill (`backfill` names its scheme) only adds: an older page's copy of
        an entry already archived never replaces what the feed brought.
        """
        title = entry.get("title") if isinstance(entry.get("title"), str) else None
        path, existing = self._slot_for(key, feed, feed_url, title)
        digest = content_hash(entry)
        if existing is None:
            record = EntryRecord(
                id=path.stem, key=identity(key), feed=feed, first_seen=now, updated=None,
                content_hash=digest, revisions=(Revision(now, digest),), entry=entry, backfill=backfill,
            )
            change: Change = "new"
        elif existing.content_hash == digest or backfill is not None:
            return "unchanged", existing
        else:
            record = replace(
                existing, entry=entry, content_hash=digest, updated=now,
                revisions=existing.revisions + (Revision(now, digest),),
            )
            change = "updated"
        self._stage(path, record.to_json(), record)
        return change, record

    def save_feed_state(self, state: FeedState) -> bool:
        """Store a feed's state if it differs from what is stored; True if it will be written."""
        if self.archive.feed_state(state.name) == state:
            return False
        self._stage(self.archive.feeds_dir / f"{state.name}.json", state.to_json(), None)
        return True

    def commit(self) -> None:
        folders = set()
        for path, (temp, _) in self._staged.items():
            os.replace(temp, path)
            folders.add(path.parent)
        for folder in folders:
            sync_folder(folder)
        self._staged.clear()

    def abort(self) -> None:
        for temp, _ in self._staged.values():
            temp.unlink(missing_ok=True)
        self._staged.clear()

    def _stage(self, path: Path, text: str, record: EntryRecord | None) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temp = write_temporary(path, text)
        except OSError as e:
            raise ArchiveWriteError(path, e) from None
        previous = self._staged.get(path)
        if previous:
            previous[0].unlink(missing_ok=True)
        self._staged[path] = (temp, record)

    def has(self, key: str, feed: str, feed_url: str | None = None) -> bool:
        """Whether `feed` has an entry with this key archived (or staged in this batch)."""
        return self._find(key, feed, feed_url)[0] is not None

    def _slot_for(self, key: str, feed: str, feed_url: str | None,
                  title: str | None = None) -> tuple[Path, EntryRecord | None]:
        """The file for `feed`'s entry `key` and its record.

        An archived entry keeps the id it was given, whatever slug today's rules or
        its current title would give it: it is found by the hash of its key, which
        every id ends with. Only an entry found nowhere gets a new id, the longer
        one if another key already owns the short one; its hash is of the feed's
        name and the key when another feed's entry already has the key.
        """
        found, taken = self._find(key, feed, feed_url)
        if found is not None:
            return found
        for entry_id in candidate_ids(identity(key), title, scope=feed if taken else None):
            path = self.archive.entries_dir / f"{entry_id}.json"
            if path not in self._staged and not path.exists():
                self._index(path)
                return path, None
        raise ArchiveError(f"no free id for entry {key!r}: every candidate file belongs to another entry")

    def _find(self, key: str, feed: str, feed_url: str | None) -> tuple[tuple[Path, EntryRecord] | None, bool]:
        """`feed`'s entry for `key`, if archived; and whether another feed has one with that key.

        Looked for under the hash of the key as given (the ids of entries archived
        before keys were normalised), of its identity, and of the feed and its identity.
        """
        wanted = identity(key)
        taken = False
        for basis in dict.fromkeys((key, wanted, scoped_key(feed, wanted))):
            digest = key_digest(basis)
            for path in self._paths_with_digest(digest[:10]):
                if not path.stem.endswith((f"-{digest[:10]}", f"-{digest[:24]}")):
                    continue
                staged = self._staged.get(path)
                record = staged[1] if staged else self.archive.read_entry(path)
                if record is None or identity(record.key) != wanted:
                    continue
                if self._same_feed(record.feed, feed, feed_url):
                    return (path, record), taken
                taken = True
        return None, taken

    def _same_feed(self, name: str, feed: str, feed_url: str | None) -> bool:
        """Whether an entry filed under `name` is `feed`'s: the same name, or `feed` renamed (same URL)."""
        if name == feed:
            return True
        if not feed_url:
            return False
        if name not in self._feed_urls:
            self._feed_urls[name] = self.archive.feed_state(name).url if FEED_NAME.fullmatch(name) else None
        return self._feed_urls[name] == feed_url

    def _paths_with_digest(self, short: str) -> list[Path]:
        if self._by_digest is None:
            self._by_digest = {}
            for path in self.archive.entry_paths():
                self._index(path)
        return self._by_digest.get(short, [])

    def _index(self, path: Path) -> None:
        """Remember an entry file under the short hash its id ends with (or starts, for a long one)."""
        if self._by_digest is not None:
            suffix = path.stem.rsplit("-", 1)[-1]
            self._by_digest.setdefault(suffix[:10], []).append(path)

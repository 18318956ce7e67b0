"""The archive's two kinds of file as types: an entry record and a feed state.

Their JSON form, and how one file is read and checked: a damaged, retyped or
symlinked file is an ArchiveError that names it. store.py keeps the folder.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ingest.atomic import dump_json
from ingest.sources import FEED_NAME
from ingest.errors import KBError, WriteError

SCHEMA = 1
ENTRY_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,99}")
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")


class ArchiveError(KBError):
    """The archive cannot be read or written; the message names the file."""


class ArchiveWriteError(WriteError, ArchiveError):
    """An archive file could not be written (one feed's failure, as every ArchiveError in a run)."""


class ArchiveLocked(ArchiveError):
    """Another run holds the archive's lock."""


@dataclass(frozen=True)
class Revision:
    """A version of an entry's content: when it was first seen, and its hash."""

    seen: str
    content_hash: str


@dataclass(frozen=True)
class EntryRecord:
    """One archived entry: the raw feed entry and its history in the archive."""

    id: str
    key: str  # the guid (or link) the id derives from
    feed: str  # the feed that first brought it
    first_seen: str
    updated: str | None  # when a change of content was last seen; None if never
    content_hash: str
    revisions: tuple[Revision, ...]
    entry: dict = field(hash=False, compare=False)
    # The paging scheme of the backfill that filed it ("forem", "rfc5005", "wordpress"),
    # None for an entry the feed itself brought. Written only when set, so the files
    # of entries archived before backfills existed stay byte for byte as they are.
    backfill: str | None = None

    def to_json(self) -> str:
        data = asdict(self)
        if data["backfill"] is None:
            del data["backfill"]
        data["schema"] = SCHEMA
        return dump_json(data)


@dataclass(frozen=True)
class FeedState:
    """What the archive remembers about a feed between runs."""

    name: str
    url: str | None = None
    title: str | None = None
    link: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    language: str | None = None  # as the feed declares it: the language of entries that declare none
    author: str | None = None  # as the feed declares it: the author of entries that name none
    backfill_next: str | None = None  # the older page a stopped backfill resumes at
    backfill_done: str | None = None  # when a backfill last walked to the end of the feed's pages

    def to_json(self) -> str:
        # The backfill keys are written only when set: a feed never backfilled keeps its file as it was.
        data = {k: v for k, v in asdict(self).items() if v is not None or not k.startswith("backfill_")}
        return dump_json(data)


def read_entry_file(path: Path) -> EntryRecord:
    """One entry file as a record; ArchiveError names the file if it is damaged."""
    refuse_symlink(path)
    data = _read_json(path)
    try:
        record = EntryRecord(
            id=_field(data, "id", str), key=_field(data, "key", str), feed=_field(data, "feed", str),
            first_seen=_timestamp(data, "first_seen"),
            updated=_timestamp(data, "updated") if data.get("updated") is not None else None,
            content_hash=_field(data, "content_hash", str),
            revisions=tuple(Revision(_timestamp(r, "seen"), _field(r, "content_hash", str))
                            for r in _field(data, "revisions", list)),
            entry=_field(data, "entry", dict),
            backfill=_optional(data, "backfill", str),
        )
    except (KeyError, TypeError, ValueError) as e:
        raise ArchiveError(f"{path}: not a valid archive entry ({e}); restore it with git") from None
    if record.id != path.stem or not ENTRY_ID.fullmatch(record.id):
        raise ArchiveError(f"{path}: its id {record.id!r} is not its file name {path.stem!r}; an entry's id is "
                           f"the name of its file, of [a-z0-9-] only: restore it with git")
    problem = entry_field_problem(record.entry)
    if problem:
        raise ArchiveError(f"{path}: not a valid archive entry ({problem}); restore it with git")
    if not FEED_NAME.fullmatch(record.feed):
        raise ArchiveError(f"{path}: 'feed' {record.feed!r} is not a feed name ([a-z0-9_-], at most 64); "
                           f"restore it with git")
    return record

def read_feed_file(path: Path) -> FeedState:
    refuse_symlink(path)
    data = _read_json(path)
    try:
        state = FeedState(**{k: data.get(k) for k in FeedState.__dataclass_fields__})
    except TypeError as e:
        raise ArchiveError(f"{path}: not a valid feed state ({e})") from None
    if state.name != path.stem:
        raise ArchiveError(f"{path}: its name {state.name!r} is not its file name {path.stem!r}: "
                           f"restore it with git")
    for key in FeedState.__dataclass_fields__:
        value = getattr(state, key)
        if value is not None and not isinstance(value, str):
            raise ArchiveError(f"{path}: '{key}' should be a string, not {type(value).__name__} "
                               f"({value!r}): restore it with git")
    return state


def content_hash(entry: dict) -> str:
    """A hash of the entry's content, independent of key order."""
    canonical = json.dumps(entry, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# The fields of a feedparser entry that the site reads, and the type feedparser gives each.
ENTRY_FIELDS = {"title": str, "link": str, "summary": str, "author": str, "id": str,
                "published_parsed": str, "updated_parsed": str, "created_parsed": str,
                "title_detail": dict, "summary_detail": dict, "content": list, "tags": list, "authors": list,
                "links": list, "enclosures": list}


def entry_field_problem(entry: dict) -> str | None:
    """What is wrong with the types of an archived entry's fields, or None."""
    for key, kind in ENTRY_FIELDS.items():
        value = entry.get(key)
        if value is not None and not isinstance(value, kind):
            return f"'entry.{key}' should be {'a string' if kind is str else kind.__name__}, not {value!r:.60}"
    for key in ("content", "tags", "authors", "links", "enclosures"):
        for i, item in enumerate(entry.get(key) or ()):
            if not isinstance(item, dict):
                return f"'entry.{key}[{i}]' should be an object, not {item!r:.60}"
            for name in ("value", "type", "term", "label", "name", "href"):
                if item.get(name) is not None and not isinstance(item[name], str):
                    return f"'entry.{key}[{i}].{name}' should be a string, not {item[name]!r:.60}"
    for key in ("title_detail", "summary_detail"):
        if not isinstance((entry.get(key) or {}).get("type", ""), str):
            return f"'entry.{key}.type' should be a string"
    return None


def refuse_symlink(path: Path) -> None:
    if path.is_symlink():
        raise ArchiveError(f"{path} is a symbolic link; the archive holds plain files only (a link could "
                           f"publish any file of the machine): replace it with the file itself, or delete it")


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise ArchiveError(f"cannot read {path}: {e.strerror or e}") from None
    except ValueError as e:
        raise ArchiveError(f"{path}: damaged JSON ({e}); restore it with git") from None
    if not isinstance(data, dict):
        raise ArchiveError(f"{path}: expected a JSON object")
    return data


def _optional(data: dict, name: str, kind: type):
    value = data.get(name)
    if value is not None and not isinstance(value, kind):
        raise TypeError(f"'{name}' should be {kind.__name__} or absent, not {type(value).__name__}")
    return value


def _timestamp(data: dict, name: str) -> str:
    """An ISO 8601 UTC time as the archive writes it (2026-01-05T06:00:00Z)."""
    value = _field(data, name, str)
    if not TIMESTAMP.fullmatch(value):
        raise ValueError(f"'{name}' should be a time such as 2026-01-05T06:00:00Z, not {value!r}")
    return value


def _field(data: dict, name: str, kind: type):
    if not isinstance(data, dict):
        raise TypeError(f"expected an object with '{name}', not {type(data).__name__}")
    value = data[name]
    if not isinstance(value, kind):
        raise TypeError(f"'{name}' should be {kind.__name__}, not {type(value).__name__}")
    return value

"""Atomic file writes: a reader, or a run killed halfway, sees the old file or the new one."""

from __future__ import annotations

import json
import os
import re
from contextlib import contextmanager
from itertools import count
from pathlib import Path
from typing import Iterator, TextIO

TEMP_SUFFIX = ".tmp"
# The name _temporary_name gives: ".<file name>.<pid>-<serial>.tmp". Only such files are ever removed.
TEMPORARY = re.compile(r"\..+\.[0-9]+-[0-9]+" + re.escape(TEMP_SUFFIX))
_serial = count()


def write_atomic(path: Path, data: str | bytes, *, durable: bool = True) -> None:
    """Write `data` to `path` through a temporary file in the same folder and a rename.

    `durable` also flushes it to the disk, so that it survives a power cut, not
    only a killed process; a cache can do without.
    """
    _rename_into_place(write_temporary(path, data, durable=durable), path, durable)


@contextmanager
def open_atomic(path: Path, *, durable: bool = True) -> Iterator[TextIO]:
    """A UTF-8 text file to write in pieces, renamed to `path` only if the block ends without an error.

    For documents too large to hold as one string before writing (knowledge.json).
    """
    temp = _temporary_name(path)
    try:
        with open(temp, "w", encoding="utf-8", newline="\n") as handle:
            yield handle
            _flush(handle, durable)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _rename_into_place(temp, path, durable)


def write_temporary(path: Path, data: str | bytes, *, durable: bool = True) -> Path:
    """Write `data` (flushed to disk if `durable`) to a hidden temporary file beside `path`; return its path."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    temp = _temporary_name(path)
    try:
        with open(temp, "wb") as handle:
            handle.write(payload)
            _flush(handle, durable)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp


def _temporary_name(path: Path) -> Path:
    """A hidden name beside `path`, unique to this process and call, that remove_stale_temporaries finds."""
    return path.with_name(f".{path.name}.{os.getpid()}-{next(_serial)}{TEMP_SUFFIX}")


def _flush(handle, durable: bool) -> None:
    handle.flush()
    if durable:
        os.fsync(handle.fileno())


def _rename_into_place(temp: Path, path: Path, durable: bool) -> None:
    """The temporary file becomes `path` in one step (removed if it cannot)."""
    try:
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    if durable:
        sync_folder(path.parent)


def dump_json(data: object) -> str:
    """Stable, diff-friendly JSON: sorted keys, two-space indent, UTF-8 kept readable."""
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def remove_stale_temporaries(folder: Path) -> int:
    """Delete the temporary files a killed run left in `folder`; call only while holding the archive lock.

    Only files named as write_temporary names them, and only plain files: anything
    else that happens to end in `.tmp` is not ours to delete.
    """
    removed = 0
    with os.scandir(folder) as found:
        for item in found:
            if TEMPORARY.fullmatch(item.name) and item.is_file(follow_symlinks=False):
                Path(item.path).unlink(missing_ok=True)
                removed += 1
    return removed


def sync_folder(folder: Path) -> None:
    """Flush a folder's entries, so that renames in it survive a power cut."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot fsync a folder; the rename itself is still atomic
    finally:
        os.close(fd)

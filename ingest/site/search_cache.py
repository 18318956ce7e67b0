"""A cache of the search index's shards, so a rebuild indexes only the shards whose pages changed.

It lives in the archive folder as `.cache/search/` (git-ignored, next to the
analysis cache), one folder per shard bundle, named by the shard's key: a hash
of Pagefind's version and options and of every page the shard indexes, path
and bytes (ingest/site/search.py). Pagefind gives the same bundle for the same
pages, so a hit is copied into the site instead of indexed again.

Each entry keeps a manifest of its files with their sizes and hashes, checked
while they are copied: a damaged or half-written entry is only a miss (it is
removed and the shard indexed afresh), never a broken site. An entry appears
whole or not at all (written aside, then renamed), and the entries a build
did not use are removed after it, so the cache holds about one site's index.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from pathlib import Path, PurePosixPath

log = logging.getLogger(__name__)
MANIFEST = "manifest.json"
BUNDLE = "bundle"


class SearchCache:
    def __init__(self, archive_root: Path) -> None:
        self.root = archive_root / ".cache" / "search"
        # A symbolic link on the way would send the cache's writes and prunes outside the archive.
        linked = [p for p in (archive_root / ".cache", self.root) if p.is_symlink()]
        self.usable = not linked
        if linked:
            log.warning("%s is a symbolic link; the search index cache is not used (every shard is indexed "
                        "afresh): replace it with a folder, or delete it", linked[0])

    def restore(self, key: str, output: Path) -> int | None:
        """Copy the cached bundle of `key` to `output`; the number of pages it indexes, or None on a miss."""
        entry = self.root / key
        if not self.usable or not entry.is_dir() or entry.is_symlink():
            return None
        try:
            manifest = json.loads((entry / MANIFEST).read_text(encoding="utf-8"))
            pages, files = int(manifest["pages"]), manifest["files"]
            if "pagefind.js" not in files:
                raise ValueError("the manifest lists no pagefind.js")
            inside = (entry / BUNDLE).resolve()
            for name, (size, digest) in sorted(files.items()):
                source = entry / BUNDLE / _relative(name)
                if not source.resolve().is_relative_to(inside):  # a link on the way leads out of the entry
                    raise ValueError(f"{name} is outside the entry")
                _copy_checked(source, output / _relative(name), size, digest)
        except (OSError, ValueError, KeyError, TypeError) as e:  # a damaged entry is only a miss
            log.info("resilience-kb: the search index cache entry %s is damaged (%s); its shard is indexed "
                     "afresh", entry, e)
            shutil.rmtree(output, ignore_errors=True)
            _remove(entry)
            return None
        return pages

    def save(self, key: str, output: Path, pages: int) -> None:
        """Keep the bundle Pagefind wrote to `output` as the entry of `key`."""
        if not self.usable:
            return
        entry = self.root / key
        temporary = self.root / f".tmp-{key}-{os.getpid()}"
        try:
            files = {}
            for path in sorted(p for p in output.rglob("*") if p.is_file()):
                name = path.relative_to(output).as_posix()
                data = path.read_bytes()
                target = temporary / BUNDLE / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
                files[name] = [len(data), hashlib.sha256(data).hexdigest()]
            (temporary / MANIFEST).write_text(json.dumps({"pages": pages, "files": files}), encoding="utf-8")
            if entry.exists() or entry.is_symlink():
                _remove(entry)
            os.rename(temporary, entry)
        except OSError as e:  # a cache that cannot be written costs time, not correctness
            log.debug("cannot write the search index cache entry %s: %s", entry, e)
            _remove(temporary)

    def prune(self, keep: set[str]) -> None:
        """Remove every entry but those of `keep` (the shards of the build just made)."""
        if not self.usable or not self.root.is_dir():
            return
        for child in self.root.iterdir():
            if child.name not in keep:
                _remove(child)


def _relative(name: str) -> PurePosixPath:
    """A file's path inside an entry, refused if it would lead out of it."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ValueError(f"the manifest names {name!r}, outside the entry")
    return path


def _copy_checked(source: Path, target: Path, size: int, digest: str) -> None:
    if source.is_symlink():
        raise ValueError(f"{source.name} is a symbolic link")
    data = source.read_bytes()
    if len(data) != size or hashlib.sha256(data).hexdigest() != digest:
        raise ValueError(f"{source.name} is not the file the manifest describes")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def _remove(path: Path) -> None:
    try:
        if path.is_symlink() or path.is_file():
            path.unlink()
        elif path.exists():
            shutil.rmtree(path)
    except OSError as e:
        log.debug("cannot remove %s from the search index cache: %s", path, e)

"""The site's search index, built by Pagefind over the finished site.

Material's own search ships one index with the text of every page: 12 MB at
2,000 pages. Pagefind splits its index into chunks and a reader's browser
fetches only those a query needs, so the first search stays small at any size.
It indexes what the theme override marks with data-pagefind-body: each page's
content, not its navigation.

Pagefind holds what it indexes in memory, about half a megabyte a page, so a
site of more than `search_shard_pages` searchable pages is indexed in shards of
at most that many pages, one Pagefind run each: the first in pagefind/, the
others in pagefind-2/, pagefind-3/ … The search box merges them at query time
into one list of results (Pagefind's mergeIndex), so memory is bounded at any
archive size. The price: each shard ranks with its own word statistics, so the
order of results can differ a little from one index's, and a shard in which a
query's word does not occur at all offers approximate matches (as one index
does for a word it lacks). Every page one index finds is still found
(tests/test_search_shards.py).

The shards are cut so that a new article changes as few of them as it can. A
new article changes no other article's page, but it does change pages that
gather articles (patterns, the home page, What's new, Sources…). So those
other pages come first, in shards of their own, and the article pages follow
in the order the archive filed them, oldest first: a new article lands in the
last shard, and every earlier article shard stays as it was. Each shard's
bundle is cached under a hash of the exact pages it indexes
(ingest/site/search_cache.py), so an unchanged shard is copied, not indexed.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Callable

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files

from ingest.model.knowledge import Knowledge
from ingest.site import urls
from ingest.site.search_cache import SearchCache
from ingest.site.search_marks import SearchLabels, mark_for_search, search_labels  # noqa: F401 (the plugin's)

OUTPUT = "pagefind"
MARK = b"data-pagefind-body"
OPTIONS: list[str] = []  # Pagefind's options besides the folders: part of each shard's cache key
BODY_END = b"<!-- rkb-search-body-end -->"  # where the marked body ends (overrides/main.html)
HTML_TAG = re.compile(rb"<html\b[^>]*>", re.IGNORECASE)


class SearchIndexError(PluginError):
    """Pagefind could not index the site."""


def assign_shards(articles: list[str], others: list[str], shard_pages: int) -> list[list[str]]:
    """The pages (paths in the site) of each search index: one index when they all fit in one; else the
    other pages first, then the article pages in the order given (oldest first), in shards of shard_pages."""
    if len(articles) + len(others) <= shard_pages:
        return [others + articles]
    return _chunks(others, shard_pages) + _chunks(articles, shard_pages)


def _chunks(pages: list[str], size: int) -> list[list[str]]:
    return [pages[i:i + size] for i in range(0, len(pages), size)]


def site_shards(files: Files, knowledge: Knowledge | None, shard_pages: int,
                indexed: Callable[[str], object] = bool) -> list[list[str]]:
    """The site's searchable pages (all but those whose front matter excludes them and those `indexed` says
    are not, search_marks.SearchLabels.of) in shards (assign_shards).

    Article pages go in the order the archive filed them, oldest first, so that a new
    article changes only the last shard.
    """
    searchable = {f.src_uri: f.dest_uri for f in files.documentation_pages() if f.page is not None
                  and not (f.page.meta.get("search") or {}).get("exclude") and indexed(f.src_uri)}
    filed = sorted(knowledge.articles, key=lambda a: (a.first_seen, a.sort_key)) if knowledge else []
    articles = [searchable.pop(src) for src in map(urls.article_path, (a.id for a in filed)) if src in searchable]
    return assign_shards(articles, sorted(searchable.values()), shard_pages)


def bundle_folder(number: int) -> str:
    """The folder of the number-th search index: pagefind, pagefind-2, pagefind-3 …"""
    return OUTPUT if number == 1 else f"{OUTPUT}-{number}"


def shard_bundles(shards: int) -> list[str]:
    """The folders of the extra indexes the search box merges into the first ([] for one index)."""
    return [f"{bundle_folder(n)}/" for n in range(2, shards + 1)]


class SearchIndexer:
    """Indexes a site shard by shard, each as soon as all its pages are written.

    MkDocs writes pages one at a time, on one core; a shard whose last page is written is
    indexed by Pagefind beside it, one shard at a time (Pagefind's memory is one shard's).
    A shard whose pages are byte for byte those of a cached one is copied from the cache
    instead. A searchable page in no list, found once every page is written, joins the
    first shard, which is then indexed again (none of the site's own pages is in no list).
    """

    def __init__(self, site_dir: Path, shards: list[list[str]], cache: SearchCache | None = None) -> None:
        self.site_dir, self.cache = site_dir, cache
        self.shards = [list(shard) for shard in shards] or [[]]
        self.waiting = {n: set(shard) for n, shard in enumerate(self.shards, start=1)}
        self.shard_of = {page: n for n, shard in enumerate(self.shards, start=1) for page in shard}
        self.staging = Path(tempfile.mkdtemp(prefix="rkb-search-"))
        self.queue: list[int] = []
        self.running: tuple[int, subprocess.Popen] | None = None
        self.keys: dict[int, str] = {}
        self.indexed: dict[int, int] = {}
        self.runs = 0  # Pagefind runs started (a shard that gets more pages late runs again)
        self.ran: set[int] = set()  # the shards Pagefind indexed, the others came from the cache
        self.closed = False  # every page is written
        self.whole: subprocess.Popen | None = None  # the one run over a whole site that marks no page

    def written(self, page: str) -> None:
        """`page` (its path in the site) is written: its shard starts if it was the last one missing."""
        number = self.shard_of.pop(page, None)
        if number is not None:
            self.waiting[number].discard(page)
            if not self.waiting[number]:
                del self.waiting[number]
                self._ready(number)
        self._advance()

    def close(self) -> None:
        """Every page is written: start on the shards still waiting (the caller may go on meanwhile)."""
        if self.closed:
            return
        self.closed = True
        try:
            listed = {page for shard in self.shards for page in shard}
            unlisted = [p.relative_to(self.site_dir).as_posix() for p in sorted(self.site_dir.rglob(urls.BUILT_PAGES))
                        if p.relative_to(self.site_dir).as_posix() not in listed and MARK in p.read_bytes()]
            if not unlisted and not any(self.shards):
                # Nothing marked: Pagefind indexes every page whole, as it does on any site.
                self.whole = _start_pagefind(self.site_dir, self.site_dir / OUTPUT, self._log(0))
                return
            if unlisted:
                self._reopen(1)
                self.shards[0] += unlisted
            for number in sorted(self.waiting):
                self._ready(number)
            self.waiting.clear()
            self._advance()
        except BaseException:
            self.abort()
            raise

    def finish(self) -> str:
        """Index what is left, wait for every shard; a summary line."""
        try:
            self.close()
            if self.whole is not None:
                output, log = self.site_dir / OUTPUT, self._log(0)
                pages = _finish_pagefind(self.whole, self.site_dir, output, log)
                self.whole = None
                return f"search index of {pages} pages in {OUTPUT}/"
            while self.running or self.queue:
                if self.running:
                    self._collect()
                self._advance()
        finally:
            self.abort()
        if self.cache:
            self.cache.prune(keep=set(self.keys.values()))
        shards = len(self.shards)
        where = f"{OUTPUT}/" if shards == 1 else f"{shards} shards ({OUTPUT}/, {OUTPUT}-2/ …)"
        return (f"search index of {sum(self.indexed.values())} pages in {where}; Pagefind indexed {len(self.ran)} "
                f"of {shards}, {shards - len(self.ran)} came from the cache")

    def abort(self) -> None:
        """Stop a Pagefind run still going and remove the staging folder (the build failed, or is done)."""
        if self.whole is not None:
            _stop(self.whole)
            self.whole = None
        if self.running:
            _stop(self.running[1])
            self.running = None
        shutil.rmtree(self.staging, ignore_errors=True)

    def _reopen(self, number: int) -> None:
        """The shard gets more pages: what was done with it (a run, a copy, a place in the queue) is undone."""
        if self.running and self.running[0] == number:
            _stop(self.running[1])
            self.running = None
        if number in self.queue:
            self.queue.remove(number)
        self.indexed.pop(number, None)
        self.ran.discard(number)
        shutil.rmtree(self.staging / str(number), ignore_errors=True)
        self.waiting.setdefault(number, set())

    def _ready(self, number: int) -> None:
        """All the shard's pages are written: copy its bundle from the cache, or queue it for Pagefind."""
        pages = _hashes(self.site_dir, self.shards[number - 1])
        output = self.site_dir / bundle_folder(number)
        shutil.rmtree(output, ignore_errors=True)  # a folder left by a build with --dirty
        self.keys[number] = key = shard_key(pages)
        indexed = self.cache.restore(key, output) if self.cache else None
        if indexed is not None:
            self.indexed[number] = indexed
            return
        for page in pages:
            _link(self.site_dir / page, self.staging / str(number) / page)
        self.queue.append(number)

    def _advance(self) -> None:
        """Collect a finished run, and start the next queued shard if none is running."""
        if self.running and self.running[1].poll() is not None:
            self._collect()
        if not self.running and self.queue:
            number = self.queue.pop(0)
            self.runs += 1
            self.ran.add(number)
            self.running = (number, _start_pagefind(self.staging / str(number),
                                                    self.site_dir / bundle_folder(number), self._log(number)))

    def _collect(self) -> None:
        number, process = self.running
        self.running = None
        output = self.site_dir / bundle_folder(number)
        self.indexed[number] = _finish_pagefind(process, self.staging / str(number), output, self._log(number))
        shutil.rmtree(self.staging / str(number), ignore_errors=True)
        if self.cache:
            self.cache.save(self.keys[number], output, self.indexed[number])

    def _log(self, number: int) -> Path:
        return self.staging / f"pagefind-{number}.log"


def shard_key(pages: dict[str, str]) -> str:
    """What a shard's bundle depends on: Pagefind's version and options, and each page's path and bytes."""
    digest = hashlib.sha256(f"{pagefind_version()}\n{' '.join(OPTIONS)}\n".encode())
    for page, page_hash in sorted(pages.items()):
        digest.update(f"{page}\0{page_hash}\n".encode())
    return digest.hexdigest()[:32]


def pagefind_version() -> str:
    """The versions of the installed Pagefind packages (the wrapper and its binary)."""
    found = []
    for name in ("pagefind", "pagefind_bin", "pagefind_bin_extended"):
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            pass
    return ", ".join(found)


def _hashes(site_dir: Path, pages: list[str]) -> dict[str, str]:
    """Each of the pages (paths in the site) that is marked for indexing, with the hash of what Pagefind
    reads of it: the `<html>` tag (its language) and the marked body. The navigation around the body
    (a sidebar listing the section's pages, the search box's list of bundles) changes as pages are
    added without changing the index, so it is left out."""
    found = {}
    for page in pages:
        data = (site_dir / page).read_bytes()
        start = data.find(MARK)
        if start < 0:
            continue
        end = data.find(BODY_END, start)
        opening = HTML_TAG.search(data)
        read = data[start:] if end < 0 else data[start:end]
        found[page] = hashlib.sha256((opening.group() if opening else b"") + b"\n" + read).hexdigest()
    return found


def _link(source: Path, target: Path) -> None:
    """The page in the staging folder, as a hard link (a copy where links are not possible)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _start_pagefind(site: Path, output: Path, log: Path) -> subprocess.Popen:
    """Pagefind started over `site`, writing its bundle to `output` and what it says to `log`."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(output), *OPTIONS]
    try:
        with log.open("wb") as handle:
            return subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT)
    except OSError as e:
        raise SearchIndexError(f"resilience-kb: cannot run Pagefind to index the site: {e}") from None


def _stop(process: subprocess.Popen) -> None:
    """A Pagefind run killed, and reaped."""
    process.kill()
    process.wait()


def _finish_pagefind(process: subprocess.Popen, site: Path, output: Path, log: Path) -> int:
    """Wait for a Pagefind run; the number of pages it indexed."""
    try:
        process.wait(timeout=1800)
    except subprocess.TimeoutExpired:
        _stop(process)
        raise SearchIndexError(f"resilience-kb: Pagefind took more than 30 minutes to index {site}") from None
    said = log.read_text(encoding="utf-8", errors="replace")
    if process.returncode != 0 or not (output / "pagefind.js").exists():
        raise SearchIndexError(f"resilience-kb: Pagefind could not index {site}: {' '.join(said.split())[-500:]} "
                               f"(is the pagefind[bin] package installed?)")
    pages = re.search(r"Indexed (\d+) pages?\b", said)  # "Indexed 1 page"
    return int(pages.group(1)) if pages else 0

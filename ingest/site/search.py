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

from mkdocs.exceptions import PluginError

from ingest.site import urls
from ingest.site.search_cache import SearchCache

OUTPUT = "pagefind"
MARK = b"data-pagefind-body"
OPTIONS: list[str] = []  # Pagefind's options besides the folders: part of each shard's cache key
# The search box's list of the bundles to merge (overrides/main.html), which changes on every page when
# the number of shards does. Pagefind does not index it, so it is left out of the pages' cache keys.
MERGE_LIST = re.compile(rb'(<div class="rkb-search" id="rkb-search"[^>]*?) data-merge="[^"]*"')


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


def bundle_folder(number: int) -> str:
    """The folder of the number-th search index: pagefind, pagefind-2, pagefind-3 …"""
    return OUTPUT if number == 1 else f"{OUTPUT}-{number}"


def shard_bundles(shards: int) -> list[str]:
    """The folders of the extra indexes the search box merges into the first ([] for one index)."""
    return [f"{bundle_folder(n)}/" for n in range(2, shards + 1)]


def build_search_index(site_dir: Path, shards: list[list[str]] | None = None,
                       cache: SearchCache | None = None) -> str:
    """Index the built site into site_dir/pagefind (and pagefind-N/ per extra shard); return a summary line.

    `shards` lists the pages (paths relative to the site) of each index; None indexes
    the whole site in one. A searchable page in no list joins the first. With a
    cache, a shard whose pages are byte for byte those of a cached one is copied
    from it instead of being indexed again.
    """
    pages = _searchable_pages(site_dir)
    if not pages:  # nothing marked: Pagefind indexes every page whole, as it does on any site
        return f"search index of {_run_pagefind(site_dir, site_dir / OUTPUT)} pages in {OUTPUT}/"
    shards = [[page for page in shard if page in pages] for shard in (shards or [[]])]
    assigned = {page for shard in shards for page in shard}
    shards[0] += sorted(page for page in pages if page not in assigned)
    total = runs = 0
    keys = []
    with tempfile.TemporaryDirectory(prefix="rkb-search-") as staging:
        for number, shard in enumerate(shards, start=1):
            output = site_dir / bundle_folder(number)
            shutil.rmtree(output, ignore_errors=True)  # a folder left by a build with --dirty
            key = shard_key(shard, pages)
            keys.append(key)
            indexed = cache.restore(key, output) if cache else None
            if indexed is None:
                stage = Path(staging) / str(number)
                for page in shard:
                    _link(site_dir / page, stage / page)
                indexed = _run_pagefind(stage, output)
                runs += 1
                shutil.rmtree(stage)
                if cache:
                    cache.save(key, output, indexed)
            total += indexed
    if cache:
        cache.prune(keep=set(keys))
    where = f"{OUTPUT}/" if len(shards) == 1 else f"{len(shards)} shards ({OUTPUT}/, {OUTPUT}-2/ …)"
    return (f"search index of {total} pages in {where}; Pagefind indexed {runs} of {len(shards)}, "
            f"{len(shards) - runs} came from the cache")


def shard_key(shard: list[str], pages: dict[str, str]) -> str:
    """What a shard's bundle depends on: Pagefind's version and options, and each page's path and bytes."""
    digest = hashlib.sha256(f"{pagefind_version()}\n{' '.join(OPTIONS)}\n".encode())
    for page in sorted(shard):
        digest.update(f"{page}\0{pages[page]}\n".encode())
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


def _searchable_pages(site_dir: Path) -> dict[str, str]:
    """Each built page marked for indexing (its path in the site) with the hash of its bytes (all but the
    search box's list of bundles)."""
    pages = {}
    for path in sorted(site_dir.rglob(urls.BUILT_PAGES)):
        data = path.read_bytes()
        if MARK in data:
            key = hashlib.sha256(MERGE_LIST.sub(rb"\1", data, 1))
            pages[path.relative_to(site_dir).as_posix()] = key.hexdigest()
    return pages


def _link(source: Path, target: Path) -> None:
    """The page in the staging folder, as a hard link (a copy where links are not possible)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _run_pagefind(site: Path, output: Path) -> int:
    """Run Pagefind over `site`, writing its bundle to `output`; the number of pages it indexed."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(output), *OPTIONS]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=1800)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise SearchIndexError(f"resilience-kb: cannot run Pagefind to index the site: {e}") from None
    if done.returncode != 0 or not (output / "pagefind.js").exists():
        detail = " ".join((done.stderr or done.stdout).split())[-500:]
        raise SearchIndexError(f"resilience-kb: Pagefind could not index {site}: {detail} "
                               f"(is the pagefind[bin] package installed?)")
    pages = re.search(r"Indexed (\d+) pages", done.stdout)
    return int(pages.group(1)) if pages else 0

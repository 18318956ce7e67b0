"""The site's search index, built by Pagefind over the finished site.

Material's own search ships one index with the text of every page: 12 MB at
2,000 pages. Pagefind splits its index into chunks and a reader's browser
fetches only those a query needs, so the first search stays small at any size.
It indexes what the theme override marks with data-pagefind-body: each page's
content, not its navigation.

Pagefind holds what it indexes in memory, about half a megabyte a page, so a
large site is indexed in shards of a bounded number of pages, one Pagefind run
each: the first in pagefind/, the others in pagefind-2/, pagefind-3/ … The
search box merges them at query time into one list of results (Pagefind's
mergeIndex), so memory is bounded at any archive size. The price: each shard
ranks with its own word statistics, so the order of results can differ a
little from one index's, and a shard in which a query's word does not occur
at all offers approximate matches (as one index does for a word it lacks).
Every page one index finds is still found (tests/test_search_shards.py).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from mkdocs.exceptions import PluginError

from ingest.site import urls

OUTPUT = "pagefind"
MARK = b"data-pagefind-body"


class SearchIndexError(PluginError):
    """Pagefind could not index the site."""


def shard_bundles(searchable_pages: int, shard_pages: int) -> list[str]:
    """The folders of the extra indexes a site of this many searchable pages gets ([] for one index)."""
    shards = max(1, -(-searchable_pages // shard_pages))
    return [f"{OUTPUT}-{n}/" for n in range(2, shards + 1)]


def build_search_index(site_dir: Path, shards: list[list[str]] | None = None) -> str:
    """Index the built site into site_dir/pagefind (and pagefind-N/ per extra shard); return a summary line.

    `shards` lists the pages (paths relative to the site) of each index; None indexes
    the whole site in one. A searchable page in no list joins the first.
    """
    if not shards or len(shards) == 1:
        pages = _run_pagefind(site_dir, site_dir / OUTPUT)
        return f"search index of {pages} pages in {OUTPUT}/"
    assigned = {page for shard in shards for page in shard}
    others = [path.relative_to(site_dir).as_posix() for path in sorted(site_dir.rglob(urls.BUILT_PAGES))
              if path.relative_to(site_dir).as_posix() not in assigned and _searchable(path)]
    total = 0
    with tempfile.TemporaryDirectory(prefix="rkb-search-") as staging:
        for number, pages in enumerate(shards, start=1):
            stage = Path(staging) / str(number)
            for page in (pages + others if number == 1 else pages):
                _link(site_dir / page, stage / page)
            output = site_dir / (OUTPUT if number == 1 else f"{OUTPUT}-{number}")
            total += _run_pagefind(stage, output)
            shutil.rmtree(stage)
    return f"search index of {total} pages in {len(shards)} shards ({OUTPUT}/, {OUTPUT}-2/ …)"


def _searchable(path: Path) -> bool:
    return MARK in path.read_bytes()


def _link(source: Path, target: Path) -> None:
    """The page in the staging folder, as a hard link (a copy where links are not possible)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _run_pagefind(site: Path, output: Path) -> int:
    """Run Pagefind over `site`, writing its bundle to `output`; the number of pages it indexed."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(output)]
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

"""The search index cache: a shard whose pages did not change is copied, not indexed again by Pagefind.

Real builds (`resilience-kb build`, strict, real Pagefind) of the bundled archive in shards of 5 pages.
How many shards Pagefind indexed is read from the build's own summary line; which pages a bundle
holds is read from the bundle itself (its fragments name each page's URL).
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support import ROOT, make_project, run_cli

pytestmark = pytest.mark.slow

SHARD_PAGES = 5
NEWEST = "aws-re-invent-2020-digest-part-2-27pn-46c2c96548"  # published 2021-01-07, the latest in the archive


def project_in(tmp_path: Path) -> Path:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("      stale_days: 45\n", f"      stale_days: 45\n      search_shard_pages: {SHARD_PAGES}\n")
    assert "search_shard_pages" in config
    tmp_path.mkdir(parents=True, exist_ok=True)
    project = make_project(tmp_path, config)
    shutil.rmtree(project / "archive" / ".cache", ignore_errors=True)  # whatever builds of the repository left
    return project


def build(project: Path, site: Path, *options: str) -> tuple[int, int]:
    """Build the site; (shards Pagefind indexed, shards in all), from the build's summary line."""
    result = run_cli(*options, "build", "--site-dir", str(site), cwd=project)
    assert result.returncode == 0, result.stderr
    found = re.search(r"Pagefind indexed (\d+) of (\d+)", result.stderr)
    assert found, result.stderr
    return int(found[1]), int(found[2])


def bundles(site: Path) -> dict[str, dict[str, bytes]]:
    """Every search bundle of the site (pagefind/, pagefind-2/ …) with the bytes of each of its files."""
    return {folder.name: {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
            for folder in site.glob("pagefind*") if folder.is_dir()}


def urls(bundle: Path) -> set[str]:
    """The pages a bundle indexes: each fragment is gzipped 'pagefind_dcd' and the page's JSON."""
    found = set()
    for fragment in (bundle / "fragment").iterdir():
        data = gzip.decompress(fragment.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        found.add(json.loads(data[len(b"pagefind_dcd"):])["url"])
    return found


def entries(project: Path) -> dict[str, float]:
    return {p.name: p.stat().st_mtime_ns for p in (project / "archive" / ".cache" / "search").iterdir()}


def test_a_second_build_indexes_nothing_and_gives_the_bundles_of_a_build_without_cache(tmp_path):
    project = project_in(tmp_path / "a")
    ran, shards = build(project, tmp_path / "site1")
    assert ran == shards > 3
    cached = entries(project)
    assert len(cached) == shards
    assert build(project, tmp_path / "site2") == (0, shards)
    assert entries(project) == cached  # nothing rewritten
    fresh = project_in(tmp_path / "b")  # the same archive, no cache at all
    assert build(fresh, tmp_path / "site3") == (shards, shards)
    assert bundles(tmp_path / "site2") == bundles(tmp_path / "site3") == bundles(tmp_path / "site1")
    assert len(bundles(tmp_path / "site2")) == shards
    # And every page the site marks for search is in exactly one bundle.
    site = tmp_path / "site2"
    marked = [p.relative_to(site) for p in site.rglob("*.html") if b"data-pagefind-body" in p.read_bytes()]
    assert all(p.name == "index.html" for p in marked)
    held = [urls(site / name) for name in bundles(site)]
    assert sum(len(h) for h in held) == len(marked)
    assert set().union(*held) == {"/" if p.parent.name == "" else f"/{p.parent.as_posix()}/" for p in marked}


def test_a_changed_page_reindexes_only_its_shard(tmp_path):
    project = project_in(tmp_path)
    _, shards = build(project, tmp_path / "site1")
    before = bundles(tmp_path / "site1")
    about = project / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\nQuokkaresilience is a word of this test.\n",
                     encoding="utf-8")
    assert build(project, tmp_path / "site2") == (1, shards)
    after = bundles(tmp_path / "site2")
    changed = [name for name in after if after[name] != before[name]]
    assert len(changed) == 1
    assert "/about/" in urls(tmp_path / "site2" / changed[0])
    assert len(entries(project)) == shards  # the old entry of that shard is gone


def test_a_new_article_leaves_the_earlier_article_shards_alone(tmp_path):
    project = project_in(tmp_path)
    entry = project / "archive" / "entries" / f"{NEWEST}.json"
    kept = entry.read_bytes()
    entry.unlink()  # the archive of the day before the newest article arrived
    # The curated onboarding path names the newest article, so this project goes without it.
    (project / "onboarding.yml").unlink()
    build(project, tmp_path / "site1")
    entry.write_bytes(kept)
    ran, shards = build(project, tmp_path / "site2")
    before, after = bundles(tmp_path / "site1"), bundles(tmp_path / "site2")
    holding = {name: urls(tmp_path / "site2" / name) for name in after}
    articles = [name for name, pages in holding.items() if all(u.startswith("/articles/") for u in pages)
                and not {"/articles/"} & pages]
    assert len(articles) == 3  # 12 articles in shards of 5
    [newest] = [name for name in articles if f"/articles/{NEWEST}/" in holding[name]]
    assert len(holding[newest]) == 2  # the last shard: the newest article joined it
    earlier = [name for name in articles if name != newest]
    for name in earlier:  # each the bundle of the day before (its folder's number may move: other pages come first)
        assert after[name] in before.values(), name
    assert ran <= shards - len(earlier)  # at least those came from the cache, not from Pagefind


def test_a_damaged_entry_is_indexed_again_and_the_site_is_complete(tmp_path):
    project = project_in(tmp_path)
    _, shards = build(project, tmp_path / "site1")
    cache = project / "archive" / ".cache" / "search"
    first, second, third = sorted(cache.iterdir())[:3]
    damaged = next(p for p in (first / "bundle").rglob("*") if p.is_file() and p.suffix == ".pf_fragment")
    data = damaged.read_bytes()
    damaged.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))       # one byte changed
    (second / "manifest.json").unlink()                           # the manifest lost
    next(p for p in (third / "bundle").rglob("*.pf_index")).unlink()  # a file of the bundle lost
    assert build(project, tmp_path / "site2") == (3, shards)
    assert bundles(tmp_path / "site2") == bundles(tmp_path / "site1")
    assert len(entries(project)) == shards
    assert build(project, tmp_path / "site3") == (0, shards)  # and the entries are whole again


def test_a_build_leaves_no_pagefind_run_or_staging_folder_behind(tmp_path):
    """Shards are indexed beside MkDocs as their pages are written: all of it is over when the build is."""
    project = project_in(tmp_path)
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    result = subprocess.run([sys.executable, "-m", "ingest.cli", "build", "--site-dir", str(tmp_path / "site")],
                            cwd=project, capture_output=True, text=True, timeout=300,
                            env={**os.environ, "TMPDIR": str(temporary)})
    assert result.returncode == 0, result.stderr
    assert "Pagefind indexed" in result.stderr
    assert list(temporary.iterdir()) == []
    assert not list((tmp_path / "site").rglob("*.log"))


def test_the_cache_holds_only_the_latest_builds_shards(tmp_path):
    project = project_in(tmp_path)
    about = project / "docs" / "about.md"
    text = about.read_text(encoding="utf-8")
    for day in range(4):
        about.write_text(text + f"\nEdition {day}.\n", encoding="utf-8")
        ran, shards = build(project, tmp_path / f"site{day}")
        assert ran == (shards if day == 0 else 1)
    cache = project / "archive" / ".cache" / "search"
    assert len(list(cache.iterdir())) == shards  # no entry of an earlier edition, no temporary folder


def test_a_symlinked_cache_folder_is_not_used_and_nothing_outside_changes(tmp_path):
    project = project_in(tmp_path)
    outside = tmp_path / "outside"
    (outside / "search" / "0123456789abcdef0123456789abcdef").mkdir(parents=True)  # looks like an entry to prune
    (project / "archive" / ".cache").symlink_to(outside, target_is_directory=True)
    ran, shards = build(project, tmp_path / "site1")
    assert ran == shards
    assert [p.name for p in (outside / "search").iterdir()] == ["0123456789abcdef0123456789abcdef"]
    assert len(bundles(tmp_path / "site1")) == shards
    assert build(project, tmp_path / "site2") == (shards, shards)


def test_a_marked_page_in_no_list_joins_the_first_shard_even_after_it_was_indexed(tmp_path):
    """The first shard is indexed as soon as its pages are written; a marked page that no list named (found
    once every page is written) must still be in the first index, not lost."""
    from ingest.site.search import SearchIndexer
    site = tmp_path / "site"
    page = ('<html lang="en"><head><title>{0}</title></head><body><main data-pagefind-body><h1>{0}</h1>'
            '<p>{1} resilience</p></main></body></html>')
    for name, word in {"a": "alpha", "b": "bravo", "c": "charlie", "stray": "delta"}.items():
        (site / name).mkdir(parents=True)
        (site / name / "index.html").write_text(page.format(name, word), encoding="utf-8")
    indexer = SearchIndexer(site, [["a/index.html", "b/index.html"], ["c/index.html"]])
    for written in ("a/index.html", "b/index.html", "c/index.html"):
        indexer.written(written)
    assert indexer.runs >= 1, "the first shard was started before the end of the build"
    summary = indexer.finish()
    assert urls(site / "pagefind") == {"/a/", "/b/", "/stray/"}
    assert urls(site / "pagefind-2") == {"/c/"}
    assert "search index of 4 pages in 2 shards" in summary  # Pagefind's "Indexed 1 page" counts too
    assert "Pagefind indexed 2 of 2, 0 came from the cache" in summary

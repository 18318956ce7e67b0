"""The analysis cache: a warm load parses nothing and equals a cold one; a change makes a real miss.

Whether an article was parsed is observed, not mocked: a profile hook records
every call of `parse_article` (the cleaner, the document model and the
extractors all run below it) while the archive is loaded.
"""

from __future__ import annotations

import pytest

import io
import shutil
import sys
from contextlib import contextmanager
from typing import Iterator

from support import BUNDLED_ARCHIVE
from ingest.model.articles import parse_article
from ingest.model.export import write_knowledge_json
from ingest.model.load import load_knowledge
from ingest.site.urls import article_from_article

COLLECTION = "the-operational-excellence-collection-1ppm-9784f03775"
ORR = "operational-readiness-review-template-1dha-d5b27f59d0"
ENTRIES = 12  # files in archive/entries
LOCAL = article_from_article(True)


def knowledge_json(knowledge) -> str:
    """knowledge.json as `resilience-kb export` writes it."""
    handle = io.StringIO()
    write_knowledge_json(knowledge, handle)
    return handle.getvalue()


@contextmanager
def parsed() -> Iterator[list[str]]:
    """The ids of the archived entries parsed inside the block, in order."""
    ids: list[str] = []
    target = parse_article.__code__

    def hook(frame, event, arg):
        if event == "call" and frame.f_code is target:
            ids.append(frame.f_locals["record"].id)

    previous = sys.getprofile()
    sys.setprofile(hook)
    try:
        yield ids
    finally:
        sys.setprofile(previous)


def copy_archive(tmp_path):
    archive = tmp_path / "archive"
    shutil.copytree(BUNDLED_ARCHIVE, archive, ignore=shutil.ignore_patterns(".cache", ".lock", ".fetch-report.json"))
    return archive


def test_warm_load_parses_nothing_and_gives_the_same_knowledge_as_a_cold_one(tmp_path):
    archive = copy_archive(tmp_path)
    uncached, _ = load_knowledge(archive, local_url=LOCAL, cache=False)
    with parsed() as cold_parses:
        cold, _ = load_knowledge(archive, local_url=LOCAL)
    assert len(cold_parses) == ENTRIES
    assert len(list((archive / ".cache" / "analysis").rglob("*.json"))) == ENTRIES
    with parsed() as warm_parses:
        warm, _ = load_knowledge(archive, local_url=LOCAL)
    assert warm_parses == []  # every article came from the cache
    assert knowledge_json(warm) == knowledge_json(cold) == knowledge_json(uncached)
    assert [a.body.html for a in warm.articles] == [a.body.html for a in uncached.articles]


def test_another_url_scheme_is_a_miss(tmp_path):
    """Links between articles are in the cached HTML, so pages without directory URLs need their own entries."""
    archive = copy_archive(tmp_path)
    load_knowledge(archive, local_url=LOCAL)
    with parsed() as parses:
        flat, _ = load_knowledge(archive, local_url=article_from_article(False))
    assert len(parses) == ENTRIES
    assert f'href="{ORR}.html"' in flat.article(COLLECTION).body.html


def test_an_article_is_redone_when_one_of_its_links_now_leads_into_the_archive(tmp_path):
    archive = copy_archive(tmp_path)
    held_back = archive.parent / f"{ORR}.json"
    shutil.move(archive / "entries" / f"{ORR}.json", held_back)
    before, _ = load_knowledge(archive, local_url=LOCAL)
    assert f"../{ORR}/" not in before.article(COLLECTION).body.html  # the ORR is not archived yet
    shutil.move(held_back, archive / "entries" / f"{ORR}.json")
    with parsed() as parses:
        after, _ = load_knowledge(archive, local_url=LOCAL)
    # The new entry, and the one article whose link now leads to it; the other ten are hits.
    assert sorted(parses) == sorted([ORR, COLLECTION])
    assert f'href="../{ORR}/"' in after.article(COLLECTION).body.html


def test_a_damaged_cache_file_is_only_a_miss(tmp_path):
    archive = copy_archive(tmp_path)
    cold, _ = load_knowledge(archive, local_url=LOCAL)
    for path in (archive / ".cache" / "analysis").rglob("*.json"):
        path.write_text('{"article": {"__type__": "Article", "id": ')
    with parsed() as parses:
        again, _ = load_knowledge(archive, local_url=LOCAL)
    assert len(parses) == ENTRIES
    assert knowledge_json(again) == knowledge_json(cold)


def test_a_symlinked_cache_folder_is_not_used_and_nothing_outside_changes(tmp_path, caplog):
    """A tampered archive whose .cache points elsewhere must not make the build write or prune there."""
    archive = copy_archive(tmp_path)
    outside = tmp_path / "outside"
    stale = outside / "analysis" / "0123456789abcdef"  # looks like an older code's cache: prune's target
    stale.mkdir(parents=True)
    (stale / "keep.json").write_text("precious")
    (archive / ".cache").symlink_to(outside, target_is_directory=True)
    with parsed() as parses:
        knowledge, _ = load_knowledge(archive, local_url=LOCAL)
    assert len(parses) == ENTRIES and len(knowledge.articles) == ENTRIES  # analysed afresh, all of them
    assert sorted(p.relative_to(outside).as_posix() for p in outside.rglob("*")) == [
        "analysis", "analysis/0123456789abcdef", "analysis/0123456789abcdef/keep.json"]
    assert (stale / "keep.json").read_text() == "precious"
    assert "is a symbolic link; the analysis cache is not used" in caplog.text


# Builds, fetches or runs the command line in subprocesses: left out of `make test-fast`.
pytestmark = pytest.mark.slow

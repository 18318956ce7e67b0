"""The analysis cache: a warm load equals a cold one, and a cached article is redone when the archive
now answers one of its links differently."""

from __future__ import annotations

import shutil

from conftest import BUNDLED_ARCHIVE
from ingest.model.export import knowledge_json
from ingest.model.load import load_knowledge

COLLECTION = "the-operational-excellence-collection-1ppm-9784f03775"
ORR = "operational-readiness-review-template-1dha-d5b27f59d0"


def test_warm_load_gives_the_same_knowledge_as_a_cold_one(tmp_path):
    archive = tmp_path / "archive"
    shutil.copytree(BUNDLED_ARCHIVE, archive, ignore=shutil.ignore_patterns(".cache", ".lock", ".fetch-report.json"))
    uncached, _ = load_knowledge(archive, cache=False)
    cold, _ = load_knowledge(archive)
    assert len(list((archive / ".cache" / "analysis").rglob("*.json"))) == 12
    warm, _ = load_knowledge(archive)
    assert knowledge_json(warm) == knowledge_json(cold) == knowledge_json(uncached)
    assert [a.body.html for a in warm.articles] == [a.body.html for a in uncached.articles]


def test_an_article_is_redone_when_one_of_its_links_now_leads_into_the_archive(tmp_path):
    archive = tmp_path / "archive"
    shutil.copytree(BUNDLED_ARCHIVE, archive, ignore=shutil.ignore_patterns(".cache", ".lock", ".fetch-report.json"))
    held_back = archive.parent / f"{ORR}.json"
    shutil.move(archive / "entries" / f"{ORR}.json", held_back)
    before, _ = load_knowledge(archive)
    assert f"../{ORR}/" not in before.article(COLLECTION).body.html  # the ORR is not archived yet
    shutil.move(held_back, archive / "entries" / f"{ORR}.json")
    after, _ = load_knowledge(archive)
    assert f'href="../{ORR}/"' in after.article(COLLECTION).body.html


def test_a_damaged_cache_file_is_only_a_miss(tmp_path):
    archive = tmp_path / "archive"
    shutil.copytree(BUNDLED_ARCHIVE, archive, ignore=shutil.ignore_patterns(".cache", ".lock", ".fetch-report.json"))
    cold, _ = load_knowledge(archive)
    for path in (archive / ".cache" / "analysis").rglob("*.json"):
        path.write_text('{"article": {"__type__": "Article", "id": ')
    again, _ = load_knowledge(archive)
    assert knowledge_json(again) == knowledge_json(cold)

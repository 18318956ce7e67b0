"""feedparser's own test corpus (2,106 feeds: well-formed, ill-formed, odd encodings, entity tricks)
through the whole pipeline: each feed ingested or refused in one line, never a traceback, and an
archive that loads and builds into a site with nothing executable in it."""

from __future__ import annotations

from collections import Counter

import pytest

from support import ROOT, make_project, run_cli
from ingest.archive.store import Archive
from ingest.archive.collect import FetchOptions, collect_source
from ingest.model.load import load_knowledge
from sitecheck import executable_content

pytestmark = pytest.mark.slow

CORPUS = ROOT.parent / "shared" / "feedparser-corpus" / "tests"


@pytest.fixture(scope="module")
def corpus_files():
    files = sorted(CORPUS.rglob("*.xml")) if CORPUS.is_dir() else []
    if not files:
        pytest.skip(f"feedparser's corpus is not at {CORPUS} (CI has it)")
    return files


def test_every_corpus_feed_is_ingested_or_refused_in_one_line(tmp_path, corpus_files):
    archive = Archive(tmp_path / "archive")
    outcomes: Counter = Counter()
    for path in corpus_files:
        report = collect_source(archive, str(path), [], FetchOptions())  # raising here would be a traceback
        outcomes[report.status] += 1
        if report.failed:
            assert report.error and "\n" not in report.error and "Traceback" not in report.error, path
    assert len(corpus_files) == 2106
    assert outcomes["file"] + outcomes["error"] == 2106
    assert outcomes["file"] > 1000  # most of the corpus is feeds with entries
    records = [archive.read_entry(path) for path in archive.entry_paths()]
    assert len(records) > 400
    knowledge, _ = load_knowledge(archive.root)
    assert len(knowledge.articles) == len(records)


def test_the_corpus_archive_builds_a_safe_site(tmp_path, corpus_files):
    project = make_project(tmp_path, with_archive=False)
    archive = Archive(project / "archive")
    for path in corpus_files:
        collect_source(archive, str(path), [], FetchOptions())
    site = tmp_path / "site"
    result = run_cli("build", "--site-dir", str(site), cwd=project)
    assert result.returncode == 0, result.stderr
    pages = [p for p in (site / "articles").glob("*/index.html") if p.parent.name not in ("by-year", "by-kind")]
    assert len(pages) == len([archive.read_entry(path) for path in archive.entry_paths()])
    unsafe = {str(p.relative_to(site)): found for p in site.rglob("*.html") if (found := executable_content(p))}
    assert unsafe == {}

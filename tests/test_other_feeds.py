"""The pipeline on real feeds of other shapes: Atom with an XML flaw, Medium in Polish,
windows-1251 Russian, another DEV author. No crash, a page for every entry, no invented notes."""

from __future__ import annotations

from collections import Counter

import pytest

from conftest import FIXTURES, make_project, run_cli
from ingest.load import load_knowledge

FEEDS = {  # fixture -> entries it holds (counted in the file)
    "aws_blog_typepad_2009.atom.xml": 10,
    "medium_ameliakusiak_polish.rss.xml": 3,
    "ibash_russian_windows1251.rss.xml": 50,
    "devto_gautamkrishnar_2020.rss.xml": 6,
}


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    root = tmp_path_factory.mktemp("other-feeds")
    project = make_project(root, with_archive=False)
    for name in FEEDS:
        result = run_cli("--archive", str(root / "archive"), "fetch", "--feed", str(FIXTURES / name), cwd=project)
        assert result.returncode == 0, result.stderr
    return project, root / "archive"


def test_every_entry_becomes_an_article_page(scratch):
    project, archive = scratch
    site = archive.parent / "site"
    result = run_cli("--archive", str(archive), "build", "--site-dir", str(site), cwd=project)
    assert result.returncode == 0, result.stderr
    pages = [p for p in (site / "articles").glob("*/index.html") if p.parent.name not in ("by-year", "by-kind")]
    assert len(pages) == sum(FEEDS.values())
    polish = (site / "articles").rglob("index.html")
    assert any("Koszty tranzycji medycznej" in p.read_text() for p in polish)


def test_no_notes_are_invented(scratch):
    _, archive = scratch
    knowledge, _ = load_knowledge(archive)
    assert len(knowledge.articles) == sum(FEEDS.values())
    assert knowledge.with_notes("launches") == []
    assert knowledge.biases == ()
    assert knowledge.with_notes("lessons") == []
    assert knowledge.with_notes("injections") == []
    assert knowledge.checklists() == []
    assert knowledge.problems() == []
    kinds = Counter(knowledge.notes[a.id].kind for a in knowledge.articles)
    assert set(kinds) <= {"article", "tutorial"}


def test_non_latin_text_survives(scratch):
    _, archive = scratch
    knowledge, _ = load_knowledge(archive)
    titles = {a.title for a in knowledge.articles}
    assert "Цитата #17703" in titles
    assert "Historia transpłciości" in titles

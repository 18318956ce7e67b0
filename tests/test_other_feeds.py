"""The pipeline on real feeds of other shapes: Atom with an XML flaw, Medium in Polish,
windows-1251 Russian, another DEV author. No crash, a page for every entry, no invented notes."""

from __future__ import annotations

import io
import subprocess
import sys
import xml.sax
from collections import Counter

import feedparser
import feedparser.api
import pytest

from support import FIXTURES, make_project, run_cli
from ingest.archive.feeds import our_parsers
from ingest.model.load import load_knowledge
from ingest.archive.saxdriver import BufferedExpatParser

pytestmark = pytest.mark.slow

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
    assert knowledge.with_notes(lambda n: n.launches) == []
    assert knowledge.biases == ()
    assert knowledge.with_notes(lambda n: n.lessons) == []
    assert knowledge.with_notes(lambda n: n.injections) == []
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


def test_feeds_module_leaves_feedparsers_driver_list_alone():
    """Importing feeds.py, and parsing with it, must not change feedparser for the rest of the process."""
    script = (
        "import io, feedparser\n"
        "before = list(feedparser.api.PREFERRED_XML_PARSERS)\n"
        "from ingest.archive.feeds import parse_feed\n"
        "assert feedparser.api.PREFERRED_XML_PARSERS == before, 'import changed it'\n"
        "parse_feed(b'<rss version=\"2.0\"><channel><item><title>t</title></item></channel></rss>')\n"
        "assert feedparser.api.PREFERRED_XML_PARSERS == before, 'parse_feed changed it'\n"
        "assert 'ingest.archive.saxdriver' not in before\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("name", ["adhorn-devto-feed.xml", *FEEDS])
def test_buffered_sax_driver_parses_exactly_as_the_standard_one(name, monkeypatch):
    """feeds.py gives feedparser our expat driver (buffered text, for speed); it must change nothing."""
    body = (FIXTURES / name).read_bytes()

    def parse():
        return feedparser.parse(io.BytesIO(body), sanitize_html=False, resolve_relative_uris=False)

    with our_parsers():
        # make_parser falls back to the standard driver without a word if ours cannot load.
        assert isinstance(xml.sax.make_parser(feedparser.api.PREFERRED_XML_PARSERS), BufferedExpatParser)
        ours = parse()
    monkeypatch.setattr(feedparser.api, "PREFERRED_XML_PARSERS", [])  # the standard library's expat reader
    standard = parse()
    assert ours.entries and ours.entries == standard.entries
    assert ours.feed == standard.feed
    assert ours.get("bozo") == standard.get("bozo")

"""An article's notes do not depend on what else is archived (issue 22).

Links to archived articles are shown as local pages; the notes read from an
article must be the same, apart from where links point, whether or not the pages
it links to are archived. Checked on every article of every feed the project has.
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

import pytest

from support import FIXTURES, ROOT
from ingest.archive.feeds import FeedError, parse_feed
from ingest.archive.records import EntryRecord
from ingest.model.articles import parse_article
from ingest.model.html.clean import clean_html
from ingest.model.knowledge import article_notes
from ingest.model.extract import extract_notes
from ingest.model.extract.vocabulary import load_vocabulary

SHARED = ROOT.parent / "shared"
CORPUS = ROOT / "tests" / "corpus"


def _feed_files() -> list[Path]:
    """Every feed file the project has: the seed, the shared feeds, the real-feed corpus, the fixtures,
    and feedparser's corpus where it is (CI has it); each file once, by content."""
    found: dict[str, Path] = {}
    folders = [SHARED / "seed", SHARED / "feeds", CORPUS, FIXTURES]
    paths = [p for folder in folders if folder.is_dir() for p in sorted(folder.glob("*.xml"))]
    paths += sorted((SHARED / "feedparser-corpus" / "tests").rglob("*.xml"))
    for path in paths:
        found.setdefault(hashlib.sha256(path.read_bytes()).hexdigest(), path)
    return list(found.values())


def _records(path: Path) -> list[EntryRecord]:
    try:
        parsed = parse_feed(path.read_bytes())
    except FeedError:
        return []
    return [EntryRecord(id=f"entry-{n}", key=str(n), feed=path.stem, first_seen="2024-01-01T00:00:00Z",
                        updated=None, content_hash="", revisions=(), entry=entry)
            for n, entry in enumerate(parsed.entries)]


def _every_link_archived(url: str, text: str) -> str | None:
    """A resolver for an archive that holds every page any article links to."""
    return f"../{hashlib.sha1(url.encode()).hexdigest()[:12]}/" if url.startswith("http") else None


def _without_targets(notes):
    """The notes with where each launch points left out."""
    return dataclasses.replace(notes, launches=tuple(dataclasses.replace(launch, url=None)
                                                     for launch in notes.launches))


def test_notes_are_the_same_whether_or_not_linked_pages_are_archived():
    vocabulary = load_vocabulary()
    files = _feed_files()
    assert len(files) >= 25  # the seed, the shared feeds, the corpus and the fixtures at least
    articles = differing = 0
    links_made_local = 0
    failures = []
    for path in files:
        for record in _records(path):
            alone, alone_document = parse_article(record, None)
            linked, linked_document = parse_article(record, _every_link_archived)
            links_made_local += linked.body.html.count('href="../')
            articles += 1
            left = _without_targets(article_notes(alone, alone_document, vocabulary))
            right = _without_targets(article_notes(linked, linked_document, vocabulary))
            if left != right:
                differing += 1
                failures.append(f"{path.name} {record.entry.get('title')!r}")
    assert articles > 300
    assert links_made_local > 1000  # the resolver did make the links local: the pages differ
    assert failures == [], f"{differing} of {articles} articles: {failures[:10]}"


ROUNDUP = """
<p>Here is what happened on the blog last week.</p>
<p><strong>Last week's launches</strong></p>
<p>Here are the launches that got my attention:</p>
<ul>
<li><a href="https://blog.example.com/2024/01/queues-get-dead-letter-redrive/">Queues get dead-letter redrive</a> – move messages back from a dead-letter queue.</li>
<li><a href="https://news.example.org/2024/01/functions-snap-start/">Functions start faster with snapshots</a> – start-up from a snapshot.</li>
<li><a href="https://blog.example.com/2024/01/database-blue-green/">Blue/green deployments for databases</a> – switch over in a minute.</li>
</ul>
<p>That's all for this week.</p>
"""


def test_a_roundup_keeps_the_launches_that_link_to_archived_posts():
    """The items linking to posts of the same blog stay launches once those posts are archived."""
    vocabulary = load_vocabulary()

    def archived(url: str, text: str) -> str | None:  # the blog's own posts are in the archive
        return "../post/" if "blog.example.com" in url else None

    for resolve in (None, archived):
        clean = clean_html(ROUNDUP, base_url="https://blog.example.com/2024/01/roundup/", resolve_link=resolve)
        notes = extract_notes(clean.document, vocabulary)
        assert notes.kind == "digest"
        # Hand labels: the three items of the list, with the URLs the author linked to.
        assert [(launch.title, launch.url) for launch in notes.launches] == [
            ("Queues get dead-letter redrive", "https://blog.example.com/2024/01/queues-get-dead-letter-redrive/"),
            ("Functions start faster with snapshots", "https://news.example.org/2024/01/functions-snap-start/"),
            ("Blue/green deployments for databases", "https://blog.example.com/2024/01/database-blue-green/"),
        ]
    # The page itself still links to the local pages.
    page = clean_html(ROUNDUP, base_url="https://blog.example.com/2024/01/roundup/", resolve_link=archived).html
    assert page.count('href="../post/"') == 2


@pytest.mark.parametrize("resolve", [None, _every_link_archived])
def test_the_document_keeps_the_authors_urls(resolve):
    clean = clean_html('<p>See <a href="/a">the post</a> and <a href="#x">below</a>.</p>',
                       base_url="https://blog.example.com/p/", resolve_link=resolve)
    [block] = clean.document.blocks
    assert [(link.text, link.href) for link in block.links] == [("the post", "https://blog.example.com/a"),
                                                               ("below", "#x")]


# Builds, fetches or runs the command line in subprocesses: left out of `make test-fast`.
pytestmark = pytest.mark.slow

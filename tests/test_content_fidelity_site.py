"""What a reader sees of article bodies on a built site of many real sources (issue 21, content
fidelity): an excerpt says it is one and links the whole article at its source, and no page shows
a character reference spelled out (`&nbsp;`, `&amp;`, `&#39;`) as text."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from manysources import many_sources_project
from support import run_cli
from test_content_fidelity import BLOGGER_SUMMARY, SPELLED, blogger_summary_feed

pytestmark = pytest.mark.slow

NOTICE = "This is the feed's excerpt; read the whole article on"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("many")
    project = many_sources_project(root)
    feed = root / "blogger_summary.atom.xml"
    feed.write_bytes(blogger_summary_feed(BLOGGER_SUMMARY, title="Queue workers, moved"))
    result = run_cli("fetch", "--feed", str(feed), cwd=project)
    assert result.returncode == 0, result.stderr
    folder = root / "site"
    result = run_cli("build", "--site-dir", str(folder), cwd=project)
    assert result.returncode == 0, result.stderr
    return folder


def article_pages(site):
    return [p for p in (site / "articles").glob("*/index.html") if p.parent.name not in ("by-year", "by-kind")]


def page_text(path) -> str:
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
    for hidden in soup.find_all(["script", "style", "pre", "code", "template"]):
        hidden.decompose()
    return soup.get_text(" ")


def test_an_excerpt_says_so_and_links_the_whole_article(site):
    [page] = [p for p in article_pages(site) if "Queue workers, moved" in p.read_text(encoding="utf-8")]
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
    notice = soup.select_one(".rkb-excerpt")
    assert notice is not None and NOTICE in " ".join(notice.get_text(" ").split())
    link = notice.find("a")
    assert link["href"] == "http://opslog.blogspot.com/2012/05/notes-from-field.html"
    assert "opslog.blogspot.com" in link.get_text()


def test_whole_articles_carry_no_excerpt_notice(site):
    pages = article_pages(site)
    marked = sorted(p.parent.name for p in pages if "rkb-excerpt" in p.read_text(encoding="utf-8"))
    # Of the many sources, only the built Blogger summary is cut short (the corpus's teasers are in other tests).
    assert len(marked) == 1 and marked[0].startswith("queue-workers-moved") and len(pages) > 80


def test_no_page_shows_a_spelled_out_reference(site):
    shown = {}
    for path in site.rglob("*.html"):
        found = SPELLED.findall(page_text(path))
        if found:
            shown[str(path.relative_to(site))] = found[:3]
    assert shown == {}

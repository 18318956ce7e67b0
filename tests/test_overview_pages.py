"""The home page's generated part and the Notes index, from the knowledge base (pure: no build).

The home page routes four kinds of reader and stays a short page however large the archive: at
ten sources and 10,000 articles it gives counts and a few links, sources by their titles."""

from __future__ import annotations

import html
import re
from dataclasses import replace

import pytest

from support import BUNDLED_ARCHIVE, ROOT
from ingest.archive.records import FeedState
from ingest.model.load import load_knowledge
from ingest.site.info import SiteInfo
from ingest.site.overview_pages import render_notes_index, render_summary

LINK = re.compile(r"\]\(([^)]+)\)")


@pytest.fixture(scope="module")
def bundled():
    knowledge, feeds = load_knowledge(BUNDLED_ARCHIVE, ROOT / "checklists", cache=False)
    return knowledge, feeds


def many(knowledge, sources: int, articles: int):
    """`articles` copies of the bundled articles spread over `sources` feeds, newest first as the model has them."""
    made, notes = [], {}
    for n in range(articles):
        original = knowledge.articles[n % len(knowledge.articles)]
        copy = replace(original, id=f"{original.id}-{n}", feed=f"source-{n % sources}")
        made.append(copy)
        notes[copy.id] = knowledge.notes[original.id]
    return replace(knowledge, articles=tuple(made), notes=notes)


def test_the_routes_link_start_here_the_checklists_the_patterns_and_whats_new(bundled):
    knowledge, feeds = bundled
    text = render_summary(knowledge, SiteInfo(feed_states=feeds))
    targets = LINK.findall(text)
    for target in ("start-here.md", "checklists/orr.md", "checklists/postmortem.md", "patterns/index.md",
                   "whats-new.md", "checklists/index.md"):
        assert target in targets, target
    assert "collection" not in text.lower().split("## latest articles")[0]  # no "search for collection"
    # The source by the title its feed gives (archive/feeds/adhorn.json), not by its name in mkdocs.yml.
    assert "DEV Community: Adrian Hornsby" in html.unescape(text) and "(adhorn" not in text


def test_the_home_page_stays_short_at_ten_sources_and_ten_thousand_articles(bundled):
    knowledge, _ = bundled
    big = many(knowledge, sources=10, articles=10_000)
    states = {f"source-{i}": FeedState(name=f"source-{i}", title=f"Engineering blog {i}") for i in range(10)}
    text = render_summary(big, SiteInfo(feed_states=states))
    assert "**10,000 articles** from **10 sources**" in text
    assert len(LINK.findall(text)) < 40
    assert len(text) < 8_000
    assert "Engineering blog 0" in text and "source-0" not in text
    latest = text.split("## Latest articles")[1].split("\n\n")[1].splitlines()
    assert len(latest) == 5
    # One per source, none of them a launch digest (the bundled archive has two).
    assert len({line.rsplit(" · ", 1)[1] for line in latest}) == 5
    assert not [line for line in latest if "digest" in line.lower()]


def test_the_notes_index_lists_every_kind_of_note(bundled):
    knowledge, _ = bundled
    page = render_notes_index(knowledge)
    assert page.in_nav
    linked = {target for target, _ in page.links}
    assert {"launches/index.md", "biases.md", "lessons/index.md", "failure-injections/index.md"} <= linked

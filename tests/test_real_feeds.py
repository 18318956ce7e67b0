"""The pipeline on a corpus of real feeds of many shapes, graded against hand labels.

The labels (tests/expectations/real_feeds.yml) were written by reading the feeds
(tests/corpus/PROVENANCE.md says where each comes from). The held-out feeds were
never used to tune the rules. DESIGN.md's table of real-world feeds is printed by
`python tests/realfeeds.py`.
"""

from __future__ import annotations

import pytest

from realfeeds import labels, measure_all

pytestmark = pytest.mark.slow

PRECISION_ALL, PRECISION_FEED, FEED_MIN_MENTIONS = 0.90, 0.80, 10


@pytest.fixture(scope="module")
def measured(tmp_path_factory):
    return measure_all(tmp_path_factory.mktemp("real-feeds"))


def test_the_corpus_has_a_dozen_feeds_of_other_shapes_and_every_entry_becomes_an_article(measured):
    assert len(measured) == len(labels()) >= 12
    assert {m.file: m.articles for m in measured} == {m.file: m.entries for m in measured}


def test_every_page_shows_the_richest_body_the_entry_has(measured):
    assert {m.file: m.body_kept for m in measured if m.body_kept < 0.8} == {}


def test_pattern_mentions_are_in_their_sense(measured):
    found = sum(m.mentions_found for m in measured)
    right = sum(m.mentions_true for m in measured)
    assert found and right / found >= PRECISION_ALL, [p for m in measured for p in m.mentions_false]
    for m in measured:
        if m.mentions_found >= FEED_MIN_MENTIONS:
            assert m.precision >= PRECISION_FEED, (m.file, m.mentions_false)


def test_feeds_about_games_news_and_humour_yield_no_pattern_notes(measured):
    quiet = [m for m in measured if any(word in m.file for word in ("4fsod", "onefoottsunami", "ibash", "hoder",
                                                                   "nightvale", "proustcafe"))]
    assert len(quiet) == 6 and all(m.mentions_found == 0 for m in quiet)


def test_no_launches_outside_digests(measured):
    assert {m.file: m.launches for m in measured if m.launches} == {}


def test_kinds_languages_directions_and_authors(measured):
    articles = sum(m.articles for m in measured)
    assert sum(m.kinds_right for m in measured) / articles >= 0.95, [k for m in measured for k in m.kinds_wrong]
    assert [w for m in measured for w in m.languages_wrong] == []
    assert [w for m in measured for w in m.authors_wrong] == []

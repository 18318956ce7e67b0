"""The pipeline on a corpus of real feeds of many shapes, graded against hand labels.

The labels (tests/expectations/real_feeds.yml) were written by reading the feeds
(tests/corpus/PROVENANCE.md says where each comes from). The held-out feeds were
never used to tune the rules. DESIGN.md's table of real-world feeds is printed by
`python tests/realfeeds.py`.
"""

from __future__ import annotations

import pytest

from realfeeds import labels, measure_all, passages_table, precision_by_pattern, problems, readme_table
from support import ROOT

pytestmark = pytest.mark.slow

PRECISION_ALL, PRECISION_FEED, FEED_MIN_MENTIONS = 0.90, 0.80, 10
# Issue 22's targets on the held-out share, never used to tune a rule (i22-feeds-b).
PRECISION_HELD_OUT, LAUNCH_RECALL = 0.95, 0.95


@pytest.fixture(scope="module")
def measured(tmp_path_factory):
    return measure_all(tmp_path_factory.mktemp("real-feeds"))


def test_the_corpus_has_a_dozen_feeds_of_other_shapes_and_every_entry_becomes_an_article(measured):
    assert len(measured) == len(labels()) >= 12
    assert {m.file: m.articles for m in measured} == {m.file: m.entries for m in measured}


def test_every_page_shows_the_richest_body_the_entry_has(measured):
    assert {m.file: m.body_kept for m in measured if m.body_kept < 0.8} == {}


def test_pattern_mentions_of_each_feed_are_in_their_sense(measured):
    for m in measured:
        if m.mentions_found >= FEED_MIN_MENTIONS:
            assert m.precision >= PRECISION_FEED, (m.file, problems([m]))


# The whole-corpus floor: 0.88 (71 of 81) before the word sense of issue 22 (extract/senses.py), 0.94 now.
WHOLE_CORPUS_MEASURED = ("0.94 (75 of 80; in another sense: an oracle watching a chain in the tuning share,"
                         " and four passages of the held-out share, as before the rules of issue 22)")


def test_pattern_mentions_are_in_their_sense_over_the_whole_corpus(measured):
    found = sum(m.mentions_found for m in measured)
    right = sum(m.mentions_true for m in measured)
    assert found and right / found >= PRECISION_ALL, problems(measured)


# Issue 22's targets for pattern passages over the whole corpus, tuned and held out: precision 0.95,
# and no pattern under 0.85 over 10 passages or more. The thirteen feeds of its tuning share
# (i22-feeds-a) were labelled before any run; word sense (i22-sense) is tuned to meet the targets.
ISSUE_22_PRECISION, ISSUE_22_PATTERN_PRECISION, ISSUE_22_PATTERN_PASSAGES = 0.95, 0.85, 10


@pytest.mark.xfail(reason=f"whole-corpus precision measured {WHOLE_CORPUS_MEASURED}", strict=True)
def test_pattern_precision_meets_issue_22_targets_over_the_whole_corpus(measured):
    found = sum(m.mentions_found for m in measured)
    assert found and sum(m.mentions_true for m in measured) / found >= ISSUE_22_PRECISION, problems(measured)
    weak = {pattern: (right, total) for pattern, (right, total) in precision_by_pattern(measured).items()
            if total >= ISSUE_22_PATTERN_PASSAGES and right / total < ISSUE_22_PATTERN_PRECISION}
    assert weak == {}


def test_precision_by_pattern_counts_every_passage_found(measured):
    by_pattern = precision_by_pattern(measured)
    assert sum(total for _, total in by_pattern.values()) == sum(m.mentions_found for m in measured)
    assert sum(right for right, _ in by_pattern.values()) == sum(m.mentions_true for m in measured)


def test_the_readme_table_of_real_feeds_is_current(measured):
    table = readme_table((ROOT / "README.md").read_text(encoding="utf-8"))
    assert table == passages_table(measured), "run: .venv/bin/python tests/realfeeds.py --readme"


def test_feeds_about_games_news_and_humour_yield_no_pattern_notes(measured):
    quiet = [m for m in measured if any(word in m.file for word in ("4fsod", "onefoottsunami", "ibash", "hoder",
                                                                   "nightvale", "proustcafe"))]
    assert len(quiet) == 6 and all(m.mentions_found == 0 for m in quiet)


def test_abstracts_about_plants_yield_no_pattern_notes(measured):
    plants = [m for m in measured if any(word in m.file for word in ("biorxiv_plantbio", "vegetation_science"))]
    assert len(plants) == 2 and all(m.mentions_found == 0 for m in plants)  # cells, replicates, monitoring plots


def test_no_launches_outside_labelled_release_notes_and_roundups(measured):
    # the held-out share's: test_held_out_feeds_have_no_launches_outside_their_labels below
    assert {m.file: m.launches_unlabelled for m in measured if m.launches_unlabelled and not m.held_out} == {}


def test_kinds_languages_directions_and_authors(measured):
    tuned = [m for m in measured if not m.held_out]  # the held-out share's kinds: test_held_out_kinds below
    articles = sum(m.articles for m in tuned)
    assert sum(m.kinds_right for m in tuned) / articles >= 0.95, [k for m in tuned for k in m.kinds_wrong]
    assert [w for m in measured for w in m.languages_wrong] == []
    assert [w for m in measured for w in m.authors_wrong] == []


# Issue 22's targets, measured on the held-out feeds. Where the current rules miss a target the test
# stays, marked xfail with the number measured, so that the held-out result is reported as it is.
HELD_OUT_PRECISION_MEASURED = "0.81 (17 of 21: heap canaries, allocator slab isolation, an isolated chunk of code)"
HELD_OUT_KINDS_MEASURED = "0.91 (197 of 217; 196 before release notes' lists were read, i22-launches)"
HELD_OUT_LAUNCHES_MEASURED = "0.15 (4 of 26; 0 before release notes' lists were read, i22-launches)"
HELD_OUT_UNLABELLED_MEASURED = "1 (a changelog item read as a launch where the labels have none, i22-launches)"


@pytest.mark.xfail(reason=f"held-out precision measured {HELD_OUT_PRECISION_MEASURED}", strict=True)
def test_held_out_pattern_mentions_are_in_their_sense(measured):
    held = [m for m in measured if m.held_out]
    found = sum(m.mentions_found for m in held)
    assert found and sum(m.mentions_true for m in held) / found >= PRECISION_HELD_OUT, problems(held)


@pytest.mark.xfail(reason=f"held-out kinds measured {HELD_OUT_KINDS_MEASURED}", strict=True)
def test_held_out_kinds(measured):
    held = [m for m in measured if m.held_out]
    assert sum(m.kinds_right for m in held) / sum(m.articles for m in held) >= 0.95, \
        [k for m in held for k in m.kinds_wrong]


@pytest.mark.xfail(reason=f"held-out launches where none is labelled: {HELD_OUT_UNLABELLED_MEASURED}", strict=True)
def test_held_out_feeds_have_no_launches_outside_their_labels(measured):
    assert {m.file: m.launches_unlabelled for m in measured if m.launches_unlabelled and m.held_out} == {}


@pytest.mark.xfail(reason=f"held-out launch recall measured {HELD_OUT_LAUNCHES_MEASURED}", strict=True)
def test_held_out_release_notes_and_roundups_keep_their_launches(measured):
    held = [m for m in measured if m.held_out and m.launches_labelled]
    labelled = sum(m.launches_labelled for m in held)
    assert labelled >= 20 and sum(m.launches_found for m in held) / labelled >= LAUNCH_RECALL, \
        [miss for m in held for miss in m.launches_missed]

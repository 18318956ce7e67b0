"""Tags merged as a reader means them: case, spacing and plural, and only onto a singular the archive uses.

The pairs are labelled by hand: the first group from the tags of the many-source site's feeds
(tests/manysources.py), the rest the cases the issue names and words a plural rule gets wrong."""

from __future__ import annotations

import pytest

from ingest.model.tags import TagIndex

# Spellings that name one tag: (spellings as feeds wrote them, the name shown).
SAME = [
    (["introduction", "introductions"], "introduction"),  # the yakubin and DEV feeds
    (["iOS 10", "iOS10", "iOS10"], "iOS10"),  # Natasha The Robot's feed: the most used spelling is shown
    (["Bug", "Bugs", "Bugs"], "Bugs"),
    (["bug", "Bug"], "Bug"),  # a tie: the spelling with capitals, as a proper name would have
    (["Site Reliability", "site-reliability", "site_reliability"], "Site Reliability"),
    (["policy", "policies"], "policy"),
    (["process", "processes"], "process"),
    (["patch", "patches"], "patch"),
    (["release", "releases", "Releases"], "release"),
]

# Spellings that must stay apart, though a rule for plurals might join them.
APART = [
    ["ios", "iOS 10"],  # from the corpus: an OS and one version of it
    ["passkit", "passkit pass"],
    ["Photos", "Arts Photos"],
    ["Technology", "Technology Web"],
    ["news", "new"],
    ["ops", "op"],
    ["series", "sery"],
    ["process", "proces"],
]

# Words ending in s that are not plurals, alone in the archive: each stays as it is.
ALONE = ["kubernetes", "aws", "chaos", "analysis", "process", "status", "AWS", "Kubernetes"]


def index(*spellings: str) -> TagIndex:
    """A tag index of one article per spelling, the first the newest."""
    return TagIndex((f"a{n}", (tag,)) for n, tag in enumerate(spellings))


@pytest.mark.parametrize("spellings, shown", SAME)
def test_spellings_of_one_tag_are_merged_under_the_most_used(spellings, shown):
    tags = index(*spellings)
    assert len(tags.tags) == 1
    [tag] = tags.tags
    assert tag.name == shown
    assert tag.articles == tuple(f"a{n}" for n in range(len(spellings)))
    assert {tags.of(s).slug for s in spellings} == {tag.slug}


@pytest.mark.parametrize("spellings", APART)
def test_different_tags_stay_apart(spellings):
    tags = index(*spellings)
    assert sorted(t.name for t in tags.tags) == sorted(spellings)
    assert len({tags.of(s).slug for s in spellings}) == len(spellings)


@pytest.mark.parametrize("word", ALONE)
def test_a_word_ending_in_s_keeps_its_name(word):
    [tag] = index(word).tags
    assert tag.name == word


def test_an_article_tagged_twice_alike_counts_once():
    tags = TagIndex([("a1", ("Bug", "bugs")), ("a2", ("bug",))])
    [tag] = tags.tags
    assert tag.articles == ("a1", "a2")


def test_most_used_first_and_slugs_stay_unique():
    tags = TagIndex([("a1", ("c#", "sre")), ("a2", ("c", "SRE")), ("a3", ("index", "sre"))])
    assert [t.name for t in tags.tags][0] == "sre"
    slugs = [t.slug for t in tags.tags]
    assert len(set(slugs)) == len(slugs) == 4
    assert "index" not in slugs  # the name of a page the site makes itself

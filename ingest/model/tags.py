"""Tags as a reader means them: "Bug", "bugs" and "bug" are one tag, "iOS 10" and "iOS10" too.

Feeds tag freely, each in its own case and number. A tag's key folds case,
spaces, hyphens and underscores, and an English plural ending, but only onto a
singular that some article of the archive uses as a tag itself: "bugs" joins
"bug" when there is a "bug", and "kubernetes", "aws" or "chaos" stay as they are
because no "kubernete", "aw" or "chao" is there to join. The tag is shown with
its most used spelling.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cached_property
from typing import Iterable

from ingest.text import FOLDER_PAGE, LISTING_PAGE, slugify

_SEPARATORS = re.compile(r"[\s_\-]+")
# Words whose final "s" is not a plural although the word without it is a word as well.
NOT_PLURALS = frozenset({"news", "series", "species", "ops", "devops", "physics", "its", "lens", "bias", "gas"})


def tag_key(name: str) -> str:
    """A tag compared without case, spaces, hyphens or underscores ("Site-Reliability" -> "sitereliability")."""
    return _SEPARATORS.sub("", name.casefold())


def singulars(key: str) -> list[str]:
    """The keys `key` may be the plural of, the likeliest first ("policies" -> ["policy", "policie"])."""
    last = re.split(r"[^a-z]", key)[-1]  # the plural is the last word's: "qemu10s" has none
    if len(last) < 3 or last in NOT_PLURALS or not key.endswith("s") or key.endswith("ss"):
        return []
    found = []
    if key.endswith("ies") and len(last) > 4:
        found.append(key[:-3] + "y")  # policies -> policy
    if key.endswith(("ses", "xes", "zes", "ches", "shes")):
        found.append(key[:-2])  # processes -> process, boxes -> box, patches -> patch
    found.append(key[:-1])  # bugs -> bug, releases -> release
    return found


@dataclass(frozen=True)
class Tag:
    """One tag after merging: its key, the name shown, its page's slug and its articles (newest first)."""

    key: str
    name: str
    slug: str
    articles: tuple[str, ...]


class TagIndex:
    """Every tag of the archive, merged; `of` finds the merged tag of any spelling an article carries."""

    def __init__(self, tagged: Iterable[tuple[str, tuple[str, ...]]]) -> None:
        """`tagged`: (article id, its tags as the feed wrote them), newest article first."""
        tagged = list(tagged)
        keys = {tag_key(t) for _, tags in tagged for t in tags} - {""}
        self._group = {key: next((s for s in singulars(key) if s in keys), key) for key in keys}
        spellings: dict[str, Counter] = defaultdict(Counter)
        articles: dict[str, list[str]] = defaultdict(list)
        for article_id, tags in tagged:
            for name in tags:
                group = self._group.get(tag_key(name))
                if group is None:
                    continue
                spellings[group][name] += 1
                if article_id not in articles[group][-1:]:
                    articles[group].append(article_id)
        self._tags = {group: Tag(group, _shown(spellings[group], group), "", tuple(articles[group]))
                      for group in spellings}
        self._slugs = _slugs(self._tags.values())

    def of(self, name: str) -> Tag:
        """The merged tag that the spelling `name` belongs to (KeyError for a tag no article carries)."""
        group = self._group[tag_key(name)]
        tag = self._tags[group]
        return Tag(tag.key, tag.name, self._slugs[group], tag.articles)

    @cached_property
    def tags(self) -> tuple[Tag, ...]:
        """Every merged tag, the most used first, then by name."""
        tags = [self.of(tag.name) for tag in self._tags.values()]
        return tuple(sorted(tags, key=lambda t: (-len(t.articles), t.name.casefold(), t.key)))

    def slugs(self) -> dict[str, str]:
        """Each merged tag's key -> the slug of its page."""
        return dict(self._slugs)


def _shown(spellings: Counter, group: str) -> str:
    """The most used spelling; on a tie the singular one, then the one with capitals (a proper name), then A-Z."""
    return min(spellings, key=lambda s: (-spellings[s], tag_key(s) != group, s == s.casefold(), s))


def _slugs(tags: Iterable[Tag]) -> dict[str, str]:
    """Each tag's slug, unique even when two slug alike ("c#" and "c") or one is the name of a page the site makes."""
    slugs: dict[str, str] = {}
    taken: set[str] = set()
    for tag in sorted(tags, key=lambda t: t.key):
        slug = slugify(tag.name) or "tag"
        if slug in taken or slug == FOLDER_PAGE or LISTING_PAGE.fullmatch(slug):
            slug = f"{slug}-{hashlib.sha256(tag.key.encode('utf-8')).hexdigest()[:8]}"
        taken.add(slug)
        slugs[tag.key] = slug
    return slugs

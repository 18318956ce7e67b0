"""The archive's history: when each article arrived and when it changed, from the archive's own dates."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ingest.model.articles import Article


@dataclass(frozen=True)
class Event:
    when: str  # ISO 8601 UTC, as recorded in the archive
    kind: str  # "new", "updated", or "backfill" (earlier articles filed together from a feed's older pages)
    article: Article  # for a backfill: the most recently published of its articles
    articles: tuple[Article, ...] = ()  # a backfill's articles, the most recently published first

    @property
    def day(self) -> str:
        return self.when[:10]


def events(articles: tuple[Article, ...] | list[Article]) -> list[Event]:
    """Every arrival and every change of content, newest first.

    The articles one backfill run filed from one feed are one event: they are
    the feed's back catalogue, not that day's news.
    """
    found = []
    backfills: dict[tuple[str, str], list[Article]] = defaultdict(list)
    for article in articles:
        if article.backfill:
            backfills[(article.first_seen, article.feed)].append(article)
        else:
            found.append(Event(article.first_seen, "new", article))
        found += [Event(seen, "updated", article) for seen in article.revisions[1:]]
    for (when, _), group in backfills.items():
        group.sort(key=lambda a: a.sort_key, reverse=True)
        found.append(Event(when, "backfill", group[0], tuple(group)))
    # Entries seen in the same run: the most recently published first.
    return sorted(found, key=lambda e: (e.when, e.kind != "updated", e.article.sort_key), reverse=True)


def last_changed(articles: tuple[Article, ...] | list[Article]) -> str | None:
    """When the archive last got a new or changed entry."""
    history = events(articles)
    return history[0].when if history else None

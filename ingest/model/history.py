"""The archive's history: when each article arrived and when it changed, from the archive's own dates."""

from __future__ import annotations

from dataclasses import dataclass

from ingest.model.articles import Article


@dataclass(frozen=True)
class Event:
    when: str  # ISO 8601 UTC, as recorded in the archive
    kind: str  # "new" or "updated"
    article: Article

    @property
    def day(self) -> str:
        return self.when[:10]


def events(articles: tuple[Article, ...] | list[Article]) -> list[Event]:
    """Every arrival and every change of content, newest first."""
    found = []
    for article in articles:
        found.append(Event(article.first_seen, "new", article))
        found += [Event(seen, "updated", article) for seen in article.revisions[1:]]
    # Entries seen in the same run: the most recently published first.
    return sorted(found, key=lambda e: (e.when, e.kind == "new", e.article.sort_key), reverse=True)


def last_changed(articles: tuple[Article, ...] | list[Article]) -> str | None:
    """When the archive last got a new or changed entry."""
    history = events(articles)
    return history[0].when if history else None

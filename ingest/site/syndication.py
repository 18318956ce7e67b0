"""The site's own feeds of new and updated articles: RSS 2.0 (feed.xml) and JSON Feed 1.1 (feed.json).

Items come from the archive's history, newest first. Text is escaped for XML
(or encoded as JSON) and carries no HTML from the source feeds: a title and a
plain-text summary.
"""

from __future__ import annotations

import json
from email.utils import format_datetime
from datetime import datetime, timezone
from xml.sax.saxutils import escape

from ingest.model.history import Event, events
from ingest.model.knowledge import Knowledge
from ingest.site import urls
from ingest.site.status_pages import backfill_title

MAX_ITEMS = 50
SUMMARY_TITLES = 5  # titles named in the summary of a backfill's item


def rss(knowledge: Knowledge, *, title: str, description: str, site_url: str | None) -> str:
    items = []
    for event in events(knowledge.articles)[:MAX_ITEMS]:
        article = event.article
        link = _link(event, site_url)
        items.append(
            "    <item>\n"
            f"      <title>{escape(_item_title(event))}</title>\n"
            + (f"      <link>{escape(link)}</link>\n" if link else "")
            + f'      <guid isPermaLink="false">{escape(_guid(event))}</guid>\n'
            f"      <pubDate>{format_datetime(_utc(event.when))}</pubDate>\n"
            + f"      <description>{escape(_summary(event))}</description>\n"
            "    </item>"
        )
    home = site_url or ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0">\n  <channel>\n'
        f"    <title>{escape(title)}</title>\n"
        + (f"    <link>{escape(home)}</link>\n" if home else "")
        + f"    <description>{escape(description)}</description>\n"
        + "\n".join(items) + ("\n" if items else "")
        + "  </channel>\n</rss>\n"
    )


def json_feed(knowledge: Knowledge, *, title: str, description: str, site_url: str | None) -> str:
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "description": description,
        "items": [
            {k: v for k, v in {
                "id": _guid(event),
                "url": _link(event, site_url),
                "title": _item_title(event),
                "summary": _summary(event),
                "date_published": event.when,
                "authors": [{"name": event.article.author}] if event.article.author else None,
                "tags": (list(event.article.tags) or None) if event.kind != "backfill" else None,
            }.items() if v}
            for event in events(knowledge.articles)[:MAX_ITEMS]
        ],
    }
    if site_url:
        feed["home_page_url"] = site_url
        feed["feed_url"] = site_url.rstrip("/") + "/feed.json"
    return json.dumps(feed, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def _item_title(event: Event) -> str:
    if event.kind == "backfill":
        return backfill_title(event)
    return event.article.title if event.kind == "new" else f"Updated: {event.article.title}"


def _summary(event: Event) -> str:
    """An article's summary; for a backfill, the titles of its newest articles."""
    if event.kind != "backfill":
        return event.article.summary
    titles = "; ".join(a.title for a in event.articles[:SUMMARY_TITLES])
    rest = len(event.articles) - SUMMARY_TITLES
    return f"Among them: {titles}" + (f"; and {rest:,} more." if rest > 0 else ".")


def _guid(event: Event) -> str:
    if event.kind == "backfill":
        return f"resilience-kb:backfill:{event.article.feed}:{event.when}"
    return f"resilience-kb:{event.article.id}:{event.kind}:{event.when}"


def _link(event: Event, site_url: str | None) -> str | None:
    """Our page when the site's address is known, else the original article; What's new for a backfill."""
    if event.kind == "backfill":
        return urls.absolute_url(site_url, urls.WHATS_NEW) if site_url else None
    if site_url:
        return urls.absolute_url(site_url, urls.article_path(event.article.id))
    return event.article.url


def _utc(iso: str) -> datetime:
    return datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)

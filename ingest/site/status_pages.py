"""What's new (the archive's history as a digest) and Sources (the health of each feed).

All dates come from the archive and the fetch report, never from git or the
clock, so a shallow CI clone builds the same pages.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import datetime

from ingest.model.history import Event, events
from ingest.model.knowledge import Knowledge
from ingest.text import escape_html, escape_markdown, is_http_url
from ingest.site.article_pages import KIND_NAMES, listing_item_html
from ingest.site.markdown import HTMLPage, Page, count, date, front_matter
from ingest.site.info import SiteInfo
from ingest.site import urls

MAX_EVENTS = 150  # on the What's new page; older history is in the listings by year
BACKFILL_SHOWN = 5  # the newest articles a backfill shows on What's new; the rest are in the listings


def render_whats_new(knowledge: Knowledge, directory_urls: bool = True) -> Page:
    page = HTMLPage(urls.WHATS_NEW, directory_urls)
    page.heading(1, ours="What's new")
    history = events(knowledge.articles)
    page.paragraph("Articles as they arrived in the archive or changed there, newest first. "
                   f"The site's own feeds follow the same list: {page.a_file('feed.xml', 'RSS')} and "
                   f"{page.a_file('feed.json', 'JSON Feed')}.")
    front = front_matter(title="What's new")
    if not history:
        page.paragraph("Nothing yet: the archive is empty.")
        return page.page(front, in_nav=True)
    first_mention = _first_mentions(knowledge)
    by_day: dict[str, list[Event]] = defaultdict(list)
    for event in history[:MAX_EVENTS]:
        by_day[event.day].append(event)
    for day, day_events in by_day.items():
        page.heading(2, ours=date(datetime.fromisoformat(day)))
        new = [e.article for e in day_events if e.kind == "new"]
        updated = [e.article for e in day_events if e.kind == "updated"]
        if new:
            page.paragraph(f"<strong>{count(len(new), 'new article')}</strong>")
            page.items([f"{listing_item_html(page.uri, a, page.link)} · {KIND_NAMES[knowledge.notes[a.id].kind].lower()}"
                        for a in new])
        if updated:
            page.paragraph(f"<strong>{count(len(updated), 'updated article')}</strong>")
            page.items([listing_item_html(page.uri, a, page.link) for a in updated])
        for event in (e for e in day_events if e.kind == "backfill"):
            _backfill(page, event)
        notes = _notes_of(page, new + updated, knowledge, first_mention, day)
        if notes:
            page.paragraph("With them:")
            page.items(notes)
    if len(history) > MAX_EVENTS:
        page.paragraph(f"Older changes are not listed here; see {page.a(urls.ARTICLES, 'the articles by year')}.")
    return page.page(front, in_nav=True)


def backfill_title(event: Event) -> str:
    """'42 earlier articles added from adhorn's archive': a backfill is one event, not 42 new articles."""
    return f"{count(len(event.articles), 'earlier article')} added from {event.article.feed}'s archive"


def _backfill(page: HTMLPage, event: Event) -> None:
    dated = [a.published for a in event.articles if a.published]
    span = f", published from {min(dated):%B %Y} to {max(dated):%B %Y}" if dated else ""
    page.paragraph(f"<strong>{escape_markdown(backfill_title(event))}</strong>{span}. The newest of them:")
    items = [listing_item_html(page.uri, a, page.link) for a in event.articles[:BACKFILL_SHOWN]]
    rest = len(event.articles) - BACKFILL_SHOWN
    if rest > 0:
        items.append(f"and {count(rest, 'more', 'more')}: {page.a(urls.ARTICLES, 'the articles by year')}")
    page.items(items)


def render_sources(knowledge: Knowledge, info: SiteInfo) -> Page:
    page = HTMLPage(urls.SOURCES, info.directory_urls)
    page.heading(1, "Sources")
    report = info.report
    if report:
        page.paragraph(f"Latest fetch: {_when(report.finished, time=True)}. A feed is marked <strong>stale</strong> "
                       f"when that fetch failed or when it had brought nothing new for more than {info.stale_days} days.")
    else:
        page.paragraph("This build did not follow a fetch, so there is no latest result to show; the dates below come "
                       "from the archive.")
    newest: dict[str, str] = {}
    counts: dict[str, int] = defaultdict(int)
    for article in knowledge.articles:
        counts[article.feed] += 1
        if not article.backfill:  # a backfill brings old articles: it does not make a quiet feed fresh
            newest[article.feed] = max(newest.get(article.feed, ""), article.first_seen)
    names = [f.name for f in info.feeds] + sorted(set(counts) - {f.name for f in info.feeds})
    feed_urls = {f.name: f.url for f in info.feeds}
    rows = []
    for name in names:
        state = info.feed_states.get(name)
        result = report.feed(name) if report else None
        stale = _stale(result, newest.get(name), report.finished if report else None, info.stale_days)
        title = state.title if state and state.title else name
        if stale:  # as Markdown wrote the admonition `!!! warning "… is stale"`
            page.html(f'<div class="admonition warning">\n<p class="admonition-title">{escape_markdown(title)} is '
                      f"stale</p>\n<p>{escape_markdown(stale[:1].upper() + stale[1:])}.</p>\n</div>")
        url = feed_urls.get(name) or (state.url if state else None)
        if result is None:
            latest = "—"
        elif result.failed:
            latest = f"<strong>error</strong>: {escape_markdown(result.error)}"
        else:
            status = f"HTTP {result.status}" if result.status.isdigit() else escape_markdown(result.status)
            latest = f"{status}: {result.new} new, {result.updated} updated, {result.unchanged} unchanged"
        rows.append([f"{escape_markdown(title)} (<code>{escape_html(name)}</code>)", _autolink(url),
                     str(counts.get(name, 0)), _when(newest[name]) if name in newest else "none yet", latest,
                     "<strong>stale</strong>" if stale else "ok"])
    page.table(["Feed", "Address", "Articles", "Last new article", "Latest fetch", "State"], rows, right=(2,))
    return page.page(front_matter(title="Sources"), in_nav=True)


def _autolink(url: str | None) -> str:
    """A URL from the configuration or a feed, as a link (Markdown's autolink) only when it is a plain http(s) URL."""
    if url and is_http_url(url) and not re.search(r"[\s<>\"'|\\]", url):
        return f'<a href="{escape_html(url)}">{escape_html(url)}</a>'
    return escape_markdown(url or "not configured")


def _stale(result, newest: str | None, fetched_at: str | None, stale_days: int) -> str | None:
    """Why a feed is stale, or None. Measured at the latest fetch, never at build time."""
    if result is not None and result.failed:
        return f"the latest fetch failed ({result.error})"
    if fetched_at and newest:
        idle = (datetime.fromisoformat(fetched_at.rstrip("Z")) - datetime.fromisoformat(newest.rstrip("Z"))).days
        if idle > stale_days:
            return f"nothing new for {idle} days"
    return None


def _notes_of(page: HTMLPage, articles, knowledge: Knowledge, first_mention: dict[str, str], day: str) -> list[str]:
    items = []
    digests = [a for a in articles if knowledge.notes[a.id].launches]
    for article in digests:
        launches = knowledge.notes[article.id].launches
        items.append(f"{page.a(urls.notes_path(urls.LAUNCH_NOTES, article.id), count(len(launches), 'launch', 'launches'))} "
                     f"in {escape_markdown(article.title)}")
    names = knowledge.vocabulary.pattern_by_id
    new_patterns = sorted((p for p, when in first_mention.items() if when == day), key=lambda p: names[p].name)
    if new_patterns:
        links = ", ".join(page.a(urls.pattern_path(p), names[p].name) for p in new_patterns)
        items.append(f"{count(len(new_patterns), 'pattern')} mentioned for the first time: {links}")
    return items


def _first_mentions(knowledge: Knowledge) -> dict[str, str]:
    """For each pattern, the day the first article mentioning it arrived."""
    first: dict[str, str] = {}
    for entry in knowledge.patterns:
        days = [knowledge.article(a).first_seen[:10] for a in entry.articles]
        if days:
            first[entry.pattern.id] = min(days)
    return first


def _when(iso: str, time: bool = False) -> str:
    moment = datetime.fromisoformat(iso.rstrip("Z"))
    return date(moment) + (f", {moment:%H:%M} UTC" if time else "")

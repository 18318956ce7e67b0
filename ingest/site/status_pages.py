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
from ingest.text import escape_markdown, is_http_url
from ingest.site.article_pages import KIND_NAMES, listing_item
from ingest.site.markdown import Page, count, date, front_matter, link
from ingest.site.info import SiteInfo
from ingest.site import urls

MAX_EVENTS = 150  # on the What's new page; older history is in the listings by year
BACKFILL_SHOWN = 5  # the newest articles a backfill shows on What's new; the rest are in the listings


def render_whats_new(knowledge: Knowledge) -> Page:
    uri = urls.WHATS_NEW
    lines = [front_matter(title="What's new"), "", "# What's new", ""]
    history = events(knowledge.articles)
    lines += ["Articles as they arrived in the archive or changed there, newest first. "
              "The site's own feeds follow the same list: [RSS](feed.xml) and [JSON Feed](feed.json).", ""]
    if not history:
        lines += ["Nothing yet: the archive is empty.", ""]
        return Page(uri, "\n".join(lines), in_nav=True)
    first_mention = _first_mentions(knowledge)
    by_day: dict[str, list[Event]] = defaultdict(list)
    for event in history[:MAX_EVENTS]:
        by_day[event.day].append(event)
    for day, day_events in by_day.items():
        lines += [f"## {date(datetime.fromisoformat(day))}", ""]
        new = [e.article for e in day_events if e.kind == "new"]
        updated = [e.article for e in day_events if e.kind == "updated"]
        if new:
            lines += [f"**{count(len(new), 'new article')}**", ""]
            lines += [f"{listing_item(uri, a)} · {KIND_NAMES[knowledge.notes[a.id].kind].lower()}" for a in new]
            lines.append("")
        if updated:
            lines += [f"**{count(len(updated), 'updated article')}**", ""]
            lines += [listing_item(uri, a) for a in updated]
            lines.append("")
        for event in (e for e in day_events if e.kind == "backfill"):
            lines += _backfill_lines(uri, event)
        notes = _notes_of(uri, new + updated, knowledge, first_mention, day)
        if notes:
            lines += ["With them:", ""] + notes + [""]
    if len(history) > MAX_EVENTS:
        lines += [f"Older changes are not listed here; see {link(uri, urls.ARTICLES, 'the articles by year')}.",
                  ""]
    return Page(uri, "\n".join(lines), in_nav=True)


def backfill_title(event: Event) -> str:
    """'42 earlier articles added from adhorn's archive': a backfill is one event, not 42 new articles."""
    return f"{count(len(event.articles), 'earlier article')} added from {event.article.feed}'s archive"


def _backfill_lines(uri: str, event: Event) -> list[str]:
    dated = [a.published for a in event.articles if a.published]
    span = f", published from {min(dated):%B %Y} to {max(dated):%B %Y}" if dated else ""
    lines = [f"**{escape_markdown(backfill_title(event))}**{span}. The newest of them:", ""]
    lines += [listing_item(uri, a) for a in event.articles[:BACKFILL_SHOWN]]
    rest = len(event.articles) - BACKFILL_SHOWN
    if rest > 0:
        lines.append(f"- and {count(rest, 'more', 'more')}: {link(uri, urls.ARTICLES, 'the articles by year')}")
    return lines + [""]


def render_sources(knowledge: Knowledge, info: SiteInfo) -> Page:
    uri = urls.SOURCES
    lines = [front_matter(title="Sources"), "", "# Sources", ""]
    report = info.report
    if report:
        lines += [f"Latest fetch: {_when(report.finished, time=True)}. A feed is marked **stale** when that fetch "
                  f"failed or when it had brought nothing new for more than {info.stale_days} days.", ""]
    else:
        lines += ["This build did not follow a fetch, so there is no latest result to show; the dates below come "
                  "from the archive.", ""]
    newest: dict[str, str] = {}
    counts: dict[str, int] = defaultdict(int)
    for article in knowledge.articles:
        counts[article.feed] += 1
        if not article.backfill:  # a backfill brings old articles: it does not make a quiet feed fresh
            newest[article.feed] = max(newest.get(article.feed, ""), article.first_seen)
    names = [f.name for f in info.feeds] + sorted(set(counts) - {f.name for f in info.feeds})
    feed_urls = {f.name: f.url for f in info.feeds}
    rows, warnings = [], []
    for name in names:
        state = info.feed_states.get(name)
        result = report.feed(name) if report else None
        stale = _stale(result, newest.get(name), report.finished if report else None, info.stale_days)
        title = state.title if state and state.title else name
        if stale:
            warnings += [f'!!! warning "{escape_markdown(title)} is stale"', "",
                         f"    {escape_markdown(stale[:1].upper() + stale[1:])}.", ""]
        url = feed_urls.get(name) or (state.url if state else None)
        if result is None:
            latest = "—"
        elif result.failed:
            latest = f"**error**: {escape_markdown(result.error)}"
        else:
            status = f"HTTP {result.status}" if result.status.isdigit() else escape_markdown(result.status)
            latest = f"{status}: {result.new} new, {result.updated} updated, {result.unchanged} unchanged"
        rows.append(" | ".join((
            f"{escape_markdown(title)} (`{name}`)", _autolink(url), str(counts.get(name, 0)),
            _when(newest[name]) if name in newest else "none yet", latest, "**stale**" if stale else "ok",
        )))
    lines += warnings
    lines += ["| Feed | Address | Articles | Last new article | Latest fetch | State |",
              "|---|---|---:|---|---|---|"] + [f"| {row} |" for row in rows] + [""]
    return Page(uri, "\n".join(lines), in_nav=True)


def _autolink(url: str | None) -> str:
    """A URL from the configuration or a feed, as a link only when it cannot break the Markdown."""
    if url and is_http_url(url) and not re.search(r"[\s<>\"'|\\]", url):
        return f"<{url}>"
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


def _notes_of(uri: str, articles, knowledge: Knowledge, first_mention: dict[str, str], day: str) -> list[str]:
    lines = []
    digests = [a for a in articles if knowledge.notes[a.id].launches]
    for article in digests:
        launches = knowledge.notes[article.id].launches
        lines.append(f"- {link(uri, urls.notes_path(urls.LAUNCH_NOTES, article.id), count(len(launches), 'launch', 'launches'))} "
                     f"in {escape_markdown(article.title)}")
    names = knowledge.vocabulary.pattern_by_id
    new_patterns = sorted((p for p, when in first_mention.items() if when == day), key=lambda p: names[p].name)
    if new_patterns:
        links = ", ".join(link(uri, urls.pattern_path(p), names[p].name) for p in new_patterns)
        lines.append(f"- {count(len(new_patterns), 'pattern')} mentioned for the first time: {links}")
    return lines


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

"""What's new (the archive's history as a digest) and Sources (the health of each feed).

All dates come from the archive and the fetch report, never from git or the
clock, so a shallow CI clone builds the same pages.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import datetime

from ingest.model.history import Event, events, last_changed
from ingest.model.knowledge import Knowledge
from ingest.text import escape_html, escape_markdown, is_http_url
from ingest.site.article_pages import KIND_NAMES, listing_item_html
from ingest.site.listing_pages import Source, sources_of
from ingest.site.markdown import HTMLPage, Page, count, date, front_matter
from ingest.site.info import SiteInfo
from ingest.site import urls

MAX_EVENTS = 150  # on the What's new page; older history is in the listings by year
BACKFILL_SHOWN = 5  # the newest articles a backfill shows on What's new; the rest are in the listings
SILENT_DAYS = 365  # a source that has published nothing for longer is silent, not merely stale
SHOWN_PER_SOURCE = 5  # articles of one source shown under a day of What's new; the rest are folded


def render_whats_new(knowledge: Knowledge, info: SiteInfo | None = None) -> Page:
    """The archive's history by day, and within a day by source: the first few of each, the rest folded."""
    info = info or SiteInfo()
    page = HTMLPage(urls.WHATS_NEW, info.directory_urls)
    page.heading(1, ours="What's new")
    history = events(knowledge.articles)
    page.paragraph("Articles as they arrived in the archive or changed there, newest first, by day and by source. "
                   f"The site's own feeds follow the same list: {page.a_file('feed.xml', 'RSS')} and "
                   f"{page.a_file('feed.json', 'JSON Feed')}.")
    front = front_matter(title="What's new")
    if not history:
        page.paragraph("Nothing yet: the archive is empty.")
        return page.page(front, in_nav=True)
    titles = {source.name: source.title for source in sources_of(knowledge, info)}
    first_mention = _first_mentions(knowledge)
    by_day: dict[str, list[Event]] = defaultdict(list)
    for event in history[:MAX_EVENTS]:
        by_day[event.day].append(event)
    for day, day_events in by_day.items():
        page.heading(2, ours=date(datetime.fromisoformat(day)))
        new = [e.article for e in day_events if e.kind == "new"]
        updated = [e.article for e in day_events if e.kind == "updated"]
        if new:
            feeds = {a.feed for a in new}
            page.paragraph(f"<strong>{count(len(new), 'new article')}</strong>"
                           + (f" from {count(len(feeds), 'source')}" if len(feeds) > 1 else ""))
            _by_source(page, knowledge, new, titles, kind=True)
        if updated:
            page.paragraph(f"<strong>{count(len(updated), 'updated article')}</strong>")
            _by_source(page, knowledge, updated, titles, kind=False)
        for event in (e for e in day_events if e.kind == "backfill"):
            _backfill(page, event)
        notes = _notes_of(page, new + updated, knowledge, first_mention, day)
        if notes:
            page.paragraph("With them:")
            page.items(notes)
    if len(history) > MAX_EVENTS:
        page.paragraph(f"Older changes are not listed here; see {page.a(urls.ALL_ARTICLES, 'all the articles')} "
                       "or their sources.")
    return page.page(front, in_nav=True)


def _by_source(page: HTMLPage, knowledge: Knowledge, articles, titles: dict[str, str], *, kind: bool) -> None:
    """One heading per source with its count, its first SHOWN_PER_SOURCE articles, and the rest folded."""
    grouped: dict[str, list] = defaultdict(list)
    for article in articles:
        grouped[article.feed].append(article)
    for feed, items in sorted(grouped.items(), key=lambda g: (-len(g[1]), titles.get(g[0], g[0]).casefold())):
        title = titles.get(feed, feed)
        page.heading(3, f"{title} ({len(items)})")
        lines = [listing_item_html(page.uri, a, page.link) + (_kind(knowledge, a) if kind else "") for a in items]
        page.items(lines[:SHOWN_PER_SOURCE])
        rest = lines[SHOWN_PER_SOURCE:]
        if rest:
            more = "\n".join(f"<li>{line}</li>" for line in rest)
            page.html(f'<details class="rkb-more">\n<summary>{count(len(rest), "more", "more")} from '
                      f"{escape_markdown(title)}</summary>\n<ul>\n{more}\n</ul>\n<p>Every article of this source: "
                      f"{page.a(urls.source_path(feed), title)}.</p>\n</details>")


def _kind(knowledge: Knowledge, article) -> str:
    """' · tutorial' after an item; nothing for a plain article."""
    kind = knowledge.notes[article.id].kind
    return "" if kind == "article" else f" · {KIND_NAMES[kind].lower()}"


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
    """Each source: its articles, when it last published, when it was last fetched and what that gave."""
    page = HTMLPage(urls.SOURCES, info.directory_urls)
    page.heading(1, "Sources")
    report = info.report
    changed = last_changed(knowledge.articles)
    if report:
        page.paragraph(f"Latest fetch: {_when(report.finished, time=True)}.")
    else:
        page.paragraph("This build did not follow a fetch, so there is no fetch result to show; ages are measured "
                       "at the archive's last change.")
    page.paragraph(f"A source is <strong>stale</strong> when its newest article was published more than "
                   f"{info.stale_days} days before it was last fetched, <strong>silent</strong> after more than "
                   f"{SILENT_DAYS} days, and <strong>failing</strong> when its latest fetch failed.")
    rows = []
    for source in sources_of(knowledge, info):
        latest = report.latest(source.name) if report else None
        state, why = _state(source, latest, changed, info.stale_days)
        if state == "failing":
            page.html(f'<div class="admonition warning">\n<p class="admonition-title">{escape_markdown(source.title)}'
                      f" is failing</p>\n<p>{escape_markdown(why)}.</p>\n</div>")
        rows.append(_source_row(page, source, latest, state, why))
    page.html('<table class="rkb-sources">\n<thead>\n<tr><th>Source</th><th>Articles</th><th>Newest article</th>'
              "<th>Latest fetch</th><th>State</th></tr>\n</thead>\n<tbody>\n" + "\n".join(rows)
              + "\n</tbody>\n</table>")
    return page.page(front_matter(title="Sources"), in_nav=True)


def _source_row(page: HTMLPage, source: Source, latest, state: str, why: str) -> str:
    """A row: the title (to the source's listing), the host (to the feed), the counts, the dates and warnings."""
    address = (f'<a href="{escape_html(source.url)}" title="{escape_html(source.url)}">{escape_html(source.host)}</a>'
               if source.url and is_http_url(source.url) and not re.search(r"[\s<>\"'|\\]", source.url)
               else escape_markdown(source.url or "not configured"))
    name = page.a(urls.source_path(source.name), source.title)
    who = (f'<td data-label="Source">{name}<br><span class="rkb-host">{address} · '
           f"<code>{escape_html(source.name)}</code></span></td>")
    newest = _newest_published(source)
    fetched = "no fetch recorded" if latest is None else _fetch_result(*latest)
    warnings = "".join(f'<br><span class="rkb-warning">⚠ {escape_markdown(_short(w))}</span>'
                       for w in (latest[1].warnings if latest else ()))
    title = f' title="{escape_html(why)}"' if why else ""
    return (f"<tr>{who}<td data-label=\"Articles\">{len(source.articles):,}</td>"
            f'<td data-label="Newest article" class="rkb-nowrap">{date(newest) if newest else "none dated"}</td>'
            f'<td data-label="Latest fetch">{fetched}{warnings}</td>'
            f'<td data-label="State"><span class="rkb-state rkb-state-{state}"{title}>{state}</span></td></tr>')


def _fetch_result(when: str, result) -> str:
    moment = _when(when, time=True)
    if result.failed:
        return f"{moment}: <strong>error</strong>, {escape_markdown(result.error or 'unknown')}"
    status = f"HTTP {result.status}" if result.status.isdigit() else escape_markdown(result.status)
    return f"{moment}: {status}, {result.new} new, {result.updated} updated, {result.unchanged} unchanged"


def _newest_published(source: Source) -> datetime | None:
    return max((a.published for a in source.articles if a.published), default=None)


def _state(source: Source, latest, changed: str | None, stale_days: int) -> tuple[str, str]:
    """("ok" | "stale" | "silent" | "failing", why), measured at the source's latest fetch, never at build time."""
    if latest is not None and latest[1].failed:
        return "failing", f"The latest fetch failed ({latest[1].error})"
    at = latest[0] if latest is not None else changed
    newest = _newest_published(source)
    if at is None or newest is None:
        return "ok", ""
    idle = (datetime.fromisoformat(at.rstrip("Z")) - newest.replace(tzinfo=None)).days
    if idle > SILENT_DAYS:
        return "silent", f"Nothing published for {idle:,} days"
    if idle > stale_days:
        return "stale", f"Nothing published for {idle:,} days"
    return "ok", ""


def _short(text: str, limit: int = 160) -> str:
    """A warning on one short line: the cause is at its start."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


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

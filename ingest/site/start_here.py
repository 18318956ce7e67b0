"""The Start here page: the onboarding path, stop by stop, with reading times and "mark as done"."""

from __future__ import annotations

from ingest.model.checklists import fingerprint
from ingest.model.knowledge import Knowledge
from ingest.text import escape_html, escape_markdown
from ingest.site.markdown import HTMLPage, Page, date, front_matter
from ingest.site.info import SiteInfo
from ingest.site import urls

URI = urls.START_HERE


def render_start_here(knowledge: Knowledge, info: SiteInfo) -> Page:
    """The path as HTML: what Markdown (with md_in_html, which writes attributes sorted) made of it before."""
    path = info.onboarding
    page = HTMLPage(URI, info.directory_urls)
    if path is None:
        page.heading(1, "Start here")
        page.paragraph("There is no onboarding path for this archive. Write one in <code>onboarding.yml</code> "
                       "(see the README).")
        return page.page(front_matter(title="Start here"), in_nav=True)
    total = sum(path.minutes(stop, knowledge) for stop in path.stops)
    page.heading(1, path.title)
    if path.introduction:
        page.paragraph(escape_markdown(path.introduction))
    page.html(f'<p class="rkb-provenance">{len(path.stops)} stops, about {_duration(total)} of reading in all. '
              "Tick a stop when you are done with it: this browser remembers.</p>")
    page.html('<div class="rkb-checklist rkb-path" data-checklist="start-here" data-done="done">\n'
              '<div class="rkb-toolbar" hidden="hidden"><span class="rkb-total" aria-live="polite"></span> '
              '<button type="button" class="rkb-reset md-button">Start again</button></div>')
    names = knowledge.vocabulary.pattern_by_id
    titles = {e.checklist.id: e.checklist.title for e in knowledge.curated}
    incidents = {i.slug: i for i in info.incidents or () if not i.public}
    for number, stop in enumerate(path.stops, start=1):
        named = (*stop.articles, *stop.patterns, *stop.checklists, *stop.incidents)
        revision = fingerprint(" ".join((stop.title, *named)))
        page.html(f'<div class="rkb-item rkb-stop" data-rev="{revision}" id="{stop.id}">')
        page.heading(2, stop.title, ours=f"{number}. ", id=f"{stop.id}-title")
        page.paragraph(f"<strong>What you will learn:</strong> {escape_markdown(stop.learn)}")
        page.paragraph(f"<em>About {_duration(path.minutes(stop, knowledge))} of reading.</em>")
        items = []
        if stop.articles:
            items.append("Read: " + "; ".join(_article(page, knowledge, a) for a in stop.articles))
        if stop.patterns:
            items.append("Patterns: " + ", ".join(page.a(urls.pattern_path(p), names[p].name) for p in stop.patterns))
        if stop.checklists:
            items.append("Checklists: " + ", ".join(page.a(urls.checklist_path(c), titles[c]) for c in stop.checklists))
        if stop.notes:
            items.append("See also: " + ", ".join(page.a(*urls.NOTE_PAGES[n]) for n in stop.notes))
        if stop.incidents:  # kept by the loader only where the site shows incidents
            items.append("Our incidents: " + "; ".join(
                f"{page.a(urls.incident_path(i.slug), i.title)} ({date(i.date)})"
                for i in (incidents[slug] for slug in stop.incidents)))
        page.items(items)
        page.paragraph(f'<input type="checkbox" class="rkb-box" id="done-{stop.id}"> '
                       f'<label for="done-{stop.id}">Mark “{escape_markdown(stop.title)}” as done</label>')
        page.html("</div>")
    page.html("</div>")
    return page.page(front_matter(title=path.title), in_nav=True)


def _article(page: HTMLPage, knowledge: Knowledge, article_id: str) -> str:
    """A link to the article, or its id marked as missing when this archive (another given with --archive) lacks it."""
    if not knowledge.has_article(article_id):
        return f'<code>{escape_html(article_id)}</code> <em class="rkb-missing">(not in this archive)</em>'
    article = knowledge.article(article_id)
    return f"{page.a(urls.article_path(article_id), article.title)} ({article.reading_minutes} min)"


def _duration(minutes: int) -> str:
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest} min" if rest else f"{hours} h"

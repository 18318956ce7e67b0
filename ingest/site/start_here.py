"""The Start here page: the onboarding path, stop by stop, with reading times and "mark as done"."""

from __future__ import annotations

from ingest.model.checklists import fingerprint
from ingest.model.knowledge import Knowledge
from ingest.model.onboarding import NOTE_PAGES
from ingest.text import escape_markdown
from ingest.site.markdown import Page, front_matter, link
from ingest.site.info import SiteInfo
from ingest.site import urls

URI = urls.START_HERE


def render_start_here(knowledge: Knowledge, info: SiteInfo) -> Page:
    path = info.onboarding
    if path is None:
        lines = [front_matter(title="Start here"), "", "# Start here", "",
                 "There is no onboarding path for this archive. Write one in `onboarding.yml` (see the README).", ""]
        return Page(URI, "\n".join(lines), in_nav=True)
    total = sum(path.minutes(stop, knowledge) for stop in path.stops)
    lines = [front_matter(title=path.title), "", f"# {escape_markdown(path.title)}", ""]
    if path.introduction:
        lines += [escape_markdown(path.introduction), ""]
    lines += [f"{len(path.stops)} stops, about {_duration(total)} of reading in all. Tick a stop when you are "
              "done with it: this browser remembers.", "{ .rkb-provenance }", ""]
    lines += ['<div class="rkb-checklist rkb-path" data-checklist="start-here" data-done="done" markdown>', "",
              '<div class="rkb-toolbar" hidden><span class="rkb-total" aria-live="polite"></span> '
              '<button type="button" class="rkb-reset md-button">Start again</button></div>', ""]
    names = knowledge.vocabulary.pattern_by_id
    titles = {e.checklist.id: e.checklist.title for e in knowledge.curated}
    for number, stop in enumerate(path.stops, start=1):
        revision = fingerprint(" ".join((stop.title, *stop.articles, *stop.patterns, *stop.checklists)))
        lines += [f'<div class="rkb-item rkb-stop" id="{stop.id}" data-rev="{revision}" markdown>', "",
                  f"## {number}. {escape_markdown(stop.title)} {{ #{stop.id}-title }}", "",
                  f"**What you will learn:** {escape_markdown(stop.learn)}", "",
                  f"*About {_duration(path.minutes(stop, knowledge))} of reading.*", ""]
        if stop.articles:
            lines.append("- Read: " + "; ".join(
                f"{link(URI, urls.article_path(a), knowledge.article(a).title)} "
                f"({knowledge.article(a).reading_minutes} min)" for a in stop.articles))
        if stop.patterns:
            lines.append("- Patterns: " + ", ".join(link(URI, urls.pattern_path(p), names[p].name)
                                                   for p in stop.patterns))
        if stop.checklists:
            lines.append("- Checklists: " + ", ".join(link(URI, urls.checklist_path(c), titles[c])
                                                     for c in stop.checklists))
        if stop.notes:
            lines.append("- See also: " + ", ".join(link(URI, urls.NOTE_PAGES[n], NOTE_PAGES[n])
                                                   for n in stop.notes))
        lines += ["",
                  f'<input type="checkbox" class="rkb-box" id="done-{stop.id}"> '
                  f'<label for="done-{stop.id}">Mark “{escape_markdown(stop.title)}” as done</label>', "",
                  "</div>", ""]
    lines += ["</div>", ""]
    return Page(URI, "\n".join(lines), in_nav=True)


def _duration(minutes: int) -> str:
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest} min" if rest else f"{hours} h"

"""Checklist pages: one per curated checklist, and an index.

A checklist is a list grouped by section; each item is shown as its kind is filled
in: a question is a real checkbox, a field has a line to write on, a text a large
area, and guidance is only read. Each links to the patterns it names; its id is
its address (a small link shown on hover), never text to read. Without JavaScript
it is a plain list; checklist.js remembers ticks, counts progress and clears them
(asking first, with Undo); review.js adds the fields, Print, and writes what was
entered as the fillable copy, a review file (ingest/model/review_format.py), to
download. The print stylesheet turns the page into a form for a review meeting.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from ingest.model.checklists import ANSWERED_KINDS, Item, fingerprint
from ingest.model.html.clean import Heading
from ingest.model.incident_index import IncidentIndex
from ingest.model.knowledge import ChecklistEntry, Knowledge
from ingest.model.reviews import checklist_version, review_guide, yaml_scalar
from ingest.text import escape_html, escape_markdown, slugify
from ingest.site.markdown import BODY_MARKER, HTMLPage, Page, count, date, front_matter
from ingest.site import urls
from ingest.site.incident_sections import BLIND_SPOTS_ID, BLIND_SPOTS_TITLE, blind_spots_html, pointed_line

BIAS_WORDS = re.compile(r"\b(bias(?:es)?|heuristics?)\b", re.IGNORECASE)
# Words by which a question points at another kind of checklist.
CHECKLIST_WORDS = {
    "orr": re.compile(r"\b(?:operation(?:al)?|production) readiness\b|\bORRs?\b|\breadiness reviews?\b",
                      re.IGNORECASE),
    "postmortem": re.compile(r"\bpost[- ]?mortems?\b|\bcorrection[- ]of[- ]errors?\b", re.IGNORECASE),
}


def render_checklist_pages(knowledge: Knowledge, directory_urls: bool = True, site_url: str | None = None,
                           rated: dict[tuple[str, str], tuple[tuple[str, str], ...]] | None = None,
                           incidents: IncidentIndex | None = None) -> list[Page]:
    """The checklists' pages; with `rated` (reviews enabled), each question says which services rate it risky,
    and with `incidents`, which incidents point to it, and the questions no review flagged."""
    links = _Links(directory_urls, site_url)
    pages = [render_checklist(entry, knowledge, links, rated, incidents) for entry in knowledge.curated]
    index = HTMLPage(urls.CHECKLISTS, directory_urls)
    index.heading(1, "Checklists")
    index.paragraph(
        "Checklists for review meetings: fill them in on screen (what you enter stays in this browser) and "
        "download it as a review file to commit, print them (the print version has fields for the service, "
        "date and participants, and room for answers), or start a review file with "
        "<code>resilience-kb review new ID --service NAME</code>.")
    if not knowledge.curated:
        index.paragraph("There are no checklists yet. <code>resilience-kb init-checklists</code> makes them from "
                        "the template articles of the archive (an operational readiness review, an incident "
                        "postmortem).")
    items = []
    for entry in knowledge.curated:
        checklist = entry.checklist
        items.append(f"{index.a(urls.checklist_path(checklist.id), checklist.title)}: {_size(checklist)}"
                     + (" — <strong>the source article has changed</strong>" if entry.drift else ""))
    index.items(items)
    if rated is not None:
        index.paragraph(f"How services answered them: {index.a(urls.REVIEWS, 'the Reviews')}.")
    return [index.page(front_matter(title="Checklists"), in_nav=True)] + pages


@dataclass(frozen=True)
class _Links:
    """Links of the checklist's HTML: relative for the screen, and where they lead for paper."""

    directory_urls: bool
    site_url: str | None

    def anchor(self, from_uri: str, to_uri: str, text: str) -> str:
        target = urls.page_url(to_uri, self.directory_urls)
        printed = f"{self.site_url.rstrip('/')}/{target}" if self.site_url else f"/{target}"
        return (f'<a href="{urls.href(from_uri, to_uri, self.directory_urls)}" data-print="{escape_html(printed)}">'
                f"{escape_html(text)}</a>")


def render_checklist(entry: ChecklistEntry, knowledge: Knowledge, links: _Links,
                     rated: dict[tuple[str, str], tuple[tuple[str, str], ...]] | None = None,
                     incidents: IncidentIndex | None = None) -> Page:
    checklist = entry.checklist
    uri = urls.checklist_path(checklist.id)
    page = HTMLPage(uri, links.directory_urls)
    page.html(_provenance(page, entry))
    if entry.drift:
        page.html(_drift_note(entry))
    page.html(BODY_MARKER)
    headings = tuple(Heading(2, _section_id(checklist.id, n, s.title), s.title)
                     for n, s in enumerate(checklist.sections, start=1))
    body = _checklist_html(uri, entry, knowledge, headings, links, rated or {}, incidents)
    if incidents is not None and (spots := blind_spots_html(uri, checklist, incidents, links.directory_urls)):
        body += "\n" + spots  # after the checklist: a list to read, not part of the form
        headings += (Heading(2, BLIND_SPOTS_ID, BLIND_SPOTS_TITLE),)
    made = page.page(front_matter(title=checklist.title, description=f"{checklist.title}: checklist"))
    return replace(made, body_html=body, headings=headings)


def _provenance(page: HTMLPage, entry: ChecklistEntry) -> str:
    checklist = entry.checklist
    parts = [f"{_size(checklist)}."]
    source = checklist.source
    if source and entry.article:
        when = f", version of {date(entry.article.published)}" if entry.article.published else ""
        parts.append(f"Made from {page.a(urls.article_path(entry.article.id), entry.article.title)}{when}, "
                     f"and curated in <code>{escape_html(checklist.path.name)}</code>.")
    elif source:  # a build with another archive (--archive) keeps the project's checklists
        parts.append(f"Made from <code>{escape_html(source.article)}</code>, which is not in this archive, "
                     f"and curated in <code>{escape_html(checklist.path.name)}</code>.")
    # The id is checked to be [a-z0-9-] when the file is loaded.
    parts.append(f"To fill it in as a file: <code>resilience-kb review new {checklist.id} --service NAME</code>, "
                 f"or fill it in here and download the fillable copy.")
    return f'<p class="rkb-provenance">{" ".join(parts)}</p>'


def _drift_note(entry: ChecklistEntry) -> str:
    """The admonition Markdown made of `!!! warning "The source article has changed"`."""
    drift = entry.drift
    html = ('<div class="admonition warning">\n<p class="admonition-title">The source article has changed</p>\n'
            f"<p>{escape_markdown(drift.describe()[:1].upper() + drift.describe()[1:])}. This checklist is "
            "unchanged; add what you want to keep to its file.</p>\n")
    if drift.added:
        html += "<ul>\n" + "".join(f"<li>{escape_markdown(text)}</li>\n" for text in drift.added) + "</ul>\n"
    return html + "</div>"


def _checklist_html(uri: str, entry: ChecklistEntry, knowledge: Knowledge, headings: tuple[Heading, ...],
                    links_to: _Links, rated: dict[tuple[str, str], tuple[tuple[str, str], ...]],
                    incidents: IncidentIndex | None = None) -> str:
    checklist = entry.checklist
    parts = [
        f'<div class="rkb-checklist" data-checklist="{escape_html(checklist.id)}" '
        f'data-title="{escape_html(checklist.title)}" data-version="{escape_html(yaml_scalar(checklist_version(checklist)))}" '
        f'data-guide="{escape_html(review_guide(checklist))}">',
        '<div class="rkb-print-fields">'
        + "".join(f'<p><span class="rkb-field">{label}</span><span class="rkb-blank"></span></p>'
                  for label in ("Service", "Date", "Participants", "Owner"))
        + "</div>",
        _review_form(),
        '<div class="rkb-toolbar" hidden><span class="rkb-total" aria-live="polite"></span> '
        '<button type="button" class="rkb-reset">Clear my ticks</button>'
        '<span class="rkb-confirm" role="status"></span></div>',
    ]
    for section, heading in zip(checklist.sections, headings):
        answered = any(item.kind in ANSWERED_KINDS for item in section.items)
        parts.append(f'<section class="rkb-section{"" if answered else " rkb-section--guidance"}" '
                     f'aria-labelledby="{heading.id}" data-title="{escape_html(section.title)}">')
        progress = ' <span class="rkb-progress" aria-live="polite"></span>' if any(
            item.kind == "question" for item in section.items) else ""
        parts.append(f'<h2 id="{heading.id}">{escape_html(section.title)}{progress}</h2>')
        parts.append('<ul class="rkb-items">')
        for item in section.items:
            pointed = incidents.by_question.get((checklist.id, item.id), ()) if incidents is not None else ()
            parts.append(_item_html(uri, entry, knowledge, item, links_to, rated.get((checklist.id, item.id), ()),
                                    pointed_line(uri, pointed, links_to.directory_urls)))
        parts.append("</ul></section>")
    parts.append("</div>")
    return "\n".join(parts)


def _item_html(uri: str, entry: ChecklistEntry, knowledge: Knowledge, item: Item, links_to: _Links,
               rated: tuple[tuple[str, str], ...], pointed: str = "") -> str:
    """One item as its kind is filled in: ticked and rated, written on a line or in an area, or only read."""
    kind = item.kind
    prompt = escape_html(item.text)
    # Out of the Tab order: one more stop per question would double the keys to go through the list.
    anchor = (f'<a class="rkb-anchor" href="#{item.id}" tabindex="-1" aria-label="Link to this item" '
              f'title="Link to this item">#</a>')
    if kind == "question":
        head = (f'<input type="checkbox" id="tick-{item.id}" class="rkb-box">'
                f'<label for="tick-{item.id}" class="rkb-prompt">{prompt}</label>')
    else:
        head = f'<span class="rkb-prompt" id="prompt-{item.id}">{prompt}</span>'
    links = _see_links(uri, entry, knowledge, item, links_to)
    room = {"question": '<div class="rkb-ruled rkb-ruled--question"><span>Answer</span></div>'
                        '<div class="rkb-risk-box"><span>Risk</span><span>high · medium · none · n/a</span></div>',
            "field": '<span class="rkb-line"></span>',
            "text": '<div class="rkb-ruled rkb-ruled--text"></div>',
            "guidance": ""}[kind]
    css = "rkb-guidance" if kind == "guidance" else f"rkb-item rkb-kind-{kind}"
    return (f'<li class="{css}" id="{item.id}" data-kind="{kind}" data-rev="{fingerprint(item.text)}">'
            + head + anchor
            + (f'<p class="rkb-detail">{escape_html(item.detail)}</p>' if item.detail else "")
            + (f'<p class="rkb-links">See: {", ".join(links)}</p>' if links else "")
            + _rated(uri, rated, links_to.directory_urls) + pointed
            + (f'<div class="rkb-answer rkb-answer--{kind}" aria-hidden="true">{room}</div>' if room else "")
            + "</li>")


def _see_links(uri: str, entry: ChecklistEntry, knowledge: Knowledge, item: Item, links_to: _Links) -> list[str]:
    """Links to the patterns an item names, the biases page, and the other checklists it mentions."""
    names = knowledge.vocabulary.pattern_by_id
    links = [links_to.anchor(uri, urls.pattern_path(p), names[p].name) for p in entry.patterns[item.id]]
    text = f"{item.text} {item.detail or ''}"
    if BIAS_WORDS.search(text):
        links.append(links_to.anchor(uri, urls.BIASES, "Cognitive biases"))
    for other in sorted({e.checklist.id for e in knowledge.curated} - {entry.checklist.id}):
        if other in CHECKLIST_WORDS and CHECKLIST_WORDS[other].search(text):
            title = next(e.checklist.title for e in knowledge.curated if e.checklist.id == other)
            links.append(links_to.anchor(uri, urls.checklist_path(other), f"{title} checklist"))
    return links


def _review_form() -> str:
    """Print, and the fillable copy to download with what was entered (shown by review.js, which writes the file)."""
    fields = [("service", "Service", 'required pattern="[a-z0-9][a-z0-9\\-]{0,63}" placeholder="payments-api"'),
              ("date", "Date", 'type="date" required'), ("owner", "Owner", ""),
              ("participants", "Participants", 'placeholder="Ada, Grace"')]
    inputs = "".join(f'<label>{label} <input name="{name}" class="rkb-meta" {attributes}></label> '
                     for name, label, attributes in fields)
    return ('<form class="rkb-review" hidden><p class="rkb-actions">'
            '<button type="button" class="rkb-print md-button md-button--primary">Print</button> '
            '<button type="submit" class="rkb-download md-button">Download fillable copy</button></p>'
            '<p class="rkb-meta-fields">' + inputs + '</p><p class="rkb-review-help">The fillable copy is a review '
            'file: every question with what you entered here. Commit it as '
            'reviews/&lt;service&gt;/&lt;date&gt;-&lt;checklist&gt;.md and check it with '
            '<code>resilience-kb review check</code>.</p></form>')


RATED_NAMED = 2  # services named on a question's line; the others are counted, on the Reviews page


def _rated(uri: str, services: tuple[tuple[str, str], ...], directory_urls: bool) -> str:
    """A quiet line: how many services' latest reviews rate the question high or medium, the first linked.

    Few are named: the line is under each of a checklist's questions, and with fifty services the page
    must stay under 150 KB (each service's page lists its risks)."""
    if not services:
        return ""
    high = sum(1 for _, risk in services if risk == "high")
    named = ", ".join(f'<a href="{urls.href(uri, urls.review_path(s), directory_urls)}">{escape_html(s)}</a>'
                      for s, risk in sorted(services, key=lambda sr: (sr[1] != "high", sr[0]))[:RATED_NAMED])
    more = len(services) - RATED_NAMED
    if more > 0:
        named += f', and <a href="{urls.href(uri, urls.REVIEWS, directory_urls)}">{more} more</a>'
    risks = ", ".join(f"{n} {risk}" for n, risk in ((high, "high"), (len(services) - high, "medium")) if n)
    return f'<p class="rkb-rated">Rated high or medium by {count(len(services), "service")} ({risks}): {named}</p>'


def _size(checklist) -> str:
    """"93 questions in 9 sections", or what else it has: "21 questions, 15 items to write and 21 of guidance in…"."""
    kinds = Counter(item.kind for item in checklist.items)
    parts = [count(kinds["question"], "question")]
    if written := kinds["field"] + kinds["text"]:
        parts.append(count(written, "item") + " to write")
    if kinds["guidance"]:
        parts.append(f"{count(kinds['guidance'], 'point')} of guidance")
    listed = ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]
    return f"{listed} in {count(len(checklist.sections), 'section')}"


def _section_id(checklist_id: str, number: int, title: str) -> str:
    return f"{checklist_id}-{number}-{slugify(title)[:40].rstrip('-') or 'section'}"

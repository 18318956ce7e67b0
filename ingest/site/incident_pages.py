"""The Incidents pages, made only when incidents are loaded (the reviews' switch): what bit the team, and how.

    /incidents/                 the team's incidents, newest first, with a filter (service, severity,
                                type, pattern, bias) and the times to detect and resolve by quarter
    /incidents/<slug>/          one incident (incident_page.py)
    /incidents/public/          other companies' postmortems, a library kept apart: never in the team's counts
    /incidents/public/<slug>/   one of them

The list is whole in the HTML: docs/assets/incidents.js only hides the rows a filter leaves
out, says how many it shows, and keeps the filter in the address. Pure: data in, pages out.
"""

from __future__ import annotations

from datetime import date as Date

from ingest.errors import KBError
from ingest.model.incident_types import Incident
from ingest.model.knowledge import Knowledge
from ingest.model.reviews import Review, overdue
from ingest.site import urls
from ingest.site.incident_page import Context, incident_context, render_incident
from ingest.site.incident_parts import bars, detect_minutes, duration, periods, resolve_minutes
from ingest.site.markdown import HTMLPage, Page, count, front_matter
from ingest.text import escape_html

SEVERITY_ORDER = {"sev1": 0, "sev2": 1, "sev3": 2, "sev4": 3}


def render_incident_pages(incidents: tuple[Incident, ...], reviews: tuple[Review, ...], knowledge: Knowledge,
                          today: Date, directory_urls: bool = True) -> list[Page]:
    """The index, the public library, and a page per incident."""
    for incident in incidents:
        if not incident.public and incident.slug in urls.RESERVED_INCIDENTS:
            raise KBError(f"{incident.path}: an incident cannot be named {incident.slug!r}: the Incidents pages "
                          f"have a page of that name; rename the file")
    context = incident_context(knowledge, reviews, today, directory_urls, incidents)
    own = sorted((i for i in incidents if not i.public), key=lambda i: (i.date, i.slug), reverse=True)
    public = sorted((i for i in incidents if i.public), key=lambda i: (i.date, i.slug), reverse=True)
    pages = [render_incidents_index(own, len(public), context), render_public_index(public, context)]
    return pages + [render_incident(incident, context) for incident in own + public]


def render_incidents_index(incidents: list[Incident], public: int, context: Context) -> Page:
    page = HTMLPage(urls.INCIDENTS, context.directory_urls)
    page.heading(1, "Incidents")
    items = [a.item for i in incidents for a in i.actions if a.item.status in ("open", "in progress")]
    late = sum(1 for item in items if overdue(item, context.today))
    services = sorted({s for i in incidents for s in i.services})
    page.paragraph(
        f"The team's postmortems, kept as files in the repository (<code>resilience-kb incident new</code>, then "
        f"<code>incident check</code>): {count(len(incidents), 'incident')} of {count(len(services), 'service')}, "
        f"newest first. Their action items ({count(len(items), 'open item')}, {late} overdue on "
        f"{context.today.isoformat()}) are listed with the reviews' in {page.a(urls.REVIEW_ACTIONS, 'the action items')}. "
        f"Other companies' postmortems are a library of their own: {page.a(urls.PUBLIC_INCIDENTS, 'Public incidents')} "
        f"({count(public, 'postmortem')}, never counted here).")
    if not incidents:
        page.paragraph("There are no incidents yet. <code>resilience-kb incident new --title \"…\"</code> starts one "
                       "in the incidents folder.")
        return page.page(_wide(front_matter(title="Incidents", description="The team's incidents", searchable=False)))
    _times(page, incidents)
    page.heading(2, ours="All incidents", id="all-incidents")
    patterns = sorted({_name(p, context.patterns) for i in incidents for p in i.patterns}, key=str.casefold)
    biases = sorted({_name(b, context.biases) for i in incidents for b in i.biases}, key=str.casefold)
    header = ["Date", "Incident", "Services", "Severity", "Type", "Time to detect", "Time to resolve",
              "Patterns and biases"]
    # Each select filters on a column, whose cell lists its values as the table shows them, between ", ".
    page.html(_filter_form("incident-list", "incidents", [
        ("service", "Service", 2, services),
        ("severity", "Severity", 3, sorted({i.severity for i in incidents if i.severity}, key=_severity)),
        ("type", "Type", 4, sorted({i.type for i in incidents if i.type})),
        ("pattern", "Pattern", 7, patterns), ("bias", "Bias", 7, biases)]))
    rows = []
    for incident in incidents:
        named = [_name(p, context.patterns) for p in incident.patterns] + [_name(b, context.biases) for b in incident.biases]
        resolve = resolve_minutes(incident)
        rows.append([incident.date.isoformat(), page.a(urls.incident_path(incident.slug), incident.title),
                     escape_html(", ".join(incident.services)), escape_html(incident.severity or ""),
                     escape_html(incident.type or ""), escape_html(_detect_text(incident)),
                     duration(resolve) if resolve is not None else "not known", escape_html(", ".join(named))])
    page.html(_table("incident-list", header, rows))
    return page.page(_wide(front_matter(title="Incidents", description="The team's incidents", searchable=False)))


def _wide(front: str) -> str:
    """The front matter, with the table of contents hidden: the list's columns need the width."""
    return front.removesuffix("---") + "hide:\n- toc\n---"


def _severity(value: str) -> tuple[int, str]:
    return SEVERITY_ORDER.get(value, 9), value


def _name(key: str, names: dict[str, str]) -> str:
    return names.get(key, key)


def _detect_text(incident: Incident) -> str:
    minutes = detect_minutes(incident)
    return duration(minutes) if minutes is not None else (incident.detected_after or "not known")


def _times(page: HTMLPage, incidents: list[Incident]) -> None:
    """The median times to detect and to resolve, quarter by quarter: a table, and a picture with its numbers."""
    page.heading(2, ours="Time to detect and to resolve", id="times")
    found = periods(incidents)
    page.paragraph("Medians of each quarter, oldest first. Time to detect as each postmortem says it; time to "
                   "resolve from the incident's start to its end.")
    page.html('<ul class="rkb-times">'
              f'<li>Time to detect: {bars("Median time to detect by quarter", [(p.name, p.detect) for p in found])}</li>'
              f'<li>Time to resolve: {bars("Median time to resolve by quarter", [(p.name, p.resolve) for p in found])}'
              "</li></ul>")
    page.html('<div class="rkb-compact">')
    page.table(["Quarter", "Incidents", "Detect (median)", "Resolve (median)"],
               [[p.name, str(p.incidents), duration(p.detect), duration(p.resolve)] for p in reversed(found)],
               right=(1, 2, 3))
    page.html("</div>")


def _filter_form(table: str, noun: str, fields: list[tuple[str, str, int, list[str]]]) -> str:
    """The filter: hidden until the script runs (the list is whole without it); one select per field,
    each naming the table column it looks in (the column's cells list their values between ", ")."""
    selects = []
    for key, label, column, values in fields:
        if not values:
            continue
        options = "".join(f'<option value="{escape_html(v)}">{escape_html(v)}</option>' for v in values)
        selects.append(f'<label>{label} <select name="{key}" data-column="{column}"><option value="">Any</option>'
                       f"{options}</select></label>")
    return (f'<form class="rkb-filter" data-rkb-filter="{table}" data-noun="{noun}" hidden '
            f'aria-label="Filter the {noun}">' + "".join(selects)
            + '<button type="reset">Show all</button></form>'
            f'<p class="rkb-filter-status" role="status" aria-live="polite" id="{table}-status"></p>')


def _table(table: str, header: list[str], rows: list[list[str]]) -> str:
    """A table the filter works on (kept lean: 300 incidents stay well under a page's 150 KB)."""
    head = "".join(f"<th>{h}</th>" for h in header)
    body = ["<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>" for cells in rows]
    return (f'<div class="rkb-incidents"><table id="{table}">\n<thead>\n<tr>{head}</tr>\n</thead>\n<tbody>\n'
            + "\n".join(body) + "\n</tbody>\n</table></div>")


def render_public_index(incidents: list[Incident], context: Context) -> Page:
    page = HTMLPage(urls.PUBLIC_INCIDENTS, context.directory_urls)
    page.heading(1, "Public incidents")
    page.paragraph(
        f"Other companies' postmortems, imported as a library (<code>resilience-kb incident import</code>): "
        f"{count(len(incidents), 'postmortem')}, newest first. They are kept apart from "
        f"{page.a(urls.INCIDENTS, 'the team’s incidents')} and never counted with them.")
    if not incidents:
        page.paragraph("The library is empty.")
        return page.page(_wide(front_matter(title="Public incidents", description="Other companies' postmortems",
                                            searchable=False)))
    page.html(_filter_form("public-list", "postmortems", [
        ("company", "Company", 2, sorted({i.company for i in incidents if i.company}, key=str.casefold)),
        ("type", "Type", 3, sorted({i.type for i in incidents if i.type}))]))
    rows = [[incident.date.isoformat(), page.a(urls.incident_path(incident.slug, public=True), incident.title),
             escape_html(incident.company), escape_html(incident.type or ""), duration(resolve_minutes(incident))]
            for incident in incidents]
    page.html(_table("public-list", ["Date", "Postmortem", "Company", "Type", "Time to resolve"], rows))
    return page.page(_wide(front_matter(title="Public incidents", description="Other companies' postmortems",
                                        searchable=False)))

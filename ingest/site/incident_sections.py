"""The incidents and reviews beside the knowledge base's own pages (only where incidents are enabled).

On a pattern page, "In our incidents" (the factors that name it) and "In our reviews" (the
services whose latest review rates one of its questions high or medium), after the articles
and passages; on the biases page, the incidents each bias played a part in; on a checklist
page, a quiet line under each question naming the incidents that point to it, and the
reviews' blind spots: the questions incidents point to that no review rated as a risk. The
index comes from ingest/model/incident_index.py; this module only writes it.
"""

from __future__ import annotations

from ingest.model.checklists import CuratedChecklist
from ingest.model.extract.vocabulary import bias_key
from ingest.model.incident_index import BlindSpot, IncidentIndex
from ingest.model.incident_types import Incident
from ingest.model.knowledge import Knowledge, PatternEntry
from ingest.site import urls
from ingest.site.markdown import HTMLPage, count, date
from ingest.text import escape_html, escape_markdown, slugify

LISTED = 20  # rows under a heading of a pattern page; the Incidents page has them all
NAMED = 8  # incidents named on one line (a question, a bias); the others are counted
Rated = dict[tuple[str, str], tuple[tuple[str, str], ...]]  # (checklist, question) -> ((service, risk), …)


def add_pattern_sections(page: HTMLPage, entry: PatternEntry, knowledge: Knowledge, index: IncidentIndex | None,
                         rated: Rated) -> None:
    """"In our incidents" and "In our reviews", each only when it has something to say."""
    found = index.by_pattern.get(entry.pattern.id, ()) if index is not None else ()
    if found:
        page.heading(2, ours="In our incidents")
        incidents = len({incident.slug for incident, _ in found})
        page.paragraph(f"{count(incidents, 'incident')} of ours had a contributing factor naming it"
                       + (", newest first." if len(found) > 1 else "."))
        page.items([f"{_incident_link(page, incident)} — {_facts(incident)}: “{escape_markdown(factor.text)}”"
                    for incident, factor in found[:LISTED]])
        _more(page, len(found) - LISTED, "factor")
    risky = [(service, risk, checklist_id, item) for checklist_id, item in entry.questions
             for service, risk in rated.get((checklist_id, item.id), ())]
    if risky:
        titles = {e.checklist.id: e.checklist.title for e in knowledge.curated}
        risky.sort(key=lambda row: (row[1] != "high", row[0]))
        page.heading(2, ours="In our reviews")
        page.paragraph(f"{count(len({row[0] for row in risky}), 'service')} rated a question on it high or medium "
                       "in their latest review.")
        page.items([f"{page.a(urls.review_path(service), service)} ({risk}): “{escape_markdown(item.text)}” "
                    f"({page.a(urls.checklist_path(checklist_id), titles[checklist_id], item.id)})"
                    for service, risk, checklist_id, item in risky[:LISTED]])
        if len(risky) > LISTED:
            page.paragraph(f"… and {len(risky) - LISTED} more on {page.a(urls.REVIEWS, 'the Reviews')}.")


def add_bias_incidents(page: HTMLPage, bias_id: str, index: IncidentIndex) -> None:
    """The incidents a bias played a part in, on one line under its entry."""
    found = index.by_bias.get(bias_id, ())
    if found:
        named = ", ".join(f"{_incident_link(page, i)} ({date(i.date)})" for i in found[:NAMED])
        more = f", and {len(found) - NAMED} more" if len(found) > NAMED else ""
        page.paragraph(f"<strong>In our incidents:</strong> {named}{more}")


def add_unlisted_biases(page: HTMLPage, knowledge: Knowledge, index: IncidentIndex) -> None:
    """The biases our incidents name that no article does: each with the vocabulary's definition."""
    listed = {entry.id for entry in knowledge.biases}
    known = {slugify(bias_key(b.name)): b for b in knowledge.vocabulary.biases}
    # Only the vocabulary's: the incidents' check refuses another id (an incident made in code may hold one).
    unlisted = [bias_id for bias_id in sorted(index.by_bias) if bias_id not in listed and bias_id in known]
    if not unlisted:
        return
    page.heading(2, ours="Named only in our incidents")
    page.paragraph("No article in the archive names these; our incidents do.")
    for bias_id in unlisted:
        bias = known[bias_id]
        page.heading(3, bias.name[:1].upper() + bias.name[1:], id=bias_id)
        if bias.definition:
            page.paragraph(escape_markdown(bias.definition))
        add_bias_incidents(page, bias_id, index)


def pointed_line(uri: str, incidents: tuple[Incident, ...], directory_urls: bool) -> str:
    """A quiet line under a checklist question: how many incidents point to it, and the latest.

    One incident named, not all: the line is under each of a checklist's questions, and the page
    must stay light with hundreds of incidents (each incident's page lists its questions)."""
    if not incidents:
        return ""
    return f'<p class="rkb-rated rkb-pointed">Pointed to by {_latest(uri, incidents, directory_urls)}</p>'


BLIND_SPOTS_TITLE = "Questions incidents point to that no review rated as a risk"
BLIND_SPOTS_ID = "blind-spots"
BLIND_SPOTS_LISTED = 10  # the questions most incidents point to; the others are counted
SERVICES_NAMED = 3  # services named for each answer of a blind spot; the others are counted


def blind_spots_html(uri: str, checklist: CuratedChecklist, index: IncidentIndex, directory_urls: bool) -> str:
    """The reviews' blind spots of one checklist, those most incidents point to first: each question, its
    incidents, and what the latest reviews of their services said of it."""
    spots = sorted((s for s in index.blind_spots if s.checklist == checklist.id), key=lambda s: -len(s.incidents))
    if not spots:
        return ""
    rows = "\n".join(f"<li>{_spot(uri, spot, directory_urls)}</li>" for spot in spots[:BLIND_SPOTS_LISTED])
    more = len(spots) - BLIND_SPOTS_LISTED
    tail = f"\n<p>… and {count(more, 'more question')} that incidents point to.</p>" if more > 0 else ""
    return (f'<section class="rkb-blind-spots" aria-labelledby="{BLIND_SPOTS_ID}">\n'
            f'<h2 id="{BLIND_SPOTS_ID}">{BLIND_SPOTS_TITLE}<a class="headerlink" href="#{BLIND_SPOTS_ID}" '
            f'title="Permanent link">&para;</a></h2>\n'
            f"<p>An incident points to each of these, yet no latest review of the services it hit rated the "
            f"question high or medium: the next review should ask it again.</p>\n<ul>\n{rows}\n</ul>{tail}\n"
            f"</section>")


def _spot(uri: str, spot: BlindSpot, directory_urls: bool) -> str:
    """"Question — 2 incidents, the latest T (date); latest reviews: none (a), unanswered (b)"."""
    said: dict[str, list[str]] = {}
    for _, heard in spot.incidents:
        for h in heard:
            if h.service not in said.setdefault(h.said, []):
                said[h.said].append(h.service)
    answers = "; ".join(f"{word} ({', '.join(escape_html(s) for s in services[:SERVICES_NAMED])}"
                        f"{f' and {len(services) - SERVICES_NAMED} more' if len(services) > SERVICES_NAMED else ''})"
                        for word, services in said.items()) or "no service named"
    latest = _latest(uri, tuple(incident for incident, _ in spot.incidents), directory_urls)
    return (f'<a href="#{spot.item.id}">{escape_html(spot.item.text)}</a> — {latest}; '
            f"latest reviews: {answers}")


def _latest(uri: str, incidents: tuple[Incident, ...], directory_urls: bool) -> str:
    """"1 incident: T (date)", or "3 incidents, the latest on D", linked to the newest's page (its title is there)."""
    newest = incidents[0]
    href = urls.href(uri, urls.incident_path(newest.slug), directory_urls)
    if len(incidents) == 1:
        return f'1 incident: <a href="{href}">{escape_html(newest.title)}</a> ({date(newest.date)})'
    return f'{count(len(incidents), "incident")}, the latest on <a href="{href}">{date(newest.date)}</a>'


def _incident_link(page: HTMLPage, incident: Incident) -> str:
    return page.a(urls.incident_path(incident.slug), incident.title)


def _facts(incident: Incident) -> str:
    services = ", ".join(escape_markdown(s) for s in incident.services)
    return date(incident.date) + (f", {services}" if services else "")


def _more(page: HTMLPage, more: int, noun: str) -> None:
    if more > 0:
        page.paragraph(f"… and {count(more, noun)} more on {page.a(urls.INCIDENTS, 'the Incidents page')}.")

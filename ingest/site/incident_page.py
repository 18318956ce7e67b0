"""An incident's page (/incidents/<slug>/, a public one's /incidents/public/<slug>/).

The facts, the write-up as the team wrote it (its Markdown made HTML, then cleaned to
text, lists, tables, code, quotes, links and headings below the page's: an incident
file is the team's document, never a way to put a script on the site), the contributing factors with their links (the
pattern pages, the biases page's entries, the checklist questions), the action
items with their status (overdue against the day handed in), the timeline, and
"Questions this incident points to": each question with the latest review answer
of each service the incident touched, so a reader sees whether the review had
flagged it. Printed, the page is the whole write-up without the navigation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date as Date
from datetime import datetime

import markdown
import nh3

from ingest.model.checklists import Item
from ingest.model.incident_types import Incident
from ingest.model.knowledge import Knowledge
from ingest.model.reviews import Answer, Review, latest, overdue
from ingest.site import urls
from ingest.site.incident_parts import detect_minutes, duration, resolve_minutes
from ingest.site.markdown import HTMLPage, Page, front_matter
from ingest.site.review_parts import LABELS, escape_repeated, overdue_mark
from ingest.model.extract.vocabulary import bias_key
from ingest.text import escape_html, is_http_url, slugify


@dataclass(frozen=True)
class Context:
    """What every incident page looks up: names of patterns and biases, questions, the latest reviews."""
    patterns: dict[str, str]  # id -> name (every pattern has a page)
    biases: dict[str, str]  # id -> name
    bias_anchors: frozenset[str]  # the biases the biases page has an entry (an anchor) for
    questions: dict[str, tuple[str, Item]]  # question id -> (checklist id, item)
    reviews: dict[str, list[Review]]  # service -> its latest review of each checklist
    today: Date
    directory_urls: bool = True
    # (service, question id) -> the newest of the service's latest reviews that holds the question, and its answer
    answers: dict[tuple[str, str], tuple[Review, Answer]] = field(default_factory=dict)


def incident_context(knowledge: Knowledge, reviews: tuple[Review, ...], today: Date,
                     directory_urls: bool = True, incidents: tuple[Incident, ...] = ()) -> Context:
    biases = {slugify(bias_key(b.name)): b.name for b in (knowledge.vocabulary.biases if knowledge.vocabulary else ())}
    biases.update({entry.id: entry.name for entry in knowledge.biases})
    questions = {item.id: (entry.checklist.id, item) for entry in knowledge.curated
                 for section in entry.checklist.sections for item in section.items}
    newest: dict[str, list[Review]] = {}
    for review in latest(list(reviews)):
        newest.setdefault(review.service, []).append(review)
    answers: dict[tuple[str, str], tuple[Review, Answer]] = {}
    for service, held in newest.items():  # once for every page, not a search of each review per question asked
        for review in held:
            for answer in review.answers:
                found = answers.get((service, answer.question))
                if found is None or (found[0] is not review and review.date > found[0].date):
                    answers[service, answer.question] = (review, answer)
    return Context({e.pattern.id: e.pattern.name for e in knowledge.patterns}, biases,
                   _bias_anchors(knowledge, incidents, biases), questions, newest, today, directory_urls,
                   answers)


def _bias_anchors(knowledge: Knowledge, incidents: tuple[Incident, ...], known: dict[str, str]) -> frozenset[str]:
    """The biases articles name, and the known ones the team's incidents name: the biases page has an entry
    for each (incident_sections.add_unlisted_biases)."""
    named = {b for i in incidents if not i.public for b in i.biases if b in known}
    return frozenset(entry.id for entry in knowledge.biases) | named


def render_incident(incident: Incident, context: Context) -> Page:
    page = HTMLPage(urls.incident_path(incident.slug, incident.public), context.directory_urls)
    page.heading(1, incident.title)
    page.html('<div class="rkb-incident">')
    _facts(page, incident, context)
    for heading, text in incident.sections:
        if text.strip():
            page.heading(2, heading)
            page.html(f'<div class="rkb-writeup">{write_up_html(text)}</div>')
    _factors(page, incident, context)
    _questions(page, incident, context)
    _actions(page, incident, context)
    _timeline(page, incident)
    page.html("</div>")
    kind = "Public postmortem" if incident.public else "Incident"
    return page.page(front_matter(title=incident.title, description=f"{kind} of {incident.date.isoformat()}: "
                                  f"{incident.title}", searchable=False))


# What a write-up may hold once made HTML: no images (the page loads none from elsewhere), no scripts, no styles.
WRITE_UP_TAGS = {"p", "br", "hr", "ul", "ol", "li", "em", "strong", "code", "pre", "blockquote", "a", "h3", "h4", "h5",
                 "h6", "table", "thead", "tbody", "tr", "th", "td", "del", "sup", "sub"}
_TOP_HEADING = re.compile(r"<(/?)h[12]\b")


_converter: markdown.Markdown | None = None  # one for every section: making one is most of the time a section takes


def write_up_html(text: str) -> str:
    """A section of the write-up: its Markdown as HTML, cleaned; its headings below the page's own."""
    global _converter
    if _converter is None:
        _converter = markdown.Markdown(extensions=["tables"], output_format="html")
    made = _converter.reset().convert(text)
    return nh3.clean(_TOP_HEADING.sub(r"<\1h3", made), tags=WRITE_UP_TAGS, attributes={"a": {"href"}},
                     url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer")


def _when(moment: datetime | None) -> str:
    if moment is None:
        return "not given"
    return f"{moment:%Y-%m-%d %H:%M} {moment.tzname() or moment.strftime('%z')}".strip()


def _facts(page: HTMLPage, incident: Incident, context: Context) -> None:
    services = [page.a(urls.review_path(s), s) if s in context.reviews else escape_html(s) for s in incident.services]
    facts = [("Date", incident.date.isoformat()),
             ("Severity", escape_html(incident.severity or "not given")),
             ("Type", escape_html(incident.type or "not given")),
             ("Services", ", ".join(services) or "none named"),
             ("Start", escape_html(_when(incident.start))), ("End", escape_html(_when(incident.end))),
             ("Time to detect", escape_html(_detected(incident))),
             ("Time to resolve", duration(resolve_minutes(incident))),
             ("Detected by", escape_html(incident.detection) or "not said"),
             ("Owner", escape_html(incident.owner) or "nobody yet"),
             ("Status", escape_html(incident.status))]
    if incident.public:
        facts.insert(1, ("Company", escape_html(incident.company) or "not given"))
        if incident.source_url and is_http_url(incident.source_url):
            facts.append(("Source", f'<a href="{escape_html(incident.source_url)}">'
                                    f"{escape_html(incident.source_url)}</a>"))
        facts += [(escape_html(key), escape_html(value)) for key, value in incident.extra]
    page.html('<dl class="rkb-facts">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts) + "</dl>")


def _detected(incident: Incident) -> str:
    minutes = detect_minutes(incident)
    if minutes is not None:
        return duration(minutes)
    return incident.detected_after or "not known"


def _factors(page: HTMLPage, incident: Incident, context: Context) -> None:
    if not incident.factors:
        return
    page.heading(2, ours=f"Contributing factors ({len(incident.factors)})", id="contributing-factors")
    items = []
    for factor in incident.factors:
        links = [_pattern(page, p, context) for p in factor.patterns]
        links += [_bias(page, b, context) for b in factor.biases]
        links += [_question(page, q, context) for q in factor.questions]
        items.append(f'<span id="factor-{escape_html(factor.id)}"><strong>{escape_html(factor.kind)}</strong>: '
                     f"{escape_html(factor.text)}</span>"
                     + (f'<br><span class="rkb-links">Links: {", ".join(links)}</span>' if links else ""))
    page.items(items)


def _pattern(page: HTMLPage, pattern_id: str, context: Context) -> str:
    name = context.patterns.get(pattern_id)
    return f"pattern {page.a(urls.pattern_path(pattern_id), name)}" if name else escape_html(pattern_id)


def _bias(page: HTMLPage, bias_id: str, context: Context) -> str:
    name = context.biases.get(bias_id, bias_id)
    if bias_id in context.bias_anchors:
        return f"bias {page.a(urls.BIASES, name, bias_id)}"
    return f"bias {escape_html(name)}"  # neither an article nor one of our incidents names it: no entry


def _question(page: HTMLPage, question_id: str, context: Context) -> str:
    found = context.questions.get(question_id)
    if found is None:
        return f"question <code>{escape_html(question_id)}</code>"
    checklist, item = found
    return f"question {page.a(urls.checklist_path(checklist), item.text, item.id)}"


def _actions(page: HTMLPage, incident: Incident, context: Context) -> None:
    if not incident.actions:
        return
    late = sum(1 for a in incident.actions if overdue(a.item, context.today))
    page.heading(2, ours=f"Action items ({len(incident.actions)})", id="action-items")
    page.paragraph(f"{late} overdue on {context.today.isoformat()}." if late else
                   f"None overdue on {context.today.isoformat()}.")
    factors = {f.id: f for f in incident.factors}
    rows = []
    for action in incident.actions:
        item = action.item
        title = escape_html(item.title)
        if item.link and is_http_url(item.link):
            title = f'<a href="{escape_html(item.link)}">{title}</a>'
        tied = []
        if action.factor in factors:
            tied.append(f"factor: {escape_html(factors[action.factor].text)}")
        if item.question:
            tied.append(_question(page, item.question, context))
        if tied:
            title += '<br><span class="rkb-question-of">' + "; ".join(tied) + "</span>"
        rows.append([f"{overdue_mark(item, context.today)}{item.due.isoformat() if item.due else 'no date'}",
                     escape_repeated(item.status), title, escape_repeated(item.owner) or "nobody yet"])
    page.table(["Due", "Status", "Action", "Owner"], rows)


def _timeline(page: HTMLPage, incident: Incident) -> None:
    if not incident.timeline:
        return
    page.heading(2, ours="Timeline", id="timeline")
    page.table(["Time", "What happened"], [[escape_html(e.at), escape_html(e.text)] for e in incident.timeline])


def _questions(page: HTMLPage, incident: Incident, context: Context) -> None:
    """Each question the incident points to, with each touched service's latest answer to it."""
    asked = incident.questions
    page.heading(2, ours=f"Questions this incident points to ({len(asked)})", id="questions")
    if not asked:
        page.paragraph("No factor or action item names a checklist question.")
        return
    if incident.public or not incident.services:
        page.paragraph("Ask them in your own reviews:")
    items = []
    for question in asked:
        text = _question(page, question, context)
        answers = [] if incident.public else [_answer(page, s, question, context) for s in incident.services]
        items.append(text + ("<ul>" + "".join(f"<li>{a}</li>" for a in answers) + "</ul>" if answers else ""))
    page.items(items)


def _answer(page: HTMLPage, service: str, question: str, context: Context) -> str:
    """What the service's latest review said of the question: flagged (high or medium) or not, in words."""
    found = context.answers.get((service, question))
    name = escape_html(service)
    if found is None:
        reviewed = service in context.reviews
        return (f"<strong>Not asked</strong>: {name}'s latest review "
                + ("does not hold this question." if reviewed else "does not exist (no review of it)."))
    review, answer = found
    where = page.a(urls.review_path(service), f"{service}, {review.date.isoformat()}",
                   answer.question if answer.risk in ("high", "medium") else None)
    if answer.risk in ("high", "medium"):
        verdict = f'<strong class="rkb-flag rkb-flag--{answer.risk}">Flagged: {answer.risk} risk</strong>'
    elif answer.risk is None:
        verdict = "<strong>Not answered</strong>"
    else:
        verdict = f"<strong>Not flagged</strong>: risk {LABELS[answer.risk].lower()}"
    said = f"<br>“{escape_html(_short(answer.answer))}”" if answer.answer.strip() else ""
    return f"{verdict} in {where}{said}"


def _short(text: str, limit: int = 280) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit - 1] + "…"

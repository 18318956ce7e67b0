"""The Reviews pages, made only when reviews are enabled in mkdocs.yml: they say where a service is weak.

    /reviews/            every service: its latest review, counts by risk, open and overdue
                         action items, and a trend across its reviews
    /reviews/<service>/  one service (review_service.py)
    /reviews/actions/    every open action item of every service and incident, overdue first, then by due
                         date; and the open items month by month (incident_parts.py)

"Overdue" is counted against the day handed in (the plugin's reviews.as_of, or the
build's day), never the clock. Pure: reviews and knowledge in, pages out.
"""

from __future__ import annotations

from datetime import date as Date

from ingest.errors import KBError
from ingest.model.incident_types import Incident
from ingest.model.knowledge import Knowledge
from ingest.model.review_history import histories
from ingest.model.reviews import OPEN, ActionItem, Review, latest, open_actions, overdue
from ingest.site import urls
from ingest.site.incident_parts import bars, open_by_month
from ingest.site.markdown import HTMLPage, Page, chunks, count, front_matter
from ingest.site.review_parts import action_row, count_list, counts_of, question_texts, trend
from ingest.site.review_service import render_service
from ingest.text import escape_html

ACTIONS_PER_PAGE = 200  # rows of the action items table on a page (about 0.4 KB each)


def render_review_pages(reviews: tuple[Review, ...], knowledge: Knowledge, today: Date,
                        directory_urls: bool = True, site_url: str | None = None,
                        incidents: tuple[Incident, ...] = ()) -> list[Page]:
    """The index, one page per service, and the action items (the incidents' too, when loaded)."""
    for review in reviews:
        if review.service in urls.RESERVED_SERVICES:
            raise KBError(f"{review.path}: a service cannot be named {review.service!r}: the Reviews pages have a "
                          f"page of that name; rename the service's folder and its 'service'")
    steps = histories(list(reviews))
    by_service: dict[str, list] = {}
    for (service, _), found in steps.items():
        by_service.setdefault(service, []).append(found)
    pages = [render_reviews_index(reviews, steps, knowledge, today, directory_urls),
             *render_actions(reviews, today, directory_urls, incidents, knowledge)]
    made: dict = {}  # what the services' pages share: made for the first, included in the others
    pages += [render_service(service, found, knowledge, today, directory_urls, site_url, made)
              for service, found in sorted(by_service.items())]
    return pages


def render_reviews_index(reviews: tuple[Review, ...], steps: dict, knowledge: Knowledge, today: Date,
                         directory_urls: bool = True) -> Page:
    page = HTMLPage(urls.REVIEWS, directory_urls)
    page.heading(1, "Reviews")
    checklists = {e.checklist.id: e.checklist for e in knowledge.curated}
    newest = latest(list(reviews))
    services = sorted({r.service for r in reviews})
    todo = open_actions(list(reviews), today)
    late = sum(1 for _, item in todo if overdue(item, today))
    page.paragraph(
        f"Readiness reviews of {count(len(services), 'service')}, kept as files in the repository "
        f"(<code>resilience-kb review new</code>, then <code>review check</code>). Each row is a service's latest "
        f"review with a checklist; {page.a(urls.REVIEW_ACTIONS, 'the action items')} lists what is still to do "
        f"({count(len(todo), 'open item')}, {late} overdue on {today.isoformat()}).")
    if not reviews:
        page.paragraph("There are no reviews yet. <code>resilience-kb review new orr --service NAME</code> starts "
                       "one under the reviews folder.")
    header = ["Service", "Latest review", "Answers by risk", "Action items", "Trend (high + medium)"]
    rows = []
    for review in newest:
        checklist = checklists[review.checklist]
        items = [i for i in review.actions if i.status in ("open", "in progress")]
        history = steps[(review.service, review.checklist)]
        points = [(s.review.date, *(counts_of(s.review, checklist)[r] for r in ("high", "medium")))
                  for s in history]
        late_here = sum(1 for i in items if overdue(i, today))
        actions = f"{len(items)} open" + (f', <strong class="rkb-overdue">{late_here} overdue</strong>'
                                          if late_here else ", 0 overdue")
        rows.append([page.a(urls.review_path(review.service), review.service),
                     f"{review.date.isoformat()}<br>{page.a(urls.checklist_path(checklist.id), checklist.title)}",
                     count_list(counts_of(review, checklist)), actions, trend(points)])
    page.html('<div class="rkb-grid">')
    page.table(header, rows)
    page.html("</div>")
    return page.page(front_matter(title="Reviews", description="Readiness reviews of every service",
                                  searchable=False))


def render_actions(reviews: tuple[Review, ...], today: Date, directory_urls: bool = True,
                   incidents: tuple[Incident, ...] = (), knowledge: Knowledge | None = None) -> list[Page]:
    """The open action items of reviews and the team's incidents, ACTIONS_PER_PAGE to a page: the first at
    /reviews/actions/, with the open items month by month."""
    own = [i for i in incidents if not i.public]  # a public postmortem's items are not the team's
    todo: list[tuple[Review | Incident, ActionItem]] = list(open_actions(list(reviews), today))
    todo += [(incident, a.item) for incident in own for a in incident.actions if a.item.status in OPEN]
    todo.sort(key=lambda pair: (not overdue(pair[1], today), pair[1].due or Date.max, _source_name(pair[0]),
                                pair[1].title))
    late = sum(1 for _, item in todo if overdue(item, today))
    parts = chunks(todo, ACTIONS_PER_PAGE)
    paths = urls.review_actions_paths(len(parts))
    texts = {id(review): question_texts(review) for review in latest(list(reviews))}
    asked = {item.id: item.text for entry in (knowledge.curated if knowledge else ())
             for section in entry.checklist.sections for item in section.items}
    pages = []
    for n, (path, part) in enumerate(zip(paths, parts)):
        page = HTMLPage(path, directory_urls)
        title = "Action items" + (f" (page {n + 1} of {len(parts)})" if len(parts) > 1 else "")
        page.heading(1, title)
        page.paragraph(
            f"Every action item still open or in progress in the latest review of each service"
            + (" and in the team's incidents" if own else "") + f": "
            f"{count(len(todo), 'item')}, {late} overdue (due before {today.isoformat()}), overdue first, then by "
            f"due date. Back to {page.a(urls.REVIEWS, 'the Reviews')}"
            + (f" or {page.a(urls.INCIDENTS, 'the Incidents')}." if incidents else "."))
        if not todo:
            page.paragraph("Nothing is open.")
        else:
            page.table(["Due", "Status", "Action", "Owner", "From"],
                       [_action_row(page, source, item, today, texts, asked) for source, item in part])
        if n == 0:
            _backlog(page, reviews, own, today)
        pager = [page.a(paths[n - 1], "Previous page")] if n else []
        pager += [page.a(paths[n + 1], "Next page")] if n + 1 < len(parts) else []
        if pager:
            page.paragraph(" · ".join(pager))
        pages.append(page.page(front_matter(title=title, description="Open action items of every review",
                                            searchable=False)))
    return pages


def _source_name(source: Review | Incident) -> str:
    return source.service if isinstance(source, Review) else source.title


def _action_row(page: HTMLPage, source: Review | Incident, item: ActionItem, today: Date, texts: dict,
                asked: dict[str, str]) -> list[str]:
    if isinstance(source, Review):
        return action_row(page, source, item, today, service=True, questions=texts[id(source)])
    row = action_row(page, None, item, today, service=False, questions=asked)
    link = page.a(urls.incident_path(source.slug), source.title)
    return row + [f"Incident {link}" + (f" ({escape_html(', '.join(source.services))})" if source.services else "")]


def _backlog(page: HTMLPage, reviews: tuple[Review, ...], incidents: list[Incident], today: Date) -> None:
    """How many items were open at the end of each month: whether the backlog grows."""
    months = open_by_month(list(reviews), incidents, today)
    if not months:
        return
    page.heading(2, ours="Open items, month by month", id="open-by-month")
    page.paragraph("Open at each month's end (for this month, on " + today.isoformat() + "), oldest first: "
                   + bars("Open items by month", [(m.name, m.open) for m in months], str)
                   + ". An item is open from the review or incident that first lists it until a later review marks it "
                   "done or won't do (an incident's done item: until its due day).")
    page.html('<div class="rkb-compact">')
    page.table(["Month", "Open at the end", "Opened", "Closed"],
               [[m.name, str(m.open), str(m.opened), str(m.closed)] for m in reversed(months)], right=(1, 2, 3))
    page.html("</div>")

"""A service's Reviews page (/reviews/<service>/): its latest review, what to improve, its history.

For each checklist the service was reviewed with: the latest review's counts and a
grid of the checklist's sections by risk; the high, then the medium risks, each
with its question, answer and notes and "how to improve" (the patterns the question
names, each with the knowledge base's best passages and articles on it, the
Well-Architected Tool's "improvement plan" drawn from the team's own sources); the
action items (overdue marked); and the history of earlier reviews with what changed.
Printed, the page is the review's report for a meeting (the stylesheet drops the
navigation).
"""

from __future__ import annotations

from datetime import date as Date

from ingest.model.checklists import ANSWERED_KINDS
from ingest.model.knowledge import ChecklistEntry, Knowledge, PatternEntry
from ingest.model.review_history import Step
from ingest.model.reviews import UNANSWERED, Answer, Review, checklist_version, coverage
from ingest.site import urls
from ingest.site.markdown import HTMLPage, Page, count, front_matter
from ingest.site.review_parts import (
    COLUMNS, LABELS, action_row, count_cells, count_list, counts_of, escape_repeated, is_current, overdue_mark,
    printable, question_texts, text_block, trend,
)
from ingest.text import escape_html

PASSAGES = 2  # the best passages quoted per pattern: the first of each of the articles naming it most
ARTICLES = 3  # articles listed per pattern
PASSAGE_CHARS = 320


def render_service(service: str, histories: list[list[Step]], knowledge: Knowledge, today: Date,
                   directory_urls: bool = True, site_url: str | None = None, made: dict | None = None) -> Page:
    """The page of one service; `histories` holds one list of steps per checklist it was reviewed with.

    `made` keeps what the pages of several services share (how to improve on each question).
    """
    page = HTMLPage(urls.review_path(service), directory_urls)
    page.heading(1, service)
    entries = {e.checklist.id: e for e in knowledge.curated}
    patterns = {e.pattern.id: e for e in knowledge.patterns}
    for steps in histories:
        latest = steps[-1].review
        entry = entries[latest.checklist]
        if len(histories) > 1:
            page.heading(2, entry.checklist.title, id=f"checklist-{entry.checklist.id}")
        _summary(page, latest, entry)
        _grid(page, latest, entry)
        for risk in ("high", "medium"):
            risky = [a for a in latest.answers if a.risk == risk]
            page.heading(3 if len(histories) > 1 else 2, ours=f"{LABELS[risk]} risks ({len(risky)})",
                         id=_anchor(latest, f"{risk}-risks", len(histories)))
            if not risky:
                page.paragraph(f"No question is rated {risk}.")
            for answer in risky:
                _risk(page, latest, answer, entry, patterns, knowledge, today, site_url, made)
        _actions(page, latest, today, len(histories))
        _history(page, steps, entry, len(histories))
    title = f"Reviews of {service}"
    return page.page(front_matter(title=title, description=f"{title}: risks, action items and history",
                                  searchable=False))


def _anchor(review: Review, name: str, checklists: int) -> str:
    return name if checklists == 1 else f"{review.checklist}-{name}"


def _summary(page: HTMLPage, review: Review, entry: ChecklistEntry) -> None:
    checklist = entry.checklist
    people = ", ".join(review.participants)
    page.paragraph(
        f'<span class="rkb-review-meta">Latest review: <strong>{review.date.isoformat()}</strong>, '
        f"{page.a(urls.checklist_path(checklist.id), checklist.title)}"
        + (f", owner {escape_html(review.owner)}" if review.owner else "")
        + (f", with {escape_html(people)}" if people else "") + ".</span>")
    page.html(count_list(counts_of(review, checklist)))
    version = f"Checklist version used: <code>{escape_html(review.checklist_version)}</code>"
    if is_current(review, checklist):
        page.paragraph(version + " (the current one).")
    else:
        seen = coverage(review, checklist)
        page.paragraph(version + f" (the checklist is now <code>{checklist_version(checklist)}</code>: "
                       f"{count(len(seen.not_asked), 'question')} added since, not asked in this review; "
                       f"{count(len(seen.dropped), 'answer')} to questions dropped since, kept below).")


def _grid(page: HTMLPage, review: Review, entry: ChecklistEntry) -> None:
    """The review by section and risk: counts in a table whose headers name each risk."""
    rows: dict[str, dict[str, int]] = {}
    for answer in review.answers:
        counts = rows.setdefault(answer.section or "Questions", dict.fromkeys(COLUMNS, 0))
        counts[answer.risk or UNANSWERED] += 1
    if is_current(review, entry.checklist):  # left out of a current review: unanswered
        answered = {a.question for a in review.answers}
        for section in entry.checklist.sections:
            for item in section.items:
                if item.kind in ANSWERED_KINDS and item.id not in answered:  # guidance is not asked
                    rows.setdefault(section.title, dict.fromkeys(COLUMNS, 0))[UNANSWERED] += 1
    header = ["Section"] + [LABELS[c] for c in COLUMNS]
    page.html('<div class="rkb-grid">')
    page.table(header, [[escape_html(title), *count_cells(counts)] for title, counts in rows.items()],
               right=tuple(range(1, len(header))))
    page.html("</div>")


def _risk(page: HTMLPage, review: Review, answer: Answer, entry: ChecklistEntry,
          patterns: dict[str, PatternEntry], knowledge: Knowledge, today: Date, site_url: str | None,
          made: dict | None) -> None:
    page.html(f'<section class="rkb-risk-item rkb-risk-item--{answer.risk}" aria-labelledby="{answer.question}">')
    page.heading(3, answer.text or answer.question, id=answer.question)
    page.html(f'<p class="rkb-risk-label"><strong>{LABELS[answer.risk]} risk</strong> · '
              f'<code>{answer.question}</code> · {escape_repeated(answer.section)}</p>')
    page.html('<div class="rkb-answer-text"><p class="rkb-label">Answer</p>'
              + (text_block(answer.answer) or "<p>(no answer written)</p>") + "</div>")
    if answer.notes.strip():
        page.html('<div class="rkb-notes"><p class="rkb-label">Notes</p>' + text_block(answer.notes) + "</div>")
    if answer.actions:
        page.html('<p class="rkb-label">Actions</p>')
        page.items([f"{overdue_mark(item, today)}{escape_html(item.title)} ({escape_repeated(item.status)}"
                    + (f", due {item.due.isoformat()}" if item.due else "") + ")" for item in answer.actions])
    _improve(page, answer, entry, patterns, knowledge, site_url, made)
    page.html("</section>")


def _improve(page: HTMLPage, answer: Answer, entry: ChecklistEntry, patterns: dict[str, PatternEntry],
             knowledge: Knowledge, site_url: str | None, made: dict | None = None) -> None:
    """How to improve: the question's patterns, each with its best passages and articles.

    The same for a question on every service's page (they are all in one folder, so their
    links are the same too): made once per question and kept in `made`, when given.
    """
    key = (entry.checklist.id, answer.question, page.uri.count("/"), page.link.directory_urls, site_url)
    part = made.get(key) if made is not None else None
    if part is None:
        part = HTMLPage(page.uri, page.link.directory_urls)
        _improvement(part, answer, entry, patterns, knowledge, site_url)
        if made is not None:
            made[key] = part
    page.include(part)


def _improvement(page: HTMLPage, answer: Answer, entry: ChecklistEntry, patterns: dict[str, PatternEntry],
                 knowledge: Knowledge, site_url: str | None) -> None:
    linked = entry.patterns.get(answer.question, ())
    page.html('<div class="rkb-improve"><p class="rkb-label">How to improve</p>')
    if not linked:
        known = answer.question in entry.patterns
        page.paragraph("No pattern of the knowledge base is linked to this question"
                       + (f"; see its guidance on "
                          + printable(page, urls.checklist_path(entry.checklist.id), "the checklist", site_url=site_url)
                          + "."
                          if known else " (the checklist no longer has it)."))
    items = []
    for pattern_id in linked:
        found = patterns[pattern_id]
        parts = [f"{printable(page, urls.pattern_path(pattern_id), found.pattern.name, site_url=site_url)}: "
                 f"{escape_html(found.pattern.definition)}"]
        passages = []
        # The checklist's own source article names every pattern of its questions: not a reading on them.
        articles = [a for a in found.articles if not (entry.checklist.source and a == entry.checklist.source.article)]
        best = {quoted.article: quoted.passages[0].mention for quoted in found.quoted}  # as the pattern page ranks
        for article_id in articles[:PASSAGES]:
            mention = best.get(article_id) or next(m for a, m in found.mentions if a == article_id)
            text = mention.text if len(mention.text) <= PASSAGE_CHARS else mention.text[:PASSAGE_CHARS - 1] + "…"
            title = knowledge.article(article_id).title
            where = printable(page, urls.article_path(article_id), title, mention.anchor, site_url=site_url)
            passages.append(f"“{escape_html(text)}” ({where})")
        if passages:
            parts.append("<ul>" + "".join(f"<li>{p}</li>" for p in passages) + "</ul>")
        more = articles[PASSAGES:PASSAGES + ARTICLES]
        if more:
            parts.append("Also: " + ", ".join(printable(page, urls.article_path(a), knowledge.article(a).title,
                                                        site_url=site_url) for a in more) + ".")
        elif not articles:
            parts.append(" No article of the archive discusses it yet.")
        items.append(" ".join(parts))
    page.items(items)
    page.html("</div>")


def _actions(page: HTMLPage, review: Review, today: Date, checklists: int) -> None:
    items = sorted(review.actions, key=lambda i: (i.status not in ("open", "in progress"), i.due or Date.max))
    page.heading(3 if checklists > 1 else 2, ours=f"Action items ({len(items)})",
                 id=_anchor(review, "action-items", checklists))
    if not items:
        page.paragraph("This review has no action item.")
        return
    questions = question_texts(review)
    page.table(["Due", "Status", "Action", "Owner"],
               [action_row(page, review, item, today, service=False, questions=questions) for item in items])


def _history(page: HTMLPage, steps: list[Step], entry: ChecklistEntry, checklists: int) -> None:
    page.heading(3 if checklists > 1 else 2, ours="History", id=_anchor(steps[-1].review, "history", checklists))
    points = [(s.review.date, counts_of(s.review, entry.checklist)["high"],
               counts_of(s.review, entry.checklist)["medium"]) for s in steps]
    page.paragraph("High and medium risks, review by review: " + trend(points))
    rows = []
    for step in reversed(steps):
        counts = counts_of(step.review, entry.checklist)
        rows.append([f"{step.review.date.isoformat()}<br><span class=\"rkb-question-of\">checklist version "
                     f"<code>{escape_html(step.review.checklist_version)}</code></span>", *count_cells(counts)])
    page.table(["Review", *[LABELS[c] for c in COLUMNS]], rows, right=tuple(range(1, 6)))
    for step in reversed(steps[1:]):
        page.html(f'<p class="rkb-label">{step.review.date.isoformat()}, since the review of '
                  f"{_before(steps, step).isoformat()}</p>" + _changes(step))


def _before(steps: list[Step], step: Step) -> Date:
    return steps[steps.index(step) - 1].review.date


def _changes(step: Step) -> str:
    """What changed since the review before: risks resolved, new risks, answers changed, each named."""
    if not step.changes:
        return "<p>No risk or answer changed.</p>"
    texts = {a.question: a.text for a in step.review.answers}
    parts = []
    for noun, plural, ids in (("risk resolved", "risks resolved", step.changes.resolved),
                              ("new risk", "new risks", step.changes.new),
                              ("answer changed", "answers changed", step.changes.changed)):
        if ids:
            named = "; ".join(escape_repeated(texts.get(q) or q) for q in ids[:5])
            more = f"; and {len(ids) - 5} more" if len(ids) > 5 else ""
            parts.append(f"<li><strong>{count(len(ids), noun, plural)}</strong>: {named}{more}</li>")
    return '<ul class="rkb-changes">' + "".join(parts) + "</ul>"

"""The pieces the Reviews pages share: risk counts with their words, a trend, an action item's row.

Nothing here says a thing by colour alone: every count is written with its label
("3 high"), every overdue item says "Overdue", and the trend's picture has its
numbers beside it in text. Colours come from the stylesheet (rkb-risk--high, …).
"""

from __future__ import annotations

from datetime import date as Date
from functools import lru_cache

from ingest.model.checklists import CuratedChecklist
from ingest.model.reviews import RISKS, UNANSWERED, ActionItem, Review, checklist_version, overdue, risk_counts
from ingest.site import urls
from ingest.site.markdown import HTMLPage
from ingest.text import escape_html, is_http_url

COLUMNS = (*RISKS, UNANSWERED)
# Escaped once: what the pages repeat (questions, sections, statuses, owners), on every service's page.
escape_repeated = lru_cache(maxsize=8192)(escape_html)
LABELS = {"high": "High", "medium": "Medium", "none": "None", "n/a": "N/A", UNANSWERED: "Unanswered"}
CLASSES = {"high": "high", "medium": "medium", "none": "none", "n/a": "na", UNANSWERED: "unanswered"}


# The checklists' versions, worked out once per checklist, not once per review (it hashes every question).
_VERSIONS: dict[int, tuple[CuratedChecklist, str]] = {}


def is_current(review: Review, checklist: CuratedChecklist) -> bool:
    """Made from the checklist's current version."""
    known = _VERSIONS.get(id(checklist))
    if known is None or known[0] is not checklist:
        known = _VERSIONS[id(checklist)] = (checklist, checklist_version(checklist))
    return review.checklist_version == known[1]


def counts_of(review: Review, checklist: CuratedChecklist) -> dict[str, int]:
    """risk_counts(review, checklist), with the checklist's version worked out once."""
    counts = risk_counts(review)
    if is_current(review, checklist):  # left out of a review of the current version: unanswered
        answered = {a.question for a in review.answers}
        counts[UNANSWERED] += sum(1 for item in checklist.answered_items if item.id not in answered)
    return counts


def count_list(counts: dict[str, int]) -> str:
    """The counts as a list of labelled numbers: "2 high, 5 medium, …"."""
    items = "".join(f'<li class="rkb-risk rkb-risk--{CLASSES[risk] if counts.get(risk, 0) else "zero"}">'
                    f"<strong>{counts.get(risk, 0)}</strong> {LABELS[risk].lower()}</li>" for risk in COLUMNS)
    return f'<ul class="rkb-risk-counts" aria-label="Answers by risk">{items}</ul>'


def count_cells(counts: dict[str, int]) -> list[str]:
    """One table cell's content per risk column; a cell of a risk found is marked for the stylesheet."""
    return [f'<span class="rkb-cell rkb-cell--{CLASSES[risk]}">{counts.get(risk, 0)}</span>'
            if counts.get(risk, 0) else "0" for risk in COLUMNS]


def trend(points: list[tuple[Date, int, int]]) -> str:
    """High and medium risks across a service's reviews, oldest first: a small bar chart and the numbers."""
    if not points:
        return ""
    numbers = " → ".join(str(high + medium) for _, high, medium in points)
    said = ", ".join(f"{day.isoformat()}: {high} high, {medium} medium" for day, high, medium in points)
    tallest = max(max(high + medium for _, high, medium in points), 1)
    bars = []
    for n, (_, high, medium) in enumerate(points):
        x = n * 8
        h_high, h_medium = round(20 * high / tallest), round(20 * medium / tallest)
        bars.append(f'<rect class="rkb-trend-medium" x="{x}" y="{20 - h_medium}" width="6" height="{h_medium}"/>'
                    f'<rect class="rkb-trend-high" x="{x}" y="{20 - h_medium - h_high}" width="6" '
                    f'height="{h_high}"/>')
    width = len(points) * 8
    return (f'<span class="rkb-trend"><svg role="img" aria-label="High and medium risks by review, oldest first: '
            f'{escape_html(said)}" width="{width}" height="20" viewBox="0 0 {width} 20">'
            f'<title>{escape_html(said)}</title>{"".join(bars)}</svg> <span>{numbers}</span></span>')


def overdue_mark(item: ActionItem, today: Date) -> str:
    return '<strong class="rkb-overdue">Overdue</strong> ' if overdue(item, today) else ""


def action_row(page: HTMLPage, review: Review, item: ActionItem, today: Date, *, service: bool,
               questions: dict[str, str]) -> list[str]:
    """A row of an action items table: due, status, the item (and its tracker link), owner (and service).

    `questions` maps the review's question ids to their text (the item says which question it is for).
    """
    title = escape_html(item.title)
    if item.link and is_http_url(item.link):
        title = f'<a href="{escape_html(item.link)}">{title}</a>'
    text = questions.get(item.question or "")
    asked = f'<br><span class="rkb-question-of">{escape_repeated(text)}</span>' if text else ""
    row = [f"{overdue_mark(item, today)}{item.due.isoformat() if item.due else 'no date'}",
           escape_repeated(item.status), title + asked, escape_repeated(item.owner) or "nobody yet"]
    if service:
        row.append(page.a(urls.review_path(review.service), review.service))
    return row


def printable(page: HTMLPage, to_uri: str, text: str, anchor: str | None = None, *,
              site_url: str | None = None) -> str:
    """A link that says on paper where it leads (the print stylesheet writes data-print after it)."""
    target = urls.page_url(to_uri, page.link.directory_urls) + (f"#{anchor}" if anchor else "")
    printed = f"{site_url.rstrip('/')}/{target}" if site_url else f"/{target}"
    return page.a(to_uri, text, anchor).replace("<a ", f'<a data-print="{escape_html(printed)}" ', 1)


def question_texts(review: Review) -> dict[str, str]:
    return {a.question: a.text for a in review.answers}


def text_block(text: str) -> str:
    """A team's Markdown shown as text: its paragraphs, escaped (a review is data, never markup)."""
    paragraphs = [p.strip() for p in text.strip().split("\n\n") if p.strip()]
    return "".join(f"<p>{escape_html(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)

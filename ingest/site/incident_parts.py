"""What the Incidents pages work out: times to detect and resolve, their trend, and the open items by month.

Times are whole minutes. Time to resolve is the incident's end less its start; time to
detect is `detected_after` as the team wrote it ("12 min", "1 h 5 min", "2 hours"),
read when it says its unit and left out of the numbers (shown as written) when not.
As everywhere on the Reviews pages, a picture has its numbers beside it in text.
Pure: no clock (the day items are counted against is handed in).
"""

from __future__ import annotations

import re
from collections import Counter
import statistics
from dataclasses import dataclass
from datetime import date as Date
from typing import Callable

from ingest.model.incident_types import Incident
from ingest.model.reviews import OPEN, Review
from ingest.text import escape_html

_AMOUNT = re.compile(r"(\d+(?:[.,]\d+)?)\s*(days?|d|hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|s)\b",
                     re.IGNORECASE)
_MINUTES = {"d": 1440, "h": 60, "m": 1, "s": 1 / 60}
MONTHS = 24  # the open items are counted over at most the last this many months


def written_minutes(text: str) -> int | None:
    """"1 h 5 min" -> 65; None when no amount with a unit is found, or words are left over."""
    found = list(_AMOUNT.finditer(text or ""))
    rest = _AMOUNT.sub("", text or "").replace("and", "").strip(" ,~≈")
    if not found or rest:
        return None
    return round(sum(float(m[1].replace(",", ".")) * _MINUTES[m[2][0].lower()] for m in found))


def detect_minutes(incident: Incident) -> int | None:
    return written_minutes(incident.detected_after)


def resolve_minutes(incident: Incident) -> int | None:
    """From start to end, when both are given (the reader refuses an end before the start)."""
    if incident.start is None or incident.end is None:
        return None
    return max(0, round((incident.end - incident.start).total_seconds() / 60))


def duration(minutes: int | None) -> str:
    """65 -> "1 h 5 min"; None -> "not known"."""
    if minutes is None:
        return "not known"
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    parts = [f"{days} d" if days else "", f"{hours} h" if hours else "", f"{mins} min" if mins or not minutes else ""]
    return " ".join(p for p in parts if p)


def quarter(day: Date) -> str:
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


@dataclass(frozen=True)
class Period:
    name: str  # "2026 Q1"
    incidents: int
    detect: int | None  # median minutes of those with a known time; None: none known
    resolve: int | None


def periods(incidents: list[Incident]) -> list[Period]:
    """The median times to detect and to resolve of each quarter with incidents, oldest first."""
    by_quarter: dict[str, list[Incident]] = {}
    for incident in sorted(incidents, key=lambda i: i.date):
        by_quarter.setdefault(quarter(incident.date), []).append(incident)
    found = []
    for name, members in by_quarter.items():
        detect = [m for m in map(detect_minutes, members) if m is not None]
        resolve = [m for m in map(resolve_minutes, members) if m is not None]
        found.append(Period(name, len(members), _median(detect), _median(resolve)))
    return found


def _median(values: list[int]) -> int | None:
    return round(statistics.median(values)) if values else None


def bars(label: str, points: list[tuple[str, int | None]], shown: Callable[[int], str] = duration) -> str:
    """A small bar chart of `points` (name, value), its numbers in text beside it and in its title."""
    known = [v for _, v in points if v is not None]
    said = ", ".join(f"{name}: {shown(v) if v is not None else 'not known'}" for name, v in points)
    tallest = max(known, default=0) or 1
    rects = []
    for n, (_, value) in enumerate(points):
        height = round(20 * (value or 0) / tallest)
        rects.append(f'<rect class="rkb-trend-high" x="{n * 8}" y="{20 - height}" width="6" height="{height}"/>')
    width = max(len(points) * 8, 8)
    numbers = " → ".join(shown(v) if v is not None else "?" for _, v in points)
    described = escape_html(f"{label}, oldest first: {said}")
    return (f'<span class="rkb-trend"><svg role="img" aria-label="{described}" width="{width}" height="20" '
            f'viewBox="0 0 {width} 20"><title>{described}</title>{"".join(rects)}</svg> '
            f"<span>{escape_html(numbers)}</span></span>")


# -- the open action items, month by month -------------------------------------------------------

@dataclass(frozen=True)
class Month:
    name: str  # "2026-03"
    open: int  # open at the month's end (or on the day handed in, for its month)
    opened: int
    closed: int


def _month(day: Date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _month_end(name: str, today: Date) -> Date:
    year, month = int(name[:4]), int(name[5:])
    after = Date(year + month // 12, month % 12 + 1, 1)
    return min(Date.fromordinal(after.toordinal() - 1), today)


def item_spans(reviews: list[Review], incidents: list[Incident], today: Date) -> list[tuple[Date, Date | None]]:
    """When each action item was open: from the review or incident that first lists it, until closed (None: open).

    A review's item is the same item in the service's later reviews of the same checklist (by
    its title); it closes on the first review that says done or won't do, or leaves it out. An incident's file
    says only how things stand: a closed item is counted open until its due day (or never, without one).
    """
    spans: list[tuple[Date, Date | None]] = []
    histories: dict[tuple[str, str], list[Review]] = {}
    for review in reviews:
        histories.setdefault((review.service, review.checklist), []).append(review)
    for history in histories.values():
        first: dict[str, Date] = {}
        closed: dict[str, Date | None] = {}
        for review in sorted(history, key=lambda r: r.date):
            listed = {item.title for item in review.actions}
            for title in first:  # left out of a later review: no longer carried, so closed there
                if title not in listed and closed[title] is None:
                    closed[title] = review.date
            for item in review.actions:
                first.setdefault(item.title, review.date)
                if item.status in OPEN:
                    closed[item.title] = None
                elif closed.get(item.title, None) is None:
                    closed[item.title] = review.date
        spans += [(first[title], closed[title]) for title in first]
    for incident in incidents:
        for action in incident.actions:
            item = action.item
            if item.status in OPEN:
                spans.append((incident.date, None))
            elif item.due is not None and incident.date < item.due <= today:
                spans.append((incident.date, item.due))
    return [(start, end) for start, end in spans if start <= today and (end is None or end > start)]


def open_by_month(reviews: list[Review], incidents: list[Incident], today: Date) -> list[Month]:
    """For each month from the first item's (at most MONTHS back) to today's: open at its end, opened, closed."""
    spans = item_spans(reviews, incidents, today)
    if not spans:
        return []
    start = max(min(s for s, _ in spans), Date(today.year - MONTHS // 12, today.month, 1))
    names, day = [], Date(start.year, start.month, 1)
    while day <= today:
        names.append(_month(day))
        day = Date(day.year + day.month // 12, day.month % 12 + 1, 1)
    opened = Counter(_month(s) for s, _ in spans)  # each span's months named once, not once per month shown
    closed = Counter(_month(e) for _, e in spans if e is not None and e <= today)
    months = []
    for name in names:
        end = _month_end(name, today)
        months.append(Month(
            name,
            open=sum(1 for s, e in spans if s <= end and (e is None or e > end)),
            opened=opened[name], closed=closed[name]))
    return months

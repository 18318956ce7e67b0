"""Incidents beside the knowledge base: which incidents name a pattern, a bias or a question, and the
questions incidents point to that no review rated as a risk (the reviews' blind spots).

The site's pattern, biases and checklist pages read this, so that the loop shows: an incident
teaches a question, the next review asks it, the pattern page shows where the team was bitten.
Only the team's own incidents count here; public ones (another company's postmortems) are a
library, never mixed in. Pure: incidents, reviews and checklists in, data out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ingest.model.checklists import CuratedChecklist, Item
from ingest.model.incident_types import Factor, Incident
from ingest.model.review_format import Review
from ingest.model.review_history import RISKY
from ingest.model.reviews import latest


@dataclass(frozen=True)
class Heard:
    """What one service's latest review said of a question an incident points to."""

    service: str
    said: str  # a risk ("none", "n/a"), "unanswered", or "not reviewed" (no review of it with that checklist)


@dataclass(frozen=True)
class BlindSpot:
    """A question incidents point to that no latest review of their services rated high or medium."""

    checklist: str
    item: Item
    incidents: tuple[tuple[Incident, tuple[Heard, ...]], ...]  # newest first, each with what its services' reviews said


@dataclass(frozen=True)
class IncidentIndex:
    """The team's incidents by what they link to, each list newest first."""

    by_pattern: dict[str, tuple[tuple[Incident, Factor], ...]] = field(default_factory=dict)  # one row per factor
    by_bias: dict[str, tuple[Incident, ...]] = field(default_factory=dict)
    by_question: dict[tuple[str, str], tuple[Incident, ...]] = field(default_factory=dict)  # (checklist, item id)
    blind_spots: tuple[BlindSpot, ...] = ()  # in the checklists' order


def newest_first(incidents) -> list[Incident]:
    """The team's own incidents, newest first (then by slug, so two of a day keep one order)."""
    own = [i for i in incidents if not i.public]
    return sorted(sorted(own, key=lambda i: i.slug), key=lambda i: i.date, reverse=True)


def index_incidents(incidents, reviews, checklists: list[CuratedChecklist]) -> IncidentIndex:
    """Which incidents name each pattern, bias and question, and the questions reviews did not flag."""
    ordered = newest_first(incidents)
    by_pattern: dict[str, list[tuple[Incident, Factor]]] = defaultdict(list)
    by_bias: dict[str, list[Incident]] = defaultdict(list)
    by_question: dict[tuple[str, str], list[Incident]] = defaultdict(list)
    where = _question_places(checklists)
    for incident in ordered:
        for factor in incident.factors:
            for pattern in dict.fromkeys(factor.patterns):
                by_pattern[pattern].append((incident, factor))
        for bias in incident.biases:
            by_bias[bias].append(incident)
        for question in incident.questions:
            for checklist_id in where.get(question, ()):
                by_question[(checklist_id, question)].append(incident)
    pointed = {key: tuple(found) for key, found in by_question.items()}
    return IncidentIndex(
        by_pattern={key: tuple(found) for key, found in by_pattern.items()},
        by_bias={key: tuple(found) for key, found in by_bias.items()},
        by_question=pointed,
        blind_spots=blind_spots(pointed, list(reviews or ()), checklists),
    )


def blind_spots(pointed: dict[tuple[str, str], tuple[Incident, ...]], reviews: list[Review],
                checklists: list[CuratedChecklist]) -> tuple[BlindSpot, ...]:
    """The questions an incident points to where no latest review of the incident's services rated it
    high or medium: unanswered, rated none or n/a, or the service never reviewed with that checklist."""
    newest = {(r.service, r.checklist): r for r in latest(reviews)}
    found = []
    for checklist in checklists:
        for item in checklist.items:
            missed = []
            for incident in pointed.get((checklist.id, item.id), ()):
                heard = tuple(_heard(newest.get((service, checklist.id)), service, item.id)
                              for service in incident.services)
                if not any(h.said in RISKY for h in heard):
                    missed.append((incident, heard))
            if missed:
                found.append(BlindSpot(checklist.id, item, tuple(missed)))
    return tuple(found)


def _heard(review: Review | None, service: str, question: str) -> Heard:
    if review is None:
        return Heard(service, "not reviewed")
    answer = review.answer(question)
    return Heard(service, answer.risk if answer is not None and answer.risk else "unanswered")


def _question_places(checklists: list[CuratedChecklist]) -> dict[str, tuple[str, ...]]:
    """{item id: the checklists that have it}: an incident names a question by its id alone."""
    places: dict[str, list[str]] = defaultdict(list)
    for checklist in checklists:
        for item in checklist.items:
            places[item.id].append(checklist.id)
    return {key: tuple(value) for key, value in places.items()}

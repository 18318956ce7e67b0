"""What changed between a service's reviews, and where the latest reviews rate a question risky.

The site's Reviews pages read this: each review of a service and a checklist
beside the one before it (risks resolved, new risks, answers changed), and, for
the checklist pages, which services' latest reviews rate each question high or
medium. Pure: reviews in, data out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ingest.model.reviews import Review, latest

RISKY = ("high", "medium")


@dataclass(frozen=True)
class Changes:
    """How a review differs from the one before it (question ids, in the later review's order)."""

    resolved: tuple[str, ...] = ()  # rated high or medium before; none or n/a now
    new: tuple[str, ...] = ()  # rated high or medium now; not before (or not asked)
    changed: tuple[str, ...] = ()  # answered in both, in other words

    def __bool__(self) -> bool:
        return bool(self.resolved or self.new or self.changed)


@dataclass(frozen=True)
class Step:
    """One review in a service's history of one checklist, and what changed since the one before."""

    review: Review
    changes: Changes | None  # None for the first review


def compare(before: Review, after: Review, _words: dict | None = None) -> Changes:
    """What `after` resolved, newly found risky, and answered in other words than `before`."""
    words = _words if _words is not None else {}
    earlier, said_before = _answers(before, words)
    later, said_now = _answers(after, words)
    order = list(later) + [q for q in earlier if q not in later]
    resolved, new, changed = [], [], []
    for question in order:
        was, now = earlier.get(question), later.get(question)
        was_risky = was is not None and was.risk in RISKY
        now_risky = now is not None and now.risk in RISKY
        if was_risky and now is not None and now.risk in ("none", "n/a"):
            resolved.append(question)
        elif now_risky and not was_risky:
            new.append(question)
        if was is not None and now is not None and was.answer != now.answer \
                and said_before[question] and said_now[question] and said_before[question] != said_now[question]:
            changed.append(question)
    return Changes(resolved=tuple(resolved), new=tuple(new), changed=tuple(changed))


def _answers(review: Review, words: dict) -> tuple[dict, dict]:
    """The review's answers by question, and each answer's words (whitespace made one space), kept in `words`."""
    found = words.get(id(review))
    if found is None or found[0] is not review:
        found = words[id(review)] = (review, {a.question: a for a in review.answers},
                                     {a.question: " ".join(a.answer.split()) for a in review.answers})
    return found[1], found[2]


def histories(reviews: list[Review]) -> dict[tuple[str, str], list[Step]]:
    """{(service, checklist): its reviews oldest first, each with what changed since the one before}."""
    grouped: dict[tuple[str, str], list[Review]] = defaultdict(list)
    for review in reviews:
        grouped[(review.service, review.checklist)].append(review)
    steps = {}
    words: dict = {}  # each review's answers, worked out once though it is compared twice
    for key, found in grouped.items():
        found.sort(key=lambda r: r.date)
        steps[key] = [Step(r, compare(found[n - 1], r, words) if n else None) for n, r in enumerate(found)]
    return dict(sorted(steps.items()))


def risky_services(reviews: list[Review]) -> dict[tuple[str, str], tuple[tuple[str, str], ...]]:
    """{(checklist, question id): ((service, risk), …)} of the latest reviews rating it high or medium."""
    found: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for review in latest(reviews):
        for answer in review.answers:
            if answer.risk in RISKY:
                found[(review.checklist, answer.question)].append((review.service, answer.risk))
    return {key: tuple(sorted(value)) for key, value in found.items()}

"""The structured notes extracted from one article. Plain frozen data; no behaviour.

Every note keeps `anchor`, the id of the block it came from on the article's
page, so the site can link a note back to the exact passage.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal, get_args

# What an article is, as the classifier (extract/kinds.py) tells it; it decides which extractors run.
Kind = Literal["digest", "collection", "checklist", "case-study", "tutorial", "talk", "qa", "article"]
KINDS: tuple[Kind, ...] = get_args(Kind)


@dataclass(frozen=True)
class Launch:
    """A product launch listed in a digest."""

    title: str
    url: str | None
    summary: str | None
    notable: bool  # a headline launch with its own heading, not one of a list
    anchor: str | None = None


@dataclass(frozen=True)
class Mention:
    """A sentence that names a resilience pattern."""

    pattern: str  # pattern id
    text: str  # the sentence, as written
    anchor: str | None = None


@dataclass(frozen=True)
class BiasNote:
    """A cognitive bias or heuristic named by an article, with its definition if it gives one."""

    name: str
    definition: str | None
    anchor: str | None = None


@dataclass(frozen=True)
class Lesson:
    number: int
    title: str
    summary: str  # the lesson's key sentences, in the article's words
    anchor: str | None = None


@dataclass(frozen=True)
class FailureInjection:
    name: str
    description: str | None
    anchor: str | None = None


@dataclass(frozen=True)
class Experiment:
    """A chaos experiment written up in an article."""

    title: str
    hypothesis: str | None
    injection: str | None
    load: str | None
    outcome: str | None
    anchor: str | None = None


@dataclass(frozen=True)
class ChecklistItem:
    text: str  # the question or prompt
    detail: str | None = None  # the explanation that follows it in the article, if any
    anchor: str | None = None


@dataclass(frozen=True)
class ChecklistSection:
    title: str
    items: tuple[ChecklistItem, ...]
    anchor: str | None = None


@dataclass(frozen=True)
class Checklist:
    """A template of questions or prompts (an operational readiness review, a postmortem)."""

    id: str  # "orr", "postmortem", or a slug for other templates
    title: str
    sections: tuple[ChecklistSection, ...]

    @property
    def items(self) -> list[ChecklistItem]:
        return [item for section in self.sections for item in section.items]


@dataclass(frozen=True)
class ArticleNotes:
    """Everything extracted from one article."""

    kind: Kind = "article"
    launches: tuple[Launch, ...] = ()
    mentions: tuple[Mention, ...] = ()
    biases: tuple[BiasNote, ...] = ()
    lessons: tuple[Lesson, ...] = ()
    injections: tuple[FailureInjection, ...] = ()
    experiments: tuple[Experiment, ...] = ()
    checklist: Checklist | None = None
    failures: tuple[str, ...] = field(default_factory=tuple)  # "extractor: reason" for each that failed


NOTE_KINDS = ("launches", "mentions", "biases", "lessons", "injections", "experiments")


def capped(notes: ArticleNotes, limit: int) -> tuple[ArticleNotes, list[str]]:
    """The notes with at most `limit` of each kind (the first ones; a checklist's first `limit` items),
    and the kinds that had more."""
    changes: dict[str, object] = {}
    over = []
    for kind in NOTE_KINDS:
        found = getattr(notes, kind)
        if len(found) > limit:
            changes[kind] = found[:limit]
            over.append(f"{len(found):,} {kind}")
    if notes.checklist is not None and len(notes.checklist.items) > limit:
        over.append(f"{len(notes.checklist.items):,} checklist items")
        sections, room = [], limit
        for section in notes.checklist.sections:
            if room <= 0:
                break
            sections.append(replace(section, items=section.items[:room]))
            room -= len(sections[-1].items)
        changes["checklist"] = replace(notes.checklist, sections=tuple(sections))
    return (replace(notes, **changes) if changes else notes), over

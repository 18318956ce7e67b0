"""Incidents: what a team's postmortem file holds once read (the types only; no disk, no clock).

An incident is one Markdown file with a YAML title block, in the incidents folder:
`incidents/<date>-<slug>.md` for the team's own, `incidents/public/<slug>.md` for
postmortems of other companies imported as a library (never counted with the team's).
Its facts are typed fields; its write-up is the postmortem checklist's sections, as
written; three parts are structured: contributing factors, action items (the shape of
a review's, optionally tied to a factor and a question) and a timeline.

Links are ids: `patterns` from the pattern vocabulary, `biases` from the bias
vocabulary, `questions` from the curated checklists (the question that would have
caught it), `services` the reviews' service names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date as Date
from datetime import datetime

from ingest.model.review_format import ActionItem

SEVERITIES = ("sev1", "sev2", "sev3", "sev4")  # sev1: the worst
TYPES = ("outage", "degradation", "near miss", "surprising behaviour")
STATUSES = ("draft", "reviewed")
FACTOR_KINDS = ("technical", "process", "organisational", "human factors", "communication", "knowledge")


@dataclass(frozen=True)
class Factor:
    """A contributing factor: a short text, its kind and what it links to."""
    id: str  # unique in the incident (f1, f2, … or the team's own), so action items can name it
    text: str
    kind: str  # one of FACTOR_KINDS
    patterns: tuple[str, ...] = ()
    biases: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()  # checklist question ids that would have caught it
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class IncidentAction:
    """An action item: a review's ActionItem, optionally tied to a factor and a question."""
    item: ActionItem
    factor: str | None = None  # a Factor.id of the same incident


@dataclass(frozen=True)
class TimelineEntry:
    at: str  # as written: "2026-03-02 14:05 UTC", "14:05", "+00:12"
    text: str
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Incident:
    slug: str  # the file's name without .md: "2026-03-02-checkout-latency"; the page's address
    title: str
    date: Date
    start: datetime | None = None  # time-zone aware
    end: datetime | None = None
    severity: str | None = None  # one of SEVERITIES
    type: str | None = None  # one of TYPES
    services: tuple[str, ...] = ()
    detection: str = ""  # how it was detected
    detected_after: str = ""  # after how long, as written ("12 min")
    owner: str = ""
    status: str = "draft"  # one of STATUSES
    sections: tuple[tuple[str, str], ...] = ()  # (heading, Markdown as written): the write-up
    factors: tuple[Factor, ...] = ()
    actions: tuple[IncidentAction, ...] = ()
    timeline: tuple[TimelineEntry, ...] = ()
    public: bool = False  # imported from another company's postmortem: a library entry
    company: str = ""  # public ones: whose incident it was
    source_url: str | None = None  # public ones: where the postmortem was published
    extra: tuple[tuple[str, str], ...] = ()  # imported fields with no place here, kept as written
    path: str = ""  # where it was read from, for messages (relative, posix)
    # How the file is laid out, so that writing it back changes no byte (incident_format.py):
    preamble: str = ""  # Markdown between the title and the first section (how to fill it in)
    guidance: tuple[tuple[str, str], ...] = ()  # (heading, the checklist's prompts quoted under it)
    parts: tuple[tuple[str, int], ...] = ()  # ("factors" | "actions" | "timeline", write-up sections before it)
    lines: dict = field(default_factory=dict, compare=False, repr=False)  # title-block key -> line

    @property
    def patterns(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p for f in self.factors for p in f.patterns))

    @property
    def biases(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(b for f in self.factors for b in f.biases))

    @property
    def questions(self) -> tuple[str, ...]:
        linked = [q for f in self.factors for q in f.questions]
        linked += [a.item.question for a in self.actions if a.item.question]
        return tuple(dict.fromkeys(linked))

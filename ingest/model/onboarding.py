"""The onboarding path: an ordered walk through the knowledge base for a new hire, kept as YAML.

Each stop says what you will learn and lists the articles, patterns,
checklists, pages of notes and (where the site shows them) the team's
incidents it covers. Every id is checked against the
knowledge base when the site is built: a stop that names an article the
archive does not have fails the build, with the file, the line and the
nearest ids that do exist.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Collection, Sequence

from ingest.model.incident_types import Incident
from ingest.model.knowledge import Knowledge
from ingest.yamlfile import FileError, Where, load_yaml

class OnboardingError(FileError):
    """The onboarding file is wrong; the message names the file, the line and the fix."""


@dataclass(frozen=True)
class Stop:
    id: str
    title: str
    learn: str
    articles: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    checklists: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    incidents: tuple[str, ...] = ()  # the team's incidents by slug; shown only where incidents are enabled


@dataclass(frozen=True)
class OnboardingPath:
    title: str
    introduction: str
    stops: tuple[Stop, ...]
    path: Path

    def minutes(self, stop: Stop, knowledge: Knowledge) -> int:
        """Reading time of a stop: its articles, and a couple of minutes per pattern or checklist."""
        return (sum(knowledge.article(a).reading_minutes for a in stop.articles if knowledge.has_article(a))
                + 2 * len(stop.patterns) + 5 * len(stop.checklists) + 5 * len(stop.incidents))


def load_onboarding(path: Path, knowledge: Knowledge, note_pages: Collection[str],
                    elsewhere: Collection[str] = (),
                    incidents: Sequence[Incident] | None = None) -> OnboardingPath | None:
    """The path in `path`, every id checked; None when there is no such file.

    `note_pages` are the ids of the pages of notes a stop may name (the site has them); `elsewhere`
    the ids of articles that are known but not in this archive (the page shows them as missing).
    `incidents` are the team's incidents where the site shows them; None where it does not (they are
    private): a stop's incidents are then neither checked nor kept, so the page says nothing of them.
    """
    if not path.exists():
        return None
    data = load_yaml(path, OnboardingError)
    where = Where(path, OnboardingError)
    if not isinstance(data, dict):
        where.fail(None, "expected a mapping with 'title' and 'stops'")
    stops = []
    for number, raw in enumerate(where.field(data, "stops", list, "the stops of the path, in order"), start=1):
        if not isinstance(raw, dict):
            where.fail(data, f"stop {number} should be a mapping with 'title' and 'learn'")
        stops.append(_stop(where, raw, number, knowledge, note_pages, elsewhere, incidents))
    introduction = data.get("introduction")
    if introduction is not None and not isinstance(introduction, str):
        where.fail(data, "'introduction' should be text (a paragraph), not a list or mapping; quote it, or "
                         "write it as a block with `introduction: |`")
    return OnboardingPath(
        title=where.field(data, "title", str, "the page's title, e.g. `title: Start here`"),
        introduction=(introduction or "").strip(),
        stops=tuple(stops),
        path=path,
    )


def _stop(where: Where, raw: dict, number: int, knowledge: Knowledge, note_pages: Collection[str],
          elsewhere: Collection[str], incidents: Sequence[Incident] | None = None) -> Stop:
    title = where.field(raw, "title", str, "what the stop is about")
    stop = Stop(
        id=f"stop-{number}",
        title=title,
        learn=where.field(raw, "learn", str, "a sentence on what the reader will learn"),
        articles=tuple(where.optional_list(raw, "articles", "article ids (the names of archive/entries/*.json)")),
        patterns=tuple(where.optional_list(raw, "patterns", "pattern ids from ingest/model/extract/vocab/patterns.yml")),
        checklists=tuple(where.optional_list(raw, "checklists", "checklist ids (checklists/*.yml)")),
        notes=tuple(where.optional_list(raw, "notes", f"pages of notes: {', '.join(note_pages)}")),
        incidents=tuple(where.optional_list(raw, "incidents", "the team's incidents by slug, the file's name in "
                                                              "incidents/ without its suffix: 2026-03-02-outage")),
    )
    known = {
        "article": ({a.id for a in knowledge.articles} | set(elsewhere), stop.articles),
        "pattern": (set(knowledge.vocabulary.pattern_by_id), stop.patterns),
        "checklist": ({e.checklist.id for e in knowledge.curated}, stop.checklists),
        "page of notes": (set(note_pages), stop.notes),
        "incident": ({i.slug for i in incidents or () if not i.public}, stop.incidents if incidents is not None
                     else ()),
    }
    for kind, (ids, used) in known.items():
        for value in used:
            if value not in ids:
                close = difflib.get_close_matches(value, sorted(ids), n=2, cutoff=0.5)
                hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
                where.fail(raw, f"stop {number} ({title!r}) names an unknown {kind} {value!r}{hint}")
    if not (stop.articles or stop.patterns or stop.checklists or stop.notes or stop.incidents):
        where.fail(raw, f"stop {number} ({title!r}) lists nothing to read; add articles, patterns, checklists, "
                        f"notes or incidents")
    return stop if incidents is not None else replace(stop, incidents=())

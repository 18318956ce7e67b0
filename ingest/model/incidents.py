"""Incidents: a team's postmortems, one Markdown file each, in incidents/; other companies' in incidents/public/.

An incident is made from the curated postmortem checklist (`resilience-kb incident new`):
the checklist's `field` items that name a fact (title, date, owner, ...) are the title
block's, its other sections are the write-up's, their items quoted as guidance, and the
sections that name contributing factors, action items or the timeline are those parts
(the format: incident_format.py; reading it: incident_reader.py). Here: making one,
checking it against the vocabularies, the checklists and the known services, and loading
the folder. Pure but for load_incident(s), which read the disk; days are handed in.

A service is known when the reviews folder has a folder of its reviews (reviews/<service>/
with a review file in it) or mkdocs.yml lists it (`reviews: {services: [...]}`): an incident
of a service never reviewed is still the team's, but a misspelt name would hide it from the
service's pages. Public incidents are other companies': their services are not checked.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import replace
from datetime import date as Date
from pathlib import Path

from ingest.model.checklists import ANSWERED_KINDS, CuratedChecklist
from ingest.model.extract.vocabulary import Vocabulary, bias_key
from ingest.model.incident_format import PARTS, INCIDENT_SUFFIX, IncidentError, part_of, write_incident
from ingest.model.incident_reader import parse_incident
from ingest.model.incident_types import Incident
from ingest.text import shorten_slug, slugify
from ingest.yamlfile import MAX_BYTES

__all__ = ["IncidentError", "Incident", "bias_ids", "check_incident", "incident_file_name", "known_services",
           "load_incident", "load_incidents", "new_incident", "parse_incident", "write_incident", "PUBLIC"]

PUBLIC = "public"  # the subfolder of other companies' postmortems
_DATED = re.compile(r"(\d{4}-\d{2}-\d{2})-[a-z0-9][a-z0-9-]*")
FACT_WORDS = (("title", "title"), ("date", "date"), ("owner", "owner"), ("severity", "severity"),
              ("detection", "detect"), ("services", "services affected"))
GUIDE = """\
How to fill it in (then check the file with `resilience-kb incident check FILE`):

- The title block holds the facts: `start` and `end` with their time zone (2026-03-02 14:05 UTC, or an
  offset such as +01:00), `severity` (sev1, the worst, to sev4), `type` (outage, degradation, near miss,
  surprising behaviour), `services` ([payments-api]), `detection` (how it was noticed) and
  `detected_after` (how long after it began), `owner`, `status` (draft, then reviewed).
- Each section is free Markdown under its heading; the quoted lines are the checklist's prompts.
- Contributing factors: one `### what contributed `f1`` each, then `Kind:` (technical, process,
  organisational, human factors, communication, knowledge) and the ids it links to: `Patterns:`,
  `Biases:` and `Questions:` (the checklist question that would have caught it).
- Action items: `- what to do`, with indented lines `- owner: name`, `- due: YYYY-MM-DD`,
  `- status: open` (or in progress, done, won't do), `- link: https://...`, `- factor: f1` and
  `- question: id`; all but the status are optional.
- Timeline: one `- `2026-03-02 14:05 UTC` what happened` a line."""


def incident_file_name(incident: Incident) -> str:
    """The file's path under the incidents folder: <date>-<slug>.md, or public/<slug>.md."""
    return f"{PUBLIC}/{incident.slug}{INCIDENT_SUFFIX}" if incident.public else f"{incident.slug}{INCIDENT_SUFFIX}"


def incident_slug(day: Date, title: str) -> str:
    return f"{day.isoformat()}-{shorten_slug(slugify(title), 60) or 'incident'}"


def new_incident(checklist: CuratedChecklist, *, title: str, day: Date) -> Incident:
    """An incident to fill in, from the postmortem checklist: its sections, their items quoted as guidance."""
    title = " ".join(title.split())
    if not title:
        raise ValueError("the title is empty; give what happened in a few words")
    facts: list[str] = []
    sections: list[tuple[str, str]] = []
    guidance: list[tuple[str, str]] = []
    parts: list[tuple[str, int]] = []
    advice: list[str] = []
    for section in checklist.sections:
        items = list(section.items)
        part = part_of(section.title)
        fields = [item for item in items if item.kind == "field" and _fact(item.text)]
        if part is None and items and len(fields) == len(items):
            facts += [f"- `{_fact(item.text)}`: {' '.join(item.text.split())}" for item in fields]
            continue
        if part is None and items and all(item.kind not in ANSWERED_KINDS for item in items):
            advice += [f"- {' '.join(item.text.split())}" for item in items]
            continue
        prompts = "\n".join(f"- {' '.join(item.text.split())}" if len(items) > 1 else " ".join(item.text.split())
                            for item in items)
        heading = PARTS[part] if part else section.title
        if part and part not in dict(parts):
            parts.append((part, len(sections)))
        elif part is None:
            sections.append((heading, ""))
        if prompts:
            guidance.append((heading, prompts))
    for part in PARTS:
        if part not in dict(parts):
            parts.append((part, len(sections)))
    preamble = GUIDE
    if facts:
        preamble += "\n\nThe checklist's facts, in the title block:\n\n" + "\n".join(facts)
    if advice:
        preamble += "\n\nKeep in mind (the checklist's guidance):\n\n" + "\n".join(advice)
    return Incident(slug=incident_slug(day, title), title=title, date=day, sections=tuple(sections),
                    preamble=preamble, guidance=tuple(guidance), parts=tuple(parts))


def _fact(text: str) -> str | None:
    """The title block's key a checklist's field names ("Name of the owner of ..." -> owner), if any."""
    words = " ".join(re.findall(r"[a-z]+", text.lower()))
    found = [(words.find(word), key) for key, word in FACT_WORDS if re.search(rf"\b{word}", words)]
    return min(found)[1] if found else None


# -- checking -----------------------------------------------------------------------------------

def bias_ids(vocabulary: Vocabulary) -> dict[str, str]:
    """Each known bias's id (as the biases page anchors it: its name as a slug) -> its name."""
    return {slugify(bias_key(bias.name)): bias.name for bias in vocabulary.biases}


def known_services(reviews: Path, listed: tuple[str, ...] | list[str] = ()) -> frozenset[str]:
    """The services with a folder of reviews (reviews/<service>/*.md), and those mkdocs.yml lists."""
    found = set(listed)
    if reviews.is_dir():
        found |= {p.name for p in reviews.iterdir() if p.is_dir() and any(p.glob(f"*{INCIDENT_SUFFIX}"))}
    return frozenset(found)


def known_ids(checklists: list[CuratedChecklist], vocabulary: Vocabulary) -> tuple[set, dict, dict]:
    """The ids a link may name: patterns, biases (id -> name), questions (id -> checklist id)."""
    return ({p.id for p in vocabulary.patterns}, bias_ids(vocabulary),
            {item.id: checklist.id for checklist in checklists for item in checklist.answered_items})


def check_incident(incident: Incident, checklists: list[CuratedChecklist], vocabulary: Vocabulary,
                   services: frozenset[str] | set[str] | None, *, known: tuple[set, dict, dict] | None = None) -> None:
    """Every link of the incident names something known; the first that does not raises IncidentError.

    `services` None: the services are not checked (no reviews folder to check them against).
    `known`: known_ids() of the same checklists and vocabulary, worked out once for many incidents.
    """
    path, lines = incident.path, incident.lines
    patterns, biases, questions = known or known_ids(checklists, vocabulary)
    where = {"patterns": ("pattern", patterns, "a pattern id of ingest/model/extract/vocab/patterns.yml"),
             "biases": ("bias", biases, "a bias id (its name as a slug, as on the biases page)"),
             "questions": ("question", questions, "a question id of a checklist in checklists/")}
    for factor in incident.factors:
        for key, (what, known, fix) in where.items():
            for value in getattr(factor, key):
                if value not in known:
                    raise IncidentError(path, lines.get(f"factor {factor.id} {key}", factor.line),
                                        f"unknown {what} {value!r} in factor {factor.id!r}; use {fix}"
                                        f"{_close(value, known)}")
    for action in incident.actions:
        question = action.item.question
        if question and question not in questions:
            raise IncidentError(path, lines.get(f"action {action.item.line} question", action.item.line),
                                f"unknown question {question!r} in an action item; use {where['questions'][2]}"
                                f"{_close(question, questions)}")
    if incident.public or services is None:
        return
    for service in incident.services:
        if service not in services:
            listed = ", ".join(sorted(services)) or "none yet"
            raise IncidentError(path, lines.get("services", 2),
                                f"unknown service {service!r} (known: {listed}); correct the name, or add it to "
                                f"'services' under 'reviews' in mkdocs.yml{_close(service, services)}")


def _close(value: str, known) -> str:
    near = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
    return f" (did you mean {near[0]!r}?)" if near else ""


def _check_place(incident: Incident, path: Path, public_folder: bool) -> None:
    if incident.public != public_folder:
        fix = (f"move it to incidents/{PUBLIC}/, or take 'public: true' out" if incident.public else
               f"add 'public: true' to its title block (another company's postmortem), or move it out of "
               f"incidents/{PUBLIC}/")
        raise IncidentError(incident.path, incident.lines.get("public", 2) if incident.public else 2,
                            f"{'a public incident outside' if incident.public else 'a team incident inside'} "
                            f"incidents/{PUBLIC}/; {fix}")
    dated = _DATED.fullmatch(path.stem)
    if public_folder:
        return
    if dated is None:
        raise IncidentError(incident.path, incident.lines.get("date", 2),
                            f"the file name {path.name!r} is not <date>-<slug>.md; rename it "
                            f"'{incident_slug(incident.date, incident.title)}{INCIDENT_SUFFIX}'")
    if dated.group(1) != incident.date.isoformat():
        raise IncidentError(incident.path, incident.lines.get("date", 2),
                            f"the file name {path.name!r} does not match its date {incident.date.isoformat()}; "
                            f"rename it '{incident.date.isoformat()}{path.stem[10:]}{INCIDENT_SUFFIX}' or correct "
                            f"'date'")


# -- loading ------------------------------------------------------------------------------------

def read_incident(path: Path, name: str) -> Incident:
    """One incident file, read (not checked against anything beyond itself)."""
    try:
        if path.is_symlink() or not path.is_file():
            raise IncidentError(name, 0, "not a regular file; give the path of an incident file")
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as e:
        raise IncidentError(name, 0, f"cannot be read: {e.strerror or e}") from None
    if len(raw) > MAX_BYTES:
        raise IncidentError(name, 0, f"over {MAX_BYTES:,} bytes, too large for an incident; split it")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise IncidentError(name, raw[:e.start].count(b"\n") + 1, "the file is not UTF-8; save it as UTF-8") from None
    return parse_incident(text, name)


def load_incident(path: Path, checklists: list[CuratedChecklist], vocabulary: Vocabulary,
                  services: frozenset[str] | None, *, name: str | None = None,
                  place: bool | None = None, known: tuple[set, dict, dict] | None = None) -> Incident:
    """One incident file, read and checked; `place` True/False checks its name as a team/public one's."""
    incident = read_incident(path, name or str(path))
    if place is not None:
        _check_place(incident, path, public_folder=place)
    check_incident(incident, checklists, vocabulary, services, known=known)
    return incident


def incident_paths(folder: Path) -> list[tuple[Path, bool]]:
    """The incident files of the folder: <folder>/*.md (the team's) and <folder>/public/*.md; a README is not one."""
    if not folder.is_dir():
        return []
    found = [(p, False) for p in sorted(folder.glob(f"*{INCIDENT_SUFFIX}"))]
    if (folder / PUBLIC).is_dir():
        found += [(p, True) for p in sorted((folder / PUBLIC).glob(f"*{INCIDENT_SUFFIX}"))]
    return [(p, public) for p, public in found if not p.name.lower().startswith("readme")]


def load_incidents(folder: Path, checklists: list[CuratedChecklist], vocabulary: Vocabulary,
                   services: frozenset[str] | None) -> tuple[Incident, ...]:
    """Every incident of `folder`, checked: the team's newest first, then the public ones, newest first.

    The first mistake raises IncidentError with its file and line.
    """
    known = known_ids(checklists, vocabulary)
    incidents = [load_incident(path, checklists, vocabulary, services, place=public, known=known,
                               name=f"{folder.name}/{path.relative_to(folder).as_posix()}")
                 for path, public in incident_paths(folder)]
    return tuple(sorted(incidents, key=lambda i: (i.public, -i.date.toordinal(), i.slug)))


def with_path(incident: Incident, path: str) -> Incident:
    return replace(incident, path=path)

"""knowledge.json: the whole knowledge base as one deterministic JSON document.

The same function feeds `resilience-kb export` and the site's knowledge.json,
so the two are byte-identical. It is written to its file in pieces: at
thousands of articles the document is tens of megabytes, and holding it as
one string would double what the build needs. Lists are in a fixed order and keys sorted; no
timestamp of the run is included, so the same archive always gives the same
bytes.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring
from typing import TextIO

from ingest.model.checklists import new_item_id
from ingest.model.knowledge import ChecklistEntry, Knowledge, item_patterns, iso
from ingest.model.incident_format import time_text
from ingest.model.incident_types import Incident
from ingest.model.reviews import Answer, Review, checklist_version, coverage

FORMAT_VERSION = 1


def write_knowledge_json(knowledge: Knowledge, handle: TextIO, reviews: list[Review] | None = None,
                         incidents: tuple[Incident, ...] | None = None) -> None:
    """Write knowledge.json to an open text file, piece by piece; `reviews` and `incidents` only when enabled.

    The reviews come last (their key sorts last) and each answer is one line: tens of
    thousands of answers written by json's C encoder, not its indenting one (which is
    Python, and took longer than reading the review files).
    """
    data = _knowledge_data(knowledge)
    if incidents is not None:
        data.update(incidents_data(incidents))
    if reviews is None:
        json.dump(data, handle, indent=2, sort_keys=True, ensure_ascii=False)
        handle.write("\n")
        return
    assert all(key < "reviews" for key in data), "the reviews are written as the last key"
    chunks = json.JSONEncoder(indent=2, sort_keys=True, ensure_ascii=False).iterencode(data)
    tail = ""  # the end of what json wrote, held back: the document's closing "\n}" is written after the reviews
    for chunk in chunks:
        tail += chunk
        if len(tail) > 4096:
            handle.write(tail[:-2])
            tail = tail[-2:]
    assert tail.endswith("\n}"), tail[-20:]
    handle.write(tail[:-2])
    handle.write(',\n  "reviews": [')
    by_id = {entry.checklist.id: entry.checklist for entry in knowledge.curated}
    for n, review in enumerate(reviews):
        handle.write(",\n    " if n else "\n    ")
        _write_review(handle, review, by_id.get(review.checklist))
    handle.write("\n  ]\n}\n" if reviews else "]\n}\n")


def _write_review(handle: TextIO, review: Review, checklist) -> None:
    """One review as reviews_data has it, at the indent of the reviews' list, each answer on one line."""
    data = _review(review, checklist, answers=False)
    if review.answers:
        dropped = set(data["_dropped"])
        handle.write('{\n      "answers": [\n        ')
        handle.write(",\n        ".join([_answer_line(a, a.question in dropped) for a in review.answers]))
        handle.write("\n      ],")
    else:
        handle.write('{\n      "answers": [],')
    del data["_dropped"]
    rest = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)
    handle.write(rest[1:].replace("\n", "\n    "))


_string = encode_basestring  # json's own quoting of a string (its C version), as json.dumps(ensure_ascii=False)


def _answer_line(a: Answer, dropped: bool) -> str:
    """json.dumps(answer's dict, sort_keys=True, ensure_ascii=False), written out: a third of the time."""
    actions = ", ".join([
        f'{{"due": {_string(i.due.isoformat()) if i.due else "null"}, "link": {_string(i.link) if i.link else "null"}, '
        f'"owner": {_string(i.owner)}, "status": {_string(i.status)}, "title": {_string(i.title)}}}'
        for i in a.actions])
    return (f'{{"actions": [{actions}], "answer": {_string(a.answer)}, "dropped": {"true" if dropped else "false"}, '
            f'"notes": {_string(a.notes)}, "question": {_string(a.question)}, '
            f'"reason": {"null" if a.reason is None else _string(a.reason)}, '
            f'"risk": {"null" if a.risk is None else _string(a.risk)}, "section": {_string(a.section)}, '
            f'"text": {_string(a.text)}}}')


def knowledge_data(knowledge: Knowledge, reviews: list[Review] | None = None,
                   incidents: tuple[Incident, ...] | None = None) -> dict:
    """The document; the keys "reviews", "incidents" and "public_incidents" only when reviews are enabled."""
    data = _knowledge_data(knowledge)
    if incidents is not None:
        data.update(incidents_data(incidents))
    if reviews is not None:
        data["reviews"] = reviews_data(reviews, [entry.checklist for entry in knowledge.curated])
    return data


def _knowledge_data(knowledge: Knowledge) -> dict:
    return {
        "format": FORMAT_VERSION,
        "articles": [_article(a, knowledge) for a in knowledge.articles],
        "launches": [
            {"title": launch.title, "url": launch.url, "article": article.id, "summary": launch.summary,
             "notable": launch.notable, "anchor": launch.anchor}
            for article, launches in knowledge.with_notes(lambda n: n.launches) for launch in launches
        ],
        "patterns": [
            {"id": entry.pattern.id, "name": entry.pattern.name, "definition": entry.pattern.definition,
             "related": list(entry.pattern.related), "articles": list(entry.articles),
             "mentions": [{"article": article_id, "text": m.text, "anchor": m.anchor}
                          for article_id, m in entry.mentions]}
            for entry in knowledge.patterns
        ],
        "biases": [
            {"id": entry.id, "name": entry.name, "definition": entry.definition, "articles": list(entry.articles),
             "definitions": [{"article": article_id, "text": note.definition}
                             for article_id, note in entry.notes if note.definition]}
            for entry in knowledge.biases
        ],
        "lessons": [
            {"number": lesson.number, "title": lesson.title, "article": article.id, "summary": lesson.summary,
             "anchor": lesson.anchor}
            for article, lessons in knowledge.with_notes(lambda n: n.lessons) for lesson in lessons
        ],
        "failure_injections": [
            {"name": item.name, "description": item.description, "article": article.id, "anchor": item.anchor}
            for article, items in knowledge.with_notes(lambda n: n.injections) for item in items
        ],
        "experiments": [
            {"title": e.title, "hypothesis": e.hypothesis, "injection": e.injection, "load": e.load,
             "outcome": e.outcome, "article": article.id, "anchor": e.anchor}
            for article, experiments in knowledge.with_notes(lambda n: n.experiments) for e in experiments
        ],
        "checklists": _checklists(knowledge),
        "problems": [{"article": article_id, "problem": problem} for article_id, problem in knowledge.problems()],
    }


def _article(article, knowledge: Knowledge) -> dict:
    return {
        "id": article.id, "title": article.title, "url": article.url, "feed": article.feed,
        "published": iso(article.published), "updated": article.archive_updated, "first_seen": article.first_seen,
        "author": article.author, "kind": knowledge.notes[article.id].kind, "tags": list(article.tags),
        "reading_minutes": article.reading_minutes,
    }


def _checklists(knowledge: Knowledge) -> list[dict]:
    """The curated checklists, then any template extracted from an article that has no curated file."""
    curated = [_curated(entry) for entry in knowledge.curated]
    ids = {c["id"] for c in curated}
    extracted = [_extracted(article, checklist, knowledge.vocabulary)
                 for article, checklist in knowledge.checklists() if checklist.id not in ids]
    return curated + extracted


def _curated(entry: ChecklistEntry) -> dict:
    checklist = entry.checklist
    return {
        "id": checklist.id, "title": checklist.title, "curated": True,
        "article": checklist.source.article if checklist.source else None,
        "drift": {"added": list(entry.drift.added), "removed": list(entry.drift.removed)},
        "sections": [
            {"title": section.title, "items": [
                {"id": item.id, "text": item.text, "detail": item.detail, "patterns": list(entry.patterns[item.id])}
                for item in section.items
            ]}
            for section in checklist.sections
        ],
    }


def _extracted(article, checklist, vocabulary) -> dict:
    taken: set[str] = set()
    return {
        "id": checklist.id, "title": checklist.title, "article": article.id, "curated": False,
        "sections": [
            {"title": section.title, "anchor": section.anchor, "items": [
                {"id": new_item_id(checklist.id, item.text, taken), "text": item.text, "detail": item.detail,
                 "patterns": item_patterns(item, vocabulary), "anchor": item.anchor}
                for item in section.items
            ]}
            for section in checklist.sections
        ],
    }


def reviews_data(reviews: list[Review], checklists: list) -> list[dict]:
    """Each review as knowledge.json carries it: the file's fields, with the checklist's ids."""
    by_id = {c.id: c for c in checklists}
    return [_review(review, by_id.get(review.checklist)) for review in reviews]


def _review(review: Review, checklist, answers: bool = True) -> dict:
    seen = coverage(review, checklist) if checklist is not None else None
    dropped = {answer.question for answer in seen.dropped} if seen else set()
    data = {
        "service": review.service, "date": review.date.isoformat(), "checklist": review.checklist,
        "checklist_version": review.checklist_version,
        "current_version": checklist_version(checklist) if checklist is not None else None,
        "owner": review.owner, "participants": list(review.participants), "file": review.path,
        "not_asked": list(seen.not_asked) if seen else [],
    }
    if not answers:  # _write_review writes them
        data["_dropped"] = dropped
        return data
    data["answers"] = [
        {"question": a.question, "text": a.text, "section": a.section, "answer": a.answer, "risk": a.risk,
         "reason": a.reason, "notes": a.notes,
         "dropped": a.question in dropped,
         "actions": [{"title": i.title, "owner": i.owner, "due": i.due.isoformat() if i.due else None,
                      "status": i.status, "link": i.link} for i in a.actions]}
        for a in review.answers
    ]
    return data


def incidents_data(incidents: tuple[Incident, ...]) -> dict[str, list[dict]]:
    """The team's incidents and the public library, apart (never counted together), as the files hold them."""
    return {"incidents": [_incident(i) for i in incidents if not i.public],
            "public_incidents": [_incident(i) for i in incidents if i.public]}


def _incident(incident: Incident) -> dict:
    return {
        "slug": incident.slug, "file": incident.path, "title": incident.title, "date": incident.date.isoformat(),
        "start": time_text(incident.start) if incident.start else None,
        "end": time_text(incident.end) if incident.end else None,
        "severity": incident.severity, "type": incident.type, "services": list(incident.services),
        "detection": incident.detection, "detected_after": incident.detected_after, "owner": incident.owner,
        "status": incident.status, "public": incident.public, "company": incident.company,
        "source_url": incident.source_url, "extra": dict(incident.extra),
        "sections": [{"heading": heading, "text": text} for heading, text in incident.sections],
        "factors": [{"id": f.id, "text": f.text, "kind": f.kind, "patterns": list(f.patterns),
                     "biases": list(f.biases), "questions": list(f.questions)} for f in incident.factors],
        "actions": [{"title": a.item.title, "owner": a.item.owner,
                     "due": a.item.due.isoformat() if a.item.due else None, "status": a.item.status,
                     "link": a.item.link, "factor": a.factor, "question": a.item.question}
                    for a in incident.actions],
        "timeline": [{"at": e.at, "text": e.text} for e in incident.timeline],
        "patterns": list(incident.patterns), "biases": list(incident.biases), "questions": list(incident.questions),
    }

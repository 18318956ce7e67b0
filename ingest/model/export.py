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
from typing import TextIO

from ingest.model.checklists import new_item_id
from ingest.model.knowledge import ChecklistEntry, Knowledge, item_patterns, iso
from ingest.model.reviews import Review, checklist_version, coverage

FORMAT_VERSION = 1


def write_knowledge_json(knowledge: Knowledge, handle: TextIO, reviews: list[Review] | None = None) -> None:
    """Write knowledge.json to an open text file, piece by piece; `reviews` only when they are enabled."""
    json.dump(knowledge_data(knowledge, reviews), handle, indent=2, sort_keys=True, ensure_ascii=False)
    handle.write("\n")


def knowledge_data(knowledge: Knowledge, reviews: list[Review] | None = None) -> dict:
    """The document; the key "reviews" is there only when reviews are enabled (`reviews` not None)."""
    data = _knowledge_data(knowledge)
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


def _review(review: Review, checklist) -> dict:
    seen = coverage(review, checklist) if checklist is not None else None
    dropped = {answer.question for answer in seen.dropped} if seen else set()
    return {
        "service": review.service, "date": review.date.isoformat(), "checklist": review.checklist,
        "checklist_version": review.checklist_version,
        "current_version": checklist_version(checklist) if checklist is not None else None,
        "owner": review.owner, "participants": list(review.participants), "file": review.path,
        "not_asked": list(seen.not_asked) if seen else [],
        "answers": [
            {"question": a.question, "text": a.text, "section": a.section, "answer": a.answer, "risk": a.risk,
             "reason": a.reason, "notes": a.notes,
             "dropped": a.question in dropped,
             "actions": [{"title": i.title, "owner": i.owner, "due": i.due.isoformat() if i.due else None,
                          "status": i.status, "link": i.link} for i in a.actions]}
            for a in review.answers
        ],
    }

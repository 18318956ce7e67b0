"""Readiness reviews: a team's answered checklists, one Markdown file each, in reviews/<service>/.

A review is the fillable copy of a curated checklist (`resilience-kb review new`,
`resilience-kb checklist`, or the checklist page's download), answered: per question
an answer, a risk, notes and action items (the format: review_format.py; reading it:
review_reader.py). Here: making a new review, checking reviews against the curated
checklists, and what the site and the export read from them.

Checklists change (questions reworded, added, dropped). A review names the version
of the checklist it was made from (`checklist_version`, a fingerprint of the questions'
ids and wordings) and carries each question's text, so it stays valid as the checklist
moves on: a question added since is "not asked" in it, a question dropped since keeps
its answer and its text. An id the current checklist does not know is a mistake in a
review made from the current version; in a review of an older version it is a question
dropped since. Pure but for load_reviews, which reads the folder; dates ("today") are
handed in, never read from the clock.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import date as Date
from pathlib import Path

from ingest.model.checklists import ANSWERED_KINDS, CuratedChecklist, fingerprint
from ingest.model.review_format import (
    ACTION_FIELDS, RESERVED_SERVICES, RISKS, SERVICE, STATUSES, ActionItem, Answer, Review, ReviewError,
    service_problem, write_review, yaml_scalar,
)
from ingest.model.review_cache import ReviewCache
from ingest.model.review_reader import parse_review
from ingest.yamlfile import MAX_BYTES

__all__ = ["ACTION_FIELDS", "RESERVED_SERVICES", "service_problem", "RISKS", "SERVICE", "STATUSES", "ActionItem", "Answer", "Coverage", "Review",
           "ReviewError", "check_review", "checklist_version", "coverage", "latest", "load_review", "load_reviews",
           "new_review", "open_actions", "overdue", "parse_review", "review_file_name", "risk_counts",
           "write_review", "yaml_scalar", "GUIDE", "review_guide", "UNANSWERED", "OPEN"]

REVIEW_SUFFIX = ".md"  # a review file's name ends so: a source kept in git, not a page of the site
UNANSWERED = "unanswered"
OPEN = ("open", "in progress")  # an action item still to be done
GUIDE = """\
How to fill it in, under each question (then check the file with `resilience-kb review check FILE`):

- `Answer:` what the service does today; any Markdown, several lines if need be.
- `Risk:` `high`, `medium`, `none`, or `n/a (why it does not apply)`; empty while unanswered.
- `Notes:` anything else worth keeping.
- `Actions:` what is to be done, one `- title` each, with indented lines `- owner: name`,
  `- due: YYYY-MM-DD`, `- status: open` (or `in progress`, `done`, `won't do`) and
  `- link: https://...`; owner, due and link are optional."""


def checklist_version(checklist: CuratedChecklist) -> str:
    """A fingerprint of the checklist's questions: their ids and wordings (not their order or sections)."""
    known = _VERSIONS.get(id(checklist))
    if known is None or known[0] is not checklist:  # a build asks it of the same few checklists for every review
        if len(_VERSIONS) > 64:
            _VERSIONS.clear()
        lines = sorted(f"{item.id} {fingerprint(item.text)}" for item in checklist.items)
        version = hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()[:12]
        known = _VERSIONS[id(checklist)] = (checklist, version)
    return known[1]


_VERSIONS: dict[int, tuple[CuratedChecklist, str]] = {}  # id -> the checklist (kept, so the id stays its) and version


def review_file_name(review: Review) -> str:
    """The file's path under the reviews folder: <service>/<date>-<checklist>.md."""
    return f"{review.service}/{review.date.isoformat()}-{review.checklist}{REVIEW_SUFFIX}"


def new_review(checklist: CuratedChecklist, *, service: str, day: Date, hints: dict[str, str] | None = None) -> Review:
    """An unanswered review of every question of `checklist`; `hints` maps ids to guidance to quote."""
    if problem := service_problem(service):
        raise ValueError(problem)
    answers = tuple(Answer(question=item.id, text=item.text, section=section.title,
                           hint=(hints or {}).get(item.id, ""))
                    for section in checklist.sections for item in section.items if item.kind in ANSWERED_KINDS)
    return Review(service=service, date=day, checklist=checklist.id, checklist_version=checklist_version(checklist),
                  title=f"{checklist.title}: {service}", preamble=review_guide(checklist), answers=answers)


def review_guide(checklist: CuratedChecklist) -> str:
    """How to fill the review in, and the checklist's guidance (advice to keep in mind, not questions)."""
    advice = [item.text for item in checklist.items if item.kind == "guidance"]
    if not advice:
        return GUIDE
    return GUIDE + "\n\nKeep in mind (the checklist's guidance):\n\n" + "\n".join(
        f"- {' '.join(text.split())}" for text in advice)


def load_review(path: Path, checklists: list[CuratedChecklist], *, name: str | None = None,
                folder_checks: bool = True, cache: ReviewCache | None = None) -> Review:
    """One review file, read and checked; `name` is the path messages give (default: `path`).

    With `cache`, a file read before (the same bytes, the same reading code) is not parsed
    again; the checks of its place and against the checklists run all the same.
    """
    name = name or str(path)
    try:
        if path.is_symlink() or not path.is_file():
            raise ReviewError(name, 0, "not a regular file; give the path of a review file")
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as e:
        raise ReviewError(name, 0, f"cannot be read: {e.strerror or e}") from None
    if len(raw) > MAX_BYTES:
        raise ReviewError(name, 0, f"over {MAX_BYTES:,} bytes, too large for a review; split it")
    key = cache.key(raw) if cache is not None else ""
    review = cache.get(key) if cache is not None else None
    if review is not None:
        review = replace(review, path=name)
    else:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            raise ReviewError(name, raw[:e.start].count(b"\n") + 1, "the file is not UTF-8; save it as UTF-8") from None
        review = parse_review(text, name)
        if cache is not None:
            cache.put(key, replace(review, path=""))
    if folder_checks:
        _check_place(review, path)
    check_review(review, checklists)
    return review


def load_reviews(folder: Path, checklists: list[CuratedChecklist], cache: ReviewCache | None = None) -> list[Review]:
    """Every review in `folder` (<service>/*.md), checked; the first mistake raises ReviewError.

    Sorted by service, date and checklist. Files elsewhere in the folder (a README) are not reviews.
    With `cache`, files read before are not parsed again, and entries no file uses are removed.
    """
    if not folder.is_dir():
        return []
    reviews = []
    for path in sorted(folder.glob(f"*/*{REVIEW_SUFFIX}")):
        name = f"{folder.name}/{path.relative_to(folder).as_posix()}"
        reviews.append(load_review(path, checklists, name=name, cache=cache))
    if cache is not None:
        cache.prune()
    return sorted(reviews, key=lambda r: (r.service, r.date, r.checklist))


def _check_place(review: Review, path: Path) -> None:
    folder = path.parent.name
    if folder != review.service:
        raise ReviewError(review.path, review.lines.get("service", 2),
                          f"service {review.service!r} does not match the folder {folder!r}; move the file to "
                          f"reviews/{review.service}/ or correct 'service'")
    expected = f"{review.date.isoformat()}-{review.checklist}{REVIEW_SUFFIX}"
    if path.name != expected:
        raise ReviewError(review.path, review.lines.get("date", 2),
                          f"the file name {path.name!r} does not match its date and checklist; rename it "
                          f"{expected!r} or correct 'date' and 'checklist'")


def check_review(review: Review, checklists: list[CuratedChecklist]) -> None:
    """Check a review against the curated checklists (see the module's docstring for older versions)."""
    by_id = {c.id: c for c in checklists}
    checklist = by_id.get(review.checklist)
    if checklist is None:
        known = ", ".join(sorted(by_id)) or "none (the checklists folder is empty)"
        raise ReviewError(review.path, review.lines.get("checklist", 2),
                          f"unknown checklist {review.checklist!r}; use one of the checklists' ids: {known}")
    if review.checklist_version != checklist_version(checklist):
        return  # an older version: ids it has that the checklist no longer knows are questions dropped since
    known = {item.id for item in checklist.items}
    for answer in review.answers:
        if answer.question not in known:
            raise ReviewError(review.path, answer.line,
                              f"unknown question id {answer.question!r}: checklist {checklist.id!r} (the version "
                              f"this review names) has no such question; correct the id from "
                              f"{checklist.path.name} or remove the question")


@dataclass(frozen=True)
class Coverage:
    """How a review's questions stand against the checklist as it is now."""

    current: bool  # made from the checklist's current version
    not_asked: tuple[str, ...]  # ids of questions added since the review's version: not asked in it
    dropped: tuple[Answer, ...]  # answers to questions the checklist no longer has (their text is the review's)


def coverage(review: Review, checklist: CuratedChecklist) -> Coverage:
    """What the review asked of the checklist as it is now.

    A question missing from a review of the current version is unanswered (its file left it
    out); missing from a review of an older version, it is taken as not asked then.
    """
    current = review.checklist_version == checklist_version(checklist)
    answered = {a.question for a in review.answers}
    ids = {item.id for item in checklist.items}
    not_asked = () if current else tuple(item.id for item in checklist.answered_items if item.id not in answered)
    return Coverage(current=current, not_asked=not_asked,
                    dropped=tuple(a for a in review.answers if a.question not in ids))


def risk_counts(review: Review, checklist: CuratedChecklist | None = None) -> dict[str, int]:
    """How many of the review's questions are rated each risk, and how many are unanswered.

    With `checklist`, the questions of the current version that the file leaves out count as
    unanswered too (not those added since an older version: they were not asked).
    """
    counts = dict.fromkeys((*RISKS, UNANSWERED), 0)
    for answer in review.answers:
        counts[answer.risk or UNANSWERED] += 1
    if checklist is not None and review.checklist_version == checklist_version(checklist):
        answered = {a.question for a in review.answers}
        counts[UNANSWERED] += sum(1 for item in checklist.answered_items if item.id not in answered)
    return counts


def overdue(item: ActionItem, today: Date) -> bool:
    """Still to be done, and due before `today` (the build's date, handed in)."""
    return item.status in OPEN and item.due is not None and item.due < today


def latest(reviews: list[Review]) -> list[Review]:
    """The latest review of each service and checklist (the earlier ones are its history)."""
    newest: dict[tuple[str, str], Review] = {}
    for review in reviews:
        key = (review.service, review.checklist)
        if key not in newest or review.date > newest[key].date:
            newest[key] = review
    return sorted(newest.values(), key=lambda r: (r.service, r.checklist))


def open_actions(reviews: list[Review], today: Date) -> list[tuple[Review, ActionItem]]:
    """The action items still to be done, overdue first, then by due date (none last), service and title.

    Only the latest review of each service and checklist counts: a team carries its open items
    over to the next review (or marks them done or won't do there).
    """
    items = [(review, item) for review in latest(reviews) for item in review.actions if item.status in OPEN]
    return sorted(items, key=lambda pair: (not overdue(pair[1], today), pair[1].due or Date.max,
                                           pair[0].service, pair[1].title))

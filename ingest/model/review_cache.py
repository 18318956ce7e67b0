"""A cache of parsed review files, so a build reads again only the reviews whose bytes changed.

It lives beside the analysis cache, in the archive's git-ignored `.cache/reviews/`,
one JSON file per review file: named by a hash of the file's bytes and of the code
that reads a review (fingerprint.py, from review_reader.py), so an entry is either
right or never looked up, whatever code or run wrote it. Only what reading the file
alone gives is kept (the Review as parse_review returns it, lines included); a file
with a mistake is never cached, so it is read again and fails with its line every
time, and the checks that look beyond the file (its folder and name, the curated
checklists) run on every load. `prune` removes the entries the last full load did
not use, so the cache stays the size of one reviews folder.

JSON, not pickle: a file in the cache is data, never code, whoever wrote it. A damaged
entry is only a miss.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import fields
from datetime import date as Date
from pathlib import Path

from ingest.atomic import write_atomic
from ingest.model.fingerprint import code_fingerprint
from ingest.model.review_format import ActionItem, Answer, Review

log = logging.getLogger(__name__)
ROOTS = ("ingest.model.review_reader", "ingest.model.review_cache")  # the code whose output the cache keeps
FORMAT = 1


class ReviewCache:
    def __init__(self, archive_root: Path, fingerprint: str | None = None) -> None:
        self.root = archive_root / ".cache" / "reviews"
        self.fingerprint = fingerprint or code_fingerprint(f"reviews {FORMAT}", roots=ROOTS)
        self.used: set[str] = set()
        # A symbolic link on the way would send the cache's writes and prunes outside the archive.
        linked = [p for p in (archive_root / ".cache", self.root) if p.is_symlink()]
        self.usable = archive_root.is_dir() and not linked
        if linked:
            log.warning("%s is a symbolic link; the review cache is not used (every review is read afresh): "
                        "replace it with a folder, or delete it", linked[0])

    def key(self, raw: bytes) -> str:
        """The entry's name for a file of these bytes, read by this code."""
        return hashlib.sha256(self.fingerprint.encode("ascii") + b"\0" + raw).hexdigest()[:40]

    def get(self, key: str) -> Review | None:
        if not self.usable:
            return None
        path = self.root / f"{key}.json"
        try:
            review = decode(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError) as e:
            log.debug("ignoring the damaged review cache file %s: %s", path, e)
            return None
        self.used.add(key)
        return review

    def put(self, key: str, review: Review) -> None:
        if not self.usable:
            return
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            write_atomic(self.root / f"{key}.json", json.dumps(encode(review), ensure_ascii=False,
                                                               separators=(",", ":")), durable=False)
            self.used.add(key)
        except OSError as e:  # a cache that cannot be written costs time, not correctness
            log.debug("cannot write the review cache in %s: %s", self.root, e)

    def prune(self) -> None:
        """Remove the entries this load did not use (files changed or gone, or read by other code)."""
        if not self.usable or not self.root.is_dir():
            return
        for path in self.root.iterdir():
            if path.suffix == ".json" and path.stem not in self.used and not path.is_symlink():
                path.unlink(missing_ok=True)


def encode(review: Review) -> dict:
    """A review as plain JSON data (`decode` turns it back): its answers as objects of their fields."""
    return {"format": FORMAT, "review": [
        review.service, review.date.isoformat(), review.checklist, review.checklist_version,
        list(review.participants), review.owner, review.title, review.preamble, review.lines,
        [{**answer.__dict__, "actions": [[i.title, i.owner, i.due.isoformat() if i.due else None, i.status, i.link,
                                          i.question, i.line] for i in answer.actions]}
         for answer in review.answers]]}


_ANSWER_FIELDS = frozenset(f.name for f in fields(Answer))
_ACTION_FIELDS = tuple(f.name for f in fields(ActionItem))
_new = object.__new__
_set = object.__setattr__


def _action(*values: object) -> ActionItem:
    """An ActionItem of its fields in order, set as its __init__ sets them (see decode)."""
    item = _new(ActionItem)
    _set(item, "__dict__", dict(zip(_ACTION_FIELDS, values)))
    return item


def decode(text: str) -> Review:
    """The Review `encode` made, from its JSON text; a malformed one raises ValueError, KeyError or TypeError."""
    data = json.loads(text)
    if data["format"] != FORMAT:
        raise ValueError(f"format {data['format']!r}")
    (service, day, checklist, version, participants, owner, title, preamble, lines, rows) = data["review"]
    day_of = Date.fromisoformat
    answers = []
    for row in rows:
        if row.keys() != _ANSWER_FIELDS:
            raise KeyError(f"an answer's fields: {sorted(row)}")
        actions = row["actions"]
        row["actions"] = tuple(_action(t, o, day_of(d) if d else None, s, k, q, n)
                               for t, o, d, s, k, q, n in actions) if actions else ()
        # The answer's fields as its __init__ would set them (it only sets them): a twentieth of the time.
        answer = _new(Answer)
        _set(answer, "__dict__", row)
        answers.append(answer)
    return Review(service, day_of(day), checklist, version, tuple(participants), owner, tuple(answers), "", title,
                  preamble, {str(k): int(v) for k, v in lines.items()})

"""The work of the checklist commands: curated checklist files made from, and kept in step with, the archive.

`init_checklists` writes a file for every checklist extracted from a template
article that has none yet; `accept_upstream_baseline` makes a source article's
current version a curated checklist's new baseline. Both write atomically and
never touch a file they do not mean to: the checklist files are the team's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ingest.atomic import write_atomic
from ingest.errors import KBError, UsageError, WriteError
from ingest.model.checklists import ChecklistError, Drift, accept_upstream, checklist_yaml
from ingest.model.knowledge import ChecklistEntry, Knowledge
from ingest.model.extract.notes import Checklist


@dataclass(frozen=True)
class InitResult:
    """One extracted checklist: its file, and the checklist if it was written (None: the file existed)."""

    path: Path
    written: Checklist | None

    def describe(self) -> str:
        if self.written is None:
            return f"{self.path}: exists, left as it is"
        items, sections = len(self.written.items), len(self.written.sections)
        return f"{self.path}: written, {items} items in {sections} sections"


def init_checklists(knowledge: Knowledge, folder: Path) -> list[InitResult]:
    """Write `folder/ID.yml` for every extracted checklist without a file there; existing files stay as they are."""
    results = []
    for article, checklist in knowledge.checklists():
        path = folder / f"{checklist.id}.yml"
        if path.exists():
            results.append(InitResult(path, None))
            continue
        text = checklist_yaml(checklist, article_id=article.id, url=article.url, version=article.content_hash,
                              date=day(article.published))
        try:
            folder.mkdir(parents=True, exist_ok=True)
            write_atomic(path, text)
        except OSError as e:
            raise WriteError(path, e) from None
        results.append(InitResult(path, checklist))
    return results


def curated_entry(knowledge: Knowledge, checklist_id: str, folder: Path) -> ChecklistEntry:
    """The curated checklist `checklist_id`; a usage error that lists the known ones if there is none."""
    entry = next((e for e in knowledge.curated if e.checklist.id == checklist_id), None)
    if entry is None:
        known = ", ".join(e.checklist.id for e in knowledge.curated) or "none yet: run init-checklists"
        raise UsageError(f"no checklist {checklist_id!r} in {folder} (known: {known})")
    return entry


def accept_upstream_baseline(knowledge: Knowledge, entry: ChecklistEntry) -> list[str]:
    """Make the source article's current version the checklist's baseline; lines that say what changed."""
    path, source, article = entry.checklist.path, entry.checklist.source, entry.article
    if source is None:
        raise ChecklistError(f"{path}: no source block, so no source article to follow")
    upstream = knowledge.notes[article.id].checklist if article else None
    if upstream is None:
        raise ChecklistError(f"{path}: the source article {source.article} is not in the archive, "
                             f"or has no checklist now")
    if not entry.drift:
        return [f"{path}: no drift from the source article; nothing to accept"]
    try:  # the file is as it was after a failure: the write is atomic
        text = accept_upstream(path.read_text(encoding="utf-8"), path, entry.checklist, upstream,
                               article_id=article.id, url=article.url, version=article.content_hash,
                               date=day(article.published))
        write_atomic(path, text)
    except OSError as e:
        raise KBError(str(e)) from None
    return accepted_lines(path, entry.drift)


def accepted_lines(path: Path, drift: Drift) -> list[str]:
    """What accepting `drift` did, and the questions a team may want to copy or check by hand."""
    lines = [f"{path}: the source article's current version is now the baseline ({drift.describe()})"]
    lines += [f"  new upstream, not in this checklist: {question}" for question in drift.added]
    lines += [f"  reworded or removed upstream, kept as the team's own: {item_id}" for item_id in drift.removed]
    return lines


def day(when: datetime | None) -> str | None:
    """A date as the checklist files give it (2024-05-01)."""
    return when.strftime("%Y-%m-%d") if when else None

"""Curated checklists: the YAML files in checklists/ that the site's checklist pages show.

They are generated once from a template article (`resilience-kb init-checklists`)
and then belong to the team: reword, add or drop questions, add sections. Every
item has an id that never changes, so ticks saved in a browser and links to a
question survive edits. Loading checks the schema and names the file, the line
and the fix. When the source article changes upstream, `drift()` tells what the
article now has that the checklist's baseline did not; the build never touches the
file. A team that has looked at the change makes the article's current version
its new baseline with `resilience-kb accept-upstream` (`accept_upstream()`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import yaml

from ingest.model.html.document import tidy
from ingest.model.extract.notes import Checklist
from ingest.model.extract.vocabulary import Vocabulary
from ingest.model.lens_choices import Choice, RiskRule, parse_choices, parse_risk_rules
from ingest.text import FOLDER_PAGE
from ingest.yamlfile import FileError, Where, load_yaml, parse_yaml

ITEM_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")
# How an item is filled in: ticked and rated, written on a line, written at length, or only read.
KINDS = ("question", "field", "text", "guidance")
ANSWERED_KINDS = KINDS[:3]  # what a review file asks; guidance is only read
# Checklist text is plain, not Markdown: emphasis marks would reach the page as they are.
EMPHASIS = re.compile(r"\*\*|__")
log = logging.getLogger(__name__)
HEADER = """\
# {title} — checklist of the Resilience KB site.
#
# Generated from the article {url}
# on the version of {date}. From now on this file is yours: reword, add or drop
# questions, add sections ("make it yours"). The site is rebuilt from it.
#
# Each item needs an `id` that is unique in this file and never changes (browsers
# keep ticks by id, and links point at it) and a `text`. Optional: `detail` (the
# explanation shown under the question), `kind` (how it is filled in: `question`, the
# default, is ticked and answered with a risk; `field` is a fact written on one line;
# `text` is a large area to write in; `guidance` is advice, neither ticked nor answered),
# `patterns` (pattern ids from ingest/model/extract/vocab/patterns.yml; leave it out to
# have them found in the text), `choices` and `risk_rules` (how the question is answered
# in the Well-Architected lens that `resilience-kb export-lens` writes; see
# ingest/model/lens_choices.py).
# `source` and each item's `source` are the fingerprints of the article's questions
# this file was made from: the build compares them with the article to report
# questions added, reworded or removed upstream. Do not edit them by hand.
"""


SOURCE_MARKER = "# Where this checklist came from, for drift reports. Do not edit.\n"


class ChecklistError(FileError):
    """A checklist file breaks the schema; the message names the file, the line and the fix."""


@dataclass(frozen=True)
class Source:
    article: str  # archive id of the template article
    url: str | None
    version: str  # the content hash of the archived entry the checklist was made from
    date: str | None
    items: tuple[str, ...]  # fingerprints of the article's questions at that version


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    detail: str | None = None
    patterns: tuple[str, ...] | None = None  # None: found in the text by the vocabulary
    source: str | None = None  # fingerprint of the article's question it came from
    choices: tuple[Choice, ...] | None = None  # for the lens export; None: the default choices
    risk_rules: tuple[RiskRule, ...] | None = None  # for the lens export; None: the default rules
    kind: str = "question"  # one of KINDS


@dataclass(frozen=True)
class Section:
    title: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class CuratedChecklist:
    id: str
    title: str
    sections: tuple[Section, ...]
    source: Source | None
    path: Path

    @property
    def items(self) -> list[Item]:
        return [item for section in self.sections for item in section.items]

    @property
    def answered_items(self) -> list[Item]:
        """The items a review answers: all but guidance."""
        return [item for item in self.items if item.kind in ANSWERED_KINDS]


@dataclass(frozen=True)
class Drift:
    """How the source article's questions differ from the checklist's baseline."""

    added: tuple[str, ...] = ()  # texts of questions the article has and the baseline had not
    removed: tuple[str, ...] = ()  # ids of checklist items whose question the article no longer has

    def __bool__(self) -> bool:
        return bool(self.added or self.removed)

    def describe(self) -> str:
        parts = []
        if self.added:
            parts.append(f"{len(self.added)} question{'s' if len(self.added) != 1 else ''} not in this checklist")
        if self.removed:
            parts.append(f"{len(self.removed)} of its questions reworded or removed "
                         f"({', '.join(self.removed)})")
        return "the source article has " + " and ".join(parts) if parts else "no drift"


def fingerprint(text: str) -> str:
    """A short hash of a question's wording, blind to case and spacing."""
    return hashlib.sha256(tidy(text).casefold().encode("utf-8")).hexdigest()[:12]


def renamed_items(previous: dict[str, dict[str, str]],
                  checklists: list[CuratedChecklist]) -> list[tuple[str, str, str]]:
    """(checklist id, old item id, new item id) for each question whose id changed since `previous`.

    `previous` maps a checklist's id to its items' ids and texts as last published. A question
    is the same when its wording is (blind to case and spacing); a reworded one is not matched.
    Readers' ticks and links are keyed by the id, so a rename loses them.
    """
    renames = []
    for checklist in checklists:
        before = previous.get(checklist.id) or {}
        now = {item.id for item in checklist.items}
        gone = {fingerprint(text): old for old, text in before.items() if old not in now}
        for item in checklist.items:
            old = gone.get(fingerprint(item.text)) if item.id not in before else None
            if old:
                renames.append((checklist.id, old, item.id))
    return renames


def committed_items(folder: Path) -> dict[str, dict[str, str]]:
    """Each curated checklist's item ids and texts as git last recorded them, where the folder is in git.

    A file edited since the last commit is compared with that commit; an unedited one with the
    commit before, so the build that follows a rename (on a fresh clone, as in CI, with at least
    two commits of history) still reports it. Anything git cannot say gives no entry: it is a hint.
    """
    items: dict[str, dict[str, str]] = {}
    paths = sorted(folder.glob("*.yml")) if folder.is_dir() else []
    if paths and not _has_commit(folder):
        log.warning("resilience-kb: %s is not in a git repository with a commit (or git is not installed): a "
                    "renamed checklist item is found only against the site built before, not against git", folder)
        return items
    for path in paths:
        committed = _git_show(folder, "HEAD", path.name)
        try:
            now = path.read_bytes()
        except OSError:
            continue
        if committed == now:
            committed = _git_show(folder, "HEAD~1", path.name)
        if committed is not None:
            items.update(_ids_and_texts(committed, path))
    return items


def published_items(path: Path) -> dict[str, dict[str, str]]:
    """The curated checklists' item ids and texts in a knowledge.json built before, if it is there and readable."""
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > 50_000_000:
            return {}
        checklists = json.loads(path.read_text(encoding="utf-8")).get("checklists") or []
        return {c["id"]: {i["id"]: i["text"] for s in c["sections"] for i in s["items"]}
                for c in checklists if c.get("curated")}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}  # only a hint for a warning: a site folder holding something else gives none


def _has_commit(folder: Path) -> bool:
    """True when git can show the folder's files as committed: git is there, and so is a commit."""
    try:
        found = subprocess.run(["git", "-C", str(folder), "rev-parse", "--verify", "-q", "HEAD"],
                               capture_output=True, timeout=20, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return False
    return found.returncode == 0


def _git_show(folder: Path, revision: str, name: str) -> bytes | None:
    try:
        shown = subprocess.run(["git", "-C", str(folder), "show", f"{revision}:./{name}"],
                               capture_output=True, timeout=20, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):  # no git, or it hangs: no hint
        return None
    return shown.stdout if shown.returncode == 0 else None


def _ids_and_texts(raw: bytes, path: Path) -> dict[str, dict[str, str]]:
    """{checklist id: {item id: text}} of an older version of a checklist file, read leniently."""
    try:
        data = parse_yaml(raw, f"{path} (as committed)")
    except FileError:
        return {}
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        return {}
    sections = data.get("sections") if isinstance(data.get("sections"), list) else []
    items = [i for s in sections if isinstance(s, dict) and isinstance(s.get("items"), list) for i in s["items"]]
    return {data["id"]: {i["id"]: i["text"] for i in items
                         if isinstance(i, dict) and isinstance(i.get("id"), str) and isinstance(i.get("text"), str)}}


def load_checklists(folder: Path, vocabulary: Vocabulary) -> list[CuratedChecklist]:
    """Every checklists/*.yml, validated; the first problem raises ChecklistError."""
    if not folder.is_dir():
        return []
    checklists = [load_checklist(path, vocabulary) for path in sorted(folder.glob("*.yml"))]
    ids = [c.id for c in checklists]
    for checklist in checklists:
        if ids.count(checklist.id) > 1:
            raise ChecklistError(f"{checklist.path}: checklist id {checklist.id!r} is used by another file too; "
                                 f"give each file its own 'id'")
    return checklists


def load_checklist(path: Path, vocabulary: Vocabulary) -> CuratedChecklist:
    data = load_yaml(path, ChecklistError)
    where = Where(path, ChecklistError)
    if not isinstance(data, dict):
        raise ChecklistError(f"{path}: expected a mapping with 'id', 'title' and 'sections'")
    checklist_id = where.field(data, "id", str, "the checklist's short name, e.g. `id: orr`")
    if not ITEM_ID.fullmatch(checklist_id):
        raise ChecklistError(f"{path}:{where.line(data)}: checklist id {checklist_id!r} must be lowercase letters, "
                             f"digits and hyphens (it names the page)")
    if checklist_id == FOLDER_PAGE:
        raise ChecklistError(f"{path}:{where.line(data)}: checklist id {checklist_id!r} is the name of the page that "
                             f"lists the checklists; give this checklist another id (and name it so in onboarding.yml)")
    title = where.field(data, "title", str, "the title shown on the page")
    raw_sections = where.field(data, "sections", list, "a list of sections, each with 'title' and 'items'")
    known = set(vocabulary.pattern_by_id)
    seen: dict[str, int] = {}
    sections = []
    for raw in raw_sections:
        if not isinstance(raw, dict):
            where.fail(data, "each section is a mapping with 'title' and 'items'")
        items = []
        for raw_item in where.field(raw, "items", list, "the section's questions, each with 'id' and 'text'"):
            items.append(_item(where, raw_item, seen, known))
        sections.append(Section(title=where.field(raw, "title", str, "the section's heading"), items=tuple(items)))
    return CuratedChecklist(id=checklist_id, title=title, sections=tuple(sections),
                            source=_source(where, data.get("source")), path=path)


def drift(checklist: CuratedChecklist, upstream: Checklist | None, version: str | None) -> Drift:
    """What the source article's checklist now has that the baseline did not, and what it lost."""
    source = checklist.source
    if source is None or upstream is None or version == source.version:
        return Drift()
    current = {fingerprint(item.text): item.text for item in upstream.items}
    baseline = set(source.items)
    added = tuple(text for mark, text in current.items() if mark not in baseline)
    removed = tuple(item.id for item in checklist.items if item.source and item.source not in current)
    return Drift(added=added, removed=removed)


def checklist_yaml(checklist: Checklist, *, article_id: str, url: str | None, version: str, date: str | None) -> str:
    """A new curated file for an extracted checklist, with stable ids made from each question's words."""
    taken: set[str] = set()
    sections = []
    for section in checklist.sections:
        items = []
        for item in section.items:
            # An article's stray emphasis marks (a footnote's "**") are not checklist text.
            entry = {"id": new_item_id(checklist.id, item.text, taken), "text": _plain(item.text)}
            if item.detail:
                entry["detail"] = _plain(item.detail)
            entry["source"] = fingerprint(item.text)
            items.append(entry)
        sections.append({"title": section.title, "items": items})
    data = {"id": checklist.id, "title": checklist.title, "sections": sections}
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
    header = HEADER.format(title=checklist.title, url=url or article_id, date=date or "unknown date")
    return header + body + source_block(checklist, article_id=article_id, url=url, version=version, date=date)


def source_block(upstream: Checklist, *, article_id: str, url: str | None, version: str, date: str | None) -> str:
    """The end of a curated file: where its checklist came from, for drift reports."""
    source = {"source": {"article": article_id, "url": url, "version": version, "date": date,
                         "items": [fingerprint(item.text) for item in upstream.items]}}
    return SOURCE_MARKER + yaml.safe_dump(source, sort_keys=False, allow_unicode=True, width=100,
                                          default_flow_style=None)


def accept_upstream(text: str, path: Path, checklist: CuratedChecklist, upstream: Checklist, *, article_id: str,
                    url: str | None, version: str, date: str | None) -> str:
    """The file's text with the article's current version as its new baseline.

    Only the source block at the end changes, and the `source` of items whose
    question the article no longer has (they are the team's own from now on, so
    a later change upstream does not report them again). The team's questions,
    comments and order stay as they are, byte for byte.
    """
    head, marker, _ = text.partition(SOURCE_MARKER)
    if not marker:
        raise ChecklistError(f"{path}: the line {SOURCE_MARKER.strip()!r} that starts the source block is missing; "
                             f"restore it from git (the 'source' block follows it, at the end of the file)")
    current = {fingerprint(item.text) for item in upstream.items}
    for item in checklist.items:
        if item.source and item.source not in current:
            line = rf"(?m)^[ \t]+source:[ \t]*['\"]?{re.escape(item.source)}['\"]?[ \t]*\n"
            head = re.sub(line, "", head, count=1)
    return head + source_block(upstream, article_id=article_id, url=url, version=version, date=date)


def _plain(text: str) -> str:
    return " ".join(EMPHASIS.sub(" ", text).split())


def new_item_id(checklist_id: str, text: str, taken: set[str]) -> str:
    """An id from the question's first words ("orr-what-is-the-sla-of-the"), unique in its checklist."""
    words = re.sub(r"[^a-z0-9]+", "-", tidy(text).casefold().encode("ascii", "ignore").decode()).strip("-")
    base = f"{checklist_id}-" + ("-".join(words.split("-")[:6]) or "item")
    candidate, n = base[:80].rstrip("-"), 1
    while candidate in taken:
        n += 1
        candidate = f"{base[:76].rstrip('-')}-{n}"
    taken.add(candidate)
    return candidate


def _item(where: Where, raw: object, seen: dict[str, int], known: set[str]) -> Item:
    if not isinstance(raw, dict):
        raise ChecklistError(f"{where.path}: each item is a mapping with 'id' and 'text', got {raw!r}")
    item_id = where.field(raw, "id", str, "a unique id such as `orr-my-new-question`")
    line = where.line(raw)
    if not ITEM_ID.fullmatch(item_id):
        raise ChecklistError(f"{where.path}:{line}: item id {item_id!r} must be lowercase letters, digits and "
                             f"hyphens (at most 80)")
    if item_id in seen:
        raise ChecklistError(f"{where.path}:{line}: duplicate item id {item_id!r} (first used on line "
                             f"{seen[item_id]}); give this item an id of its own")
    seen[item_id] = line
    text = where.field(raw, "text", str, "the question as it should read")
    kind = raw.get("kind", "question")
    if kind not in KINDS:
        raise ChecklistError(f"{where.path}:{line}: item {item_id!r}: kind {kind!r} is not one of "
                             f"{', '.join(KINDS)}; write e.g. `kind: field` (or leave it out for a question)")
    patterns = raw.get("patterns")
    if patterns is not None:
        if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
            raise ChecklistError(f"{where.path}:{line}: item {item_id!r}: 'patterns' must be a list of pattern ids")
        unknown = [p for p in patterns if p not in known]
        if unknown:
            raise ChecklistError(f"{where.path}:{line}: item {item_id!r}: unknown pattern {unknown[0]!r}; use an id "
                                 f"from ingest/model/extract/vocab/patterns.yml, or remove 'patterns' to have them found in the text")
        patterns = tuple(patterns)
    detail = raw.get("detail")
    if detail is not None and not isinstance(detail, (str, int, float)):
        raise ChecklistError(f"{where.path}:{line}: item {item_id!r}: 'detail' should be text, not a "
                             f"{'list' if isinstance(detail, list) else 'mapping'}; quote it or write it on one line")
    if raw.get("source") is not None and not isinstance(raw["source"], str):
        raise ChecklistError(f"{where.path}:{line}: item {item_id!r}: 'source' should be the fingerprint text it "
                             f"was generated with; restore it from git or delete it")
    for key, value in (("text", text), ("detail", detail)):
        if isinstance(value, str) and EMPHASIS.search(value):
            raise ChecklistError(f"{where.path}:{line}: item {item_id!r}: {key!r} has "
                                 f"{EMPHASIS.search(value).group()!r}, which the page would show as it is "
                                 f"(checklist text is plain, not Markdown); remove the marks or reword")
    choices = parse_choices(where, raw, item_id)
    return Item(id=item_id, kind=kind, text=" ".join(text.split()),
                detail=" ".join(str(detail).split()) if detail else None,
                patterns=patterns, source=str(raw["source"]) if raw.get("source") else None,
                choices=choices, risk_rules=parse_risk_rules(where, raw, item_id, choices))


def _source(where: Where, raw: object) -> Source | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or not raw.get("article") or not raw.get("version"):
        raise ChecklistError(f"{where.path}: 'source' must keep the 'article' and 'version' it was generated with; "
                             f"restore it from git, or delete the whole 'source' block to stop drift reports")
    return Source(article=str(raw["article"]), url=raw.get("url"), version=str(raw["version"]),
                  date=str(raw["date"]) if raw.get("date") else None,
                  items=tuple(str(i) for i in raw.get("items") or ()))

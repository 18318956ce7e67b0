"""Release notes written as lists: a release's changes, its highlights, its new features.

Three shapes, found by structure and a few words of the genre, in any product's notes:
- a label naming what is new ("Highlights", "What's new", "New features") over a
  list: every item is a launch, named by its bold lead where it has one
  ("**Faster builds** — …"), except the fixes among them;
- a label naming the release's changes ("Changelog", "Changes since 2.3:",
  "What's changed") over a list: the items that ship something new ("Added …",
  "New …", "Introduced …", "feat: …", or a bold lead) are launches; fixes,
  speed-ups and tweaks are changes, not launches;
- an entry that is nothing but such a list, without a label: most of its text is
  one list whose items open with the verbs of a changelog ("Added", "Fixed",
  "Made", "Improved"): the same reading as under a changes label.

A label naming fixes ("Improvements and bug fixes", releases.FIXES_LABEL) holds no
launches. "Highlights" or "Features" over a list in an essay is not release notes:
those labels count only with a version, a date or release wording in the entry.
"""

from __future__ import annotations

import re

from ingest.model.html.document import Block, Document
from ingest.model.extract.notes import Launch
from ingest.model.extract.releases import DATE, NEW_LABEL, RELEASE_OPENING, VERSION

CHANGES_LABEL = re.compile(
    r"^\W*(?:change\s?log|changes|what[’']?s\s+changed|release\s+notes|notable\s+changes)"
    r"(?:\s+(?:in|since|from|for)\b(?:[^.!?]|\.(?=\S)){0,40})?\s*[:.]?\s*$", re.IGNORECASE)
FIXES_WORDS = re.compile(
    r"\bbug ?fix(?:es)?\b|\bfix(?:es|ed)?\b|\bimprovements?\b|\bknown issues\b|\bdeprecat\w+\b|\bbreaking\b",
    re.IGNORECASE)
# The verbs a changelog's items open with, and the conventional-commit prefixes ("fix(api): …").
CHANGE_VERB = re.compile(
    r"^(?:added|adds?|new|fixe[sd]|fix|made|makes?|improved?|improves|changed|changes|updated?|updates|removed?"
    r"|removes|replaced?|replaces|reduced|lowered|raised|started|stopped|switched|moved|adopted|introduc\w+"
    r"|deprecated|dropped|renamed|enabled|disabled|allowed|supported|handled|restored|preserved|upgraded|bumped"
    r"|refactored|reverted|used|worked around|(?:feat|fix|chore|docs|perf|refactor|build|ci|test)(?:\([^)]*\))?!?:)",
    re.IGNORECASE)
# An item that ships something new.
NOVELTY = re.compile(
    r"^(?:added|adds?|new|introduc\w+|adopted|launch\w*|allow(?:s|ed)?|now\s+supports?|support(?:s|ed)?\s+for"
    r"|feat(?:ure)?(?:\([^)]*\))?!?:)", re.IGNORECASE)
# "and lots more…": the end of a list, not an item of it.
MORE = re.compile(r"^(?:and|plus)\b.{0,30}\b(?:more|others?)\b|^(?:etc|and so on)\b", re.IGNORECASE)
# The area an item names first ("Browser: add …", "CLI/macOS: …"), read past to find its verb.
SCOPE = re.compile(r"^[\w./&+-]+(?:[ /][\w./&+-]+){0,2}:\s+(?=\S)")
FIX_ITEM = re.compile(r"^(?:fix(?:e[sd])?|bug\s?fix(?:es)?|resolved?|corrected|hotfix)\b", re.IGNORECASE)
LABEL_WORDS = 8
LABEL_DISTANCE = 2
MIN_BARE_ITEMS = 3
BARE_SHARE = 0.6
TITLE_WORDS = 14
LEAD_WORDS = 10


def release_lists(document: Document) -> list[tuple[str, list[Block]]]:
    """The lists of release notes with how to read each: ("new", items) or ("changes", items)."""
    blocks = document.blocks
    lists = document.lists()
    found: list[tuple[str, list[Block]]] = []
    seen: set[int] = set()
    for index, block in enumerate(blocks):
        if not _is_label(block) or _names_fixes(block.text):
            continue
        reading = "new" if NEW_LABEL.search(block.text) else "changes" if CHANGES_LABEL.search(block.text) else None
        if reading is None:
            continue
        list_id = _list_after(blocks, index)
        if list_id is None or list_id in seen:
            continue
        seen.add(list_id)
        found.append((reading, lists[list_id]))
    if found:
        if all(reading == "new" for reading, _ in found) and not _release_context(document):
            return []
        return found
    bare = _bare_changelog(document, lists)
    return [("changes", bare)] if bare else []


def _names_fixes(text: str) -> bool:
    """A label naming fixes or smaller improvements, not what is new ("New features and bug fixes" is new)."""
    return bool(FIXES_WORDS.search(text)) and not NEW_LABEL.search(text)


def change_launches(document: Document) -> list[Launch]:
    """The launches of release notes' lists: the new features, named by their bold lead or their opening."""
    launches: list[Launch] = []
    seen: set[str] = set()
    for reading, items in release_lists(document):
        for item in items:
            lead = _short_lead(item)
            opening = item.text.lstrip(" •*-–—·")
            verb = SCOPE.sub("", opening, count=1)
            fix = FIX_ITEM.match(opening) or (not lead and FIX_ITEM.match(verb))
            if fix or len(opening.split()) < 3 or MORE.match(opening):
                continue
            if reading == "changes" and not lead and not (NOVELTY.match(opening) or NOVELTY.match(verb)):
                continue
            title = lead or _opening(item.text)
            rest = item.text[len(lead):].strip(" —–-:,.") if lead else item.text[len(title):].strip(" —–-:,.")
            link = item.links[0] if item.links and item.links[0].href.startswith("http") else None
            if title.casefold() in seen:  # a highlight repeated in the list of changes
                continue
            seen.add(title.casefold())
            launches.append(Launch(title=title, url=link.href if link else None, summary=rest or None,
                                   notable=False, anchor=item.anchor))
    return launches


def _is_label(block: Block) -> bool:
    if block.kind == "heading":
        return True
    words = len(block.text.split())
    return block.kind == "paragraph" and words <= LABEL_WORDS and (
        block.lead == block.text or block.text.rstrip().endswith(":") or words <= 4)


def _list_after(blocks: tuple[Block, ...], index: int) -> int | None:
    """The list that starts within LABEL_DISTANCE blocks after a label, if one does."""
    for block in blocks[index + 1:index + 1 + LABEL_DISTANCE]:
        if block.kind == "item" and block.list_id is not None:
            return block.list_id
        if block.kind == "heading":
            return None
    return None


def _bare_changelog(document: Document, lists: dict[int, list[Block]]) -> list[Block]:
    """The one list that is most of the entry, when most of its items open with a changelog's verbs."""
    total = len(document.text.split())
    for items in lists.values():
        words = sum(len(item.text.split()) for item in items)
        if len(items) < MIN_BARE_ITEMS or not total or words / total < BARE_SHARE:
            continue
        verbs = sum(1 for item in items if CHANGE_VERB.match(item.text.lstrip(" •*-–—·")))
        if verbs / len(items) >= BARE_SHARE:
            return items
    return []


def _release_context(document: Document) -> bool:
    text = document.text
    return bool(VERSION.search(text) or RELEASE_OPENING.search(text[:600])
                or any(DATE.search(b.text) for b in document.blocks if b.kind == "heading"))


def _short_lead(item: Block) -> str:
    """The bold name an item opens with ("**Faster builds**: …"), without its punctuation."""
    lead = item.lead.strip(" —–-:,.")
    if not lead or item.lead == item.text or len(lead.split()) > LEAD_WORDS:
        return ""
    return lead if item.text.lstrip(" •*-–—·").startswith(item.lead.strip()) else ""


def _opening(text: str) -> str:
    """An item's opening, up to a dash, a colon or the end of its first sentence, at most TITLE_WORDS words."""
    text = text.lstrip(" •*-–—·")
    cut = re.search(r" [—–-] |(?<=[a-z)])\. ", text)  # not at a colon: "ARM: support for …" is one title
    head = text[:cut.start() if cut else len(text)].strip()
    words = head.split()
    return " ".join(words[:TITLE_WORDS]) if len(words) > TITLE_WORDS else head.rstrip(".")

"""Release notes: a product's entries with a heading per new feature, then a list of fixes.

The shape, found by structure and a few words of the genre, in any product's notes:
- a label naming fixes or smaller changes ("Improvements and bug fixes", "Bug
  fixes", "Known issues", "Other improvements"): a heading, a bold line or a
  short line, with a list of two items or more just under it;
- headings over paragraphs that say what is new: the features. A heading that
  is only a date or a version ("March 2024", "Version 2.3.1") holds a release,
  not a feature; one naming fixes holds fixes;
- a date, a version number or a launch word somewhere, as release notes have.

Each feature is a launch, with or without a link. A postmortem's "Fixes" or an
essay's "Improvements" is not the genre's label, and has no version or date.
"""

from __future__ import annotations

import re

from ingest.model.html.document import Block, Document
from ingest.model.extract.notes import Launch
from ingest.model.extract.shapes import main_link, subtitle
from ingest.model.extract.words import word_count

FIXES_LABEL = re.compile(
    r"\bbug ?fix(?:es)?\b|\b(?:improvements?|enhancements?|updates?)\s*(?:and|&|,)\s*(?:bug\s*)?fix(?:es)?\b"
    r"|\bfix(?:es)?\s*(?:and|&|,)\s*(?:improvements?|enhancements?)\b"
    r"|\b(?:other|minor|additional|smaller|more)\s+(?:improvements|enhancements|changes|updates|fixes)\b"
    r"|\bknown issues\b|\bdeprecations?\b|\bbreaking changes\b|\bresolved issues\b",
    re.IGNORECASE)
MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
DATE = re.compile(rf"\b\d{{4}}-\d\d(?:-\d\d)?\b|\b{MONTH}\s+(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s+)?\d{{4}}\b"
                  rf"|\b\d{{1,2}}\s+{MONTH}\s+\d{{4}}\b", re.IGNORECASE)
VERSION = re.compile(r"\b(?:v|version\s*|release\s*)?\d+\.\d+(?:\.\d+)*\b", re.IGNORECASE)
RELEASE_WORDS = re.compile(r"\b(?:release[sd]?|version|update|changelog|what[’']?s new|and|of|the)\b", re.IGNORECASE)
LAUNCH_WORDS = re.compile(r"\b(?:new|now|introduc\w+|launch\w*|releas\w+|available|support\w*)\b", re.IGNORECASE)
RELEASE_OPENING = re.compile(r"\b(?:release[sd]?|now available|generally available|what[’']?s new|introducing"
                             r"|we(?:[’']ve| have)? (?:added|shipped|launched))\b", re.IGNORECASE)
# A label naming what is new: over feature headings ("## Highlights" / "### Feature") or a list (changes.py).
NEW_LABEL = re.compile(
    r"^\W*(?:(?:release|key|main)\s+)?(?:highlights|what[’']?s\s+new|new\s+features?|(?:major\s+)?features|new|added"
    r"|introducing)(?:\s+(?:include|in|for|since|of|this)\b(?:[^.!?]|\.(?=\S)){0,40})?\s*[:.…—–-]?\s*$",
    re.IGNORECASE)
LABEL_WORDS = 8
MIN_FIXES = 2
MIN_FEATURE_WORDS = 8


def release_features(document: Document) -> list[Block]:
    """The feature headings of release notes; [] when the document does not have their shape."""
    blocks = document.blocks
    labels = [i for i, b in enumerate(blocks) if _is_label(b) and FIXES_LABEL.search(b.text) and _list_under(blocks, i)]
    if not labels and not any(b.kind == "heading" and NEW_LABEL.search(b.text) for b in blocks):
        return []
    top = subtitle(document)
    if top is not None and sum(1 for b in blocks if b.kind == "heading" and b.level == top.level) > 1:
        top = None  # the first of the features, not a subtitle: other headings share its level
    label_levels = {blocks[i].level for i in labels if blocks[i].kind == "heading"}
    features = [b for i, b in enumerate(blocks)
                if b.kind == "heading" and b is not top and not b.is_question and i not in labels
                and ((labels and (not label_levels or b.level in label_levels)) or _under_new(blocks, i))
                and not FIXES_LABEL.search(b.text) and not NEW_LABEL.search(b.text)
                and not _holds_a_release(b.text) and _described(blocks, i)]
    if not features:
        return []
    text = document.text
    dated = any(DATE.search(b.text) or VERSION.search(b.text) for b in blocks if b.kind == "heading") \
        or VERSION.search(text) is not None
    if not dated and not any(LAUNCH_WORDS.search(b.text) for b in features) \
            and not RELEASE_OPENING.search(text[:600]):
        return []
    return features


def release_launches(document: Document) -> list[Launch]:
    """Each feature of release notes as a launch: its heading, its link if it has one, its first paragraph."""
    launches = []
    for heading in release_features(document):
        link = main_link(heading)
        summary = next((b.text for b in document.under(heading) if b.kind == "paragraph"
                        and word_count(b.text) >= MIN_FEATURE_WORDS), None)
        launches.append(Launch(title=heading.text, url=link.href if link else None, summary=summary, notable=True,
                               anchor=heading.anchor))
    return launches


def _is_label(block: Block) -> bool:
    if block.kind == "heading":
        return True
    return block.kind == "paragraph" and len(block.text.split()) <= LABEL_WORDS and (
        block.lead == block.text or block.text.rstrip().endswith(":") or len(block.text.split()) <= 4)


def _list_under(blocks: tuple[Block, ...], index: int) -> bool:
    """Whether a list of MIN_FIXES items or more starts within two blocks after `index`."""
    for block in blocks[index + 1:index + 3]:
        if block.kind == "item":
            items = [b for b in blocks[index + 1:] if b.kind == "item" and b.list_id == block.list_id]
            return len(items) >= MIN_FIXES
        if block.kind == "heading":
            return False
    return False


def _holds_a_release(text: str) -> bool:
    """A heading that is only a date or a version ("2024-03-05", "Release 2.3 — March 2024")."""
    rest = RELEASE_WORDS.sub(" ", VERSION.sub(" ", DATE.sub(" ", text)))
    return not re.search(r"\w", rest)


def _described(blocks: tuple[Block, ...], index: int) -> bool:
    """Whether a paragraph says something under the heading before the next heading."""
    for block in blocks[index + 1:]:
        if block.kind == "heading":
            return False
        if block.kind == "paragraph" and word_count(block.text) >= MIN_FEATURE_WORDS:
            return True
    return False


def _under_new(blocks: tuple[Block, ...], index: int) -> bool:
    """Whether the heading at `index` is a section of a heading naming what is new ("Highlights")."""
    level = blocks[index].level
    for block in reversed(blocks[:index]):
        if block.kind == "heading" and block.level < level:
            return bool(NEW_LABEL.search(block.text))
    return False

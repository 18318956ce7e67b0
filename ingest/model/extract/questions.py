"""Checklists: the sections and questions of a template (an ORR, a postmortem).

A section of the article belongs to the template when most of its text is
prompts: bold questions or instructions ("**What is the SLA of the service?**"),
all-italic prompt paragraphs (one prompt per `<br>` line, without intros and
examples), or a plain list. Sections of prose, a table of contents that
repeats the headings, and a bias list (a footnote, not a field to fill in) are
not. Section titles lose their decorative numbering ("1 — ") and label colons.
"""

from __future__ import annotations

import re

from ingest.model.html.document import Block, Document
from ingest.model.extract.notes import Checklist, ChecklistItem, ChecklistSection
from ingest.text import slugify
from ingest.model.extract.vocabulary import Vocabulary
from ingest.model.extract.biases import extract_biases
from ingest.model.extract.shapes import bold_prompt, prompt_lines
from ingest.model.extract.words import strip_numbering

PROMPT_SHARE = 0.6
ORR_WORDS = re.compile(r"\b(operational|production) readiness\b|\bORRs?\b|\breadiness review", re.IGNORECASE)
POSTMORTEM_WORDS = re.compile(r"\bpost[- ]?mortems?\b|\bcorrection[- ]of[- ]errors?\b|\bincident reviews?\b",
                              re.IGNORECASE)


def extract_checklist(document: Document, vocabulary: Vocabulary) -> Checklist | None:
    bias_anchors = {b.anchor for b in extract_biases(document, vocabulary) if b.definition is not None}
    headings = {_normalise(strip_numbering(h.text)) for h in document.headings()}
    sections = []
    for heading, body in document.sections():
        if heading is None:
            continue
        items = _items(body, headings, bias_anchors)
        if items:
            sections.append(ChecklistSection(title=_section_title(heading.text), items=tuple(items),
                                             anchor=heading.anchor))
    if sum(len(s.items) for s in sections) < 5:
        return None
    return Checklist(id=_checklist_id(document), title="", sections=tuple(sections))


def _items(body: list[Block], headings: set[str], bias_anchors: set[str | None]) -> list[ChecklistItem]:
    """The prompts of one section, or none when the section is mostly prose."""
    items: list[ChecklistItem] = []
    prose = 0
    for block in body:
        if block.kind == "code" or block.quoted:
            continue
        if _repeats_headings(block, headings):
            continue
        if block.kind == "item":
            if block.anchor in bias_anchors:
                return []
            items.append(ChecklistItem(text=block.text, anchor=block.anchor))
        elif bold_prompt(block):
            items.append(ChecklistItem(text=block.lead, detail=block.rest or None, anchor=block.anchor))
        elif lines := prompt_lines(block):
            items += [ChecklistItem(text=line, anchor=block.anchor) for line in lines]
        else:
            prose += 1
    prompts = len(items)
    return items if prompts and prompts / (prompts + prose) >= PROMPT_SHARE else []


def _repeats_headings(block: Block, headings: set[str]) -> bool:
    """A table of contents: lines that are the headings of the article."""
    lines = block.lines or (block.text,)
    return len(lines) >= 2 and sum(_normalise(strip_numbering(line)) in headings for line in lines) >= len(lines) / 2


def _section_title(text: str) -> str:
    title = strip_numbering(text.lstrip("*# ").strip())
    return title.rstrip(" :")


def _checklist_id(document: Document) -> str:
    text = document.text
    orr, postmortem = len(ORR_WORDS.findall(text)), len(POSTMORTEM_WORDS.findall(text))
    if orr > postmortem:
        return "orr"
    if postmortem > orr:
        return "postmortem"
    first = document.headings()[0].text if document.headings() else "checklist"
    return slugify(first)[:40] or "checklist"


def _normalise(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))

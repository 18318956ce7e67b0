"""What kind of article this is, from its structure and wording (never its title or URL).

The kinds are tried from the most specific shape to the least; the first whose
evidence is strong enough wins, and `article` is what is left.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.model.document import Block, Document
from ingest.model.extract.shapes import (bold_prompt, launch_items, main_link, numbered_lesson, prompt_lines,
                                          subtitle)
from ingest.model.notes import Kind

PART = re.compile(r"\bpart\s+(\d+|one|two|three|four|five|i{1,3}|iv|v)\b", re.IGNORECASE)
LAUNCH_WORDS = re.compile(r"\b(launch(?:es|ed)?|announc\w*|releas\w*|generally available|in preview|now supports?)\b",
                          re.IGNORECASE)
COLLECTION_WORDS = re.compile(r"\b(collection|series|list of (?:my|our)|reading list)\b", re.IGNORECASE)
TALK_WORDS = re.compile(r"\b(keynote|transcript|my talk|this talk|the talk|slides|recording)\b", re.IGNORECASE)
# An article framed as answers to questions, not one that merely asks some.
QUESTION_WORDS = re.compile(
    r"\bq\s?&\s?a\b|\bfaq\b|\banswer(?:s|ing|ed)?\b[^.?!]{0,60}\bquestions?\b"
    r"|\bquestions?\b[^.?!]{0,60}\b(?:asked|audience|readers?|webinar)\b|\b(?:I was|you) asked\b",
    re.IGNORECASE,
)
# An article that calls itself a case study ("This Prime Video case study", "Case study: …"), not one
# that mentions case studies ("we are planning case studies", "read our customer stories").
CASE_STUDY_WORDS = re.compile(
    r"\b(?:this|our|the following)\s+(?:[\w’'-]+\s+){0,3}?(?:case[ -]study|customer story)\b"
    r"|^(?:case[ -]study|customer story)\s*[:—–-]", re.IGNORECASE | re.MULTILINE)
STEP = re.compile(r"^(?:step\s*\d+|\d{1,2}\s*[-—–]\s*\S)", re.IGNORECASE)


@dataclass(frozen=True)
class Evidence:
    """Counts of the shapes and words that tell the kinds apart."""

    prompts: int  # consecutive questions or fill-in prompts with no answers between them
    link_headings: int
    launch_words: int
    launch_items: int  # items leading with a link, under a label naming launches
    parts: int  # distinct "Part N" numbers
    link_share: float  # the share of the text that is link text
    collection_words: int
    lessons: int
    talk_words: int  # in the opening of the article
    questions: int
    question_words: int
    case_study_words: int
    code_blocks: int
    steps: int


def classify(document: Document) -> Kind:
    e = gather_evidence(document)
    if e.prompts >= 15:
        return "checklist"
    if (e.link_headings >= 3 and e.launch_words >= 3) or e.launch_items >= 3:
        return "digest"
    if e.parts >= 3 and (e.collection_words or e.link_share >= 0.2):
        return "collection"
    if e.talk_words and (e.lessons >= 3 or e.talk_words >= 2):
        return "talk"
    if e.questions >= 3 and e.question_words:
        return "qa"
    if e.case_study_words:
        return "case-study"
    if e.code_blocks >= 2 or e.steps >= 3:
        return "tutorial"
    return "article"


def gather_evidence(document: Document) -> Evidence:
    blocks = document.blocks
    text = document.text
    top = subtitle(document)
    headings = [b for b in blocks if b.kind == "heading" and b is not top]
    opening = " ".join(b.text for b in blocks[: max(6, len(blocks) // 6)])
    link_text = sum(len(link.text) for b in blocks for link in b.links)
    return Evidence(
        prompts=_consecutive_prompts(blocks),
        link_headings=sum(1 for h in headings if main_link(h) is not None),
        launch_words=len(LAUNCH_WORDS.findall(text)),
        launch_items=len(launch_items(document)),
        parts=len({m.group(1).lower() for b in blocks for m in PART.finditer(b.text) if b.kind == "heading" or b.links}),
        link_share=link_text / max(1, len(text)),
        collection_words=len(COLLECTION_WORDS.findall(opening)),
        lessons=sum(1 for b in blocks if numbered_lesson(b)),
        talk_words=len(TALK_WORDS.findall(opening)),
        questions=sum(_questions(b) for b in blocks),
        question_words=len(QUESTION_WORDS.findall(" ".join(h.text for h in headings) + " " + opening)),
        case_study_words=len(CASE_STUDY_WORDS.findall("\n".join(b.text for b in blocks))),
        code_blocks=sum(1 for b in blocks if b.kind == "code"),
        steps=sum(1 for b in blocks if (b.kind == "heading" or b.lead) and STEP.match(b.lead or b.text)),
    )


def _questions(block: Block) -> int:
    """Questions set apart: as headings, list items, bold lines or `<br>`-separated lines."""
    if block.lines:
        return sum(1 for line in block.lines if line.endswith("?"))
    return int(block.is_question and (block.kind in ("heading", "item") or block.lead == block.text))


def _consecutive_prompts(blocks: tuple[Block, ...]) -> int:
    """Prompts that follow one another (a template), not questions each followed by an answer (Q&A)."""
    count = 0
    previous_was_prompt = False
    for index, block in enumerate(blocks):
        lines = prompt_lines(block) if len(block.lines) > 1 or _under_label(blocks, index) else []
        if lines:
            count += len(lines)
            previous_was_prompt = True
        elif bold_prompt(block):
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            if previous_was_prompt or following is None or following.kind == "heading" or bold_prompt(following):
                count += 1
            previous_was_prompt = True
        elif block.kind == "heading" and block.text.endswith(":"):
            count += 1  # a field label ("Summary:") in a template
        elif block.kind != "heading":
            previous_was_prompt = False
    return count


def _under_label(blocks: tuple[Block, ...], index: int) -> bool:
    return index > 0 and blocks[index - 1].kind == "heading" and blocks[index - 1].text.endswith(":")

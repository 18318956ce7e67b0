"""What kind of article this is, from its structure and wording (never its title or URL).

The kinds are tried from the most specific shape to the least; the first whose
evidence is strong enough wins, and `article` is what is left.
"""

from __future__ import annotations

import re
from functools import cached_property

from ingest.model.html.document import Block, Document
from ingest.model.extract.shapes import (bold_prompt, launch_items, main_link, numbered_lesson, prompt_lines,
                                          subtitle)
from ingest.model.extract.notes import Kind
from ingest.model.extract.changes import release_lists
from ingest.model.extract.releases import release_features

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


def classify(document: Document) -> Kind:
    e = Evidence(document)
    if e.prompts >= 15:
        return "checklist"
    if (e.link_headings >= 3 and e.launch_words >= 3) or e.launch_items >= 3 or e.release_features \
            or e.release_lists:
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


class Evidence:
    """Counts of the shapes and words that tell the kinds apart, each counted when a rule first asks for it
    (most articles are decided before the searches of their whole text are needed)."""

    def __init__(self, document: Document) -> None:
        self.document, self.blocks = document, document.blocks

    @cached_property
    def prompts(self) -> int:
        """Consecutive questions or fill-in prompts with no answers between them."""
        return _consecutive_prompts(self.blocks)

    @cached_property
    def link_headings(self) -> int:
        return sum(1 for h in self._headings if main_link(h) is not None)

    @cached_property
    def launch_words(self) -> int:
        return len(LAUNCH_WORDS.findall(self._text))

    @cached_property
    def launch_items(self) -> int:
        """Items leading with a link, under a label naming launches."""
        return len(launch_items(self.document))

    @cached_property
    def release_features(self) -> int:
        """Feature headings of release notes (a heading per feature, then a list of fixes)."""
        return len(release_features(self.document))

    @cached_property
    def release_lists(self) -> int:
        """Lists of release notes: highlights, new features, a release's changes (changes.py)."""
        return len(release_lists(self.document))

    @cached_property
    def parts(self) -> int:
        """Distinct "Part N" numbers."""
        return len({m.group(1).lower() for b in self.blocks if b.kind == "heading" or b.links
                    for m in PART.finditer(b.text)})

    @cached_property
    def link_share(self) -> float:
        """The share of the text that is link text."""
        return sum(len(link.text) for b in self.blocks for link in b.links) / max(1, len(self._text))

    @cached_property
    def collection_words(self) -> int:
        return len(COLLECTION_WORDS.findall(self._opening))

    @cached_property
    def lessons(self) -> int:
        return sum(1 for b in self.blocks if numbered_lesson(b))

    @cached_property
    def talk_words(self) -> int:
        """In the opening of the article."""
        return len(TALK_WORDS.findall(self._opening))

    @cached_property
    def questions(self) -> int:
        return sum(_questions(b) for b in self.blocks)

    @cached_property
    def question_words(self) -> int:
        return len(QUESTION_WORDS.findall(" ".join(h.text for h in self._headings) + " " + self._opening))

    @cached_property
    def case_study_words(self) -> int:
        return len(CASE_STUDY_WORDS.findall("\n".join(b.text for b in self.blocks)))

    @cached_property
    def code_blocks(self) -> int:
        return sum(1 for b in self.blocks if b.kind == "code")

    @cached_property
    def steps(self) -> int:
        return sum(1 for b in self.blocks if (b.kind == "heading" or b.lead) and STEP.match(b.lead or b.text))

    @cached_property
    def _text(self) -> str:
        return self.document.text

    @cached_property
    def _headings(self) -> list[Block]:
        top = subtitle(self.document)
        return [b for b in self.blocks if b.kind == "heading" and b is not top]

    @cached_property
    def _opening(self) -> str:
        return " ".join(b.text for b in self.blocks[: max(6, len(self.blocks) // 6)])


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

"""Recognising the shapes of blocks: a heading that is a link, an item that is a link,
a numbered lesson, a prompt to fill in. Shared by the classifier and the extractors."""

from __future__ import annotations

import re

from ingest.model.document import Block, Document, Link

NUMBERED_LESSON = re.compile(
    r"^(?:#\s*(?P<n1>\d{1,2})|(?:lesson|rule|tip|learning)\s+(?:#\s*|n[o°]\.?\s*)?(?P<n2>\d{1,2}))"
    r"\s*[—–\-:.)]\s*(?P<title>\S.*)$",
    re.IGNORECASE,
)
PROMPT_START = re.compile(
    r"^(?:what|how|why|when|where|who|which|do|does|did|is|are|was|were|can|could|should|would|will|have|has|"
    r"describe|explain|list|detail|discuss|define|identify|document|name|state|include|provide)\b",
    re.IGNORECASE,
)
EXAMPLE_LINE = re.compile(r"^(?:examples?\b|e\.\s?g\.|for example|for instance)", re.IGNORECASE)
NOTE_LINE = re.compile(r"^(?:note|nb|disclaimer|tip|caution|warning)\b", re.IGNORECASE)


def main_link(block: Block, coverage: float = 0.6) -> Link | None:
    """The link that makes up most of the block's text, if one does."""
    text_length = len(block.text)
    for link in block.links:
        if link.text and text_length and len(link.text) / text_length >= coverage and link.href.startswith("http"):
            return link
    return None


def is_link_item(block: Block) -> bool:
    """A list item (or one-line paragraph) that is essentially a link."""
    return main_link(block, 0.7) is not None


def subtitle(document: Document) -> Block | None:
    """A heading that opens the article before any text: a subtitle, not a section."""
    for block in document.blocks:
        if block.kind == "heading":
            return block
        if block.kind in ("paragraph", "item") and len(block.text.split()) > 3:
            return None
    return None


def numbered_lesson(block: Block) -> tuple[int, str] | None:
    """(number, title) for a heading or bold lead like '#3 — Invest in people skills'."""
    if block.kind == "heading":
        text = block.text
    elif block.lead and block.lead == block.text:
        text = block.lead
    else:
        return None
    match = NUMBERED_LESSON.match(text)
    if not match:
        return None
    return int(match.group("n1") or match.group("n2")), match.group("title").strip()


def is_prompt(text: str) -> bool:
    """A question or an instruction to fill something in."""
    text = text.strip()
    return bool(text) and (text.endswith("?") or bool(PROMPT_START.match(text)))


def bold_prompt(block: Block) -> bool:
    """A paragraph that opens with a bold question or instruction ("**What is the SLA?** …")."""
    if block.kind != "paragraph" or not block.lead or NOTE_LINE.match(block.lead):
        return False
    lead = block.lead
    complete = lead.endswith(("?", ".", "!", ")")) or block.rest.startswith("(") or not block.rest
    return complete and is_prompt(lead) and len(lead.split()) >= 3


def prompt_lines(block: Block) -> list[str]:
    """The fill-in prompts of an all-italic paragraph: its lines, without intros and examples."""
    if block.kind != "paragraph" or not block.emphasised or block.quoted:
        return []
    lines = block.lines or (block.text,)
    return [line for line in lines if not line.endswith(":") and not EXAMPLE_LINE.match(line)
            and not NOTE_LINE.match(line)]

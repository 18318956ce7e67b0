"""Recognising the shapes of blocks: a heading that is a link, an item that is a link,
a numbered lesson, a prompt to fill in. Shared by the classifier and the extractors."""

from __future__ import annotations

import re

from ingest.model.html.document import Block, Document, Link

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


# A label that names what a list of links holds: launches, announcements, releases, what's new.
LAUNCH_LABEL = re.compile(
    r"\b(?:launch(?:es|ed)?|announcements?|announced|releases?|released|what[’']?s new|new features?|"
    r"product updates?)\b", re.IGNORECASE)
LABEL_DISTANCE = 2  # blocks between a label and its list: "Last week's launches" / "Here are …:" / the list
MAX_LABEL_WORDS = 12


def leads_with_link(block: Block) -> Link | None:
    """The link an item opens with ("[Amazon S3 now supports tags](…) – Amazon S3 now …"), if it does."""
    if not block.links:
        return None
    link = block.links[0]
    opening = block.text.lstrip(" •*-–—·")
    if link.text and link.href.startswith("http") and opening.startswith(link.text) and len(link.text.split()) >= 2:
        return link
    return None


def launch_items(document: Document) -> list[Block]:
    """Items that lead with a link, in lists under a heading, bold line or label naming launches.

    The shape of a roundup ("**Last week's launches** Here are the launches that got my
    attention: • [Launch](…) – what it does"), of "Other noticeable launches" and of
    release notes. A reading list or a collection is a list of links too, but no
    label calls its items launches.
    """
    blocks = document.blocks
    found: list[Block] = []
    labelled: dict[int, bool] = {}
    run_labelled = False  # whether the run of items the current item is in has a label before it
    for index, block in enumerate(blocks):
        if block.kind != "item":
            continue
        if index == 0 or blocks[index - 1].kind != "item":
            run_labelled = _launch_label_before(blocks, index)
        if block.list_id is None:
            continue
        # Consecutive items, of one list or of several (split by the feed's HTML: "• A" "• B"),
        # share the label before their run: each list is labelled by the run its first item is in.
        if block.list_id not in labelled:
            labelled[block.list_id] = run_labelled
        if labelled[block.list_id] and leads_with_link(block):
            found.append(block)
    return found


def _launch_label_before(blocks: tuple[Block, ...], index: int) -> bool:
    """Whether one of the few blocks before a run of items starting at `index` is a label naming launches."""
    for seen, position in enumerate(range(index - 1, max(index - 2 - LABEL_DISTANCE, -1), -1), start=1):
        block = blocks[position]
        if block.kind == "item":
            return False
        if _is_label(block) and LAUNCH_LABEL.search(block.text):
            return True
        if seen > LABEL_DISTANCE or block.kind == "heading":
            return False
    return False


def _is_label(block: Block) -> bool:
    """A heading, a bold line, a lead-in ending with a colon, or a short line: what names a list."""
    short = len(block.text.split()) <= MAX_LABEL_WORDS
    return block.kind == "heading" or (block.kind == "paragraph" and (
        (block.lead and block.lead == block.text) or block.text.rstrip().endswith(":") or short))

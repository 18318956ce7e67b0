"""Titles, not prose: the text of an article that names things without saying anything about them.

A pattern page quotes what an article says about a pattern. These are not passages:

- a heading (a paragraph all in bold is one when it is not a sentence: a
  checklist's bold questions are passages);
- a heading's text repeated elsewhere, numbering aside ("(1) Canary with Route 53"
  as a heading, "Canary with Route 53" as a caption or a link under it);
- a table of contents: a paragraph made of several headings' texts, or of numbered titles;
- a link's text standing alone: the title of the page it links to;
- a label: a short line that is not a sentence (no closing punctuation), or one
  whose words are mostly capitalised ("Canary Deployment applied to Chaos
  Engineering experiment."): a caption, a list item that only names things.
"""

from __future__ import annotations

import re

from ingest.model.html.document import Block, Document
from ingest.model.extract.shapes import main_link

# "(1) ", "1. ", "1 — ", "2) ", "iv. ", "Step 3: " before a title
NUMBERING = re.compile(r"^\s*(?:step\s+\d{1,3}\s*[:.)—–-]?|\(?\d{1,3}[a-z]?\s*[.)\]:—–-]+|\(?[ivx]{1,4}[.)]+)\s*",
                       re.IGNORECASE)
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
SENTENCE_END = re.compile(r"[.!?…:;][\"”’')\]]*\s*$")
LABEL_WORDS = 8  # a line shorter than this without closing punctuation names something
TITLE_CASE_WORDS = 12  # a line this short, mostly capitalised, is a title
TITLE_CASE_SHARE = 0.6  # of its words of four letters or more
NUMBERED_TITLE = re.compile(r"(?:^|\s)\(?\d{1,2}\s*[—–.)-]\s+[A-Z]")
NUMBERED_TITLES = 3
CONTENTS_TITLES = 2  # headings' texts that make a paragraph a table of contents
CONTENTS_SHARE = 0.6  # of its words
LINK_SHARE = 0.9  # a block that is this much one link is the title of the page it links to
MAX_TITLE_WORDS = 12  # longer headings are not looked for in a table of contents


def is_heading(block: Block) -> bool:
    """A heading, or a paragraph all in bold (one made a heading by hand, or a list of section titles)."""
    return block.kind == "heading" or (block.kind == "paragraph" and bool(block.lead) and block.lead == block.text)


def title_key(text: str) -> str:
    """A title's words, lower case, numbering and punctuation left out: what two copies of it share."""
    return " ".join(WORD.findall(NUMBERING.sub("", text, count=1).casefold()))


class Titles:
    """The titles of one document, to tell its passages from them."""

    def __init__(self, document: Document) -> None:
        self._keys = {key for block in document.blocks
                      if block.kind == "heading" or (is_heading(block) and is_label(block.text))
                      if (key := title_key(block.text))}

    def is_title(self, block: Block, passage: str) -> bool:
        """Whether `passage` (of `block`) is a title, not something said."""
        if block.kind == "heading" or main_link(block, LINK_SHARE) is not None:
            return True
        key = title_key(passage)
        return key in self._keys or self._is_contents(key) or is_label(passage) or _numbered_titles(passage)

    def _is_contents(self, key: str) -> bool:
        words = key.split()
        if len(words) < CONTENTS_TITLES:
            return False
        # Every run of up to MAX_TITLE_WORDS words is looked up: linear in the passage,
        # whatever the number of headings.
        covered: set[int] = set()
        titles = 0
        start = 0
        while start < len(words):
            length = next((n for n in range(min(MAX_TITLE_WORDS, len(words) - start), 0, -1)
                           if " ".join(words[start:start + n]) in self._keys), 0)
            if length:
                titles += 1
                covered.update(range(start, start + length))
            start += length or 1
        return titles >= CONTENTS_TITLES and len(covered) >= CONTENTS_SHARE * len(words)


def _numbered_titles(passage: str) -> bool:
    """A run of numbered titles ("1 — Architecture 2 — Failures and Impact 3 — …"): a table of contents
    whose entries need not be the headings' words."""
    return len(NUMBERED_TITLE.findall(passage)) >= NUMBERED_TITLES and not SENTENCE_END.search(passage)


def is_label(passage: str) -> bool:
    """A line that names something rather than says something: short and unpunctuated, or in Title Case."""
    words = WORD.findall(NUMBERING.sub("", passage, count=1))
    if len(words) < LABEL_WORDS and not SENTENCE_END.search(passage):
        return True
    if len(words) >= TITLE_CASE_WORDS or passage.rstrip().endswith("?"):
        return False
    long = [w for w in words if len(w) >= 4]
    capitalised = sum(1 for w in long if w[0].isupper())
    return len(long) >= 3 and capitalised >= TITLE_CASE_SHARE * len(long)

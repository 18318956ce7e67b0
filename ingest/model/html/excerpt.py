"""Whether an entry's body is only the feed's excerpt of the article, told by how it ends.

A feed that gives only a teaser says so in one of two ways, neither of them in words of
its own that we could look up:
- it marks the cut: the text ends in a bracketed ellipsis ("[…]", "[...]", "(more…)") or in
  a link that asks to read on ("Read more", "Continue reading →"), which the boilerplate
  pass may since have removed;
- it cuts without a mark: the entry has only a summary (no content element), and that
  summary stops in the middle of a sentence: its last paragraph, of some length, does
  not end with a sentence's closing punctuation in any script.

A whole article that only happens to end without a full stop (a list, a heading, a code
block, lines broken by <br>, a one-line signature, a link) is not taken for an excerpt: only
a paragraph of prose counts, and only in an entry that has no content but its summary. A
bare ellipsis counts the same way: a chat quote ends in one as often as a cut teaser.
"""

from __future__ import annotations

import re

from ingest.model.html.document import Block, Document
from ingest.model.html.htmltree import Element, text_of
from ingest.text import squash

# The marks of a cut: WordPress's bracketed ellipsis ("[…]", "[...]", "(more…)"), anywhere; a bare one ("…",
# "...", not four dots or more, which is the author's) only where the text is a summary that may be cut.
BRACKETED_ELLIPSIS = re.compile(r"(?:\[\s*(?:…|\.\.\.)\s*\]|\(\s*(?:more\s*)?(?:…|\.\.\.)\s*\))[\s»›→.]*$")
BARE_ELLIPSIS = re.compile(r"(?:…|(?<!\.)\.\.\.)[\s»›→]*$")
# The text of a link that asks to read on: the link is the platform's, its words are not the author's.
READ_ON = re.compile(r"^\W*(?:(?:read|continue|keep)\s+(?:reading|more|on)|read\s+the\s+(?:rest|full|whole|entire)\b.*"
                     r"|more)\W*$", re.IGNORECASE)
READ_ON_MAX_WORDS = 8
# A cut lands inside a word or a clause: the text ends in a letter, a digit or a comma, once trailing
# emoji and symbols are set aside. A sentence's end in any script, a closing quote or bracket, a colon
# (before an embed the cleaner removed) is how a whole text ends.
MID_SENTENCE = re.compile(r"[\w,;\-–—]$")
TRAILING_SYMBOLS = re.compile(r"[\s\u200d\ufe0f\U0001f000-\U0001faff\u2600-\u27bf]+$")
MIN_UNFINISHED_WORDS = 8  # a shorter last paragraph is a caption or a sign-off more often than a cut sentence
MIN_UNFINISHED_CHARACTERS = 40  # the same, for text written without spaces


def marked_as_cut(root: Element) -> bool:
    """Whether the tree's text ends in an ellipsis, or its last link asks to read on with nothing after it."""
    text = squash(text_of(root, " "))
    if BRACKETED_ELLIPSIS.search(text[-40:]):
        return True
    links = list(root.iter("a"))
    if not links:
        return False
    label = squash(text_of(links[-1], " "))
    if not label or len(label.split()) > READ_ON_MAX_WORDS or not READ_ON.match(label):
        return False
    return text.endswith(label) or re.sub(r"[\W_]+$", "", text).endswith(re.sub(r"[\W_]+$", "", label))


def stops_mid_sentence(document: Document) -> bool:
    """Whether the last block is a paragraph of some length that stops inside a word or clause, or on a bare ellipsis.

    A paragraph that ends with a link's text (a citation, an address, "Part 4") ends where the author put the link.
    """
    last = _last_paragraph(document)
    if last is None:
        return False
    text = TRAILING_SYMBOLS.sub("", last.text)
    if BARE_ELLIPSIS.search(text):
        return True
    if len(text.split()) < MIN_UNFINISHED_WORDS and len(text) < MIN_UNFINISHED_CHARACTERS:
        return False
    if any(link.text and text.endswith(link.text) for link in last.links):
        return False
    return MID_SENTENCE.search(text) is not None


def _last_paragraph(document: Document) -> Block | None:
    """The last block, when it is one paragraph of prose (not lines broken by <br>, a list, a heading, code)."""
    if not document.blocks:
        return None
    last = document.blocks[-1]
    return last if last.kind == "paragraph" and not last.lines else None


def is_excerpt(marked: bool, summary_only: bool, document: Document) -> bool:
    """The rule: a marked cut, or a summary-only entry that stops mid-sentence or on a bare ellipsis."""
    return marked or (summary_only and stops_mid_sentence(document))

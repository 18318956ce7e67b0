"""Character references that reach the text still spelled out, decoded once.

A feed that escapes its HTML twice (Blogger's text summaries, quote sites that escape what
their readers typed) leaves `&nbsp;`, `&#39;` or `&amp;` in the text itself, which a page
would show letter for letter. Each string of the tree is read once more as a character
reference: only a complete reference (named, decimal or hexadecimal, with its semicolon) is
decoded, and what it gives stays text: a decoded `&lt;script&gt;` is the text "<script>",
which the serialiser escapes again. Code is left as written, where an author shows an entity.
"""

from __future__ import annotations

import html
import re

from ingest.model.html.htmltree import Element, pieces, set_piece

# The semicolon is required: "?a=1&copy=2" in a URL written out as text is not a reference.
REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
CODE = frozenset(("pre", "code", "kbd", "samp", "tt", "xmp", "listing", "plaintext"))


def decode_spelled_references(root: Element) -> int:
    """Decode, in place, the character references spelled out in the tree's text; returns how many strings changed."""
    changed = 0
    for text, inside, holder, is_tail in list(pieces(root)):
        if "&" not in text or REFERENCE.search(text) is None or _in_code(inside, root):
            continue
        decoded = REFERENCE.sub(_decode, text)
        if decoded != text:
            set_piece(holder, is_tail, decoded)
            changed += 1
    return changed


def decode_text(text: str) -> str:
    """One string's spelled-out references decoded once (for a title or a plain-text field)."""
    return REFERENCE.sub(_decode, text) if "&" in text else text


def _decode(match: re.Match) -> str:
    # html.unescape maps a reference it does not know to itself, an invalid code point to U+FFFD
    # and a control character to nothing: never a character an XML output could not hold.
    return html.unescape(match.group(0))


def _in_code(element: Element, root: Element) -> bool:
    current = element
    while current is not None:
        if current.tag in CODE:
            return True
        if current is root:
            return False
        current = current.getparent()
    return False

"""Remove a feed's document type declaration before anything parses it.

A DTD is where XML attacks live: entity declarations that expand a few
kilobytes into gigabytes (billion laughs, quadratic blow-up) and external
entities that read local files or other hosts. Feeds have no use for one, so
the declaration, with its internal subset, is cut from the prologue before
feedparser sees the bytes. References to the entities it declared are then
undefined, and stay as the literal text `&name;`: nothing is expanded, and
parsing time and memory stay linear in the size of the feed (which the fetch
caps). Only the prologue is touched; a "<!DOCTYPE" inside an entry's text is
content, not a declaration.
"""

from __future__ import annotations

import codecs
import re

UTF16_32 = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
    (b"<\0\0\0", "utf-32-le"), (b"\0\0\0<", "utf-32-be"), (b"<\0?\0", "utf-16-le"), (b"\0<\0?", "utf-16-be"),
)
PROLOGUE_PART = re.compile(r"\s+|<\?.*?\?>|<!--.*?-->", re.DOTALL)
DOCTYPE = re.compile(r"<!DOCTYPE\b", re.IGNORECASE)
ENCODING_DECLARATION = re.compile(r"""(<\?xml[^>]*?encoding\s*=\s*)(["'])[^"']*\2""")


def strip_doctype(body: bytes) -> tuple[bytes, bool]:
    """The feed without its DOCTYPE declaration, and whether there was one."""
    for mark, codec in UTF16_32:
        if body.startswith(mark):
            text = body.decode(codec, errors="replace")
            stripped, found = _strip(text)
            if not found:
                return body, False
            # Handed on as UTF-8, so the declaration must say so.
            stripped = ENCODING_DECLARATION.sub(r"\1\2utf-8\2", stripped.lstrip("\ufeff"), count=1)
            return stripped.encode("utf-8"), True
    # Every other encoding a feed uses keeps ASCII as it is, so latin-1 maps bytes to
    # characters one to one and back without changing any of them.
    stripped, found = _strip(body.decode("latin-1"))
    return (stripped.encode("latin-1"), True) if found else (body, False)


def _strip(text: str) -> tuple[str, bool]:
    position = 1 if text.startswith("\ufeff") else 0
    while True:
        part = PROLOGUE_PART.match(text, position)
        if part is None or part.end() == position:
            break
        position = part.end()
    if not DOCTYPE.match(text, position):
        return text, False
    end = _end_of_declaration(text, position + len("<!DOCTYPE"))
    return text[:position] + text[end:], True


def _end_of_declaration(text: str, position: int) -> int:
    """The index after the declaration's closing '>', minding quotes, comments and the internal subset."""
    depth = 0
    quote = ""
    length = len(text)
    while position < length:
        ch = text[position]
        if quote:
            if ch == quote:
                quote = ""
        elif text.startswith("<!--", position):
            close = text.find("-->", position + 4)
            position = length if close < 0 else close + 2
        elif ch in "\"'":
            quote = ch
        elif ch == "[":
            depth += 1
        elif ch == "]":
            depth = max(0, depth - 1)
        elif ch == ">" and depth == 0:
            return position + 1
        position += 1
    return length  # an unterminated declaration: everything after it was part of it

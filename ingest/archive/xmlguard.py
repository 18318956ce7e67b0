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



# A character reference, or a part of the document where '&#' is not one (CDATA, comments).
REFERENCE_OR_SKIP = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,64})|([0-9]{1,64}));|<!\[CDATA\[|<!--")
REPLACEMENT = "&#xFFFD;"


def prepare_document(body: bytes) -> tuple[bytes, bool, int]:
    """The feed as feedparser should see it: DOCTYPE cut, bad character references replaced.

    Returns the bytes, whether a DOCTYPE was cut, and how many references were replaced.
    """
    body, doctype_removed = strip_doctype(body)
    text, codec = _as_text(body)
    repaired, replaced = repair_references(text)
    if repaired is text:
        return body, doctype_removed, 0
    if codec == "latin-1":
        return repaired.encode("latin-1"), doctype_removed, replaced
    repaired = ENCODING_DECLARATION.sub(r"\1\2utf-8\2", repaired.lstrip("\ufeff"), count=1)
    return repaired.encode("utf-8"), doctype_removed, replaced


def repair_references(text: str) -> tuple[str, int]:
    """`text` with every character reference to a code point XML forbids made `&#xFFFD;`, and how many.

    A reference to a surrogate, a control character, a non-character or a number beyond
    U+10FFFF makes expat stop and feedparser's fallback parser raise: one item would cost
    its whole feed. A high and a low surrogate written as two references (UTF-16 taken for
    code points, the usual form of a broken emoji) are joined into the character they
    meant. CDATA sections and comments hold no references and are skipped. The text is
    returned as it is (the same object) when nothing needed repair; one pass, linear.
    """
    pieces: list[str] = []
    replaced = 0
    done = position = 0
    while (found := REFERENCE_OR_SKIP.search(text, position)) is not None:
        if found.group(0) in ("<![CDATA[", "<!--"):
            close = text.find("]]>" if found.group(0) == "<![CDATA[" else "-->", found.end())
            if close < 0:
                break
            position = close + 3
            continue
        position = found.end()
        code = _code_point(found)
        if _allowed(code):
            continue
        following = REFERENCE_OR_SKIP.match(text, position)
        low = _code_point(following) if following and following.group(0).startswith("&#") else -1
        if 0xD800 <= code <= 0xDBFF and 0xDC00 <= low <= 0xDFFF:
            fixed = f"&#x{0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00):X};"
            position = following.end()
        else:
            fixed = REPLACEMENT
            replaced += 1
        pieces += [text[done:found.start()], fixed]
        done = position
    if not pieces:
        return text, 0
    pieces.append(text[done:])
    return "".join(pieces), replaced


def _code_point(reference: re.Match) -> int:
    """The number a reference names; -1 for one too long to be any character."""
    digits = reference.group(1) or reference.group(2)
    base = 16 if reference.group(1) else 10
    digits = digits.lstrip("0") or "0"
    return int(digits, base) if len(digits) <= 8 else -1


def _allowed(code: int) -> bool:
    """Whether XML 1.0 allows the character, and it is not a Unicode non-character."""
    if code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF:
        return not (0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE)
    return False


def _as_text(body: bytes) -> tuple[str, str]:
    """The document as text: by its UTF-16/32 mark, else latin-1 (every byte one character, ASCII kept)."""
    for mark, codec in UTF16_32:
        if body.startswith(mark):
            return body.decode(codec, errors="replace"), codec
    return body.decode("latin-1"), "latin-1"

"""Small text functions shared by the stages: slugs, whitespace, and escaping feed text."""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import urlsplit

# Characters that Markdown (or an extension) may read as syntax, written as numeric
# character references so that feed text always renders as the literal text.
_MARKDOWN_ACTIVE = set("\\`*_{}[]()<>#+-.!|~:&\"'=$%^@/")
_MARKDOWN_REFERENCES = str.maketrans({ch: f"&#{ord(ch)};" for ch in _MARKDOWN_ACTIVE})


def slugify(text: str) -> str:
    """Lowercase ASCII words joined by hyphens; look-alike letters fold to ASCII or vanish."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def shorten_slug(slug: str, limit: int) -> str:
    """Cut a slug to at most `limit` characters, at a word boundary when there is one."""
    if len(slug) <= limit:
        return slug
    cut = slug[:limit + 1].rsplit("-", 1)[0]
    return cut if len(cut) >= limit // 2 else slug[:limit].rstrip("-")


SURROGATE = re.compile("[\ud800-\udfff]")


def replace_surrogates(text: str) -> str:
    """`text` with every lone surrogate made U+FFFD: such a string cannot be written as UTF-8.

    JSON's `"\\ud800"` decodes to one; a file or page with it in cannot be written.
    """
    return text if text.isascii() else SURROGATE.sub("\ufffd", text)


def squash(text: str | None) -> str:
    """Collapse every run of whitespace (including no-break and hair spaces) to one space."""
    return " ".join((text or "").split())


def escape_html(text: str) -> str:
    """Text for an HTML element or a double-quoted attribute."""
    return html.escape(text, quote=True)


def escape_markdown(text: str) -> str:
    """Feed text that must come out of Markdown as exactly that text, never as markup.

    Punctuation becomes numeric character references, which Markdown passes
    through and the browser shows as the character: no emphasis, link, HTML,
    template or snippet syntax can survive in it.
    """
    return squash(text).translate(_MARKDOWN_REFERENCES)


def is_http_url(value: object) -> bool:
    """True for an absolute http(s) URL with a host."""
    if not isinstance(value, str):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


# Characters that may not reach a terminal, a log or a CI job as they are: C0 and C1 controls
# (newlines, ANSI escapes), DEL, the Unicode line and paragraph separators, and the bidi controls
# that reorder the rest of a line.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def one_line(text: object) -> str:
    """Text from the network as one inert line: control characters shown as `\\xNN` escapes.

    Nothing in it can end the line, move the cursor, colour the output, or start a GitHub
    Actions workflow command (`::add-mask::` at the start of a line, `##[` anywhere in one).
    """
    line = _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                            else f"\\u{ord(m.group()):04x}", str(text))
    line = line.replace("##[", "#\\x23[")
    stripped = line.lstrip()
    if stripped.startswith("::"):
        line = line[:len(line) - len(stripped)] + "\\x3a" + stripped[1:]
    return line


def iso_utc(year: int, month: int, day: int, hour: int, minute: int, second: int) -> str:
    """An ISO 8601 UTC timestamp with a four-digit year (`strftime('%Y')` writes year 1 as `1`)."""
    return f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}Z"

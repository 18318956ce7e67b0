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

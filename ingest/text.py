"""Small text functions shared by the stages: slugs, whitespace, characters XML forbids, and escaping feed text."""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import urlsplit

# Characters that Markdown (or an extension) may read as syntax, written as numeric
# character references so that feed text always renders as the literal text.
_MARKDOWN_ACTIVE = set("\\`*_{}[]()<>#+-.!|~:&\"'=$%^@/")
_MARKDOWN_REFERENCES = str.maketrans({ch: f"&#{ord(ch)};" for ch in _MARKDOWN_ACTIVE})


# A page named by an id lives in a folder whose own page the site makes: an id or slug with that page's
# name ("index"), or with the name of a listing's next page ("retry-2"), would take another page's place.
FOLDER_PAGE = "index"
LISTING_PAGE = re.compile(r".*-[0-9]+")


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


# What XML 1.0 does not allow (C0 controls but tab and line breaks, lone surrogates, U+FFFE and U+FFFF),
# and the other non-characters (U+FDD0-U+FDEF, the last two code points of every plane): one NUL in a
# title would make the site's feed.xml ill-formed, and none of them is text.
# Written as the characters allowed (a negated class of ranges), which the regex engine tests far faster
# than a class listing the non-characters of every plane.
_NOT_TEXT = re.compile("[^\t\n\r -\ud7ff\ue000-\ufdcf\ufdf0-\ufffd"
                       + "".join(f"{chr(plane << 16)}-{chr(plane << 16 | 0xFFFD)}" for plane in range(1, 17)) + "]")
_SEPARATORS = str.maketrans({"\x0b": " ", "\x0c": " "})  # a vertical tab or form feed parts words


def xml_safe(text: str) -> str:
    """`text` without the characters XML 1.0 forbids and the Unicode non-characters."""
    if _NOT_TEXT.search(text) is None:
        return text
    return _NOT_TEXT.sub("", text.translate(_SEPARATORS))


def xml_safe_data(value: object) -> object:
    """A parsed entry (dicts, lists and strings, as JSON gives them) with every string made xml_safe;
    the entry itself when none holds such a character (almost every entry: nothing is copied)."""
    return _xml_safe_copy(value) if _holds_not_text(value) else value


def _holds_not_text(value: object) -> bool:
    if isinstance(value, str):
        return _NOT_TEXT.search(value) is not None
    if isinstance(value, dict):
        return any(_holds_not_text(k) or _holds_not_text(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(_holds_not_text(v) for v in value)
    return False


def _xml_safe_copy(value: object) -> object:
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, dict):
        return {xml_safe(k) if isinstance(k, str) else k: _xml_safe_copy(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_xml_safe_copy(v) for v in value]
    return value


# Explicit direction controls (embeddings, overrides, isolates): in a name shown inline they would
# reorder what follows it on the line ("by <name> · 5 min read"). Marks (U+200E, U+200F) stay.
_DIRECTION_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_INVISIBLE = frozenset(("Cc", "Cf", "Zs", "Zl", "Zp"))  # controls, format characters (U+200B…), spaces


def inline_text(text: str | None, limit: int) -> str:
    """Feed text shown on one line (a title, an author, a tag): whitespace squashed, no direction controls,
    nothing if only invisible characters are left, at most `limit` characters (cut at a word, with "…")."""
    text = squash(_DIRECTION_CONTROLS.sub("", text or ""))
    if all(unicodedata.category(ch) in _INVISIBLE for ch in text):
        return ""  # only format characters (zero-width spaces, joiners) and spaces: shows as nothing
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[limit // 2:limit] else text[:limit - 1]
    return cut.rstrip(" ,;:—–-") + "…"

"""Entry ids: readable, stable, file-name-safe, made once and never changed.

An id is a slug plus a hash of the entry's key (its guid or link): the slug for
people, the hash for uniqueness. The slug comes from the key's last part when
that says something ("ten-lessons-from-twelve-years-of-aws-59b2"); when the key is
opaque (digits, hex, a blog/post number, a uuid, a bare host name) it comes from
the entry's title, transliterated to ASCII. The archive finds an entry again by
the hash, whatever slug it was given (store.py), so a later change of title or
of these rules never gives an archived entry a second id.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import urlsplit

from anyascii import anyascii

from ingest.text import shorten_slug, slugify

SLUG_LIMIT = 48
# Words that name the kind of thing a platform numbers, not the entry.
STRUCTURAL_WORDS = frozenset({"p", "id", "post", "posts", "blog", "blogs", "entry", "entries", "item", "items",
                              "guid", "tag", "urn", "uuid", "node", "story", "article", "page", "html", "htm",
                              "php", "aspx", "www", "com", "org", "net"})
HOST = re.compile(r"^[\w-]+(?:\.[\w-]+)+$")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)


URL_START = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*://)([^/?#]*)")


def candidate_ids(key: str, title: str | None = None, scope: str | None = None) -> tuple[str, str]:
    """The id for `key`, short hash first, then a longer hash for the rare clash of short ones.

    With a `scope` (the feed's name) the hash is of the scope and the key: the id of an
    entry whose guid another feed's entry already has.
    """
    digest = key_digest(key if scope is None else scoped_key(scope, key))
    slug = entry_slug(key, title)
    return f"{slug}-{digest[:10]}", f"{slug}-{digest[:24]}"


def scoped_key(feed: str, key: str) -> str:
    """What the hash of a feed's entry is taken of when another feed has an entry with the same key."""
    return f"{feed}\n{key}"


def identity(key: str) -> str:
    """The form of a key that says which entry it is: Unicode NFC, a URL's scheme and host in lower case.

    Two spellings of one guid (composed and decomposed accents; `HTTPS://Example.com/a`
    and `https://example.com/a`) are one entry. The rest of a URL (its path, its query)
    and any other guid keep their case: `/Post` and `/post` may be two pages.
    """
    key = unicodedata.normalize("NFC", key)
    start = URL_START.match(key)
    if start is None:
        return key
    scheme, netloc = start.groups()
    user, at, host = netloc.rpartition("@")
    return f"{scheme.lower()}{user}{at}{host.lower()}{key[start.end():]}"


def entry_id(key: str, title: str | None = None) -> str:
    """The id an entry gets unless another key already took it."""
    return candidate_ids(key, title)[0]


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def entry_slug(key: str, title: str | None = None) -> str:
    """The readable part of the id: from the key when it is readable, else from the title."""
    tail = _last_segment(key)
    if title and is_opaque(_identifying_part(key)):
        from_title = shorten_slug(slugify(anyascii(title)), SLUG_LIMIT)
        if from_title:
            return from_title
    return shorten_slug(slugify(tail), SLUG_LIMIT) or "entry"


def is_opaque(tail: str) -> bool:
    """Whether a key's last part says nothing a reader could use: numbers, hex, host names, "post" words."""
    if HOST.match(tail.strip()):
        return True
    tail = UUID.sub(" ", tail)
    for word in slugify(tail).split("-"):
        if word and word not in STRUCTURAL_WORDS and not word.isdigit() and not _hex_number(word):
            return False
    return True


def _identifying_part(key: str) -> str:
    """What in the key tells entries of one feed apart: a URL's last path segment and query, else its last piece."""
    parts = urlsplit(key) if "://" in key else None
    if parts and parts.netloc:
        segments = [s for s in parts.path.split("/") if s]
        return f"{segments[-1] if segments else ''} {parts.query}".strip() or parts.netloc
    return _last_segment(key)


def _hex_number(word: str) -> bool:
    return len(word) >= 6 and bool(re.fullmatch(r"[0-9a-f]+", word)) and any(c.isdigit() for c in word)


def _last_segment(key: str) -> str:
    parts = urlsplit(key) if "://" in key else None
    if parts and parts.netloc:
        segments = [s for s in parts.path.split("/") if s]
        tail = segments[-1] if segments else parts.netloc
        return f"{tail} {parts.query}".strip()
    pieces = [p for p in re.split(r"[:/]", key) if p.strip()]
    return pieces[-1] if pieces else key

"""Sentences and words: the little language processing the extractors share."""

from __future__ import annotations

import re
from functools import lru_cache

STOP_WORDS = frozenset("""
a an the and or but if of to in on at by for with from as is are was were be been being it its this that these
those there their they them you your we our us i me my he she his her not no so than then too very can could
will would should do does did done have has had into about over under up down out all any each more most some
such only own same just also now new what which who whom how why when where while after before again
""".split())


def sentences(text: str) -> list[str]:
    """Split running text into sentences (at . ! ? followed by a capital, a quote or a bracket)."""
    parts = re.split(r"(?<=[.!?…])\s+(?=[A-Z0-9“\"‘'(\[])", text.strip())
    return [p.strip() for p in parts if p.strip()]


def content_words(text: str) -> set[str]:
    """The meaningful words of `text`, lower case and lightly stemmed ("embraces" -> "embrac")."""
    return {stem(w) for w in re.findall(r"[\w’']+", text.casefold()) if w not in STOP_WORDS and len(w) > 1}


@lru_cache(maxsize=1 << 14)  # the same few thousand words come back in every article
def stem(word: str) -> str:
    for suffix in ("ations", "ation", "ings", "ing", "ies", "es", "ed", "s", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def word_count(text: str) -> int:
    return len(text.split())


def strip_numbering(text: str) -> str:
    """'1 — Architecture' -> 'Architecture'; '2- Randomly stopping…' -> 'Randomly stopping…'."""
    return re.sub(r"^\(?\d{1,3}\s*[—–\-.:)]\s*", "", text).strip()


def strip_quotes(text: str) -> str:
    return text.strip().strip("“”\"‘’'").strip()

"""An article's language and writing direction: from what the feed declares, else from its script.

A declared language is trusted unless the text plainly contradicts it: a feed
template that says `en-us` above posts written in Persian is the template's
default, not the posts' language. Script detection only counts letters, so it
says "Arabic script" or "Hebrew" with certainty and the language within a
script from the letters only some languages use (Persian پ چ ژ گ, Urdu ٹ ڈ ڑ ے).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

# Languages written right to left (ISO 639-1/-3 codes, the part before any region).
RTL_LANGUAGES = frozenset({"ar", "fa", "ur", "he", "iw", "yi", "ps", "sd", "ug", "ku", "ckb", "dv", "syr", "arc"})
# The script each Unicode letter name starts with -> the language to assume when nothing is declared.
SCRIPT_LANGUAGES = {"ARABIC": "ar", "HEBREW": "he", "CYRILLIC": "ru", "GREEK": "el", "HIRAGANA": "ja",
                    "KATAKANA": "ja", "HANGUL": "ko", "CJK": "zh", "THAI": "th", "DEVANAGARI": "hi",
                    "ARMENIAN": "hy", "GEORGIAN": "ka", "SYRIAC": "syr", "THAANA": "dv"}
PERSIAN_LETTERS = set("پچژگکی")  # also used in Urdu (told apart by URDU_LETTERS first); Arabic writes ك ي
URDU_LETTERS = set("ٹڈڑںےۓ")
LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(?:[-_][a-z0-9]{2,8})*$", re.IGNORECASE)
SCRIPT_NAME_END = re.compile(r"[ -]")
SAMPLE = 4000  # characters of text looked at: enough to tell a script, cheap on long articles


def language_of(declared: str | None, text: str) -> str | None:
    """The language of `text`: the declared tag (normalised), unless the script says otherwise."""
    tag = _normalise(declared)
    script = dominant_script(text)
    if script is None:
        return tag
    if tag is not None and _script_fits(tag, script):
        return tag
    return _language_in_script(script, text)


def direction_of(language: str | None) -> str:
    """`rtl` for a language written right to left, else `ltr`."""
    return "rtl" if language and language.split("-")[0].lower() in RTL_LANGUAGES else "ltr"


def dominant_script(text: str) -> str | None:
    """The script most letters of `text` are written in ("LATIN", "ARABIC", …); None without letters."""
    counts: Counter[str] = Counter()
    # Each letter's script is looked up once per letter, not once per occurrence; the scripts
    # are still counted in the order their first letter appears (most_common breaks ties so).
    for char, n in Counter(text[:SAMPLE]).items():
        if char.isalpha():
            counts[_script(char)] += n
    if not counts:
        return None
    # Japanese mixes kanji (CJK) with kana and often Latin product names: count them as one.
    kana = counts.pop("HIRAGANA", 0) + counts.pop("KATAKANA", 0)
    if kana:
        counts["HIRAGANA"] = kana + counts.pop("CJK", 0)
    # Texts in other scripts quote Latin names and code ("Movable Type", "GitHub"); the
    # reverse is rare. So a script other than Latin wins from a third of the letters.
    others = [(n, s) for s, n in counts.items() if s != "LATIN"]
    if others and max(others)[0] >= sum(counts.values()) / 3:
        return max(others)[1]
    return counts.most_common(1)[0][0]


@lru_cache(maxsize=8192)
def _script(letter: str) -> str:
    """The script a letter's Unicode name starts with ("LATIN" for "LATIN SMALL LETTER A")."""
    name = unicodedata.name(letter, "")
    return SCRIPT_NAME_END.split(name, maxsplit=1)[0] if name else "UNKNOWN"


def _language_in_script(script: str, text: str) -> str | None:
    if script == "ARABIC":
        letters = set(text[:SAMPLE])
        if letters & URDU_LETTERS:
            return "ur"
        if letters & PERSIAN_LETTERS:
            return "fa"
    return SCRIPT_LANGUAGES.get(script)


def _script_fits(tag: str, script: str) -> bool:
    """Whether a text mostly in `script` can be in the language `tag`."""
    base = tag.split("-")[0].lower()
    expected = {language: s for s, language in SCRIPT_LANGUAGES.items()}
    expected.update({"fa": "ARABIC", "ur": "ARABIC", "ps": "ARABIC", "sd": "ARABIC", "ug": "ARABIC",
                     "ckb": "ARABIC", "yi": "HEBREW", "iw": "HEBREW", "uk": "CYRILLIC", "bg": "CYRILLIC",
                     "sr": "CYRILLIC", "mk": "CYRILLIC", "be": "CYRILLIC", "kk": "CYRILLIC", "ja": "HIRAGANA",
                     "mr": "DEVANAGARI", "ne": "DEVANAGARI"})
    if base == "ja":
        return script in ("HIRAGANA", "KATAKANA", "CJK")
    if base == "zh":
        return script == "CJK"
    return expected.get(base, "LATIN") == script


def _normalise(declared: str | None) -> str | None:
    if not isinstance(declared, str):
        return None
    tag = declared.strip().replace("_", "-")
    if not LANGUAGE_TAG.match(tag):
        return None
    parts = tag.split("-")
    return "-".join([parts[0].lower()] + [p.upper() if len(p) == 2 else p for p in parts[1:]])

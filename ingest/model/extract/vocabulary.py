"""The vocabularies kept as data: resilience patterns and cognitive biases.

They live in YAML beside the code (ingest/model/extract/vocab/) so that a user can add a
pattern, a synonym or a bias without touching Python. Loading validates them:
a missing field or an unknown related id names the file and the entry.
"""

from __future__ import annotations

import bisect
import re
import string
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import yaml

from ingest.errors import KBError
from ingest.text import FOLDER_PAGE

VOCAB_DIR = Path(__file__).resolve().parent / "vocab"
WORD = re.compile(r"\w+")
_JOIN = r"[\s\u00a0-]?"  # between the parts of a term: a space, a no-break space, a hyphen or nothing


class VocabularyError(KBError):
    """A vocabulary file is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class Pattern:
    id: str
    name: str
    definition: str
    terms: tuple[str, ...]
    related: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    ambiguous: tuple[str, ...] = ()  # terms with other common senses: they count only in context
    context: tuple[str, ...] = ()  # words that show a passage uses them in the pattern's sense

    @cached_property
    def regex(self) -> re.Pattern:
        return terms_regex(self.terms)

    @cached_property
    def ambiguous_regex(self) -> re.Pattern | None:
        return terms_regex(self.ambiguous) if self.ambiguous else None

    @cached_property
    def context_regex(self) -> re.Pattern | None:
        return terms_regex(self.context) if self.context else None

    def is_ambiguous(self, match: re.Match) -> bool:
        """Whether this mention is one of the terms that have other senses."""
        return self.ambiguous_regex is not None and self.ambiguous_regex.fullmatch(match.group()) is not None

    @cached_property
    def exclude_regex(self) -> re.Pattern | None:
        return terms_regex(self.exclude) if self.exclude else None

    def find(self, text: str) -> list[re.Match]:
        """Whole-word mentions of the pattern in `text`, minus those inside an excluded phrase."""
        matches = list(self.regex.finditer(text))
        if matches and self.exclude_regex is not None:
            excluded = [m.span() for m in self.exclude_regex.finditer(text)]
            if excluded:
                matches = [m for m in matches if not _inside_spans(m, excluded)]
        return matches


def _inside_spans(match: re.Match, spans: list[tuple[int, int]]) -> bool:
    """Whether the match lies inside one of `spans` (a regex's matches: in order, none overlapping).

    Only the last span to start at or before the match can hold it: one bisection, where a
    comparison with every span would be quadratic in a text full of both.
    """
    index = bisect.bisect_right(spans, (match.start(), float("inf"))) - 1
    return index >= 0 and match.end() <= spans[index][1]


@dataclass(frozen=True)
class KnownBias:
    name: str
    aliases: tuple[str, ...] = ()
    definition: str = ""  # what it is, in the vocabulary's words

    @cached_property
    def regex(self) -> re.Pattern:
        return terms_regex((self.name, *self.aliases))


@dataclass(frozen=True)
class Sense:
    """A topic in which some pattern terms mean something else (vocab/senses.yml): "backup" in routing."""

    id: str
    name: str
    terms: tuple[str, ...]  # the pattern terms it gives another sense
    cues: tuple[str, ...]  # words that show a text is about the topic

    @cached_property
    def terms_regex(self) -> re.Pattern:
        return terms_regex(self.terms)

    @cached_property
    def cues_regex(self) -> re.Pattern:
        return terms_regex(self.cues)

    def claims(self, match: re.Match) -> bool:
        """Whether the term found is one this topic gives another sense."""
        return self.terms_regex.fullmatch(match.group()) is not None


@dataclass(frozen=True)
class Vocabulary:
    patterns: tuple[Pattern, ...]
    biases: tuple[KnownBias, ...]
    operations: tuple[str, ...] = ()  # words of running software: what makes a text about it
    senses: tuple[Sense, ...] = ()  # topics in which pattern terms mean something else

    @cached_property
    def operations_regex(self) -> re.Pattern | None:
        return terms_regex(self.operations) if self.operations else None

    def operations_words(self, text: str, enough: int | None = None) -> set[str]:
        """The distinct words of running software that `text` uses; with `enough`, the first that many of them.

        A rule that only compares their number with a threshold needs no more:
        the search of a long text then stops early.
        """
        if self.operations_regex is None:
            return set()
        if enough is None:
            return set(map(str.lower, self.operations_regex.findall(text)))
        found: set[str] = set()
        for match in self.operations_regex.finditer(text):
            found.add(match.group().lower())
            if len(found) >= enough:
                break
        return found

    @cached_property
    def senses_of(self) -> dict[str, tuple[Sense, ...]]:
        """Pattern id -> the topics of senses.yml that give one of its terms another sense."""
        return {p.id: tuple(s for s in self.senses if any(p.regex.fullmatch(t) for t in s.terms))
                for p in self.patterns}

    @cached_property
    def neutral_words(self) -> dict[str, frozenset[str]]:
        """Pattern id -> words of both its sense and a topic claiming its terms (and its own terms): no evidence."""
        neutral = {}
        for pattern in self.patterns:
            mine = {normal_word(w) for w in (*pattern.context, *self.operations)}
            theirs = {normal_word(w) for s in self.senses_of[pattern.id] for w in s.cues}
            neutral[pattern.id] = frozenset(mine & theirs) | {normal_word(t) for t in pattern.terms}
        return neutral

    @cached_property
    def pattern_by_id(self) -> dict[str, Pattern]:
        return {p.id: p for p in self.patterns}

    @cached_property
    def _pattern_openings(self) -> dict[str, tuple[int, ...]]:
        """The word each term starts with (and each term run together, "backoff") -> its patterns' places."""
        openings: dict[str, list[int]] = {}
        for place, pattern in enumerate(self.patterns):
            for term in pattern.terms:
                words = WORD.findall(term.lower())
                for opening in {words[0], "".join(words)} if words else ():
                    if place not in openings.setdefault(opening, []):
                        openings[opening].append(place)
        return {word: tuple(found) for word, found in openings.items()}

    @cached_property
    def _pattern_opening_words(self) -> frozenset[str]:
        return frozenset(self._pattern_openings)

    def candidate_patterns(self, text: str) -> list[Pattern]:
        """The patterns whose terms could occur in `text`: a set lookup per word, before any regex."""
        openings = self._pattern_openings
        words = self._pattern_opening_words & words_of(text)
        if not words:
            return []
        return [self.patterns[place] for place in sorted({place for word in words for place in openings[word]})]

    @cached_property
    def bias_regex(self) -> re.Pattern:
        """Any known bias, by its name or an alias."""
        return terms_regex([name for bias in self.biases for name in (bias.name, *bias.aliases)])

    @cached_property
    def _bias_openings(self) -> frozenset[str]:
        names = [name for bias in self.biases for name in (bias.name, *bias.aliases)]
        return frozenset(opening for name in names if (words := WORD.findall(name.lower()))
                         for opening in (words[0], "".join(words)))

    def may_name_bias(self, text: str) -> bool:
        """False when no word of `text` starts a known bias's name: no need to search it."""
        return not self._bias_openings.isdisjoint(words_of(text))

    def canonical_bias(self, name: str) -> KnownBias | None:
        """The known bias that `name` names (by its name or an alias), if any."""
        return self._bias_by_key.get(bias_key(name))

    @cached_property
    def _bias_by_key(self) -> dict[str, KnownBias]:
        by_key: dict[str, KnownBias] = {}
        for bias in self.biases:  # the first bias a key names wins, as in the vocabulary's order
            for name in (bias.name, *bias.aliases):
                by_key.setdefault(bias_key(name), bias)
        return by_key


def normal_word(word: str) -> str:
    """A word or phrase as the lists compare it: lower case, its parts run together ("cache-line" = "cache line")."""
    return re.sub(r"[\s\u00a0-]+", "", word.lower())


@lru_cache(maxsize=1 << 12)
def words_of(text: str) -> frozenset[str]:
    """The distinct words of `text`, in lower case.

    Kept for the last few thousand texts: the extractors of an article ask it of
    the same block's text in turn (for patterns, then for biases).
    """
    return frozenset(WORD.findall(text.lower()))


def terms_regex(terms: tuple[str, ...] | list[str]) -> re.Pattern:
    """One regex for whole-word, case-insensitive terms; a hyphen, a space or nothing join word parts.

    Longer terms come first. The alternatives are grouped under their first
    letter ("s(?:erver|ervice)|d(?:eploy)"), in the same order within a group:
    the regex engine then tries a few groups at each word instead of every term,
    and finds exactly what the flat alternation finds, since only one group can
    match at a given place. Where two first letters match each other regardless
    of case (rare letters such as the long s, "ſ"), the flat alternation is kept.
    """
    flat, groups = [], {}
    for term in sorted(set(terms), key=lambda t: (-len(t), t)):  # the same regex in every process
        parts = [p for p in re.split(r"[\s-]+", term.strip().lower()) if p] or [""]
        flat.append(_JOIN.join(re.escape(p) for p in parts))
        groups.setdefault(parts[0][:1], []).append(_JOIN.join(re.escape(p) for p in [parts[0][1:], *parts[1:]]))
    firsts = list(groups)
    if "" in groups or any(re.fullmatch(re.escape(a), b, re.IGNORECASE) for a in firsts for b in firsts if a != b):
        alternatives = flat
    elif len(groups) <= FEW_FIRST_LETTERS and all(first in LETTER_CASES for first in groups):
        return _opening_letters_first(groups)
    else:
        alternatives = [re.escape(first) + "(?:" + "|".join(rests) + ")" for first, rests in groups.items()]
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])", re.IGNORECASE)


# Every character that matches an ASCII letter regardless of case (as re.IGNORECASE matches): the
# letter in both cases, and the few that Unicode folds onto one ("ſ", "ı", "İ" and the Kelvin sign).
# tests/test_extract.py checks this table against the re module itself.
LETTER_CASES = {letter: letter + letter.upper() for letter in string.ascii_lowercase} | {
    "i": "iI\u0130\u0131", "k": "kK\u212a", "s": "sS\u017f"}
FEW_FIRST_LETTERS = 8  # with more, the regex engine's per-character cost is lower in the grouped form


def _opening_letters_first(groups: dict[str, list[str]]) -> re.Pattern:
    """The grouped regex of terms_regex, for terms that start with a few letters, written to find the same.

    It opens with the set of those letters in every case: the regex engine then scans
    for them in C and tries a match only there (a pattern's regex is searched in
    every passage that may name it). A letter found must start a word, and the rest
    of a term is read, case ignored, among the alternatives of that letter.
    """
    letters = "".join(LETTER_CASES[first] for first in groups)
    rests = "|".join(f"(?<=[{LETTER_CASES[first]}])(?i:{'|'.join(alternatives)})"
                     for first, alternatives in groups.items())
    return re.compile(rf"[{letters}](?<![\w-].)(?:{rests})(?![\w-])")


def bias_key(name: str) -> str:
    """A bias name reduced for comparison: lower case, no leading article, single spaces."""
    words = re.findall(r"[\w’']+", name.casefold())
    if words and words[0] in ("the", "a", "an"):
        words = words[1:]
    return " ".join(words)


def load_vocabulary(folder: Path = VOCAB_DIR) -> Vocabulary:
    """Load and check patterns.yml, biases.yml, operations.yml and senses.yml (if there) from `folder`."""
    patterns = _load_patterns(folder / "patterns.yml")
    senses = _load_senses(folder / "senses.yml", patterns) if (folder / "senses.yml").exists() else ()
    return Vocabulary(patterns=patterns, biases=_load_biases(folder / "biases.yml"),
                      operations=_load_words(folder / "operations.yml"), senses=senses)


def _load_patterns(path: Path) -> tuple[Pattern, ...]:
    patterns = []
    for index, entry in enumerate(_read_list(path)):
        where = f"{path}: entry {index + 1}"
        missing = [k for k in ("id", "name", "definition", "terms") if not entry.get(k)]
        if missing:
            raise VocabularyError(f"{where} ({entry.get('id', '?')}): missing {', '.join(missing)}")
        if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", str(entry["id"])):
            raise VocabularyError(f"{where}: id {entry['id']!r} must be lowercase words joined by hyphens")
        if entry["id"] == FOLDER_PAGE:
            raise VocabularyError(f"{where}: id {entry['id']!r} is the name of the page that lists the patterns; "
                                  f"give the pattern another id")
        patterns.append(Pattern(
            id=entry["id"], name=str(entry["name"]), definition=" ".join(str(entry["definition"]).split()),
            terms=tuple(str(t) for t in entry["terms"]), related=tuple(entry.get("related") or ()),
            exclude=tuple(str(t) for t in entry.get("exclude") or ()),
            ambiguous=tuple(str(t) for t in entry.get("ambiguous") or ()),
            context=tuple(str(t) for t in entry.get("context") or ()),
        ))
        unknown_terms = [t for t in patterns[-1].ambiguous if not patterns[-1].regex.fullmatch(t)]
        if unknown_terms:
            raise VocabularyError(f"{where} ({entry['id']}): ambiguous term {unknown_terms[0]!r} is not one of its terms")
        if patterns[-1].ambiguous and not patterns[-1].context:
            raise VocabularyError(f"{where} ({entry['id']}): ambiguous terms need a context list")
    ids = [p.id for p in patterns]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise VocabularyError(f"{path}: id {duplicates[0]!r} is used twice")
    for pattern in patterns:
        unknown = [r for r in pattern.related if r not in ids]
        if unknown:
            raise VocabularyError(f"{path}: {pattern.id}: related id {unknown[0]!r} is not a pattern in this file")
    return tuple(patterns)


def _load_biases(path: Path) -> tuple[KnownBias, ...]:
    biases = []
    for index, entry in enumerate(_read_list(path)):
        missing = [k for k in ("name", "definition") if not entry.get(k)]
        if missing:
            raise VocabularyError(f"{path}: entry {index + 1} ({entry.get('name', '?')}): missing "
                                  f"{', '.join(missing)}; give each bias a name and a one- or two-sentence definition")
        biases.append(KnownBias(name=str(entry["name"]), aliases=tuple(str(a) for a in entry.get("aliases") or ()),
                                definition=" ".join(str(entry["definition"]).split())))
    return tuple(biases)


def _load_senses(path: Path, patterns: tuple[Pattern, ...]) -> tuple[Sense, ...]:
    senses = []
    for index, entry in enumerate(_read_list(path)):
        where = f"{path}: entry {index + 1} ({entry.get('id', '?')})"
        missing = [k for k in ("id", "name", "terms", "cues") if not entry.get(k)]
        if missing:
            raise VocabularyError(f"{where}: missing {', '.join(missing)}; give each topic an id, a name, "
                                  f"the pattern terms it gives another sense and the words that show it")
        if not all(isinstance(entry[k], list) for k in ("terms", "cues")):
            raise VocabularyError(f"{where}: terms and cues must be lists of words")
        senses.append(Sense(id=str(entry["id"]), name=str(entry["name"]),
                            terms=tuple(str(t).strip().lower() for t in entry["terms"]),
                            cues=tuple(str(c).strip().lower() for c in entry["cues"])))
        unknown = [t for t in senses[-1].terms if not any(p.regex.fullmatch(t) for p in patterns)]
        if unknown:
            raise VocabularyError(f"{where}: term {unknown[0]!r} is not a term of any pattern in patterns.yml; "
                                  f"list it as spelled there")
    ids = [s.id for s in senses]
    if len(set(ids)) != len(ids):
        raise VocabularyError(f"{path}: id {next(i for i in ids if ids.count(i) > 1)!r} is used twice")
    return tuple(senses)


def _load_words(path: Path) -> tuple[str, ...]:
    """A YAML list of words and phrases (operations.yml)."""
    data = _read_yaml(path)
    if not isinstance(data, list) or not all(isinstance(w, str) and w.strip() for w in data):
        raise VocabularyError(f"{path}: expected a list of words")
    return tuple(w.strip().lower() for w in data)


def _read_list(path: Path) -> list[dict]:
    data = _read_yaml(path)
    if not isinstance(data, list) or not all(isinstance(e, dict) for e in data):
        raise VocabularyError(f"{path}: expected a list of mappings")
    return data


def _read_yaml(path: Path) -> object:
    """A vocabulary file's data; VocabularyError names it when it cannot be read or is not YAML."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise VocabularyError(f"cannot read {path}: {e.strerror or e}") from None
    except yaml.YAMLError as e:
        raise VocabularyError(f"{path}: not valid YAML ({e})") from None

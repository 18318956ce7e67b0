"""Mentions of resilience patterns: each sentence that names one in its sense, with where it is.

Two tests keep a word's other senses out ("cell" of a spreadsheet, "isolation" of a
transaction, "monitor" as a screen, "redundant" as superfluous):

- the article must be about running software: it uses several of the words of
  `vocab/operations.yml`, or names two patterns in their sense. A text about
  games, news or humour yields no mentions;
- a term the vocabulary marks `ambiguous` counts only where its sentence or
  sentence also uses one of the pattern's `context` words, or its paragraph names
  another pattern by an unambiguous term ("bulkheads, cells, shards"), and not as part of a name
  ("Microsoft Password Monitor").

In an article whose own topic is strongly operational (it names several
patterns by unambiguous terms and uses several words of running software: a
postmortem template, a readiness review), an ambiguous term of a pattern the
article already names in its sense elsewhere needs no local context word: the
article is its context ("Don't do postmortems punitively."). A word keeps one
sense within one text; a pattern the article names only by an ambiguous term
without context ("a Step ID that you can monitor") still needs the local
context. It never counts inside a name, nor in a phrase the vocabulary excludes.

Terms of several words ("circuit breaker", "cell-based architecture") need neither.
"""

from __future__ import annotations

import re
from typing import Callable, Container, Iterable

from ingest.model.html.document import Block, Document
from ingest.model.extract.notes import Mention
from ingest.model.extract.senses import SenseReader
from ingest.model.extract.titles import Titles, is_heading
from ingest.model.extract.vocabulary import Pattern, Vocabulary
from ingest.model.extract.words import sentences


MIN_PASSAGE_WORDS = 8
MIN_OPERATIONS_WORDS = 5  # distinct words of running software that make an article about it
MIN_PATTERNS_NAMED = 2  # or distinct patterns it names in their sense ("retries", "circuit breaker")
# An article strongly about running software, whose topic alone decides an ambiguous term's sense:
STRONG_PATTERNS_NAMED = 2  # distinct patterns named by unambiguous terms ("blast radius", "circuit breaker")
STRONG_OPERATIONS_WORDS = 5  # and distinct words of running software


def extract_mentions(document: Document, vocabulary: Vocabulary) -> list[Mention]:
    """One Mention per (pattern, passage); code blocks are not prose and are skipped, nor are titles (titles.py).

    The passage is the sentence naming the pattern, with the sentences before
    it in its block when it is too short to stand alone ("(discuss bulkheads,
    cells, shards, etc.)" needs the question it explains).
    """
    prose = [block for block in document.blocks if block.kind != "code"]
    reader = _Reader(vocabulary)
    topical = _topic_patterns(prose, vocabulary, reader)
    if topical is None:
        return []
    titles = Titles(document)
    senses = SenseReader(prose, vocabulary)
    mentions: list[Mention] = []
    seen: set[tuple[str, str]] = set()
    for place, block in enumerate(prose):
        if not reader.candidates(block.text):
            continue
        heading = is_heading(block)
        for sentence in _passages(block.text):
            named = _patterns_in_sense(sentence, block.text, heading, topical, reader)
            senses.count_others(reader.candidates(sentence), named, reader.find, sentence, place)
            if not named or titles.is_title(block, sentence):  # a heading or a caption says nothing of it
                continue
            for pattern in named:
                if (pattern.id, sentence) in seen:
                    continue
                other, margin = senses.weigh(pattern, reader.find(pattern, sentence), sentence, place)
                if other is None:  # the term is in the pattern's sense, not a topic's (senses.py)
                    seen.add((pattern.id, sentence))
                    senses.kept(len(mentions), pattern, margin)
                    mentions.append(Mention(pattern=pattern.id, text=sentence, anchor=block.anchor))
    dropped = senses.dropped()
    return [mention for place, mention in enumerate(mentions) if place not in dropped] if dropped else mentions


def _topic_patterns(prose: list[Block], vocabulary: Vocabulary, reader: "_Reader") -> Container[str] | None:
    """None when the article is not about running software; else the patterns whose ambiguous terms its topic decides.

    About running software: it uses several words of running software, or names
    several patterns in their sense. Strongly enough to decide a term's sense
    from its words alone: it names several patterns by terms that have no other
    sense and uses several words of running software (an article that only
    touches software, a product launch or a personal blog, names at most one);
    then the topic decides for every pattern it names in its sense.
    """
    operations = len(vocabulary.operations_words(" ".join(block.text for block in prose),
                                                 enough=max(MIN_OPERATIONS_WORDS, STRONG_OPERATIONS_WORDS)))
    def in_sense(block: Block) -> Iterable[str]:  # by the local rule (an unambiguous term, or context)
        return (p.id for p in _patterns_in_sense(block.text, block.text, is_heading(block), frozenset(), reader))

    if operations < MIN_OPERATIONS_WORDS and not _names_at_least(prose, in_sense, MIN_PATTERNS_NAMED):
        return None
    if operations < STRONG_OPERATIONS_WORDS:
        return frozenset()
    if not _names_at_least(prose, lambda block: reader.unambiguous(block.text), STRONG_PATTERNS_NAMED):
        return frozenset()
    return _NamedInSense(prose, reader)


def _names_at_least(prose: list[Block], named_in: Callable[[Block], Iterable[str]], count: int) -> bool:
    """Whether the blocks name `count` distinct patterns, `named_in` giving those a block names (read until they do)."""
    named: set[str] = set()
    for block in prose:
        named.update(named_in(block))
        if len(named) >= count:
            return True
    return False


class _NamedInSense:
    """The ids of the patterns the article names in their sense by the local rule (an unambiguous term, or context).

    Each pattern is looked for when first asked about: only a passage that names a
    pattern by an ambiguous term alone asks, so most of the article's patterns never are.
    """

    def __init__(self, prose: list[Block], reader: "_Reader") -> None:
        self.prose, self.reader = prose, reader
        self._known: dict[str, bool] = {}

    def __contains__(self, pattern_id: object) -> bool:
        if pattern_id not in self._known:
            self._known[pattern_id] = any(self._names(block, pattern_id) for block in self.prose)
        return self._known[pattern_id]

    def _names(self, block: Block, pattern_id: str) -> bool:
        """As _patterns_in_sense(block.text, block.text, …) names the pattern: a candidate, found, in its sense."""
        pattern = next((p for p in self.reader.candidates(block.text) if p.id == pattern_id), None)
        return pattern is not None and _names(pattern, block.text, block.text, is_heading(block), frozenset(),
                                              self.reader)


def patterns_in(text: str, vocabulary: Vocabulary, *, context: str | None = None,
                heading: bool = False, topical: Container[str] = frozenset()) -> list[Pattern]:
    """The patterns `text` names, in vocabulary order.

    With `context` (the paragraph around `text`), ambiguous terms count only in
    the pattern's sense; without it (a checklist question, a title) every term counts.
    `topical`: the patterns whose sense the article's topic decides.
    """
    if context is None:
        return [pattern for pattern in vocabulary.candidate_patterns(text) if pattern.find(text)]
    return _patterns_in_sense(text, context, heading, topical, _Reader(vocabulary))


class _Reader:
    """What one article's texts name, each text searched once: a block's text is read by several rules."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self._candidates: dict[str, list[Pattern]] = {}
        self._unambiguous: dict[str, frozenset[str]] = {}
        self._found: dict[tuple[str, str], list[re.Match]] = {}

    def candidates(self, text: str) -> list[Pattern]:
        """The patterns whose terms could occur in `text` (Vocabulary.candidate_patterns)."""
        if text not in self._candidates:
            self._candidates[text] = self.vocabulary.candidate_patterns(text)
        return self._candidates[text]

    def unambiguous(self, text: str) -> frozenset[str]:
        """The ids of the patterns `text` names by a term without another sense."""
        if text not in self._unambiguous:
            self._unambiguous[text] = frozenset(p.id for p in self.candidates(text)
                                                if any(not p.is_ambiguous(m) for m in self.find(p, text)))
        return self._unambiguous[text]

    def find(self, pattern: Pattern, text: str) -> list[re.Match]:
        """Pattern.find, once per pattern and text."""
        key = (pattern.id, text)
        if key not in self._found:
            self._found[key] = pattern.find(text)
        return self._found[key]


def _patterns_in_sense(sentence: str, paragraph: str, heading: bool, topical: Container[str],
                       reader: _Reader) -> list[Pattern]:
    return [pattern for pattern in reader.candidates(sentence)
            if _names(pattern, sentence, paragraph, heading, topical, reader)]


def _names(pattern: Pattern, sentence: str, paragraph: str, heading: bool, topical: Container[str],
           reader: _Reader) -> bool:
    """Whether `sentence` names `pattern` in its sense."""
    matches = reader.find(pattern, sentence)
    return bool(matches) and _in_sense(pattern, matches, sentence, paragraph, heading, topical, reader)


def _in_sense(pattern: Pattern, matches: list[re.Match], sentence: str, paragraph: str, heading: bool,
              topical: Container[str], reader: _Reader) -> bool:
    if any(not pattern.is_ambiguous(m) for m in matches):
        return True
    named = [m for m in matches if heading or not _part_of_a_name(sentence, m)]
    if not named:
        return False
    if pattern.id in topical:
        return True
    # The terms themselves are no evidence ("limits" is not context for "limits").
    rest = pattern.regex.sub(" ", sentence)
    if pattern.context_regex is not None and pattern.context_regex.search(rest):
        return True
    # The paragraph also names another pattern by an unambiguous term ("bulkheads, cells, shards").
    return bool(reader.unambiguous(paragraph) - {pattern.id})


def _part_of_a_name(sentence: str, match: re.Match) -> bool:
    """A capitalised word inside a sentence is a name ("Password Monitor", "Cell Broadband Engine")."""
    word = match.group()
    if not word[:1].isupper() or word.isupper():
        return False
    # The character before the match, past white space: read backwards, not by copying the sentence
    # up to it (quadratic in a long sentence of many matches).
    end = match.start()
    while end and sentence[end - 1].isspace():
        end -= 1
    return end > 0 and sentence[end - 1] not in ".!?:;—–-(\"“'‘•*"


def _passages(text: str) -> list[str]:
    passages: list[list[str]] = []  # joined at the end: joining each short sentence on would be quadratic
    for sentence in sentences(text):
        if passages and len(sentence.split()) < MIN_PASSAGE_WORDS:
            passages[-1].append(sentence)
        else:
            passages.append([sentence])
    return [" ".join(passage) for passage in passages]

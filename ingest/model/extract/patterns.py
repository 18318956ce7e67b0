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

from ingest.model.document import Block, Document
from ingest.model.notes import Mention
from ingest.model.vocabulary import Pattern, Vocabulary
from ingest.model.extract.words import sentences


MIN_PASSAGE_WORDS = 8
MIN_OPERATIONS_WORDS = 5  # distinct words of running software that make an article about it
MIN_PATTERNS_NAMED = 2  # or distinct patterns it names in their sense ("retries", "circuit breaker")
# An article strongly about running software, whose topic alone decides an ambiguous term's sense:
STRONG_PATTERNS_NAMED = 2  # distinct patterns named by unambiguous terms ("blast radius", "circuit breaker")
STRONG_OPERATIONS_WORDS = 5  # and distinct words of running software


def extract_mentions(document: Document, vocabulary: Vocabulary) -> list[Mention]:
    """One Mention per (pattern, passage); code blocks are not prose and are skipped.

    The passage is the sentence naming the pattern, with the sentences before
    it in its block when it is too short to stand alone ("(discuss bulkheads,
    cells, shards, etc.)" needs the question it explains).
    """
    if not about_running_software(document, vocabulary):
        return []
    topical = topic_patterns(document, vocabulary)
    mentions: list[Mention] = []
    seen: set[tuple[str, str]] = set()
    for block in document.blocks:
        if block.kind == "code" or not vocabulary.candidate_patterns(block.text):
            continue
        for sentence in _passages(block.text):
            for pattern in patterns_in(sentence, vocabulary, context=block.text, heading=_is_heading(block),
                                       topical=topical):
                if (pattern.id, sentence) not in seen:
                    seen.add((pattern.id, sentence))
                    mentions.append(Mention(pattern=pattern.id, text=sentence, anchor=block.anchor))
    return mentions


def _is_heading(block: Block) -> bool:
    """A heading, or a paragraph all in bold (one made a heading by hand, or a list of section titles)."""
    return block.kind == "heading" or (block.kind == "paragraph" and bool(block.lead) and block.lead == block.text)


def about_running_software(document: Document, vocabulary: Vocabulary) -> bool:
    """Whether the article's topic is building or operating software, from the words it uses."""
    prose = " ".join(block.text for block in document.blocks if block.kind != "code")
    if len(vocabulary.operations_words(prose)) >= MIN_OPERATIONS_WORDS:
        return True
    return len(_named_in_sense(document, vocabulary)) >= MIN_PATTERNS_NAMED


def topic_patterns(document: Document, vocabulary: Vocabulary) -> frozenset[str]:
    """The patterns whose ambiguous terms the article's own topic decides: none unless it is strongly operational."""
    if not strongly_operational(document, vocabulary):
        return frozenset()
    return frozenset(_named_in_sense(document, vocabulary))


def _named_in_sense(document: Document, vocabulary: Vocabulary) -> set[str]:
    """The ids of the patterns the article names in their sense by the local rule (an unambiguous term, or context)."""
    return {p.id for block in document.blocks if block.kind != "code"
            for p in patterns_in(block.text, vocabulary, context=block.text, heading=_is_heading(block))}


def strongly_operational(document: Document, vocabulary: Vocabulary) -> bool:
    """Whether the article's own topic is running software, strongly enough to give ambiguous terms their sense.

    From its words alone: it names several patterns by terms that have no other
    sense and uses several words of running software. An article that only
    touches software (a product launch, a personal blog) names at most one.
    """
    prose = [block.text for block in document.blocks if block.kind != "code"]
    if len(vocabulary.operations_words(" ".join(prose))) < STRONG_OPERATIONS_WORDS:
        return False
    named: set[str] = set()
    for text in prose:
        named.update(p.id for p in vocabulary.candidate_patterns(text)
                     if any(not p.is_ambiguous(m) for m in p.find(text)))
    return len(named) >= STRONG_PATTERNS_NAMED


def patterns_in(text: str, vocabulary: Vocabulary, *, context: str | None = None,
                heading: bool = False, topical: frozenset[str] = frozenset()) -> list[Pattern]:
    """The patterns `text` names, in vocabulary order.

    With `context` (the paragraph around `text`), ambiguous terms count only in
    the pattern's sense; without it (a checklist question, a title) every term counts.
    `topical`: the patterns whose sense the article's topic decides (topic_patterns).
    """
    found = [pattern for pattern in vocabulary.candidate_patterns(text) if pattern.find(text)]
    if context is None:
        return found
    return [pattern for pattern in found if _in_sense(pattern, text, context, heading, vocabulary, topical)]


def _in_sense(pattern: Pattern, sentence: str, paragraph: str, heading: bool, vocabulary: Vocabulary,
              topical: frozenset[str] = frozenset()) -> bool:
    matches = pattern.find(sentence)
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
    return _names_another_pattern(pattern, paragraph, vocabulary)


def _part_of_a_name(sentence: str, match: re.Match) -> bool:
    """A capitalised word inside a sentence is a name ("Password Monitor", "Cell Broadband Engine")."""
    word = match.group()
    before = sentence[:match.start()].rstrip()
    starts_sentence = not before or before[-1] in ".!?:;—–-(\"“'‘•*"
    return word[:1].isupper() and not word.isupper() and not starts_sentence


def _names_another_pattern(pattern: Pattern, paragraph: str, vocabulary: Vocabulary) -> bool:
    """Whether the paragraph also names another pattern by an unambiguous term ("bulkheads, cells, shards")."""
    for other in vocabulary.candidate_patterns(paragraph):
        if other.id != pattern.id and any(not other.is_ambiguous(m) for m in other.find(paragraph)):
            return True
    return False


def _passages(text: str) -> list[str]:
    passages: list[str] = []
    for sentence in sentences(text):
        if passages and len(sentence.split()) < MIN_PASSAGE_WORDS:
            passages[-1] = f"{passages[-1]} {sentence}"
        else:
            passages.append(sentence)
    return passages

"""Mentions of resilience patterns: each sentence that names one, with where it is."""

from __future__ import annotations

from ingest.model.document import Document
from ingest.model.notes import Mention
from ingest.model.vocabulary import Pattern, Vocabulary
from ingest.model.extract.words import sentences


MIN_PASSAGE_WORDS = 8


def extract_mentions(document: Document, vocabulary: Vocabulary) -> list[Mention]:
    """One Mention per (pattern, passage); code blocks are not prose and are skipped.

    The passage is the sentence naming the pattern, with the sentences before
    it in its block when it is too short to stand alone ("(discuss bulkheads,
    cells, shards, etc.)" needs the question it explains).
    """
    mentions: list[Mention] = []
    seen: set[tuple[str, str]] = set()
    for block in document.blocks:
        if block.kind == "code" or not vocabulary.candidate_patterns(block.text):
            continue
        for sentence in _passages(block.text):
            for pattern in patterns_in(sentence, vocabulary):
                if (pattern.id, sentence) not in seen:
                    seen.add((pattern.id, sentence))
                    mentions.append(Mention(pattern=pattern.id, text=sentence, anchor=block.anchor))
    return mentions


def patterns_in(text: str, vocabulary: Vocabulary) -> list[Pattern]:
    """The patterns `text` names, in vocabulary order."""
    return [pattern for pattern in vocabulary.candidate_patterns(text) if pattern.find(text)]


def _passages(text: str) -> list[str]:
    passages: list[str] = []
    for sentence in sentences(text):
        if passages and len(sentence.split()) < MIN_PASSAGE_WORDS:
            passages[-1] = f"{passages[-1]} {sentence}"
        else:
            passages.append(sentence)
    return passages

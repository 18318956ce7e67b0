"""Numbered lessons ("#3 — Invest in people skills"), each with its key sentences.

Three or more numbered headings (or bold lines) in sequence make a list of
lessons; a lone "#1 priority" does not. The key sentences are the ones in the
lesson's text that share the most words with its title.
"""

from __future__ import annotations

import re

from ingest.model.html.document import Block, Document
from ingest.model.extract.notes import Lesson
from ingest.model.extract.vocabulary import Vocabulary
from ingest.model.extract.shapes import numbered_lesson
from ingest.model.extract.words import content_words, sentences

MIN_LESSONS = 3
KEY_SENTENCES = 3
POINT_WORDS = re.compile(r"\b(key|essential|important|crucial|critical|best|only|always|never|must|should)\b",
                         re.IGNORECASE)


def extract_lessons(document: Document, vocabulary: Vocabulary) -> list[Lesson]:
    starts = [(i, found) for i, block in enumerate(document.blocks) if (found := numbered_lesson(block))]
    numbers = [number for _, (number, _) in starts]
    if len(starts) < MIN_LESSONS or numbers != sorted(numbers) or numbers[0] > 2:
        return []
    lessons = []
    for position, (index, (number, title)) in enumerate(starts):
        end = starts[position + 1][0] if position + 1 < len(starts) else _end_of_lesson(document, index)
        body = [b for b in document.blocks[index + 1:end] if b.kind in ("paragraph", "item")]
        lessons.append(Lesson(number=number, title=title, summary=_key_sentences(title, body),
                              anchor=document.blocks[index].anchor))
    return lessons


def _end_of_lesson(document: Document, index: int) -> int:
    """The last lesson runs to the next heading at its level or above (a conclusion), or the end."""
    start = document.blocks[index]
    for position in range(index + 1, len(document.blocks)):
        block = document.blocks[position]
        if block.kind == "heading" and (start.kind != "heading" or block.level <= start.level):
            return position
    return len(document.blocks)


def _key_sentences(title: str, body: list[Block]) -> str:
    """The sentences that best state the lesson, in the order the article gives them.

    A sentence scores for the title's words it repeats (twice as much when one
    of them opens it, as in "Mentoring is essential"), for words that state a
    point ("key", "essential", "most important"), and for opening the lesson;
    quotes, questions and colons introducing something else score nothing.
    """
    title_words = content_words(title)
    candidates = []
    for order, sentence in enumerate(s for block in body for s in sentences(block.text)):
        if len(sentence.split()) < 4 or sentence.endswith((":", "?")) or sentence.startswith(("“", '"')):
            continue
        shared = title_words & content_words(sentence)
        score = 2 * len(shared)
        if shared and content_words(" ".join(sentence.split()[:4])) & title_words:
            score += 1
        if POINT_WORDS.search(sentence):
            score += 1
        if order == 0:
            score += 1
        candidates.append((score, order, sentence))
    if not candidates:
        return ""
    best = sorted(candidates, key=lambda c: (-c[0], c[1]))[:KEY_SENTENCES]
    return " ".join(sentence for _, _, sentence in sorted(best, key=lambda c: c[1]))

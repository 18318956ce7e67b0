"""Cognitive biases and heuristics: the lists articles give, and known biases named in passing.

A list is a list of biases when the sentence or heading that introduces it
speaks of biases, heuristics or fallacies, or when most of its items are named
like biases ("… bias", "… fallacy", "… effect"). Each item gives a name (its
bold or linked lead) and, after a dash or colon, the article's definition.
"""

from __future__ import annotations

import re

from ingest.model.html.document import Block, Document
from ingest.model.extract.notes import BiasNote
from ingest.model.extract.vocabulary import KnownBias, Vocabulary, bias_key
from ingest.model.extract.words import strip_quotes

INTRO = re.compile(r"\b(bias(?:es)?|heuristics?|fallac(?:y|ies))\b", re.IGNORECASE)
BIAS_HEAD = re.compile(r"\b(bias|fallacy|effect|error|heuristic|illusion|thinking|syndrome|cult|aversion)$",
                       re.IGNORECASE)
SEPARATOR = re.compile(r"\s+[—–-]\s+|:\s+|\s+[—–]")
MAX_NAME_WORDS = 6


def extract_biases(document: Document, vocabulary: Vocabulary) -> list[BiasNote]:
    """Biases from bias lists, then known biases named elsewhere in the text."""
    notes: dict[str, BiasNote] = {}
    # The known biases the keys of `notes` name: a bias named again (by its name or an alias) is
    # found by one lookup, not by comparing it with every note so far (quadratic in a long list).
    known_noted: set[KnownBias] = set()

    def add(key: str, note: BiasNote) -> None:
        if key not in notes:
            notes[key] = note
            if (known := vocabulary.canonical_bias(key)) is not None:
                known_noted.add(known)

    listed: set[int] = set()
    for items in document.lists().values():
        if not _is_bias_list(document, items, vocabulary):
            continue
        for item in items:
            note = _bias_from_item(item)
            if note is not None:
                add(bias_key(note.name), note)
                listed.add(id(item))
    for block in document.blocks:
        if id(block) in listed or block.kind == "code" or not vocabulary.may_name_bias(block.text):
            continue
        for match in vocabulary.bias_regex.finditer(block.text):
            known = vocabulary.canonical_bias(match.group(0))
            key = bias_key(known.name if known else match.group(0))
            if key not in notes and vocabulary.canonical_bias(key) not in known_noted:
                add(key, BiasNote(name=match.group(0), definition=None, anchor=block.anchor))
    return list(notes.values())


def _is_bias_list(document: Document, items: list[Block], vocabulary: Vocabulary) -> bool:
    if len(items) < 2:
        return False
    introduction = " ".join(b.text for b in document.before(items[0], 2))
    names = [_name_and_definition(item)[0] for item in items]
    names = [n for n in names if n]
    if len(names) < len(items) * 0.6:
        return False
    biased = sum(1 for n in names if BIAS_HEAD.search(n) or vocabulary.canonical_bias(n))
    return bool(INTRO.search(introduction) and biased >= 1) or biased >= len(items) / 2


def _bias_from_item(item: Block) -> BiasNote | None:
    name, definition = _name_and_definition(item)
    if not name:
        return None
    return BiasNote(name=name, definition=definition, anchor=item.anchor)


def _name_and_definition(item: Block) -> tuple[str | None, str | None]:
    """'**The confirmation bias** — “the tendency to …”' -> ('confirmation bias', 'the tendency to …')."""
    text = item.text
    if item.lead:
        name, rest = item.lead, item.rest
    elif item.links and _starts_with(text, item.links[0].text):
        name = item.links[0].text
        rest = text[text.find(name) + len(name):]
    else:
        parts = SEPARATOR.split(text, maxsplit=1)
        name, rest = parts[0], parts[1] if len(parts) > 1 else ""
    name = re.sub(r"^(?:the|a|an)\s+", "", name.strip(" :—–-"), flags=re.IGNORECASE)
    if not name or len(name.split()) > MAX_NAME_WORDS:
        return None, None
    return name, _definition(rest)


def _definition(rest: str) -> str | None:
    rest = rest.strip().lstrip(":—–-").strip()
    if not rest:
        return None
    quoted = re.match(r"^[“\"](.+?)[”\"]", rest)
    return strip_quotes(quoted.group(1)) if quoted else strip_quotes(rest)


def _starts_with(text: str, prefix: str) -> bool:
    return bool(prefix) and re.match(r"^(?:the|a|an)?\s*" + re.escape(prefix), text, re.IGNORECASE) is not None

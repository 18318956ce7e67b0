"""Failure injections (catalogues of attacks a tool offers) and written-up chaos experiments.

A catalogue is a list, or a run of `<br>`-separated lines, introduced by a
sentence or heading about failure or fault injection, attacks, or the chaos
experiments a tool makes available. "Typical experiments are: …" introduces
categories, not a catalogue, and is left alone.

An experiment is a heading about an experiment whose list labels its parts
(hypothesis, injection, load); its outcome is the text under a following
"outcome" or "result" heading.
"""

from __future__ import annotations

import re

from ingest.model.html.document import Block, Document
from ingest.model.extract.notes import Experiment, FailureInjection
from ingest.model.extract.vocabulary import Vocabulary
from ingest.model.extract.words import strip_numbering

INJECTION_WORDS = re.compile(r"\b(injections?|inject(?:s|ed|ing)?|attacks?|faults?)\b", re.IGNORECASE)
AVAILABLE_WORDS = re.compile(r"\b(available|library|documents?|supported|provides?|ready[- ]to[- ]use|offers?)\b",
                             re.IGNORECASE)
EXPERIMENT_WORDS = re.compile(r"\bexperiments?\b", re.IGNORECASE)
FIELDS = (
    ("hypothesis", re.compile(r"\bhypothes[ie]s\b", re.IGNORECASE)),
    ("injection", re.compile(r"\b(inject\w*|failure|fault)\b", re.IGNORECASE)),
    ("load", re.compile(r"\b(load|traffic)\b", re.IGNORECASE)),
)
OUTCOME = re.compile(r"\b(outcome|results?|findings?|conclusions?)\b", re.IGNORECASE)
NAME_SEPARATOR = re.compile(r"\s*:\s+|\s+[—–]\s+")


def extract_injections(document: Document, vocabulary: Vocabulary) -> list[FailureInjection]:
    found: list[FailureInjection] = []
    for items in document.lists().values():
        if _introduces_catalogue(document, items[0]):
            found += [i for i in (_injection(item.lead, item.rest, item.text, item.anchor) for item in items) if i]
    for block in document.blocks:
        if len(block.lines) >= 2 and block.kind == "paragraph" and _introduces_catalogue(document, block):
            found += [i for i in (_injection("", "", line, block.anchor) for line in block.lines) if i]
    return found


def extract_experiments(document: Document, vocabulary: Vocabulary) -> list[Experiment]:
    found = []
    for heading in document.headings():
        if not EXPERIMENT_WORDS.search(heading.text) or OUTCOME.search(heading.text):
            continue
        parts = _labelled_parts(document.under(heading))
        if "hypothesis" in parts:
            found.append((heading, parts))
    outcomes = _outcomes(document, [heading for heading, _ in found])
    return [Experiment(
        title=re.sub(r"^experiment\s*[:—–-]\s*", "", heading.text, flags=re.IGNORECASE),
        hypothesis=parts.get("hypothesis"), injection=parts.get("injection"), load=parts.get("load"),
        outcome=outcome, anchor=heading.anchor,
    ) for (heading, parts), outcome in zip(found, outcomes)]


def _introduces_catalogue(document: Document, first: Block) -> bool:
    """Whether the sentence or heading just before `first` announces a catalogue of injections."""
    for block in reversed(document.before(first, 2)):
        text = block.text
        if INJECTION_WORDS.search(text) or (EXPERIMENT_WORDS.search(text) and AVAILABLE_WORDS.search(text)):
            return text.endswith(":") or block.kind == "heading" or AVAILABLE_WORDS.search(text) is not None
    return False


def _injection(lead: str, rest: str, text: str, anchor: str | None) -> FailureInjection | None:
    if lead:
        name, description = lead.rstrip(" :—–-"), rest.lstrip(" :—–-")
    else:
        parts = NAME_SEPARATOR.split(strip_numbering(text), maxsplit=1)
        name, description = parts[0], parts[1] if len(parts) > 1 else ""
    name = strip_numbering(name).strip()
    if not name or len(name.split()) > 12:
        return None
    return FailureInjection(name=name, description=description.strip() or None, anchor=anchor)


def _labelled_parts(blocks: list[Block]) -> dict[str, str]:
    """'**Experiment hypothesis**: …' items, by the field their label names."""
    parts: dict[str, str] = {}
    for block in blocks:
        if block.kind == "heading":
            break
        if not block.lead or not block.rest:
            continue
        for name, label in FIELDS:
            if name not in parts and label.search(block.lead):
                parts[name] = block.rest.lstrip(" :—–-")
                break
    return parts


def _outcomes(document: Document, experiments: list[Block]) -> list[str | None]:
    """Each experiment's outcome: the text under the first heading after it, at its level or above, about an
    outcome, unless a heading above its level comes first.

    One pass from the end of the document keeps, for each level, where the next such headings are: a
    search forward from each experiment would read to the end of the article for every experiment
    without an outcome (quadratic in the experiments).
    """
    if not experiments:
        return []  # most articles: no pass over their blocks
    wanted = {document.index(heading): heading.level for heading in experiments}
    levels = range(1, 8)
    next_outcome: dict[int, int | None] = dict.fromkeys(levels)  # level -> next outcome heading at it or above
    next_above: dict[int, int | None] = dict.fromkeys(levels)  # level -> next heading above it
    found: dict[int, int | None] = {}
    blocks = document.blocks
    for position in range(len(blocks) - 1, -1, -1):
        if position in wanted:
            level = wanted[position]
            outcome, above = next_outcome[level], next_above[level]
            found[position] = outcome if outcome is not None and (above is None or outcome <= above) else None
        block = blocks[position]
        if block.kind == "heading":
            is_outcome = OUTCOME.search(block.text) is not None
            for level in levels:
                if is_outcome and block.level <= level:
                    next_outcome[level] = position
                if block.level < level:
                    next_above[level] = position
    texts: dict[int, str | None] = {}  # experiments may share an outcome: its text is gathered once
    for position in found.values():
        if position is not None and position not in texts:
            text = [b.text for b in document.under(blocks[position]) if b.kind == "paragraph" and not b.quoted]
            texts[position] = " ".join(text) or None
    return [texts[p] if (p := found[document.index(h)]) is not None else None for h in experiments]

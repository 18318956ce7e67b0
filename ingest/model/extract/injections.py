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
    experiments = []
    for heading in document.headings():
        if not EXPERIMENT_WORDS.search(heading.text) or OUTCOME.search(heading.text):
            continue
        parts = _labelled_parts(document.under(heading))
        if "hypothesis" not in parts:
            continue
        experiments.append(Experiment(
            title=re.sub(r"^experiment\s*[:—–-]\s*", "", heading.text, flags=re.IGNORECASE),
            hypothesis=parts.get("hypothesis"), injection=parts.get("injection"), load=parts.get("load"),
            outcome=_outcome(document, heading), anchor=heading.anchor,
        ))
    return experiments


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


def _outcome(document: Document, experiment: Block) -> str | None:
    index = document.index(experiment)
    for block in document.blocks[index + 1:]:
        if block.kind == "heading" and block.level <= experiment.level and OUTCOME.search(block.text):
            text = [b.text for b in document.under(block) if b.kind == "paragraph" and not b.quoted]
            return " ".join(text) or None
        if block.kind == "heading" and block.level < experiment.level:
            return None
    return None

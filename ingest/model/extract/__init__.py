"""Extractors: small pure functions from a Document to notes, run by one registry.

The second of the model's three subjects, with the notes' types (notes) and the
vocabularies kept as data (vocabulary, vocab/*.yml); it reads the document model
of model/html and nothing of the knowledge core.

Each extractor reads the document model and returns what it found, or
nothing. The article's kind decides which run; one that fails on an article is
recorded and the others go on.
"""

from __future__ import annotations

import logging
from typing import Callable

from ingest.model.html.document import Document
from ingest.model.extract.notes import ArticleNotes, Kind
from ingest.model.extract.vocabulary import Vocabulary
from ingest.model.extract.biases import extract_biases
from ingest.model.extract.questions import extract_checklist
from ingest.model.extract.injections import extract_experiments, extract_injections
from ingest.model.extract.kinds import classify
from ingest.model.extract.launches import extract_launches
from ingest.model.extract.lessons import extract_lessons
from ingest.model.extract.patterns import extract_mentions

log = logging.getLogger(__name__)

Extractor = Callable[[Document, Vocabulary], object]

# (field of ArticleNotes, extractor, the kinds it runs on; empty means every kind)
EXTRACTORS: tuple[tuple[str, Extractor, tuple[Kind, ...]], ...] = (
    ("launches", extract_launches, ("digest",)),
    ("checklist", extract_checklist, ("checklist",)),
    ("mentions", extract_mentions, ()),
    ("biases", extract_biases, ()),
    ("lessons", extract_lessons, ()),
    ("injections", extract_injections, ()),
    ("experiments", extract_experiments, ()),
)


def extract_notes(document: Document, vocabulary: Vocabulary, *, label: str = "") -> ArticleNotes:
    """Classify the document and run the extractors its kind calls for."""
    kind = classify(document)
    found: dict[str, object] = {}
    failures = []
    for name, extractor, kinds in EXTRACTORS:
        if kinds and kind not in kinds:
            continue
        try:
            result = extractor(document, vocabulary)
        except Exception as e:  # one extractor failing must not cost the article its other notes
            failures.append(f"{name}: {type(e).__name__}: {e}")
            log.info("resilience-kb: %s: extractor %s failed: %s: %s", label, name, type(e).__name__, e)
            continue
        found[name] = tuple(result) if isinstance(result, list) else result
    return ArticleNotes(kind=kind, failures=tuple(failures), **found)

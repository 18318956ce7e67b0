"""The bundled passages the stricter sense rule of issue 12 lost, graded against their hand labels.

tests/expectations/bundled_passages.yml labels each passage that an ambiguous
pattern term ("postmortem", "monitor", "rollback") was found in before the rule
and not after it, by reading it: in an article whose own topic is running
software these are mostly the pattern's sense, and the article is their context.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from support import BUNDLED_ARCHIVE
from ingest.model.load import load_knowledge

LABELS = Path(__file__).resolve().parent / "expectations" / "bundled_passages.yml"
RECALL = 0.95


def _labels(sense: bool) -> list[dict]:
    passages = yaml.safe_load(LABELS.read_text(encoding="utf-8"))["passages"]
    return [p for p in passages if p["sense"] is sense]


@pytest.fixture(scope="module")
def found() -> set[tuple[str, str, str]]:
    """(pattern, article id, passage) of every mention in the bundled archive, whitespace normalised."""
    knowledge, _ = load_knowledge(BUNDLED_ARCHIVE)
    return {(m.pattern, article_id, " ".join(m.text.split()))
            for article_id, notes in knowledge.notes.items() for m in notes.mentions}


def _is_found(label: dict, found: set[tuple[str, str, str]]) -> bool:
    passage = " ".join(label["passage"].split())
    return any(pattern == label["pattern"] and article == label["article"] and passage in text
               for pattern, article, text in found)


def test_the_labels_are_the_forty_lost_passages():
    assert len(_labels(True)) + len(_labels(False)) == 40
    assert all(label.get("reason") for label in _labels(False))


def test_true_passages_are_found_again(found):
    true = [label for label in _labels(True) if not label.get("title")]
    missed = [f"{label['pattern']}: {label['passage']}" for label in true if not _is_found(label, found)]
    assert (len(true) - len(missed)) / len(true) >= RECALL, missed


def test_titles_are_not_passages(found):
    titles = [label for label in _labels(True) if label.get("title")]
    assert len(titles) == 6
    assert [label["passage"] for label in titles if _is_found(label, found)] == []


def test_false_passages_are_not_found(found):
    wrong = [f"{label['pattern']}: {label['passage']}" for label in _labels(False) if _is_found(label, found)]
    assert wrong == []

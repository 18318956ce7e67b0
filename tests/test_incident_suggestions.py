"""`incident check`'s suggested links of one file: numbered, chosen by number, written into the text."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.errors import UsageError
from ingest.model.checklists import load_checklists
from ingest.model.extract.vocabulary import load_vocabulary
from ingest.model.incident_format import IncidentError
from ingest.model.incident_links import Linker, incident_suggestions, load_link_data
from ingest.model.incident_reader import parse_incident
from ingest.model.incident_suggestions import accept_into_text, accepted, numbered_lines
from ingest.model.incidents import check_incident

ROOT = Path(__file__).resolve().parent.parent
VOCABULARY = load_vocabulary()
CHECKLISTS = load_checklists(ROOT / "checklists", VOCABULARY)
NAME = "incidents/2026-05-04-orders-retry-storm.md"
TEXT = """\
---
date: 2026-05-04
start:
end:
severity: sev2
type: outage
services: [orders]
detection:
detected_after:
owner: Grace
status: draft
---

# Orders down after a retry storm

## Summary

The orders service failed for 40 minutes.

## Contributing factors

### Client retries amplified the load on the inventory service `f1`

Kind: technical
Patterns: retries
Biases:
Questions:

### Nobody questioned the cut-over plan in the review `f2`

Kind: organisational
Patterns:
Biases:
Questions:

### The status page was updated late `f3`

Kind: communication
Patterns:
Biases:
Questions:

## Action items

- Add exponential back-off with jitter to the order client's retries
  - owner: Grace
  - status: open
  - factor: f1
"""
# By hand: f1 names retries (linked); retries fail, so back-off and circuit breakers contain
# it; the ORR's retry/back-off question; f2 describes groupthink; f3 names nothing; the action
# item names retries and back-off: that question again.
EXPECTED = [("f1", "pattern", "back-off"), ("f1", "pattern", "circuit-breakers"),
            ("f1", "question", "orr-what-is-the-retry-back-off"), ("f2", "bias", "groupthink"),
            ("action 1", "question", "orr-what-is-the-retry-back-off")]


@pytest.fixture(scope="module")
def suggestions():
    linker = Linker(VOCABULARY, CHECKLISTS, load_link_data(VOCABULARY))
    return incident_suggestions(parse_incident(TEXT, NAME), linker)


def test_the_file_s_suggestions_are_those_labelled_by_hand(suggestions) -> None:
    assert [(s.target, s.kind, s.id) for s in suggestions] == EXPECTED


def test_they_are_numbered_under_their_factor_or_action_item_with_how_to_accept(suggestions) -> None:
    lines = numbered_lines(NAME, parse_incident(TEXT, NAME), suggestions)
    assert lines[0] == f"{NAME}: 5 suggested links"
    assert lines[1] == "  factor f1 (line 22): Client retries amplified the load on the inventory service"
    assert lines[2] == "    1. pattern back-off: Back-off and jitter"
    assert "    4. bias groupthink: Groupthink" in lines
    assert any(line.startswith("  action item 1 (line 45): Add exponential back-off") for line in lines)
    assert lines[-1].endswith(f"incident check {NAME} --apply 1,2 (their numbers) or --apply all")


def test_apply_writes_only_the_accepted_links_and_the_result_passes_the_check(suggestions) -> None:
    chosen = accepted("1, 4,5", suggestions)
    assert [s.id for s in chosen] == ["back-off", "groupthink", "orr-what-is-the-retry-back-off"]
    written = accept_into_text(TEXT, NAME, chosen)
    # line 25 (f1's patterns) and 33 (f2's biases) gain the accepted ids, the action item gains its
    # question after its last line (48); every other line is as it was
    expected = TEXT.split("\n")
    expected[24], expected[32] = "Patterns: retries, back-off", "Biases: groupthink"
    expected.insert(48, "  - question: orr-what-is-the-retry-back-off")
    assert written.split("\n") == expected
    check_incident(parse_incident(written, NAME), CHECKLISTS, VOCABULARY, frozenset({"orders"}))
    assert accept_into_text(TEXT, NAME, []) == TEXT


@pytest.mark.parametrize("choice", ["0", "6", "x", "1,,2", ""])
def test_a_number_not_shown_is_refused_with_the_range(suggestions, choice: str) -> None:
    with pytest.raises(UsageError, match=r"is not the number of a suggestion \(shown: 1 to 5\)"):
        accepted(choice, suggestions)


def test_all_accepts_every_one(suggestions) -> None:
    assert accepted("all", suggestions) == suggestions


@pytest.mark.parametrize("change", [("\n", "\r\n"), ("Kind: technical\n", "Kind:   technical\n")])
def test_a_file_not_in_the_canonical_form_is_refused_and_left_alone(suggestions, change) -> None:
    text = TEXT.replace(*change)
    with pytest.raises(IncidentError, match=f"{NAME}: --apply writes the file in the form"):
        accept_into_text(text, NAME, suggestions)

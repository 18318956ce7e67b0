"""Suggested links of incident factors and action items, measured on hand-labelled texts.

tests/expectations/incident_links.yml holds 45 short texts labelled by hand before the
code existed: 25 the rules and data were tuned on, 20 held out and never tuned on.
The floors below are a little under what was measured when the tuning was done
(README "Incidents"): tuning P 0.89 R 0.71, held out P 0.88 R 0.55, over all links.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from ingest.model.checklists import load_checklists
from ingest.model.extract.vocabulary import load_vocabulary
from ingest.model.incident_links import (Linker, LinkDataError, Suggestion, apply_suggestions, incident_suggestions,
                                         load_link_data)
from ingest.model.incident_types import Factor, Incident, IncidentAction
from ingest.model.review_format import ActionItem

ROOT = Path(__file__).resolve().parent.parent
LABELS = yaml.safe_load((ROOT / "tests/expectations/incident_links.yml").read_text(encoding="utf-8"))
KINDS = ("patterns", "biases", "questions")
# (precision, recall) floors over all three kinds of link, and per kind where a kind has enough labels
FLOORS = {"tuning": {"all": (0.85, 0.65), "patterns": (0.85, 0.75), "biases": (0.8, 0.8), "questions": (0.85, 0.45)},
          "held_out": {"all": (0.80, 0.50), "patterns": (0.90, 0.55), "questions": (0.60, 0.55)}}


@pytest.fixture(scope="module")
def linker() -> Linker:
    vocabulary = load_vocabulary()
    return Linker(vocabulary, load_checklists(ROOT / "checklists", vocabulary), load_link_data(vocabulary))


def measure(linker: Linker, entries: list[dict]) -> dict[str, tuple[float, float]]:
    counts = {kind: [0, 0, 0] for kind in KINDS}  # right, suggested, labelled
    for entry in entries:
        suggested = linker.suggest(entry["text"], kind=entry["kind"])
        for kind in KINDS:
            got, expected = set(getattr(suggested, kind)), set(entry[kind])
            counts[kind][0] += len(got & expected)
            counts[kind][1] += len(got)
            counts[kind][2] += len(expected)
    counts["all"] = [sum(counts[kind][i] for kind in KINDS) for i in range(3)]
    return {kind: (right / max(made, 1), right / max(labelled, 1)) for kind, (right, made, labelled) in counts.items()}


def test_the_labels_are_enough_and_name_real_ids() -> None:
    vocabulary = load_vocabulary()
    questions = {item.id for c in load_checklists(ROOT / "checklists", vocabulary) for item in c.items}
    entries = LABELS["tuning"] + LABELS["held_out"]
    assert len(entries) >= 30 and len(LABELS["held_out"]) >= 15
    assert not {e["text"] for e in LABELS["tuning"]} & {e["text"] for e in LABELS["held_out"]}
    assert sum(1 for e in entries if not any(e[k] for k in KINDS)) >= 5  # texts that should suggest nothing
    for entry in entries:
        assert set(entry["patterns"]) <= set(vocabulary.pattern_by_id), entry["text"]
        assert set(entry["questions"]) <= questions, entry["text"]


@pytest.mark.parametrize("part", ["tuning", "held_out"])
def test_precision_and_recall_on_labelled_texts(linker: Linker, part: str) -> None:
    measured = measure(linker, LABELS[part])
    for kind, (precision, recall) in FLOORS[part].items():
        assert measured[kind][0] >= precision, (part, kind, measured[kind])
        assert measured[kind][1] >= recall, (part, kind, measured[kind])


def test_the_issue_s_two_examples(linker: Linker) -> None:
    retries = linker.suggest("Retries amplified the load.")
    assert set(retries.patterns) == {"retries", "back-off", "circuit-breakers"}
    assert "orr-what-is-the-retry-back-off" in retries.questions
    assert linker.suggest("Nobody questioned the plan.").biases == ("groupthink",)


def test_other_senses_and_plain_texts_suggest_nothing(linker: Linker) -> None:
    for text in ("The on-call engineer's cell phone was on silent.",
                 "Transaction isolation was set to read committed, so two refunds were both applied.",
                 "A redundant cleanup job deleted the same files twice.",
                 "The marketing team's monitor in the lobby showed the wrong date.",
                 "The customer announcement went out with the wrong time zone."):
        suggested = linker.suggest(text)
        assert not (suggested.patterns or suggested.biases or suggested.questions), text


def test_a_cue_allows_a_few_words_between_its_words_and_reads_contractions(linker: Linker) -> None:
    assert "groupthink" in linker.suggest("Nobody in the review questioned the cut-over.").biases
    assert "groupthink" in linker.suggest("Two engineers didn't voice their doubts.").biases
    assert "groupthink" not in linker.suggest("Nobody was paged, so the plan was never questioned.").biases


def test_a_factor_is_offered_what_contains_a_failure_an_action_item_only_what_it_names(linker: Linker) -> None:
    assert set(linker.suggest("Retries without back-off amplified the load.").patterns) == {
        "retries", "back-off", "circuit-breakers"}
    assert set(linker.suggest("Add back-off to the client's retries.", kind="action").patterns) == {
        "retries", "back-off"}


def test_questions_are_few_and_a_crowded_pattern_needs_a_shared_word(linker: Linker) -> None:
    # monitoring is carried by many questions: alone it picks none of them
    assert linker.suggest("Monitoring was missing.").questions == ()
    questions = linker.suggest("No metric monitored the certificate, which expired.").questions
    assert questions[0] == "orr-do-you-monitor-for-certificate-expiration" and len(questions) <= 2
    # a postmortem checklist is the incident's own template: never suggested
    assert not any(q.startswith("postmortem-") for q in linker.suggest("The rollback was not caught.").questions)


def incident() -> Incident:
    return Incident(
        slug="2026-03-02-orders", title="Orders", date=date(2026, 3, 2),
        factors=(Factor("f1", "Client retries amplified the load; nobody questioned the plan.", "technical",
                        patterns=("retries",)),
                 Factor("f2", "The status page was late.", "communication")),
        actions=(IncidentAction(ActionItem("Add exponential back-off to the client retries")),
                 IncidentAction(ActionItem("Add back-off to the importer's retries",
                                           question="orr-describe-the-resilience-to-failure-of"))))


def test_an_incident_is_offered_only_what_it_does_not_link(linker: Linker) -> None:
    found = [(s.target, s.kind, s.id) for s in incident_suggestions(incident(), linker)]
    assert ("f1", "pattern", "retries") not in found  # linked already
    assert ("f1", "pattern", "back-off") in found and ("f1", "pattern", "circuit-breakers") in found
    assert ("f1", "bias", "groupthink") in found
    assert ("f1", "question", "orr-what-is-the-retry-back-off") in found
    assert not [s for s in found if s[0] == "f2"]
    assert ("action 1", "question", "orr-what-is-the-retry-back-off") in found
    assert not [s for s in found if s[0] == "action 2"]  # it has its question


def test_applying_adds_the_accepted_links_and_changes_nothing_else(linker: Linker) -> None:
    before = incident()
    chosen = [Suggestion("f1", "pattern", "back-off", ""), Suggestion("f1", "bias", "groupthink", ""),
              Suggestion("action 1", "question", "orr-what-is-the-retry-back-off", "")]
    after = apply_suggestions(before, chosen)
    assert after.factors[0].patterns == ("retries", "back-off")
    assert after.factors[0].biases == ("groupthink",)
    assert after.factors[1] == before.factors[1]
    assert after.actions[0].item.question == "orr-what-is-the-retry-back-off"
    assert after.actions[1] == before.actions[1]
    assert (after.slug, after.title, after.date) == (before.slug, before.title, before.date)
    assert [s for s in incident_suggestions(after, linker) if (s.target, s.id) in
            {(c.target, c.id) for c in chosen}] == []


@pytest.mark.parametrize("text, message", [
    ("contained_by:\n  retries: [back-of]\n", "'back-of' is not a pattern id"),
    ("cues:\n  group thinking: [nobody questioned]\n", "'group thinking' is not a bias"),
    ("cues:\n  groupthink: nobody questioned\n", "expected a list of phrases"),
    ("links: {}\n", "expected a mapping with 'contained_by' and 'cues'"),
])
def test_bad_link_data_is_refused_with_the_file_and_the_entry(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "incident_links.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LinkDataError) as error:
        load_link_data(load_vocabulary(), path)
    assert str(path) in str(error.value) and message in str(error.value)

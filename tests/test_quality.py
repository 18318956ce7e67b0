"""Extraction graded against hand-checked expectations for the 12 articles of the bundled archive.

The expectations (tests/expectations/*.yml) were written by reading the
articles. Each category must reach recall >= 0.95 and precision >= 0.90; the
tests also pin exact counts and texts taken from the articles.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from support import BUNDLED_ARCHIVE
from ingest.model.html.document import tidy
from ingest.model.export import knowledge_data
from ingest.model.load import load_knowledge
from ingest.model.extract.vocabulary import bias_key

EXPECTATIONS = Path(__file__).resolve().parent / "expectations"
RECALL, PRECISION = 0.95, 0.90


def expected(name: str) -> dict:
    return yaml.safe_load((EXPECTATIONS / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def model() -> dict:
    knowledge, _ = load_knowledge(BUNDLED_ARCHIVE)
    return knowledge_data(knowledge)


@pytest.fixture(scope="module")
def article_id(model) -> dict[str, str]:
    """guid -> article id (the archive keys ids by guid)."""
    knowledge, _ = load_knowledge(BUNDLED_ARCHIVE)
    return {a.url: a.id for a in knowledge.articles}


def grade(expected_items: list, found_items: list) -> tuple[float, float]:
    want, got = set(expected_items), set(found_items)
    hits = len(want & got)
    return hits / len(want), (hits / len(got) if got else 0.0)


def assert_quality(expected_items: list, found_items: list) -> None:
    recall, precision = grade(expected_items, found_items)
    missing = sorted(set(expected_items) - set(found_items), key=str)[:5]
    extra = sorted(set(found_items) - set(expected_items), key=str)[:5]
    assert recall >= RECALL and precision >= PRECISION, (recall, precision, missing, extra)


def norm(text: str | None) -> str:
    return tidy(text or "").casefold()


def test_article_kinds(model, article_id):
    want = [(article_id[k["guid"]], k["kind"]) for k in expected("launches_kinds.yml")["kinds"]]
    got = [(a["id"], a["kind"]) for a in model["articles"]]
    assert len(want) == 12
    assert_quality(want, got)


def test_launches_with_links_and_headline_flag(model, article_id):
    want = [(article_id[d["article"]], norm(i["title"]), i["url"], i["notable"])
            for d in expected("launches_kinds.yml")["launches"] for i in d["items"]]
    got = [(l["article"], norm(l["title"]), l["url"], l["notable"]) for l in model["launches"]]
    assert len(want) == 21
    assert_quality(want, got)


def test_launch_summaries_are_the_articles_words(model):
    by_title = {norm(l["title"]): l for l in model["launches"]}
    for digest in expected("launches_kinds.yml")["launches"]:
        for item in digest["items"]:
            if item["summary_starts"]:
                summary = by_title[norm(item["title"])]["summary"]
                assert norm(summary).startswith(norm(item["summary_starts"])), (item["title"], summary)


def test_digest_counts(model, article_id):
    part_2 = article_id["https://dev.to/aws/aws-re-invent-2020-digest-part-2-27pn"]
    launches = [l for l in model["launches"] if l["article"] == part_2]
    assert [l["notable"] for l in launches].count(True) == 4
    assert [l["title"] for l in launches if not l["notable"]] == [
        "Serverless Batch Scheduling with AWS Batch and AWS Fargate",
        "Introducing AWS CloudShell",
        "AWS Lambda launches checkpointing for Amazon Kinesis and Amazon DynamoDB Streams",
        "AWS Cost Anomaly Detection is now generally available",
    ]


def test_patterns_and_the_articles_that_mention_them(model, article_id):
    want = [(article_id[a["guid"]], p["id"]) for a in expected("patterns.yml")["articles"] for p in a["patterns"]]
    got = [(article, p["id"]) for p in model["patterns"] for article in p["articles"]]
    assert_quality(want, got)


def test_pattern_mentions_quote_the_article(model, article_id):
    bulkheads = next(p for p in model["patterns"] if p["id"] == "bulkheads")
    orr = article_id["https://dev.to/aws/operational-readiness-review-template-1dha"]
    texts = [m["text"] for m in bulkheads["mentions"] if m["article"] == orr]
    assert texts == ["What parts of your architectural design reduces the blast radius of failures? "
                     "(discuss bulkheads, cells, shards, etc.)"]
    assert all(m["anchor"] for p in model["patterns"] for m in p["mentions"])


def test_biases_merged_with_definitions(model, article_id):
    notes = expected("notes.yml")
    want = [(article_id[a["article"]], bias_key(b["name"]), norm(b["definition"]))
            for a in notes["biases_by_article"] for b in a["items"]]
    got = []
    for bias in model["biases"]:
        definitions = {d["article"]: d["text"] for d in bias["definitions"]}
        got += [(article, bias_key(bias["name"]), norm(definitions.get(article))) for article in bias["articles"]]
    assert_quality(want, got)
    merged = {bias_key(b["name"]): len(b["articles"]) for b in model["biases"]}
    assert len(merged) == len(notes["biases_merged"]) == 11
    assert merged["confirmation bias"] == 3 and merged["hindsight bias"] == 2


def test_lessons_with_key_sentences(model, article_id):
    lessons = expected("notes.yml")["lessons"]
    want = [(article_id[a["article"]], l["number"], norm(l["title"])) for a in lessons for l in a["items"]]
    got = [(l["article"], l["number"], norm(l["title"])) for l in model["lessons"]]
    assert_quality(want, got)
    summaries = {l["number"]: l["summary"] for l in model["lessons"]}
    key_sentences = [(l["number"], l["key_sentence"]) for a in lessons for l in a["items"] if l["key_sentence"]]
    found = [n for n, sentence in key_sentences if norm(sentence) in norm(summaries[n])]
    assert len(found) / len(key_sentences) >= RECALL, set(n for n, _ in key_sentences) - set(found)


def test_failure_injections(model, article_id):
    groups = expected("notes.yml")["failure_injections"]
    want = [(article_id[g["article"]], norm(i["name"]), norm(i["description"])) for g in groups for i in g["items"]]
    got = [(i["article"], norm(i["name"]), norm(i["description"])) for i in model["failure_injections"]]
    assert len(want) == 13
    assert_quality(want, got)


def test_experiment_write_up(model):
    [experiment] = model["experiments"]
    want = expected("notes.yml")["experiments"][0]
    assert experiment["title"] == "Validate ElastiCache timeout"
    for field in ("hypothesis", "injection", "load"):
        assert norm(experiment[field]).startswith(norm(want[field])), field
    assert norm(want["outcome"]).startswith(norm(experiment["outcome"])[:200])


@pytest.mark.parametrize("checklist_id, sections, items", [("orr", 9, 93), ("postmortem", 16, 57)])
def test_checklists_complete_and_in_order(model, checklist_id, sections, items):
    want_data = expected("checklists.yml")[checklist_id]
    [found] = [c for c in model["checklists"] if c["id"] == checklist_id]
    assert [s["title"] for s in found["sections"]] == [s["title"] for s in want_data["sections"]]
    want = [(norm(s["title"]), norm(i)) for s in want_data["sections"] for i in s["items"]]
    got = [(norm(s["title"]), norm(i["text"])) for s in found["sections"] for i in s["items"]]
    assert (len(found["sections"]), len(got)) == (sections, items)
    assert_quality(want, got)
    assert got == want  # and in the article's order


def test_orr_items_name_the_patterns_of_their_explanation(model):
    [orr] = [c for c in model["checklists"] if c["id"] == "orr"]
    items = {i["text"]: i for s in orr["sections"] for i in s["items"]}
    blast = items["What parts of your architectural design reduces the blast radius of failures?"]
    assert blast["detail"] == "(discuss bulkheads, cells, shards, etc.)"
    assert {"blast-radius", "bulkheads", "cell-based-architecture", "sharding"} <= set(blast["patterns"])
    resilience = items["Describe the resilience to failure of each of your components"]
    assert {"multi-az", "self-healing", "retries", "timeouts", "back-off", "throttling"} <= set(resilience["patterns"])
    assert "static-stability" in items["Can your service sustain production traffic with one AZ down?"]["patterns"]

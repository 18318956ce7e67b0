"""Curated checklists: the committed files, the schema check, drift, the pages and the fillable copy."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from support import BUNDLED_ARCHIVE, ROOT, SEED, make_project, run_cli, snapshot
from ingest.model.checklists import (
    ChecklistError,
    accept_upstream,
    checklist_yaml,
    fingerprint,
    load_checklist,
)
from ingest.model.load import load_knowledge
from ingest.model.extract.vocabulary import load_vocabulary

VOCABULARY = load_vocabulary()
EXPECTED = yaml.safe_load((Path(__file__).parent / "expectations" / "checklists.yml").read_text(encoding="utf-8"))


def expected_items(checklist_id: str) -> list[tuple[str, str]]:
    return [(s["title"], item) for s in EXPECTED[checklist_id]["sections"] for item in s["items"]]


@pytest.mark.parametrize("checklist_id", ["orr", "postmortem"])
def test_committed_files_hold_the_whole_template_in_order(checklist_id):
    checklist = load_checklist(ROOT / "checklists" / f"{checklist_id}.yml", VOCABULARY)
    found = [(s.title, item.text) for s in checklist.sections for item in s.items]
    edits = EXPECTED["curated_edits"]
    assert found == [(title, edits.get(item.id, text))
                     for (title, text), item in zip(expected_items(checklist_id), checklist.items)]
    # Each item is still the article's question it was made from, edited or not.
    assert [item.source for item in checklist.items] == [fingerprint(text) for _, text in expected_items(checklist_id)]
    ids = [item.id for item in checklist.items]
    assert len(ids) == len(set(ids)) and all(i.startswith(f"{checklist_id}-") for i in ids)
    assert checklist.source.article.startswith("operational-readiness" if checklist_id == "orr" else "incident-post")
    assert len(checklist.source.items) == len(found)


def test_generated_file_round_trips(tmp_path):
    knowledge, _ = load_knowledge(ROOT / "archive")
    [(article, extracted)] = [(a, c) for a, c in knowledge.checklists() if c.id == "orr"]
    path = tmp_path / "orr.yml"
    path.write_text(checklist_yaml(extracted, article_id=article.id, url=article.url, version=article.content_hash,
                                   date="2020-11-12"))
    loaded = load_checklist(path, VOCABULARY)
    assert [i.text for i in loaded.items] == [i.text for i in extracted.items]
    assert [i.detail for i in loaded.items] == [i.detail for i in extracted.items]
    assert loaded.source.version == article.content_hash
    assert loaded.items[2].id == "orr-what-is-the-sla-of-the"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mine.yml"
    path.write_text(text)
    return path


GOOD = """\
id: mine
title: My checklist
sections:
  - title: First
    items:
      - id: mine-one
        text: Do we retry with back-off?
      - id: mine-two
        text: Is there a bulkhead?
        patterns: [bulkheads, timeouts]
"""


def test_patterns_are_found_in_the_text_unless_set_by_hand(tmp_path):
    knowledge, _ = load_knowledge(ROOT / "archive", _folder_with(tmp_path, GOOD))
    [entry] = [e for e in knowledge.curated if e.checklist.id == "mine"]
    assert entry.patterns == {"mine-one": ("retries", "back-off"), "mine-two": ("bulkheads", "timeouts")}


@pytest.mark.parametrize("change, message", [
    (lambda t: t.replace("id: mine-two", "id: mine-one"),
     r"mine\.yml:8: duplicate item id 'mine-one' \(first used on line 6\); give this item an id of its own"),
    (lambda t: t.replace("[bulkheads, timeouts]", "[bulkhead]"),
     r"mine\.yml:8: item 'mine-two': unknown pattern 'bulkhead'; use an id from ingest/model/extract/vocab/patterns\.yml"),
    (lambda t: t.replace("        text: Is there a bulkhead?\n", ""),
     r"mine\.yml:8: missing 'text'; add the question as it should read"),
    (lambda t: t.replace("      - id: mine-one\n", "      - \n"),
     r"mine\.yml:7: missing 'id'; add a unique id such as `orr-my-new-question`"),
    (lambda t: t.replace("      - id: mine-one\n        text: Do we retry with back-off?\n", "      - just words\n"),
     r"mine\.yml: each item is a mapping with 'id' and 'text', got 'just words'"),
    (lambda t: t.replace("id: mine-one", "id: Mine One"),
     r"mine\.yml:6: item id 'Mine One' must be lowercase letters, digits and hyphens"),
    (lambda t: t.replace("title: First", "title: [First"), r"mine\.yml:\d+: not valid YAML"),
    (lambda t: t.replace("sections:", "parts:"), r"mine\.yml:1: missing 'sections'"),
    (lambda t: t.replace("text: Is there a bulkhead?", "text: Is there a bulkhead?\n        kind: fact"),
     r"^\S*mine\.yml:8: item 'mine-two': kind 'fact' is not one of question, field, text, guidance; write e\.g\. "
     r"`kind: field`"),
    (lambda t: t.replace("text: Is there a bulkhead?", "text: Is there a **bulkhead?"),
     r"mine\.yml:8: item 'mine-two': 'text' has '\*\*', which the page would show as it is \(checklist text is "
     r"plain, not Markdown\); remove the marks or reword"),
    (lambda t: t.replace("text: Is there a bulkhead?", "text: Is there a bulkhead?\n        detail: see __below__"),
     r"mine\.yml:8: item 'mine-two': 'detail' has '__'"),
])
def test_schema_errors_name_the_file_the_line_and_the_fix(tmp_path, change, message):
    with pytest.raises(ChecklistError, match=message):
        load_checklist(write(tmp_path, change(GOOD)), VOCABULARY)


def test_a_broken_checklist_fails_the_build_with_the_message(tmp_path):
    project = make_project(tmp_path)
    path = project / "checklists" / "orr.yml"
    path.write_text(path.read_text().replace("id: orr-what-is-the-sla-of-the", "id: orr-describe-what-your-service-does-from"))
    result = run_cli("build", "--site-dir", str(tmp_path / "site"), cwd=project)
    assert result.returncode == 1
    assert re.search(r"orr\.yml:\d+: duplicate item id 'orr-describe-what-your-service-does-from' \(first used on line \d+\)",
                     result.stderr)


@pytest.mark.slow
def test_editing_a_question_changes_the_page(tmp_path):
    project = make_project(tmp_path)
    path = project / "checklists" / "orr.yml"
    path.write_text(path.read_text().replace("text: What is the SLA of the service?",
                                             "text: What is the SLO of the checkout service?"))
    site = tmp_path / "site"
    assert run_cli("build", "--site-dir", str(site), cwd=project).returncode == 0
    page = BeautifulSoup((site / "checklists" / "orr" / "index.html").read_text(), "lxml")
    item = page.find(id="orr-what-is-the-sla-of-the")
    assert item.label.get_text() == "What is the SLO of the checkout service?"
    assert "What is the SLA of the service?" not in page.get_text()
    assert page.select_one(".admonition.warning") is None  # a team's edit is not drift


def changed_upstream(tmp_path) -> Path:
    """The seed feed with the ORR article changed: one question reworded, one added."""
    feed = SEED.read_text()
    feed = feed.replace("Do you monitor disk space utilization?", "Do you monitor disk space and inode utilization?")
    feed = feed.replace("&lt;p&gt;&lt;strong&gt;Do you have log-rotation in place?&lt;/strong&gt;&lt;/p&gt;",
                        "&lt;p&gt;&lt;strong&gt;Do you have log-rotation in place?&lt;/strong&gt;&lt;/p&gt;\n\n"
                        "&lt;p&gt;&lt;strong&gt;Do you alarm on clock skew?&lt;/strong&gt;&lt;/p&gt;")
    changed = tmp_path / "changed.xml"
    changed.write_text(feed)
    return changed


@pytest.mark.slow
def test_upstream_change_is_reported_as_drift_and_the_file_is_untouched(tmp_path):
    project = make_project(tmp_path)
    changed = changed_upstream(tmp_path)
    before = snapshot(project / "checklists")
    fetched = run_cli("fetch", "--feed", str(changed), cwd=project)
    assert fetched.stdout == "adhorn: file, 0 new, 1 updated, 11 unchanged\n", fetched.stderr
    site = tmp_path / "site"
    built = run_cli("build", "--site-dir", str(site), cwd=project)
    assert built.returncode == 0, built.stderr
    assert ("checklist orr (orr.yml): the source article has 2 questions not in this checklist and 1 of its "
            "questions reworded or removed (orr-do-you-monitor-disk-space-utilization)") in built.stderr
    page = BeautifulSoup((site / "checklists" / "orr" / "index.html").read_text(), "lxml")
    note = " ".join(page.select_one(".admonition.warning").get_text(" ").split())
    assert "The source article has 2 questions not in this checklist" in note
    assert "Do you monitor disk space and inode utilization?" in note and "Do you alarm on clock skew?" in note
    assert snapshot(project / "checklists") == before
    assert page.find(id="orr-do-you-monitor-disk-space-utilization") is not None  # the team's item stays


@pytest.mark.slow
def test_accepting_upstream_ends_the_drift_and_keeps_the_teams_questions(tmp_path):
    project = make_project(tmp_path)
    orr = project / "checklists" / "orr.yml"
    # The team's own wording of a question, before the article changes upstream.
    orr.write_text(orr.read_text().replace("text: Do you have log-rotation in place?",
                                           "text: Is log rotation in place on every host?"))
    assert run_cli("fetch", "--feed", str(changed_upstream(tmp_path)), cwd=project).returncode == 0
    before = orr.read_text()
    marker = "# Where this checklist came from"
    accepted = run_cli("accept-upstream", "orr", cwd=project)
    assert accepted.returncode == 0, accepted.stderr
    assert "new upstream, not in this checklist: Do you alarm on clock skew?" in accepted.stdout
    assert ("reworded or removed upstream, kept as the team's own: orr-do-you-monitor-disk-space-utilization"
            in accepted.stdout)
    after = orr.read_text()
    # Above the source block only the reworded item's fingerprint is gone; the team's text is kept.
    gone = [line for line in before.split(marker)[0].splitlines() if line not in after.split(marker)[0].splitlines()]
    assert gone == ["    source: 5a7715e0af31"]
    assert "text: Is log rotation in place on every host?" in after
    item = next(i for i in load_checklist(orr, VOCABULARY).items if i.id == "orr-do-you-monitor-disk-space-utilization")
    assert item.source is None and item.text == "Do you monitor disk space utilization?"
    site = tmp_path / "site"
    built = run_cli("build", "--site-dir", str(site), cwd=project)
    assert built.returncode == 0, built.stderr
    assert "checklist orr" not in built.stderr
    page = BeautifulSoup((site / "checklists" / "orr" / "index.html").read_text(), "lxml")
    assert page.select_one(".admonition.warning") is None
    again = run_cli("accept-upstream", "orr", cwd=project)
    assert again.returncode == 0 and "no drift from the source article; nothing to accept" in again.stdout
    assert orr.read_text() == after


def test_checklist_pages_have_every_question_as_a_checkbox(built_site):
    page = BeautifulSoup((built_site / "checklists" / "orr" / "index.html").read_text(), "lxml")
    assert len(page.select(".rkb-section")) == 9
    items = page.select("li.rkb-item")
    assert [i.label.get_text() for i in items] == [text for _, text in expected_items("orr")]
    assert all(i.select_one("input[type=checkbox]") and i["data-kind"] == "question" for i in items)
    # The id is the item's address, not text to read: a link to itself, and nothing else shows it.
    assert all([a["href"] for a in i.select("a.rkb-anchor")] == ["#" + i["id"]] for i in items)
    assert all(i["id"] not in i.get_text() for i in items)


def test_postmortem_items_are_filled_in_as_their_kind(built_site):
    """Facts on a line, texts at length, advice only read; only questions are ticked (hand labels)."""
    page = BeautifulSoup((built_site / "checklists" / "postmortem" / "index.html").read_text(), "lxml")
    assert len(page.select(".rkb-section")) == 16
    labels = EXPECTED["postmortem_kinds"]
    items = page.select("li[data-kind]")
    edits = EXPECTED["curated_edits"]
    assert [i.select_one(".rkb-prompt").get_text() for i in items] == [
        edits.get(i["id"], text) for (_, text), i in zip(expected_items("postmortem"), items)]
    for (section, text), item in zip(expected_items("postmortem"), items):
        kind = ("guidance" if section in labels["guidance_sections"] else
                next((k for k in ("field", "text", "guidance") if text in labels[k]), "question"))
        assert item["data-kind"] == kind, text
        assert bool(item.select("input[type=checkbox]")) == (kind == "question"), text
        answer = item.select_one(".rkb-answer")
        if kind == "guidance":
            assert answer is None and "rkb-item" not in item["class"], text
        else:
            assert f"rkb-answer--{kind}" in answer["class"], text
    assert len(page.select(".rkb-section--guidance")) == 2
    assert "21 questions, 15 items to write and 21 points of guidance in 16 sections." in page.get_text()


def test_no_literal_emphasis_mark_reaches_a_checklist_page(built_site):
    for path in sorted((ROOT / "checklists").glob("*.yml")):
        checklist = load_checklist(path, VOCABULARY)  # the loader refuses them in any text
        page = BeautifulSoup((built_site / "checklists" / checklist.id / "index.html").read_text(), "lxml")
        body = page.select_one(".rkb-checklist").get_text()
        assert "**" not in body and "__" not in body, path.name
        assert len(page.select("li[data-kind]")) == len(checklist.items)


def test_a_generated_file_leaves_an_articles_stray_emphasis_out():
    knowledge, _ = load_knowledge(ROOT / "archive")
    [(article, extracted)] = [(a, c) for a, c in knowledge.checklists() if c.id == "postmortem"]
    assert any("**" in item.text for item in extracted.items)  # the article's footnote mark
    text = checklist_yaml(extracted, article_id=article.id, url=article.url, version=article.content_hash, date=None)
    assert "**" not in text.split("# Where this checklist came from")[0]
    assert "fight biases (see below)." in text


def test_orr_questions_link_to_the_patterns_they_name_and_back(built_site):
    page = BeautifulSoup((built_site / "checklists" / "orr" / "index.html").read_text(), "lxml")
    blast = page.find(id="orr-what-parts-of-your-architectural-design")
    links = {a.get_text(): a["href"] for a in blast.select(".rkb-links a")}
    for name in ("Bulkheads", "Cell-based architecture", "Sharding", "Blast radius"):
        assert links[name].startswith("../../patterns/"), name
    resilience = page.find(id="orr-describe-the-resilience-to-failure-of")
    named = {a.get_text() for a in resilience.select(".rkb-links a")}
    assert {"Retries", "Timeouts", "Back-off and jitter", "Throttling and limits", "Multi-AZ deployment"} <= named
    static = page.find(id="orr-can-your-service-sustain-production-traffic")
    assert "Static stability" in {a.get_text() for a in static.select(".rkb-links a")}
    pattern = BeautifulSoup((built_site / "patterns" / "bulkheads" / "index.html").read_text(), "lxml")
    back = [a["href"] for a in pattern.select("article a") if "checklists/orr" in a["href"]]
    assert back == ["../../checklists/orr/#orr-what-parts-of-your-architectural-design"]


def test_postmortem_links_to_biases_and_to_the_orr(built_site):
    page = BeautifulSoup((built_site / "checklists" / "postmortem" / "index.html").read_text(), "lxml")
    biases = page.find(id="postmortem-questioning-your-assumptions-be-aware-of")
    assert {a.get_text(): a["href"] for a in biases.select(".rkb-links a")} == {"Cognitive biases": "../../biases/"}
    review = page.find(id="postmortem-was-a-production-operation-readiness-or")
    assert "../orr/" in [a["href"] for a in review.select(".rkb-links a")]


def test_fillable_copy_is_a_review_file_of_every_question(tmp_path):
    out = tmp_path / "checkout-orr.md"
    result = run_cli("checklist", "orr", "--service", "checkout", "--date", "2026-03-02", "-o", str(out))
    assert result.returncode == 0, result.stderr
    text = out.read_text()
    assert text.startswith("---\nservice: checkout\ndate: 2026-03-02\nowner:\nparticipants: []\nchecklist: orr\n")
    assert "\n---\n\n# Operational Readiness Review Template: checkout\n" in text
    checklist = load_checklist(ROOT / "checklists" / "orr.yml", VOCABULARY)
    for item in checklist.items:
        assert f"### {item.text.replace('*', chr(92) + '*')} `{item.id}`\n" in text, item.id
    assert text.count("\n### ") == 93
    for label in ("Answer:", "Risk:", "Notes:", "Actions:"):
        assert text.count(f"\n{label}\n") == 93, label
    assert len(re.findall(r"^## \d+\. ", text, re.MULTILINE)) == 9
    assert "Bulkheads (`patterns/bulkheads/` on the site)" in text
    with_site = run_cli("checklist", "orr", "--service", "checkout", "--site-url", "https://kb.example.org/")
    assert "[Bulkheads](https://kb.example.org/patterns/bulkheads/)" in with_site.stdout
    # The same document as `review new`, which `review check` accepts as it is.
    project = make_project(tmp_path)
    made = run_cli("review", "new", "orr", "--service", "checkout", "--date", "2026-03-02", cwd=project)
    assert made.returncode == 0, made.stderr
    filed = project / "reviews" / "checkout" / "2026-03-02-orr.md"
    assert made.stdout.strip() == str(filed)
    assert filed.read_text() == text
    assert run_cli("review", "check", cwd=project).returncode == 0
    refused = run_cli("review", "new", "orr", "--service", "checkout", "--date", "2026-03-02", cwd=project)
    assert refused.returncode == 2 and "exists: a review is never overwritten" in refused.stderr
    assert filed.read_text() == text


def test_fillable_postmortem_asks_what_is_filled_in_and_lists_the_advice(tmp_path):
    out = tmp_path / "checkout-postmortem.md"
    result = run_cli("checklist", "postmortem", "--service", "checkout", "--date", "2026-03-02", "-o", str(out))
    assert result.returncode == 0, result.stderr
    text = out.read_text()
    labels = EXPECTED["postmortem_kinds"]
    guidance_sections = labels["guidance_sections"]
    asked = [t for section, t in expected_items("postmortem")
             if section not in guidance_sections and t not in labels["guidance"]]
    assert text.count("\n### ") == len(asked) == 36
    preamble, _, questions = text.partition("\n## 1. ")
    # Advice is in the preamble, read before writing, and is not asked as a question.
    assert "Don’t blame individuals or teams." in preamble and "Don’t blame" not in questions
    assert "Start with the problem." in preamble
    assert "### Date of the event. `postmortem-date-of-the-event`\n\n> A fact: write it after `Answer:`" in questions
    assert "### What process broke down? `postmortem-what-process-broke-down`\n\n> Write it at length" in questions
    assert len(re.findall(r"^## \d+\. ", text, re.MULTILINE)) == 14  # the two sections of advice ask nothing
    check = run_cli("review", "check", str(out))
    assert check.returncode == 0, check.stderr


def test_unknown_checklist_is_a_usage_error():
    result = run_cli("checklist", "nope", "--service", "checkout")
    assert result.returncode == 2
    assert "no checklist 'nope'" in result.stderr and "known: orr, postmortem" in result.stderr


def test_init_never_overwrites(tmp_path):
    project = make_project(tmp_path)
    before = snapshot(project / "checklists")
    result = run_cli("init-checklists", cwd=project)
    assert result.returncode == 0
    assert result.stdout.count("exists, left as it is") == 2
    assert snapshot(project / "checklists") == before
    shutil.rmtree(project / "checklists")
    created = run_cli("init-checklists", cwd=project)
    assert "orr.yml: written, 93 items in 9 sections" in created.stdout
    assert "postmortem.yml: written, 57 items in 16 sections" in created.stdout
    assert (project / "checklists" / "orr.yml").read_bytes() == (ROOT / "checklists" / "orr.yml").read_bytes()


def _folder_with(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "checklists"
    folder.mkdir()
    (folder / "mine.yml").write_text(text)
    return folder


def test_fingerprint_ignores_case_and_spacing():
    assert fingerprint("Do  you monitor disk space ?") == fingerprint("do you monitor disk space?")
    assert fingerprint("Do you monitor disk space?") != fingerprint("Do you monitor disk usage?")


def test_accepting_upstream_needs_the_source_block_marker(tmp_path):
    path = tmp_path / "orr.yml"
    text = (ROOT / "checklists" / "orr.yml").read_text().replace("# Where this checklist came from", "# moved")
    path.write_text(text)
    checklist = load_checklist(path, VOCABULARY)
    knowledge, _ = load_knowledge(ROOT / "archive")
    [(article, upstream)] = [(a, c) for a, c in knowledge.checklists() if c.id == "orr"]
    with pytest.raises(ChecklistError, match=r"orr.yml: the line '# Where this checklist came from, for drift "
                                             r"reports. Do not edit.' that starts the source block is missing"):
        accept_upstream(text, path, checklist, upstream, article_id=article.id, url=article.url,
                        version=article.content_hash, date=None)


def test_orr_questions_are_linked_to_the_patterns_a_reader_finds_in_them():
    """Graded against tests/expectations/orr_links.yml, which names patterns in any wording."""
    knowledge, _ = load_knowledge(BUNDLED_ARCHIVE, ROOT / "checklists")
    entry = next(e for e in knowledge.curated if e.checklist.id == "orr")
    labels = yaml.safe_load((ROOT / "tests" / "expectations" / "orr_links.yml").read_text(encoding="utf-8"))
    want = {(q, p) for q, patterns in labels["questions"].items() for p in patterns}
    got = {(q, p) for q, patterns in entry.patterns.items() for p in patterns}
    assert set(labels["questions"]) == set(entry.patterns)
    recall, precision = len(want & got) / len(want), len(want & got) / len(got)
    assert recall >= 0.9 and precision >= 0.9, (recall, precision, sorted(want - got), sorted(got - want))
    # Questions that name a pattern by another word: limits, an availability zone.
    assert "throttling" in entry.patterns["orr-can-you-increase-limits-on-a"]
    assert "multi-az" in entry.patterns["orr-can-your-service-sustain-production-traffic"]


# Builds, fetches or runs the command line in subprocesses: left out of `make test-fast`.
pytestmark = pytest.mark.slow

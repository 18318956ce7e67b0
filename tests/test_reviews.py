"""Review files: the format read and written back byte for byte, every mistake with its line, older checklists."""

from __future__ import annotations

import dataclasses
import random
import shutil
from datetime import date
from pathlib import Path

import pytest

from support import ROOT, make_project, run_cli
from ingest.model.checklists import load_checklist, load_checklists
from ingest.model.extract.vocabulary import load_vocabulary
from ingest.model.reviews import (
    RISKS, STATUSES, ActionItem, Answer, Review, ReviewError, check_review, checklist_version, coverage, latest,
    load_reviews, new_review, open_actions, overdue, parse_review, risk_counts, write_review,
)

VOCABULARY = load_vocabulary()
EXAMPLES = ROOT / "examples" / "reviews"
ORR = load_checklist(ROOT / "checklists" / "orr.yml", VOCABULARY)
TODAY = date(2026, 4, 1)  # the fixed "today" of the overdue tests; never the wall clock

# A small review as a person would write it; the line numbers below are this text's.
SAMPLE = """\
---
service: example-payments
date: 2026-03-02
owner: Ada
participants: [Ada, Grace]
checklist: orr
checklist_version: {version}
---

# ORR: example-payments

## 1. Service Definition and Goals

### What is the SLA of the service? `orr-what-is-the-sla-of-the`

Answer: 99.9% a month.
Measured at the load balancer.

Risk: medium

Notes: No error budget yet.

Actions:

- Write an error budget policy
  - owner: Ada
  - due: 2026-03-20
  - status: open
  - link: https://tracker.example.org/PAY-12

### Do you have any single-points of failure? `orr-do-you-have-any-single-points`

Answer:

Risk: n/a (the service keeps no state)

Notes:

Actions:
"""
LINES = {"service": 2, "date": 3, "checklist": 6, "sla": 14, "risk": 19, "due": 27, "status": 28, "link": 29,
         "spof": 31, "spof-risk": 35}


def sample(**changes: tuple[str, str]) -> str:
    text = SAMPLE.format(version=checklist_version(ORR))
    for old, new in changes.values():
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def test_the_sample_reads_as_written_by_hand():
    review = parse_review(sample(), "sample.md")
    assert (review.service, review.date, review.owner, review.participants) == \
        ("example-payments", date(2026, 3, 2), "Ada", ("Ada", "Grace"))
    sla, spof = review.answers
    assert (sla.question, sla.line, sla.section) == ("orr-what-is-the-sla-of-the", 14, "Service Definition and Goals")
    assert sla.answer == "99.9% a month.\nMeasured at the load balancer." and sla.risk == "medium"
    assert sla.notes == "No error budget yet."
    assert sla.actions == (ActionItem(title="Write an error budget policy", owner="Ada", due=date(2026, 3, 20),
                                      status="open", link="https://tracker.example.org/PAY-12",
                                      question="orr-what-is-the-sla-of-the"),)
    assert sla.actions[0].line == 25
    assert (spof.risk, spof.reason, spof.answer) == ("n/a", "the service keeps no state", "")
    check_review(review, [ORR])
    assert write_review(review) == sample()  # written as the format writes it
    assert parse_review(write_review(review), "sample.md") == review


# -- every mistake, with its line ------------------------------------------------------------------

MISTAKES = [
    ({"x": ("`orr-what-is-the-sla-of-the`", "`orr-what-is-the-sla-of-th`")}, LINES["sla"],
     "unknown question id 'orr-what-is-the-sla-of-th'"),
    ({"x": ("Risk: medium", "Risk: severe")}, LINES["risk"], "risk 'severe' is not one of high, medium, none, n/a"),
    ({"x": ("Risk: n/a (the service keeps no state)", "Risk: n/a")}, LINES["spof-risk"], "'n/a' needs its reason"),
    ({"x": ("due: 2026-03-20", "due: next week")}, LINES["due"], "due date 'next week' is not a date"),
    ({"x": ("due: 2026-03-20", "due: 2026-02-30")}, LINES["due"], "due date '2026-02-30' is not a date"),
    ({"x": ("status: open", "status: blocked")}, LINES["status"], "status 'blocked' is not one of open, in progress"),
    ({"x": ("link: https://tracker.example.org/PAY-12", "link: javascript:alert(1)")}, LINES["link"],
     "is not an http(s) address"),
    ({"x": ("`orr-do-you-have-any-single-points`", "`orr-what-is-the-sla-of-the`")}, LINES["spof"],
     "question 'orr-what-is-the-sla-of-the' is here twice (first on line 14)"),
    ({"x": ("date: 2026-03-02", "date: 2 March 2026")}, LINES["date"], "date '2 March 2026' is not a date"),
    ({"x": ("service: example-payments", "service: Example Payments")}, LINES["service"], "is not a slug"),
    ({"x": ("service: example-payments", "service: actions")}, LINES["service"], "service 'actions' is a reserved"),
    ({"x": ("checklist: orr", "checklist: orrr")}, LINES["checklist"], "unknown checklist 'orrr'; use one of"),
    ({"x": ("owner: Ada", "owner: [Ada")}, 5, "not valid YAML"),
    ({"x": ("owner: Ada", "ownr: Ada")}, 4, "unknown key 'ownr' in the title block"),
    ({"x": ("owner: Ada", "owner: yes")}, 4, "'owner' should be one line of text; quote it, as in owner: 'yes'"),
    ({"x": ("---\n\n# ORR", "\n# ORR")}, 1, "the title block is not closed"),
    ({"x": ("---\nservice", "service")}, 1, "the title block is missing"),
    ({"x": ("Risk: medium", "Risk: medium\n\nRisk: high")}, 21, "a second 'Risk:' in this question (the first is on line 19)"),
    ({"x": ("### What is the SLA of the service? `orr-what-is-the-sla-of-the`", "### What is the SLA?")}, LINES["sla"],
     "the question heading has no id"),
    ({"x": ("\nAnswer: 99.9%", "\nIt is fine.\nAnswer: 99.9%")}, 16, "text before 'Answer:'"),
    ({"x": ("  - owner: Ada", "  - ownr: Ada")}, 26, "unknown field 'ownr' of an action item"),
    ({"x": ("- Write an error budget policy", "Write an error budget policy")}, 25,
     "under 'Actions:' write '- what to do'"),
    ({"x": ("## 1. Service Definition and Goals\n", "")}, 13, "a question before any section"),
    ({"x": ("## 1. Service Definition and Goals\n", "## 1. Service Definition and Goals\nsome words\n")}, 13,
     "text between a section heading and its first question"),
    ({"x": ("# ORR: example-payments", "ORR: example-payments")}, 10, "the review's title line is missing"),
]


@pytest.mark.parametrize("changes, line, words", MISTAKES, ids=[m[2][:40] for m in MISTAKES])
def test_each_mistake_names_its_line_and_the_fix(changes, line, words):
    text = sample(**changes)
    with pytest.raises(ReviewError) as caught:
        check_review(parse_review(text, "reviews/example-payments/2026-03-02-orr.md"), [ORR])
    message = str(caught.value)
    assert message.startswith(f"reviews/example-payments/2026-03-02-orr.md:{line}: "), message
    assert words in message
    assert "; " in message or ", then " in message  # what is wrong; what to do


def test_a_question_left_out_is_unanswered_not_a_mistake():
    review = parse_review(sample(), "sample.md")
    check_review(review, [ORR])
    counts = risk_counts(review, ORR)
    assert counts == {"high": 0, "medium": 1, "none": 0, "n/a": 1, "unanswered": len(ORR.items) - 2}
    assert coverage(review, ORR).not_asked == () and coverage(review, ORR).current


def test_forgiving_spellings_read_as_the_canonical_words():
    text = sample(a=("Risk: medium", "risk:   MEDIUM"), b=("Risk: n/a (the service keeps no state)",
                                                            "RISK: N/A - the service keeps no state"),
                  c=("  - status: open", "    status: In-Progress"), d=("participants: [Ada, Grace]",
                                                                      "participants: Ada, Grace"))
    review = parse_review(text, "sample.md")
    sla, spof = review.answers
    assert (sla.risk, sla.actions[0].status, review.participants) == ("medium", "in progress", ("Ada", "Grace"))
    assert (spof.risk, spof.reason) == ("n/a", "the service keeps no state")


# -- reading and writing back ---------------------------------------------------------------------------

def test_every_example_reads_and_writes_back_byte_identical():
    files = sorted(EXAMPLES.glob("*/*.md"))
    assert len(files) >= 4 and {f.parent.name for f in files} == {"example-payments", "example-search"}
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert write_review(parse_review(text, path.name)) == text, path


@pytest.mark.parametrize("checklist_id", ["orr", "postmortem"])
def test_a_new_review_reads_and_writes_back_byte_identical(checklist_id):
    checklist = load_checklist(ROOT / "checklists" / f"{checklist_id}.yml", VOCABULARY)
    hints = {item.id: f"_{item.detail}_\nPatterns: Bulkheads (`patterns/bulkheads/` on the site)"
             for item in checklist.items if item.detail}
    review = new_review(checklist, service="checkout", day=date(2026, 3, 2), hints=hints)
    text = write_review(review)
    again = parse_review(text, "x.md")
    assert again == dataclasses.replace(review, path="x.md")
    assert write_review(again) == text
    assert [a.text for a in again.answers] == [item.text for item in checklist.answered_items]  # all but guidance


# Text that Markdown, YAML or the format itself would read as syntax.
NASTY = ["#", "## ", "### x `y`", "Risk:", "risk: high", "Answer:", "Notes:", "ACTIONS :", "\\", "\\\\# a",
         "\\Risk: x", "`", "*", "_", "[a](b)", "<script>", "&amp;", "&lt;", "> q", "- item", "  - owner: x",
         "---", "...", ":", "'", '"', "{", "}", "|", "!", "~", "n/a", "(", ")", "é", "☃", "\t", " ", "  ",
         "1. ", "\u00a0", "\u2028", "0x1F", "2026-13-40", "null", "yes", "@", "%"]


def random_text(rng: random.Random, lines: int, one_line: bool = False) -> str:
    words = [" ".join(rng.choice(NASTY + ["word", "words", "a"]) for _ in range(rng.randint(1, 6)))
             for _ in range(lines)]
    return " ".join(" ".join(words).split()) if one_line else "\n".join(rng.choice([w, "", w]) for w in words)


def random_review(rng: random.Random) -> Review:
    answers = []
    for n in range(rng.randint(1, 8)):
        risk = rng.choice((*RISKS, None))
        actions = tuple(ActionItem(title=random_text(rng, 2, True) or "t", owner=random_text(rng, 1, True),
                                   due=rng.choice([None, date(2026, 1, 1 + n)]), status=rng.choice(STATUSES),
                                   link=rng.choice([None, "https://example.org/a?b=c#d"]), question=f"q-{n}")
                        for _ in range(rng.randint(0, 2)))
        answers.append(Answer(question=f"q-{n}", answer=random_text(rng, rng.randint(0, 5)), risk=risk,
                              reason=(random_text(rng, 2, True) or "r") if risk == "n/a" else None,
                              notes=random_text(rng, rng.randint(0, 3)), actions=actions,
                              text=random_text(rng, 2, True), section=random_text(rng, 1, True) if n < 3 else "s",
                              hint=random_text(rng, rng.randint(0, 3))))
    return Review(service="svc-1", date=date(2026, 3, 2), checklist="orr", checklist_version=rng.choice(
        ["0123", "abc", "1e5", "yes", "null"]), participants=tuple(random_text(rng, 1, True) for _ in range(2)),
        owner=random_text(rng, 1, True), answers=tuple(answers), path="r.md", title=random_text(rng, 2, True) or "T",
        preamble=random_text(rng, rng.randint(0, 4)))


def normalised(review: Review) -> Review:
    """What the format keeps of text: no blank lines around it, no spaces at the ends of lines."""
    def text(value: str) -> str:
        lines = [line.rstrip() for line in value.split("\n")]
        return "\n".join(lines).strip("\n").lstrip()
    answers = tuple(dataclasses.replace(a, answer=text(a.answer), notes=text(a.notes), hint=text(a.hint))
                    for a in review.answers)
    return dataclasses.replace(review, answers=answers, preamble=text(review.preamble),
                               participants=tuple(p for p in review.participants if p))


def test_any_text_comes_back_as_it_was_and_writes_back_byte_identical():
    rng = random.Random(23)
    for _ in range(400):
        review = random_review(rng)
        text = write_review(review)
        assert text == write_review(normalised(review))
        again = parse_review(text, "r.md")
        assert again == normalised(review), text
        assert write_review(again) == text


# -- older versions of the checklist -----------------------------------------------------------------

@pytest.mark.slow  # runs the command line several times
def test_a_review_of_an_older_checklist_stays_valid(tmp_path):
    project = make_project(tmp_path)
    made = run_cli("review", "new", "orr", "--service", "checkout", "--date", "2025-06-01", cwd=project)
    assert made.returncode == 0, made.stderr
    path = project / "reviews" / "checkout" / "2025-06-01-orr.md"
    dropped, reworded = "orr-what-is-the-sla-of-the", "orr-do-you-have-any-single-points"
    text = path.read_text().replace("`orr-what-is-the-sla-of-the`\n\nAnswer:\n\nRisk:",
                                    "`orr-what-is-the-sla-of-the`\n\nAnswer: 99.9%\n\nRisk: high")
    path.write_text(text)
    # The team edits its checklist: one question dropped, one reworded, one added.
    checklist = project / "checklists" / "orr.yml"
    yml = checklist.read_text()
    yml = yml.replace("  - id: orr-what-is-the-sla-of-the\n    text: What is the SLA of the service?\n", "", 1)
    yml = yml.replace("text: Do you have any single-points of failure?", "text: Which single points of failure remain?")
    yml = yml.replace("- title: Architecture\n  items:\n", "- title: Architecture\n  items:\n"
                      "  - id: orr-how-do-you-shed-load\n    text: How does the service shed load?\n", 1)
    checklist.write_text(yml)
    assert run_cli("review", "check", cwd=project).returncode == 0
    assert run_cli("review", "check", str(path), cwd=project).returncode == 0
    current = load_checklist(checklist, VOCABULARY)
    [review] = load_reviews(project / "reviews", [current])
    assert review.checklist_version != checklist_version(current)
    seen = coverage(review, current)
    assert not seen.current and seen.not_asked == ("orr-how-do-you-shed-load",)
    assert [(a.question, a.text, a.answer, a.risk) for a in seen.dropped] == \
        [(dropped, "What is the SLA of the service?", "99.9%", "high")]
    assert review.answer(reworded).text == "Do you have any single-points of failure?"  # as it was asked then
    counts = risk_counts(review, current)
    assert counts["high"] == 1 and counts["unanswered"] == 92  # 93 asked, one answered; the new one not asked
    # A new review, of the current version, may not use the dropped id.
    assert run_cli("review", "new", "orr", "--service", "checkout", "--date", "2026-06-01", cwd=project).returncode == 0
    new = project / "reviews" / "checkout" / "2026-06-01-orr.md"
    new.write_text(new.read_text().replace("`orr-how-do-you-shed-load`", f"`{dropped}`"))
    refused = run_cli("review", "check", cwd=project)
    assert refused.returncode == 1 and f"unknown question id '{dropped}'" in refused.stderr
    assert "reviews/checkout/2026-06-01-orr.md:" in refused.stderr


def test_the_older_example_names_its_version_and_keeps_its_dropped_question():
    checklists = load_checklists(ROOT / "checklists", VOCABULARY)
    reviews = load_reviews(EXAMPLES, checklists)
    old = next(r for r in reviews if r.service == "example-payments" and r.date == date(2025, 9, 15))
    seen = coverage(old, ORR)
    assert old.checklist_version != checklist_version(ORR)
    assert [a.question for a in seen.dropped] == ["orr-who-is-on-call-for-the"]
    assert seen.not_asked == ("orr-what-is-the-anticipated-request-volume",)


# -- where a review lives, and its action items --------------------------------------------------------

def test_a_review_in_the_wrong_folder_or_under_the_wrong_name_is_refused(tmp_path):
    folder = tmp_path / "reviews"
    shutil.copytree(EXAMPLES, folder)
    moved = folder / "example-search" / "2026-03-02-orr.md"
    (folder / "example-payments" / "2026-03-02-orr.md").rename(moved)
    with pytest.raises(ReviewError, match=r"2026-03-02-orr.md:2: service 'example-payments' does not match the "
                                          r"folder 'example-search'; move the file to reviews/example-payments/"):
        load_reviews(folder, [ORR])
    moved.rename(folder / "example-payments" / "2026-03-03-orr.md")
    with pytest.raises(ReviewError, match=r"2026-03-03-orr.md:3: the file name '2026-03-03-orr.md' does not match "
                                          r"its date and checklist; rename it '2026-03-02-orr.md'"):
        load_reviews(folder, [ORR])


def test_overdue_items_against_a_fixed_date():
    reviews = load_reviews(EXAMPLES, [ORR])
    items = open_actions(reviews, TODAY)
    # By hand, from the examples: the latest review of each service holds its open items.
    assert [(r.service, i.title, overdue(i, TODAY)) for r, i in items] == [
        ("example-search", "Ask the provider for a scheduled resize before the sales week", True),
        ("example-payments", "Automate the database fail-over", True),
        ("example-search", "Give the catalogue client timeouts and retries with back-off and jitter", False),
        ("example-payments", "Load test at five times the peak before the sales week", False),
    ]
    assert not overdue(items[0][1], date(2026, 3, 1))  # due that day: not yet overdue
    done = [i for r in latest(reviews) for i in r.actions if i.status == "done"]
    assert done and not any(overdue(i, date(2030, 1, 1)) for i in done)


# -- privacy: the site and the export carry reviews only when enabled -----------------------------------

@pytest.mark.slow  # runs the command line several times
def test_reviews_reach_the_export_only_when_enabled(tmp_path):
    import json

    project = make_project(tmp_path)
    shutil.copytree(EXAMPLES, project / "reviews")
    plain = run_cli("export", cwd=project)
    assert plain.returncode == 0, plain.stderr
    assert "reviews" not in json.loads(plain.stdout) and "example-payments" not in plain.stdout
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - resilience-kb:\n", "  - resilience-kb:\n"
                                                 "      reviews:\n        enabled: true\n", 1))
    enabled = json.loads(run_cli("export", cwd=project).stdout)["reviews"]
    assert [(r["service"], r["date"]) for r in enabled] == [
        ("example-payments", "2025-09-15"), ("example-payments", "2026-03-02"),
        ("example-search", "2025-11-20"), ("example-search", "2026-02-10")]
    old = enabled[0]
    assert old["checklist_version"] != old["current_version"] == checklist_version(ORR)
    assert old["not_asked"] == ["orr-what-is-the-anticipated-request-volume"]
    sla = next(a for a in old["answers"] if a["question"] == "orr-what-is-the-sla-of-the")
    assert sla["risk"] == "high" and sla["actions"][0] == {
        "title": "Agree an SLA with the shop team", "owner": "Ada Example", "due": "2025-11-01", "status": "done",
        "link": "https://tracker.example.org/PAY-101"}
    assert [a["question"] for a in old["answers"] if a["dropped"]] == ["orr-who-is-on-call-for-the"]
    # Another archive named on the command line has none of the project's reviews (nor its checklists).
    other = run_cli("--archive", str(project / "archive"), "export", cwd=project)
    assert other.returncode == 0, other.stderr
    assert "reviews" not in json.loads(other.stdout) and "example-payments" not in other.stdout
    # No output may be written into the reviews folder, enabled or not.
    into = run_cli("export", "-o", str(project / "reviews" / "kb.json"), cwd=project)
    assert into.returncode == 2 and "the reviews folder" in into.stderr
    assert not (project / "reviews" / "kb.json").exists()


@pytest.mark.slow  # builds the site twice
def test_a_mistake_in_a_review_stops_the_build_only_where_reviews_are_enabled(tmp_path):
    project = make_project(tmp_path)
    shutil.copytree(EXAMPLES, project / "reviews")
    path = project / "reviews" / "example-search" / "2026-02-10-orr.md"
    path.write_text(path.read_text().replace("  - status: done", "  - status: finished", 1))
    line = path.read_text().split("\n").index("  - status: finished") + 1
    assert run_cli("build", "--site-dir", str(tmp_path / "public"), cwd=project).returncode == 0
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - resilience-kb:\n", "  - resilience-kb:\n"
                                                 "      reviews:\n        enabled: true\n", 1))
    failed = run_cli("build", "--site-dir", str(tmp_path / "private"), cwd=project)
    assert failed.returncode == 1
    assert f"reviews/example-search/2026-02-10-orr.md:{line}: status 'finished' is not one of open" in failed.stderr
    checked = run_cli("review", "check", cwd=project)
    assert checked.returncode == 1 and f"2026-02-10-orr.md:{line}: status 'finished'" in checked.stderr

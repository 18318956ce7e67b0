"""`resilience-kb export-lens`: a curated checklist as an AWS Well-Architected custom lens.

The output is held to the format's limits twice: by the exporter's own checks (a
clear message) and by tests/lens.schema.json, written from the format's
specification. Each limit is broken on purpose and seen refused by both.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import jsonschema
import pytest

from support import ROOT, make_project, run_cli
from ingest.model.checklists import ChecklistError, load_checklist
from ingest.model.extract.vocabulary import load_vocabulary
from ingest.model.load import load_knowledge
from ingest.site.lens import build_lens, lens_text
from ingest.site.lens_check import LensError, check_lens

SCHEMA = json.loads((Path(__file__).parent / "lens.schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
SITE = "https://kb.example.org/"
VOCABULARY = load_vocabulary()

# The keys AWS's own sample lenses use, by level: transcribed by hand from the ORR sample lens of
# aws-samples/custom-lens-wa-hub (ORR-Lens/ORR-Whitepaper-Sample-PUBLISHED.json) and the DynamoDB one
# (DynamoDB/custom-lensddb-v1.0.json), which are not copied here.
SAMPLE_KEYS = {
    "lens": {"schemaVersion", "name", "description", "pillars"},
    "pillar": {"id", "name", "questions"},
    "question": {"id", "title", "description", "helpfulResource", "choices", "riskRules"},
    "choice": {"id", "title", "helpfulResource", "improvementPlan"},
    # "None of these": no improvement plan, as in the user guide's example (`option_no`) and the Cognito sample.
    "none of these": {"id", "title", "helpfulResource"},
    "resource": {"displayText", "url"},
    "rule": {"condition", "risk"},
}
SAMPLE_RISKS = {"HIGH_RISK", "MEDIUM_RISK", "NO_RISK"}


@pytest.fixture(scope="module")
def knowledge():
    return load_knowledge(ROOT / "archive", ROOT / "checklists")[0]


@pytest.fixture(scope="module")
def orr_lens(knowledge):
    [entry] = [e for e in knowledge.curated if e.checklist.id == "orr"]
    return build_lens(entry, knowledge, site_url=SITE, site_name="Resilience KB")


def test_the_orr_lens_is_valid_against_the_schema_and_the_checks(orr_lens):
    VALIDATOR.validate(orr_lens)
    check_lens(orr_lens)
    assert orr_lens["schemaVersion"] == "2021-11-01"
    assert orr_lens["name"] == "Operational Readiness Review Template"
    # The ORR's 9 sections, none over 20 questions: 9 pillars holding its 93 questions, in order.
    assert [p["name"] for p in orr_lens["pillars"]][:3] == ["Service Definition and Goals", "Architecture",
                                                           "Failures and Impact"]
    assert sum(len(p["questions"]) for p in orr_lens["pillars"]) == 93
    first = orr_lens["pillars"][0]["questions"][2]
    assert first["id"] == "orr_what_is_the_sla_of_the" and first["title"] == "What is the SLA of the service?"
    assert len(lens_text(orr_lens).encode()) < 500_000


def test_the_lens_has_the_shape_of_aws_sample_lenses(orr_lens):
    assert set(orr_lens) == SAMPLE_KEYS["lens"]
    for pillar in orr_lens["pillars"]:
        assert set(pillar) == SAMPLE_KEYS["pillar"]
        for question in pillar["questions"]:
            assert set(question) <= SAMPLE_KEYS["question"]
            assert {"id", "title", "choices", "riskRules"} <= set(question)
            *chosen, none = question["choices"]
            for choice in chosen:
                assert set(choice) == SAMPLE_KEYS["choice"]
                assert set(choice["helpfulResource"]) <= SAMPLE_KEYS["resource"]
            assert set(none) == SAMPLE_KEYS["none of these"] and none["id"].endswith("_no")
            assert all(set(r) == SAMPLE_KEYS["rule"] and r["risk"] in SAMPLE_RISKS for r in question["riskRules"])
            assert question["riskRules"][-1]["condition"] == "default"  # as in the samples: the fallback last


def test_default_choices_and_rules_and_none_of_these(orr_lens):
    question = orr_lens["pillars"][1]["questions"][0]
    ids = [c["id"] for c in question["choices"]]
    assert ids == ["in_place", "partly", f"{question['id']}_no"]
    assert question["choices"][-1]["title"] == "None of these"
    assert question["riskRules"] == [{"condition": "in_place", "risk": "NO_RISK"},
                                     {"condition": "partly", "risk": "MEDIUM_RISK"},
                                     {"condition": "default", "risk": "HIGH_RISK"}]


def test_improvement_links_go_to_pattern_pages_that_exist(orr_lens, knowledge):
    """Every URL is the site's: a pattern page of the vocabulary (each has a page) or a question of the checklist."""
    patterns = {e.pattern.id for e in knowledge.patterns}
    items = {i.id for e in knowledge.curated for i in e.checklist.items}
    seen_patterns = set()
    for pillar in orr_lens["pillars"]:
        for question in pillar["questions"]:
            for choice in question["choices"]:
                for resource in (choice["helpfulResource"], choice.get("improvementPlan", choice["helpfulResource"])):
                    url = resource["url"]
                    pattern = re.fullmatch(r"https://kb\.example\.org/patterns/([a-z0-9-]+)/", url)
                    question_anchor = re.fullmatch(r"https://kb\.example\.org/checklists/orr/#([a-z0-9-]+)", url)
                    assert pattern or question_anchor, url
                    if pattern:
                        assert pattern.group(1) in patterns
                        seen_patterns.add(pattern.group(1))
                    else:
                        assert question_anchor.group(1) in items
    # "What parts of your architectural design reduces the blast radius of failures? (discuss bulkheads, cells…)"
    assert {"bulkheads", "blast-radius"} & seen_patterns


@pytest.mark.slow
def test_the_built_site_has_the_pages_the_lens_links_to(orr_lens, built_site):
    for pillar in orr_lens["pillars"]:
        for question in pillar["questions"]:
            url = question["choices"][0]["improvementPlan"]["url"]
            path, _, anchor = url.removeprefix(SITE).partition("#")
            page = built_site / path / "index.html"
            assert page.is_file(), url
            if anchor:
                assert f'id="{anchor}"' in page.read_text(encoding="utf-8")


def broken(lens: dict, change) -> dict:
    lens = copy.deepcopy(lens)
    change(lens)
    return lens


def q(lens: dict) -> dict:
    return lens["pillars"][0]["questions"][0]


LIMITS = {
    "name over 128": (lambda l: l.update(name="x" * 129), r"name .* 129 characters, over the format's 128"),
    "description over 2048": (lambda l: l.update(description="x" * 2049), r"description has 2,049 characters"),
    "schema version": (lambda l: l.update(schemaVersion="2020-01-01"), r"schemaVersion must be '2021-11-01'"),
    "11 pillars": (lambda l: l["pillars"].extend(copy.deepcopy(l["pillars"][:2])), r"11 pillars: a lens has 1 to 10"),
    "21 questions": (lambda l: l["pillars"][0]["questions"].extend(
        copy.deepcopy(l["pillars"][4]["questions"][:16])), r"21 questions; a pillar has 1 to 20"),
    "pillar id characters": (lambda l: l["pillars"][0].update(id="bad-id"), r"pillar id 'bad-id': 3-64 letters"),
    "pillar id too long": (lambda l: l["pillars"][0].update(id="p" * 65), r"pillar id 'p{65}': 3-64"),
    "question id too short": (lambda l: q(l).update(id="ab"), r"question id 'ab': 3-128"),
    "duplicate question id": (lambda l: q(l).update(id=l["pillars"][0]["questions"][1]["id"]), r"used twice"),
    "title over 128": (lambda l: q(l).update(title="x" * 129), r"its title has 129 characters"),
    "question description over 2048": (lambda l: q(l).update(description="x" * 2049), r"its description"),
    "16 choices": (lambda l: q(l).update(choices=[
        dict(q(l)["choices"][0], id=f"choice_{n}") for n in range(15)] + q(l)["choices"][-1:]),
        r"16 choices; a question has 2 to 15"),
    "no None of these": (lambda l: q(l)["choices"].pop(), r"exactly one choice whose id ends in '_no'"),
    "choice id characters": (lambda l: q(l)["choices"][0].update(id="in place"), r"choice id 'in place'"),
    "choice title over 128": (lambda l: q(l)["choices"][0].update(title="x" * 129), r"title has 129 characters"),
    "helpful text over 2048": (lambda l: q(l)["choices"][0]["helpfulResource"].update(displayText="x" * 2049),
                               r"helpful resource's text has 2,049 characters"),
    "improvement text over 2048": (lambda l: q(l)["choices"][0]["improvementPlan"].update(displayText="x" * 2049),
                                   r"improvement plan's text has 2,049 characters"),
    "no improvement plan": (lambda l: q(l)["choices"][0].pop("improvementPlan"),
                            r"choice 'in_place': its improvement plan is missing"),
    "url not http": (lambda l: q(l)["choices"][0]["improvementPlan"].update(url="ftp://kb.example.org/x"),
                     r"url 'ftp://kb\.example\.org/x' must be an http\(s\) address"),
    "4 risk rules": (lambda l: q(l)["riskRules"].insert(0, {"condition": "partly", "risk": "HIGH_RISK"}),
                     r"4 risk rules; a question has 1 to 3"),
    "no default rule": (lambda l: q(l)["riskRules"][-1].update(condition="partly"), r"condition 'default'"),
    "unknown risk": (lambda l: q(l)["riskRules"][0].update(risk="LOW_RISK"), r"one of HIGH_RISK, MEDIUM_RISK"),
    "file over 500 KB": (lambda l: fill_every_text(l), r"bytes, over the format's 500,000"),
}


def fill_every_text(lens: dict) -> None:
    """Every resource's text at its limit of 2,048: each is allowed, together they are too many bytes."""
    for pillar in lens["pillars"]:
        for question in pillar["questions"]:
            for choice in question["choices"]:
                choice["helpfulResource"]["displayText"] = "y" * 2048
                if "improvementPlan" in choice:
                    choice["improvementPlan"]["displayText"] = "z" * 2048


@pytest.mark.parametrize("name", LIMITS)
def test_each_limit_broken_is_refused_by_the_checks_and_the_schema(orr_lens, name):
    change, message = LIMITS[name]
    lens = broken(orr_lens, change)
    with pytest.raises(LensError, match=message):
        check_lens(lens)
    if name not in BEYOND_SCHEMA:
        assert not VALIDATOR.is_valid(lens), name


# JSON Schema has no keyword for a file's size in bytes or for ids unique across objects: the checks alone hold these.
BEYOND_SCHEMA = {"file over 500 KB", "duplicate question id"}


def test_the_schema_keeps_the_limits_of_additional_resources(orr_lens):
    """The format's additionalResources (the exporter writes none): of two types, at most five of each."""
    def with_resources(kind: str, count: int) -> dict:
        resource = {"displayText": "More on it", "url": "https://kb.example.org/patterns/bulkheads/"}
        return broken(orr_lens, lambda l: q(l)["choices"][0].update(
            additionalResources=[{"type": kind, "content": [dict(resource) for _ in range(count)]}]))
    assert VALIDATOR.is_valid(with_resources("IMPROVEMENT_PLAN", 5))
    assert not VALIDATOR.is_valid(with_resources("IMPROVEMENT_PLAN", 6))
    assert not VALIDATOR.is_valid(with_resources("READING_LIST", 1))


def test_none_of_these_needs_no_improvement_plan_but_the_others_do(orr_lens):
    none = q(orr_lens)["choices"][-1]
    assert none["id"].endswith("_no") and "improvementPlan" not in none
    planned = broken(orr_lens, lambda l: q(l)["choices"][-1].update(
        improvementPlan={"displayText": "x" * 2049}))  # allowed there, but then held to its limits
    with pytest.raises(LensError, match=r"improvement plan's text has 2,049 characters"):
        check_lens(planned)
    assert not VALIDATOR.is_valid(planned)


def test_a_condition_naming_no_choice_of_the_question_is_refused(orr_lens):
    lens = broken(orr_lens, lambda l: q(l)["riskRules"][0].update(condition="in_place && nowhere"))
    with pytest.raises(LensError, match=r"'nowhere' is not one of the question's choices"):
        check_lens(lens)


CHECKLIST = """\
id: big
title: A big checklist
sections:
  - title: Architecture
    items:
{items}
  - title: Ops
    items:
      - id: big-ops
        text: {long}
        detail: Say how.
        choices:
          - id: spof_listed
            title: Every single point of failure is listed
            improve: List them with their owners.
          - id: spof_mitigated
            title: Each has a tested mitigation
        risk_rules:
          - {{condition: spof_listed && spof_mitigated, risk: none}}
          - {{condition: spof_listed || spof_mitigated, risk: medium}}
          - {{condition: default, risk: high}}
"""


def big_checklist(tmp_path: Path, questions: int = 25, long: str = "Is it " + "really " * 30 + "resilient?",
                  sections: int = 0) -> Path:
    items = "\n".join(f"      - id: big-q{n}\n        text: Question {n} about retries?" for n in range(questions))
    extra = "".join(f"  - title: Extra {n}\n    items:\n      - id: big-x{n}\n        text: Extra {n}?\n"
                    for n in range(sections))
    folder = tmp_path / "checklists"
    folder.mkdir(exist_ok=True)
    (folder / "big.yml").write_text(CHECKLIST.format(items=items, long=long) + extra, encoding="utf-8")
    return folder


def lens_of(folder: Path) -> dict:
    knowledge, _ = load_knowledge(ROOT / "archive", folder)
    [entry] = [e for e in knowledge.curated if e.checklist.id == "big"]
    return build_lens(entry, knowledge, site_url=SITE)


def test_a_section_over_20_questions_is_split_into_pillars_that_say_so(tmp_path):
    lens = lens_of(big_checklist(tmp_path))
    VALIDATOR.validate(lens)
    assert [(p["id"], p["name"], len(p["questions"])) for p in lens["pillars"]] == [
        ("architecture_1", "Architecture (1 of 2)", 20), ("architecture_2", "Architecture (2 of 2)", 5),
        ("ops", "Ops", 1)]


def test_only_question_items_are_questions_of_the_lens(tmp_path):
    """A field or text item has no risk to rate and guidance is not asked: neither is a lens question."""
    folder = big_checklist(tmp_path, questions=2)
    text = (folder / "big.yml").read_text(encoding="utf-8")
    text = text.replace("      - id: big-q1\n", "      - id: big-owner\n        kind: field\n        text: Owner\n"
                        "      - id: big-story\n        kind: text\n        text: What happened?\n"
                        "      - id: big-mind\n        kind: guidance\n        text: Blame no one.\n"
                        "      - id: big-q1\n", 1)
    text += ("  - title: Facts\n    items:\n      - id: big-date\n        kind: field\n        text: Date\n"
             "      - id: big-note\n        kind: guidance\n        text: Keep it short.\n")
    (folder / "big.yml").write_text(text, encoding="utf-8")
    lens = lens_of(folder)
    VALIDATOR.validate(lens)
    assert [(p["name"], [q["id"] for q in p["questions"]]) for p in lens["pillars"]] == [
        ("Architecture", ["big_q0", "big_q1"]), ("Ops", ["big_ops"])]  # the section of a field and guidance: none
    assert "the 3 questions" in lens["description"]


def test_the_teams_choices_and_rules_and_a_long_title(tmp_path):
    lens = lens_of(big_checklist(tmp_path))
    [question] = lens["pillars"][-1]["questions"]
    assert len(question["title"]) <= 128 and question["title"].endswith("…")
    assert question["description"] == "Is it " + "really " * 30 + "resilient? Say how."  # the whole question
    assert [c["id"] for c in question["choices"]] == ["spof_listed", "spof_mitigated", "big_ops_no"]
    assert question["choices"][0]["improvementPlan"]["displayText"] == "List them with their owners."
    assert question["riskRules"] == [{"condition": "spof_listed && spof_mitigated", "risk": "NO_RISK"},
                                     {"condition": "spof_listed || spof_mitigated", "risk": "MEDIUM_RISK"},
                                     {"condition": "default", "risk": "HIGH_RISK"}]


def test_too_many_sections_is_refused_with_the_file_and_the_fix(tmp_path):
    with pytest.raises(LensError, match=r"big\.yml: not exportable as a Well-Architected lens: 11 pillars: a lens "
                                        r"has 1 to 10; merge sections"):
        lens_of(big_checklist(tmp_path, questions=3, sections=9))


def test_a_question_too_long_for_a_description_is_refused(tmp_path):
    with pytest.raises(LensError, match=r"question 'big_ops': its description .* 2,\d{3} characters, over the "
                                        r"format's 2,048"):
        lens_of(big_checklist(tmp_path, long="Why " * 520 + "?"))


@pytest.mark.parametrize("change, message", [
    (lambda t: t.replace("id: spof_mitigated", "id: spof_listed"), r"big\.yml:\d+: item 'big-ops': choice id "
                                                                    r"'spof_listed' is used twice"),
    (lambda t: t.replace("id: spof_mitigated", "id: x"), r"choice id 'x' must be 3-48 letters"),
    (lambda t: t.replace("id: spof_mitigated", "id: spof_no"), r"not ending in '_no'"),
    (lambda t: t.replace("risk: medium", "risk: low"), r"risk 'low' must be one of high, medium, none"),
    (lambda t: t.replace("risk: medium", "risk: none"), r"risk 'none' has two rules"),
    (lambda t: t.replace("condition: default", "condition: spof_listed"), r"the last risk rule, and only it, has "
                                                                          r"the condition 'default'"),
    (lambda t: t.replace("spof_listed || spof_mitigated", "spof_listed || nowhere"),
     r"condition 'spof_listed \|\| nowhere': 'nowhere' is not one of the question's choices"),
    (lambda t: t.replace("spof_listed || spof_mitigated", "(spof_listed ||"), r"not a well-formed expression"),
    (lambda t: t.replace("          - {condition: default, risk: high}\n",
                         "          - {condition: default, risk: high}\n" * 2), r"4 risk rules; a Well-Architected lens "
                                                                               r"allows 3"),
    (lambda t: t.replace("        choices:\n", "        choices:\n" + "".join(
        f"          - {{id: extra_{n}, title: Extra {n}}}\n" for n in range(13))), r"15 choices; a Well-Architected "
                                                                                   r"lens allows 14 besides"),
])
def test_choices_and_rules_in_the_checklist_file_are_checked_with_the_line(tmp_path, change, message):
    folder = big_checklist(tmp_path, questions=1)
    path = folder / "big.yml"
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(ChecklistError, match=message):
        load_checklist(path, VOCABULARY)


@pytest.mark.slow
def test_the_command_writes_the_lens_and_refuses_without_site_url(tmp_path):
    project = make_project(tmp_path)
    refused = run_cli("-f", str(project / "mkdocs.yml"), "export-lens", "orr", "-o", str(tmp_path / "orr.json"))
    assert refused.returncode == 1
    assert "site_url is not set; set site_url in mkdocs.yml" in refused.stderr
    assert not (tmp_path / "orr.json").exists()
    config = project / "mkdocs.yml"
    config.write_text("site_url: https://kb.example.org/\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    done = run_cli("-f", str(config), "export-lens", "orr", "-o", str(tmp_path / "orr.json"))
    assert done.returncode == 0, done.stderr
    VALIDATOR.validate(json.loads((tmp_path / "orr.json").read_text(encoding="utf-8")))
    # The postmortem's fields, texts and guidance are not questions of the lens: its 16 sections hold
    # questions in two only (checklists/postmortem.yml), so it fits the 10 pillars.
    postmortem = run_cli("-f", str(config), "export-lens", "postmortem")
    assert postmortem.returncode == 0, postmortem.stderr
    lens = json.loads(postmortem.stdout)
    VALIDATOR.validate(lens)
    kinds = {item.id.replace("-", "_"): item.kind
             for item in load_checklist(project / "checklists" / "postmortem.yml", VOCABULARY).items}
    asked = [question["id"] for pillar in lens["pillars"] for question in pillar["questions"]]
    assert asked and {kinds[a] for a in asked} == {"question"}
    assert [p["name"] for p in lens["pillars"]] == ["Incident Response Analysis", "Post-Incident Analysis"]
    big_checklist(project, questions=3, sections=9)  # 11 sections of questions
    too_many = run_cli("-f", str(config), "export-lens", "big")
    assert too_many.returncode == 1 and "big.yml: not exportable" in too_many.stderr
    assert too_many.stdout == ""

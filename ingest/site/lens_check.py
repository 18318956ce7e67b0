"""The limits of the AWS Well-Architected custom lens format (schemaVersion 2021-11-01), checked on a lens.

From the format's specification in the Well-Architected Tool's user guide ("Lens
format specification") and the API's length constraints, taking the stricter where
they differ (a pillar's id: 128 in the guide, 64 in the API). tests/lens.schema.json
says the same as a JSON Schema; this module is what the exporter runs, with a
message that names the pillar, question or choice and what to change.
"""

from __future__ import annotations

import json
import re

from ingest.errors import KBError
from ingest.model.lens_choices import MAX_CHOICE_TITLE, MAX_CHOICES, MAX_RULES, MAX_TEXT, condition_problem

SCHEMA_VERSION = "2021-11-01"
MAX_NAME = 128  # the lens's name, a pillar's name, a question's title
MAX_DESCRIPTION = 2048  # the lens's description, a question's description
MAX_PILLARS = 10
MAX_QUESTIONS = 20  # per pillar
MAX_BYTES = 500_000  # the whole file ("cannot exceed 500 KB")
PILLAR_ID = re.compile(r"[A-Za-z0-9_]{3,64}")
QUESTION_ID = re.compile(r"[A-Za-z0-9_]{3,128}")
CHOICE_ID = re.compile(r"[A-Za-z0-9_]{3,64}")
LENS_RISKS = ("HIGH_RISK", "MEDIUM_RISK", "NO_RISK")
NONE_OF_THESE = "None of these"


class LensError(KBError):
    """The lens would break a limit of the format; the message says where and what to change."""


def check_lens(lens: dict) -> None:
    """Raise LensError at the first limit of the format that `lens` breaks."""
    if lens.get("schemaVersion") != SCHEMA_VERSION:
        raise LensError(f"schemaVersion must be {SCHEMA_VERSION!r}")
    _text(lens.get("name"), MAX_NAME, "the lens's name (the checklist's title)")
    _text(lens.get("description"), MAX_DESCRIPTION, "the lens's description")
    pillars = lens.get("pillars")
    if not isinstance(pillars, list) or not 1 <= len(pillars) <= MAX_PILLARS:
        got = len(pillars) if isinstance(pillars, list) else 0
        raise LensError(f"{got} pillars: a lens has 1 to {MAX_PILLARS}; merge sections of the checklist so it has "
                        f"at most {MAX_PILLARS} (a section of over {MAX_QUESTIONS} questions takes one per "
                        f"{MAX_QUESTIONS})")
    pillar_ids: set[str] = set()
    question_ids: set[str] = set()
    for pillar in pillars:
        _id(pillar.get("id"), PILLAR_ID, pillar_ids, "pillar")
        where = f"pillar {pillar['id']!r}"
        _text(pillar.get("name"), MAX_NAME, f"{where}: its name")
        questions = pillar.get("questions")
        if not isinstance(questions, list) or not 1 <= len(questions) <= MAX_QUESTIONS:
            got = len(questions) if isinstance(questions, list) else 0
            raise LensError(f"{where}: {got} questions; a pillar has 1 to {MAX_QUESTIONS}")
        for question in questions:
            _check_question(question, question_ids)
    size = len(lens_text(lens).encode("utf-8"))
    if size > MAX_BYTES:
        raise LensError(f"the lens is {size:,} bytes, over the format's {MAX_BYTES:,}; shorten the checklist's "
                        f"questions, details or choices")


def lens_text(lens: dict) -> str:
    """The lens as the file holds it."""
    return json.dumps(lens, ensure_ascii=False, indent=2) + "\n"


def _check_question(question: dict, question_ids: set[str]) -> None:
    _id(question.get("id"), QUESTION_ID, question_ids, "question")
    where = f"question {question['id']!r}"
    _text(question.get("title"), MAX_NAME, f"{where}: its title")
    if "description" in question:
        _text(question["description"], MAX_DESCRIPTION, f"{where}: its description (the question and its detail)")
    if "helpfulResource" in question:
        _resource(question["helpfulResource"], f"{where}: its helpful resource", url_required=False)
    choices = question.get("choices")
    if not isinstance(choices, list) or not 2 <= len(choices) <= MAX_CHOICES:
        got = len(choices) if isinstance(choices, list) else 0
        raise LensError(f"{where}: {got} choices; a question has 2 to {MAX_CHOICES}, '{NONE_OF_THESE}' included")
    choice_ids: set[str] = set()
    for choice in choices:
        _id(choice.get("id"), CHOICE_ID, choice_ids, f"{where}: choice")
        at = f"{where}, choice {choice['id']!r}"
        _text(choice.get("title"), MAX_CHOICE_TITLE, f"{at}: its title")
        _resource(choice.get("helpfulResource"), f"{at}: its helpful resource", url_required=False)
        if "improvementPlan" in choice or not choice["id"].endswith("_no"):  # required but for "None of these"
            _resource(choice.get("improvementPlan"), f"{at}: its improvement plan", url_required=False)
    nones = [c for c in choices if c["id"].endswith("_no")]
    if len(nones) != 1 or nones[0]["title"] != NONE_OF_THESE:
        raise LensError(f"{where}: needs exactly one choice whose id ends in '_no', titled '{NONE_OF_THESE}'")
    _check_rules(question.get("riskRules"), choice_ids, where)


def _check_rules(rules: object, choice_ids: set[str], where: str) -> None:
    if not isinstance(rules, list) or not 1 <= len(rules) <= MAX_RULES:
        got = len(rules) if isinstance(rules, list) else 0
        raise LensError(f"{where}: {got} risk rules; a question has 1 to {MAX_RULES}, the last with 'default'")
    risks = [r.get("risk") for r in rules]
    if any(r not in LENS_RISKS for r in risks) or len(set(risks)) != len(risks):
        raise LensError(f"{where}: each risk rule's risk is one of {', '.join(LENS_RISKS)}, each at most once")
    for n, rule in enumerate(rules, start=1):
        condition = rule.get("condition")
        if (condition == "default") != (n == len(rules)):
            raise LensError(f"{where}: the last risk rule, and only it, has the condition 'default'")
        problem = None if condition == "default" else (
            condition_problem(condition, choice_ids) if isinstance(condition, str) else "not text")
        if problem:
            raise LensError(f"{where}: risk rule {n}: {problem}")


def _id(value: object, pattern: re.Pattern, seen: set[str], what: str) -> None:
    if not isinstance(value, str) or not pattern.fullmatch(value):
        low, high = re.search(r"\{(\d+),(\d+)\}", pattern.pattern).groups()
        raise LensError(f"{what} id {value!r}: {low}-{high} letters, digits or '_'")
    if value in seen:
        raise LensError(f"{what} id {value!r} is used twice; ids must be unique")
    seen.add(value)


def _text(value: object, limit: int, what: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise LensError(f"{what} is empty")
    if len(value) > limit:
        raise LensError(f"{what} has {len(value):,} characters, over the format's {limit:,}; shorten it")


def _resource(value: object, what: str, *, url_required: bool) -> None:
    if not isinstance(value, dict):
        raise LensError(f"{what} is missing")
    _text(value.get("displayText"), MAX_TEXT, f"{what}'s text")
    url = value.get("url")
    if url is None and not url_required:
        return
    if not isinstance(url, str) or not re.fullmatch(r"https?://[^\s]+", url) or len(url) > MAX_TEXT:
        raise LensError(f"{what}'s url {url!r} must be an http(s) address of at most {MAX_TEXT:,} characters")

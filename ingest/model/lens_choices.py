"""A question's answer choices and risk rules, for the Well-Architected lens export (optional keys of an item).

A curated checklist item may say how a team answers it in the AWS Well-Architected
Tool (`resilience-kb export-lens`): the choices it ticks and the rules that turn
ticks into a risk. Where it says nothing, the lens uses DEFAULT_CHOICES and
DEFAULT_RULES. In checklists/*.yml:

    - id: orr-do-you-have-any-single-points
      text: Do you have any single-points of failure?
      choices:
        - id: spof_listed
          title: Every single point of failure is listed
          improve: List them with the components' owners.      # optional
        - id: spof_mitigated
          title: Each has a mitigation that was tested
      risk_rules:
        - {condition: spof_listed && spof_mitigated, risk: none}
        - {condition: spof_listed, risk: medium}
        - {condition: default, risk: high}

The lens adds a "None of these" choice to every question. Checked here, with the
file and line: the lens format's limits on ids and lengths, at most MAX_CHOICES
choices (with "None of these"), at most three rules ending with `default`, each
risk once, and conditions that name only the question's choices.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.yamlfile import Where

CHOICE_ID = re.compile(r"[A-Za-z0-9_]{3,48}")  # the lens allows 64; the rest is left for its "_no" choice
MAX_CHOICES = 15  # the lens format's limit per question, "None of these" included
MAX_CHOICE_TITLE = 128
MAX_TEXT = 2048  # a helpful resource's or an improvement plan's text
MAX_RULES = 3
RISKS = {"high": "HIGH_RISK", "medium": "MEDIUM_RISK", "none": "NO_RISK"}  # the review's words -> the lens's
CONDITION_TOKEN = re.compile(r"\s*(?:(&&|\|\||!|\(|\))|([A-Za-z0-9_]+))")


@dataclass(frozen=True)
class Choice:
    id: str
    title: str
    improve: str | None = None  # what to do when it is not ticked (the lens's improvement plan)


@dataclass(frozen=True)
class RiskRule:
    condition: str  # a Boolean expression of choice ids (&&, ||, !, parentheses), or "default"
    risk: str  # high, medium or none


DEFAULT_CHOICES = (
    Choice("in_place", "In place, and shown to work (tested, measured or rehearsed)"),
    Choice("partly", "Partly in place, or in place but never tested"),
)
DEFAULT_RULES = (RiskRule("in_place", "none"), RiskRule("partly", "medium"), RiskRule("default", "high"))


def parse_choices(where: Where, raw: dict, item_id: str) -> tuple[Choice, ...] | None:
    """The item's `choices:`, checked; None when it has none."""
    value = raw.get("choices")
    if value is None:
        return None
    where_ = f"{where.path}:{where.line(raw)}: item {item_id!r}"
    if not isinstance(value, list) or not value or not all(isinstance(c, dict) for c in value):
        raise where.error(f"{where_}: 'choices' must be a list of mappings, each with 'id' and 'title'")
    if len(value) > MAX_CHOICES - 1:
        raise where.error(f"{where_}: {len(value)} choices; a Well-Architected lens allows {MAX_CHOICES - 1} "
                          f"besides the 'None of these' it adds; merge or drop some")
    choices, seen = [], set()
    for entry in value:
        line = f"{where.path}:{where.line(entry)}: item {item_id!r}"
        choice_id, title, improve = entry.get("id"), entry.get("title"), entry.get("improve")
        if not isinstance(choice_id, str) or not CHOICE_ID.fullmatch(choice_id) or choice_id.endswith("_no"):
            raise where.error(f"{line}: choice id {choice_id!r} must be 3-48 letters, digits or '_', not ending "
                              f"in '_no' (the lens keeps that for 'None of these')")
        if choice_id in seen:
            raise where.error(f"{line}: choice id {choice_id!r} is used twice; give each choice its own id")
        seen.add(choice_id)
        if not isinstance(title, str) or not title.strip() or len(" ".join(title.split())) > MAX_CHOICE_TITLE:
            raise where.error(f"{line}: choice {choice_id!r} needs a 'title' of 1-{MAX_CHOICE_TITLE} characters")
        if improve is not None and (not isinstance(improve, str) or len(" ".join(improve.split())) > MAX_TEXT):
            raise where.error(f"{line}: choice {choice_id!r}: 'improve' must be text of at most {MAX_TEXT} characters")
        choices.append(Choice(choice_id, " ".join(title.split()), " ".join(improve.split()) if improve else None))
    return tuple(choices)


def parse_risk_rules(where: Where, raw: dict, item_id: str, choices: tuple[Choice, ...] | None
                     ) -> tuple[RiskRule, ...] | None:
    """The item's `risk_rules:`, checked against its choices (or the default ones); None when it has none."""
    value = raw.get("risk_rules")
    if value is None:
        return None
    where_ = f"{where.path}:{where.line(raw)}: item {item_id!r}"
    if not isinstance(value, list) or not value or not all(isinstance(r, dict) for r in value):
        raise where.error(f"{where_}: 'risk_rules' must be a list of mappings, each with 'condition' and 'risk'")
    if len(value) > MAX_RULES:
        raise where.error(f"{where_}: {len(value)} risk rules; a Well-Architected lens allows {MAX_RULES} "
                          f"(one per risk, the last with condition 'default')")
    ids = {c.id for c in (choices or DEFAULT_CHOICES)}
    rules, risks = [], set()
    for n, entry in enumerate(value, start=1):
        line = f"{where.path}:{where.line(entry)}: item {item_id!r}"
        condition, risk = entry.get("condition"), entry.get("risk")
        if risk not in RISKS:
            raise where.error(f"{line}: risk {risk!r} must be one of high, medium, none")
        if risk in risks:
            raise where.error(f"{line}: risk {risk!r} has two rules; a lens allows one rule per risk")
        risks.add(risk)
        if not isinstance(condition, str) or not condition.strip():
            raise where.error(f"{line}: each risk rule needs a 'condition' (choice ids with &&, ||, ! and "
                              f"parentheses, or 'default')")
        condition = " ".join(condition.split())
        last = n == len(value)
        if (condition == "default") != last:
            raise where.error(f"{line}: the last risk rule, and only it, has the condition 'default' (the risk "
                              f"when no other rule holds); add it last")
        if not last:
            problem = condition_problem(condition, ids)
            if problem:
                raise where.error(f"{line}: condition {condition!r}: {problem}")
        rules.append(RiskRule(condition, risk))
    return tuple(rules)


def condition_problem(condition: str, choice_ids: set[str]) -> str | None:
    """What is wrong with a risk rule's condition, or None: a small recursive-descent check of its grammar."""
    tokens, at = [], 0
    while at < len(condition):
        match = CONDITION_TOKEN.match(condition, at)
        if not match or match.end() == at:
            return f"unexpected {condition[at:].strip()[:20]!r}; use choice ids, &&, ||, ! and parentheses"
        tokens.append(match.group(1) or match.group(2))
        at = match.end()
        if condition[at:].strip() == "":
            break
    unknown = sorted({t for t in tokens if t not in ("&&", "||", "!", "(", ")") and t not in choice_ids})
    if unknown:
        return f"{unknown[0]!r} is not one of the question's choices ({', '.join(sorted(choice_ids))})"
    position = _expression(tokens, 0)
    if position != len(tokens):
        return "not a well-formed expression (check the operators and parentheses)"
    return None


def _expression(tokens: list[str], at: int) -> int:
    """Parse `term (&&|| term)*` from `at`; the position after it, or -1."""
    at = _term(tokens, at)
    while at != -1 and at < len(tokens) and tokens[at] in ("&&", "||"):
        at = _term(tokens, at + 1)
    return at


def _term(tokens: list[str], at: int) -> int:
    while at < len(tokens) and tokens[at] == "!":
        at += 1
    if at >= len(tokens):
        return -1
    if tokens[at] == "(":
        at = _expression(tokens, at + 1)
        return at + 1 if at != -1 and at < len(tokens) and tokens[at] == ")" else -1
    return at + 1 if tokens[at] not in ("&&", "||", ")") else -1

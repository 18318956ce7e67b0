"""A curated checklist as an AWS Well-Architected custom lens, to import into the Well-Architected Tool.

`resilience-kb export-lens CHECKLIST -o FILE.json`. Each section of the checklist
becomes a pillar (one of over MAX_QUESTIONS questions becomes several, named
"Architecture (1 of 2)"), each question a question of the lens. A question's title
is its first MAX_NAME characters; the whole question and its detail are its
description. Its choices and risk rules are the checklist item's (`choices:`,
`risk_rules:`, ingest/model/lens_choices.py) or, where it has none, the defaults:

    in_place   "In place, and shown to work"           -> no risk
    partly     "Partly in place, or never tested"       -> medium risk
    <id>_no    "None of these" (every question has it)  -> high risk (the default rule)

An item with its own choices but no rules: all of them ticked, no risk; some, medium; else high.
Only `question` items are questions of the lens: a `field` or `text` item has no risk to rate
(the Tool keeps notes per question) and `guidance` is not asked; a section without a question
is left out.

Every helpful resource and improvement plan links to the site: the page of the first
pattern the question names (its definition as the text; the improvement plan names
every pattern, whose pages gather the knowledge base's passages on it), or the
question on the checklist's page when it names none. So the lens needs the site's
address (site_url in mkdocs.yml). check_lens() then holds the result to the format's limits.
"""

from __future__ import annotations

import hashlib
import re

from ingest.model.checklists import Item, Section
from ingest.model.knowledge import ChecklistEntry, Knowledge
from ingest.model.lens_choices import DEFAULT_CHOICES, DEFAULT_RULES, MAX_TEXT, RISKS, Choice, RiskRule
from ingest.model.reviews import checklist_version
from ingest.site import urls
from ingest.site.lens_check import (
    MAX_NAME, MAX_QUESTIONS, NONE_OF_THESE, SCHEMA_VERSION, LensError, check_lens, lens_text,
)
from ingest.text import is_http_url

__all__ = ["LensError", "build_lens", "lens_text"]


def build_lens(entry: ChecklistEntry, knowledge: Knowledge, *, site_url: str | None, site_name: str = "",
               directory_urls: bool = True) -> dict:
    """The lens of one curated checklist, checked against the format's limits (LensError if it breaks one)."""
    if not site_url or not is_http_url(site_url):
        raise LensError("the lens links every question to the site's pattern pages by their full address, and "
                        f"site_url is {'not set' if not site_url else repr(site_url)}; set site_url in mkdocs.yml "
                        "to the published site's http(s) address (e.g. https://kb.example.org/), or give --site-url")
    checklist = entry.checklist
    links = _Links(site_url, directory_urls, urls.checklist_path(checklist.id))
    pillars, taken = [], set()
    for number, section in enumerate(checklist.sections, start=1):
        if any(item.kind == "question" for item in section.items):  # a section of fields or guidance: none
            pillars += _pillars(section, number, taken, entry, knowledge, links)
    questions = sum(1 for item in checklist.items if item.kind == "question")
    lens = {
        "schemaVersion": SCHEMA_VERSION,
        "name": checklist.title,
        "description": (f"{checklist.title}: the {questions} questions of the curated checklist "
                        f"{checklist.path.name} of {site_name or 'the Resilience KB site'} (version "
                        f"{checklist_version(checklist)}), {links.page(urls.checklist_path(checklist.id))}. "
                        "Each best practice links to the site's pages on the resilience patterns the question "
                        "names, which gather the passages of the team's own sources on each."),
        "pillars": pillars,
    }
    try:
        check_lens(lens)
    except LensError as e:
        raise LensError(f"{checklist.path}: not exportable as a Well-Architected lens: {e}") from None
    return lens


class _Links:
    def __init__(self, site_url: str, directory_urls: bool, checklist_uri: str) -> None:
        self.base, self.directory_urls, self.checklist_uri = site_url.rstrip("/"), directory_urls, checklist_uri

    def page(self, uri: str, anchor: str | None = None) -> str:
        return f"{self.base}/{urls.page_url(uri, self.directory_urls)}" + (f"#{anchor}" if anchor else "")


def _pillars(section: Section, number: int, taken: set[str], entry: ChecklistEntry, knowledge: Knowledge,
             links: _Links) -> list[dict]:
    items = [item for item in section.items if item.kind == "question"]  # what has a risk; fields and text have none
    parts = [items[n:n + MAX_QUESTIONS] for n in range(0, len(items), MAX_QUESTIONS)] or [()]
    base = _pillar_id(section.title, number, taken)
    pillars = []
    for n, part in enumerate(parts, start=1):
        name = section.title if len(parts) == 1 else f"{section.title} ({n} of {len(parts)})"
        pillar_id = base if len(parts) == 1 else f"{base[:60]}_{n}"
        taken.add(pillar_id)
        pillars.append({"id": pillar_id, "name": name,
                        "questions": [_question(item, entry, knowledge, links) for item in part]})
    return pillars


def _pillar_id(title: str, number: int, taken: set[str]) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", title.casefold().encode("ascii", "ignore").decode()).strip("_")[:56]
    candidate = slug if len(slug) >= 3 else f"section_{number}"
    if candidate in taken:
        candidate = f"{candidate}_s{number}"
    taken.add(candidate)
    return candidate


def question_id(item_id: str) -> str:
    """The lens's id of a checklist item: its own, with '_' for '-', at most 60 characters (room for '_no')."""
    qid = item_id.replace("-", "_")
    if len(qid) < 3:
        qid = f"q_{qid}"
    if len(qid) > 60:
        qid = f"{qid[:51]}_{hashlib.sha256(item_id.encode()).hexdigest()[:8]}"
    return qid


def _question(item: Item, entry: ChecklistEntry, knowledge: Knowledge, links: _Links) -> dict:
    qid = question_id(item.id)
    full = f"{item.text} {item.detail}" if item.detail else item.text
    question = {"id": qid, "title": _title(item.text)}
    if full != question["title"]:
        question["description"] = full
    here = links.page(links.checklist_uri, item.id)
    question["helpfulResource"] = {"displayText": "The question on the site's checklist page, with links to the "
                                                  "patterns it names.", "url": here}
    names = knowledge.vocabulary.pattern_by_id
    patterns = [names[p] for p in entry.patterns[item.id]]
    if patterns:
        first = patterns[0]
        helpful = {"displayText": _clip(f"{first.name}: {first.definition}"),
                   "url": links.page(urls.pattern_path(first.id))}
        plan_text = ("Read the knowledge base's pages on " + ", ".join(p.name for p in patterns)
                     + ": each gathers the passages of the team's sources that name the pattern.")
        plan_url = helpful["url"]
    else:
        helpful = {"displayText": _clip(item.detail or item.text), "url": here}
        plan_text, plan_url = "Discuss the question with the checklist's guidance on the site.", here
    choices = [_choice(c, helpful, plan_text, plan_url) for c in (item.choices or DEFAULT_CHOICES)]
    # "None of these" has no improvement plan, as in the format's own example (the plan is the other choices').
    choices.append({"id": f"{qid}_no", "title": NONE_OF_THESE, "helpfulResource": dict(helpful)})
    question["choices"] = choices
    question["riskRules"] = [{"condition": rule.condition, "risk": RISKS[rule.risk]} for rule in _rules(item)]
    return question


def _rules(item: Item) -> tuple[RiskRule, ...]:
    """The item's risk rules; for its own choices without rules: all ticked, no risk; some, medium; else high."""
    if item.risk_rules:
        return item.risk_rules
    if not item.choices:
        return DEFAULT_RULES
    ids = [c.id for c in item.choices]
    some = (RiskRule(" || ".join(ids), "medium"),) if len(ids) > 1 else ()
    return (RiskRule(" && ".join(ids), "none"), *some, RiskRule("default", "high"))


def _choice(choice: Choice, helpful: dict, plan_text: str, plan_url: str) -> dict:
    return {"id": choice.id, "title": choice.title, "helpfulResource": dict(helpful),
            "improvementPlan": {"displayText": _clip(choice.improve or plan_text), "url": plan_url}}


def _title(text: str) -> str:
    """The question's first MAX_NAME characters, cut at a word, with an ellipsis when cut."""
    if len(text) <= MAX_NAME:
        return text
    cut = text[:MAX_NAME - 1].rsplit(" ", 1)[0].rstrip(" ,;:")
    return cut + "…"


def _clip(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT - 1].rsplit(" ", 1)[0] + "…"

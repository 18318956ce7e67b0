"""The guidance a review file quotes under each question: the question's detail and its pattern pages.

A review file (ingest/model/review_format.py) is the checklist to fill in; this
adds what helps a team answer, as Markdown for the quoted hint under each question:
the checklist's explanation of the question, how an item that is not a question is
filled in (a fact, or text at length), and links to the site's pages on the
patterns it names (absolute when the site's address is known, else the page's path).
"""

from __future__ import annotations

import re

from ingest.model.knowledge import ChecklistEntry, Knowledge
from ingest.site import urls


def question_hints(entry: ChecklistEntry, knowledge: Knowledge, *, site_url: str | None) -> dict[str, str]:
    """{item id: Markdown of its hint} for the items that have a detail or name a pattern."""
    names = knowledge.vocabulary.pattern_by_id
    hints = {}
    for item in entry.checklist.answered_items:
        lines = [f"_{_inline(item.detail)}_"] if item.detail else []
        if item.kind in KIND_HINTS:
            lines.append(KIND_HINTS[item.kind])
        patterns = entry.patterns[item.id]
        if patterns:
            links = ", ".join(_pattern_link(names[p].name, p, site_url) for p in patterns)
            lines.append(f"Patterns: {links}")
        if lines:
            hints[item.id] = "\n".join(lines)
    return hints


# What a review asks of an item that is not a question (guidance is not asked: it is in the preamble).
KIND_HINTS = {"field": "A fact: write it after `Answer:`; there is no risk to rate.",
              "text": "Write it at length under `Answer:` (several lines, any Markdown); there is no risk to rate."}


def _pattern_link(name: str, pattern_id: str, site_url: str | None) -> str:
    if site_url:
        return f"[{_inline(name)}]({urls.absolute_url(site_url, urls.pattern_path(pattern_id))})"
    return f"{_inline(name)} (`patterns/{pattern_id}/` on the site)"


MARKDOWN_ACTIVE = re.compile(r"([\\`*_\[\]|{}!#~])")


def _inline(text: str) -> str:
    """Text that stays on one line and opens no Markdown or HTML: no emphasis, link, tag or table cell.

    Backslash escapes keep the file readable as text where it is committed or pasted; `<`, `>` and
    `&` become entities, which every Markdown dialect shows as the character.
    """
    text = " ".join(text.split()).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return MARKDOWN_ACTIVE.sub(r"\\\1", text)

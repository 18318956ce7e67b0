"""A checklist as a Markdown document to fill in: commit it, or paste it into an issue.

Every question keeps its id (so answers can be traced back to the checklist),
gets a box, an answer line and a risk field, and links to the site's pages
for the patterns it names.
"""

from __future__ import annotations

import re

from ingest.model.knowledge import ChecklistEntry, Knowledge
from ingest.site import urls

RISK_LEVELS = "none / low / medium / high"


def fillable_markdown(entry: ChecklistEntry, knowledge: Knowledge, *, service: str, site_url: str | None) -> str:
    checklist = entry.checklist
    names = knowledge.vocabulary.pattern_by_id
    lines = [
        f"# {checklist.title}: {_inline(service)}",
        "",
        "| | |",
        "|---|---|",
        f"| Service | {_inline(service)} |",
        "| Date | |",
        "| Participants | |",
        "| Owner | |",
        "",
        f"Checklist `{checklist.id}`: {len(checklist.items)} questions in {len(checklist.sections)} sections."
        + (f" Online: {urls.absolute_url(site_url, urls.checklist_path(checklist.id))}" if site_url else ""),
        "For each question tick the box when it is answered, write the answer, and rate the risk "
        f"({RISK_LEVELS}).",
        "",
    ]
    for number, section in enumerate(checklist.sections, start=1):
        lines += [f"## {number}. {_inline(section.title)}", ""]
        for item in section.items:
            lines.append(f"- [ ] **{_inline(item.text)}** `{item.id}`")
            if item.detail:
                lines.append(f"  - _{_inline(item.detail)}_")
            patterns = entry.patterns[item.id]
            if patterns:
                links = ", ".join(_pattern_link(names[p].name, p, site_url) for p in patterns)
                lines.append(f"  - Patterns: {links}")
            lines += ["  - Answer: ", f"  - Risk ({RISK_LEVELS}): "]
        lines.append("")
    return "\n".join(lines)


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

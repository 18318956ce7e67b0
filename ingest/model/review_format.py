"""A review file's text to a Review and back: Markdown with a YAML title block, the one format of reviews.

    ---
    service: example-payments
    date: 2026-03-02
    owner: Ada
    participants: [Ada, Grace]
    checklist: orr
    checklist_version: 3f2a9c1b7e40
    ---

    # Operational Readiness Review Template: example-payments

    ## 1. Service Definition and Goals

    ### What is the SLA of the service? `orr-what-is-the-sla-of-the`

    > guidance quoted from the checklist (kept as it is)

    Answer: 99.9% a month, measured at the load balancer.

    Risk: n/a (why it does not apply)          (or high, medium, none; empty: unanswered)

    Notes: free Markdown, several lines if need be.

    Actions:

    - Write an error budget policy
      - owner: Ada
      - due: 2026-04-01
      - status: open                             (in progress, done, won't do)
      - link: https://tracker.example/PAY-12

A line of an answer or notes that would read as a heading or a label is written
with a backslash before it; reading takes one off, so any text comes back as it
was. Headings' text is escaped as inline Markdown (backslashes; entities for <, >, &).
Here: the types and the writer; review_reader.py reads. `write_review(parse_review(text))`
is `text` for a file in this canonical form. Pure: no disk, no clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date as Date

import yaml

from ingest.yamlfile import FileError

RISKS = ("high", "medium", "none", "n/a")
STATUSES = ("open", "in progress", "done", "won't do")
SERVICE = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
RESERVED_SERVICES = ("actions", "index")  # the site's reviews/ folder has pages of these names
FIELDS = ("service", "date", "owner", "participants", "checklist", "checklist_version")
ACTION_FIELDS = ("owner", "due", "status", "link")
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

# A line that is structure, not text: a heading of level 1 to 3, or a label. Text lines that
# would read as one (after any backslashes) get one more backslash when written.
LABEL = re.compile(r"(answer|risk|notes|actions)[ \t]*:(.*)", re.IGNORECASE)
HEADING = re.compile(r"(#{1,3})(?:[ \t]+(.*?))?[ \t]*")
_ESCAPABLE = re.compile(r"\\*(?:#{1,3}(?:[ \t]|$)|(?:answer|risk|notes|actions)[ \t]*:)", re.IGNORECASE)
_INLINE_ACTIVE = re.compile(r"([\\`*_\[\]|{}!#~<>&])")
_INLINE_ESCAPED = re.compile(r"\\([\\`*_\[\]|{}!#~<>&])")


class ReviewError(FileError):
    """A review file is wrong: "FILE:LINE: what is wrong; how to fix"."""

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}" if line else f"{path}: {message}")
        self.path, self.line, self.problem = path, line, message


def read_day(text: str, path: str, line: int, what: str, error: type[FileError] | None = None) -> Date:
    """`text` as a day (YYYY-MM-DD), or `error` (ReviewError by default) saying so at `path`:`line`."""
    try:
        if DAY.fullmatch(text):
            return Date.fromisoformat(text)
    except ValueError:
        pass
    raise (error or ReviewError)(path, line, f"{what} {text!r} is not a date; write it as YYYY-MM-DD, such as 2026-03-02")


@dataclass(frozen=True)
class ActionItem:
    title: str
    owner: str = ""
    due: Date | None = None
    status: str = "open"
    link: str | None = None
    question: str | None = None  # the id of the question it belongs to
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Answer:
    question: str  # the question's id
    answer: str = ""  # Markdown, as the team wrote it
    risk: str | None = None  # one of RISKS; None: unanswered
    reason: str | None = None  # why the question does not apply (risk "n/a")
    notes: str = ""
    actions: tuple[ActionItem, ...] = ()
    line: int = field(default=0, compare=False)  # the question's heading
    text: str = ""  # the question as this review asked it (kept when the checklist drops it)
    section: str = ""  # the section it was asked under
    hint: str = ""  # the guidance quoted under the question (detail, pattern links): not an answer


@dataclass(frozen=True)
class Review:
    service: str
    date: Date
    checklist: str
    checklist_version: str
    participants: tuple[str, ...] = ()
    owner: str = ""
    answers: tuple[Answer, ...] = ()
    path: str = ""  # where it was read from, for messages (relative, posix)
    title: str = ""  # the document's heading
    preamble: str = ""  # Markdown between the heading and the first section (how to fill it in)
    lines: dict = field(default_factory=dict, compare=False, repr=False)  # title-block key -> line

    def answer(self, question: str) -> Answer | None:
        return next((a for a in self.answers if a.question == question), None)

    @property
    def actions(self) -> tuple[ActionItem, ...]:
        return tuple(item for answer in self.answers for item in answer.actions)


# -- writing ------------------------------------------------------------------------------------

def write_review(review: Review) -> str:
    """The review's canonical text: parse_review of it gives the same review back."""
    blocks = [_title_block(review), f"# {_inline(review.title)}"]
    if normal_text(review.preamble):
        blocks.append(_escape_text(normal_text(review.preamble)))
    section, number = None, 0
    for answer in review.answers:
        if answer.section != section or number == 0:
            section, number = answer.section, number + 1
            blocks.append(f"## {number}. {_inline(section)}".rstrip())
        blocks.append(_question_block(answer))
    return "\n\n".join(blocks) + "\n"


def _title_block(review: Review) -> str:
    owner = " ".join(review.owner.split())
    owner = f"owner: {yaml_scalar(owner)}" if owner else "owner:"
    names = [name for name in (" ".join(p.split()) for p in review.participants) if name]
    participants = yaml.safe_dump(names, default_flow_style=True, width=1 << 30, allow_unicode=True).rstrip("\n")
    return "\n".join(["---", f"service: {review.service}", f"date: {review.date.isoformat()}", owner,
                      f"participants: {participants}", f"checklist: {review.checklist}",
                      f"checklist_version: {yaml_scalar(review.checklist_version)}", "---"])


def yaml_scalar(value: str) -> str:
    """The value as YAML writes it in a flow list: plain where it can, quoted where it must."""
    return yaml.safe_dump([value], default_flow_style=True, width=1 << 30, allow_unicode=True).rstrip("\n")[1:-1]


def _question_block(answer: Answer) -> str:
    heading = f"### {_inline(answer.text)} `{answer.question}`" if answer.text else f"### `{answer.question}`"
    parts = [heading]
    if hint := normal_text(answer.hint):
        parts.append("\n".join(f"> {line}" if line else ">" for line in hint.split("\n")))
    parts.append(_labelled("Answer", answer.answer))
    risk = answer.risk or ""
    parts.append(f"Risk: {risk} ({answer.reason})" if risk == "n/a" else f"Risk: {risk}".rstrip())
    parts.append(_labelled("Notes", answer.notes))
    actions = "\n".join(_action_lines(item) for item in answer.actions)
    parts.append("Actions:\n\n" + actions if actions else "Actions:")
    return "\n\n".join(parts)


def _labelled(label: str, text: str) -> str:
    text = normal_text(text)
    return f"{label}: {_escape_text(text)}" if text else f"{label}:"


def _action_lines(item: ActionItem) -> str:
    lines = [f"- {item.title}"]
    if item.owner:
        lines.append(f"  - owner: {item.owner}")
    if item.due:
        lines.append(f"  - due: {item.due.isoformat()}")
    lines.append(f"  - status: {item.status}")
    if item.link:
        lines.append(f"  - link: {item.link}")
    return "\n".join(lines)


def _escape_text(text: str) -> str:
    return "\n".join("\\" + line if _ESCAPABLE.match(line) else line for line in text.split("\n"))


def _inline(text: str) -> str:
    """One line that opens no Markdown or HTML (a heading's text): backslashes, entities for <, > and &."""
    return _INLINE_ACTIVE.sub(lambda m: {"<": "&lt;", ">": "&gt;", "&": "&amp;"}.get(m.group(1), "\\" + m.group(1)),
                              " ".join(text.split()))


def normal_text(text: str) -> str:
    """Text as a file holds it: no blank lines around it, no spaces at line ends or before it."""
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    if lines:
        lines[0] = lines[0].lstrip()
    return "\n".join(lines)

def unescape_line(line: str) -> str:
    return line[1:] if line.startswith("\\") and _ESCAPABLE.match(line[1:]) else line

def unescape_inline(text: str) -> str:
    text = _INLINE_ESCAPED.sub(r"\1", text)
    return " ".join(text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").split())





def service_problem(service: str) -> str | None:
    """What is wrong with a service's name (it names its folder and its page), or None."""
    if not SERVICE.fullmatch(service):
        return (f"service {service!r} is not a slug; use 1-64 lowercase letters, digits and hyphens, such as "
                f"'payments-api' (it names the folder reviews/<service>/)")
    if service in RESERVED_SERVICES:
        return (f"service {service!r} is a reserved name (the site's reviews/{service}/ is another page); "
                f"name it otherwise, such as '{service}-service'")
    return None

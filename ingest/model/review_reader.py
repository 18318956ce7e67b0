"""Reading a review file: its text to a Review, the first mistake a ReviewError with its line and fix.

Forgiving where the meaning is clear (labels in any case, `Risk: N/A - why`, an action's
fields as `owner: ...` or `- owner: ...`, participants as "Ada, Grace"), strict where it
is not: every mistake stops the reading with the file, the line and what to write instead.
The format and the writer are in review_format.py.
"""

from __future__ import annotations

import re

from ingest.model.checklists import ITEM_ID
from ingest.model.review_format import (
    ACTION_FIELDS, FIELDS, HEADING, LABEL, RISKS, STATUSES, ActionItem, Answer, Review, ReviewError,
    normal_text, read_day, service_problem, unescape_inline, unescape_line,
)
from ingest.text import is_http_url
from ingest.yamlfile import FileError, parse_yaml

_QUESTION = re.compile(r"(?:(.*?)[ \t]+)?`([^`]*)`")
_SECTION_NUMBER = re.compile(r"\d+\.(?:[ \t]+|$)")
_NOT_APPLICABLE = re.compile(r"n/a(?![\w/])[\s:;,.\-–—]*(.*)", re.IGNORECASE | re.DOTALL)
_ITEM = re.compile(r"[-*+][ \t]+(.*)")
_FIELD = re.compile(r"[ \t]+(?:[-*+][ \t]+)?([A-Za-z][A-Za-z _]*?)[ \t]*:[ \t]*(.*)")


class _YamlError(FileError):
    """The title block is not YAML (turned into a ReviewError)."""


def parse_review(text: str, path: str) -> Review:
    """The Review a file's text holds; the first mistake raises ReviewError naming `path` and its line."""
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").split("\n")
    front, body_start = _front_matter(lines, path)
    title, preamble, answers = _Body(lines, body_start, path).read()
    return Review(**front, answers=tuple(answers), path=path, title=title, preamble=preamble)


def _front_matter(lines: list[str], path: str) -> tuple[dict, int]:
    fix = "start the file with a line '---', the title block (service, date, checklist, ...) and a line '---'"
    if not lines or lines[0].strip() != "---":
        raise ReviewError(path, 1, f"the title block is missing; {fix}")
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        raise ReviewError(path, 1, f"the title block is not closed; {fix}")
    try:
        data = parse_yaml("\n".join(lines[1:end]).encode("utf-8"), path, _YamlError, first_line=2, dates=False)
    except _YamlError as e:
        where = re.match(rf"{re.escape(path)}:(\d+): (.*)", str(e))
        raise ReviewError(path, int(where[1]) if where else 2, f"{where[2] if where else e}; write each line of "
                          f"the title block as 'key: value', quoting a value that holds ': ' or '#'") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ReviewError(path, 2, f"the title block should be 'key: value' lines; {fix}")
    keys = {m.group(1): n for n in range(1, end) if (m := re.match(r"([^\s:#][^:]*?)[ \t]*:", lines[n]))}
    where = {key: keys.get(key, 0) + 1 for key in FIELDS}
    for key in data:
        if key != "__line__" and key not in FIELDS:
            raise ReviewError(path, keys.get(str(key), 0) + 1,
                              f"unknown key {key!r} in the title block; use {', '.join(FIELDS)}")

    def text(key: str, required: bool = True) -> str:
        value = data.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if value is None or value == "":
            if required:
                raise ReviewError(path, where[key] if key in keys else 2, f"'{key}' is missing in the title block; "
                                  f"add '{key}: ...' between the '---' lines")
            return ""
        if not isinstance(value, str):
            written = lines[where[key] - 1].partition(":")[2].strip()
            raise ReviewError(path, where[key], f"'{key}' should be one line of text; quote it, as in "
                              f"{key}: '{written}'" if not isinstance(value, (list, dict)) else
                              f"'{key}' should be one line of text; write it on one line after '{key}: '")
        return " ".join(value.split())

    service = text("service")
    if problem := service_problem(service):
        raise ReviewError(path, where["service"], problem)
    day = text("date")
    checklist = text("checklist")
    if not ITEM_ID.fullmatch(checklist):
        raise ReviewError(path, where["checklist"], f"checklist {checklist!r} is not a checklist id; write the id "
                          f"of a file in checklists/, such as 'orr'")
    front = {"service": service, "date": read_day(day, path, where["date"], "date"), "checklist": checklist,
             "checklist_version": text("checklist_version"), "owner": text("owner", False),
             "participants": _participants(data.get("participants"), path, where["participants"])}
    front["lines"] = where
    return front, end + 1


def _participants(value: object, path: str, line: int) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        value = value.split(",")  # forgiving: "Ada, Grace"
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
        raise ReviewError(path, line, "'participants' should be a list of names, such as [Ada, Grace]")
    return tuple(name for v in value if (name := " ".join(str(v).split())))


class _Body:
    """The Markdown after the title block, read line by line."""

    def __init__(self, lines: list[str], start: int, path: str) -> None:
        self.lines, self.at, self.path = lines, start, path

    def fail(self, line_index: int, message: str):
        raise ReviewError(self.path, line_index + 1, message)

    def read(self) -> tuple[str, str, list[Answer]]:
        while self.at < len(self.lines) and not self.lines[self.at].strip():
            self.at += 1
        heading = HEADING.fullmatch(self.lines[self.at]) if self.at < len(self.lines) else None
        if heading is None or len(heading.group(1)) != 1 or not heading.group(2):
            self.fail(self.at, "the review's title line is missing; write one such as "
                               "'# Operational readiness: my-service' after the title block")
        title = unescape_inline(heading.group(2))
        self.at += 1
        preamble = self._text_until_heading("the introduction")
        answers: list[Answer] = []
        seen: dict[str, int] = {}
        section = None
        while self.at < len(self.lines):
            heading = HEADING.fullmatch(self.lines[self.at])
            level = len(heading.group(1))
            if level == 1:
                self.fail(self.at, "a second title line ('# ...'); use '## ' for a section, '### ' for a question")
            if level == 2:
                section = _SECTION_NUMBER.sub("", unescape_inline(heading.group(2) or ""), count=1)
                self.at += 1
                self._text_until_heading("a section", allowed=False)
                continue
            if section is None:
                self.fail(self.at, "a question before any section; add a '## Section' heading above it")
            answers.append(self._question(heading.group(2) or "", section, seen))
        return title, preamble, answers

    def _text_until_heading(self, where: str, allowed: bool = True) -> str:
        start = self.at
        while self.at < len(self.lines) and not HEADING.fullmatch(self.lines[self.at]):
            line = self.lines[self.at]
            if LABEL.match(line):
                self.fail(self.at, f"'{line.split(':')[0]}:' outside a question; put it under a question's "
                                   f"'### ... `id`' heading")
            if line.strip() and not allowed:
                self.fail(self.at, "text between a section heading and its first question; put it in a "
                                   "question's 'Notes:'")
            self.at += 1
        return normal_text("\n".join(unescape_line(line) for line in self.lines[start:self.at]))

    def _question(self, heading: str, section: str, seen: dict[str, int]) -> Answer:
        start = self.at
        match = _QUESTION.fullmatch(heading)
        if match is None:
            self.fail(start, "the question heading has no id; end it with the question's id in backticks, as in "
                             "'### What is the SLA of the service? `orr-what-is-the-sla-of-the`'")
        question = match.group(2).strip()
        if not ITEM_ID.fullmatch(question):
            self.fail(start, f"question id {question!r} is not an id: lowercase letters, digits and hyphens, as "
                             f"in the checklist")
        if question in seen:
            self.fail(start, f"question {question!r} is here twice (first on line {seen[question]}); keep one "
                             f"and merge the answers")
        seen[question] = start + 1
        self.at += 1
        hint, parts = self._parts()
        risk, reason = self._risk(parts.get("risk"))
        return Answer(question=question, answer=self._text(parts.get("answer")), risk=risk, reason=reason,
                      notes=self._text(parts.get("notes")), actions=self._actions(parts.get("actions"), question),
                      line=start + 1, text=unescape_inline(match.group(1) or ""), section=section, hint=hint)

    def _parts(self) -> tuple[str, dict[str, tuple[int, list[str]]]]:
        """The quoted hint, and each label's line and lines (its rest of line first)."""
        hint: list[str] = []
        parts: dict[str, tuple[int, list[str]]] = {}
        current = None
        while self.at < len(self.lines) and not HEADING.fullmatch(self.lines[self.at]):
            line = self.lines[self.at]
            label = LABEL.fullmatch(line)
            if label:
                current = label.group(1).lower()
                if current in parts:
                    self.fail(self.at, f"a second '{label.group(1)}:' in this question (the first is on line "
                                       f"{parts[current][0] + 1}); keep one")
                parts[current] = (self.at, [label.group(2)])
            elif current is not None:
                parts[current][1].append(line)
            elif line.startswith(">"):
                hint.append(line[2:] if line.startswith("> ") else line[1:])
            elif line.strip():
                self.fail(self.at, "text before 'Answer:'; write the answer after 'Answer:' and anything else "
                                   "after 'Notes:'")
            self.at += 1
        return normal_text("\n".join(hint)), parts

    @staticmethod
    def _text(part: tuple[int, list[str]] | None) -> str:
        if part is None:
            return ""
        first, *rest = part[1]
        return normal_text("\n".join([unescape_line(first.strip()), *map(unescape_line, rest)]))

    def _risk(self, part: tuple[int, list[str]] | None) -> tuple[str | None, str | None]:
        value = " ".join(" ".join(part[1]).split()) if part else ""
        if not value:
            return None, None
        if value.lower() in RISKS[:3]:
            return value.lower(), None
        words = f"one of {', '.join(RISKS)}, or empty while unanswered"
        match = _NOT_APPLICABLE.fullmatch(value)
        if match is None:
            self.fail(part[0], f"risk {value!r} is not {words}; write 'Risk: high' (or medium, none), "
                               f"or 'Risk: n/a (why)'")
        reason = match.group(1)
        if reason.startswith("(") and reason.endswith(")"):
            reason = " ".join(reason[1:-1].split())
        if not reason:
            self.fail(part[0], "'n/a' needs its reason; write 'Risk: n/a (why the question does not apply)'")
        return "n/a", reason

    def _actions(self, part: tuple[int, list[str]] | None, question: str) -> tuple[ActionItem, ...]:
        if part is None:
            return ()
        line, (rest, *lines) = part
        if rest.strip():
            self.fail(line, "write each action item on its own line under 'Actions:', as '- what to do'")
        items: list[tuple[int, str, dict[str, tuple[int, str]]]] = []
        for n, text in enumerate(lines, start=line + 1):
            if not text.strip():
                continue
            if item := _ITEM.fullmatch(text):
                items.append((n, " ".join(item.group(1).split()), {}))
                continue
            fields = _FIELD.fullmatch(text)
            if not items or fields is None:
                self.fail(n, "under 'Actions:' write '- what to do', then indented lines 'owner: ...', "
                             "'due: YYYY-MM-DD', 'status: open' and 'link: https://...'")
            key = fields.group(1).lower().strip()
            if key not in ACTION_FIELDS:
                self.fail(n, f"unknown field {key!r} of an action item; use {', '.join(ACTION_FIELDS)}")
            if key in items[-1][2]:
                self.fail(n, f"a second '{key}' for this action item (the first is on line "
                             f"{items[-1][2][key][0] + 1}); keep one")
            items[-1][2][key] = (n, " ".join(fields.group(2).split()))
        return tuple(self._action(n, title, fields, question) for n, title, fields in items)

    def _action(self, n: int, title: str, fields: dict[str, tuple[int, str]], question: str) -> ActionItem:
        if not title:
            self.fail(n, "an action item without a title; write what is to be done after '- '")
        due_line, due = fields.get("due", (n, ""))
        status_line, status = fields.get("status", (n, "open"))
        link_line, link = fields.get("link", (n, ""))
        status = _status(status)
        if status not in STATUSES:
            self.fail(status_line, f"status {fields['status'][1]!r} is not one of {', '.join(STATUSES)}; "
                                   f"write one of them")
        if link and not is_http_url(link):
            self.fail(link_line, f"link {link!r} is not an http(s) address; give the tracker's URL or leave "
                                 f"the line out")
        return ActionItem(title=title, owner=fields.get("owner", (n, ""))[1],
                          due=read_day(due, self.path, due_line + 1, "due date") if due else None,
                          status=status, link=link or None, question=question, line=n + 1)


def _status(text: str) -> str:
    words = " ".join(text.lower().replace("’", "'").replace("-", " ").replace("_", " ").split())
    return {"": "open", "wont do": "won't do", "inprogress": "in progress"}.get(words, words or "open")



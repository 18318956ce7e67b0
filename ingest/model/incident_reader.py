"""Reading an incident file: its text to an Incident, the first mistake an IncidentError with its line and fix.

Forgiving where the meaning is clear (words in any case, "SEV-2", "near-miss", "organizational",
a time written '2026-03-02T14:05Z', services as "a, b", links as `a`, `b` or one per comma,
a timeline entry as '- 14:05 UTC: what happened'), strict where it is not: every mistake stops
the reading with the file, the line and what to write instead. The format and the writer are
in incident_format.py; the checks against the vocabularies and checklists in incidents.py.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from ingest.model.checklists import ITEM_ID
from ingest.model.incident_format import (
    ACTION_FIELDS, FACTOR_LABELS, FIELDS, HEADING, PARTS, PUBLIC_FIELDS, IncidentError, parse_time, part_of,
    simple_block, unescape_first, unescape_line,
)
from ingest.model.incident_types import (
    FACTOR_KINDS, SEVERITIES, STATUSES, TYPES, Factor, Incident, IncidentAction, TimelineEntry,
)
from ingest.model.review_format import STATUSES as ITEM_STATUSES, ActionItem, normal_text, read_day, service_problem
from ingest.model.review_format import unescape_inline
from ingest.text import is_http_url
from ingest.yamlfile import FileError, parse_yaml

_ID_HEADING = re.compile(r"(?:(.*?)[ \t]+)?`([^`]*)`")
_LABEL = re.compile(r"(kind|patterns|biases|questions)[ \t]*:(.*)", re.IGNORECASE)
_ITEM = re.compile(r"[-*+][ \t]+(.*)")
_FIELD = re.compile(r"[ \t]+(?:[-*+][ \t]+)?([A-Za-z][A-Za-z _]*?)[ \t]*:[ \t]*(.*)")
_TIMED = re.compile(r"`([^`]+)`[ \t]*(.*)")
_UNTIMED = re.compile(r"(.+?)(?::[ \t]+|[ \t]+[—–-][ \t]+)(.*)")


class _YamlError(FileError):
    """The title block is not YAML (turned into an IncidentError)."""


def parse_incident(text: str, path: str) -> Incident:
    """The Incident a file's text holds; the first mistake raises IncidentError naming `path` and its line."""
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").split("\n")
    front, body_start = _front_matter(lines, path)
    reader = _Body(lines, body_start, path)
    body = reader.read()
    front["lines"] = {**front["lines"], **reader.link_lines}
    actions = body.pop("actions")
    factors = {f.id for f in body["factors"]}
    for action, line in actions:
        if action.factor and action.factor not in factors:
            known = ", ".join(sorted(factors)) or "none yet"
            raise IncidentError(path, line, f"factor {action.factor!r} is not a factor of this incident (its "
                                f"factors: {known}); correct it, or add the factor under 'Contributing factors'")
    return Incident(**front, **body, actions=tuple(a for a, _ in actions), slug=PurePosixPath(path).stem, path=path)


def _front_matter(lines: list[str], path: str) -> tuple[dict, int]:
    fix = "start the file with a line '---', the title block (date, start, end, severity, ...) and a line '---'"
    if not lines or lines[0].strip() != "---":
        raise IncidentError(path, 1, f"the title block is missing; {fix}")
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        raise IncidentError(path, 1, f"the title block is not closed; {fix}")
    try:
        data = simple_block(lines[1:end])
        if data is None:
            data = parse_yaml("\n".join(lines[1:end]).encode("utf-8"), path, _YamlError, first_line=2, dates=False)
    except _YamlError as e:
        where = re.match(rf"{re.escape(path)}:(\d+): (.*)", str(e))
        raise IncidentError(path, int(where[1]) if where else 2, f"{where[2] if where else e}; write each line of "
                            f"the title block as 'key: value', quoting a value that holds ': ' or '#'") from None
    data = {} if data is None else data
    if not isinstance(data, dict):
        raise IncidentError(path, 2, f"the title block should be 'key: value' lines; {fix}")
    keys = {m.group(1): n for n in range(1, end) if (m := re.match(r"([^\s:#][^:]*?)[ \t]*:", lines[n]))}
    where = {key: keys.get(key, 0) + 1 for key in (*FIELDS, *PUBLIC_FIELDS)}
    for key in data:
        if key != "__line__" and key not in where:
            raise IncidentError(path, keys.get(str(key), 0) + 1, f"unknown key {key!r} in the title block; use "
                                f"{', '.join(FIELDS)} (and for a public one {', '.join(PUBLIC_FIELDS)})")

    def fail(key: str, message: str):
        raise IncidentError(path, where[key] if key in keys else 2, message)

    def text(key: str) -> str:
        value = data.get(key)
        if value is None:
            return ""
        if isinstance(value, (list, dict)):
            fail(key, f"'{key}' should be one line of text; write it on one line after '{key}: '")
        if not isinstance(value, str):  # 12:30 is a number to YAML, yes a boolean: the text as written
            value = lines[where[key] - 1].partition(":")[2].split(" #")[0].strip()
        return " ".join(value.split())

    def word(key: str, choices: tuple[str, ...], spelled: dict[str, str]) -> str | None:
        written = text(key)
        if not written:
            return None
        value = " ".join(re.sub(r"[-_]+", " ", written.lower()).split())
        value = spelled.get(value, value)
        if value not in choices:
            fail(key, f"{key} {written!r} is not one of {', '.join(choices)}; write one of them")
        return value

    day = text("date")
    if not day:
        fail("date", "'date' is missing in the title block; add 'date: YYYY-MM-DD' (the day it began)")
    start, end_ = (parse_time(text(k), path, where[k] if k in keys else 2, k) for k in ("start", "end"))
    if start and end_ and end_ < start:
        fail("end", f"end {text('end')!r} is before start {text('start')!r}; correct one of them")
    severity = word("severity", SEVERITIES, {f"sev {n}": f"sev{n}" for n in range(1, 5)} |
                    {str(n): f"sev{n}" for n in range(1, 5)})
    kind = word("type", TYPES, {"nearmiss": "near miss", "surprising behavior": "surprising behaviour"})
    status = word("status", STATUSES, {}) or "draft"
    public = data.get("public", False)
    if public not in (True, False, None):
        fail("public", "'public' should be true or left out; true marks a postmortem of another company")
    source_url = text("source_url")
    if source_url and not is_http_url(source_url):
        fail("source_url", f"source_url {source_url!r} is not an http(s) address; give where it was published")
    extra = data.get("extra") or {}
    if not isinstance(extra, dict):
        fail("extra", "'extra' should be a mapping such as {product: SimpleDB}, or left out")
    front = {"date": read_day(day, path, where["date"], "date", IncidentError), "start": start, "end": end_,
             "severity": severity, "type": kind, "services": _services(data.get("services"), path, where["services"]),
             "detection": text("detection"), "detected_after": text("detected_after"), "owner": text("owner"),
             "status": status, "public": bool(public), "company": text("company"), "source_url": source_url or None,
             "extra": tuple((str(k), " ".join(str(v).split()) if v is not None else "")
                            for k, v in extra.items() if k != "__line__"),
             "lines": where}
    return front, end + 1


def _services(value: object, path: str, line: int) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        value = value.split(",")  # forgiving: "a, b"
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise IncidentError(path, line, "'services' should be a list of service names, such as [payments-api]")
    names = tuple(name for v in value if (name := v.strip()))
    for name in names:
        if problem := service_problem(name):
            raise IncidentError(path, line, problem.replace("reviews/<service>/", "of the service's reviews"))
    return names


class _Body:
    """The Markdown after the title block, read line by line."""

    def __init__(self, lines: list[str], start: int, path: str) -> None:
        self.lines, self.at, self.path = lines, start, path
        self.link_lines: dict[str, int] = {}  # "factor f1 patterns", "action 12 question" -> its line

    def fail(self, line_index: int, message: str):
        raise IncidentError(self.path, line_index + 1, message)

    def heading(self, index: int, deepest: int = 2) -> re.Match | None:
        match = HEADING.fullmatch(self.lines[index]) if index < len(self.lines) else None
        return match if match and len(match.group(1)) <= deepest else None

    def read(self) -> dict:
        while self.at < len(self.lines) and not self.lines[self.at].strip():
            self.at += 1
        heading = self.heading(self.at, 1)
        if heading is None or not heading.group(2):
            self.fail(self.at, "the incident's title line is missing; write one such as "
                               "'# Checkout slowed down by a retry storm' after the title block")
        title = unescape_inline(heading.group(2))
        self.at += 1
        end = self._next_heading()
        preamble = normal_text("\n".join(unescape_line(line) for line in self.lines[self.at:end]))
        self.at = end
        sections: list[tuple[str, str]] = []
        guidance: list[tuple[str, str]] = []
        parts: dict[str, tuple[int, int]] = {}
        found: dict[str, object] = {"factors": (), "actions": [], "timeline": ()}
        while self.at < len(self.lines):
            start = self.at
            heading = self.heading(start)
            if len(heading.group(1)) == 1:
                self.fail(start, "a second title line ('# ...'); use '## ' for a section")
            name = unescape_inline(heading.group(2) or "")
            if not name:
                self.fail(start, "a section without a heading; write its name after '## '")
            part = part_of(name)
            if part in parts:
                self.fail(start, f"a second '## {PARTS[part]}' (the first is on line {parts[part][1] + 1}); "
                                 f"keep one")
            self.at += 1
            end = self._next_heading()
            quoted = self._guidance(end)
            if quoted:
                guidance.append((PARTS[part] if part else name, quoted))
            if part is None:
                text = self.lines[self.at:end]
                sections.append((name, normal_text("\n".join([unescape_first(text[0]), *map(unescape_line, text[1:])])
                                                   if text else "")))
                self.at = end
                continue
            parts[part] = (len(sections), start)
            found[part] = getattr(self, f"_{part}")(end)
            self.at = end
        return {"title": title, "preamble": preamble, "sections": tuple(sections), "guidance": tuple(guidance),
                "parts": tuple((name, at) for name, (at, _) in parts.items()), **found}

    def _next_heading(self) -> int:
        """The index of the next heading of level 1 or 2 (or the end of the file)."""
        n = self.at
        while n < len(self.lines) and not self.heading(n):
            n += 1
        return n

    def _guidance(self, end: int) -> str:
        """The quote under a section's heading (the checklist's prompts); self.at moves to the text after it."""
        while self.at < end and not self.lines[self.at].strip():
            self.at += 1
        quoted = []
        while self.at < end and self.lines[self.at].startswith(">"):
            line = self.lines[self.at]
            quoted.append(line[2:] if line.startswith("> ") else line[1:])
            self.at += 1
        while self.at < end and not self.lines[self.at].strip():
            self.at += 1
        return normal_text("\n".join(quoted))

    def _factors(self, end: int) -> tuple[Factor, ...]:
        factors: list[Factor] = []
        seen: dict[str, int] = {}
        while self.at < end:
            line = self.lines[self.at]
            heading = HEADING.fullmatch(line)
            if heading is None:
                if line.strip():
                    self.fail(self.at, "text under 'Contributing factors' outside a factor; start each factor "
                                       "with '### what contributed `f1`'")
                self.at += 1
                continue
            start = self.at
            match = _ID_HEADING.fullmatch(heading.group(2) or "")
            if match is None:
                self.fail(start, "the factor's heading has no id; end it with an id in backticks, as in "
                                 "'### Retries without back-off amplified the load `f1`'")
            factor_id = match.group(2).strip()
            if not ITEM_ID.fullmatch(factor_id):
                self.fail(start, f"factor id {factor_id!r} is not an id: lowercase letters, digits and hyphens, "
                                 f"such as f1")
            if factor_id in seen:
                self.fail(start, f"factor {factor_id!r} is here twice (first on line {seen[factor_id]}); give "
                                 f"each factor its own id")
            seen[factor_id] = start + 1
            self.at += 1
            labels: dict[str, tuple[int, str]] = {}
            while self.at < end and not HEADING.fullmatch(self.lines[self.at]):
                text = self.lines[self.at]
                label = _LABEL.fullmatch(text.strip())
                if label:
                    key = label.group(1).lower()
                    if key in labels:
                        self.fail(self.at, f"a second '{label.group(1)}:' in this factor (the first is on line "
                                           f"{labels[key][0] + 1}); keep one")
                    labels[key] = (self.at, label.group(2))
                elif text.strip():
                    labels_text = ", ".join(f"{label.capitalize()}:" for label in FACTOR_LABELS)
                    self.fail(self.at, f"under a factor write only {labels_text}; put the story in the "
                                       f"write-up's sections")
                self.at += 1
            factors.append(self._factor(start, factor_id, unescape_inline(match.group(1) or ""), labels))
        return tuple(factors)

    def _factor(self, start: int, factor_id: str, text: str, labels: dict[str, tuple[int, str]]) -> Factor:
        kind_line, written = labels.get("kind", (start, ""))
        kind = " ".join(re.sub(r"[-_]+", " ", written.lower()).split())
        kind = {"organizational": "organisational", "human factor": "human factors", "human": "human factors",
                "communications": "communication"}.get(kind, kind)
        if kind not in FACTOR_KINDS:
            what = f"kind {written.strip()!r} is not" if written.strip() else "a factor needs its kind:"
            self.fail(kind_line, f"{what} one of {', '.join(FACTOR_KINDS)}; write 'Kind: ' and one of them")
        links = {key: _ids(labels[key][1]) if key in labels else () for key in FACTOR_LABELS[1:]}
        for key, ids in links.items():
            for value in ids:
                if not ITEM_ID.fullmatch(value):
                    self.fail(labels[key][0], f"{key[:-1]} id {value!r} is not an id: lowercase letters, digits "
                                              f"and hyphens, separated by commas")
        for key in FACTOR_LABELS[1:]:
            if key in labels:
                self.link_lines[f"factor {factor_id} {key}"] = labels[key][0] + 1
        return Factor(id=factor_id, text=text, kind=kind, line=start + 1, **links)

    def _actions(self, end: int) -> list[tuple[IncidentAction, int]]:
        items: list[tuple[int, str, dict[str, tuple[int, str]]]] = []
        for n in range(self.at, end):
            text = self.lines[n]
            if not text.strip():
                continue
            if item := _ITEM.fullmatch(text):
                items.append((n, " ".join(item.group(1).split()), {}))
                continue
            fields = _FIELD.fullmatch(text)
            if not items or fields is None:
                self.fail(n, "under 'Action items' write '- what to do', then indented lines 'owner: ...', "
                             "'due: YYYY-MM-DD', 'status: open', 'link: https://...', 'factor: f1' and 'question: id'; "
                             "or move the text to a section of the write-up")
            key = fields.group(1).lower().strip()
            if key not in ACTION_FIELDS:
                self.fail(n, f"unknown field {key!r} of an action item; use {', '.join(ACTION_FIELDS)}")
            if key in items[-1][2]:
                self.fail(n, f"a second '{key}' for this action item (the first is on line "
                             f"{items[-1][2][key][0] + 1}); keep one")
            items[-1][2][key] = (n, " ".join(fields.group(2).split()))
        return [self._action(n, title, fields) for n, title, fields in items]

    def _action(self, n: int, title: str, fields: dict[str, tuple[int, str]]) -> tuple[IncidentAction, int]:
        if not title:
            self.fail(n, "an action item without a title; write what is to be done after '- '")
        due_line, due = fields.get("due", (n, ""))
        status_line, written = fields.get("status", (n, "open"))
        status = " ".join(written.lower().replace("’", "'").replace("-", " ").replace("_", " ").split()) or "open"
        status = {"wont do": "won't do", "inprogress": "in progress"}.get(status, status)
        if status not in ITEM_STATUSES:
            self.fail(status_line, f"status {written!r} is not one of {', '.join(ITEM_STATUSES)}; write one of them")
        link_line, link = fields.get("link", (n, ""))
        if link and not is_http_url(link):
            self.fail(link_line, f"link {link!r} is not an http(s) address; give the tracker's URL or leave the "
                                 f"line out")
        for key in ("factor", "question"):
            line, value = fields.get(key, (n, ""))
            if value and not ITEM_ID.fullmatch(value.strip("`")):
                self.fail(line, f"{key} {value!r} is not an id: lowercase letters, digits and hyphens")
        factor_line, factor = fields.get("factor", (n, ""))
        question = fields.get("question", (n, ""))[1].strip("`")
        item = ActionItem(title=title, owner=fields.get("owner", (n, ""))[1],
                          due=read_day(due, self.path, due_line + 1, "due date", IncidentError) if due else None,
                          status=status,
                          link=link or None, question=question or None, line=n + 1)
        if question:
            self.link_lines[f"action {n + 1} question"] = fields["question"][0] + 1
        return IncidentAction(item=item, factor=factor.strip("`") or None), factor_line + 1

    def _timeline(self, end: int) -> tuple[TimelineEntry, ...]:
        entries = []
        for n in range(self.at, end):
            text = self.lines[n]
            if not text.strip():
                continue
            item = _ITEM.fullmatch(text)
            entry = _TIMED.fullmatch(item.group(1)) or _UNTIMED.fullmatch(item.group(1)) if item else None
            if entry is None or not entry.group(1).strip():
                self.fail(n, "not a timeline entry; write each as '- `2026-03-02 14:05 UTC` what happened', one a line")
            entries.append(TimelineEntry(at=" ".join(entry.group(1).split()), text=" ".join(entry.group(2).split()),
                                         line=n + 1))
        return tuple(entries)


def _ids(text: str) -> tuple[str, ...]:
    """Ids written after a label: separated by commas or spaces, in backticks or not."""
    return tuple(dict.fromkeys(i for i in re.split(r"[,\s]+", text.replace("`", " ")) if i))

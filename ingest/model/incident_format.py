"""An incident file's text from an Incident: Markdown with a YAML title block, the one format of incidents.

    ---
    date: 2026-03-02
    start: 2026-03-02 14:05 UTC              (a time with its zone: UTC, Z or an offset such as +01:00)
    end: 2026-03-02 15:20 UTC
    severity: sev2                           (sev1, the worst, to sev4)
    type: degradation                        (outage, degradation, near miss, surprising behaviour)
    services: [example-payments]
    detection: an alert on p99 latency
    detected_after: 12 min
    owner: Ada
    status: draft                            (or reviewed)
    ---

    # Checkout slowed down by a retry storm

    ## Summary

    > the checklist's prompt, quoted as guidance (kept as it is)

    Free Markdown, as the team writes it ('### ' headings included).

    ## Contributing factors

    ### Retries without back-off amplified the load `f1`

    Kind: technical
    Patterns: retries, backoff
    Biases: normalcy-bias
    Questions: orr-do-you-have-any-single-points

    ## Action items

    - Add jittered back-off to the payments client
      - owner: Ada
      - due: 2026-04-01
      - status: open
      - link: https://tracker.example/PAY-31
      - factor: f1
      - question: orr-do-you-have-any-single-points

    ## Timeline

    - `2026-03-02 14:05 UTC` The p99 latency alert fired.

Imported postmortems of other companies add `public: true`, `company`, `source_url` and
`extra` (the fields with no place here, as a mapping of text) to the title block.

The title is the '# ' heading. The write-up is every other '## ' section, in the file's
order; the three structured parts keep their place among them. A line of a section that
would read as a heading of level 1 or 2, and a section's first line that would read as
its quoted guidance, are written with a backslash before them; reading takes one off, so
any text comes back as it was. Headings' text is escaped as inline Markdown. Here: the
writer; incident_reader.py reads. `write_incident(parse_incident(text))` is `text` for a
file in this canonical form. Pure: no disk, no clock.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import yaml

from ingest.model.incident_types import FACTOR_KINDS, SEVERITIES, STATUSES, TYPES, Factor, Incident, IncidentAction
from ingest.model.review_format import _inline, normal_text
from ingest.yamlfile import FileError

__all__ = ["FACTOR_KINDS", "SEVERITIES", "STATUSES", "TYPES", "IncidentError", "write_incident", "time_text"]

FIELDS = ("date", "start", "end", "severity", "type", "services", "detection", "detected_after", "owner", "status")
PUBLIC_FIELDS = ("public", "company", "source_url", "extra")  # written only when set
ACTION_FIELDS = ("owner", "due", "status", "link", "factor", "question")
FACTOR_LABELS = ("kind", "patterns", "biases", "questions")
PARTS = {"factors": "Contributing factors", "actions": "Action items", "timeline": "Timeline"}
INCIDENT_SUFFIX = ".md"  # an incident file's name ends so: a source kept in git, not a page of the site

# Structure, not text: a heading of level 1 or 2 ('### ' and deeper are the write-up's own), a
# section's quoted guidance at its start. Text lines that would read as one get a backslash more.
HEADING = re.compile(r"(#{1,3})(?:[ \t]+(.*?))?[ \t]*")
_ESCAPABLE = re.compile(r"\\*#{1,2}(?:[ \t]|$)")
_QUOTE = re.compile(r"\\*>")


class IncidentError(FileError):
    """An incident file is wrong: "FILE:LINE: what is wrong; how to fix"."""

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}" if line else f"{path}: {message}")
        self.path, self.line, self.problem = path, line, message


def part_of(heading: str) -> str | None:
    """Which structured part a '## ' heading names ("Contributing factors", "Action items", "Timeline"), if any."""
    words = " ".join(re.sub(r"[-_]", " ", heading.lower()).split()).removesuffix(":").rstrip()
    if not re.fullmatch(r"[a-z ]+", words):
        return None
    if words.endswith("contributing factors") or words in ("factors", "contributing factor"):
        return "factors"
    if words in ("action items", "actions", "action item", "follow ups", "follow up actions"):
        return "actions"
    return "timeline" if words == "timeline" else None


def time_text(when: datetime) -> str:
    """A time as the title block writes it: '2026-03-02 14:05 UTC', with seconds only when there are some."""
    text = when.strftime("%Y-%m-%d %H:%M:%S" if when.second else "%Y-%m-%d %H:%M")
    offset = when.utcoffset() or timedelta(0)
    if not offset:
        return f"{text} UTC"
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    return f"{text} {sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


_TIME = re.compile(r"(\d{4}-\d{2}-\d{2})[Tt ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?[ \t]*"
                   r"(?:(Z|UTC|GMT)|([+-])(\d{2}):?(\d{2})|([A-Za-z][\w/+-]*))?")
FIX_TIME = "write it as YYYY-MM-DD HH:MM with its zone, such as 2026-03-02 14:05 UTC or 2026-03-02 15:05 +01:00"


def parse_time(text: str, path: str, line: int, what: str) -> datetime | None:
    """A time with its zone; '' is none. Without a zone it is refused: 14:05 where?"""
    if not text:
        return None
    match = _TIME.fullmatch(text)
    if match is None:
        raise IncidentError(path, line, f"{what} {text!r} is not a date and time; {FIX_TIME}")
    day, hour, minute, second, utc, sign, hours, minutes, named = match.groups()
    if named or not (utc or sign):
        why = f"the zone {named!r} is not an offset" if named else "a time without a time zone"
        raise IncidentError(path, line, f"{what} {text!r}: {why}; {FIX_TIME}")
    offset = timedelta(0) if utc else (1 if sign == "+" else -1) * timedelta(hours=int(hours), minutes=int(minutes))
    try:
        zone = timezone.utc if not offset else timezone(offset)
        return datetime(*map(int, day.split("-")), int(hour), int(minute), int(second or 0), tzinfo=zone)
    except ValueError:
        raise IncidentError(path, line, f"{what} {text!r} is not a date and time; {FIX_TIME}") from None


# -- the title block as the writer writes it, read without YAML's reader ---------------------------

_SIMPLE_LINE = re.compile(r"([a-z_]+):(?:[ \t]+(.*?))?[ \t]*")
_PLAIN = re.compile(r"[A-Za-z0-9](?:[^#'\"\t]*[^#'\"\s:])?")  # read by YAML as written, or as a number
_SIMPLE_NAME = re.compile(r"[a-z][a-z0-9-]*")
_YAML_WORDS = frozenset("null ~ yes no on off true false y n".split())  # lowercased: not text to YAML


def simple_block(lines: list[str]) -> dict | None:
    """The title block as YAML reads it, for the plain `key: value` lines the tools write (a third of the
    time of YAML's reader); None where any line is more than that, for YAML to read."""
    data: dict = {}
    for line in lines:
        match = _SIMPLE_LINE.fullmatch(line)
        if match is None or match[1] in data or match[1] not in (*FIELDS, "public", "company", "source_url"):
            if not line.strip():
                continue
            return None
        key, value = match[1], match[2]
        if key == "services":
            names = value[1:-1].split(", ") if value and value[0] == "[" and value[-1] == "]" else None
            if value != "[]" and not (names and all(_SIMPLE_NAME.fullmatch(n) and n not in _YAML_WORDS
                                                    for n in names)):
                return None
            value = names if value != "[]" else []
        elif key == "public":
            if value != "true":
                return None
            value = True
        elif value is not None and not (_PLAIN.fullmatch(value) and ": " not in value
                                        and value.lower() not in _YAML_WORDS):
            return None
        data[key] = value
    return data


# -- writing ------------------------------------------------------------------------------------

def write_incident(incident: Incident) -> str:
    """The incident's canonical text: parse_incident of it gives the same incident back."""
    blocks = [_title_block(incident), f"# {_inline(incident.title)}"]
    if preamble := normal_text(incident.preamble):
        blocks.append(_escape_text(preamble))
    guidance = dict(incident.guidance)
    placed = dict(incident.parts) if incident.parts else {}
    parts = list(incident.parts) or []
    for name in PARTS:  # a part with content but no place in the file goes last
        if name not in placed and _has_content(incident, name):
            parts.append((name, len(incident.sections)))
    for n in range(len(incident.sections) + 1):
        for name, at in parts:
            if at == n or (n == len(incident.sections) and at > n):
                blocks.append(_part(incident, name, guidance.get(PARTS[name], "")))
        if n < len(incident.sections):
            heading, text = incident.sections[n]
            if not heading.strip() or part_of(heading):
                raise ValueError(f"a section of the write-up cannot be headed {heading!r}")
            blocks.append(_section(f"## {_inline(heading)}", guidance.get(heading, ""), text))
    return "\n\n".join(blocks) + "\n"


def _has_content(incident: Incident, name: str) -> bool:
    return bool({"factors": incident.factors, "actions": incident.actions, "timeline": incident.timeline}[name]
                or dict(incident.guidance).get(PARTS[name]))


def _title_block(incident: Incident) -> str:
    lines = ["---", f"date: {incident.date.isoformat()}",
             f"start: {time_text(incident.start)}" if incident.start else "start:",
             f"end: {time_text(incident.end)}" if incident.end else "end:",
             _line("severity", incident.severity or ""), _line("type", incident.type or ""),
             f"services: {_flow(list(incident.services))}", _line("detection", incident.detection),
             _line("detected_after", incident.detected_after), _line("owner", incident.owner),
             _line("status", incident.status)]
    if incident.public:
        lines.append("public: true")
    if incident.company:
        lines.append(_line("company", incident.company))
    if incident.source_url:
        lines.append(_line("source_url", incident.source_url))
    if incident.extra:
        lines.append(f"extra: {_flow(dict((k, ' '.join(v.split())) for k, v in incident.extra))}")
    return "\n".join([*lines, "---"])


def _line(key: str, value: str) -> str:
    """`key: value`, the value quoted only where YAML would read it otherwise (a URL is not)."""
    value = " ".join(value.split())
    if not value:
        return f"{key}:"
    return yaml.safe_dump({key: value}, width=1 << 30, allow_unicode=True).rstrip("\n").removesuffix("\n...")


def _flow(value: object) -> str:
    return yaml.safe_dump(value, default_flow_style=True, width=1 << 30, allow_unicode=True,
                          sort_keys=False).rstrip("\n").removesuffix("\n...")


def _section(heading: str, guidance: str, text: str) -> str:
    parts = [heading]
    if guidance := normal_text(guidance):
        parts.append("\n".join(f"> {line}" if line else ">" for line in guidance.split("\n")))
    if text := normal_text(text):
        escaped = _escape_text(text)
        parts.append("\\" + escaped if _QUOTE.match(escaped) else escaped)
    return "\n\n".join(parts)


def _part(incident: Incident, name: str, guidance: str) -> str:
    if name == "factors":
        body = "\n\n".join(_factor_block(f) for f in incident.factors)
    elif name == "actions":
        body = "\n".join(_action_lines(a) for a in incident.actions)
    else:
        body = "\n".join(f"- `{' '.join(e.at.split())}` {' '.join(e.text.split())}".rstrip()
                         for e in incident.timeline)
    block = _section(f"## {PARTS[name]}", guidance, "")
    return f"{block}\n\n{body}" if body else block


def _factor_block(factor: Factor) -> str:
    heading = f"### {_inline(factor.text)} `{factor.id}`" if factor.text.strip() else f"### `{factor.id}`"
    return "\n".join([heading, "", f"Kind: {factor.kind}".rstrip(), _ids("Patterns", factor.patterns),
                      _ids("Biases", factor.biases), _ids("Questions", factor.questions)])


def _ids(label: str, ids: tuple[str, ...]) -> str:
    return f"{label}: {', '.join(ids)}" if ids else f"{label}:"


def _action_lines(action: IncidentAction) -> str:
    item = action.item
    lines = [f"- {' '.join(item.title.split())}"]
    if item.owner:
        lines.append(f"  - owner: {' '.join(item.owner.split())}")
    if item.due:
        lines.append(f"  - due: {item.due.isoformat()}")
    lines.append(f"  - status: {item.status}")
    for key, value in (("link", item.link), ("factor", action.factor), ("question", item.question)):
        if value:
            lines.append(f"  - {key}: {value}")
    return "\n".join(lines)


def _escape_text(text: str) -> str:
    return "\n".join("\\" + line if _ESCAPABLE.match(line) else line for line in text.split("\n"))


def unescape_line(line: str) -> str:
    return line[1:] if line.startswith("\\") and _ESCAPABLE.match(line[1:]) else line


def unescape_first(line: str) -> str:
    """A section's first line: the backslash written before what would read as guidance, taken off."""
    return line[1:] if line.startswith("\\") and _QUOTE.match(line[1:]) else unescape_line(line)

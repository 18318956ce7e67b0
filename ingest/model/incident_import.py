"""Other companies' postmortems, as public collections keep them in git, read into public Incidents.

The format is Markdown with a YAML front matter, as in the collection icco/postmortems:

    ---
    uuid: 00b7f759-...
    url: https://status.example.com/incidents/123
    title: Object storage unavailable in one region
    company: Example Corp
    product: Object storage
    categories: [cloud, config-change]
    start_time: 2017-02-28T17:37:00Z         (RFC 3339, a bare day, or a time without zone: UTC)
    end_time: 2017-02-28T21:54:00Z
    summary: One paragraph.
    ---

    The postmortem's text, in Markdown.

Mapped: title, company, url (the source), start_time and end_time (the day is the start's,
else the end's), summary (the section "Summary") and the text (the section "Postmortem").
Every other field (product, categories, keywords, uuid, ...) is kept as written in the
incident's `extra`, lists joined with ", ". A file without a date (no start nor end time)
cannot be placed among incidents and is refused with that reason. Pure: bytes in, an
Incident or an IncidentError out; the command writes the files.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

from ingest.model.incident_format import IncidentError
from ingest.model.incident_types import Incident
from ingest.model.review_format import normal_text
from ingest.text import is_http_url, shorten_slug, slugify
from ingest.yamlfile import MAX_BYTES, FileError, parse_yaml

_RFC3339 = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"
                      r"(Z|z|[+-]\d{2}:\d{2})?)?")
MAPPED = ("title", "company", "url", "start_time", "end_time", "summary")


class _YamlError(FileError):
    """The front matter is not YAML (turned into an IncidentError)."""


def read_postmortem(raw: bytes, name: str) -> Incident:
    """A public Incident from a postmortem file's bytes; what cannot be read raises IncidentError with why."""
    if len(raw) > MAX_BYTES:
        raise IncidentError(name, 0, f"over {MAX_BYTES:,} bytes, too large for a postmortem; leave it out")
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n")
    except UnicodeDecodeError as e:
        raise IncidentError(name, raw[:e.start].count(b"\n") + 1, "the file is not UTF-8; save it as UTF-8") from None
    lines = text.split("\n")
    fix = "a postmortem starts with '---', its front matter (title, company, start_time, ...) and '---'"
    if not lines or lines[0].strip() != "---":
        raise IncidentError(name, 1, f"no front matter; {fix}")
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        raise IncidentError(name, 1, f"the front matter is not closed; {fix}")
    try:
        data = parse_yaml("\n".join(lines[1:end]).encode("utf-8"), name, _YamlError, first_line=2, dates=False)
    except _YamlError as e:
        where = re.match(rf"{re.escape(name)}:(\d+): (.*)", str(e))
        raise IncidentError(name, int(where[1]) if where else 2,
                            f"{where[2] if where else e}; correct the front matter's YAML") from None
    if not isinstance(data, dict):
        raise IncidentError(name, 2, f"the front matter is not 'key: value' lines; {fix}")
    keys = {m.group(1): n + 1 for n in range(1, end) if (m := re.match(r"([^\s:#][^:]*?)[ \t]*:", lines[n]))}
    data.pop("__line__", None)

    def text(key: str) -> str:
        value = data.get(key)
        if value is None or isinstance(value, (list, dict)):
            if isinstance(value, (list, dict)):
                raise IncidentError(name, keys.get(key, 2), f"'{key}' should be text, not a list; write it on "
                                                             f"one line")
            return ""
        return " ".join(str(value).split())

    start, end_time = (_time(text(key), name, keys.get(key, 2), key) for key in ("start_time", "end_time"))
    if start and end_time and ((end_time < start) if start.tzinfo and end_time.tzinfo else
                               end_time.date() < start.date()):
        raise IncidentError(name, keys.get("end_time", 2), "end_time is before start_time; correct one of them")
    when = start or end_time
    if when is None:
        raise IncidentError(name, keys.get("start_time", 2), "no date: start_time and end_time are empty; give "
                                                              "at least one (2017-02-28 or 2017-02-28T17:37:00Z)")
    day = when.date()
    company, title = text("company"), text("title")
    title = title or " ".join(p for p in (company, text("product"), "postmortem") if p)
    url = text("url")
    extra = [(str(key), _as_text(value)) for key, value in data.items() if key not in MAPPED or
             (key == "url" and not is_http_url(url))]
    sections = [(heading, body) for heading, body in (("Summary", normal_text(str(data.get("summary") or ""))),
                                                      ("Postmortem", normal_text("\n".join(lines[end + 1:]))))
                if body]
    slug = f"{day.isoformat()}-{shorten_slug(slugify(f'{company} {title}'), 60) or 'postmortem'}"
    return Incident(slug=slug, title=title, date=day, start=start if start and start.tzinfo else None,
                    end=end_time if end_time and end_time.tzinfo else None, public=True, company=company,
                    source_url=url if is_http_url(url) else None, extra=tuple(extra), sections=tuple(sections),
                    status="reviewed")


def _as_text(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(_as_text(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_as_text(v)}" for k, v in value.items() if k != "__line__")
    return "" if value is None else " ".join(str(value).split())


def _time(text: str, name: str, line: int, key: str) -> datetime | None:
    """RFC 3339, a bare day (no time: kept as the day only) or a time without a zone (taken as UTC, as the
    collection's own tool reads it)."""
    if not text:
        return None
    match = _RFC3339.fullmatch(text)
    try:
        if match is None:
            raise ValueError(text)
        day, hour, minute, second, zone = match.groups()
        if hour is None:
            return datetime.fromisoformat(day)  # naive: a day, no time
        zone = timezone.utc if zone in (None, "Z", "z") else datetime.strptime(zone.replace(":", ""), "%z").tzinfo
        return datetime(*map(int, day.split("-")), int(hour), int(minute), int(second or 0), tzinfo=zone)
    except ValueError:
        raise IncidentError(name, line, f"{key} {text!r} is not a date or time; write it as 2017-02-28T17:37:00Z "
                                        f"(RFC 3339) or 2017-02-28") from None

"""An incident file's suggested links, numbered for `incident check`, and the accepted ones written into its text.

The numbers run from 1 through the file, factor by factor then action item by action
item, in the order incident_links.incident_suggestions gives them; `--apply 2,5` or
`--apply all` names the accepted ones. Accepting rewrites the file with the format's
own writer (incident_format.py), which gives back every byte of a file in its canonical
form: a file that is not (hand-written with other spacing or spellings) would change
where nothing was accepted, so it is refused with the way to make it canonical.
Pure: text in, text out.
"""

from __future__ import annotations

from ingest.errors import UsageError
from ingest.model.incident_format import IncidentError, write_incident
from ingest.model.incident_links import Suggestion, apply_suggestions
from ingest.model.incident_reader import parse_incident
from ingest.model.incident_types import Incident


def numbered_lines(name: str, incident: Incident, suggestions: list[Suggestion]) -> list[str]:
    """The suggestions under the factor or action item each is for, numbered, then how to accept them."""
    if not suggestions:
        return []
    lines = [f"{name}: {len(suggestions)} suggested link{'s' if len(suggestions) != 1 else ''}"]
    target = None
    for number, suggestion in enumerate(suggestions, start=1):
        if suggestion.target != target:
            target = suggestion.target
            lines.append(f"  {_target_text(incident, target)}")
        lines.append(f"    {number}. {suggestion.kind} {suggestion.id}: {suggestion.label}")
    lines.append(f"  to accept: resilience-kb incident check {name} --apply 1,2 (their numbers) or --apply all")
    return lines


def _target_text(incident: Incident, target: str) -> str:
    factor = next((f for f in incident.factors if f.id == target), None)
    if factor is not None:
        return f"factor {factor.id} (line {factor.line}): {_short(factor.text)}"
    number = int(target.split()[1])
    item = incident.actions[number - 1].item
    return f"action item {number} (line {item.line}): {_short(item.title)}"


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def accepted(choice: str, suggestions: list[Suggestion]) -> list[Suggestion]:
    """The suggestions `--apply` names: "all", or numbers separated by commas ("1,3")."""
    if choice.strip().lower() == "all":
        return list(suggestions)
    numbers = []
    for part in choice.split(","):
        part = part.strip()
        if not part.isdigit() or not 1 <= int(part) <= len(suggestions):
            shown = f"1 to {len(suggestions)}" if suggestions else "none: there is nothing to accept"
            raise UsageError(f"--apply {choice!r}: {part!r} is not the number of a suggestion (shown: {shown}); "
                             f"give numbers separated by commas, such as --apply 1,3, or --apply all")
        numbers.append(int(part))
    return [suggestions[n - 1] for n in sorted(set(numbers))]


def accept_into_text(text: str, name: str, chosen: list[Suggestion]) -> str:
    """The file's text with the chosen links added to their factors and action items; nothing else changes."""
    incident = parse_incident(text, name)
    if write_incident(incident) != text:
        raise IncidentError(name, 0, "--apply writes the file in the form `incident new` gives it, and this file "
                                     "is laid out otherwise (spacing, spellings, line ends), so lines you did not "
                                     "accept would change too; add the links by hand, with the ids shown")
    written = write_incident(apply_suggestions(incident, chosen))
    if parse_incident(written, name) != apply_suggestions(incident, chosen):  # the format keeps what was added
        raise IncidentError(name, 0, "the accepted links would not read back as written; add them by hand")
    return written

"""The `reviews` option of the plugin in mkdocs.yml (config.py holds the others): off unless enabled."""

from __future__ import annotations

from datetime import date, datetime

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.base import ValidationError


class Day(c.BaseConfigOption[date | None]):
    """A day written YYYY-MM-DD, or nothing."""

    def run_validation(self, value: object) -> date | None:
        if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
            return value
        try:
            if isinstance(value, str) and len(value) == 10:
                return date.fromisoformat(value)
        except ValueError:
            pass
        raise ValidationError(f"expected a date such as 2026-04-01, got {value!r}")


class ReviewsConfig(base.Config):
    """The `reviews` option: readiness reviews on the site and in knowledge.json, off unless enabled."""

    enabled = c.Type(bool, default=False)
    """Show the reviews (and carry them in knowledge.json). Reviews say where a service is weak:
    enable them only on a site that is not public."""

    folder = c.Type(str, default="reviews")
    """Folder of the review files (reviews/<service>/<date>-<checklist>.md), relative to mkdocs.yml."""

    as_of = Day()
    """The day open action items are counted overdue against (YYYY-MM-DD), for a build that must not
    depend on its day (screenshots, tests); default: the day of the build."""

    # Incidents share the reviews' privacy switch: shown (and exported) only where reviews are enabled.
    incidents = c.Type(str, default="incidents")
    """Folder of the incident files (incidents/<date>-<slug>.md, and public/ for imported postmortems),
    relative to mkdocs.yml."""

    services = c.ListOfItems(c.Type(str), default=[])
    """Services an incident may name besides those with reviews (reviews/<service>/): a service
    never reviewed yet."""

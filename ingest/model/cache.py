"""A cache of each article's analysis (its clean HTML and its notes), so a rebuild redoes only what changed.

It lives in the archive folder as `.cache/` (git-ignored) and holds one JSON
file per archived entry version. An entry is looked up by its content hash
under a fingerprint of the code and vocabularies that analysed it
(fingerprint.py), so any change to either starts afresh. An article's links to other archived articles
depend on the whole archive, so each cached analysis keeps the answers its
links got; when the archive now answers one of them differently, the article
is analysed again.

JSON, not pickle: a file in the cache is data, never code, whoever wrote it.
"""

from __future__ import annotations

import json
import logging
from dataclasses import fields, is_dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from ingest.model import articles
from ingest.model.extract import notes
from ingest.model.html import clean
from ingest.atomic import write_atomic

log = logging.getLogger(__name__)
TYPES = {cls.__name__: cls for cls in (
    articles.Article, articles.Body, clean.Heading,
    notes.ArticleNotes, notes.Launch, notes.Mention, notes.BiasNote, notes.Lesson, notes.FailureInjection,
    notes.Experiment, notes.Checklist, notes.ChecklistSection, notes.ChecklistItem,
)}

Resolutions = dict[tuple[str, str], "str | None"]  # (url, link text) -> the local URL it got, or None


class AnalysisCache:
    def __init__(self, archive_root: Path, fingerprint: str) -> None:
        self.folder = archive_root / ".cache" / "analysis" / fingerprint
        self.root = archive_root / ".cache" / "analysis"
        # A symbolic link on the way would send the cache's writes and prunes outside the archive.
        linked = [p for p in (archive_root / ".cache", self.root, self.folder) if p.is_symlink()]
        self.usable = not linked
        if linked:
            log.warning("%s is a symbolic link; the analysis cache is not used (everything is analysed afresh): "
                        "replace it with a folder, or delete it", linked[0])

    def get(self, key: str) -> tuple[articles.Article, notes.ArticleNotes, Resolutions] | None:
        if not self.usable:
            return None
        path = self._path(key)
        try:
            data = decode(path.read_text(encoding="utf-8"))
            article, article_notes = data["article"], data["notes"]
            resolutions = {(url, text): local for url, text, local in data["links"]}
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as e:  # a damaged entry is only a miss
            log.debug("ignoring the damaged cache file %s: %s", path, e)
            return None
        return article, article_notes, resolutions

    def put(self, key: str, article: articles.Article, article_notes: notes.ArticleNotes,
            resolutions: Resolutions) -> None:
        if not self.usable:
            return
        data = {"article": encode(article), "notes": encode(article_notes),
                "links": [[url, text, local] for (url, text), local in sorted(resolutions.items(),
                                                                             key=lambda item: item[0])]}
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_atomic(self._path(key), json.dumps(data, ensure_ascii=False, separators=(",", ":")), durable=False)
        except OSError as e:  # a cache that cannot be written costs time, not correctness
            log.debug("cannot write the analysis cache in %s: %s", self.folder, e)

    def prune(self) -> None:
        """Remove what older code cached: it can never be used again."""
        if not self.usable or not self.root.is_dir():
            return
        for stale in self.root.iterdir():
            if stale != self.folder and stale.is_dir() and not stale.is_symlink():
                for path in stale.iterdir():
                    path.unlink(missing_ok=True)
                stale.rmdir()

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.json"


def encode(value: object) -> object:
    """Dataclasses, tuples and datetimes as plain JSON data that `decode` turns back."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    if is_dataclass(value):
        data = {name: encode(getattr(value, name)) for name in _field_names(type(value))}
        data["__type__"] = type(value).__name__
        return data
    if isinstance(value, datetime):
        return {"__datetime__": value.isoformat()}
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    return value


def decode(text: str) -> object:
    """What `encode` made, back from its JSON text."""
    return json.loads(text, object_hook=_decoded)


def _decoded(data: dict) -> object:
    # json calls this for each object, innermost first: what the object holds is decoded already.
    if "__datetime__" in data:
        return datetime.fromisoformat(data["__datetime__"])
    for key, value in data.items():
        if type(value) is list:
            data[key] = _tuples(value)
    kind = data.get("__type__")
    if kind is None:
        return data
    cls = TYPES[kind]  # only the known note types: never a name taken from the file as code
    return cls(**{name: data[name] for name in _field_names(cls) if name in data})


def _tuples(values: list) -> tuple:
    return tuple([_tuples(v) if type(v) is list else v for v in values])


@lru_cache(maxsize=None)
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))

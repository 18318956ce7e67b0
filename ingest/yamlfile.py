"""Reading a hand-edited YAML file so that every error names the file, the line and the fix."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from ingest.errors import KBError


class FileError(KBError):
    """A hand-edited file is wrong; the message names the file, the line and the fix."""


class _LineLoader(yaml.SafeLoader):
    """A SafeLoader that remembers the line of every mapping, under the key '__line__'."""

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping


def load_yaml(path: Path, error: type[FileError] = FileError) -> object:
    """The file's data, with '__line__' in every mapping; `error` for an unreadable or invalid file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise error(f"cannot read {path}: {e.strerror or e}") from None
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 (a SafeLoader)
    except yaml.YAMLError as e:
        raise error(f"{path}: not valid YAML: {' '.join(str(e).split())}") from None


@dataclass(frozen=True)
class Where:
    """Error messages about one file."""

    path: Path
    error: type[FileError] = FileError

    def line(self, mapping: dict) -> int:
        return mapping.get("__line__", 0) if isinstance(mapping, dict) else 0

    def fail(self, mapping: dict | None, message: str):
        line = self.line(mapping) if mapping is not None else 0
        raise self.error(f"{self.path}:{line}: {message}" if line else f"{self.path}: {message}")

    def field(self, mapping: dict, key: str, kind: type, hint: str):
        """mapping[key], which must be a non-empty `kind`; `hint` says what to write."""
        value = mapping.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            self.fail(mapping, f"missing '{key}'; add {hint}")
        if not isinstance(value, kind):
            self.fail(mapping, f"'{key}' should be a {kind.__name__}; it should be {hint}")
        return value

    def optional_list(self, mapping: dict, key: str, hint: str) -> list[str]:
        value = mapping.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(mapping, f"'{key}' should be a list of {hint}")
        return value

"""Reading a hand-edited YAML file so that every error names the file, the line and the fix."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from ingest.errors import KBError


class FileError(KBError):
    """A hand-edited file is wrong; the message names the file, the line and the fix."""


MAX_DEPTH = 40  # nesting of lists and mappings; a checklist needs four
MAX_BYTES = 2_000_000


class _LineLoader(yaml.SafeLoader):
    """A SafeLoader that remembers the line of every mapping, under the key '__line__'.

    It refuses aliases (`*name`): a hand-written list has no need of them, and a
    few lines of nested aliases expand to gigabytes (a "billion laughs"). It
    refuses nesting deeper than MAX_DEPTH, which would otherwise end in a
    RecursionError.
    """

    def __init__(self, stream) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "an alias (*name) is not allowed here: write the value out in full", event.start_mark)
        if self.check_event(yaml.SequenceStartEvent, yaml.MappingStartEvent):
            self._depth += 1
            if self._depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(
                    None, None, f"nested more than {MAX_DEPTH} levels deep", self.peek_event().start_mark)
            try:
                return super().compose_node(parent, index)
            finally:
                self._depth -= 1
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping


def load_yaml(path: Path, error: type[FileError] = FileError) -> object:
    """The file's data, with '__line__' in every mapping; `error` for an unreadable or invalid file."""
    try:
        if path.is_symlink() or not path.is_file():
            raise error(f"{path}: not a regular file; give the path of a YAML file")
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as e:
        raise error(f"cannot read {path}: {e.strerror or e}") from None
    return parse_yaml(raw, path, error)


class _TextDatesLoader(_LineLoader):
    """The same, but a date stays the text it was written as (the caller checks it, with its line)."""


_TextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _LineLoader.yaml_implicit_resolvers.items()}


def parse_yaml(raw: bytes, path: Path | str, error: type[FileError] = FileError, *, first_line: int = 1,
               dates: bool = True) -> object:
    """The data of a YAML file's bytes (read from `path`, which messages name), bounded as load_yaml's.

    `first_line` is the line of the file the bytes start on (for YAML inside another file);
    `dates=False` leaves dates as text.
    """
    if len(raw) > MAX_BYTES:
        raise error(f"{path}: over {MAX_BYTES:,} bytes, too large for a hand-written file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[:e.start].count(b"\n") + 1
        kind = "UTF-16" if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else "not UTF-8"
        raise error(f"{path}:{line}: the file is {kind} (byte 0x{raw[e.start]:02x} cannot be read as UTF-8): "
                    f"save it as UTF-8") from None
    try:
        return yaml.load(text, Loader=_LineLoader if dates else _TextDatesLoader)  # noqa: S506 (a SafeLoader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = f"{path}:{mark.line + first_line}" if mark else str(path)
        problem = " ".join(f"{e.context or ''} {e.problem or ''}".split())
        raise error(f"{where}: not valid YAML: {problem}") from None
    except yaml.YAMLError as e:
        raise error(f"{path}: not valid YAML: {' '.join(str(e).split())}") from None
    except RecursionError:  # nesting of flow collections inside one line can still go deep in the scanner
        raise error(f"{path}: nested too deeply to read: at most {MAX_DEPTH} levels") from None


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

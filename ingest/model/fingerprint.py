"""The fingerprint of the code and vocabularies an analysis runs, which names the analysis cache's folder.

The files are found by following the imports (read with `ast`, those inside
functions included) from the loader, which runs the analysis and its workers,
and from the URL scheme it is handed; a module's packages count too, as Python
runs them first. So a change to any of them, or to a vocabulary, starts the cache
afresh, and a change to anything else (the command line, a page's template)
keeps it.

Standard library only: the publish workflow runs `python -m ingest.model.fingerprint`
for the key of the cache it restores, which must change exactly when this does.
"""

from __future__ import annotations

import ast
import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Iterator

PACKAGE = Path(__file__).resolve().parents[1]
ROOTS = ("ingest.model.load", "ingest.site.urls")
VOCABULARIES = "model/extract/vocab/*.yml"


def fingerprinted_files(package: Path = PACKAGE, roots: tuple[str, ...] = ROOTS) -> list[Path]:
    """The modules the analysis imports (or `roots` import) and the vocabularies, in a fixed order."""
    found: set[Path] = set()
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        path = _source(package, module)
        if path is None:
            continue  # outside the package, or a name that is not a module (`from ingest.text import squash`)
        found.add(path)
        parts = module.split(".")
        todo += [".".join(parts[:n]) for n in range(1, len(parts))]
        status = path.stat()
        todo += _imports(path, module, status.st_mtime_ns, status.st_size)
    return sorted(found | set(package.glob(VOCABULARIES)))


def _source(package: Path, module: str) -> Path | None:
    """The file of a module of the package, or None."""
    first, *rest = module.split(".")
    if first != package.name:
        return None
    path = package.joinpath(*rest)
    for candidate in (path / "__init__.py", path.with_suffix(".py")):
        if candidate.is_file():
            return candidate
    return None


@lru_cache(maxsize=None)  # keyed by the file's time and size too: a file that changed is read again
def _imports(path: Path, module: str, _mtime: int, _size: int) -> tuple[str, ...]:
    """Every module an import in the file may name: `from a.b import c` runs a.b, and a.b.c if it is a module."""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    names: list[str] = []
    for node in _statements(ast.parse(path.read_bytes(), str(path)).body):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[:len(package) - node.level + 1] + ([base] if base else []))
            names += [base, *(f"{base}.{alias.name}" for alias in node.names)]
    return tuple(names)


def _statements(nodes: list) -> Iterator[ast.AST]:
    """The statements, and those inside them (a function's, a branch's): where an import can be."""
    for node in nodes:
        yield node
        for block in ("body", "orelse", "finalbody", "handlers", "cases"):
            inner = getattr(node, block, None)
            if isinstance(inner, list):  # a lambda's or an expression's body is one node, with no statement in it
                yield from _statements(inner)


def code_fingerprint(extra: str = "", package: Path = PACKAGE, roots: tuple[str, ...] = ROOTS) -> str:
    """A hash of `extra` and of the files' names (in the package) and bytes; `roots`: the review cache's."""
    digest = hashlib.sha256(extra.encode("utf-8"))
    for path in fingerprinted_files(package, roots):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


if __name__ == "__main__":
    print(code_fingerprint())

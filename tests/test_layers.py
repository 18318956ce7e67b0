"""The package's imports go one way: cli and commands -> site -> model -> archive -> the top-level helpers.

Read from the source with `ast` (every import, including those inside
functions), so a new upward import fails here before a reader trips on it.
And the module map in ingest/__init__.py names every module, and only those.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "ingest"
# Higher may import lower or the same, never higher. Top-level modules other than cli and commands are the shared helpers.
LAYERS = {"cli": 4, "commands": 4, "review_commands": 4, "incident_commands": 4, "site": 3, "model": 2, "archive": 1}
HELPERS = 0


def layer_of(module: str) -> int:
    """The layer of a dotted module name under `ingest` ("ingest.model.html.clean" -> 2)."""
    parts = module.split(".")
    return LAYERS.get(parts[1], HELPERS) if len(parts) > 1 else HELPERS


def module_name(path: Path, root: Path) -> str:
    relative = path.relative_to(root.parent).with_suffix("")
    parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
    return ".".join(parts)


def imported_modules(source: str, importer: str) -> list[str]:
    """Every `ingest…` module named by an import in `source` (relative imports resolved against `importer`)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = importer.split(".")[: -node.level]
                base = ".".join(package + ([base] if base else []))
            # `from ingest import cli` imports a module by the name after `import`.
            found += [f"{base}.{alias.name}" for alias in node.names]
    return [name for name in found if name == "ingest" or name.startswith("ingest.")]


def upward_imports(root: Path) -> list[str]:
    """'importer -> imported' for every import that goes to a higher layer."""
    wrong = []
    for path in sorted(root.rglob("*.py")):
        importer = module_name(path, root)
        for imported in imported_modules(path.read_text(encoding="utf-8"), importer):
            if layer_of(imported) > layer_of(importer):
                wrong.append(f"{importer} -> {imported}")
    return wrong


def test_no_import_goes_upward():
    assert upward_imports(PACKAGE) == []


def test_every_module_sits_in_a_known_place():
    """A new folder must be given its layer here, not fall silently among the helpers."""
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert folders == {"site", "model", "archive"}


def test_an_upward_import_is_caught(tmp_path):
    """The check itself can fail: a model module importing the site, and an archive one importing the CLI."""
    root = tmp_path / "ingest"
    for folder in ("model", "archive", "site"):
        (root / folder).mkdir(parents=True)
        (root / folder / "__init__.py").write_text("")
    (root / "__init__.py").write_text("")
    (root / "text.py").write_text("import json\n")
    (root / "model" / "knowledge.py").write_text("from ingest.text import slugify\nfrom ingest.site.pages import Page\n")
    (root / "archive" / "store.py").write_text("def f():\n    from ingest import cli\n    from .. import errors\n")
    (root / "site" / "pages.py").write_text("from ingest.model.knowledge import Knowledge\nfrom ..archive import store\n")
    assert upward_imports(root) == ["ingest.archive.store -> ingest.cli", "ingest.model.knowledge -> ingest.site.pages.Page"]


def test_modules_stay_small_and_the_command_line_thin():
    """Split by responsibility before a module outgrows a reader (house style: under ~400 lines)."""
    sizes = {path.relative_to(PACKAGE).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
             for path in PACKAGE.rglob("*.py")}
    assert {name: lines for name, lines in sizes.items() if lines > 400} == {}
    assert sizes["cli.py"] < 250
    assert sizes["site/plugin.py"] < 250  # wiring only: pages, search and safety live in their own modules


def test_nothing_imports_the_plugin():
    """MkDocs loads the plugin (its entry point); the commands and the stages reach the project through config."""
    importers = [module_name(path, PACKAGE) for path in sorted(PACKAGE.rglob("*.py"))
                 if any(name.startswith("ingest.site.plugin")
                        for name in imported_modules(path.read_text(encoding="utf-8"), module_name(path, PACKAGE)))]
    assert importers == []


FRAMEWORKS = ("mkdocs", "material")


def every_import(source: str, importer: str) -> list[str]:
    """Every module named by an import in `source`, ours or not (relative imports resolved against `importer`)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(importer.split(".")[: -node.level] + ([base] if base else []))
            found += [base] + [f"{base}.{alias.name}" for alias in node.names]
    return found


def framework_paths(root: Path, start: str) -> list[list[str]]:
    """Each chain of imports from a module under `start` (a package of `root`) to MkDocs or Material."""
    def path_of(module: str) -> Path | None:
        path = root.parent.joinpath(*module.split("."))
        for candidate in (path / "__init__.py", path.with_suffix(".py")):
            if candidate.is_file():
                return candidate
        return None  # `from ingest.x import name` names a function, not a module

    chains = []
    todo = [[module_name(p, root)] for p in sorted((root / start).rglob("*.py"))]
    seen: set[str] = set()
    while todo:
        chain = todo.pop()
        path = path_of(chain[-1])
        if path is None or chain[-1] in seen:
            continue
        seen.add(chain[-1])
        for imported in every_import(path.read_text(encoding="utf-8"), chain[-1]):
            if imported.split(".")[0] in FRAMEWORKS:
                chains.append(chain + [imported])
            elif imported.startswith("ingest."):
                todo.append(chain + [imported])
    return sorted(chains)


def test_the_archive_stage_imports_nothing_that_imports_mkdocs():
    """The bottom stage must not depend on the top's framework, through any helper it uses."""
    assert framework_paths(PACKAGE, "archive") == []
    modules = sorted(module_name(p, PACKAGE) for p in (PACKAGE / "archive").rglob("*.py"))
    check = (f"import sys, {', '.join(modules)}\n"
             f"loaded = sorted(m for m in sys.modules if m.split('.')[0] in {FRAMEWORKS!r})\n"
             f"assert not loaded, loaded\n")
    run = subprocess.run([sys.executable, "-c", check], cwd=PACKAGE.parent, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]


def test_an_archive_module_reaching_mkdocs_is_caught(tmp_path):
    root = tmp_path / "ingest"
    (root / "archive").mkdir(parents=True)
    for init in (root / "__init__.py", root / "archive" / "__init__.py"):
        init.write_text("")
    (root / "config.py").write_text("from mkdocs.config import base\n")
    (root / "sources.py").write_text("import re\n")
    (root / "archive" / "collect.py").write_text("from ingest.sources import FEED_NAME\nfrom ..config import Feeds\n")
    (root / "archive" / "store.py").write_text("def f():\n    import material.plugins\n")
    assert framework_paths(root, "archive") == [
        ["ingest.archive.collect", "ingest.config", "mkdocs.config"],
        ["ingest.archive.collect", "ingest.config", "mkdocs.config.base"],
        ["ingest.archive.store", "material.plugins"],
    ]


def test_the_analysis_cache_fingerprints_all_the_code_the_analysis_imports():
    # Exactly the modules reachable by imports from the loader (the analysis, its workers, the
    # vocabularies' loader) and the URL scheme handed to it, with the packages they are in (Python
    # runs those first), and the vocabularies: a change to one of them must not be served stale
    # analyses, and a change to anything else (the command line, the site's pages) must not make
    # the next build cold.
    from ingest.model.fingerprint import PACKAGE as CACHED_PACKAGE, fingerprinted_files
    assert CACHED_PACKAGE == PACKAGE
    files = {path.relative_to(PACKAGE).as_posix() for path in fingerprinted_files()}
    # `import a.b.c` runs a, a.b and a.b.c; `from a.b import c` runs a and a.b (c may be a module too).
    prefixes = lambda name: [".".join(name.split(".")[:n]) for n in range(1, name.count(".") + 2)]  # noqa: E731
    reached, todo = set(), prefixes("ingest.model.load") + prefixes("ingest.site.urls")
    while todo:
        module = todo.pop()
        path = PACKAGE.parent.joinpath(*module.split("."))
        path = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
        if not path.exists() or module in reached:  # `from ingest.x import name` names a function, not a module
            continue
        reached.add(module)
        todo += [prefix for name in imported_modules(path.read_text(encoding="utf-8"), module)
                 for prefix in prefixes(name)]
    vocabularies = {"model/extract/vocab/patterns.yml", "model/extract/vocab/biases.yml",
                    "model/extract/vocab/operations.yml", "model/extract/vocab/senses.yml"}
    assert files == {module_name_to_path(m) for m in reached} | vocabularies
    assert {"model/html/clean.py", "model/extract/__init__.py", "model/knowledge.py", "text.py"} <= files
    assert {"cli.py", "commands.py", "site/plugin.py", "site/article_pages.py", "site/search.py",
            "model/export.py"}.isdisjoint(files)


def test_editing_the_command_line_or_a_page_keeps_the_analysis_cache(tmp_path):
    from ingest.model.fingerprint import code_fingerprint
    copy = tmp_path / "ingest"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = code_fingerprint("x", copy)
    for name in ("cli.py", "commands.py", "site/plugin.py"):
        with (copy / name).open("a", encoding="utf-8") as handle:
            handle.write("\n# edited\n")
    assert code_fingerprint("x", copy) == before
    with (copy / "model" / "html" / "clean.py").open("a", encoding="utf-8") as handle:
        handle.write("\n# edited\n")
    edited_code = code_fingerprint("x", copy)
    assert edited_code != before
    with (copy / "model" / "extract" / "vocab" / "biases.yml").open("a", encoding="utf-8") as handle:
        handle.write("\n# edited\n")
    assert code_fingerprint("x", copy) not in (before, edited_code)
    # A module the analysis starts to import joins the fingerprint: a new helper, then an edit to it.
    (copy / "helper.py").write_text("X = 1\n", encoding="utf-8")
    with (copy / "text.py").open("a", encoding="utf-8") as handle:
        handle.write("\nfrom ingest.helper import X  # noqa\n")
    joined = code_fingerprint("x", copy)
    (copy / "helper.py").write_text("X = 2\n", encoding="utf-8")
    assert code_fingerprint("x", copy) != joined


def module_name_to_path(module: str) -> str:
    path = PACKAGE.parent.joinpath(*module.split("."))
    return (path / "__init__.py" if path.is_dir() else path.with_suffix(".py")).relative_to(PACKAGE).as_posix()


# The model's three subjects, stacked one way: the knowledge core (model/*.py) may use the
# extractors and the HTML path, the extractors may use the HTML path, the HTML path neither.
MODEL_AREAS = {"html": 0, "extract": 1}
CORE = 2


def model_area(module: str) -> int | None:
    """The area of a module of the model stage ("ingest.model.html.clean" -> 0), None outside it."""
    parts = module.split(".")
    if parts[:2] != ["ingest", "model"]:
        return None
    return MODEL_AREAS.get(parts[2], CORE) if len(parts) > 2 else CORE


def model_crossings(root: Path) -> list[str]:
    """'importer -> imported' for every import from one area of the model to an area above it."""
    wrong = []
    for path in sorted((root / "model").rglob("*.py")):
        importer = module_name(path, root)
        for imported in imported_modules(path.read_text(encoding="utf-8"), importer):
            area = model_area(imported)
            if area is not None and area > model_area(importer):
                wrong.append(f"{importer} -> {imported}")
    return wrong


def test_the_model_keeps_its_three_areas_apart():
    folders = {p.name for p in (PACKAGE / "model").iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert folders == set(MODEL_AREAS)
    assert model_crossings(PACKAGE) == []


def test_a_crossing_between_model_areas_is_caught(tmp_path):
    root = tmp_path / "ingest"
    for folder in ("model", "model/html", "model/extract"):
        (root / folder).mkdir(parents=True)
        (root / folder / "__init__.py").write_text("")
    (root / "model" / "html" / "clean.py").write_text("from ingest.model.extract.notes import Mention\n")
    (root / "model" / "extract" / "kinds.py").write_text("from ingest.model.html.document import Block\nfrom ..knowledge import Knowledge\n")
    assert model_crossings(root) == ["ingest.model.extract.kinds -> ingest.model.knowledge.Knowledge",
                                     "ingest.model.html.clean -> ingest.model.extract.notes.Mention"]


# The module map: the docstring of ingest/__init__.py is the project's only list of its
# modules (the other documents link to it), so it must not drift. Its indented lines are
# the map: a name at four spaces per level (a folder ends in "/"), then its description
# from DESCRIPTION_COLUMN; a line indented to that column carries on the description above.
DESCRIPTION_COLUMN = 28
ENTRY = re.compile(r"(?P<indent>(?: {4})+)(?P<name>[a-z_][a-z0-9_]*/?)(?: {2,}\S.*)?")


def map_entries(docstring: str) -> list[str]:
    """The paths the map names, relative to the package: "archive/" for a folder, "archive/fetch.py" for a module."""
    entries, folders = [], []
    for number, line in enumerate(docstring.splitlines(), 1):
        indent = len(line) - len(line.lstrip(" "))
        if not line.strip() or indent == 0 or indent >= DESCRIPTION_COLUMN:
            continue  # prose, or a description carried on
        match = ENTRY.fullmatch(line)
        if match is None:
            raise ValueError(f"line {number} of the map is not 'name  description' at four spaces a level: {line!r}")
        depth = len(match["indent"]) // 4 - 1
        if depth > len(folders):
            raise ValueError(f"line {number} of the map is indented below no folder: {line!r}")
        del folders[depth:]
        name = match["name"]
        path = "".join(folders) + (name if name.endswith("/") else f"{name}.py")
        entries.append(path)
        if name.endswith("/"):
            folders.append(name)
    return entries


def package_entries(root: Path) -> list[str]:
    """Every module (but __init__.py) and every folder under `root`, as the map writes them."""
    found = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if "__pycache__" in path.parts:
            continue
        if path.is_dir():
            found.append(relative + "/")
        elif path.suffix == ".py" and path.name != "__init__.py":
            found.append(relative)
    return found


def map_drift(root: Path) -> str:
    """What a reader of the map must change, in words; empty when the map and the package agree."""
    docstring = ast.get_docstring(ast.parse((root / "__init__.py").read_text(encoding="utf-8")), clean=False) or ""
    named, present = map_entries(docstring), package_entries(root)
    problems = []
    if missing := sorted(set(present) - set(named)):
        problems.append(f"not in the map, add a line for each: {', '.join(missing)}")
    if gone := sorted(set(named) - set(present)):
        problems.append(f"in the map but not in {root.name}/, remove the line: {', '.join(gone)}")
    if twice := sorted({entry for entry in named if named.count(entry) > 1}):
        problems.append(f"in the map twice: {', '.join(twice)}")
    return "; ".join(problems)


def test_the_map_names_every_module_and_only_modules_that_exist():
    drift = map_drift(PACKAGE)
    assert drift == "", f"the module map in ingest/__init__.py is out of step with ingest/: {drift}"


def test_the_map_is_long_enough_to_be_the_map():
    """The parser reads the real map: every stage, and modules at each depth."""
    docstring = ast.get_docstring(ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8")), clean=False)
    entries = map_entries(docstring)
    assert {"archive/", "model/", "site/", "model/html/", "model/extract/", "model/extract/vocab/"} <= set(entries)
    assert {"cli.py", "archive/fetch.py", "model/load.py", "model/html/document.py", "site/plugin.py"} <= set(entries)


def test_drift_is_reported_by_name(tmp_path):
    """The check can fail: a module missing from the map, a name for a module that is gone, a name given twice."""
    root = tmp_path / "ingest"
    (root / "site").mkdir(parents=True)
    (root / "model" / "html").mkdir(parents=True)
    for module in ("site/__init__.py", "site/plugin.py", "site/structure.py", "model/__init__.py",
                   "model/html/__init__.py", "model/html/clean.py", "cli.py"):
        (root / module).write_text("")
    (root / "__init__.py").write_text(
        '"""A package.\n\n'
        "    site/                   the site\n"
        "        plugin              the plugin, described on a line\n"
        "                            and carried on to the next\n"
        "    model/                  the model\n"
        "        html/               the HTML path\n"
        "            clean           the cleaner\n"
        "            clean_soup      the cleaner's twin, gone\n"
        "    cli                     the command line\n"
        "    cli                     again\n"
        '"""\n'
    )
    assert map_drift(root) == ("not in the map, add a line for each: site/structure.py; "
                               "in the map but not in ingest/, remove the line: model/html/clean_soup.py; "
                               "in the map twice: cli.py")


@pytest.mark.parametrize("text, problem", [
    ("    site/\n      plugin    two spaces short\n", "four spaces a level"),
    ("    site/\n            plugin  too deep\n", "below no folder"),
])
def test_a_line_the_map_cannot_read_is_named(text, problem):
    with pytest.raises(ValueError, match=f"{problem}.*plugin"):
        map_entries(text)


def test_tests_take_helpers_from_the_support_module_not_conftest():
    """conftest.py holds fixtures; a test importing from it breaks when a helper moves (house style)."""
    tests = Path(__file__).resolve().parent
    wrong = sorted(path.name for path in tests.glob("*.py")
                   if "conftest" in every_import(path.read_text(encoding="utf-8"), f"tests.{path.stem}"))
    assert wrong == []



def import_graph(root: Path) -> dict[str, set[str]]:
    """Each module of the package -> the modules of the package it imports (a name resolved to its module)."""
    modules = {module_name(path, root): path for path in sorted(root.rglob("*.py"))}
    graph = {}
    for module, path in modules.items():
        found = set()
        for name in imported_modules(path.read_text(encoding="utf-8"), module):
            parts = name.split(".")
            while parts and ".".join(parts) not in modules:  # `from ingest.x import f` names ingest.x
                parts.pop()
            if parts and ".".join(parts) != module:
                found.add(".".join(parts))
        graph[module] = found
    return graph


def import_circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other, directly or round a loop (iterative Tarjan)."""
    index, low, stack, on_stack, circles = {}, {}, [], set(), []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start), on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child), on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    circles.append(sorted(group))
    return circles


def test_no_two_modules_import_each_other():
    assert import_circles(import_graph(PACKAGE)) == []


def test_an_import_circle_is_caught(tmp_path):
    root = tmp_path / "ingest"
    (root / "model" / "html").mkdir(parents=True)
    for folder in (root, root / "model", root / "model" / "html"):
        (folder / "__init__.py").write_text("")
    (root / "model" / "html" / "clean.py").write_text("def f():\n    from ingest.model.html.soup import g\n")
    (root / "model" / "html" / "soup.py").write_text("from ingest.model.html.clean import f\n")
    (root / "text.py").write_text("from ingest import errors\n")
    (root / "errors.py").write_text("")
    assert import_circles(import_graph(root)) == [["ingest.model.html.clean", "ingest.model.html.soup"]]

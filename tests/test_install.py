"""A normal install works: the wheel and the sdist install whole, outside the source tree, and build the site.

The editable install of `make` and CI would hide a module or data file left out
of the package, so this test builds both distributions from a copy of the
sources, installs each into a fresh virtual environment in tmp_path and runs
`resilience-kb build` there. It needs the package registry (pip installs the
pinned dependencies, from its cache when it can): it is marked `registry`, so
`pytest -m "not registry"` leaves it out on a machine without one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from support import ROOT, make_project

pytestmark = [pytest.mark.slow, pytest.mark.registry]

INSTALL_TIMEOUT = 600  # a first run downloads the dependencies; later ones come from pip's cache
SOURCE_FILES = ("pyproject.toml", "README.md")


def package_files() -> set[str]:
    """Every file of the package in the source tree (modules and data), as paths inside a wheel."""
    return {p.relative_to(ROOT).as_posix() for p in (ROOT / "ingest").rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"}


def run(*command: str | Path, cwd: Path, timeout: float = INSTALL_TIMEOUT) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    result = subprocess.run([str(c) for c in command], cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=timeout)
    assert result.returncode == 0, f"{' '.join(map(str, command))}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


def fresh_venv(path: Path) -> Path:
    """A new virtual environment without our package; its bin folder."""
    run(sys.executable, "-m", "venv", path, cwd=path.parent)
    return path / "bin"


@pytest.fixture(scope="module")
def dists(tmp_path_factory) -> dict[str, Path]:
    """The wheel and the sdist, built from a copy of the sources (the build writes beside them)."""
    root = tmp_path_factory.mktemp("dist")
    source = root / "source"
    shutil.copytree(ROOT / "ingest", source / "ingest", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in SOURCE_FILES:
        shutil.copy(ROOT / name, source / name)
    out = root / "out"
    bin = fresh_venv(root / "build-venv")
    run(bin / "python", "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", out, source, cwd=root)
    run(bin / "python", "-m", "pip", "install", "--quiet", "setuptools>=61", cwd=root)
    run(bin / "python", "-c", f"from setuptools import build_meta; build_meta.build_sdist({str(out)!r})", cwd=source)
    (wheel,) = out.glob("*.whl")
    (sdist,) = out.glob("*.tar.gz")
    return {"wheel": wheel, "sdist": sdist}


def test_the_wheel_holds_every_module_and_data_file(dists):
    with zipfile.ZipFile(dists["wheel"]) as wheel:
        inside = {name for name in wheel.namelist() if name.startswith("ingest/")}
    expected = package_files()
    assert any(name.endswith(".yml") for name in expected) and "ingest/model/extract/__init__.py" in expected
    assert inside == expected


def test_the_sdist_holds_every_module_and_data_file(dists):
    with tarfile.open(dists["sdist"]) as sdist:
        top = sdist.getnames()[0].split("/")[0]
        inside = {name.removeprefix(f"{top}/") for name in sdist.getnames() if name.startswith(f"{top}/ingest/")}
    assert package_files() <= inside


@pytest.mark.parametrize("kind", ["wheel", "sdist"])
def test_an_install_outside_the_source_tree_builds_the_bundled_site(kind, dists, tmp_path):
    bin = fresh_venv(tmp_path / "venv")
    run(bin / "python", "-m", "pip", "install", "--quiet", "-c", ROOT / "requirements.lock", dists[kind], cwd=tmp_path)
    where = run(bin / "python", "-c", "import ingest; print(ingest.__file__)", cwd=tmp_path).strip()
    assert Path(where).is_relative_to(tmp_path / "venv"), where
    project = make_project(tmp_path)
    run(bin / "resilience-kb", "build", "--site-dir", tmp_path / "site", cwd=project)
    site = tmp_path / "site"
    articles = [p for p in (site / "articles").glob("*/index.html") if p.parent.name not in ("by-year", "by-kind")]
    assert len(articles) == 12  # the bundled archive's entries (archive/entries)
    assert (site / "knowledge.json").is_file() and (site / "patterns" / "index.html").is_file()

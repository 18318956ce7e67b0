"""Where the site goes and what the environment does to a run: a folder is emptied only when a build of
ours left its mark there, and a full disk, a read-only folder or a closed pipe is one line naming the
path and the cause, never "a bug".

Each case runs the command line in a fresh process bounded in time and memory, in tmp_path only.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import make_project, snapshot

MEMORY = 3 * 1024**3


def run(*args: str, cwd: Path, timeout: float = 180, limits=None, **kwargs) -> subprocess.CompletedProcess:
    """`resilience-kb ARGS` in a fresh process limited in memory (and by `limits`, a list of rlimits)."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
        for which, value in limits or ():
            resource.setrlimit(which, (value, value))

    return subprocess.run([sys.executable, "-m", "ingest.cli", *args], cwd=cwd, capture_output=True,
                          timeout=timeout, preexec_fn=limit, **kwargs)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return make_project(tmp_path_factory.mktemp("outputs"))


def _folder(tmp_path: Path, files: dict[str, str]) -> Path:
    folder = tmp_path / "target"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


# -- the site folder: only a build of ours may be emptied ------------------------------------------

@pytest.mark.parametrize("files", [
    {"sitemap.xml": "<urlset/>", "sitemap.xml.gz": "", "thesis.tex": "years of work"},  # two common names
    {"sitemap.xml": "<urlset/>", "index.html": "<p>my own site</p>", "notes.txt": "mine"},
    {".resilience-kb-site": "anything", "thesis.tex": "years of work"},  # the mark's name, not its text
])
def test_a_folder_that_is_not_a_site_of_ours_is_not_emptied(project, tmp_path, files):
    folder = _folder(tmp_path, files)
    before = snapshot(folder)
    result = run("build", "--site-dir", str(folder), cwd=project)
    assert result.returncode != 0
    assert snapshot(folder) == before
    message = result.stderr.decode()
    assert str(folder) in message and ("pick" in message or "delete the folder" in message)
    assert "Traceback" not in message


def test_a_mark_that_is_a_link_proves_nothing(project, tmp_path):
    real = _folder(tmp_path, {".resilience-kb-site": "Built by resilience-kb; the next build empties this folder.\n"})
    folder = tmp_path / "other"
    folder.mkdir()
    (folder / "thesis.tex").write_text("years of work")
    (folder / ".resilience-kb-site").symlink_to(real / ".resilience-kb-site")
    result = run("build", "--site-dir", str(folder), cwd=project)
    assert result.returncode != 0 and (folder / "thesis.tex").read_text() == "years of work"


def test_a_site_built_before_the_mark_is_refused_with_the_way_out(project, tmp_path):
    """A site from a build that left no mark (plain MkDocs, or an old version): named, and what to do."""
    folder = _folder(tmp_path, {"sitemap.xml": "<urlset/>", "sitemap.xml.gz": "", "index.html": "<html></html>",
                                "404.html": "<html></html>"})
    result = run("build", "--site-dir", str(folder), cwd=project)
    message = result.stderr.decode()
    assert result.returncode != 0 and (folder / "index.html").exists()
    assert "has no .resilience-kb-site file" in message and "delete the folder and build again" in message

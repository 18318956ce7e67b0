"""One Project from mkdocs.yml and the command line, one owner of gc.freeze, one write error."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from ingest.config import Project, building, load_project, project_of
from ingest.errors import KBError, WriteError

ROOT = Path(__file__).resolve().parent.parent

MKDOCS_YML = """\
site_name: Test
theme:
  name: material
  custom_dir: theme
plugins:
  - resilience-kb:
      archive: data/archive
      checklists: lists
      lock_wait: 5
      timeout: 7
      reviews:
        enabled: true
        folder: private/reviews
        incidents: private/incidents
        services: [checkout]
        as_of: 2026-04-01
      feeds:
        - name: one
          url: https://example.org/feed
"""


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "kb"
    for sub in ("docs", "theme"):
        (folder / sub).mkdir(parents=True)
    (folder / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    return folder


def test_folders_are_resolved_against_mkdocs_yml_not_the_working_folder(project_dir, tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    _, project = load_project(project_dir / "mkdocs.yml")
    assert project.root == project_dir
    assert project.archive == project.configured_archive == project_dir / "data" / "archive"
    assert project.checklists == project_dir / "lists"
    assert project.onboarding == project_dir / "onboarding.yml"
    assert project.own_archive
    assert [(f.name, f.url) for f in project.feeds] == [("one", "https://example.org/feed")]
    assert not project.default_feeds
    assert (project.lock_wait, project.fetch.timeout) == (5, 7)
    assert project.reviews == project_dir / "private" / "reviews"
    assert project.reviews_enabled and project.reviews_as_of == date(2026, 4, 1)
    assert (project.incidents, project.services) == (project_dir / "private" / "incidents", ("checkout",))


def test_reviews_are_off_by_default_in_the_reviews_folder(project_dir):
    (project_dir / "mkdocs.yml").write_text("site_name: Test\nplugins:\n  - resilience-kb\n", encoding="utf-8")
    _, project = load_project(project_dir / "mkdocs.yml")
    assert (project.reviews, project.reviews_enabled, project.reviews_as_of) == (project_dir / "reviews", False, None)
    assert project.protected_paths()["the reviews folder"] == project_dir / "reviews"
    assert (project.incidents, project.services) == (project_dir / "incidents", ())  # beside it, as private


def test_the_command_lines_archive_replaces_the_configured_one(
        project_dir, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _, project = load_project(project_dir / "mkdocs.yml", archive=Path("scratch"))
    assert project.archive == tmp_path / "scratch"  # a path on the command line is the working folder's
    assert project.configured_archive == project_dir / "data" / "archive"
    assert not project.own_archive
    protected = project.protected_paths()
    assert protected == {
        "the archive": tmp_path / "scratch", "the configured archive": project_dir / "data" / "archive",
        "the checklists folder": project_dir / "lists", "the onboarding file": project_dir / "onboarding.yml",
        "the docs folder": project_dir / "docs", "the git repository": project_dir / ".git",
        "the configuration": project_dir / "mkdocs.yml", "the theme overrides": project_dir / "theme",
        "the reviews folder": project_dir / "private" / "reviews",
        "the incidents folder": project_dir / "private" / "incidents",
    }


def test_no_feeds_in_mkdocs_yml_is_said(project_dir):
    text = MKDOCS_YML.split("      feeds:")[0]
    (project_dir / "mkdocs.yml").write_text(text, encoding="utf-8")
    _, project = load_project(project_dir / "mkdocs.yml")
    assert project.default_feeds and [f.name for f in project.feeds] == ["adhorn"]


def test_a_build_takes_the_project_handed_over_and_only_for_its_own_mkdocs_yml(project_dir, tmp_path):
    config, handed = load_project(project_dir / "mkdocs.yml", archive=tmp_path / "scratch")
    options = config.plugins["resilience-kb"].config
    with building(handed):
        assert project_of(config, options) is handed
        other = tmp_path / "other"
        for sub in ("docs", "theme"):
            (other / sub).mkdir(parents=True)
        (other / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
        other_config, _ = load_project(other / "mkdocs.yml")
        assert project_of(other_config, other_config.plugins["resilience-kb"].config).root == other
    made = project_of(config, options)  # a plain `mkdocs build`: mkdocs.yml's own archive
    assert isinstance(made, Project) and made.archive == project_dir / "data" / "archive" and made.own_archive


NESTED_SET_ASIDES = """
import gc
from ingest.memory import set_aside
held = [bytearray(10) for _ in range(1000)]
with set_aside() as keep:
    keep()
    frozen = gc.get_freeze_count()
    assert frozen >= 1000, frozen
    with set_aside() as inner_keep:  # a library call inside (the analysis inside the load)
        inner_keep()
    assert gc.get_freeze_count() >= frozen, "the inner set-aside handed back its caller's objects"
assert gc.get_freeze_count() == 0, "the outermost set-aside did not hand back"
print("ok")
"""


def test_set_asides_nest_and_only_the_outermost_hands_back():
    # In a fresh interpreter: a build earlier in this process holds its set-aside until the next build.
    run = subprocess.run([sys.executable, "-c", NESTED_SET_ASIDES], cwd=ROOT, capture_output=True, text=True,
                         timeout=60)
    assert (run.returncode, run.stdout) == (0, "ok\n"), run.stderr[-2000:]


def test_a_write_error_says_what_and_why():
    error = WriteError(Path("out/knowledge.json"), OSError(28, "No space left on device"), " (check the disk)")
    assert isinstance(error, KBError) and error.exit_status == 1
    assert str(error) == "cannot write out/knowledge.json: No space left on device (check the disk)"
    assert str(WriteError("the fetch report in /a", PermissionError(13, "Permission denied"))) == \
        "cannot write the fetch report in /a: Permission denied"

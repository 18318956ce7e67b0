"""Renamed checklist items are found against git; where git cannot tell, the build says so once."""

from __future__ import annotations

import pytest

import subprocess

from support import make_project, run_cli

OFF = "is not in a git repository with a commit (or git is not installed)"


def test_without_git_the_build_says_rename_detection_is_limited(tmp_path):
    project = make_project(tmp_path)  # copied, not cloned: no .git anywhere above it
    result = run_cli("build", "--site-dir", str(tmp_path / "site"), cwd=project, timeout=300)
    assert result.returncode == 0, result.stderr  # a warning, not a failure of the strict build
    [line] = [line for line in result.stderr.splitlines() if OFF in line]
    assert line.startswith("WARNING") and str(project / "checklists") in line


def test_with_a_commit_it_says_nothing(tmp_path):
    project = make_project(tmp_path)
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "first"]):
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=project,
                       check=True, capture_output=True, timeout=60)
    result = run_cli("build", "--site-dir", str(tmp_path / "site"), cwd=project, timeout=300)
    assert result.returncode == 0 and OFF not in result.stderr, result.stderr


# Builds, fetches or runs the command line in subprocesses: left out of `make test-fast`.
pytestmark = pytest.mark.slow

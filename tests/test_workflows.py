"""The GitHub Actions workflows: actionlint finds no problem, and they do what publishing needs."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, node_tool

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def actionlint(*files: Path) -> subprocess.CompletedProcess:
    node_tool("actionlint/main.wasm")
    return subprocess.run(["node", str(ROOT / "tools" / "actionlint.mjs"), *map(str, files)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_actionlint_passes_every_workflow():
    result = actionlint(*WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == f"{len(WORKFLOWS)} files checked, 0 problems"


@pytest.mark.parametrize("break_it, complaint", [
    (lambda w: w.replace("runs-on: ubuntu-latest\n    timeout-minutes: 30\n    permissions:\n      contents: write",
                         "timeout-minutes: 30\n    permissions:\n      contents: write"), '"runs-on" section is missing'),
    (lambda w: w.replace("${{ steps.fetch.outputs.failed }}", "${{ steps.fetch.outputs.failed }"), "expression"),
    (lambda w: w.replace("pages: write", "pagez: write"), "pagez"),
])
def test_actionlint_catches_a_broken_workflow(tmp_path, break_it, complaint):
    source = (ROOT / ".github" / "workflows" / "publish.yml").read_text()
    broken = tmp_path / "publish.yml"
    broken.write_text(break_it(source))
    assert broken.read_text() != source
    result = actionlint(broken)
    assert result.returncode == 1
    assert complaint in result.stdout


def test_publish_workflow_schedules_tests_fetches_commits_builds_and_deploys():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "publish.yml").read_text())
    triggers = workflow[True]  # YAML reads the key `on` as true
    assert {"schedule", "workflow_dispatch", "push"} <= set(triggers)
    assert triggers["push"]["branches"] == ["main"]
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["concurrency"] == {"group": "publish", "cancel-in-progress": False}
    jobs = workflow["jobs"]
    assert all("timeout-minutes" in job for job in jobs.values())
    build = jobs["build"]
    assert build["permissions"] == {"contents": "write"}
    runs = " ".join(step.get("run", "") for step in build["steps"])
    uses = [step.get("uses", "") for step in build["steps"]]
    for command in ("python -m pytest", "resilience-kb fetch", "resilience-kb report >> \"$GITHUB_STEP_SUMMARY\"",
                    "git diff --cached --quiet", "resilience-kb report --commit-message",
                    "resilience-kb build --site-dir site"):
        assert command in runs, command
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(step.get("with", {}).get("cache") == "pip" for step in build["steps"])
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert jobs["deploy"]["steps"][0]["uses"].startswith("actions/deploy-pages@")
    assert jobs["feeds"]["if"] == "needs.build.outputs.feeds-failed == 'true'"

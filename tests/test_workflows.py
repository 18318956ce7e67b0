"""The GitHub Actions workflows: actionlint finds no problem, and they do what publishing needs."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from support import ROOT, node_tool
from ingest.model.fingerprint import code_fingerprint

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def actionlint(*files: Path) -> subprocess.CompletedProcess:
    node_tool("actionlint/main.wasm")
    return subprocess.run(["node", str(ROOT / "tools" / "actionlint.mjs"), *map(str, files)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


@pytest.mark.slow
def test_actionlint_passes_every_workflow():
    result = actionlint(*WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == f"{len(WORKFLOWS)} files checked, 0 problems"


@pytest.mark.slow
@pytest.mark.parametrize("break_it, complaint", [
    (lambda w: w.replace("runs-on: ubuntu-latest\n    # A backfill reads", "# A backfill reads"),
     '"runs-on" section is missing'),
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


def zizmor(*paths: Path) -> subprocess.CompletedProcess:
    """zizmor (installed with the test extra) on `paths`, offline: no GitHub API is asked."""
    binary = Path(sys.executable).parent / "zizmor"
    if not binary.exists():
        pytest.fail(f"{binary} is missing: install the test extra (make test does)")
    return subprocess.run([str(binary), "--offline", "--no-progress", "--format", "plain", *map(str, paths)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_zizmor_finds_no_problem_in_the_workflows():
    result = zizmor(*WORKFLOWS, ROOT / ".github" / "dependabot.yml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout + result.stderr


@pytest.mark.parametrize("break_it, audit", [
    (lambda w: re.sub(r"actions/checkout@[0-9a-f]{40} # v[\d.]+", "actions/checkout@v4", w), "unpinned-uses"),
    (lambda w: w.replace("          persist-credentials: false\n", "", 1), "artipacked"),
    (lambda w: w.replace('echo "The archive did not change: nothing to commit."',
                         'echo "${{ github.event.head_commit.message }}"'), "template-injection"),
])
def test_zizmor_catches_an_insecure_workflow(tmp_path, break_it, audit):
    source = (ROOT / ".github" / "workflows" / "publish.yml").read_text()
    broken = tmp_path / ".github" / "workflows" / "publish.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(break_it(source))
    assert broken.read_text() != source
    result = zizmor(broken)
    assert result.returncode != 0
    assert audit in result.stdout


def test_every_action_is_pinned_to_a_commit_with_its_version_in_a_comment():
    uses = [line.split("uses:", 1)[1].strip() for workflow in WORKFLOWS
            for line in workflow.read_text().splitlines() if "uses:" in line]
    assert uses
    for use in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+", use), use


def test_node_is_a_supported_lts_and_checkouts_that_do_not_push_keep_no_credentials():
    for workflow in WORKFLOWS:
        data = yaml.safe_load(workflow.read_text())
        for job in data["jobs"].values():
            for step in job.get("steps", []):
                if step.get("uses", "").startswith("actions/setup-node@"):
                    assert str(step["with"]["node-version"]) in ("22", "24"), workflow.name
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False, workflow.name


def test_dependabot_keeps_actions_pip_and_npm_fresh():
    config = yaml.safe_load((ROOT / ".github" / "dependabot.yml").read_text())
    assert {u["package-ecosystem"] for u in config["updates"]} == {"github-actions", "pip", "npm"}


def _cache_step(workflow: dict, folder: str = "analysis") -> tuple[int, dict]:
    """The step that restores (and saves) the cache in the archive's .cache/<folder>."""
    steps = workflow["jobs"]["build"]["steps"]
    found = [(i, s) for i, s in enumerate(steps) if s.get("uses", "").startswith("actions/cache@")
             and s.get("with", {}).get("path", "").endswith(f"/.cache/{folder}")]
    assert len(found) == 1, f"the build job restores and saves the {folder} cache once"
    return found[0]


def _archive_folder() -> str:
    """The archive named in mkdocs.yml: the folder the build reads the caches from."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    return next(p["resilience-kb"] for p in config["plugins"] if isinstance(p, dict) and "resilience-kb" in p)["archive"]


FINGERPRINT = re.compile(r"\$\{\{ steps\.([\w-]+)\.outputs\.([\w-]+) \}\}")  # a step's output in a key


def _expand(template: str, code_hash: str, run: int) -> str:
    """A key template as GitHub expands it, for a given code fingerprint (a step's output) and run."""
    text = FINGERPRINT.sub(code_hash, template.strip())
    return text.replace("${{ github.run_id }}", str(run)).replace("${{ github.run_attempt }}", "1")


def _restore(saved: list[str], key: str, restore_keys: list[str]) -> str | None:
    """GitHub's lookup: the exact key, else the newest saved key that starts with a restore key."""
    if key in saved:
        return key
    for prefix in restore_keys:
        matches = [k for k in saved if k.startswith(prefix)]
        if matches:
            return matches[-1]
    return None


def test_publish_workflow_restores_the_analysis_cache_of_the_same_code_only(tmp_path):
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "publish.yml").read_text())
    index, step = _cache_step(workflow)
    names = [s.get("name", "") for s in workflow["jobs"]["build"]["steps"]]
    assert index < names.index("Build the site (strict)")
    assert re.fullmatch(r"actions/cache@[0-9a-f]{40}", step["uses"]), "pinned by commit"
    # The folder is the one the build reads: the archive named in mkdocs.yml, then .cache/analysis.
    assert step["with"]["path"] == f"{_archive_folder()}/.cache/analysis"
    # The key is the fingerprint that names the folder inside, printed by a step before it.
    steps = workflow["jobs"]["build"]["steps"]
    [(step_id, output)] = set(FINGERPRINT.findall(step["with"]["key"] + step["with"]["restore-keys"]))
    [(printer, fingerprinting)] = [(i, s) for i, s in enumerate(steps) if s.get("id") == step_id]
    assert names.index("Install the pinned dependencies") < printer < index
    outputs = tmp_path / "outputs"
    result = subprocess.run(["bash", "-e", "-c", fingerprinting["run"]], cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "GITHUB_OUTPUT": str(outputs),
                                 "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"},
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert outputs.read_text().splitlines() == [f"{output}={code_fingerprint()}"]

    key, restore_keys = step["with"]["key"], [k for k in step["with"]["restore-keys"].splitlines() if k.strip()]
    saved: list[str] = []

    def run(code_hash: str, number: int) -> str | None:
        restored = _restore(saved, _expand(key, code_hash, number), [_expand(k, code_hash, number)
                                                                     for k in restore_keys])
        if _expand(key, code_hash, number) not in saved:  # the post step saves a key that is new
            saved.append(_expand(key, code_hash, number))
        return restored

    old, new = "a" * 64, "b" * 64
    assert run(old, 1) is None                       # the first run is cold
    assert run(old, 2) == _expand(key, old, 1)       # the next day, same code: warm
    assert run(old, 3) == _expand(key, old, 2)       # ... from the newest cache, which has yesterday's articles
    assert run(new, 4) is None                       # the code changed: cold, nothing of the old code restored
    assert run(new, 5) == _expand(key, new, 4)       # and warm again the run after
    assert run("a" * 63 + "c", 6) is None            # a hash that shares all but its last digit is other code


def test_publish_workflow_restores_the_newest_search_cache_of_any_code():
    """Search cache entries are named by what they index (ingest/site/search_cache.py): any is safe to restore."""
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "publish.yml").read_text())
    index, step = _cache_step(workflow, "search")
    names = [s.get("name", "") for s in workflow["jobs"]["build"]["steps"]]
    assert index < names.index("Build the site (strict)")
    assert re.fullmatch(r"actions/cache@[0-9a-f]{40}", step["uses"]), "pinned by commit"
    assert step["with"]["path"] == f"{_archive_folder()}/.cache/search"
    _, analysis = _cache_step(workflow, "analysis")
    key, restore_keys = step["with"]["key"], [k for k in step["with"]["restore-keys"].splitlines() if k.strip()]
    saved: list[str] = []

    def run(code_hash: str, number: int) -> str | None:
        expanded = _expand(key, code_hash, number)
        # The two caches keep apart: no restore key of this one names the analysis cache's keys.
        analysis_key = _expand(analysis["with"]["key"], code_hash, number)
        assert not any(analysis_key.startswith(_expand(k, code_hash, number)) for k in restore_keys)
        restored = _restore(saved, expanded, [_expand(k, code_hash, number) for k in restore_keys])
        if expanded not in saved:
            saved.append(expanded)
        return restored

    old, new = "a" * 64, "b" * 64
    assert run(old, 1) is None                       # the first run has nothing to restore
    assert run(old, 2) == _expand(key, old, 1)       # the next day: the entries of the day before
    assert run(new, 3) == _expand(key, old, 2)       # other code: still the newest, its entries are checked inside
    assert run(new, 4) == _expand(key, new, 3)
    assert len(set(saved)) == 4                      # each run saves its own (a key is written once)


def test_only_a_run_by_hand_with_the_input_backfills():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "publish.yml").read_text())
    assert workflow[True]["workflow_dispatch"]["inputs"]["backfill"]["default"] == ""
    steps = workflow["jobs"]["build"]["steps"]
    backfilling = [step for step in steps if "resilience-kb backfill" in step.get("run", "")]
    assert len(backfilling) == 1
    [step] = backfilling
    assert step["if"] == "github.event_name == 'workflow_dispatch' && inputs.backfill != ''"
    assert "${{" not in step["run"]  # the input reaches the script through the environment only
    names = [s.get("name") for s in steps]
    assert names.index(step["name"]) < names.index("Commit the archive if it changed")

"""`incident check` lists the suggested links of each file, numbered; `--apply` writes the accepted ones."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from support import ROOT, make_project, run_cli

pytestmark = pytest.mark.slow  # runs the command line, in fresh processes

NAME = "incidents/2026-05-04-orders-down.md"
FACTORS = """\
### Client retries amplified the load on the inventory service `f1`

Kind: technical
Patterns: retries
Biases:
Questions:

### The status page was updated late `f2`

Kind: communication
Patterns:
Biases:
Questions:

"""
ACTION = """
- Add exponential back-off with jitter to the order client's retries
  - owner: Grace
  - status: open
  - factor: f1
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A project with one incident made by `incident new`, then a factor, a second one and an action written in."""
    project = make_project(tmp_path_factory.mktemp("links"))
    shutil.copytree(ROOT / "examples" / "reviews", project / "reviews")
    made = run_cli("incident", "new", "--title", "Orders down", "--date", "2026-05-04", cwd=project)
    assert made.returncode == 0, made.stderr
    path = project / NAME
    text = path.read_text(encoding="utf-8")
    text = text.replace("## Lessons Learned\n", FACTORS + "## Lessons Learned\n", 1)
    heading = text.index("## Action items\n")
    end = text.index("\n## ", heading + 1) if "\n## " in text[heading + 1:] else len(text)
    text = text[:end].rstrip("\n") + "\n" + ACTION + text[end:]
    path.write_text(text, encoding="utf-8")
    return project


def test_check_lists_the_suggestions_numbered_with_how_to_accept(project: Path) -> None:
    checked = run_cli("incident", "check", cwd=project)
    assert checked.returncode == 0, checked.stderr
    lines = checked.stdout.splitlines()
    # by hand: f1 names retries, which it links; back-off and circuit breakers contain a retry storm, and
    # the ORR asks about the retry/back-off strategy; f2 names nothing; the action item names retries
    # and back-off, so the same question
    written = (project / NAME).read_text(encoding="utf-8").split("\n")
    factor = written.index("### Client retries amplified the load on the inventory service `f1`") + 1
    action = written.index("- Add exponential back-off with jitter to the order client's retries") + 1
    question = "orr-what-is-the-retry-back-off: What is the retry/back-off strategy for each of your dependencies?"
    start = lines.index(f"{NAME}: 4 suggested links")
    assert lines[start + 1:start + 7] == [
        f"  factor f1 (line {factor}): Client retries amplified the load on the inventory service",
        "    1. pattern back-off: Back-off and jitter", "    2. pattern circuit-breakers: Circuit breakers",
        f"    3. question {question}",
        f"  action item 1 (line {action}): Add exponential back-off with jitter to the order client's retries",
        f"    4. question {question}"]
    assert lines[start + 7] == (f"  to accept: resilience-kb incident check {NAME} --apply 1,2 (their numbers) "
                                f"or --apply all")


def test_apply_writes_the_accepted_links_only_and_the_file_still_checks(project: Path, tmp_path: Path) -> None:
    path = project / NAME
    before = path.read_text(encoding="utf-8")
    wrong = run_cli("incident", "check", NAME, "--apply", "2,7", cwd=project)
    assert wrong.returncode == 2 and "'7' is not the number of a suggestion (shown: 1 to 4)" in wrong.stderr
    nofile = run_cli("incident", "check", "--apply", "all", cwd=project)
    assert nofile.returncode == 2 and "--apply: name the one incident file" in nofile.stderr
    assert path.read_text(encoding="utf-8") == before
    applied = run_cli("incident", "check", NAME, "--apply", "1,4", cwd=project)
    assert applied.returncode == 0, applied.stderr
    assert f"{NAME}: 2 links added" in applied.stdout
    expected = before.replace("Patterns: retries\n", "Patterns: retries, back-off\n", 1).replace(
        "  - factor: f1\n", "  - factor: f1\n  - question: orr-what-is-the-retry-back-off\n", 1)
    assert path.read_text(encoding="utf-8") == expected  # every other byte as it was
    again = run_cli("incident", "check", NAME, cwd=project)
    assert again.returncode == 0, again.stderr
    assert f"{NAME}: 2 suggested links" in again.stdout  # circuit breakers and f1's question are left
    path.write_text(before, encoding="utf-8")


def test_a_file_laid_out_otherwise_is_refused_and_left_alone(project: Path) -> None:
    path = project / NAME
    before = path.read_bytes()
    crlf = before.replace(b"\n", b"\r\n")
    path.write_bytes(crlf)
    try:
        refused = run_cli("incident", "check", NAME, "--apply", "all", cwd=project)
        assert refused.returncode == 1
        assert f"{NAME}: --apply writes the file in the form" in refused.stderr
        assert path.read_bytes() == crlf
    finally:
        path.write_bytes(before)

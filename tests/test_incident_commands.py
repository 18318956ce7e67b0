"""The incident commands as a user runs them: new, check, import; incidents in the export only when enabled."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from support import ROOT, make_project, run_cli, snapshot

pytestmark = pytest.mark.slow  # runs the command line, in fresh processes

REVIEWS = ROOT / "examples" / "reviews"
ENABLE = "  - resilience-kb:\n      reviews:\n        enabled: true\n"


def enable(project: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - resilience-kb:\n", ENABLE, 1))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    project = make_project(tmp_path)
    shutil.copytree(REVIEWS, project / "reviews")
    return project


def fill_in(path: Path) -> None:
    """What a team writes into a new incident: facts, a factor with links, an action, a timeline entry."""
    text = path.read_text(encoding="utf-8")
    for old, new in [("start:\n", "start: 2026-03-02 14:05 UTC\n"), ("services: []", "services: [example-payments]"),
                     ("severity:\n", "severity: sev2\n"),
                     ("## Lessons Learned\n", "### Retries without back-off `f1`\n\nKind: technical\n"
                      "Patterns: retries, back-off\nBiases:\nQuestions: orr-do-you-have-any-single-points\n\n"
                      "## Lessons Learned\n")]:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")


def test_new_writes_a_file_to_fill_in_and_never_overwrites_it(project):
    made = run_cli("incident", "new", "--title", "Checkout slowed down!", "--date", "2026-03-02", cwd=project)
    assert made.returncode == 0, made.stderr
    path = project / "incidents" / "2026-03-02-checkout-slowed-down.md"
    assert made.stdout.strip() == str(path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\ndate: 2026-03-02\n") and "\n# Checkout slowed down\\!\n" in text
    assert "## Incident Response Analysis\n\n> - Was the event detected within the expected time?" in text
    again = run_cli("incident", "new", "--title", "Checkout slowed down!", "--date", "2026-03-02", cwd=project)
    assert again.returncode == 2 and "exists: an incident is never overwritten" in again.stderr
    assert path.read_text(encoding="utf-8") == text
    fill_in(path)
    checked = run_cli("incident", "check", cwd=project)
    assert checked.returncode == 0, checked.stderr
    assert "1 incident and 0 public" in checked.stdout
    bad = run_cli("incident", "new", "--title", "x", "--date", "2026-02-30", cwd=project)
    assert bad.returncode == 2 and "expected a date such as 2026-03-02" in bad.stderr


def test_check_names_the_file_and_line_of_a_mistake_and_exits_1(project):
    run_cli("incident", "new", "--title", "Search down", "--date", "2026-01-05", cwd=project)
    path = project / "incidents" / "2026-01-05-search-down.md"
    fill_in(path)
    text = path.read_text(encoding="utf-8").replace("Patterns: retries, back-off", "Patterns: retries, backof")
    path.write_text(text, encoding="utf-8")
    line = text.split("\n").index("Patterns: retries, backof") + 1
    for args in (["incident", "check"], ["incident", "check", "incidents/2026-01-05-search-down.md"]):
        checked = run_cli(*args, cwd=project)
        assert checked.returncode == 1, checked.stderr
        assert f"incidents/2026-01-05-search-down.md:{line}: unknown pattern 'backof'" in checked.stderr
        assert "did you mean 'back-off'?" in checked.stderr
    text = text.replace("backof", "back-off").replace("services: [example-payments]", "services: [checkout]")
    path.write_text(text, encoding="utf-8")
    listed = run_cli("incident", "check", str(path), cwd=project)
    assert listed.returncode == 1 and "unknown service 'checkout' (known: example-payments, example-search)" \
        in listed.stderr
    config = project / "mkdocs.yml"  # a service the team lists in mkdocs.yml is known without reviews
    config.write_text(config.read_text().replace("  - resilience-kb:\n", "  - resilience-kb:\n      reviews:\n"
                                                 "        services: [checkout]\n", 1))
    assert run_cli("incident", "check", str(path), cwd=project).returncode == 0


PUBLIC = """\
---
uuid: {uuid}
url: https://status.example.com/{uuid}
title: {title}
company: Example Cloud
product: Queues
categories: [cloud]
start_time: 2019-06-0{day}T10:00:00Z
end_time: 2019-06-0{day}T12:30:00Z
summary: Queues stopped accepting messages.
---

The text of the postmortem.
"""


def test_import_reads_the_good_files_names_the_bad_and_keeps_the_library_apart(project, tmp_path):
    sources = tmp_path / "collection"
    sources.mkdir()
    for n, title in enumerate(["Queues down", "Queues down again", "Queues slow"], start=1):
        (sources / f"{n}.md").write_text(PUBLIC.format(uuid=f"u-{n}", title=title, day=n), encoding="utf-8")
    (sources / "broken.md").write_text("---\ntitle: [x\n---\n", encoding="utf-8")
    (sources / "undated.md").write_text("---\ntitle: x\ncompany: y\n---\ntext\n", encoding="utf-8")
    imported = run_cli("incident", "import", str(sources), cwd=project)
    assert imported.returncode == 1
    assert f"{sources / 'broken.md'}:2: not valid YAML" in imported.stderr
    assert f"{sources / 'undated.md'}:2: no date" in imported.stderr
    assert "3 postmortems imported" in imported.stdout and "2 not readable" in imported.stdout
    library = project / "incidents" / "public"
    assert sorted(p.name for p in library.iterdir()) == [
        "2019-06-01-example-cloud-queues-down.md", "2019-06-02-example-cloud-queues-down-again.md",
        "2019-06-03-example-cloud-queues-slow.md"]
    checked = run_cli("incident", "check", cwd=project)
    assert checked.returncode == 0 and "0 incidents and 3 public" in checked.stdout, checked.stderr
    # Imported again: nothing changes (a team may have linked their factors since).
    before = snapshot(project / "incidents")
    again = run_cli("incident", "import", str(sources / "1.md"), str(sources / "2.md"), cwd=project)
    assert again.returncode == 0 and "0 postmortems imported" in again.stdout and "2 already there" in again.stdout
    assert snapshot(project / "incidents") == before
    # The export carries them only when enabled, and apart from the team's own.
    run_cli("incident", "new", "--title", "Checkout slowed down", "--date", "2026-03-02", cwd=project)
    fill_in(project / "incidents" / "2026-03-02-checkout-slowed-down.md")
    plain = run_cli("export", cwd=project)
    assert plain.returncode == 0 and "incidents" not in json.loads(plain.stdout), plain.stderr
    enable(project)
    data = json.loads(run_cli("export", cwd=project).stdout)
    assert [i["slug"] for i in data["incidents"]] == ["2026-03-02-checkout-slowed-down"]
    assert [i["slug"] for i in data["public_incidents"]] == [
        "2019-06-03-example-cloud-queues-slow", "2019-06-02-example-cloud-queues-down-again",
        "2019-06-01-example-cloud-queues-down"]
    (team,) = data["incidents"]
    assert team["factors"] == [{"id": "f1", "text": "Retries without back-off", "kind": "technical",
                                "patterns": ["retries", "back-off"], "biases": [],
                                "questions": ["orr-do-you-have-any-single-points"]}]
    assert (team["start"], team["severity"], team["services"]) == ("2026-03-02 14:05 UTC", "sev2",
                                                                   ["example-payments"])
    assert data["public_incidents"][0]["extra"] == {"uuid": "u-3", "product": "Queues", "categories": "cloud"}
    other = run_cli("--archive", str(project / "archive"), "export", cwd=project)  # not the project's archive
    assert other.returncode == 0 and "incidents" not in json.loads(other.stdout)
    into = run_cli("export", "-o", str(project / "incidents" / "kb.json"), cwd=project)
    assert into.returncode == 2 and "the incidents folder" in into.stderr


def test_a_mistake_in_an_incident_stops_the_build_where_reviews_are_enabled(project, tmp_path):
    run_cli("incident", "new", "--title", "Search down", "--date", "2026-01-05", cwd=project)
    path = project / "incidents" / "2026-01-05-search-down.md"
    path.write_text(path.read_text().replace("start:\n", "start: 2026-01-05 09:00\n"), encoding="utf-8")
    enable(project)
    failed = run_cli("build", "--site-dir", str(tmp_path / "private"), cwd=project)
    assert failed.returncode == 1
    assert "incidents/2026-01-05-search-down.md:3: start '2026-01-05 09:00': a time without a time zone" \
        in failed.stderr

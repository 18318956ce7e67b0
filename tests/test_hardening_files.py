"""Careless commands and a tampered project: nothing archived is lost, nothing is written outside its
folder, and every problem is one line that names the file, what is wrong and what to do.

Each case runs the command line in a fresh process, bounded in time and memory; afterwards the
archive is byte-identical, nothing appeared outside tmp_path, and no traceback was printed.
"""

from __future__ import annotations

import fcntl
import json
import re
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from support import ROOT, make_project, snapshot

pytestmark = pytest.mark.slow

MEMORY = 3 * 1024**3  # bytes of address space per command: an alias bomb would need far more


def run(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    """`resilience-kb ARGS` in a process limited in time and memory; its output must hold no traceback."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))

    result = subprocess.run([sys.executable, "-m", "ingest.cli", *args], cwd=cwd, capture_output=True, text=True,
                            timeout=timeout, preexec_fn=limit)
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    return result


@pytest.fixture
def project(tmp_path):
    project = make_project(tmp_path)
    outside = sorted(p.name for p in tmp_path.parent.iterdir())
    yield project
    # Nothing appeared beside this test's folder (the other tests' folders are there before and after).
    assert sorted(p.name for p in tmp_path.parent.iterdir()) == outside


def errors(result: subprocess.CompletedProcess) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("ERROR")]


# -- output folders and files --------------------------------------------------------------------

@pytest.mark.parametrize("site_dir, words", [
    ("archive", "the archive folder {project}/archive is the site folder"),  # found as mkdocs.yml is read
    ("archive/entries", "the archive folder {project}/archive contains the site folder"),
    ("checklists", "is the checklists folder"),
    ("docs", "docs_dir' should not be within the 'site_dir'"),  # MkDocs' own check comes first
    (".", "should not be within"),
    ("overrides", "is the theme overrides"),
    ("onboarding.yml", "is the onboarding file"),
    ("tools-of-mine", "holds files that are not a site built here"),
])
def test_a_site_folder_on_the_projects_data_is_refused_and_nothing_is_deleted(project, site_dir, words):
    (project / "tools-of-mine").mkdir()
    (project / "tools-of-mine" / "precious.txt").write_text("mine")
    before = snapshot(project)
    result = run("build", "--site-dir", site_dir, cwd=project)
    assert result.returncode != 0
    assert words.format(project=project) in result.stderr
    assert snapshot(project) == before


def test_a_site_folder_built_before_is_rebuilt(project, tmp_path):
    site = tmp_path / "site"
    assert run("build", "--site-dir", str(site), cwd=project).returncode == 0
    (site / "stale.html").write_text("from an earlier build")
    assert run("build", "--site-dir", str(site), cwd=project).returncode == 0
    assert not (site / "stale.html").exists() and (site / "index.html").exists()


def test_output_onto_a_fifo_is_refused_and_it_stays_a_fifo(project, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = run("export", "-o", str(fifo), "--force", cwd=project)
    assert result.returncode == 2
    assert "is not a regular file (a folder, FIFO or device): it is not replaced" in result.stderr
    assert fifo.is_fifo()


def test_output_onto_an_existing_file_needs_force(project, tmp_path):
    target = tmp_path / "knowledge.json"
    target.write_text("keep me")
    result = run("export", "-o", str(target), cwd=project)
    assert result.returncode == 2 and "exists; add --force to replace it" in result.stderr
    assert target.read_text() == "keep me"
    assert run("export", "-o", str(target), "--force", cwd=project).returncode == 0
    assert json.loads(target.read_text())["articles"]


@pytest.mark.parametrize("target, words", [
    ("archive/entries/{entry}", "is inside the archive"),
    ("mkdocs.yml", "is the configuration"),
    ("checklists/orr.yml", "is inside the checklists folder"),
    ("docs/index.md", "is inside the docs folder"),
])
def test_output_onto_the_projects_files_is_refused_even_with_force(project, target, words):
    entry = sorted((project / "archive" / "entries").iterdir())[0].name
    before = snapshot(project)
    result = run("checklist", "orr", "--service", "x", "-o", target.format(entry=entry), "--force", cwd=project)
    assert result.returncode == 2 and words in result.stderr
    assert snapshot(project) == before


# -- a tampered archive ---------------------------------------------------------------------------

def _first_entry(project: Path) -> Path:
    return sorted((project / "archive" / "entries").glob("*.json"))[0]


def _rewrite(path: Path, change) -> None:
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


@pytest.mark.parametrize("change, words", [
    (lambda d: d.update(id="../../../escaped"), "its id '../../../escaped' is not its file name"),
    (lambda d: d.update(id="/tmp/escaped"), "is not its file name"),
    (lambda d: d["entry"].update(title=5), "'entry.title' should be a string, not 5"),
    (lambda d: d.update(first_seen="yesterday"), "'first_seen' should be a time such as 2026-01-05T06:00:00Z"),
    (lambda d: d.update(revisions=[{"seen": 3}]), "'seen' should be str"),
    (lambda d: d.update(feed="../x"), "'feed' '../x' is not a feed name"),
])
def test_a_damaged_entry_is_named_and_nothing_is_written(project, tmp_path, change, words):
    path = _first_entry(project)
    _rewrite(path, change)
    before = snapshot(project)
    for command in (["build", "--site-dir", str(tmp_path / "site")], ["export", "-o", str(tmp_path / "k.json")]):
        result = run(*command, cwd=project)
        assert result.returncode == 1
        error = errors(result)[0]
        assert str(path) in error and words in error and "restore it with git" in error
    assert snapshot(project) == before
    assert not (tmp_path / "k.json").exists()
    assert not (tmp_path / "escaped").exists() and not Path("/tmp/escaped").exists()


def test_a_copied_entry_file_is_not_a_duplicate_page(project, tmp_path):
    original = _first_entry(project)
    (original.parent / "copy-of-it-0123456789.json").write_bytes(original.read_bytes())
    result = run("build", "--site-dir", str(tmp_path / "site"), cwd=project)
    assert result.returncode == 1
    assert "copy-of-it-0123456789.json: its id" in result.stderr and "hand-written" not in result.stderr


def test_a_symlinked_entry_is_refused_not_published(project, tmp_path):
    secret = tmp_path / "secret.json"
    secret.write_bytes(_first_entry(project).read_bytes().replace(b'"title": "', b'"title": "SECRET '))
    link = project / "archive" / "entries" / "planted-0123456789.json"
    link.symlink_to(secret)
    result = run("build", "--site-dir", str(tmp_path / "site"), cwd=project)
    assert result.returncode == 1
    assert f"{link} is a symbolic link" in result.stderr
    assert not (tmp_path / "site" / "articles" / "planted-0123456789").exists()


def test_a_symlinked_lock_is_refused_and_its_target_untouched(project, tmp_path):
    target = tmp_path / "precious.txt"
    target.write_text("do not truncate")
    (project / "archive" / ".lock").symlink_to(target)
    feed = tmp_path / "feed.xml"
    feed.write_bytes((ROOT / "tests" / "fixtures" / "devto_gautamkrishnar_2020.rss.xml").read_bytes())
    before = snapshot(project / "archive")
    result = run("fetch", "--feed", str(feed), cwd=project)
    assert result.returncode == 1
    assert "archive/.lock is a symbolic link" in result.stderr
    assert target.read_text() == "do not truncate"
    assert snapshot(project / "archive") == before


@pytest.mark.parametrize("archive, words", [
    ("no-such-folder", "no archive folder at"),
    ("mkdocs.yml", "is a file, not an archive folder"),
])
def test_a_missing_or_wrong_archive_folder_is_an_error_not_an_empty_site(project, tmp_path, archive, words):
    result = run("--archive", archive, "build", "--site-dir", str(tmp_path / "site"), cwd=project)
    assert result.returncode == 1 and words in result.stderr
    assert not (tmp_path / "site" / "index.html").exists()
    assert not (project / "no-such-folder").exists()


def test_fetch_into_a_file_given_as_archive_says_so(project):
    result = run("--archive", "mkdocs.yml", "fetch", "--feed", "x.xml", cwd=project)
    assert result.returncode == 1
    assert "mkdocs.yml is a file, not an archive folder" in result.stderr


def test_a_damaged_fetch_report_is_named(project):
    (project / "archive" / ".fetch-report.json").write_text(json.dumps(
        {"finished": "2026-01-01T00:00:00Z", "feeds": [{"feed": "a", "source": "s", "status": "200", "new": "5"}]}))
    result = run("report", cwd=project)
    assert result.returncode == 1
    assert ".fetch-report.json: feeds[0].new is '5', of the wrong type" in result.stderr


def test_the_build_waits_for_a_fetch_then_stops_with_a_message(project, tmp_path):
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - resilience-kb:\n", "  - resilience-kb:\n      lock_wait: 1\n"))
    with open(project / "archive" / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # as a running fetch holds it
        lock.write("4242")
        lock.flush()
        result = run("build", "--site-dir", str(tmp_path / "site"), cwd=project)
    assert result.returncode == 1
    assert "is being written by a resilience-kb fetch (pid 4242); waited 1 s" in result.stderr
    assert not (tmp_path / "site" / "index.html").exists()


# -- hand-edited YAML -----------------------------------------------------------------------------

BOMB = "bomb: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"l{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 10))


@pytest.mark.parametrize("file, content, words", [
    ("checklists/orr.yml", BOMB, "orr.yml:2: not valid YAML: an alias (*name) is not allowed here"),
    ("onboarding.yml", BOMB, "onboarding.yml:2: not valid YAML: an alias (*name) is not allowed here"),
    ("checklists/orr.yml", "id: " + "[" * 5000 + "]" * 5000, "orr.yml:1: not valid YAML: nested more than 40"),
    ("checklists/orr.yml", "id: orr\ntitle: Caf\xe9\n".encode("latin-1"),
     "orr.yml:2: the file is not UTF-8 (byte 0xe9 cannot be read as UTF-8): save it as UTF-8"),
    ("onboarding.yml", "title: Start here\n".encode("utf-16"), "onboarding.yml:1: the file is UTF-16"),
    ("onboarding.yml", "title: Start\nintroduction:\n  a: b\nstops: []\n",
     "onboarding.yml:1: 'introduction' should be text"),
])
def test_bad_yaml_is_one_line_naming_file_and_line(project, tmp_path, file, content, words):
    path = project / file
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    result = run("build", "--site-dir", str(tmp_path / "site"), cwd=project, timeout=60)
    assert result.returncode == 1
    [error] = errors(result)[:1]
    assert words in error, error


def test_a_mapping_under_detail_is_an_error_not_a_repr(project, tmp_path):
    path = project / "checklists" / "orr.yml"
    text = path.read_text()
    path.write_text(text.replace("    detail: (e.g. number of users, sales, marketing, ad-hoc, …)",
                                 "    detail:\n      users: many", 1))
    assert path.read_text() != text
    result = run("build", "--site-dir", str(tmp_path / "site"), cwd=project)
    assert result.returncode == 1
    assert "orr.yml:" in result.stderr and "'detail' should be text, not a mapping" in result.stderr


# -- configuration --------------------------------------------------------------------------------

@pytest.mark.parametrize("value, words", [
    ("1.0e+10", "option 'timeout': expected a number of at most 600, got 10000000000.0"),
    ("1e10", "option 'timeout': expected a number greater than 0, got '1e10'"),  # YAML 1.1: a string
    (".inf", "option 'timeout': expected a number greater than 0, got inf"),
    (".nan", "option 'timeout': expected a number greater than 0, got nan"),
])
def test_timeouts_out_of_range_are_refused_by_name(project, value, words):
    config = project / "mkdocs.yml"
    option = f"  - resilience-kb:\n      timeout: {value}\n"
    config.write_text(config.read_text().replace("  - resilience-kb:\n", option))
    result = run("fetch", cwd=project)
    assert result.returncode == 2 and words in result.stderr


def test_without_feeds_the_default_is_named(project, tmp_path):
    config = project / "mkdocs.yml"
    text = config.read_text()
    start = text.index("      feeds:")
    end = text.index("\n", text.index("url:", start))
    config.write_text(text[:start] + text[end + 1:])
    feed = tmp_path / "feed.xml"
    feed.write_bytes((ROOT / "tests" / "fixtures" / "devto_gautamkrishnar_2020.rss.xml").read_bytes())
    result = run("--archive", str(tmp_path / "scratch"), "fetch", "--feed", str(feed), cwd=project)
    assert "no 'feeds' under the resilience-kb plugin: the default feed adhorn (https://dev.to/feed/adhorn)" \
        in result.stderr


def test_the_fillable_checklist_carries_no_html_or_link_from_its_text(project, tmp_path):
    import markdown

    path = project / "checklists" / "orr.yml"
    text = path.read_text()
    path.write_text(text.replace("text: Describe your operational goals for the service.",
                                 "text: 'Goals <script>alert(1)</script> [docs](javascript:alert(2)) <b>x</b>'", 1))
    assert path.read_text() != text
    out = tmp_path / "orr.md"
    hostile = run("checklist", "orr", "--service", "<img src=x onerror=alert(3)>", "-o", str(out), cwd=project)
    assert hostile.returncode == 2 and "--service: service '<img src=x onerror=alert(3)>' is not a slug" in hostile.stderr
    assert not out.exists()
    result = run("checklist", "orr", "--service", "x", "-o", str(out), cwd=project)
    assert result.returncode == 0, result.stderr
    html = markdown.markdown(out.read_text(), extensions=["tables"])
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "javascript:" not in "".join(re.findall(r'href="([^"]*)"', html))
    assert "Goals &lt;script&gt;alert(1)&lt;/script&gt; [docs](javascript:alert(2))" in html  # shown as text
    refused = run("checklist", "orr", "--service", "x", "--site-url", "javascript:alert(1)//", cwd=project)
    assert refused.returncode == 2 and "--site-url 'javascript:alert(1)//': give the site's http(s) address" \
        in refused.stderr


def test_a_renamed_checklist_item_is_a_warning_naming_both_ids(project, tmp_path):
    site = tmp_path / "site"
    assert run("build", "--site-dir", str(site), cwd=project).returncode == 0
    path = project / "checklists" / "orr.yml"
    text = path.read_text()
    path.write_text(text.replace("id: orr-what-is-the-sla-of-the\n", "id: orr-sla\n", 1))
    assert path.read_text() != text
    result = run("build", "--site-dir", str(site), cwd=project)
    assert result.returncode == 0, result.stderr
    assert ("checklist orr: item 'orr-what-is-the-sla-of-the' is now 'orr-sla' (the same question): readers' "
            "ticks and links to #orr-what-is-the-sla-of-the are lost") in result.stderr
    again = run("build", "--site-dir", str(site), cwd=project)  # said once: the site now has the new id
    assert "is now 'orr-sla'" not in again.stderr


def test_a_renamed_checklist_item_is_found_in_git_on_a_fresh_build(project, tmp_path):
    """CI builds into an empty folder: the ids before come from git (the last commit, or the one before)."""
    def git(*args: str) -> None:
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=project,
                       check=True, capture_output=True, timeout=60)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "as published")
    path = project / "checklists" / "orr.yml"
    path.write_text(path.read_text().replace("id: orr-what-is-the-sla-of-the\n", "id: orr-sla\n", 1))
    warning = "checklist orr: item 'orr-what-is-the-sla-of-the' is now 'orr-sla' (the same question)"
    edited = run("build", "--site-dir", str(tmp_path / "site-1"), cwd=project)  # not committed yet
    assert edited.returncode == 0 and warning in edited.stderr, edited.stderr
    git("commit", "-qam", "rename an item")
    committed = run("build", "--site-dir", str(tmp_path / "site-2"), cwd=project)  # the push that renamed it
    assert committed.returncode == 0 and warning in committed.stderr, committed.stderr
    (project / "docs" / "index.md").write_text((project / "docs" / "index.md").read_text() + "\nMore.\n")
    git("commit", "-qam", "something else")
    later = run("build", "--site-dir", str(tmp_path / "site-3"), cwd=project)  # said by the build after the rename
    assert later.returncode == 0 and "is now 'orr-sla'" not in later.stderr, later.stderr


def test_a_feed_state_of_the_wrong_type_is_named(project, tmp_path):
    path = project / "archive" / "feeds" / "adhorn.json"
    _rewrite(path, lambda d: d.update(title=5))
    before = snapshot(project)
    result = run("build", "--site-dir", str(tmp_path / "site"), cwd=project)
    assert result.returncode == 1
    assert f"{path}: 'title' should be a string, not int (5): restore it with git" in result.stderr
    assert snapshot(project) == before

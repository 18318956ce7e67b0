"""The command line as a user meets it: help, fetch into a git-tracked archive, config errors."""

from __future__ import annotations

import json
import subprocess

import pytest

from support import FIXTURES, SEED, make_project, point_feed, run_cli, snapshot


def git(project, *args):
    return subprocess.run(["git", *args], cwd=project, capture_output=True, text=True, check=True).stdout


def commit_all(project):
    git(project, "add", "-A")
    git(project, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "snapshot")


@pytest.fixture
def repo(tmp_path):
    project = make_project(tmp_path)
    git(project, "init", "-q")
    commit_all(project)
    return project


@pytest.mark.parametrize("command, expected", [
    ([], "Archive resilience-engineering feeds"),
    (["fetch"], "Fetch every configured feed, or the one given with --feed"),
    (["build"], "run a strict MkDocs build"),
    (["backfill"], "Walk the older pages of each configured feed (or of the feeds named)"),
    (["accept-upstream"], "record the article's current version as the checklist's baseline"),
    (["checklist"], "the document `review new` files under the reviews folder"),
    (["review"], "A review is a checklist answered for a service, kept in git"),
    (["review", "new"], "An existing file is never overwritten"),
    (["review", "check"], "(a question left out is unanswered)"),
    (["export-lens"], "custom lens for the AWS Well-Architected Tool (schemaVersion 2021-11-01)"),
])
def test_every_command_has_help(command, expected):
    result = run_cli(*command, "--help")
    assert result.returncode == 0
    assert expected in " ".join(result.stdout.split())


def test_fetching_the_seed_twice_leaves_git_clean(repo):
    for _ in range(2):
        result = run_cli("fetch", "--feed", str(SEED), cwd=repo)
        assert result.returncode == 0, result.stderr
        assert result.stdout == "adhorn: file, 0 new, 0 updated, 12 unchanged\n"
        assert git(repo, "status", "--porcelain") == ""


@pytest.mark.slow
def test_fetching_into_an_empty_archive_then_again_leaves_git_clean(tmp_path):
    project = make_project(tmp_path, with_archive=False)
    git(project, "init", "-q")
    first = run_cli("fetch", "--feed", str(SEED), cwd=project)
    assert first.stdout == "adhorn: file, 12 new, 0 updated, 0 unchanged\n"
    commit_all(project)
    second = run_cli("fetch", "--feed", str(SEED), cwd=project)
    assert second.stdout == "adhorn: file, 0 new, 0 updated, 12 unchanged\n"
    assert git(project, "status", "--porcelain") == ""


def test_one_changed_entry_changes_exactly_one_file(repo, tmp_path):
    changed = tmp_path / "changed.xml"
    changed.write_bytes(SEED.read_bytes().replace(
        b"start looking into chaos engineering in a team", b"begin with chaos engineering in a team"))
    result = run_cli("fetch", "--feed", str(changed), cwd=repo)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "adhorn: file, 0 new, 1 updated, 11 unchanged\n"
    status = git(repo, "status", "--porcelain").splitlines()
    assert status == [" M archive/entries/chaos-engineering-q-a-part-1-4ffp-6acac88aff.json"]


@pytest.mark.slow
def test_scratch_archive_leaves_the_real_one_alone(repo, tmp_path):
    scratch, site = tmp_path / "scratch", tmp_path / "site"
    before = snapshot(repo / "archive")
    fetched = run_cli("--archive", str(scratch), "fetch", "--feed", str(FIXTURES / "devto_gautamkrishnar_2020.rss.xml"),
                      cwd=repo)
    assert fetched.returncode == 0, fetched.stderr
    assert fetched.stdout == "gautam-krishna-r: file, 6 new, 0 updated, 0 unchanged\n"
    built = run_cli("--archive", str(scratch), "build", "--site-dir", str(site), cwd=repo)
    assert built.returncode == 0, built.stderr
    assert len(list((site / "articles").glob("*/index.html"))) == 6
    assert "God Mode in browsers" in (site / "articles" / "index.html").read_text()
    # The export of the scratch archive is the site's knowledge.json: both keep the project's curated
    # checklists, though their source articles are in the real archive only.
    exported = run_cli("--archive", str(scratch), "export", "-o", str(tmp_path / "export.json"), cwd=repo)
    assert exported.returncode == 0, exported.stderr
    assert (tmp_path / "export.json").read_bytes() == (site / "knowledge.json").read_bytes()
    curated = sorted(p.stem for p in (repo / "checklists").glob("*.yml"))
    assert sorted(c["id"] for c in json.loads((site / "knowledge.json").read_text())["checklists"]) == curated
    assert snapshot(repo / "archive") == before
    assert git(repo, "status", "--porcelain") == ""


def test_every_feed_failing_exits_1_with_one_line_each(repo, server):
    server.routes.clear()  # everything 404s
    config = (repo / "mkdocs.yml").read_text().replace(
        "- name: adhorn\n          url: https://dev.to/feed/adhorn",
        f"- name: gone\n          url: {server.url('/gone')}\n        - name: also-gone\n          url: {server.url('/also')}",
    )
    (repo / "mkdocs.yml").write_text(config)
    before = snapshot(repo / "archive")
    result = run_cli("fetch", cwd=repo)
    assert result.returncode == 1
    assert "gone: error, HTTP 404 Not Found (check the feed URL)" in result.stdout
    assert "total: 2 feeds, 0 new, 0 updated, 0 unchanged, 2 failed" in result.stdout
    errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 2 and all("HTTP 404" in line for line in errors)
    assert snapshot(repo / "archive") == before


@pytest.mark.slow
def test_one_feed_failing_of_two_exits_0_unless_strict(repo, server, seed_bytes):
    good = server.feed("/good", seed_bytes)
    point_feed(repo, f"{good}\n        - name: gone\n          url: {server.url('/gone')}")
    assert run_cli("fetch", cwd=repo).returncode == 0
    assert run_cli("fetch", "--strict", cwd=repo).returncode == 1


def test_missing_feed_file_is_one_line_and_exit_1(repo):
    result = run_cli("fetch", "--feed", "no/such/feed.xml", cwd=repo)
    assert result.returncode == 1
    assert result.stdout == "feed: error, cannot read no/such/feed.xml: No such file or directory\n"


@pytest.mark.parametrize("feeds_yaml, message", [
    ("feeds:\n        - name: Bad Name\n          url: https://example.com/feed",
     "feeds[0].name: expected 1-64 lowercase letters, digits, '-' or '_'"),
    ("feeds:\n        - name: ok\n          url: ftp://example.com/feed",
     "feeds[0].url: expected an http:// or https:// URL, got 'ftp://example.com/feed'"),
    ("feeds:\n        - name: a\n          url: https://example.com/1\n        - name: a\n          url: https://example.com/2",
     "feeds[1].name: 'a' is listed twice"),
    ("feeds:\n        - name: a\n          link: https://example.com/1",
     "feeds[0]: unknown key 'link' (expected 'name', 'url' and optionally 'paging')"),
    ("feeds:\n        - name: a\n          url: https://example.com/1\n          paging: rss",
     "feeds[0].paging: expected one of auto, rfc5005, wordpress, forem, none, got 'rss'"),
    ("backfill_delay: -1\n      feeds:\n        - name: a\n          url: https://example.com/1",
     "expected a number from 0 to 600, got -1"),
    ("backfill_delay: .inf\n      feeds:\n        - name: a\n          url: https://example.com/1",
     "expected a number from 0 to 600, got inf"),
    ("feeds: https://example.com/feed", "expected a non-empty list of feeds"),
    ("timeout: -3\n      feeds:\n        - name: a\n          url: https://example.com/1",
     "expected a number greater than 0, got -3"),
])
def test_invalid_configuration_names_the_key(repo, feeds_yaml, message):
    config = (repo / "mkdocs.yml").read_text()
    start = config.index("      feeds:")
    end = config.index("\nmarkdown_extensions:")
    (repo / "mkdocs.yml").write_text(config[:start] + "      " + feeds_yaml + "\n" + config[end:])
    result = run_cli("fetch", cwd=repo)
    assert result.returncode == 2
    assert "Plugin 'resilience-kb' option" in result.stderr
    assert message in result.stderr


def test_missing_config_file_is_a_usage_error(tmp_path):
    result = run_cli("fetch", cwd=tmp_path)
    assert result.returncode == 2
    assert "mkdocs.yml: no such file" in result.stderr


@pytest.mark.parametrize("args, message", [
    (["backfill", "nobody"], "no feed named 'nobody' in mkdocs.yml (configured: adhorn)"),
    (["backfill", "--max-pages", "0"], "argument --max-pages: expected a whole number greater than 0, got 0"),
    (["backfill", "--delay", "-2"], "argument --delay: expected a number from 0 to 600, got -2.0"),
    # The flags have the ranges of the mkdocs.yml options they stand for (sleep(1e308) overflowed).
    (["backfill", "--delay", "1e308"], "argument --delay: expected a number from 0 to 600, got 1e+308"),
    (["backfill", "--delay", "nan"], "argument --delay: expected a number from 0 to 600, got nan"),
    (["backfill", "--max-pages", "10001"],
     "argument --max-pages: expected a whole number of at most 10,000, got 10001 (as backfill_max_pages"),
    (["backfill", "--max-pages", "x"], "argument --max-pages: expected a whole number, got 'x'"),
])
def test_backfill_usage_errors_are_one_line(repo, args, message):
    result = run_cli(*args, cwd=repo)
    assert result.returncode == 2
    assert message in result.stderr.strip().splitlines()[-1]  # after argparse's usage, if any

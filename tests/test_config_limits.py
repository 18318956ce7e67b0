"""Options that would publish the raw archive, or cost without bound, are refused when mkdocs.yml is read.

`archive:` on the project folder, docs/, the theme overrides or the site folder (or inside them) would
put the unsanitised archive on the site or into a folder MkDocs empties; `search_shard_pages: 1` runs
Pagefind once per page (70 runs for the 12 bundled articles). Each is one line naming the option.
"""

from __future__ import annotations

import pytest

from support import make_project, run_cli, snapshot


def _configure(project, old: str, new: str) -> None:
    path = project / "mkdocs.yml"
    text = path.read_text(encoding="utf-8")
    assert old in text, f"mkdocs.yml no longer holds {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("archive, words", [
    (".", "is the project folder"),
    ("..", "contains the project folder"),
    ("docs", "is the docs folder"),
    ("docs/raw", "is inside the docs folder"),
    ("overrides", "is the theme overrides"),
    ("overrides/partials/archive", "is inside the theme overrides"),
    ("site", "is the site folder"),
])
@pytest.mark.parametrize("command", [["build"], ["fetch", "--feed", "feed.xml"]])
def test_an_archive_where_the_site_publishes_it_is_refused(tmp_path, archive, words, command):
    project = make_project(tmp_path, with_archive=False)
    _configure(project, "      archive: archive\n", f"      archive: {archive}\n")
    (project / "feed.xml").write_text("<rss version='2.0'><channel><title>t</title><item><title>a</title>"
                                      "<link>https://example.com/a</link></item></channel></rss>")
    before = snapshot(tmp_path)
    args = [*command, "--site-dir", str(project / "site")] if command == ["build"] else command
    result = run_cli(*args, cwd=project, timeout=120)
    assert result.returncode == 2, result.stderr
    assert words in result.stderr and "the archive needs a folder of its own" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(tmp_path) == before


def test_an_archive_given_on_the_command_line_inside_docs_is_refused(tmp_path):
    project = make_project(tmp_path, with_archive=False)
    result = run_cli("--archive", str(project / "docs" / "mine"), "fetch", "--feed", str(project / "mkdocs.yml"),
                     cwd=project, timeout=120)
    assert result.returncode == 2 and "is inside the docs folder" in result.stderr, result.stderr
    assert not (project / "docs" / "mine").exists()


@pytest.mark.parametrize("pages", [1, 4])
def test_a_search_shard_too_small_is_refused(tmp_path, pages):
    project = make_project(tmp_path, with_archive=False)
    _configure(project, "      stale_days: 45\n", f"      stale_days: 45\n      search_shard_pages: {pages}\n")
    result = run_cli("build", "--site-dir", str(tmp_path / "site"), cwd=project, timeout=120)
    assert result.returncode == 2
    assert "search_shard_pages" in result.stderr and "at least 5" in result.stderr, result.stderr
    assert not (tmp_path / "site").exists()


# Builds, fetches or runs the command line in subprocesses: left out of `make test-fast`.
pytestmark = pytest.mark.slow

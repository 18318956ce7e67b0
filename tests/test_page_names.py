"""Ids and slugs that name pages never take the place of a page the site makes itself.

A checklist or pattern id "index" would be its folder's own page (the listing); a feed's tag "index",
or "retry-2" beside a tag "retry" listed over two pages, would be another generated page. Ids a person
writes are refused with the file and what to do; tags, which feeds send, get a page of their own.
"""

from __future__ import annotations

import re
import shutil
from html import escape

import pytest

from support import make_project, run_cli
from ingest.model.extract.vocabulary import VOCAB_DIR, VocabularyError, load_vocabulary


def test_a_checklist_named_index_is_refused_by_its_file(tmp_path):
    project = make_project(tmp_path)
    checklist = project / "checklists" / "orr.yml"
    checklist.write_text(re.sub(r"(?m)^id: orr$", "id: index", checklist.read_text(encoding="utf-8")),
                         encoding="utf-8")
    onboarding = project / "onboarding.yml"
    onboarding.write_text(onboarding.read_text(encoding="utf-8").replace("checklists: [orr]", "checklists: [index]"),
                          encoding="utf-8")
    result = run_cli("build", "--site-dir", str(tmp_path / "site"), cwd=project, timeout=300)
    assert result.returncode != 0
    assert f"{checklist}:" in result.stderr and "checklist id 'index'" in result.stderr
    assert "another id" in result.stderr and "hand-written" not in result.stderr
    assert "Traceback" not in result.stderr


def test_a_pattern_named_index_is_refused(tmp_path):
    folder = tmp_path / "vocab"
    shutil.copytree(VOCAB_DIR, folder)
    patterns = folder / "patterns.yml"
    text = patterns.read_text(encoding="utf-8")
    first_id = re.search(r"(?m)^- id: (\S+)$", text)
    assert first_id, "patterns.yml no longer starts its entries with '- id:'"
    patterns.write_text(text.replace(first_id.group(0), "- id: index", 1), encoding="utf-8")
    with pytest.raises(VocabularyError, match="'index' is the name of the page that lists the patterns"):
        load_vocabulary(folder)


def _feed(items: list[tuple[str, list[str]]]) -> str:
    entries = "".join(
        f"<item><title>{escape(title)}</title><link>https://blog.example.com/{n}</link>"
        f"<guid>https://blog.example.com/{n}</guid><pubDate>Mon, 02 Mar 2026 10:00:00 +0000</pubDate>"
        + "".join(f"<category>{escape(tag)}</category>" for tag in tags)
        + f"<description>&lt;p&gt;Post {n} about retries.&lt;/p&gt;</description></item>"
        for n, (title, tags) in enumerate(items))
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Tags</title>'
            f"<link>https://blog.example.com/</link><description>d</description>{entries}</channel></rss>")


def test_tags_named_like_generated_pages_get_pages_of_their_own(tmp_path):
    """201 articles tagged "retry" are listed over two pages (tags/retry, tags/retry-2); a tag "retry-2"
    and a tag "index" (the tags listing's own name) must not replace them."""
    items = [(f"Retry post {n}", ["retry"]) for n in range(201)]
    items.append(("The index post", ["index", "retry-2"]))
    project = make_project(tmp_path, with_archive=False)
    (tmp_path / "feed.xml").write_text(_feed(items), encoding="utf-8")
    fetched = run_cli("fetch", "--feed", str(tmp_path / "feed.xml"), cwd=project, timeout=120)
    assert fetched.returncode == 0, fetched.stderr
    site = tmp_path / "site"
    built = run_cli("build", "--site-dir", str(site), cwd=project, timeout=300)
    assert built.returncode == 0, built.stderr
    tags = site / "tags"
    listing = (tags / "index.html").read_text(encoding="utf-8")
    assert re.search(r"<h1[^>]*>Tags<", listing)
    assert '>index</a> <span class="rkb-count">1</span>' in listing
    assert '>retry</a> <span class="rkb-count">201</span>' in listing
    assert len(re.findall(r"<li><a href=", listing)) == 3  # index, retry and retry-2, each linked
    second = (tags / "retry-2" / "index.html").read_text(encoding="utf-8")
    assert "Tag: retry, page 2 of 2" in second
    pages = {p.parent.name: p.read_text(encoding="utf-8") for p in tags.glob("*/index.html")}
    [index_tag] = [name for name, text in pages.items() if "Tag: index" in text]
    [retry2_tag] = [name for name, text in pages.items() if "Tag: retry-2" in text]
    assert index_tag != "index" and retry2_tag != "retry-2"
    assert "The index post" in pages[index_tag] and "The index post" in pages[retry2_tag]



def test_two_generated_pages_on_one_path_stop_the_build_by_name():
    """The net under the rules above: whatever names a page, two on one path are an error, not a swap."""
    from ingest.site.markdown import Page
    from ingest.site.pages import PageNameError, _check_unique

    _check_unique([Page("tags/index.md", ""), Page("tags/retry.md", "")])
    with pytest.raises(PageNameError, match="both be tags/index.md"):
        _check_unique([Page("tags/index.md", ""), Page("tags/retry.md", ""), Page("tags/index.md", "")])


# Builds, fetches or runs the command line in subprocesses: left out of `make test-fast`.
pytestmark = pytest.mark.slow

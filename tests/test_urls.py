"""The site's URL scheme lives in one module (ingest/site/urls.py); the model knows ids, not page paths."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from ingest.site import urls

PACKAGE = Path(__file__).resolve().parent.parent / "ingest"
PAGE_PATH = re.compile(r"\.(md|html)\b")
# A review file's name (reviews/<service>/<date>-<checklist>.md, HTML-escaped or not) is a source kept in
# git, not a page: help texts may spell it, and the review model names its suffix once (REVIEW_SUFFIX).
# So is an incident file's (incidents/<date>-<slug>.md, INCIDENT_SUFFIX).
REVIEW_FILE = re.compile(r"(<|&lt;)(checklist|slug)(>|&gt;)\.md\b")


def page_paths_spelled_in(path: Path) -> list[str]:
    """String pieces of the module that look like a page path ("patterns/x.md", "biases.html")."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body
                  and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    suffixes = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Assign)
                and [getattr(target, "id", None) for target in node.targets] in (["REVIEW_SUFFIX"], ["INCIDENT_SUFFIX"])}
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings | suffixes
            and PAGE_PATH.search(REVIEW_FILE.sub("", node.value))]


def test_no_module_but_urls_spells_a_page_path():
    spelled = {str(p.relative_to(PACKAGE)): page_paths_spelled_in(p) for p in sorted(PACKAGE.rglob("*.py"))
               if p != PACKAGE / "site" / "urls.py"}
    assert {module: found for module, found in spelled.items() if found} == {}


def test_the_check_finds_a_page_path(tmp_path):
    module = tmp_path / "m.py"
    module.write_text('"""Links to patterns/x.md in a docstring are fine."""\nX = f"patterns/{1}.md"\n'
                      'REVIEW_SUFFIX = ".md"\nHELP = "commit reviews/<service>/<date>-<checklist>.md"\n'
                      'BOTH = "reviews/&lt;date&gt;-&lt;checklist&gt;.md, then reviews/index.md"\nSUFFIX = ".md"\n')
    assert sorted(page_paths_spelled_in(module)) == [
        ".md", ".md", "reviews/&lt;date&gt;-&lt;checklist&gt;.md, then reviews/index.md"]


def test_paths_and_addresses():
    # Expected values from MkDocs' rules for page URLs (use_directory_urls on and off).
    assert urls.pattern_path("retries") == "patterns/retries.md"
    assert urls.page_url(urls.pattern_path("retries")) == "patterns/retries/"
    assert urls.page_url(urls.PATTERNS) == "patterns/"
    assert urls.page_url(urls.BIASES, directory_urls=False) == "biases.html"
    assert urls.listing_paths(urls.year_path("2020"), 3) == [
        "articles/by-year/2020.md", "articles/by-year/2020-2.md", "articles/by-year/2020-3.md"]
    assert urls.href(urls.article_path("a"), urls.pattern_path("p"), anchor="x") == "../../patterns/p/#x"
    assert urls.article_from_article(True)("b") == "../b/"
    assert urls.article_from_article(False)("b") == "b.html"
    assert urls.absolute_url("https://example.org/kb/", urls.checklist_path("orr")) == "https://example.org/kb/checklists/orr/"


def test_relative_links_agree_with_the_standard_library():
    # href computes relative paths itself (posixpath.relpath asks the OS for the working
    # directory on every call); expected values from posixpath.relpath on the same pages.
    import posixpath
    pages = ["index.md", "about.md", urls.ARTICLES, urls.article_path("a"), urls.pattern_path("retries"),
             urls.PATTERNS, urls.TAGS, urls.year_path("2020"), urls.checklist_path("orr"), "a/b/c/d.md",
             "a/b/index.md", "a/x/index.md"]
    for directory_urls in (True, False):
        for source in pages:
            for target in pages:
                start_url = urls.page_url(source, directory_urls)
                target_url = urls.page_url(target, directory_urls)
                start = start_url.rstrip("/") if start_url.endswith("/") else posixpath.dirname(start_url)
                expected = posixpath.relpath(target_url or ".", start or ".")
                if not target_url or target_url.endswith("/"):
                    expected = "./" if expected == "." else expected + "/"
                assert urls.href(source, target, directory_urls) == expected, (source, target, directory_urls)


def test_front_matter_reads_back_as_written():
    # Written with LibYAML's emitter: what MkDocs reads back must be the fields given (HTML-escaped).
    import yaml
    from ingest.site.markdown import front_matter
    fields = {"title": 'Retries: "yes" & no # not a comment', "description": "- null\n: ~ 日本語 ‏עברית"}
    text = front_matter(searchable=False, **fields)
    assert text.startswith("---\n") and text.endswith("---")
    assert yaml.safe_load(text[4:-3]) == {
        "title": "Retries: &quot;yes&quot; &amp; no # not a comment",
        "description": "- null\n: ~ 日本語 ‏עברית", "search": {"exclude": True}}

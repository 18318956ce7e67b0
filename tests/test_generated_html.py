"""Generated pages are made as HTML, without Markdown; their links are still checked by the strict build."""

from __future__ import annotations

import json
import re

import markdown
import pytest

from support import ROOT, make_project, run_cli

pytestmark = pytest.mark.slow

DROP_PAGES = '''
def on_files(files, config):
    """Take generated pages away after the plugin made them."""
    for page in {pages!r}:
        files.remove(files.get_file_from_path(page))
    return files
'''
DIGEST_1 = "articles/aws-re-invent-2020-digest-part-1-31li-afa801ab6a.md"
LESSONS = "articles/ten-lessons-from-twelve-years-of-aws-59b2-1be02dbe72.md"


@pytest.mark.parametrize("dropped, broken_links", [
    # an article page's link; a listing's
    (["tags/aws.md"], [("articles/aws-re-invent-2020-digest-part-2-27pn-46c2c96548.md", "tags/aws.md")]),
    (["articles/aws-re-invent-2020-digest-part-2-27pn-46c2c96548.md"],
     [("tags/aws.md", "articles/aws-re-invent-2020-digest-part-2-27pn-46c2c96548.md")]),
    # notes, indexes, What's new (a page and a file that is not a page), Start here, a checklist
    ([DIGEST_1, LESSONS, "articles/creating-your-own-chaos-monkey-with-aws-systems-e52e210ecb.md",
      "articles/incident-postmortem-template-18m7-dd266f544a.md", "patterns/back-off.md", "articles/by-kind/digest.md",
      "tags/sre.md", "checklists/orr.md", "feed.xml"],
     [("launches/aws-re-invent-2020-digest-part-1-31li-afa801ab6a.md", DIGEST_1),
      ("lessons/ten-lessons-from-twelve-years-of-aws-59b2-1be02dbe72.md", LESSONS),
      ("failure-injections/index.md", "articles/creating-your-own-chaos-monkey-with-aws-systems-e52e210ecb.md"),
      ("biases.md", "articles/incident-postmortem-template-18m7-dd266f544a.md"),
      ("patterns/index.md", "patterns/back-off.md"), ("articles/index.md", "articles/by-kind/digest.md"),
      ("tags/index.md", "tags/sre.md"), ("checklists/index.md", "checklists/orr.md"),
      ("whats-new.md", "feed.xml"), ("whats-new.md", DIGEST_1), ("start-here.md", "patterns/back-off.md"),
      ("checklists/postmortem.md", "articles/incident-postmortem-template-18m7-dd266f544a.md")]),
])
def test_a_broken_link_in_a_page_made_as_html_fails_the_strict_build(tmp_path, dropped, broken_links):
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8") + "\nhooks:\n  - drop_pages.py\n"
    project = make_project(tmp_path, config)
    (project / "drop_pages.py").write_text(DROP_PAGES.format(pages=dropped), encoding="utf-8")
    result = run_cli("build", "--site-dir", str(tmp_path / "site"), cwd=project)
    assert result.returncode == 1, result.stderr
    # These pages never reach Markdown, so these warnings are the plugin's own check.
    for linking_page, target in broken_links:
        assert (f"Doc file '{linking_page}' contains a link to '{target}', but the target is not found among "
                "documentation files.") in result.stderr


def test_article_page_links_lead_where_markdown_led(built_site):
    page = (built_site / "articles" / "incident-postmortem-template-18m7-dd266f544a" / "index.html").read_text()
    # As MkDocs wrote these links from Markdown before (relative, directory URLs, anchors kept).
    assert '<a href="../by-kind/checklist/">checklists and templates</a>' in page
    assert '<a href="../../biases/#confirmation-bias">Confirmation bias</a>' in page
    assert '<a href="../../checklists/postmortem/">the Incident Postmortem Template checklist</a>' in page
    assert "<strong>Patterns mentioned:</strong>" in page


def test_note_pages_are_the_html_markdown_made(built_site):
    lessons = (built_site / "lessons" / "ten-lessons-from-twelve-years-of-aws-59b2-1be02dbe72" / "index.html").read_text()
    # As Python-Markdown wrote them from "### #1 — …", "> …" and "[Read the lesson](…#…)" before.
    assert ('<h3 id="4-embrace-failure">#4 — Embrace failure&#46;<a class="headerlink" href="#4-embrace-failure" '
            'title="Permanent link">&para;</a></h3>\n<blockquote>\n<p>Failure should not be seen as') in lessons
    assert ('<p><a href="../../articles/ten-lessons-from-twelve-years-of-aws-59b2-1be02dbe72/#4-embrace-failure">'
            'Read the lesson</a></p>') in lessons
    injections = (built_site / "failure-injections" / "index.html").read_text()
    assert ('<table>\n<thead>\n<tr>\n<th>Injection</th>\n<th>What it does</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n'
            '<td><a href="../articles/building-resilient-services-at-prime-video-with-c92b766799/#p50">'
            'NetworkInterfaceLatency</a></td>') in injections


def test_html_page_headings_get_the_ids_markdown_gives():
    from ingest.site.markdown import HTMLPage
    from ingest.text import escape_markdown as e

    # What the Markdown renderers wrote (feed text escaped): repeated headings, an explicit id
    # that a slug would take, feed punctuation, a table.
    source = (f"# Notes\n\n## Earlier (2)\n\n### {e('A: b')}\n\n### {e('A: b')}\n\n## Other {{ #a-b }}\n\n"
              f"### #3 — {e('It’s *not* [x](y)')}\n\n> {e('q > r')}\n\n"
              "| Injection | What it does |\n|---|---|\n| one | two |\n\n| Feed | Articles |\n|---|---:|\n")
    expected = markdown.markdown(source, extensions=["attr_list", "tables", "toc"],
                                 extension_configs={"toc": {"permalink": True}})
    page = HTMLPage("notes/index.md")
    page.heading(1, "Notes")
    page.heading(2, ours="Earlier (2)")
    page.heading(3, "A: b")
    page.heading(3, "A: b")
    page.heading(2, "Other", id="a-b")
    page.heading(3, "It’s *not* [x](y)", ours="#3 — ")
    page.quote("q > r")
    page.table(["Injection", "What it does"], [["one", "two"]])
    page.table(["Feed", "Articles"], [], right=(1,))  # no rows
    made = page.page("---\n---")
    assert made.html == expected
    assert [h.id for h in made.html_headings] == ["notes", "earlier-2", "a-b_1", "a-b_2", "a-b", "3-its-not-xy"]


COUNT_MARKDOWN = '''
import json
from pathlib import Path

import json
import re

import markdown

converted = []
_convert = markdown.Markdown.convert


def _counting(self, source):
    converted.append(source[:60])
    return _convert(self, source)


markdown.Markdown.convert = _counting


def on_post_build(config):
    Path({out!r}).write_text(json.dumps(converted), encoding="utf-8")
'''


def test_only_hand_written_pages_go_through_markdown(tmp_path):
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8") + "\nhooks:\n  - count_markdown.py\n"
    project = make_project(tmp_path, config)
    out = tmp_path / "converted.json"
    (project / "count_markdown.py").write_text(COUNT_MARKDOWN.format(out=str(out)), encoding="utf-8")
    result = run_cli("build", "--site-dir", str(tmp_path / "site"), cwd=project)
    assert result.returncode == 0, result.stderr
    # docs/ holds two pages, index.md and about.md; the plugin generates about ninety more.
    hand_written = sorted(p.name for p in (project / "docs").glob("*.md"))
    assert hand_written == ["about.md", "index.md"]
    converted = json.loads(out.read_text(encoding="utf-8"))
    assert len(converted) == 2, converted
    assert (tmp_path / "site" / "patterns" / "back-off" / "index.html").is_file()


def test_generated_pages_keep_the_titles_the_nav_gives_them(built_site):
    home = (built_site / "index.html").read_text(encoding="utf-8")
    # mkdocs.yml names the section "Patterns", which patterns/index.md opens; the page's own title is longer.
    tab = re.search(r'<a href="patterns/" class="md-tabs__link">\s*(.*?)\s*</a>', home, re.S)
    assert tab is not None and tab.group(1) == "Patterns"
    patterns = (built_site / "patterns" / "index.html").read_text(encoding="utf-8")
    assert '<h1 id="resilience-patterns">Resilience patterns<a class="headerlink"' in patterns

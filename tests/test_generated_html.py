"""Article pages are made as HTML, without Markdown; their links are still checked by the strict build."""

from __future__ import annotations

from conftest import ROOT, make_project, run_cli

DROP_TAG_PAGE = '''
def on_files(files, config):
    """Take the generated page of the tag 'aws' away after the plugin made it."""
    files.remove(files.get_file_from_path("tags/aws.md"))
    return files
'''


def test_a_broken_link_in_an_article_page_fails_the_strict_build(tmp_path):
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8") + "\nhooks:\n  - drop_tag_page.py\n"
    project = make_project(tmp_path, config)
    (project / "drop_tag_page.py").write_text(DROP_TAG_PAGE, encoding="utf-8")
    result = run_cli("build", "--site-dir", str(tmp_path / "site"), cwd=project)
    assert result.returncode == 1, result.stderr
    # Article pages never reach Markdown, so this warning is the plugin's own check.
    assert ("Doc file 'articles/aws-re-invent-2020-digest-part-2-27pn-46c2c96548.md' contains a link to "
            "'tags/aws.md', but the target is not found among documentation files.") in result.stderr


def test_article_page_links_lead_where_markdown_led(built_site):
    page = (built_site / "articles" / "incident-postmortem-template-18m7-dd266f544a" / "index.html").read_text()
    # As MkDocs wrote these links from Markdown before (relative, directory URLs, anchors kept).
    assert '<a href="../by-kind/checklist/">checklists and templates</a>' in page
    assert '<a href="../../biases/#confirmation-bias">Confirmation bias</a>' in page
    assert '<a href="../../checklists/postmortem/">the Incident Postmortem Template checklist</a>' in page
    assert "<strong>Patterns mentioned:</strong>" in page

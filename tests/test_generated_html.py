"""Article and listing pages are made as HTML, without Markdown; their links are still checked by the strict build."""

from __future__ import annotations

import pytest

from conftest import ROOT, make_project, run_cli

DROP_PAGE = '''
def on_files(files, config):
    """Take a generated page away after the plugin made it."""
    files.remove(files.get_file_from_path("{page}"))
    return files
'''


@pytest.mark.parametrize("dropped, linking_page", [
    ("tags/aws.md", "articles/aws-re-invent-2020-digest-part-2-27pn-46c2c96548.md"),  # an article page
    ("articles/aws-re-invent-2020-digest-part-2-27pn-46c2c96548.md", "tags/aws.md"),  # a listing
])
def test_a_broken_link_in_a_page_made_as_html_fails_the_strict_build(tmp_path, dropped, linking_page):
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8") + "\nhooks:\n  - drop_page.py\n"
    project = make_project(tmp_path, config)
    (project / "drop_page.py").write_text(DROP_PAGE.replace("{page}", dropped), encoding="utf-8")
    result = run_cli("build", "--site-dir", str(tmp_path / "site"), cwd=project)
    assert result.returncode == 1, result.stderr
    # These pages never reach Markdown, so this warning is the plugin's own check.
    assert (f"Doc file '{linking_page}' contains a link to '{dropped}', but the target is not found among "
            "documentation files.") in result.stderr


def test_article_page_links_lead_where_markdown_led(built_site):
    page = (built_site / "articles" / "incident-postmortem-template-18m7-dd266f544a" / "index.html").read_text()
    # As MkDocs wrote these links from Markdown before (relative, directory URLs, anchors kept).
    assert '<a href="../by-kind/checklist/">checklists and templates</a>' in page
    assert '<a href="../../biases/#confirmation-bias">Confirmation bias</a>' in page
    assert '<a href="../../checklists/postmortem/">the Incident Postmortem Template checklist</a>' in page
    assert "<strong>Patterns mentioned:</strong>" in page

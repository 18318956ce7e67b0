"""Checklist pages in real headless Chromium: printing to PDF, ticks kept in the browser, no JavaScript,
the print layout of each kind of item, Print and the fillable copy, clearing with undo, keyboard focus."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import yaml

EXPECTED = yaml.safe_load((Path(__file__).parent / "expectations" / "checklists.yml").read_text(encoding="utf-8"))
NAVIGATION_ONLY = ("Table of contents", "Material for MkDocs", "Clear my ticks", "Skip to content", "Back to top",
                   "Search")


def letters(text: str) -> str:
    """Text reduced to letters and digits: PDF text breaks lines (and hyphenated words) anywhere."""
    return re.sub(r"[\W_]+", "", text).casefold()


def pdf_pages(browser, url: str, paper: str) -> list[str]:
    from pypdf import PdfReader

    page = browser.new_page()
    try:
        page.goto(url)
        pdf = page.pdf(format=paper, print_background=True)
    finally:
        page.close()
    return [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_printed_orr_has_every_question_whole_and_no_navigation(browser, site_url, paper):
    pages = pdf_pages(browser, site_url + "checklists/orr/", paper)
    assert len(pages) > 3
    flat_pages = [letters(p) for p in pages]
    everything = "".join(flat_pages)
    sections = EXPECTED["orr"]["sections"]
    for section in sections:
        for question in section["items"]:
            # On one page: no question is split across pages.
            assert any(letters(question) in p for p in flat_pages), question
        # A section heading is kept with its first question.
        assert any(letters(section["title"]) in p and letters(section["items"][0]) in p for p in flat_pages)
    for label in NAVIGATION_ONLY:
        assert letters(label) not in everything, label
    words = set(" ".join(pages).split())
    assert not {"Articles", "Patterns", "Tags", "About", "Notes"} & words
    for field in ("Service", "Date", "Participants"):
        assert field in pages[0]
    assert "/patterns/bulkheads/" in "".join(pages)  # links say where they lead


def test_printed_postmortem_has_every_prompt(browser, site_url):
    flat = letters("".join(pdf_pages(browser, site_url + "checklists/postmortem/", "A4")))
    edited = EXPECTED["curated_edits"].values()
    for section in EXPECTED["postmortem"]["sections"]:
        assert letters(section["title"]) in flat
        for prompt in section["items"]:
            assert letters(prompt) in flat or any(letters(e) in flat for e in edited if e[:30] == prompt[:30]), prompt


def test_ticks_are_remembered_counted_and_cleared(browser, site_url):
    context = browser.new_context()
    page = context.new_page()
    url = site_url + "checklists/orr/"
    page.goto(url)
    first = page.locator("#orr-describe-what-your-service-does-from input.rkb-box")
    second = page.locator("#orr-what-is-the-sla-of-the input.rkb-box")
    section = page.locator(".rkb-section").first
    assert section.locator(".rkb-progress").inner_text() == "0 of 5"
    page.get_by_text("Describe what your service does from the customer’s point of view.").click()
    second.check()
    assert section.locator(".rkb-progress").inner_text() == "2 of 5"
    assert page.locator(".rkb-total").inner_text() == "2 of 93 answered"
    page.reload()
    assert first.is_checked() and second.is_checked()
    assert page.locator(".rkb-total").inner_text() == "2 of 93 answered"
    page.get_by_role("button", name="Clear my ticks").click()
    page.get_by_role("button", name="Yes, clear").click()
    assert not first.is_checked() and page.locator(".rkb-total").inner_text() == "0 of 93 answered"
    page.reload()
    assert not first.is_checked() and not second.is_checked()
    context.close()


def test_a_reworded_question_does_not_get_its_old_tick_back(browser, site_url):
    context = browser.new_context()
    page = context.new_page()
    url = site_url + "checklists/orr/"
    page.goto(url)
    revision = page.locator("#orr-what-is-the-sla-of-the").get_attribute("data-rev")
    page.evaluate(
        """([revision]) => localStorage.setItem("resilience-kb:checklist:orr", JSON.stringify({
            "orr-what-is-the-sla-of-the": revision,
            "orr-describe-your-operational-goals-for-the": "stale-wording",
            "orr-a-question-since-removed": "whatever"}))""",
        [revision],
    )
    page.reload()
    assert page.locator("#orr-what-is-the-sla-of-the input.rkb-box").is_checked()
    assert not page.locator("#orr-describe-your-operational-goals-for-the input.rkb-box").is_checked()
    stored = page.evaluate('JSON.parse(localStorage.getItem("resilience-kb:checklist:orr"))')
    assert stored == {"orr-what-is-the-sla-of-the": revision}
    context.close()


def test_without_javascript_the_checklist_is_a_plain_list(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "checklists/orr/")
    assert page.locator("li.rkb-item input[type=checkbox]").count() == 93
    assert page.locator(".rkb-item label").first.inner_text() == \
        "Describe what your service does from the customer’s point of view."
    assert not page.locator(".rkb-toolbar").is_visible()
    assert not page.locator("form.rkb-review").is_visible() and page.locator(".rkb-fill").count() == 0
    page.locator("#orr-what-is-the-sla-of-the input.rkb-box").check()  # still a working checkbox
    assert page.locator("#orr-what-is-the-sla-of-the input.rkb-box").is_checked()
    context.close()

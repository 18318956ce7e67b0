"""The checklist page's "Download fillable copy", in real headless Chromium: `review check` accepts the file."""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from support import make_project, node_tool, run_cli
from ingest.model.reviews import parse_review, write_review

ORR = "checklists/orr/"
SLA = "orr-what-is-the-sla-of-the"
SPOF = "orr-do-you-have-any-single-points"
# What a team might type: Markdown, the format's own labels and headings, quotes, HTML.
ANSWER = "99.9% a month:\n\n- measured at the *load balancer*\nRisk: this line is text\n### not a heading\n<b>x</b> & `y`"


def fill(page, question: str, risk: str, answer: str = "", notes: str = "", reason: str = "") -> None:
    item = page.locator(f"#{question}")
    item.locator("summary").click()
    item.locator("select.rkb-risk").select_option(risk)
    if reason:
        item.locator("input.rkb-reason").fill(reason)
    if answer:
        item.locator("textarea.rkb-answer-text").fill(answer)
    if notes:
        item.locator("textarea.rkb-notes").fill(notes)


def test_the_downloaded_review_is_accepted_by_review_check(browser, site_url, tmp_path):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.goto(site_url + ORR)
    fill(page, SLA, "medium", ANSWER, notes="No error budget yet.")
    fill(page, SPOF, "n/a", reason="the service keeps no state (stateless)")
    page.locator("#orr-describe-each-component-of-your-system input.rkb-box").check()
    form = page.locator("form.rkb-review")
    form.locator("input[name=service]").fill("checkout-api")
    form.locator("input[name=date]").fill("2026-03-02")
    form.locator("input[name=owner]").fill("Ada O'Example")
    form.locator("input[name=participants]").fill("Ada O'Example, Grace, yes")
    assert page.locator(".rkb-total").inner_text() == "3 of 93 answered"  # answering a question ticks it
    with page.expect_download() as caught:
        form.get_by_role("button", name="Download fillable copy").click()
    download = caught.value
    assert download.suggested_filename == "2026-03-02-orr.md"
    saved = tmp_path / "downloads" / download.suggested_filename
    saved.parent.mkdir()
    download.save_as(saved)
    context.close()

    text = saved.read_text(encoding="utf-8")
    project = make_project(tmp_path)
    checked = run_cli("review", "check", str(saved), cwd=project)
    assert checked.returncode == 0, checked.stderr
    filed = project / "reviews" / "checkout-api" / saved.name
    filed.parent.mkdir(parents=True)
    shutil.copy(saved, filed)
    assert run_cli("review", "check", cwd=project).returncode == 0
    review = parse_review(text, saved.name)
    assert write_review(review) == text  # written as the format writes it
    assert (review.service, review.date, review.owner) == ("checkout-api", date(2026, 3, 2), "Ada O'Example")
    assert review.participants == ("Ada O'Example", "Grace", "yes")
    sla, spof = review.answer(SLA), review.answer(SPOF)
    assert (sla.risk, sla.answer, sla.notes) == ("medium", ANSWER, "No error budget yet.")
    assert (spof.risk, spof.reason) == ("n/a", "the service keeps no state (stateless)")
    assert review.answer("orr-describe-each-component-of-your-system").notes == "Ticked on the checklist page."
    assert len(review.answers) == 93 and sum(1 for a in review.answers if a.risk) == 2
    # The same document as the command line writes, but for what was entered.
    made = run_cli("checklist", "orr", "--service", "checkout-api", "--date", "2026-03-02", cwd=project)
    cli = parse_review(made.stdout, "cli.md")
    assert [(a.question, a.text, a.section) for a in cli.answers] == \
        [(a.question, a.text, a.section) for a in review.answers]
    assert (cli.checklist_version, cli.title, cli.preamble) == (review.checklist_version, review.title,
                                                                review.preamble)


def test_what_was_entered_stays_in_the_browser_and_n_a_needs_a_reason(browser, site_url):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.goto(site_url + ORR)
    fill(page, SPOF, "n/a")
    form = page.locator("form.rkb-review")
    form.locator("input[name=service]").fill("checkout-api")
    made = """() => {
        window.made = 0;  // the files the page makes, counted
        if (!window.counting) {
            const make = URL.createObjectURL;
            URL.createObjectURL = blob => (window.made++, make(blob));
            window.counting = true;
        }
    }"""
    page.evaluate(made)
    form.get_by_role("button", name="Download fillable copy").click()
    assert page.evaluate("window.made") == 0  # the click's handler ran (synchronously) and made no file
    reason = page.locator(f"#{SPOF} input.rkb-reason")
    assert reason.evaluate("field => field.validationMessage") == "Say why the question does not apply"
    page.reload()
    assert page.locator(f"#{SPOF} select.rkb-risk").input_value() == "n/a"  # kept in this browser
    assert page.locator(f"#{SPOF} details").get_attribute("open") is not None
    assert page.locator("form.rkb-review input[name=service]").input_value() == "checkout-api"
    page.locator(f"#{SPOF} input.rkb-reason").fill("stateless")
    page.locator("form.rkb-review input[name=service]").fill("Not A Slug")
    page.evaluate(made)
    form.get_by_role("button", name="Download fillable copy").click()
    assert not page.locator("form.rkb-review input[name=service]").evaluate("field => field.validity.valid")
    assert page.evaluate("window.made") == 0
    page.locator("form.rkb-review input[name=service]").fill("checkout-api")
    with page.expect_download():
        form.get_by_role("button", name="Download fillable copy").click()
    assert page.evaluate("window.made") == 1  # and the check counts what it should
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_fields_open_pass_axe_and_work_from_the_keyboard(browser, site_url, scheme):
    axe = node_tool("axe-core/axe.min.js").read_text()
    page = browser.new_page(color_scheme=scheme, bypass_csp=True)  # to inject axe-core (test_browser_site.py)
    page.goto(site_url + ORR)
    page.locator(f"#{SLA} summary").focus()
    page.keyboard.press("Enter")  # opens the fields
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('rkb-risk')")
    page.keyboard.press("ArrowDown")  # unanswered -> high, from the keyboard
    assert page.locator(f"#{SLA} select.rkb-risk").input_value() == "high"
    page.locator(f"#{SPOF} summary").click()
    page.locator(f"#{SPOF} select.rkb-risk").select_option("n/a")
    page.add_script_tag(content=axe)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [f"{v['id']}: {v['nodes'][0]['target']}" for v in result["violations"]
               if v["impact"] in ("serious", "critical")]
    assert serious == []
    page.close()

"""Checklists in use, in real headless Chromium: what prints (no ids, links with their address, room
to write, each kind of item as it is filled in), Print and the fillable copy, clearing that asks and
can be undone, keyboard focus that shows, and axe-core in both colour schemes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from support import node_tool

EXPECTED = yaml.safe_load((Path(__file__).parent / "expectations" / "checklists.yml").read_text(encoding="utf-8"))
ORR, POSTMORTEM = "checklists/orr/", "checklists/postmortem/"
KINDS = EXPECTED["postmortem_kinds"]
BLAME = "Don’t blame individuals or teams."  # the first piece of advice of "Things to avoid"

pytestmark = pytest.mark.slow


def printed(browser, url: str):
    page = browser.new_page(viewport={"width": 800, "height": 1100})
    page.goto(url)
    page.emulate_media(media="print")
    return page


@pytest.mark.parametrize("path", [ORR, POSTMORTEM])
def test_printed_checklist_shows_no_internal_id_and_no_relative_link(browser, site_url, path):
    page = printed(browser, site_url + path)
    ids = page.eval_on_selector_all("li[id]", "items => items.map(i => i.id)")
    assert len(ids) > 50
    text = page.evaluate("document.body.innerText")
    assert [i for i in ids if i in text] == []
    assert page.locator("a.rkb-anchor").first.is_hidden()
    after = page.eval_on_selector_all(".rkb-links a", "links => links.map(a => getComputedStyle(a, '::after').content)")
    assert after, "no See: links"
    # Each is printed with its whole address, where the reader can type it in.
    assert [a for a in after if not a.startswith(f'" ({site_url}')] == []
    for hidden in (".rkb-review", ".rkb-toolbar", "button"):
        assert page.locator(hidden).first.is_hidden(), hidden
    page.close()


def test_printed_links_in_the_pdf_carry_the_site_address(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + ORR)
    text = "".join(re.sub(r"\s+", "", chunk) for chunk in _pdf_text(page.pdf(format="A4")))
    page.close()
    assert re.sub(r"\s+", "", f"({site_url}patterns/bulkheads/)") in text
    assert "(/patterns/" not in text and "(../../patterns" not in text


def _pdf_text(pdf: bytes) -> list[str]:
    import io

    from pypdf import PdfReader
    return [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.parametrize("path", [ORR, POSTMORTEM])
def test_printed_answers_have_room_to_write(browser, site_url, path):
    page = printed(browser, site_url + path)
    line = page.evaluate("""() => {  // the height of one printed line of a question
        const label = document.querySelector("li.rkb-item label, li.rkb-item .rkb-prompt");
        const range = document.createRange(); range.selectNodeContents(label);
        return range.getClientRects()[0].height; }""")
    questions = page.eval_on_selector_all("li[data-kind=question] .rkb-ruled", "r => r.map(e => e.offsetHeight)")
    texts = page.eval_on_selector_all("li[data-kind=text] .rkb-ruled", "r => r.map(e => e.offsetHeight)")
    assert questions and min(questions) >= 4.5 * line, (min(questions), line)
    if path == POSTMORTEM:
        assert len(texts) == len(KINDS["text"]) and min(texts) >= 10 * line, (min(texts), line)
    page.close()


def test_printed_postmortem_has_fields_areas_and_guidance_not_a_yes_no_list(browser, site_url):
    page = printed(browser, site_url + POSTMORTEM)
    for text in KINDS["field"]:
        item = page.locator("li[data-kind]", has_text=text)
        assert item.get_attribute("data-kind") == "field"
        assert item.locator("input[type=checkbox]").count() == 0, text
        line = item.locator(".rkb-answer--field")
        assert line.is_visible() and line.evaluate("e => getComputedStyle(e).borderBottomStyle") == "solid"
        assert not item.get_by_text("Risk").is_visible()
    for text in (BLAME, *KINDS["guidance"]):
        item = page.locator("li[data-kind]", has_text=text)
        assert item.get_attribute("data-kind") == "guidance", text
        assert item.locator("input, textarea, select, .rkb-answer").count() == 0, text
    # A question keeps its box to tick, its answer and its risk.
    question = page.locator("#postmortem-did-a-change-trigger-this-event")
    assert question.locator("input.rkb-box").is_visible() and question.locator(".rkb-risk-box").is_visible()
    page.close()


def test_on_screen_facts_and_advice_have_no_tick_box(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + POSTMORTEM)
    date = page.locator("#postmortem-date-of-the-event")
    assert date.locator("input.rkb-box").count() == 0
    assert date.get_by_role("textbox", name="Date of the event.").is_visible()
    timeline = page.locator("#postmortem-detail-all-major-event-points-with textarea")
    assert timeline.evaluate("e => e.offsetHeight") >= 8 * 16  # a large area to write the timeline in
    blame = page.locator("li[data-kind]", has_text=BLAME)
    assert blame.locator("input, textarea, select, details").count() == 0
    assert page.locator(".rkb-total").inner_text() == "0 of 21 answered"  # the questions only
    page.close()


def test_answer_box_grows_with_the_answer(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + ORR)
    page.locator("#orr-what-is-the-sla-of-the summary").click()
    box = page.locator("#orr-what-is-the-sla-of-the textarea.rkb-answer-text")
    first = box.evaluate("e => e.offsetHeight")
    assert box.evaluate("e => e.rows") >= 5
    box.fill("\n".join(f"line {n}" for n in range(20)))
    grown = box.evaluate("e => e.offsetHeight")
    assert grown > 2 * first and box.evaluate("e => e.scrollHeight <= e.clientHeight + 2")
    page.close()


def test_print_button_prints_from_the_keyboard(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + ORR)
    # (a statement, not an expression: Playwright would call a function the expression gives)
    page.evaluate("() => { window.print = () => { window.printed = (window.printed || 0) + 1; }; }")
    page.get_by_role("button", name="Print").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("window.printed") == 1
    page.close()


@pytest.mark.parametrize("path", [ORR, POSTMORTEM])
def test_download_gives_the_fillable_copy_with_every_question(browser, site_url, path, tmp_path):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.goto(site_url + path)
    page.locator("form.rkb-review input[name=service]").fill("checkout")
    page.get_by_role("button", name="Download fillable copy").focus()
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    text = re.sub(r"\\(.)", r"\1", saved.read_text(encoding="utf-8"))
    context.close()
    checklist_id = path.split("/")[1]
    assert saved.name.endswith(f"-{checklist_id}.md")
    edits = EXPECTED["curated_edits"]
    prompts = [p for s in EXPECTED[checklist_id]["sections"] for p in s["items"]
               if s["title"] not in KINDS["guidance_sections"] and p not in KINDS["guidance"]]
    found = re.findall(r"^### (.*) `([a-z0-9-]+)`$", text, re.MULTILINE)
    assert len(found) == len(prompts) == (93 if checklist_id == "orr" else 36)
    for (heading, item_id), prompt in zip(found, prompts):
        assert heading == edits.get(item_id, prompt)
    if checklist_id == "postmortem":
        assert BLAME in text.split("\n## 1. ")[0]  # advice before the questions, not asked


def test_clearing_asks_first_and_can_be_undone(browser, site_url):
    context = browser.new_context()
    page = context.new_page()
    page.goto(site_url + ORR)
    boxes = page.locator("input.rkb-box")
    for n in (0, 3, 7):
        boxes.nth(n).check()
    before = page.evaluate('localStorage.getItem("resilience-kb:checklist:orr")')
    clear = page.get_by_role("button", name="Clear my ticks")
    clear.click()
    assert page.get_by_text("Clear 3 ticks?").is_visible()
    assert boxes.nth(3).is_checked()  # nothing cleared before the answer
    page.get_by_role("button", name="Cancel").click()
    assert boxes.nth(3).is_checked() and page.evaluate("document.activeElement.textContent") == "Clear my ticks"
    clear.click()
    page.get_by_role("button", name="Yes, clear").click()
    assert [boxes.nth(n).is_checked() for n in (0, 3, 7)] == [False] * 3
    assert page.locator(".rkb-total").inner_text() == "0 of 93 answered"
    assert page.evaluate('localStorage.getItem("resilience-kb:checklist:orr")') == "{}"
    page.get_by_role("button", name="Undo").click()
    assert [boxes.nth(n).is_checked() for n in (0, 3, 7)] == [True] * 3
    assert page.evaluate('localStorage.getItem("resilience-kb:checklist:orr")') == before
    page.reload()
    assert page.locator(".rkb-total").inner_text() == "3 of 93 answered"
    context.close()


def test_clear_is_a_secondary_action(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + ORR)
    page.locator("input.rkb-box").first.check()
    size = page.evaluate("""() => Object.fromEntries(["rkb-print", "rkb-download", "rkb-reset"].map(c => {
        const b = document.querySelector("button." + c).getBoundingClientRect();
        return [c, b.width * b.height]; }))""")
    assert size["rkb-reset"] < size["rkb-print"] / 2 and size["rkb-reset"] < size["rkb-download"] / 2
    order = page.eval_on_selector_all("button.rkb-print, button.rkb-download, button.rkb-reset",
                                      "bs => bs.map(b => b.className.split(' ')[0])")
    assert order == ["rkb-print", "rkb-download", "rkb-reset"]  # the main actions come first
    page.close()


CONTRAST = """(element) => {
    const rgb = text => (text.match(/[\\d.]+/g) || []).map(Number);
    const luminance = ([r, g, b]) => { const c = [r, g, b].map(v => { v /= 255;
        return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]; };
    let node = element, back = null;
    while (node && node.nodeType === 1) {
        const c = rgb(getComputedStyle(node).backgroundColor);
        if (c.length === 3 || (c.length === 4 && c[3] > 0.9)) { back = c.slice(0, 3); break; }
        node = node.parentNode;
    }
    back = back || [255, 255, 255];
    const style = getComputedStyle(element);
    let ring = rgb(style.outlineColor);
    if (ring.length === 4) ring = ring.slice(0, 3).map((v, i) => v * ring[3] + back[i] * (1 - ring[3]));
    const [l1, l2] = [luminance(ring), luminance(back)].sort((a, b) => b - a);
    return {style: style.outlineStyle, width: parseFloat(style.outlineWidth), ratio: (l1 + 0.05) / (l2 + 0.05)};
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_tick_boxes_show_keyboard_focus(browser, site_url, scheme):
    page = browser.new_page(color_scheme=scheme)
    page.goto(site_url + ORR)
    page.locator("#orr-what-is-the-sla-of-the input.rkb-box").focus()
    page.keyboard.press("Shift+Tab")  # back to what comes before it, then Tab onto the box, as a reader does
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('rkb-box')"):
            break
    focused = page.evaluate_handle("document.activeElement")
    assert focused.evaluate("e => e.classList.contains('rkb-box')")
    ring = focused.evaluate(CONTRAST)
    assert ring["style"] not in ("none", "auto") and ring["width"] >= 2, ring
    assert ring["ratio"] >= 3, ring
    page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", [ORR, POSTMORTEM])
def test_checklist_pages_pass_axe(browser, site_url, path, scheme):
    axe = node_tool("axe-core/axe.min.js").read_text()
    page = browser.new_page(color_scheme=scheme, bypass_csp=True)  # to inject axe-core (test_browser_site.py)
    page.goto(site_url + path)
    page.locator("input.rkb-box").first.check()
    page.get_by_role("button", name="Clear my ticks").click()  # with the question asked, too
    page.add_script_tag(content=axe)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [f"{v['id']}: {v['nodes'][0]['target']}" for v in result["violations"]
               if v["impact"] in ("serious", "critical")]
    assert serious == []
    page.close()

/* Checklist pages: an answer, a risk and notes for each question, kept in this browser,
 * and the whole of it downloaded as a review file, ready to commit.
 *
 * The file is the format of ingest/model/review_format.py, written as its writer
 * writes it (the same order, the same escapes), so that `resilience-kb review check`
 * accepts it and reading and writing it back changes nothing. Nothing leaves the
 * browser: the file is made here and saved by the browser's own download.
 * Fields and texts (data-kind) get one box each and no risk; guidance gets nothing.
 * Also here: the Print button, boxes that grow with the answer, and printed links
 * that carry their whole address. Without JavaScript the page is a plain checklist
 * (checklist.js keeps the ticks).
 */
(function () {
  "use strict";

  var RISKS = ["high", "medium", "none", "n/a"];
  // What Python's str.isspace() calls white space, which the reader strips at line ends.
  var TRAILING_SPACE = /[\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/;
  var LEADING_SPACE = /^[\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;
  var ANY_SPACE = /[\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/g;
  // A line the reader would take for a heading or a label gets a backslash (review_format._ESCAPABLE).
  var ESCAPABLE = /^\\*(?:#{1,3}(?:[ \t]|$)|(?:answer|risk|notes|actions)[ \t]*:)/i;
  var INLINE_ACTIVE = /[\\`*_\[\]|{}!#~<>&]/g;
  var ENTITIES = { "<": "&lt;", ">": "&gt;", "&": "&amp;" };
  var YAML_WORDS = /^(?:y|yes|n|no|true|false|on|off|null|~)$/i;

  function squash(text) {
    return String(text || "").split(ANY_SPACE).filter(Boolean).join(" ");
  }

  function normalText(text) {
    var lines = String(text || "").replace(/\r\n?/g, "\n").split("\n").map(function (line) {
      return line.replace(TRAILING_SPACE, "");
    });
    while (lines.length && !lines[0]) lines.shift();
    while (lines.length && !lines[lines.length - 1]) lines.pop();
    if (lines.length) lines[0] = lines[0].replace(LEADING_SPACE, "");
    return lines.join("\n");
  }

  function escapeText(text) {
    return text.split("\n").map(function (line) {
      return ESCAPABLE.test(line) ? "\\" + line : line;
    }).join("\n");
  }

  function inline(text) {
    return squash(text).replace(INLINE_ACTIVE, function (ch) {
      return ENTITIES[ch] || "\\" + ch;
    });
  }

  // A name as YAML reads it back as text: plain where that is plainly safe, else single-quoted.
  function yamlText(text) {
    var value = squash(text).replace(/[\x00-\x08\x0e-\x1f\x7f]/g, "");
    if (/^[A-Za-z\u00c0-\uffff][A-Za-z0-9\u00c0-\uffff .'-]*$/.test(value) && !YAML_WORDS.test(value)) return value;
    return "'" + value.replace(/'/g, "''") + "'";
  }

  function labelled(label, text) {
    var value = normalText(text);
    return value ? label + ": " + escapeText(value) : label + ":";
  }

  function reviewText(root, meta, answers) {
    var title = root.getAttribute("data-title") + ": " + meta.service;
    var participants = meta.participants.split(",").map(squash).filter(Boolean).map(yamlText);
    var blocks = [
      ["---", "service: " + meta.service, "date: " + meta.date,
       squash(meta.owner) ? "owner: " + yamlText(meta.owner) : "owner:",
       "participants: [" + participants.join(", ") + "]", "checklist: " + root.getAttribute("data-checklist"),
       "checklist_version: " + root.getAttribute("data-version"), "---"].join("\n"),
      "# " + inline(title)
    ];
    var guide = normalText(root.getAttribute("data-guide"));
    if (guide) blocks.push(escapeText(guide));
    // Sections of guidance only ask nothing: the file numbers the sections it has, as the writer does.
    var sections = root.querySelectorAll(".rkb-section");
    var number = 0;
    for (var s = 0; s < sections.length; s++) {
      var items = sections[s].querySelectorAll(".rkb-item");
      if (!items.length) continue;
      number++;
      blocks.push(("## " + number + ". " + inline(sections[s].getAttribute("data-title"))).replace(/ +$/, ""));
      for (var i = 0; i < items.length; i++) blocks.push(questionBlock(items[i], answers[items[i].id] || {}));
    }
    return blocks.join("\n\n") + "\n";
  }

  function questionBlock(item, entry) {
    var prompt = item.querySelector(".rkb-prompt");
    var text = inline(prompt ? prompt.textContent : "");
    var risk = RISKS.indexOf(entry.risk) >= 0 ? entry.risk : "";
    var reason = squash(entry.reason);
    var ticked = item.querySelector("input.rkb-box");
    var notes = entry.notes || "";
    if (ticked && ticked.checked && !risk && !normalText(entry.answer) && !normalText(notes)) {
      notes = "Ticked on the checklist page.";  // a tick alone says the question was gone through
    }
    return [
      "### " + (text ? text + " " : "") + "`" + item.id + "`",
      labelled("Answer", entry.answer),
      risk === "n/a" ? "Risk: n/a (" + reason + ")" : ("Risk: " + risk).replace(/ +$/, ""),
      labelled("Notes", notes),
      "Actions:"
    ].join("\n\n");
  }

  // -- the page: a field per question, kept in this browser --------------------------------------

  function storageKey(checklist) {
    return "resilience-kb:review:" + checklist;
  }

  function load(checklist) {
    try {
      var saved = JSON.parse(window.localStorage.getItem(storageKey(checklist)) || "{}");
      return saved && typeof saved === "object" ? saved : {};
    } catch (error) {
      return {};
    }
  }

  function save(checklist, state) {
    try {
      window.localStorage.setItem(storageKey(checklist), JSON.stringify(state));
    } catch (error) {
      /* storage full or disabled: what was entered lasts for this visit only */
    }
  }

  function element(tag, attributes, children) {
    var node = document.createElement(tag);
    for (var name in attributes) node.setAttribute(name, attributes[name]);
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  // A text box that grows with what is written in it, so that a long answer is read whole.
  function growing(rows, className) {
    var box = element("textarea", { rows: String(rows), "class": className });
    function fit() {
      if (!box.offsetParent) return;  // not shown (a closed answer): measured when opened
      box.style.height = "auto";
      box.style.height = box.scrollHeight + 2 + "px";
    }
    box.addEventListener("input", fit);
    box.fit = fit;
    return box;
  }

  // A fact (one line) or a text (a large area): written under the prompt, with no risk to rate.
  function writtenField(item, entry, changed) {
    var kind = item.getAttribute("data-kind");
    var field = kind === "field"
      ? element("input", { type: "text", "class": "rkb-answer-text" })
      : growing(8, "rkb-answer-text");
    field.setAttribute("aria-labelledby", "prompt-" + item.id);
    field.value = entry.answer || "";
    field.addEventListener("input", function () {
      changed(item, { answer: field.value, risk: "", reason: "", notes: entry.notes || "" });
    });
    return element("div", { "class": "rkb-fill rkb-fill--" + kind }, [field]);
  }

  function fields(item, entry, changed) {
    if (item.getAttribute("data-kind") === "field" || item.getAttribute("data-kind") === "text") {
      return writtenField(item, entry, changed);
    }
    var select = element("select", { "class": "rkb-risk" }, [element("option", { value: "" }, ["unanswered"])]);
    RISKS.forEach(function (risk) {
      select.appendChild(element("option", { value: risk }, [risk]));
    });
    select.value = entry.risk || "";
    var reason = element("input", { type: "text", "class": "rkb-reason", value: entry.reason || "" });
    reason.required = true;  // checked only while shown: 'n/a' needs its reason
    var reasonLabel = element("label", {}, ["Why it does not apply ", reason]);
    reasonLabel.hidden = select.value !== "n/a";
    var answer = growing(5, "rkb-answer-text");
    answer.value = entry.answer || "";
    var notes = growing(3, "rkb-notes");
    notes.value = entry.notes || "";
    var details = element("details", { "class": "rkb-fill" }, [
      element("summary", {}, ["Answer, risk and notes"]),
      element("label", {}, ["Risk ", select]), reasonLabel,
      element("label", {}, ["Answer ", answer]), element("label", {}, ["Notes ", notes])
    ]);
    details.open = Boolean(entry.risk || entry.answer || entry.notes);
    details.addEventListener("toggle", function () { answer.fit(); notes.fit(); });
    function read() {
      reasonLabel.hidden = select.value !== "n/a";
      changed(item, { risk: select.value, reason: reason.value, answer: answer.value, notes: notes.value });
    }
    [select, reason, answer, notes].forEach(function (field) {
      field.addEventListener("input", read);
      field.addEventListener("change", read);
    });
    return details;
  }

  // On paper a link says where it leads: the site's address when the build knew it, else this page's.
  function printableLinks(root) {
    var links = root.querySelectorAll("a[data-print]");
    for (var i = 0; i < links.length; i++) {
      if (links[i].getAttribute("data-print").charAt(0) === "/" && /^https?:/.test(links[i].href)) {
        links[i].setAttribute("data-print", links[i].href);
      }
    }
  }

  function setUp(root) {
    var form = root.querySelector("form.rkb-review");
    if (!form) return;
    var checklist = root.getAttribute("data-checklist");
    var state = load(checklist);
    state.answers = state.answers && typeof state.answers === "object" ? state.answers : {};
    state.meta = state.meta && typeof state.meta === "object" ? state.meta : {};
    function changed(item, entry) {
      state.answers[item.id] = entry;
      var box = item.querySelector("input.rkb-box");
      if (box && !box.checked && (entry.risk || normalText(entry.answer))) {
        box.checked = true;  // an answered question counts as ticked (checklist.js saves and counts it)
        box.dispatchEvent(new Event("change", { bubbles: true }));
      }
      save(checklist, state);
    }
    var items = root.querySelectorAll(".rkb-item");
    for (var i = 0; i < items.length; i++) {
      items[i].appendChild(fields(items[i], state.answers[items[i].id] || {}, changed));
    }
    var inputs = form.querySelectorAll("input.rkb-meta");
    for (var j = 0; j < inputs.length; j++) {
      var input = inputs[j];
      input.value = state.meta[input.name] || (input.name === "date" ? new Date().toISOString().slice(0, 10) : "");
      input.addEventListener("change", function (event) {
        state.meta[event.target.name] = event.target.value;
        save(checklist, state);
      });
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!form.reportValidity() || !reasonsGiven(root)) return;
      var meta = {};
      for (var k = 0; k < inputs.length; k++) meta[inputs[k].name] = inputs[k].value;
      download(meta.date + "-" + checklist + ".md", reviewText(root, meta, state.answers));
    });
    var print = form.querySelector(".rkb-print");
    if (print) print.addEventListener("click", function () { window.print(); });
    printableLinks(root);
    form.hidden = false;
    var grown = root.querySelectorAll("textarea");
    for (var g = 0; g < grown.length; g++) if (grown[g].fit) grown[g].fit();
  }

  // Each 'n/a' has its reason, or its field is opened and says so.
  function reasonsGiven(root) {
    var reasons = root.querySelectorAll("input.rkb-reason");
    for (var i = 0; i < reasons.length; i++) {
      var label = reasons[i].parentNode;
      if (!label.hidden && !squash(reasons[i].value)) {
        label.parentNode.open = true;
        reasons[i].setCustomValidity("Say why the question does not apply");
        reasons[i].reportValidity();
        reasons[i].addEventListener("input", function (event) { event.target.setCustomValidity(""); }, { once: true });
        return false;
      }
    }
    return true;
  }

  function download(name, text) {
    var url = URL.createObjectURL(new Blob([text], { type: "text/markdown;charset=utf-8" }));
    var link = element("a", { href: url, download: name });
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 0);
  }

  function start() {
    var roots = document.querySelectorAll(".rkb-checklist[data-checklist]");
    for (var i = 0; i < roots.length; i++) setUp(roots[i]);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

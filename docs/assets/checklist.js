/* Checklist pages: remember ticks in this browser, count progress, clear on request.
 *
 * Ticks are stored per checklist, per item id, with the item's revision (a hash
 * of its wording): when a question is reworded, its old tick is not restored.
 * Clearing asks first ("Clear 12 ticks? Yes / Cancel") and can be undone: Undo
 * puts back what storage held before. Without JavaScript the checklist is a plain
 * list of checkboxes. review.js adds the answers and the review file to download.
 */
(function () {
  "use strict";

  function storageKey(checklist) {
    return "resilience-kb:checklist:" + checklist;
  }

  function load(checklist) {
    try {
      var saved = JSON.parse(window.localStorage.getItem(storageKey(checklist)) || "{}");
      return saved && typeof saved === "object" ? saved : {};
    } catch (error) {
      return {}; // storage disabled or damaged: start empty
    }
  }

  function save(checklist, ticks) {
    try {
      window.localStorage.setItem(storageKey(checklist), JSON.stringify(ticks));
    } catch (error) {
      /* storage full or disabled: ticks last for this visit only */
    }
  }

  function count(scope) {
    var boxes = scope.querySelectorAll("input.rkb-box");
    var done = 0;
    for (var i = 0; i < boxes.length; i++) {
      if (boxes[i].checked) done++;
    }
    return { done: done, total: boxes.length };
  }

  function update(root) {
    var sections = root.querySelectorAll(".rkb-section");
    for (var i = 0; i < sections.length; i++) {
      var c = count(sections[i]);
      var progress = sections[i].querySelector(".rkb-progress");
      if (progress) progress.textContent = c.total ? c.done + " of " + c.total : "";
      sections[i].classList.toggle("rkb-section--done", c.total > 0 && c.done === c.total);
    }
    var all = count(root);
    var total = root.querySelector(".rkb-total");
    var noun = root.getAttribute("data-done") || "answered";
    if (total) total.textContent = all.done + " of " + all.total + " " + noun;
    var reset = root.querySelector(".rkb-reset");
    if (reset) reset.disabled = all.done === 0 && !reset.getAttribute("aria-expanded");
    return all;
  }

  function button(text, className) {
    var node = document.createElement("button");
    node.type = "button";
    node.className = className;
    node.textContent = text;
    return node;
  }

  // Ticks as storage holds them, and the boxes made to agree with it.
  function apply(root, stored) {
    var items = root.querySelectorAll(".rkb-item");
    var ticks = {};
    for (var i = 0; i < items.length; i++) {
      var box = items[i].querySelector("input.rkb-box");
      if (!box) continue;
      box.checked = stored[items[i].id] === items[i].getAttribute("data-rev");
      if (box.checked) ticks[items[i].id] = stored[items[i].id];
    }
    return ticks;
  }

  function setUp(root) {
    var checklist = root.getAttribute("data-checklist");
    var ticks = apply(root, load(checklist));
    var items = root.querySelectorAll(".rkb-item");
    for (var i = 0; i < items.length; i++) {
      var box = items[i].querySelector("input.rkb-box");
      if (!box) continue;
      box.addEventListener("change", (function (id, rev) {
        return function (event) {
          if (event.target.checked) ticks[id] = rev; else delete ticks[id];
          save(checklist, ticks);
          update(root);
        };
      })(items[i].id, items[i].getAttribute("data-rev")));
    }
    save(checklist, ticks);  // forget ticks of questions removed or reworded
    var toolbar = root.querySelector(".rkb-toolbar");
    if (toolbar) toolbar.hidden = false;
    var reset = root.querySelector(".rkb-reset");
    var confirm = root.querySelector(".rkb-confirm");
    if (reset && !confirm) {
      confirm = document.createElement("span");
      confirm.className = "rkb-confirm";
      confirm.setAttribute("role", "status");
      reset.parentNode.insertBefore(confirm, reset.nextSibling);
    }
    if (reset) {
      setUpClearing(root, reset, confirm, {
        get: function () { return load(checklist); },
        set: function (stored) { ticks = apply(root, stored); save(checklist, ticks); update(root); }
      });
    }
    update(root);
  }

  // "Clear my ticks": ask, clear, and offer to undo, in a live region next to the button.
  function setUpClearing(root, reset, confirm, state) {
    function show(message, buttons) {
      confirm.textContent = message + " ";
      buttons.forEach(function (b) { confirm.appendChild(b); confirm.appendChild(document.createTextNode(" ")); });
    }
    function close(focus) {
      confirm.textContent = "";
      reset.removeAttribute("aria-expanded");
      update(root);
      if (focus) reset.focus();
    }
    reset.addEventListener("click", function () {
      var n = count(root).done;
      if (!n) return;
      var yes = button("Yes, clear", "rkb-yes");
      var cancel = button("Cancel", "rkb-cancel");
      reset.setAttribute("aria-expanded", "true");
      show("Clear " + n + (n === 1 ? " tick?" : " ticks?"), [yes, cancel]);
      cancel.addEventListener("click", function () { close(true); });
      yes.addEventListener("click", function () {
        var before = JSON.parse(JSON.stringify(state.get()));
        state.set({});
        var undo = button("Undo", "rkb-undo");
        show("Cleared " + n + (n === 1 ? " tick." : " ticks."), [undo]);
        reset.removeAttribute("aria-expanded");
        update(root);
        undo.addEventListener("click", function () {
          state.set(before);
          confirm.textContent = "Ticks restored.";
          reset.focus();
        });
        undo.focus();
      });
      cancel.focus();
    });
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

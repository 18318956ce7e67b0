/* Checklist pages: remember ticks in this browser, count progress, clear on request.
 *
 * Ticks are stored per checklist, per item id, with the item's revision (a hash
 * of its wording): when a question is reworded, its old tick is not restored.
 * Without JavaScript the checklist is a plain list of checkboxes. review.js adds
 * the answers and the review file to download.
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
      if (progress) progress.textContent = c.done + " of " + c.total;
      sections[i].classList.toggle("rkb-section--done", c.total > 0 && c.done === c.total);
    }
    var all = count(root);
    var total = root.querySelector(".rkb-total");
    var noun = root.getAttribute("data-done") || "answered";
    if (total) total.textContent = all.done + " of " + all.total + " " + noun;
  }

  function setUp(root) {
    var checklist = root.getAttribute("data-checklist");
    var stored = load(checklist);
    var ticks = {};
    var items = root.querySelectorAll(".rkb-item");
    for (var i = 0; i < items.length; i++) {
      var item = items[i];
      var box = item.querySelector("input.rkb-box");
      if (!box) continue;
      var revision = item.getAttribute("data-rev");
      // Keep only ticks of items that still exist with the same wording.
      if (stored[item.id] === revision) {
        box.checked = true;
        ticks[item.id] = revision;
      }
      box.addEventListener("change", (function (id, rev) {
        return function (event) {
          if (event.target.checked) ticks[id] = rev; else delete ticks[id];
          save(checklist, ticks);
          update(root);
        };
      })(item.id, revision));
    }
    save(checklist, ticks);
    var toolbar = root.querySelector(".rkb-toolbar");
    if (toolbar) toolbar.hidden = false;
    var reset = root.querySelector(".rkb-reset");
    if (reset) {
      reset.addEventListener("click", function () {
        var boxes = root.querySelectorAll("input.rkb-box");
        for (var j = 0; j < boxes.length; j++) boxes[j].checked = false;
        ticks = {};
        save(checklist, ticks);
        update(root);
      });
    }
    update(root);
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

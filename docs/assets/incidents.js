/* The Incidents pages' filter: choose a service, severity, type, pattern or bias; the list shows
 * only the incidents that match every choice.
 *
 * The list is whole in the page (ingest/site/incident_pages.py): without JavaScript the form stays
 * hidden and every incident is shown. Each select names the column it looks in (data-column), whose
 * cells list their values between ", " as the reader sees them; this script hides the rows that do
 * not match, says in a status line how many it shows and for what (read out by
 * screen readers), and keeps the choice in the address (?service=a&severity=sev2), so a filtered
 * list can be shared and the Back button returns to it.
 */
(function () {
  "use strict";

  function chosen(form) {
    return Array.prototype.map.call(form.querySelectorAll("select"), function (select) {
      var option = select.options[select.selectedIndex];
      return { name: select.name, value: select.value, column: Number(select.getAttribute("data-column")),
               label: select.parentNode.firstChild.textContent.trim(), text: option ? option.textContent : "" };
    }).filter(function (choice) { return choice.value; });
  }

  function apply(form, table, status) {
    var choices = chosen(form);
    var rows = table.tBodies[0].rows;
    var shown = 0;
    Array.prototype.forEach.call(rows, function (row) {
      var match = choices.every(function (choice) {
        var cell = row.cells[choice.column];
        return !!cell && cell.textContent.split(", ").indexOf(choice.value) !== -1;
      });
      row.hidden = !match;
      if (match) shown += 1;
    });
    var noun = form.getAttribute("data-noun");
    status.textContent = choices.length
      ? "Showing " + shown + " of " + rows.length + " " + noun + ": " + choices.map(function (choice) {
          return choice.label.toLowerCase() + " " + choice.text;
        }).join(", ") + "."
      : "Showing all " + rows.length + " " + noun + ".";
    return choices;
  }

  function remember(choices) {
    var query = new URLSearchParams();
    choices.forEach(function (choice) { query.set(choice.name, choice.value); });
    var search = query.toString();
    history.replaceState(null, "", location.pathname + (search ? "?" + search : "") + location.hash);
  }

  function restore(form) {
    var query = new URLSearchParams(location.search);
    Array.prototype.forEach.call(form.querySelectorAll("select"), function (select) {
      var wanted = query.get(select.name);
      var known = Array.prototype.some.call(select.options, function (o) { return o.value === wanted; });
      select.value = wanted && known ? wanted : "";
    });
  }

  function start(form) {
    var table = document.getElementById(form.getAttribute("data-rkb-filter"));
    var status = document.getElementById(form.getAttribute("data-rkb-filter") + "-status");
    if (!table || !status || !table.tBodies.length) return;
    form.hidden = false;
    restore(form);
    apply(form, table, status);
    form.addEventListener("change", function () { remember(apply(form, table, status)); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("reset", function () {
      setTimeout(function () { remember(apply(form, table, status)); }, 0);  // after the form is reset
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-rkb-filter]"), start);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

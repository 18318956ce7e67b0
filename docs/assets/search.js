/* Search with Pagefind, in the header, loaded when a reader opens it.
 *
 * Every page carries only this file and a plain search box. Pagefind's interface
 * (pagefind-ui.js and .css, about 135 kB) and its engine load the first time the
 * box is focused or clicked, "/" or "s" is pressed, or the page is opened with
 * ?q=words: a reader who never searches never downloads them. Pagefind splits
 * its index into small chunks: a query downloads only the few it needs.
 *
 * Each result shows its kind (article, pattern, checklist, note…), and for an
 * article its source and date: Pagefind metadata the site writes on each page
 * (ingest/site/search_marks.py), shown by Pagefind's interface under the title.
 */
(function () {
  "use strict";

  var host = document.getElementById("rkb-search");
  if (!host) return;
  var LABEL = "Search the knowledge base";
  // Ranking: Pagefind's defaults but for the page's length, which counts less (0.75 by default),
  // so that a long article about a topic is not outranked by a short page that only names it
  // (measured on 20 labelled queries: tests/expectations/search_queries.yml, DESIGN.md).
  var RANKING = { pageLength: 0.2 };

  var header = document.querySelector(".md-header__inner");
  if (header) header.insertBefore(host, header.querySelector(".md-header__source"));

  // Result URLs are relative to where the site is served (a GitHub Pages project
  // site lives under /<repository>/), which the bundle's own address tells.
  var bundle = new URL(host.getAttribute("data-bundle"), window.location.href).pathname;
  var baseUrl = bundle.replace(/pagefind\/$/, "");
  // A large site is indexed in several bundles; Pagefind merges their results into one list.
  var merge = (host.getAttribute("data-merge") || "").split(" ").filter(Boolean).map(function (path) {
    return { bundlePath: new URL(path, window.location.href).pathname, baseUrl: baseUrl };
  });

  // The box shown until search is opened: the same place, label and look as Pagefind's.
  var start = document.createElement("input");
  start.type = "search";
  start.className = "rkb-search__start pagefind-ui__search-input";
  start.placeholder = LABEL;
  start.setAttribute("aria-label", LABEL);
  start.autocomplete = "off";
  host.appendChild(start);
  host.hidden = false;

  var opening = null;

  function load(tag, attributes) {
    return new Promise(function (resolve, reject) {
      var element = document.createElement(tag);
      Object.keys(attributes).forEach(function (name) { element.setAttribute(name, attributes[name]); });
      element.onload = resolve;
      element.onerror = function () { reject(new Error("cannot load " + (attributes.src || attributes.href))); };
      document.head.appendChild(element);
    });
  }

  // Pagefind's interface in place of the plain box, with what was typed there; resolves to its input.
  function open() {
    if (opening) return opening;
    opening = Promise.all([
      load("link", { rel: "stylesheet", href: bundle + "pagefind-ui.css" }),
      load("script", { src: bundle + "pagefind-ui.js" })
    ]).then(function () {
      var typed = start.value;
      var hadFocus = document.activeElement === start;
      var ui = new window.PagefindUI({
        element: host,
        bundlePath: bundle,
        baseUrl: baseUrl,
        mergeIndex: merge,
        ranking: RANKING,
        showSubResults: true,
        showImages: false,
        resetStyles: false,
        translations: { placeholder: LABEL }
      });
      start.remove();
      var input = host.querySelector(".pagefind-ui__search-input");
      input.setAttribute("aria-label", LABEL);  // Pagefind's box has a placeholder but no label
      watchCount();
      if (typed) ui.triggerSearch(typed);
      if (hadFocus) input.focus();
      return input;
    });
    return opening;
  }

  // The "N results for …" line is said aloud when it changes.
  function watchCount() {
    new MutationObserver(function () {
      var message = host.querySelector(".pagefind-ui__message");
      if (message && !message.hasAttribute("aria-live")) {
        message.setAttribute("role", "status");
        message.setAttribute("aria-live", "polite");
      }
    }).observe(host, { childList: true, subtree: true });
  }

  function openAndFocus() {
    open().then(function (input) { input.focus(); });
  }

  start.addEventListener("focus", open);
  start.addEventListener("pointerdown", open);

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (!typing && !event.ctrlKey && !event.metaKey && !event.altKey && (event.key === "/" || event.key === "s")) {
      event.preventDefault();
      start.focus();
      openAndFocus();
    }
  });

  var query = new URLSearchParams(window.location.search).get("q");
  if (query) {
    start.value = query;
    openAndFocus();
  }

  // The engine the box uses, with the same ranking and bundles, for scripts and tests that search.
  var engine = null;
  window.rkbSearch = {
    open: open,
    engine: function () {
      if (!engine) {
        engine = import(bundle + "pagefind.js").then(function (pagefind) {
          return pagefind.options({ baseUrl: baseUrl, ranking: RANKING }).then(function () {
            return Promise.all(merge.map(function (m) {
              return pagefind.mergeIndex(m.bundlePath, { baseUrl: m.baseUrl });
            }));
          }).then(function () { return pagefind; });
        });
      }
      return engine;
    }
  };
})();

/* Search with Pagefind, in the header.
 *
 * Pagefind splits its index into small chunks: the first query downloads its
 * engine and the few chunks the query needs, not the whole archive's text.
 * "/" or "s" anywhere on the page moves the focus to the search box.
 */
(function () {
  "use strict";

  var host = document.getElementById("rkb-search");
  if (!host || typeof window.PagefindUI === "undefined") return;

  var header = document.querySelector(".md-header__inner");
  if (header) header.insertBefore(host, header.querySelector(".md-header__source"));
  host.hidden = false;

  // Result URLs are relative to where the site is served (a GitHub Pages project
  // site lives under /<repository>/), which the bundle's own address tells.
  var bundle = new URL(host.getAttribute("data-bundle"), window.location.href).pathname;
  var baseUrl = bundle.replace(/pagefind\/$/, "");
  // A large site is indexed in several bundles; Pagefind merges their results into one list.
  var merge = (host.getAttribute("data-merge") || "").split(" ").filter(Boolean).map(function (path) {
    return { bundlePath: new URL(path, window.location.href).pathname, baseUrl: baseUrl };
  });
  new window.PagefindUI({
    element: host,
    bundlePath: bundle,
    baseUrl: baseUrl,
    mergeIndex: merge,
    showSubResults: true,
    showImages: false,
    resetStyles: false,
    translations: { placeholder: "Search the knowledge base" }
  });

  // Pagefind's box has a placeholder and a title but no label (axe-core: label-title-only).
  function label() {
    var input = host.querySelector("input");
    if (input && !input.hasAttribute("aria-label")) input.setAttribute("aria-label", "Search the knowledge base");
    return Boolean(input);
  }
  if (!label()) new MutationObserver(function (changes, observer) { if (label()) observer.disconnect(); })
    .observe(host, { childList: true, subtree: true });

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (!typing && !event.ctrlKey && !event.metaKey && !event.altKey && (event.key === "/" || event.key === "s")) {
      var input = host.querySelector("input");
      if (input) {
        event.preventDefault();
        input.focus();
      }
    }
  });
})();

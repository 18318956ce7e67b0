// An article image that does not load (offline, behind a firewall, a blog gone) gives way to its
// alt text on one line, or to nothing when it is decorative (alt=""), instead of a blank box the
// size its width and height reserved. (A script of the site's own: the policy allows no inline handler.)
(function () {
  "use strict";

  // A failed image above the passage a link landed on ("in context", #id) shrinks to a line and would
  // pull the passage up under the header: until the reader scrolls, the passage is brought back.
  var readerMoved = false;
  ["wheel", "touchmove", "keydown", "mousedown"].forEach(function (name) {
    window.addEventListener(name, function () { readerMoved = true; }, { passive: true, once: true });
  });
  var pending = false;

  function keepTarget() {
    if (pending || readerMoved || location.hash.length < 2) return;
    pending = true;
    requestAnimationFrame(function () {
      pending = false;
      var id;
      try { id = decodeURIComponent(location.hash.slice(1)); } catch (e) { return; }
      var target = document.getElementById(id);
      if (target && !readerMoved) target.scrollIntoView({ block: "start" });
    });
  }

  function markFailed(img) {
    img.classList.add("rkb-image-failed");
    keepTarget();
  }

  document.addEventListener("error", function (event) {
    var target = event.target;
    if (target instanceof HTMLImageElement && target.closest("article")) {
      markFailed(target);
    }
  }, true);

  function sweep() {  // the images that failed before this script ran
    document.querySelectorAll("article img").forEach(function (img) {
      if (img.complete && img.naturalWidth === 0 && img.getAttribute("src")) {
        markFailed(img);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", sweep);
  } else {
    sweep();
  }
})();

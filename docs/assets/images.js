// An article image that does not load (offline, behind a firewall, a blog gone) gives way to its
// alt text on one line, or to nothing when it is decorative (alt=""), instead of a blank box the
// size its width and height reserved. (A script of the site's own: the policy allows no inline handler.)
(function () {
  "use strict";

  function markFailed(img) {
    img.classList.add("rkb-image-failed");
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

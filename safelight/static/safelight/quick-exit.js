// Quick exit, enhanced. Without JavaScript the button is an ordinary link to a neutral site.
// With it: the page is blanked at once, the neutral site replaces this page in the browser's
// history (so "Back" does not return here), and pressing Escape twice does the same.
(function () {
  "use strict";
  function leave(url) {
    document.title = "";
    document.body.innerHTML = "";
    window.location.replace(url);
  }
  var link = document.querySelector("[data-quick-exit]");
  if (!link) { return; }
  var url = link.getAttribute("href");
  link.addEventListener("click", function (event) {
    event.preventDefault();
    leave(url);
  });
  var lastEscape = 0;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var now = Date.now();
    if (now - lastEscape < 1000) { leave(url); }
    lastEscape = now;
  });
})();

// Quick exit, enhanced. Without JavaScript the button is an ordinary link to the exit address,
// which ends every reporter-side session of this browser (draft, follow-up, locker) and then
// sends it to the neutral site. With JavaScript, on a click or Escape pressed twice: the page is
// blanked at once, the ending is sent to the exit address as a beacon (it completes after the
// page has gone), and the neutral site replaces this page in the browser's history, so "Back"
// does not return here; pages reached by Back find no session and show nothing.
(function () {
  "use strict";
  var link = document.querySelector("[data-quick-exit]");
  if (!link) { return; }
  var exitUrl = link.getAttribute("data-exit-url");
  var neutralUrl = link.getAttribute("data-neutral-url");
  var leaving = false;

  function sendEnding() {
    if (!exitUrl || !navigator.sendBeacon) { return false; }
    try {
      var body = new URLSearchParams();
      body.append("via", "beacon");
      return navigator.sendBeacon(exitUrl, body);
    } catch (error) {
      return false;
    }
  }

  function leave() {
    if (leaving) { return; }
    leaving = true;
    document.title = "";
    document.body.innerHTML = "";
    if (neutralUrl && sendEnding()) {
      window.location.replace(neutralUrl);
    } else {
      // No beacon: go through the exit address itself, which redirects to the neutral site.
      window.location.replace(link.getAttribute("href"));
    }
  }

  link.addEventListener("click", function (event) {
    event.preventDefault();
    leave();
  });
  var lastEscape = 0;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var now = Date.now();
    if (now - lastEscape < 1000) { leave(); }
    lastEscape = now;
  });
})();

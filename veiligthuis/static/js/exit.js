/* "Exit this page" (after the GOV.UK Design System pattern) for the participant's pages.
 *
 * The button and the first skip link work as plain links without this script. With it, a click
 * or pressing Shift three times on its own hides the page at once and replaces it in the
 * history with our exit address, which ends her session and sends her to a neutral site; so
 * Back does not bring the form back.
 */
(function () {
  "use strict";

  var SHIFT_PRESSES = 3;
  var WINDOW_MS = 5000;
  var presses = 0;
  var timer = null;

  function exitUrl() {
    var link = document.querySelector("[data-exit]");
    return link ? link.href : "/e/weg";
  }

  function leave(event) {
    if (event) {
      event.preventDefault();
    }
    document.documentElement.classList.add("exit-hidden");
    document.title = "";
    window.location.replace(exitUrl());
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    var link = target && target.closest ? target.closest("[data-exit]") : null;
    if (link) {
      leave(event);
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Shift") {
      presses = 0;
      return;
    }
    if (event.repeat) {
      return;
    }
    presses += 1;
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      presses = 0;
    }, WINDOW_MS);
    if (presses >= SHIFT_PRESSES) {
      presses = 0;
      leave();
    }
  });
}());

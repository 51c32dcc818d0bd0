/* The participant's pages: "exit this page" (after the GOV.UK Design System pattern), and the
 * code from a QR slip's #fragment.
 *
 * The exit is a real button in a form posting to our exit address, so Space, Enter and a tap
 * work without this script. With it, the button or pressing Shift three times hides the page at
 * once and replaces it in the history with the exit address, which ends her form session and
 * sends her to a neutral site; Back then asks the server again, which shows nothing of the form.
 *
 * A slip's QR code opens /e#CODE: the fragment never reaches a server or a log. The script
 * removes it from the history entry and posts the code; without script she types it.
 */
(function () {
  "use strict";

  var SHIFT_PRESSES = 3;
  var WINDOW_MS = 5000;
  var presses = 0;
  var timer = null;
  var root = document.documentElement;

  root.classList.add("js");

  function exitUrl() {
    var form = document.querySelector("[data-exit-form]");
    return form ? form.action : "/e/weg";
  }

  function leave(event) {
    if (event) {
      event.preventDefault();
    }
    root.classList.add("exit-hidden");
    document.title = "";
    window.location.replace(exitUrl());
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target && target.closest && target.closest("[data-exit]")) {
      leave(event);
    }
  });

  document.addEventListener("submit", function (event) {
    if (event.target && event.target.hasAttribute("data-exit-form")) {
      leave(event);
    }
  });

  document.addEventListener("keydown", function (event) {
    root.classList.add("keyboard");  // she has a keyboard: the Shift hint may show
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

  function postCodeFromFragment() {
    var form = document.getElementById("code-form");
    var code = decodeURIComponent(window.location.hash.slice(1));
    if (!code) {
      return;
    }
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
    if (form && /^[0-9A-Za-z-]{10,12}$/.test(code)) {
      form.elements.code.value = code;
      form.submit();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", postCodeFromFragment);
  } else {
    postCodeFromFragment();
  }
}());

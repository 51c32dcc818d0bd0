// Staff pages: after a failed form the error summary (or a refusal at the top) takes focus,
// so a colleague sees at once what went wrong, wherever on the page the form was.
document.addEventListener("DOMContentLoaded", function () {
  var target = document.querySelector(".error-summary, .flash-error");
  if (!target) return;
  if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
  target.scrollIntoView({ block: "start" });
  target.focus({ preventScroll: true });
});

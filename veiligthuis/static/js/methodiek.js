// The work-form table: keep the running total of minutes up to date while typing.
// The server computes and shows the same total; this only saves a round trip.
(function () {
  "use strict";
  var total = document.getElementById("minutes-total");
  if (!total) { return; }
  var status = document.getElementById("minutes-status");
  var target = parseInt(total.getAttribute("data-target"), 10) || 150;
  var inputs = document.querySelectorAll("table.activities input.minutes");

  function update() {
    var sum = 0;
    inputs.forEach(function (input) {
      var value = parseInt(input.value, 10);
      if (!isNaN(value) && value > 0) { sum += value; }
    });
    total.textContent = String(sum);
    total.classList.toggle("ok", sum === target);
    total.classList.toggle("bad", sum !== target);
    if (status) {
      if (sum === target) {
        status.textContent = "precies " + target + " minuten";
      } else if (sum < target) {
        status.textContent = "nog " + (target - sum) + " minuten te verdelen";
      } else {
        status.textContent = (sum - target) + " minuten te veel";
      }
    }
  }

  inputs.forEach(function (input) { input.addEventListener("input", update); });
})();

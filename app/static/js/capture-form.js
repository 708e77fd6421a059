// Conveniences for the capture pages; everything works without this file.
// - shows the − / + buttons of [data-stepper] number inputs and makes them step
// - fills the device time into [data-device-time] once, when the page opens
//   (once, so sending the same form twice stays the same submission)
// - shows [data-print] buttons and prints the page with them
(function () {
  "use strict";
  document.querySelectorAll("[data-stepper]").forEach(function (box) {
    var input = box.querySelector("input[type=number]");
    if (!input) return;
    box.querySelectorAll("button[data-step]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var step = parseInt(button.getAttribute("data-step"), 10);
        var min = parseInt(input.min || "1", 10);
        var max = parseInt(input.max || "100000", 10);
        var value = parseInt(input.value, 10);
        if (isNaN(value)) value = min;
        input.value = String(Math.min(max, Math.max(min, value + step)));
        input.dispatchEvent(new Event("input", { bubbles: true }));
        input.dispatchEvent(new Event("change", { bubbles: true }));
      });
    });
  });
  document.querySelectorAll("input[data-device-time]").forEach(function (input) {
    if (!input.value) input.value = new Date().toISOString();
    // offline-queue.js clears the form for the next need: a new need, a new time
    if (input.form) {
      input.form.addEventListener("sauti:form-reset", function () {
        input.value = new Date().toISOString();
      });
    }
  });
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();

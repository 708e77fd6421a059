// Conveniences for the capture pages; everything works without this file.
// - shows the − / + buttons of [data-stepper] number inputs and makes them step
// - fills the device time into [data-device-time] once, when the page opens
//   (once, so sending the same form twice stays the same submission)
// - shows [data-print] buttons and prints the page with them
// - keeps the totals of [data-totals] attendance tables up to date while typing
// - keeps what was typed in a form[data-draft] when the interface language is
//   changed (sessionStorage, this tab only; cleared when the form is sent)
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
  document.querySelectorAll("table[data-totals]").forEach(function (table) {
    function update() {
      var sums = {}, all = 0;
      table.querySelectorAll("input[data-col]").forEach(function (input) {
        var n = /^\d{1,7}$/.test(input.value.trim()) ? parseInt(input.value, 10) : 0;
        var col = input.getAttribute("data-col");
        sums[col] = (sums[col] || 0) + n;
        all += n;
      });
      table.querySelectorAll("output[data-total]").forEach(function (out) {
        var key = out.getAttribute("data-total");
        out.textContent = String(key === "all" ? all : (sums[key] || 0));
      });
    }
    table.addEventListener("input", update);
  });
  document.querySelectorAll("form[data-draft]").forEach(function (form) {
    var key = "sauti-draft:" + form.getAttribute("data-draft");
    var store;
    try { store = window.sessionStorage; } catch (e) { return; }
    if (!store) return;
    function fields() {
      return Array.prototype.filter.call(form.elements, function (el) {
        return el.name && el.type !== "hidden" && el.type !== "submit" && el.type !== "button";
      });
    }
    function save() {
      var data = {};
      fields().forEach(function (el) {
        if (el.type === "checkbox" || el.type === "radio") {
          data[el.name + "=" + el.value] = el.checked;
        } else {
          data[el.name] = el.value;
        }
      });
      try { store.setItem(key, JSON.stringify(data)); } catch (e) { /* full: skip */ }
    }
    // Only a page without typed text takes the draft back (a refused form
    // shows what the server kept, which is newer).
    var text = form.elements.namedItem("text");
    var saved = null;
    try { saved = JSON.parse(store.getItem(key) || "null"); } catch (e) { saved = null; }
    if (saved && text && !text.value) {
      fields().forEach(function (el) {
        if (el.type === "checkbox" || el.type === "radio") {
          var k = el.name + "=" + el.value;
          if (k in saved) el.checked = !!saved[k];
        } else if (el.name in saved && typeof saved[el.name] === "string") {
          el.value = saved[el.name];
        }
      });
    }
    form.addEventListener("input", save);
    form.addEventListener("change", save);
    document.querySelectorAll(".lang a").forEach(function (link) {
      link.addEventListener("click", save);
    });
    form.addEventListener("submit", function () { store.removeItem(key); });
    form.addEventListener("sauti:form-reset", function () { store.removeItem(key); });
  });
})();

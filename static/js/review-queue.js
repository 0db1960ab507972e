/* The review queue from the keyboard: j/k or arrows move, Enter opens, e edits,
   r marks reviewed, d dismisses (focus the reason), Esc leaves a field. No dependencies;
   the buttons and links it presses work without it. */
(function () {
  "use strict";
  var current = null;

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-card-row]"));
  }

  function select(row) {
    if (!row) return;
    if (current) current.classList.remove("is-current");
    current = row;
    row.classList.add("is-current");
    row.focus({ preventScroll: false });
    row.scrollIntoView({ block: "nearest" });
  }

  function move(step) {
    var all = rows();
    if (!all.length) return;
    var index = all.indexOf(current);
    if (index < 0) return select(all[0]);
    select(all[Math.max(0, Math.min(all.length - 1, index + step))]);
  }

  function typing(target) {
    return target && (target.matches("input, textarea, select") || target.isContentEditable);
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (typing(event.target)) {
      if (event.key === "Escape") {
        event.target.blur();
        if (current) current.focus();
      }
      return;
    }
    var key = event.key;
    if (key === "j" || key === "ArrowDown") { event.preventDefault(); move(1); return; }
    if (key === "k" || key === "ArrowUp") { event.preventDefault(); move(-1); return; }
    if (!current || !document.body.contains(current)) {
      current = null;
      return;
    }
    if (key === "Enter" && event.target.matches("a, button")) return;
    var target = null;
    if (key === "Enter") target = current.querySelector("[data-open]");
    if (key === "e") target = current.querySelector("[data-edit]");
    if (key === "r") target = current.querySelector("[data-reviewed]");
    if (key === "d") {
      var reason = current.querySelector("[data-dismiss]");
      if (reason) { event.preventDefault(); reason.focus(); }
      return;
    }
    if (target) {
      event.preventDefault();
      target.click();
    }
  });

  // A swapped row replaces the element that held the selection: select its replacement,
  // and put the cursor in the first field of an inline edit form.
  document.addEventListener("htmx:afterSwap", function (event) {
    var row = event.detail.elt && event.detail.elt.closest ? event.detail.elt : null;
    var id = event.detail.target && event.detail.target.id;
    var fresh = id ? document.getElementById(id) : row;
    if (!fresh || !fresh.matches("[data-card-row]")) return;
    select(fresh);
    // Reviewed or dismissed: go on to the next card.
    if (!fresh.querySelector("[data-reviewed]") && !fresh.classList.contains("card-row-editing")) move(1);
    var field = fresh.querySelector("input[type=text], textarea");
    if (field && fresh.classList.contains("card-row-editing")) field.focus();
  });

  document.addEventListener("click", function (event) {
    var row = event.target.closest && event.target.closest("[data-card-row]");
    if (row) { if (current) current.classList.remove("is-current"); current = row; row.classList.add("is-current"); }
  });

  document.addEventListener("DOMContentLoaded", function () {
    select(rows()[0]);
  });
})();

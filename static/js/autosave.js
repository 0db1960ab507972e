/* Notes that save as you type and never lose text.
 *
 * The textarea posts itself through htmx (hx-trigger "input changed delay"). A failed save
 * (server error or no network) leaves the text where it is, says so, and retries with a
 * growing delay; leaving the page with unsaved text asks first. */
(function () {
  "use strict";

  function setup(field) {
    if (field.dataset.autosaveReady) return;
    field.dataset.autosaveReady = "1";
    var edits = 0, savedEdits = 0, delay = 2000, retryTimer = null;

    function status() { return document.getElementById(field.dataset.status); }
    function say(text, state) {
      var el = status();
      if (!el) return;
      el.textContent = text;
      el.className = "autosave " + state;
    }

    field.addEventListener("input", function () {
      edits += 1;
      say("Unsaved changes…", "pending");
    });
    field.addEventListener("htmx:configRequest", function (event) {
      event.detail.parameters.notes = field.value;
      field.dataset.sending = String(edits);
    });
    field.addEventListener("htmx:afterRequest", function (event) {
      if (event.detail.successful) {
        savedEdits = Number(field.dataset.sending || edits);
        delay = 2000;
        if (savedEdits < edits) say("Unsaved changes…", "pending");
        return;
      }
      var why = event.detail.xhr && event.detail.xhr.status
        ? "the server answered " + event.detail.xhr.status
        : "the network is unreachable";
      say("Not saved (" + why + "). Your text is safe here; retrying in " +
          Math.round(delay / 1000) + " s…", "failed");
      clearTimeout(retryTimer);
      retryTimer = setTimeout(function () { htmx.trigger(field, "autosave-retry"); }, delay);
      delay = Math.min(delay * 2, 30000);
    });
    window.addEventListener("beforeunload", function (event) {
      if (savedEdits < edits) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
  }

  function scan(root) {
    (root || document).querySelectorAll("[data-autosave]").forEach(setup);
  }
  document.addEventListener("DOMContentLoaded", function () { scan(document); });
  document.addEventListener("htmx:load", function (event) { scan(event.target); });
})();

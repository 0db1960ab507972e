/* Notes that save as you type and never lose text.
 *
 * A field marked data-autosave posts itself through htmx (hx-trigger "input changed
 * delay"). A failed save (server error or no network) leaves the text where it is, says
 * so, and retries with a growing delay; leaving the page with unsaved text asks first.
 *
 * Listeners are delegated from the document and this file loads in <head>, so nothing is
 * missed when someone types (or a save fails) before the page has finished loading. */
(function () {
  "use strict";

  var state = new WeakMap();

  function of(field) {
    var s = state.get(field);
    if (!s) {
      s = { edits: 0, saved: 0, sending: 0, delay: 2000, timer: null };
      state.set(field, s);
    }
    return s;
  }
  function autosaving(target) {
    return target && target.matches && target.matches("[data-autosave]") ? target : null;
  }
  function say(field, text, mood) {
    var el = document.getElementById(field.dataset.status);
    if (!el) return;
    el.textContent = text;
    el.className = "autosave " + mood;
  }

  document.addEventListener("input", function (event) {
    var field = autosaving(event.target);
    if (!field) return;
    of(field).edits += 1;
    say(field, "Unsaved changes…", "pending");
  });
  document.addEventListener("htmx:configRequest", function (event) {
    var field = autosaving(event.target);
    if (!field) return;
    event.detail.parameters[field.name] = field.value;
    of(field).sending = of(field).edits;
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var field = autosaving(event.target);
    if (!field) return;
    var s = of(field);
    if (event.detail.successful) {
      s.saved = Math.max(s.saved, s.sending);
      s.delay = 2000;
      if (s.saved < s.edits) say(field, "Unsaved changes…", "pending");
      return;
    }
    var status = event.detail.xhr && event.detail.xhr.status;
    var why = status ? "the server answered " + status : "the network is unreachable";
    var message = "Not saved (" + why + "). Your text is safe here; retrying in " +
        Math.round(s.delay / 1000) + " s…";
    say(field, message, "failed");
    field.dispatchEvent(new CustomEvent("autosave:failed", { bubbles: true, detail: message }));
    clearTimeout(s.timer);
    s.timer = setTimeout(function () { htmx.trigger(field, "autosave-retry"); }, s.delay);
    s.delay = Math.min(s.delay * 2, 30000);
  });
  // Text typed before htmx took charge of the field is saved as soon as it does.
  document.addEventListener("htmx:load", function (event) {
    var root = event.target;
    var fields = root.querySelectorAll ? root.querySelectorAll("[data-autosave]") : [];
    Array.prototype.forEach.call(fields, function (field) {
      var s = of(field);
      if (s.saved < s.edits) htmx.trigger(field, "autosave-retry");
    });
  });
  window.addEventListener("beforeunload", function (event) {
    var unsaved = Array.prototype.some.call(
      document.querySelectorAll("[data-autosave]"),
      function (field) { var s = of(field); return s.saved < s.edits; }
    );
    if (unsaved) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();

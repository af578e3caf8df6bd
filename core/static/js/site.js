// Small progressive enhancements; every page works without them.
(function () {
  "use strict";

  // The navigation collapses behind a button on narrow screens.
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest(".nav-toggle");
    if (toggle) {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      document.getElementById(toggle.getAttribute("aria-controls")).classList.toggle("open", open);
      return;
    }

    // A province suggestion fills its input (the box names the input in data-for).
    var suggestion = event.target.closest(".suggestion");
    if (suggestion) {
      var box = suggestion.closest("[data-for]");
      var input = document.getElementById(box.dataset.for);
      input.value = suggestion.dataset.value;
      box.innerHTML = "";
      input.dispatchEvent(new Event("change", { bubbles: true }));
      input.focus();
      return;
    }

    // A click elsewhere closes open suggestion lists.
    document.querySelectorAll(".suggestions").forEach(function (box) {
      if (!box.contains(event.target)) box.innerHTML = "";
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      document.querySelectorAll(".suggestions").forEach(function (box) { box.innerHTML = ""; });
    }
  });

  // Forms marked data-once are sent once: the button is disabled while the page loads the
  // answer (the server also refuses a second submit of the same form token).
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-once]");
    if (!form || event.defaultPrevented) return;
    if (form.dataset.sent) {
      event.preventDefault();
      return;
    }
    form.dataset.sent = "1";
    // After this event: a button disabled now would not be sent as the submitter.
    setTimeout(function () {
      form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (b) {
        b.disabled = true;
        b.setAttribute("aria-busy", "true");
      });
    }, 0);
  });

  // Back to a page from the browser's cache: its forms can be sent again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.querySelectorAll("form[data-once]").forEach(function (form) {
      delete form.dataset.sent;
      form.querySelectorAll("[aria-busy]").forEach(function (b) {
        b.disabled = false;
        b.removeAttribute("aria-busy");
      });
    });
  });

  // Filter forms marked data-autosubmit search again when a choice changes.
  document.addEventListener("change", function (event) {
    var form = event.target.closest("form[data-autosubmit]");
    if (!form) return;
    if (event.target.matches("select") || event.target.closest(".field-province")) {
      form.requestSubmit();
    }
  });
})();

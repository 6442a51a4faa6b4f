/* Samen's small shared behaviours. Every page works without them; they only make it nicer.

   1. The staff menu on a phone: a disclosure button (aria-expanded) folds the menu away. Without
      JavaScript the button stays hidden and the menu is simply open.
   2. Options folded in <details data-samen-open-when="field"> open as soon as that field gets a value
      other than data-samen-closed-value (the catalogue's repeat options after "elke week"). Without
      JavaScript the user opens them with their summary.
   3. After a form with errors: the error summary (data-samen-error-summary) is scrolled into view and
      takes the focus, so a screen reader reads it and a phone user sees it, on every form.
   4. A wide table in .samen-table-wrap that scrolls sideways (on a phone) becomes a named, focusable
      region, so a keyboard user can scroll it too (WCAG 2.1.1; axe "scrollable-region-focusable"). Its name
      is the table's caption, or else the heading above it. When it fits again, the region is undone. */
(function () {
  "use strict";

  function setUpMenu() {
    document.querySelectorAll("[data-samen-menu-toggle]").forEach(function (button) {
      var menu = document.getElementById(button.getAttribute("aria-controls"));
      if (!menu) { return; }
      document.documentElement.classList.add("samen-js");
      button.hidden = false;
      button.setAttribute("aria-expanded", "false");
      button.addEventListener("click", function () {
        var open = button.getAttribute("aria-expanded") === "true";
        button.setAttribute("aria-expanded", open ? "false" : "true");
      });
    });
  }

  function focusErrorSummary() {
    var summary = document.querySelector("[data-samen-error-summary]");
    if (!summary) { return; }
    if (!summary.hasAttribute("tabindex")) { summary.setAttribute("tabindex", "-1"); }
    summary.scrollIntoView({block: "start"});
    summary.focus({preventScroll: true});
  }

  function setUpDisclosures() {
    document.querySelectorAll("details[data-samen-open-when]").forEach(function (details) {
      var name = details.getAttribute("data-samen-open-when");
      var closed = details.getAttribute("data-samen-closed-value") || "";
      var form = details.closest("form");
      if (!form) { return; }
      form.addEventListener("change", function (event) {
        var field = event.target;
        if (field && field.name === name && field.value && field.value !== closed) { details.open = true; }
      });
    });
  }

  function regionName(wrap) {
    var caption = wrap.querySelector("caption");
    if (caption && caption.textContent.trim()) { return caption.textContent.trim(); }
    for (var node = wrap.previousElementSibling; node; node = node.previousElementSibling) {
      if (/^H[1-6]$/.test(node.tagName) && node.textContent.trim()) { return node.textContent.trim(); }
    }
    var heading = document.querySelector("h1");
    return heading ? heading.textContent.trim() : "";
  }

  function markScrollableTables() {
    document.querySelectorAll(".samen-table-wrap").forEach(function (wrap) {
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      if (scrolls && !wrap.hasAttribute("data-samen-scroll-region")) {
        wrap.setAttribute("data-samen-scroll-region", "");
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", regionName(wrap));
      } else if (!scrolls && wrap.hasAttribute("data-samen-scroll-region")) {
        ["data-samen-scroll-region", "tabindex", "role", "aria-label"].forEach(function (name) {
          wrap.removeAttribute(name);
        });
      }
    });
  }

  function start() {
    setUpMenu();
    setUpDisclosures();
    markScrollableTables();
    focusErrorSummary();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
  // A form swapped in by htmx can bring its own error summary.
  document.addEventListener("htmx:afterSettle", focusErrorSummary);
  document.addEventListener("htmx:afterSettle", markScrollableTables);
  window.addEventListener("resize", markScrollableTables);
}());

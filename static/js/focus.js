/* Where the keyboard focus goes after htmx swaps content into a page.
 *
 * A keyboard or screen-reader user must never be left on <body> because the control they
 * used was swapped away (a form replaced by its "saved" message, an add form redrawn), nor
 * left behind a form they asked for. After a swap, when the focused element is gone, or the
 * element that made the request asks for it with data-focus-swapped (the "Raise action"
 * links of the minutes page, which bring a form in), the focus moves into what came in:
 *
 *   - a form's error summary (role=alert), whose links lead to each field in error;
 *   - else the first field the server marked invalid (aria-invalid);
 *   - else the first field that came in (a form, an attendance line);
 *   - else the message that came in (role=status or alert), focusable with tabindex=-1;
 *   - else the target itself.
 *
 * Content added at the end of a list (hx-swap="beforeend", the attendance lines) is looked
 * in from the last element added, not from the start of the list. Elements that made a
 * request with data-focus-swapped are remembered on the target (`focusReturn`), for a
 * Cancel button that removes the form to give the focus back (minutes_drafts.js).
 */
(function () {
  "use strict";

  var FIELD = "input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])";
  var focusedBefore = null;

  document.addEventListener("htmx:beforeSwap", function () {
    focusedBefore = document.activeElement;
  });

  function focusable(element) {
    if (!element.matches("a[href], button, input, select, textarea, [tabindex]")) {
      element.setAttribute("tabindex", "-1");
    }
    return element;
  }

  function placeIn(container) {
    return (
      container.querySelector(".error-summary") ||
      container.querySelector("[aria-invalid=true]") ||
      container.querySelector(FIELD) ||
      container.querySelector("[role=status], [role=alert]") ||
      container
    );
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    var trigger = (event.detail.requestConfig && event.detail.requestConfig.elt) || event.detail.elt;
    if (!target || !document.contains(target)) {
      return;
    }
    var asked = trigger && trigger.hasAttribute && trigger.hasAttribute("data-focus-swapped");
    var lost =
      !focusedBefore ||
      focusedBefore === document.body ||
      !document.contains(focusedBefore) ||
      document.activeElement === document.body;
    if (!asked && !lost) {
      return;
    }
    if (asked) {
      target.focusReturn = trigger;
    }
    var swap = (trigger && trigger.closest && trigger.closest("[hx-swap]")) || null;
    var container = target;
    if (swap && swap.getAttribute("hx-swap").indexOf("beforeend") === 0 && target.lastElementChild) {
      container = target.lastElementChild;
    }
    focusable(placeIn(container)).focus();
  });
})();

/* The minutes editors (templates/meetings/minutes_write.html).
 *
 * htmx keeps a draft of each editor while the user types (meetings/draft_views.py); this
 * script warns before leaving the page while an editor holds text that is not saved as the
 * minutes (a kept draft is not the minutes), and shows why a draft was not kept. Without
 * JavaScript the page still works: drafts are just not kept while typing.
 *
 * It also closes an inline form (Raise action, Record decision...) when its Cancel button,
 * marked data-dismiss-form, is pressed: the page's Content Security Policy runs no inline
 * handlers, so the button carries no code of its own.
 */
(function () {
  "use strict";

  var EDITOR = "textarea.minutes-editor__text";
  var saved = new WeakMap(); // editor -> the text saved as the minutes (null: unknown)
  var sending = new WeakMap(); // editor -> the text its save in flight sent
  var leaving = false;

  // An editor opens with the saved minutes, or with a restored draft that is not saved.
  document.querySelectorAll(EDITOR).forEach(function (editor) {
    saved.set(editor, editor.hasAttribute("data-restored-draft") ? null : editor.value);
  });

  function unsaved() {
    return Array.prototype.some.call(document.querySelectorAll(EDITOR), function (editor) {
      return editor.value !== saved.get(editor);
    });
  }

  window.addEventListener("beforeunload", function (event) {
    if (!leaving && unsaved()) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // A form htmx does not take (Discard a draft) leaves the page on purpose.
  document.addEventListener("submit", function (event) {
    if (!event.defaultPrevented) {
      leaving = true;
    }
  });

  // Remember the text each save sends; when the server says it is saved (the
  // "minutes-saved" event of minutes_save_view), that text is the minutes now.
  function editorOf(element) {
    var form = element.closest && element.closest("form.minutes-editor");
    return form && form.querySelector(EDITOR);
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    var editor = editorOf(event.detail.elt);
    if (editor && event.detail.elt.matches("form.minutes-editor")) {
      sending.set(editor, editor.value);
    }
  });
  document.addEventListener("minutes-saved", function (event) {
    var editor = editorOf(event.target);
    if (editor && sending.has(editor)) {
      saved.set(editor, sending.get(editor));
    }
  });

  // Cancel on an inline form htmx brought in (templates/meetings/inline_record.html).
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-dismiss-form]");
    var form = button && button.closest("form");
    if (form) {
      // The focus goes back to the link that opened the form (focus.js), not to <body>.
      var slot = form.parentElement;
      form.remove();
      if (slot && slot.focusReturn && document.contains(slot.focusReturn)) {
        slot.focusReturn.focus();
      }
    }
  });

  // A draft refused (too long, say) says why where "Draft kept" would be.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (event.detail.xhr.status === 400 && target && target.classList.contains("draft-status")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();

/* The calendar of every date field: a progressive enhancement of <input data-datepicker>
 * (core.widgets.DateInput, a text box showing dd/mm/yyyy).
 *
 * Without JavaScript the text box takes a date typed as 11/10/2023, 2023-10-11 or
 * "11 Oct 2023". With it, a "Choose date" button after the box opens a modal dialog with
 * a month's grid, following the ARIA date picker dialog pattern: the arrow keys move by day
 * and week, Page Up and Page Down by month (with Shift, by year), Home and End to the start
 * and end of the week, Enter or Space chooses the day, Escape closes without choosing.
 * Focus goes back to the box, which then holds the day as dd/mm/yyyy. One dialog serves
 * every field of the page. The browser's own date input is never used, so every page
 * shows dates one way.
 */
(function () {
  "use strict";

  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];
  var DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

  var dialog = null;
  var title = null;
  var body = null;
  var field = null;      // the text box the dialog is choosing for
  var shown = null;      // the day that has focus in the grid
  var chosen = null;     // the day the text box held when the dialog opened

  function day(year, month, date) {
    var value = new Date(year, month, date);
    return value.getFullYear() === year && value.getMonth() === month &&
      value.getDate() === date ? value : null;
  }

  // The forms core.dates.parse_date reads, so the grid opens on the day the box names.
  function parse(text) {
    var value = text.replace(/\s+/g, " ").trim();
    var match = /^(\d{1,2})[\/.\-](\d{1,2})[\/.\-](\d{4}|\d{2})$/.exec(value);
    if (match) {
      var year = Number(match[3]) + (match[3].length === 2 ? 2000 : 0);
      return day(year, Number(match[2]) - 1, Number(match[1]));
    }
    match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value);
    if (match) {
      return day(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
    }
    match = /^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3,9})\.?,?\s+(\d{4})$/i.exec(value);
    if (match) {
      var name = match[2].toLowerCase();
      var month = MONTHS.findIndex(function (full) {
        full = full.toLowerCase();
        return full === name || full.slice(0, 3) === name || (name === "sept" && full === "september");
      });
      return month < 0 ? null : day(Number(match[3]), month, Number(match[1]));
    }
    return null;
  }

  function pad(number) {
    return (number < 10 ? "0" : "") + number;
  }

  function format(value) {
    return pad(value.getDate()) + "/" + pad(value.getMonth() + 1) + "/" + value.getFullYear();
  }

  function long(value) {
    return DAYS[(value.getDay() + 6) % 7] + " " + value.getDate() + " " +
      MONTHS[value.getMonth()] + " " + value.getFullYear();
  }

  function same(a, b) {
    return a && b && a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() &&
      a.getDate() === b.getDate();
  }

  function addMonths(value, months) {
    var first = new Date(value.getFullYear(), value.getMonth() + months, 1);
    var last = new Date(first.getFullYear(), first.getMonth() + 1, 0).getDate();
    return new Date(first.getFullYear(), first.getMonth(), Math.min(value.getDate(), last));
  }

  function button(text, className) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = className;
    element.textContent = text;
    return element;
  }

  function build() {
    dialog = document.createElement("dialog");
    dialog.className = "datepicker";
    dialog.setAttribute("aria-labelledby", "datepicker-title");
    var head = document.createElement("div");
    head.className = "datepicker__head";
    var previous = button("Previous month", "button button--secondary button--small");
    var next = button("Next month", "button button--secondary button--small");
    previous.addEventListener("click", function () { move(addMonths(shown, -1)); });
    next.addEventListener("click", function () { move(addMonths(shown, 1)); });
    title = document.createElement("h2");
    title.id = "datepicker-title";
    title.setAttribute("aria-live", "polite");
    head.append(previous, title, next);

    var table = document.createElement("table");
    table.className = "datepicker__grid";
    table.setAttribute("role", "grid");
    table.setAttribute("aria-labelledby", "datepicker-title");
    var row = table.createTHead().insertRow();
    DAYS.forEach(function (name) {
      var header = document.createElement("th");
      header.scope = "col";
      header.abbr = name;
      header.textContent = name.slice(0, 2);
      row.appendChild(header);
    });
    body = table.createTBody();
    body.addEventListener("keydown", keys);
    body.addEventListener("click", function (event) {
      var target = event.target.closest("button[data-day]");
      if (target) {
        choose(parse(target.dataset.day));
      }
    });

    var hint = document.createElement("p");
    hint.className = "field__hint";
    hint.textContent = "Arrow keys move by day and week, Page Up and Page Down by month; " +
      "Enter chooses the day, Escape closes.";
    var cancel = button("Cancel", "button button--secondary");
    cancel.addEventListener("click", function () { dialog.close(); });
    dialog.append(head, table, hint, cancel);
    dialog.addEventListener("close", function () {
      if (field) {
        field.focus();
      }
    });
    document.body.appendChild(dialog);
  }

  // The grid of the month of `shown`: weeks from Monday, the days of other months blank.
  function render() {
    var year = shown.getFullYear();
    var month = shown.getMonth();
    var today = new Date();
    title.textContent = MONTHS[month] + " " + year;
    body.textContent = "";
    var offset = (new Date(year, month, 1).getDay() + 6) % 7;
    var days = new Date(year, month + 1, 0).getDate();
    var row = null;
    for (var cell = 0; cell < Math.ceil((offset + days) / 7) * 7; cell++) {
      if (cell % 7 === 0) {
        row = body.insertRow();
      }
      var td = row.insertCell();
      var date = cell - offset + 1;
      if (date < 1 || date > days) {
        continue;
      }
      var value = new Date(year, month, date);
      var choice = button(String(date), "datepicker__day");
      choice.dataset.day = year + "-" + pad(month + 1) + "-" + pad(date);
      choice.setAttribute("aria-label", long(value));
      choice.tabIndex = same(value, shown) ? 0 : -1;
      if (same(value, chosen)) {
        td.setAttribute("aria-selected", "true");
      }
      if (same(value, today)) {
        choice.setAttribute("aria-current", "date");
      }
      td.appendChild(choice);
    }
  }

  function move(value) {
    var redraw = value.getMonth() !== shown.getMonth() ||
      value.getFullYear() !== shown.getFullYear();
    shown = value;
    if (redraw) {
      render();
    } else {
      Array.prototype.forEach.call(body.querySelectorAll("button[data-day]"), function (cell) {
        cell.tabIndex = same(parse(cell.dataset.day), shown) ? 0 : -1;
      });
    }
  }

  function keys(event) {
    var weekday = (shown.getDay() + 6) % 7;
    var steps = {
      ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7,
      Home: -weekday, End: 6 - weekday,
    };
    var target = null;
    if (event.key in steps) {
      target = new Date(shown.getFullYear(), shown.getMonth(), shown.getDate() + steps[event.key]);
    } else if (event.key === "PageUp" || event.key === "PageDown") {
      var months = (event.key === "PageUp" ? -1 : 1) * (event.shiftKey ? 12 : 1);
      target = addMonths(shown, months);
    }
    if (target) {
      event.preventDefault();
      move(target);
      // The month buttons keep focus while they change the month; the grid's keys move it.
      body.querySelector("button[tabindex='0']").focus();
    }
  }

  function choose(value) {
    field.value = format(value);
    field.dispatchEvent(new Event("input", { bubbles: true }));
    field.dispatchEvent(new Event("change", { bubbles: true }));
    dialog.close();
  }

  function open(input) {
    if (!dialog) {
      build();
    }
    field = input;
    chosen = parse(input.value);
    var now = new Date();
    shown = chosen || new Date(now.getFullYear(), now.getMonth(), now.getDate());
    render();
    dialog.showModal();
    body.querySelector("button[tabindex='0']").focus();
  }

  function enhance(input) {
    if (input.dataset.datepickerReady) {
      return;
    }
    input.dataset.datepickerReady = "1";
    var wrap = document.createElement("span");
    wrap.className = "datepicker-field";
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    var opener = button("Choose date", "button button--secondary datepicker-field__open");
    // The button is named by its visible words and described by the field's label, so
    // that several date fields' buttons are told apart and a field's label names only it.
    var label = input.labels && input.labels[0];
    if (label) {
      label.id = label.id || input.id + "-label";
      opener.setAttribute("aria-describedby", label.id);
    }
    opener.setAttribute("aria-haspopup", "dialog");
    opener.addEventListener("click", function () { open(input); });
    wrap.appendChild(opener);
  }

  function enhanceAll(root) {
    if (root.matches && root.matches("input[data-datepicker]")) {
      enhance(root);
    }
    if (root.querySelectorAll) {
      Array.prototype.forEach.call(root.querySelectorAll("input[data-datepicker]"), enhance);
    }
  }

  document.addEventListener("DOMContentLoaded", function () { enhanceAll(document); });
  // Forms htmx puts on the page (an agenda item's "raise an action") are enhanced too.
  document.addEventListener("htmx:load", function (event) { enhanceAll(event.target); });
}());

/* Type-ahead person pickers: a progressive enhancement of <select data-picker>.
 *
 * Without JavaScript the select works as it is. With it, the select is hidden (it still
 * holds the value the form posts) and a text box with a list of suggestions stands in its
 * place, following the ARIA combobox pattern: type to filter, Up/Down to move, Enter to
 * choose, Escape to close. The group's members (options with data-member="1") come first;
 * "Show everyone" widens the list on request. A select with data-picker-add="<selector>"
 * offers to add the typed name as a new person: it fills in that field (the page's "add a
 * guest" form) and moves there. A multiple select shows the people chosen, each with a
 * "Remove" button.
 */
(function () {
  "use strict";

  var MAX_SHOWN = 50;
  var counter = 0;

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function enhance(select) {
    if (select.dataset.pickerReady) {
      return;
    }
    select.dataset.pickerReady = "1";
    counter += 1;
    var base = (select.id || "picker" + counter) + "_picker";
    var multiple = select.multiple;
    var people = Array.prototype.filter
      .call(select.options, function (option) { return option.value !== ""; })
      .map(function (option) {
        return { option: option, name: option.text, folded: fold(option.text), member: option.dataset.member === "1" };
      });
    var hasMembers = people.some(function (person) { return person.member; });
    var everyone = !hasMembers;
    var addTarget = select.dataset.pickerAdd;
    var label = select.id ? document.querySelector('label[for="' + select.id + '"]') : null;

    var box = document.createElement("div");
    box.className = "picker";
    var chosen = document.createElement("ul");
    chosen.className = "picker__chosen";
    var input = document.createElement("input");
    input.type = "text";
    input.id = base;
    input.className = "picker__input";
    input.autocomplete = "off";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", base + "_list");
    input.placeholder = multiple ? "Type a name to add someone" : "Type a name";
    ["aria-describedby", "aria-invalid"].forEach(function (name) {
      if (select.hasAttribute(name)) {
        input.setAttribute(name, select.getAttribute(name));
      }
    });
    if (select.required) {
      input.setAttribute("aria-required", "true");
      select.required = false; // the browser cannot point at a hidden field; the server checks
    }
    var list = document.createElement("ul");
    list.id = base + "_list";
    list.className = "picker__list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    if (label) {
      label.htmlFor = input.id;
    }
    list.setAttribute("aria-label", "Suggestions");
    chosen.setAttribute("aria-label", "Chosen");
    select.hidden = true;
    select.tabIndex = -1;
    select.setAttribute("aria-hidden", "true");
    box.appendChild(chosen);
    box.appendChild(input);
    box.appendChild(list);
    box.appendChild(status);
    select.parentNode.insertBefore(box, select.nextSibling);

    var items = [];
    var active = -1;

    function selectedPeople() {
      return people.filter(function (person) { return person.option.selected; });
    }

    function showChosen() {
      chosen.textContent = "";
      if (!multiple) {
        var current = selectedPeople()[0];
        input.value = current ? current.name : "";
        return;
      }
      selectedPeople().forEach(function (person) {
        var item = document.createElement("li");
        var name = document.createElement("span");
        name.textContent = person.name;
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "picker__remove";
        remove.textContent = "Remove";
        remove.setAttribute("aria-label", "Remove " + person.name);
        remove.addEventListener("click", function () {
          person.option.selected = false;
          changed(person.name + " removed.");
          input.focus();
        });
        item.appendChild(name);
        item.appendChild(document.createTextNode(" "));
        item.appendChild(remove);
        chosen.appendChild(item);
      });
    }

    function changed(message) {
      showChosen();
      status.textContent = message;
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function setActive(index) {
      active = index;
      items.forEach(function (item, n) {
        item.element.setAttribute("aria-selected", n === index ? "true" : "false");
      });
      if (index >= 0 && items[index]) {
        input.setAttribute("aria-activedescendant", items[index].element.id);
        items[index].element.scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function addItem(text, kind, run) {
      var element = document.createElement("li");
      element.id = base + "_option" + items.length;
      element.setAttribute("role", "option");
      element.setAttribute("aria-selected", "false");
      element.className = "picker__option" + (kind ? " picker__option--" + kind : "");
      element.textContent = text;
      element.addEventListener("mousedown", function (event) { event.preventDefault(); });
      element.addEventListener("click", function () { run(); });
      list.appendChild(element);
      items.push({ element: element, run: run });
    }

    function choose(person) {
      if (multiple) {
        person.option.selected = true;
        input.value = "";
        changed(person.name + " added.");
        render();
      } else {
        select.value = person.option.value;
        changed(person.name + " chosen.");
        close();
      }
    }

    function render() {
      var typed = input.value.trim();
      var current = multiple ? null : selectedPeople()[0];
      var query = current && typed === current.name ? "" : fold(typed);
      var words = query.split(/\s+/).filter(Boolean);
      var found = people.filter(function (person) {
        return !(multiple && person.option.selected) && words.every(function (word) {
          return person.folded.indexOf(word) !== -1;
        });
      });
      found.sort(function (a, b) { return (b.member ? 1 : 0) - (a.member ? 1 : 0); });
      var shown = everyone ? found : found.filter(function (person) { return person.member; });
      var hidden = found.length - shown.length;
      list.textContent = "";
      items = [];
      shown.slice(0, MAX_SHOWN).forEach(function (person) {
        addItem(person.name, person.member && everyone && hasMembers ? "member" : "", function () { choose(person); });
      });
      if (hidden > 0) {
        addItem("Show everyone (" + hidden + " more)", "more", function () {
          everyone = true;
          render();
          input.focus();
        });
      }
      if (addTarget && typed && document.querySelector(addTarget)) {
        addItem("Add “" + typed + "” as a new person", "add", function () {
          var field = document.querySelector(addTarget);
          field.value = typed;
          close();
          field.focus();
        });
      }
      if (!items.length) {
        var none = document.createElement("li");
        none.className = "picker__none";
        none.textContent = "Nobody matches “" + typed + "”.";
        list.appendChild(none);
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent = shown.length + (shown.length === 1 ? " person" : " people") + " found.";
      setActive(query && items.length ? 0 : -1);
    }

    input.addEventListener("input", function () {
      if (!multiple && !input.value.trim() && select.querySelector('option[value=""]')) {
        select.value = "";
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
      render();
    });
    input.addEventListener("focus", render);
    input.addEventListener("blur", function () {
      close();
      if (!multiple) {
        showChosen(); // what is typed but not chosen goes back to the person chosen
      }
    });
    input.addEventListener("keydown", function (event) {
      var open = !list.hidden;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (!open) {
          render();
        }
        if (items.length) {
          var step = event.key === "ArrowDown" ? 1 : -1;
          setActive((active + step + items.length) % items.length);
        }
      } else if (event.key === "Enter") {
        if (open && active >= 0 && items[active]) {
          event.preventDefault();
          items[active].run();
        } else if (open) {
          event.preventDefault(); // Enter in the box chooses; it never posts half a choice
        }
      } else if (event.key === "Escape") {
        if (open) {
          event.preventDefault();
          close();
        }
      } else if (event.key === "Backspace" && multiple && !input.value) {
        var last = selectedPeople().pop();
        if (last) {
          last.option.selected = false;
          changed(last.name + " removed.");
        }
      } else if (event.key === "Tab") {
        close();
      }
    });

    showChosen();
  }

  function enhanceAll(root) {
    if (root.matches && root.matches("select[data-picker]")) {
      enhance(root);
    }
    if (root.querySelectorAll) {
      Array.prototype.forEach.call(root.querySelectorAll("select[data-picker]"), enhance);
    }
  }

  document.addEventListener("DOMContentLoaded", function () { enhanceAll(document); });
  // Forms htmx puts on the page (the attendance page's add forms) are enhanced too.
  document.addEventListener("htmx:load", function (event) { enhanceAll(event.target); });
})();

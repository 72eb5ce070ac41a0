/* Type-ahead person pickers: a progressive enhancement of <select data-picker>.
 *
 * Without JavaScript the select works as it is. With it, the select is hidden (it still
 * holds the value the form posts) and a text box with a list of suggestions stands in its
 * place, following the ARIA combobox pattern: type to filter, Up/Down to move, Enter to
 * choose, Escape to close. The group's members (options with data-member="1") come first;
 * "Show everyone" widens the list on request. A select with data-picker-add="<selector>"
 * offers to add the typed name as a new person: it fills in that field (the page's "add a
 * guest" form) and moves there. Elsewhere, for the secretariat (the page's <body> carries
 * data-person-new, the address of the "add a person" form), a name nobody has is offered
 * as a new person: the form opens in a dialog, is posted with fetch, and the person saved
 * is chosen. A multiple select shows the people chosen, each with a "Remove" button.
 */
(function () {
  "use strict";

  var MAX_SHOWN = 50;
  var counter = 0;

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function suggestInitials(name) {
    return name.split(/\s+/).filter(function (part) { return /^\p{L}/u.test(part); })
      .map(function (part) { return part.charAt(0); }).join("").toUpperCase().slice(0, 10);
  }

  /* The "add a person" dialog, shared by the page's pickers: the server's form (the partial
   * of the people/new/ page) in a <dialog> outside every other form. `done` gets
   * {id, label} once the person is saved. */
  var dialog = null;

  function newPersonDialog() {
    if (dialog) {
      return dialog;
    }
    dialog = document.createElement("dialog");
    dialog.className = "person-dialog";
    dialog.setAttribute("aria-labelledby", "person-dialog-title");
    var title = document.createElement("h2");
    title.id = "person-dialog-title";
    title.textContent = "Add a person to the tracker";
    var body = document.createElement("div");
    body.className = "person-dialog__body";
    var cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "button button--secondary person-dialog__cancel";
    cancel.textContent = "Cancel";
    cancel.addEventListener("click", function () { dialog.close(); });
    dialog.appendChild(title);
    dialog.appendChild(body);
    dialog.appendChild(cancel);
    document.body.appendChild(dialog);
    return dialog;
  }

  function showNewPersonForm(html, url, done) {
    var body = dialog.querySelector(".person-dialog__body");
    body.innerHTML = html;
    var form = body.querySelector("form");
    if (!form) {
      return;
    }
    var name = form.querySelector('[name="name"]');
    var initials = form.querySelector('[name="initials"]');
    if (name && initials) {
      var suggested = initials.value;
      name.addEventListener("input", function () {
        if (initials.value === suggested) {
          suggested = suggestInitials(name.value);
          initials.value = suggested;
        }
      });
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var token = form.querySelector('[name="csrfmiddlewaretoken"]');
      fetch(url, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { "HX-Request": "true", "X-CSRFToken": token ? token.value : "" },
      }).then(function (response) {
        if (response.status === 201) {
          return response.json().then(function (person) {
            dialog.close();
            done(person);
          });
        }
        if (response.ok) { // the form again, with its errors at the fields
          return response.text().then(function (text) {
            showNewPersonForm(text, url, done);
            var invalid = dialog.querySelector('[aria-invalid="true"]');
            if (invalid) {
              invalid.focus();
            }
          });
        }
        throw new Error("status " + response.status);
      }).catch(function () {
        failed(body);
      });
    });
    var first = form.querySelector('[aria-invalid="true"]') || name;
    if (first) {
      first.focus();
    }
  }

  function failed(body) {
    var message = body.querySelector(".person-dialog__failed");
    if (!message) {
      message = document.createElement("p");
      message.className = "field__error person-dialog__failed";
      message.setAttribute("role", "alert");
      body.insertBefore(message, body.firstChild);
    }
    message.textContent = "The person could not be added just now: nothing was saved. Try again.";
  }

  function openNewPerson(typed, returnTo, done) {
    var url = document.body.dataset.personNew;
    var box = newPersonDialog();
    box.onclose = function () { returnTo.focus(); };
    box.querySelector(".person-dialog__body").textContent = "Loading…";
    box.showModal();
    fetch(url + "?name=" + encodeURIComponent(typed), {
      credentials: "same-origin",
      headers: { "HX-Request": "true" },
    }).then(function (response) {
      if (!response.ok) {
        throw new Error("status " + response.status);
      }
      return response.text();
    }).then(function (html) {
      showNewPersonForm(html, url, done);
    }).catch(function () {
      failed(box.querySelector(".person-dialog__body"));
    });
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
    var pageLink = select.parentNode.querySelector("[data-picker-new-link]");
    if (pageLink && !addTarget) {
      pageLink.hidden = true; // the picker offers the same form in place
    }

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

    function known(person) {
      var option = new Option(person.label, String(person.id));
      select.appendChild(option);
      people.push({ option: option, name: person.label, folded: fold(person.label), member: false });
      return option;
    }

    // Someone added from another picker of the page (a change request's raiser, then its
    // owner) can be chosen here too.
    document.addEventListener("picker:person-added", function (event) {
      if (event.detail.from !== select && !addTarget && select.isConnected) {
        known(event.detail.person);
      }
    });

    function added(person) {
      var option = known(person);
      document.dispatchEvent(new CustomEvent("picker:person-added", { detail: { person: person, from: select } }));
      if (multiple) {
        option.selected = true;
        input.value = "";
        changed(person.label + " added to the tracker and chosen.");
      } else {
        select.value = option.value;
        changed(person.label + " added to the tracker and chosen.");
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
      } else if (!addTarget && query && document.body.dataset.personNew) {
        var folded = fold(typed.replace(/\s+/g, " "));
        var known = people.some(function (person) { return person.folded === folded; });
        if (!known) {
          addItem("Add “" + typed + "” as a new person", "add", function () {
            close();
            openNewPerson(typed, input, added);
          });
        }
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

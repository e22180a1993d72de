/* Skill fields as tags with suggestions. The field stays what it is without the script:
   one text box of items separated by 、 (the server reads it either way). With it, each
   item is a tag with a remove button, and typing offers the skill names the portal knows
   (the taxonomy and the coordinators' synonyms); any other tag can still be typed. */
(function () {
  "use strict";
  var SEPARATORS = /[、，,；;\n]+/;
  var url = document.body.getAttribute("data-skill-suggest");
  var removeLabel = document.body.getAttribute("data-tag-remove") || "Remove";

  function enhance(field, number) {
    var tags = field.value.split(SEPARATORS).map(function (t) { return t.trim(); })
      .filter(Boolean);
    var box = document.createElement("div");
    box.className = "tag-input";
    var list = document.createElement("ul");
    list.className = "tags";
    var input = document.createElement("input");
    input.type = "text";
    input.id = field.id;  // the label and the hints now point at the typing box
    field.id = field.id + "-items";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    var describedBy = field.getAttribute("aria-describedby");
    if (describedBy) { input.setAttribute("aria-describedby", describedBy); }
    var options = document.createElement("ul");
    options.className = "tag-options";
    options.id = "tag-options-" + number;
    options.setAttribute("role", "listbox");
    options.hidden = true;
    input.setAttribute("aria-controls", options.id);
    field.hidden = true;
    field.parentNode.insertBefore(box, field);
    box.appendChild(list);
    box.appendChild(input);
    box.appendChild(options);
    var active = -1, pending = null, asked = "";

    function save() { field.value = tags.join("、"); }

    function draw() {
      list.textContent = "";
      tags.forEach(function (tag, index) {
        var item = document.createElement("li");
        item.appendChild(document.createTextNode(tag));
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "tag-remove";
        remove.textContent = "×";
        remove.setAttribute("aria-label", removeLabel + " " + tag);
        remove.addEventListener("click", function () {
          tags.splice(index, 1); save(); draw(); input.focus();
        });
        item.appendChild(remove);
        list.appendChild(item);
      });
    }

    function add(text) {
      text.split(SEPARATORS).forEach(function (tag) {
        tag = tag.trim();
        var known = tags.some(function (t) { return t.toLowerCase() === tag.toLowerCase(); });
        if (tag && !known) { tags.push(tag); }
      });
      input.value = ""; save(); draw(); close();
    }

    function close() {
      options.hidden = true; options.textContent = ""; active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function show(found) {
      found = found.filter(function (suggestion) {  // not those already chosen
        return !tags.some(function (t) { return t.toLowerCase() === suggestion.value.toLowerCase(); });
      });
      options.textContent = "";
      active = -1;
      found.forEach(function (suggestion, index) {
        var option = document.createElement("li");
        option.id = options.id + "-" + index;
        option.setAttribute("role", "option");
        option.setAttribute("aria-label", suggestion.value);  // the hint is for the eye
        option.textContent = suggestion.value;
        if (suggestion.hint && suggestion.hint !== suggestion.value) {
          var hint = document.createElement("small");
          hint.textContent = suggestion.hint;
          option.appendChild(hint);
        }
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();  // keep the focus in the box
          add(suggestion.value);
        });
        options.appendChild(option);
      });
      options.hidden = !found.length;
      input.setAttribute("aria-expanded", String(Boolean(found.length)));
    }

    function highlight(step) {
      var items = options.querySelectorAll("[role=option]");
      if (!items.length) { return; }
      if (active >= 0) { items[active].removeAttribute("aria-selected"); }
      active = (active + step + items.length) % items.length;
      items[active].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", items[active].id);
    }

    function ask() {
      var typed = input.value.trim();
      if (!url || !typed || typed === asked) { if (!typed) { close(); } return; }
      asked = typed;
      fetch(url + "?q=" + encodeURIComponent(typed), {credentials: "same-origin"})
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (found) { if (input.value.trim() === typed) { show(found); } })
        .catch(close);
    }

    input.addEventListener("input", function () {
      if (SEPARATORS.test(input.value)) { add(input.value); return; }
      clearTimeout(pending);
      pending = setTimeout(ask, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault(); highlight(event.key === "ArrowDown" ? 1 : -1);
      } else if (event.key === "Enter") {
        if (!input.value.trim() && active < 0) { return; }  // submits the form as usual
        event.preventDefault();
        var items = options.querySelectorAll("[role=option]");
        add(active >= 0 ? items[active].firstChild.textContent : input.value);
      } else if (event.key === "Escape") {
        close();
      } else if (event.key === "Backspace" && !input.value && tags.length) {
        tags.pop(); save(); draw();
      }
    });
    input.addEventListener("blur", function () {
      if (input.value.trim()) { add(input.value); } else { close(); }
    });
    draw();
  }

  function ready() {
    var fields = document.querySelectorAll("[data-tags]");
    for (var i = 0; i < fields.length; i++) { enhance(fields[i], i); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();

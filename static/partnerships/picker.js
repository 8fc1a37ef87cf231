// The agreement filter as a box that narrows the agreements as you type: the page
// renders a plain <select> (which works without this file); here it gains a text box
// with a <datalist> of the same agreements, and the select, hidden, still sends the id.
(function () {
  "use strict";

  function enhance(select) {
    if (select.dataset.pickerReady || !select.id) { return; }
    select.dataset.pickerReady = "1";
    var choices = [];
    Array.prototype.forEach.call(select.options, function (option) {
      if (option.value) { choices.push({ text: option.text.trim(), value: option.value }); }
    });

    var input = document.createElement("input");
    input.type = "search";
    input.id = select.id + "-search";
    input.className = select.className.replace("form-select", "form-control");
    input.setAttribute("list", select.id + "-choices");
    input.setAttribute("autocomplete", "off");
    input.placeholder = select.dataset.pickerPlaceholder || "";
    var list = document.createElement("datalist");
    list.id = select.id + "-choices";
    choices.forEach(function (choice) {
      var option = document.createElement("option");
      option.value = choice.text;
      list.appendChild(option);
    });
    if (select.value && select.selectedIndex >= 0) {
      input.value = select.options[select.selectedIndex].text.trim();
    }

    // The agreement typed in full, or the only one whose reference or title holds
    // what was typed; nothing typed is any agreement.
    function sync() {
      var typed = input.value.trim().toLowerCase();
      var found = null;
      if (typed) {
        var matches = choices.filter(function (choice) {
          return choice.text.toLowerCase().indexOf(typed) !== -1;
        });
        found = matches.filter(function (choice) { return choice.text.toLowerCase() === typed; })[0] ||
          (matches.length === 1 ? matches[0] : null);
      }
      select.value = found ? found.value : "";
      input.setCustomValidity(typed && !found ? (select.dataset.pickerInvalid || "") || " " : "");
    }
    input.addEventListener("input", sync);
    input.addEventListener("change", sync);

    var label = document.querySelector('label[for="' + select.id + '"]');
    if (label) { label.setAttribute("for", input.id); }
    select.hidden = true;
    select.tabIndex = -1;
    select.parentNode.insertBefore(input, select);
    select.parentNode.insertBefore(list, select);
  }

  document.querySelectorAll("select[data-picker]").forEach(enhance);
})();

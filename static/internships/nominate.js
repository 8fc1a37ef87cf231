// The nominate form on a placement's page: a box that filters the students' checkboxes
// as you type, a button that ticks the ones shown, and a count of those ticked. The form
// works without it.
(function () {
  "use strict";

  function enhance(form) {
    var tools = form.querySelector("[data-student-tools]");
    var filter = form.querySelector("[data-student-filter]");
    var selectShown = form.querySelector("[data-student-select-shown]");
    var count = form.querySelector("[data-student-count]");
    var choices = Array.prototype.slice.call(form.querySelectorAll("[data-student-choice]"));
    if (!tools || !choices.length) { return; }
    tools.classList.remove("d-none");

    function box(choice) { return choice.querySelector("input[type=checkbox]"); }

    function showCount() {
      var ticked = choices.filter(function (choice) { return box(choice).checked; }).length;
      count.textContent = ticked ? ticked + " ✓" : "";
    }

    filter.addEventListener("input", function () {
      var text = filter.value.trim().toLowerCase();
      choices.forEach(function (choice) {
        var label = choice.textContent.toLowerCase();
        choice.hidden = Boolean(text) && !box(choice).checked && label.indexOf(text) === -1;
      });
    });
    selectShown.addEventListener("click", function () {
      choices.forEach(function (choice) {
        if (!choice.hidden) { box(choice).checked = true; }
      });
      showCount();
    });
    form.addEventListener("change", showCount);
    showCount();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-testid=nominate-form]").forEach(enhance);
  });
})();

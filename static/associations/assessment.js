// The assessment form: "Add a criterion" rows, and the overall score shown live as the
// rubric is filled in. The page works without this file (the score is computed on save).
//
// The score is Σ(weight × score ÷ highest) ÷ Σweight × 100, rounded half up to the
// hundredth, computed exactly as the server does: weights and scores are read as whole
// hundredths and the sum is kept as a fraction of big integers until the one rounding.
(function () {
  "use strict";
  var form = document.querySelector("form[data-rubric]");
  if (!form) { return; }
  var rows = form.querySelector("[data-criteria-rows]");
  var template = form.querySelector("template[data-criterion-template]");
  var total = form.querySelector("input[name='criteria-TOTAL_FORMS']");
  var maximum = form.querySelector("input[name='criteria-MAX_NUM_FORMS']");
  var addButton = form.querySelector("[data-add-criterion]");
  var output = form.querySelector("[data-live-score]");
  var note = form.querySelector("[data-live-note]");

  function hundredths(text) {
    var match = /^\s*(\d{1,3})(?:[.,](\d{1,2}))?\s*$/.exec(text || "");
    if (!match) { return null; }
    return BigInt(match[1]) * 100n + BigInt(((match[2] || "") + "00").slice(0, 2));
  }

  function wholeNumber(text) {
    var match = /^\s*(\d{1,3})\s*$/.exec(text || "");
    if (!match) { return null; }
    var value = BigInt(match[1]);
    return value >= 1n && value <= 100n ? value : null;
  }

  function gcd(a, b) { while (b) { var t = a % b; a = b; b = t; } return a; }

  function field(row, name) {
    var input = row.querySelector("[data-criterion='" + name + "']");
    return input ? input.value.trim() : "";
  }

  function update() {
    if (!output) { return; }
    var criteria = [];
    var unreadable = false;
    rows.querySelectorAll("[data-criterion-row]").forEach(function (row) {
      var blank = ["name", "weight", "score", "comment"].every(function (name) { return !field(row, name); });
      if (blank) { return; }
      var weight = hundredths(field(row, "weight"));
      var highest = wholeNumber(field(row, "max_score") || "10");
      var score = field(row, "score") ? hundredths(field(row, "score")) : undefined;
      if (weight === null || weight < 1n || weight > 10000n || highest === null || score === null ||
          (score !== undefined && score > highest * 100n)) {
        unreadable = true;
        return;
      }
      criteria.push({ weight: weight, highest: highest, score: score });
    });
    var scored = criteria.filter(function (c) { return c.score !== undefined; }).length;
    if (unreadable || !criteria.length || scored < criteria.length) {
      output.textContent = "—";
      if (note) {
        note.textContent = unreadable ? form.dataset.unreadable || "" :
          (form.dataset.scoredOf || "%(scored)s / %(total)s").replace("%(scored)s", scored).replace("%(total)s", criteria.length);
      }
      return;
    }
    var common = criteria.reduce(function (l, c) { return l / gcd(l, c.highest) * c.highest; }, 1n);
    var numerator = 0n;
    var weights = 0n;
    criteria.forEach(function (c) {
      numerator += 100n * c.weight * c.score * (common / c.highest);
      weights += c.weight;
    });
    var denominator = common * weights;
    var rounded = (2n * numerator + denominator) / (2n * denominator);
    var text = (rounded / 100n).toString() + "." + (rounded % 100n).toString().padStart(2, "0");
    output.textContent = text;
    if (note) { note.textContent = form.dataset.live || ""; }
  }

  function addRow() {
    var index = parseInt(total.value, 10);
    var limit = parseInt(maximum.value, 10);
    if (index >= limit) { addButton.disabled = true; return; }
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    if (index + 1 >= limit) { addButton.disabled = true; }
    var added = rows.lastElementChild.querySelector("input, textarea");
    if (added) { added.focus(); }
  }

  if (addButton && template && total && maximum) {
    addButton.hidden = false;
    addButton.addEventListener("click", addRow);
    if (parseInt(total.value, 10) >= parseInt(maximum.value, 10)) { addButton.disabled = true; }
  }
  rows.addEventListener("input", update);
  update();
})();

// Progressive enhancements; every page works without this file.
(function () {
  "use strict";

  // Ask before destructive buttons carrying data-confirm.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  // Draw charts from the JSON blocks the server renders beside each canvas.
  function drawCharts(root) {
    if (typeof window.Chart === "undefined") { return; }
    var palette = ["#1d4e89", "#2f9e8f", "#f2a541", "#d1495b", "#6c757d", "#8e7dbe", "#66a182", "#9c6644"];
    root.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      if (canvas.dataset.drawn) { return; }
      var source = document.getElementById(canvas.dataset.chart);
      if (!source) { return; }
      var spec = JSON.parse(source.textContent);
      var colors = spec.labels.map(function (_, i) { return palette[i % palette.length]; });
      var stacked = Boolean(spec.stacks && spec.stacks.length);
      // A stacked bar chart: one dataset per part of each bar (released, committed...).
      var datasets = stacked ? spec.stacks.map(function (series, i) {
        return { label: series.label, data: series.values, backgroundColor: palette[i % palette.length] };
      }) : [{
        label: spec.series_label || spec.title,
        data: spec.values,
        backgroundColor: spec.kind === "doughnut" ? colors : palette[0],
      }];
      var valueAxis = { beginAtZero: true, stacked: stacked, ticks: { precision: 0 } };
      var labelAxis = { stacked: stacked };
      var scales = {};
      if (spec.kind === "bar") {
        scales = spec.horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis };
      }
      canvas.dataset.drawn = "1";
      new window.Chart(canvas, {
        type: spec.kind,
        data: { labels: spec.labels, datasets: datasets },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          indexAxis: spec.horizontal ? "y" : "x",
          plugins: { legend: { display: spec.kind === "doughnut" || stacked, position: "bottom" } },
          scales: scales,
        },
      });
    });
  }

  // Long multi-selects (parties, members) get a box that filters their options as you
  // type; chosen options always stay visible.
  function addFilters(root) {
    root.querySelectorAll("select[multiple][data-filter-placeholder]").forEach(function (select) {
      if (select.dataset.filtered || select.options.length < 8) { return; }
      select.dataset.filtered = "1";
      var input = document.createElement("input");
      input.type = "search";
      input.className = "form-control form-control-sm mb-1";
      input.placeholder = select.dataset.filterPlaceholder;
      input.setAttribute("aria-label", select.dataset.filterPlaceholder);
      select.parentNode.insertBefore(input, select);
      input.addEventListener("input", function () {
        var text = input.value.trim().toLowerCase();
        Array.prototype.forEach.call(select.options, function (option) {
          option.hidden = Boolean(text) && !option.selected && option.text.toLowerCase().indexOf(text) === -1;
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { drawCharts(document); addFilters(document); });
  document.body.addEventListener("htmx:afterSwap", function (event) { drawCharts(event.target); });
})();

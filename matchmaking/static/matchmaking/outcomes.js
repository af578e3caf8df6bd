/* Draws each outcome chart with plotly.js from the JSON the page carries beside its table. */
(function () {
  "use strict";
  function draw() {
    if (!window.Plotly) { return; }
    document.querySelectorAll("[data-chart]").forEach(function (box) {
      var source = document.getElementById(box.dataset.chart);
      if (!source) { return; }
      var figure = JSON.parse(source.textContent);
      window.Plotly.newPlot(box, figure.data, figure.layout, {
        responsive: true,
        displaylogo: false,
        locale: document.documentElement.lang || "vi",
        modeBarButtonsToRemove: ["select2d", "lasso2d"]
      }).then(function () { box.dataset.drawn = "true"; });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();

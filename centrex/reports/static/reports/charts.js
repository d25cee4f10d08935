// Charts of the statistics pages: each <canvas data-chart="ID"> draws the JSON of the
// <script type="application/json" id="ID"> next to it ({labels, series, stacked}) as bars.
// No inline script: the portal's Content-Security-Policy allows only files of its own.
(function () {
  "use strict";
  const COLOURS = ["#2f6fb3", "#d9822b", "#7a7a7a", "#3a9a5b", "#a44a9c", "#c0392b"];

  function draw(canvas) {
    const source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof Chart === "undefined") {
      return;
    }
    const data = JSON.parse(source.textContent);
    const stacked = Boolean(data.stacked);
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: data.series.map(function (serie, i) {
          return {label: serie.label, data: serie.data,
                  backgroundColor: COLOURS[i % COLOURS.length]};
        }),
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        scales: {x: {stacked: stacked}, y: {stacked: stacked, beginAtZero: true}},
      },
    });
    canvas.dataset.drawn = "1";
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  });
})();

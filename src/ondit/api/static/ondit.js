/* ondit: draws the story timeline from the JSON the page carries (never from HTML). */
(function () {
  "use strict";
  var holder = document.getElementById("timeline");
  var data = document.getElementById("timeline-data");
  if (!holder || !data || typeof Plotly === "undefined") {
    return;
  }
  var chart = JSON.parse(data.textContent);
  var narrow = window.innerWidth < 600;
  if (narrow) {
    var shorter = function (label) { return chart.short[label] || label; };
    chart.rows = chart.rows.map(shorter);
    chart.traces.forEach(function (t) { t.y = t.y.map(shorter); });
  }
  var layout = {
    height: chart.height,
    margin: { l: 8, r: 8, t: 8, b: 36 },
    showlegend: false,
    hovermode: "closest",
    paper_bgcolor: "rgba(0,0,0,0)",
    plot_bgcolor: "rgba(0,0,0,0)",
    font: { size: narrow ? 9 : 11 },
    xaxis: { type: "date", automargin: true, gridcolor: "#e4e4e4" },
    yaxis: {
      type: "category",
      categoryorder: "array",
      categoryarray: chart.rows,
      automargin: true,
      gridcolor: "#eeeeee"
    }
  };
  var config = { responsive: true, displayModeBar: false };
  Plotly.newPlot(holder, chart.traces, layout, config).then(function () {
    holder.setAttribute("data-rendered", "true");
  });
})();

/* The dashboard's charts, drawn with Chart.js from the JSON each chart's page embeds
   (json_script). The page's tables and CSV downloads carry the same numbers. */
(function () {
  "use strict";

  function faded(hex, alpha) {
    const n = parseInt(hex.slice(1), 16);
    return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
  }

  function valueText(spec, value) {
    if (value === null || value === undefined) return "—";
    if (spec.percent) return `${value}%`;
    if (spec.money) return `US$${Number(value).toFixed(Math.abs(value) < 1 ? 4 : 2)}`;
    return Number(value).toLocaleString("en");
  }

  function config(spec) {
    const horizontal = Boolean(spec.horizontal);
    const valueAxis = horizontal ? "x" : "y";
    const labelAxis = horizontal ? "y" : "x";
    const datasets = spec.datasets.map((set) => ({
      label: set.label,
      data: set.data,
      words: set.words,
      stack: set.stack,
      backgroundColor: set.faded ? faded(set.colour, 0.45) : set.colour,
      borderColor: set.colour,
      borderWidth: spec.type === "line" ? 2 : 0,
      pointRadius: 3,
      spanGaps: true,
      tension: 0.2,
    }));
    const valueTicks = { callback: (value) => valueText(spec, value) };
    const scales = {
      [labelAxis]: { stacked: Boolean(spec.stacked), ticks: { autoSkip: !horizontal } },
      [valueAxis]: {
        stacked: Boolean(spec.stacked),
        beginAtZero: true,
        ticks: valueTicks,
        title: { display: Boolean(spec.yTitle), text: spec.yTitle || "" },
      },
    };
    if (spec.percent) scales[valueAxis].max = 100;
    return {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: scales,
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              label: (item) => {
                const words = item.dataset.words ? ` (${item.dataset.words[item.dataIndex].toLocaleString("en")} words)` : "";
                return `${item.dataset.label}: ${valueText(spec, item.raw)}${words}`;
              },
            },
          },
        },
      },
    };
  }

  // Heights come as data attributes, set here through the DOM: the Content-Security-Policy
  // allows no style attributes in the page.
  document.querySelectorAll(".chart-box[data-height]").forEach((box) => {
    box.style.height = `${Number(box.dataset.height)}px`;
  });
  document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
    const spec = JSON.parse(document.getElementById(canvas.dataset.chart).textContent);
    new window.Chart(canvas, config(spec));
  });
})();

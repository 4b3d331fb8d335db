// Draws the actor-pair timeline from the page's own JSON (the same data /api/dyads returns).
(function () {
  const data = JSON.parse(document.getElementById("dyad-data").textContent);
  const canvas = document.getElementById("dyad-chart");
  if (!window.Chart || !canvas) { return; }
  const periods = data.points.map((p) => p.period);
  const quad = (q) => data.points.map((p) => p.counts[q] || 0);
  const chart = new window.Chart(canvas, {
    data: {
      labels: periods,
      datasets: [
        { type: "bar", label: "verbal cooperation", data: quad("1"), stack: "q", backgroundColor: "#7fb3e6" },
        { type: "bar", label: "material cooperation", data: quad("2"), stack: "q", backgroundColor: "#2f78c4" },
        { type: "bar", label: "verbal conflict", data: quad("3"), stack: "q", backgroundColor: "#f0a060" },
        { type: "bar", label: "material conflict", data: quad("4"), stack: "q", backgroundColor: "#c8432b" },
        { type: "line", label: "mean Goldstein", data: data.points.map((p) => p.mean_goldstein), yAxisID: "g",
          borderColor: "#222", pointRadius: 3 },
      ],
    },
    options: { animation: false, scales: { y: { stacked: true, title: { display: true, text: "events" } },
      g: { position: "right", min: -10, max: 10, title: { display: true, text: "Goldstein" } } } },
  });
  canvas.dataset.points = String(chart.data.datasets.reduce((n, d) => n + d.data.length, 0));
})();

// The page's charts (Chart.js, served by detsim from the Debian package
// libjs-chart.js): the series over time, and one metric per replication.
// Uses $, el and state of app.js (called only once the page has started).
"use strict";

const COLORS = ["#1f5fa8", "#b5651d", "#2e7d32", "#6a1b9a", "#555", "#c62828"];

function drawChart() {
  const result = state.result;
  if (!result || typeof Chart === "undefined") return;
  const m = $("chart-metric").value;
  const datasets = state.names.map((n, i) => ({
    label: n, data: result.regimes[n].per_replication.map((r) => r[m]),
    borderColor: COLORS[i % COLORS.length],
    backgroundColor: "transparent", tension: 0,
  }));
  const labels = datasets[0].data.map((_, i) => i + 1);
  if (state.chart) state.chart.destroy();
  state.chart = new Chart($("chart"), {
    type: "line", data: { labels, datasets },
    options: { animation: false, plugins: { title: { display: true,
      text: `${m.replaceAll("_", " ")}, each replication (x: replication)` } } },
  });
}

// The series of GET api/jobs/ID/series (per day, means over replications,
// summed over facilities) by day or by calendar month: counts are summed
// over the month, stocks (occupancy, open holds) averaged over its days.
const STOCKS = new Set(["occupancy", "holds_active"]);

function seriesPoints(values, start, step) {
  if (step === "day") {
    const labels = values.map((_, d) => isoDay(start, d));
    return { labels, data: values.slice() };
  }
  const labels = [], data = [], days = [];
  values.forEach((v, d) => {
    const month = isoDay(start, d).slice(0, 7);
    if (labels[labels.length - 1] !== month) { labels.push(month); data.push(0); days.push(0); }
    data[data.length - 1] += v;
    days[days.length - 1] += 1;
  });
  return { labels, data, days };
}

function isoDay(start, offset) {
  const t = Date.parse(start + "T00:00:00Z") + offset * 86400000;
  return new Date(t).toISOString().slice(0, 10);
}

function drawSeries() {
  const series = state.series;
  const canvas = $("series-chart");
  if (!series || !series.regimes) return;
  const sel = $("series-field");
  if (!sel.options.length) {
    for (const f of series.fields) sel.append(el("option", { value: f, text: f.replaceAll("_", " ") }));
    sel.value = "holds_active";
  }
  const field = sel.value, step = $("series-step").value;
  const order = state.names || series.regimes.map((r) => r.name);
  const byName = Object.fromEntries(series.regimes.map((r) => [r.name, r.values]));
  let labels = [];
  const datasets = order.filter((n) => byName[n]).map((n, i) => {
    const p = seriesPoints(byName[n][field], series.start, step);
    labels = p.labels;
    const data = STOCKS.has(field) && p.days ? p.data.map((v, k) => v / p.days[k]) : p.data;
    return { label: n, data, borderColor: COLORS[i % COLORS.length], backgroundColor: "transparent",
             pointRadius: step === "day" ? 0 : 2, tension: 0 };
  });
  // What the chart shows, for readers of the page's source and for tests.
  canvas.dataset.field = field;
  canvas.dataset.step = step;
  canvas.dataset.points = String(labels.length);
  canvas.dataset.totals = JSON.stringify(Object.fromEntries(
    datasets.map((d) => [d.label, d.data.reduce((a, b) => a + b, 0)])));
  if (typeof Chart === "undefined") return;
  if (state.seriesChart) state.seriesChart.destroy();
  const how = STOCKS.has(field) ? (step === "day" ? "at the end of each day" : "mean of the days")
                                : (step === "day" ? "each day" : "each month");
  state.seriesChart = new Chart(canvas, {
    type: "line", data: { labels, datasets },
    options: { animation: false, plugins: { title: { display: true,
      text: `${field.replaceAll("_", " ")}, all facilities, ${how} (mean over replications)` } } },
  });
}

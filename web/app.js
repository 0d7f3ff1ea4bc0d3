// The what-if page of `detsim serve`: plain JavaScript, no build step.
// API: docs/api.md. Every input but pasted scenario text is kept in the URL:
//   ?scenario=NAME&policy=A&policy=B&set=PATH=VALUE&reps=N&seed=S
// and opening such a link runs it.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { scenarios: [], policies: [], glossary: {}, info: null, job: null, chart: null,
                extraSets: [], pastedInfo: null };

// Both sides' outcomes, shown side by side with the same prominence.
const SIDES = [
  { title: "Releases despite a detainer, and transfers to ICE",
    metrics: ["released_despite_detainer", "released_despite_detainer_convicted",
              "rebookings_after_release_despite_detainer", "at_large_arrests", "declined",
              "transfers"] },
  { title: "Holds and their costs",
    metrics: ["honored", "citizens_held", "hold_hours", "lapsed", "hold_cost",
              "detention_cost"] },
];

async function getJson(url, options) {
  const res = await fetch(url, options);
  const text = await res.text();
  let body = null;
  try { body = JSON.parse(text); } catch (e) { body = { error: text }; }
  return { status: res.status, body, text };
}

function fmt(x, digits) {
  if (x === null || x === undefined || Number.isNaN(x)) return "–";
  const d = digits !== undefined ? digits : (Math.abs(x) >= 100 ? 0 : Math.abs(x) >= 1 ? 1 : 3);
  return x.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: 0 });
}

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "text") e.textContent = v; else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

// ---- Inputs ----------------------------------------------------------------------

function source() {
  return document.querySelector('input[name="source"]:checked').value;
}

function currentInfo() {
  if (source() === "pasted") return state.pastedInfo;
  return state.scenarios.find((s) => s.id === $("scenario").value) || null;
}

function policySelect(value) {
  const row = el("div", { class: "policy-row" });
  const sel = el("select", { class: "policy", "aria-label": "policy" });
  for (const p of state.policies) {
    const o = el("option", { value: p.name, text: p.name, title: p.description });
    sel.append(o);
  }
  if (value) sel.value = value;
  const remove = el("button", { type: "button", text: "Remove" });
  remove.addEventListener("click", () => { row.remove(); });
  row.append(sel, " ", remove);
  $("policies").append(row);
}

function chosenPolicies() {
  return [...document.querySelectorAll("select.policy")].map((s) => s.value);
}

function renderKnobs(info, sets) {
  const box = $("knobs");
  box.textContent = "";
  if (!info) return;
  for (const k of info.knobs) {
    const id = "knob-" + k.path;
    const given = sets[k.path];
    const value = given !== undefined ? (given === "null" ? 0 : Number(given)) : k.value;
    const input = el("input", { type: "range", id, min: k.min, max: Math.max(k.max, value),
                                step: k.step, value, "data-path": k.path,
                                "data-default": k.value });
    const out = el("output", { for: id, text: fmt(value, 3) });
    input.addEventListener("input", () => { out.textContent = fmt(Number(input.value), 3); });
    box.append(el("div", { class: "knob" }, el("label", { for: id, text: k.label }), input, out));
  }
  const knobPaths = new Set(info.knobs.map((k) => k.path));
  state.extraSets = Object.entries(sets).filter(([p]) => !knobPaths.has(p))
    .map(([p, v]) => p + "=" + v);
  if (state.extraSets.length)
    box.append(el("p", { class: "note", text: "Also set by the link: " + state.extraSets.join(", ") }));
}

// PATH=VALUE for every slider moved away from the scenario's value, then the
// link's other settings.
function chosenSets() {
  const sets = [];
  for (const input of document.querySelectorAll("#knobs input[type=range]")) {
    if (Number(input.value) === Number(input.dataset.default)) continue;
    const v = input.dataset.path === "ice.pickup.teams" && Number(input.value) === 0
      ? "null" : input.value;
    sets.push(input.dataset.path + "=" + v);
  }
  return sets.concat(state.extraSets);
}

function showScenario() {
  const info = currentInfo();
  $("scenario-description").textContent = info ? info.description : "";
  if (info && !$("seed").value) $("seed").value = info.seed;
  renderKnobs(info, {});
}

// ---- Pasted scenarios ------------------------------------------------------------

function updateGutter(badLines) {
  const n = $("yaml").value.split("\n").length;
  const lines = [];
  for (let i = 1; i <= n; ++i) lines.push((badLines.has(i) ? "▶ " : "") + i);
  $("gutter").textContent = lines.join("\n");
}

async function validate() {
  const r = await getJson("api/validate", { method: "POST", body: $("yaml").value,
                                            headers: { "Content-Type": "text/plain" } });
  showErrors(r.body.errors || (r.status === 200 ? [] : [{ message: r.body.error }]));
  state.pastedInfo = r.body.ok ? r.body.scenario : null;
  if (r.body.ok) {
    if (!$("seed").value) $("seed").value = r.body.scenario.seed;
    renderKnobs(state.pastedInfo, {});
  }
  return r.body.ok === true;
}

function showErrors(errors) {
  const list = $("yaml-errors");
  list.textContent = "";
  const bad = new Set();
  for (const e of errors) {
    const where = e.line ? `line ${e.line}, column ${e.column}: ` : "";
    const li = el("li", { text: where + (e.key ? e.key + ": " : "") + e.message });
    if (e.line) { li.dataset.line = e.line; bad.add(e.line); }
    list.append(li);
  }
  updateGutter(bad);
}

// ---- Running ---------------------------------------------------------------------

function request() {
  const body = { policies: chosenPolicies(), set: chosenSets() };
  if (source() === "pasted") body.yaml = $("yaml").value; else body.scenario = $("scenario").value;
  const reps = parseInt($("reps").value, 10);
  if (!Number.isNaN(reps)) body.reps = reps;
  const seed = parseInt($("seed").value, 10);
  if (!Number.isNaN(seed)) body.seed = seed;
  return body;
}

function linkFor(body) {
  if (body.yaml !== undefined) return null;
  const q = new URLSearchParams();
  q.append("scenario", body.scenario);
  for (const p of body.policies) q.append("policy", p);
  for (const s of body.set) q.append("set", s);
  if (body.reps !== undefined) q.append("reps", body.reps);
  if (body.seed !== undefined) q.append("seed", body.seed);
  return location.pathname + "?" + q.toString();
}

function setStatus(text) { $("status").textContent = text; }

async function run(event) {
  if (event) event.preventDefault();
  if (state.job) return;
  const body = request();
  if (body.policies.length < 2) { setStatus("Choose two or more policies."); return; }
  if (body.yaml !== undefined && !(await validate())) { setStatus("The scenario has an error."); return; }
  const link = linkFor(body);
  if (link) {
    history.replaceState(null, "", link);
    $("share").href = link;
    $("share").textContent = location.origin + link;
  } else {
    $("share").removeAttribute("href");
    $("share").textContent = "(none: a pasted scenario is never put in a link)";
  }
  $("results").dataset.state = "running";
  const start = await getJson("api/jobs", { method: "POST", body: JSON.stringify(
    Object.assign({ kind: "compare", series: true }, body)), headers: { "Content-Type": "application/json" } });
  if (start.status !== 202) {
    $("results").dataset.state = "error";
    setStatus(`Not run (${start.status}): ${start.body.error}`);
    if (body.yaml !== undefined && start.body.errors) showErrors(start.body.errors);
    return;
  }
  state.job = start.body.id;
  $("cancel").disabled = false;
  $("run").disabled = true;
  $("progress").hidden = false;
  const t0 = performance.now();
  try {
    for (;;) {
      const s = await getJson("api/jobs/" + state.job);
      if (s.status !== 200) throw new Error(s.body.error);
      $("progress").max = Math.max(1, s.body.total);
      $("progress").value = s.body.finished;
      setStatus(`${s.body.finished} of ${s.body.total} replications`);
      if (s.body.state === "done") break;
      if (s.body.state !== "running") {
        $("results").dataset.state = s.body.state;
        setStatus(s.body.state === "cancelled" ? "Cancelled." : `Stopped: ${s.body.error}`);
        return;
      }
      await new Promise((r) => setTimeout(r, 150));
    }
    const doc = await fetch("api/jobs/" + state.job + "/result").then((r) => r.text());
    const csv = await fetch("api/jobs/" + state.job + "/csv").then((r) => r.text());
    state.series = await fetch("api/jobs/" + state.job + "/series").then((r) => r.json());
    render(JSON.parse(doc), doc, csv, body);
    setStatus(`Done in ${((performance.now() - t0) / 1000).toFixed(1)} s.`);
  } catch (e) {
    $("results").dataset.state = "error";
    setStatus("Error: " + e.message);
  } finally {
    state.job = null;
    $("cancel").disabled = true;
    $("run").disabled = false;
    $("progress").hidden = true;
  }
}

async function cancel() {
  if (state.job) await fetch("api/jobs/" + state.job, { method: "DELETE" });
}

// ---- Results ---------------------------------------------------------------------

function regimeOrder(result, policies) {
  const names = Object.keys(result.regimes);
  const pos = (n) => { const i = policies.indexOf(n.split("#")[0]); return i < 0 ? 99 : i; };
  names.sort((a, b) => (a === result.baseline ? -1 : b === result.baseline ? 1 : pos(a) - pos(b)));
  return names;
}

function metricLabel(name) {
  const g = state.glossary[name];
  const span = el("span", { class: "metric-name", text: name.replaceAll("_", " ") });
  if (g) span.title = `${g.definition} Unit: ${g.unit}.`;
  return span;
}

function metricTable(result, names, metrics) {
  const table = el("table");
  const head = el("tr", {}, el("th", { text: "metric" }));
  for (const n of names) head.append(el("th", { text: n + (n === result.baseline ? " (baseline)" : "") }));
  for (const n of names.slice(1)) head.append(el("th", { text: `${n} − ${result.baseline}` }));
  table.append(head);
  for (const m of metrics) {
    const base = result.regimes[result.baseline].metrics[m];
    if (!base) continue;
    const values = {};
    const row = el("tr", { "data-metric": m }, el("td", {}, metricLabel(m)));
    for (const n of names) {
      const s = result.regimes[n].metrics[m];
      values[n] = s.mean;
      row.append(el("td", { "data-regime": n, "data-mean": s.mean },
        el("span", { class: "mean", text: fmt(s.mean) }),
        el("span", { class: "ci", text: `95%: ${fmt(s.ci95[0])} to ${fmt(s.ci95[1])}` })));
    }
    for (const n of names.slice(1)) {
      const d = result.differences[n][m];
      if (!d) { row.append(el("td")); continue; }
      const rel = d.relative === null || d.relative === undefined ? "" :
        ` (${d.relative > 0 ? "+" : ""}${fmt(100 * d.relative, 1)}%)`;
      row.append(el("td", { "data-difference": n, "data-mean": d.mean },
        el("span", { class: "mean", text: (d.mean > 0 ? "+" : "") + fmt(d.mean) + rel }),
        el("span", { class: "ci", text: `95%: ${fmt(d.ci95[0])} to ${fmt(d.ci95[1])}` })));
    }
    row.dataset.values = JSON.stringify(values);
    table.append(row);
  }
  return table;
}

function download(name, text, type) {
  const a = el("a", { download: name, text: name });
  a.href = URL.createObjectURL(new Blob([text], { type }));
  return a;
}

function render(result, doc, csv, body) {
  const names = regimeOrder(result, body.policies);
  const shown = new Set();
  const sides = $("sides");
  sides.textContent = "";
  for (const side of SIDES) {
    const metrics = side.metrics.filter((m) => result.regimes[result.baseline].metrics[m]);
    metrics.forEach((m) => shown.add(m));
    sides.append(el("div", { class: "side" }, el("h2", { text: side.title }),
                    metricTable(result, names, metrics)));
  }
  const rest = Object.keys(result.regimes[result.baseline].metrics).filter((m) => !shown.has(m));
  $("all-metrics").textContent = "";
  $("all-metrics").append(metricTable(result, names, rest));

  // Caption: what was run, and which inputs are illustrative.
  const info = currentInfo();
  const changed = body.set.length ? ` Changed on this page: ${body.set.join(", ")}.` : "";
  const illus = info && info.illustrative.length
    ? ` Inputs marked illustrative in the scenario (assumptions, not measurements): ${info.illustrative.join(", ")}.`
    : "";
  $("caption").textContent =
    `Scenario ${result.regimes[result.baseline].scenario}; policies ${names.join(", ")} ` +
    `(baseline ${result.baseline}); ${result.replications} replications, seed ${result.seed}, ` +
    `the same simulated people under each policy. Means with 95% intervals; differences are ` +
    `paired replication by replication.${changed}${illus}`;

  // Chart: one metric per replication, a line per policy.
  const sel = $("chart-metric");
  const keep = sel.value || "released_despite_detainer";
  sel.textContent = "";
  for (const m of Object.keys(result.regimes[result.baseline].per_replication[0] || {}))
    sel.append(el("option", { value: m, text: m.replaceAll("_", " ") }));
  sel.value = keep;
  state.result = result;
  state.names = names;
  drawChart();
  drawSeries();

  const base = result.regimes[result.baseline];
  const dl = $("downloads");
  dl.textContent = "Downloads: ";
  dl.append(download("compare.json", doc, "application/json"), " ",
            download("metrics.csv", csv, "text/csv"), " ",
            download(`${base.scenario}.resolved.yaml`, base.resolved_scenario, "text/yaml"),
            el("br"),
            `To reproduce with the command-line tool: detsim compare ${base.scenario}.resolved.yaml ` +
            names.map((n) => "--policy " + n.split("#")[0]).join(" ") + " --json");
  $("results").dataset.state = "done";
}

// ---- Start -----------------------------------------------------------------------

async function init() {
  const [sc, po, me] = await Promise.all(
    ["api/scenarios", "api/policies", "api/metrics"].map((u) => getJson(u)));
  state.scenarios = sc.body;
  state.policies = po.body;
  for (const m of me.body) state.glossary[m.name] = m;
  for (const s of state.scenarios)
    $("scenario").append(el("option", { value: s.id, text: s.name }));

  const q = new URLSearchParams(location.search);
  if (q.get("scenario")) $("scenario").value = q.get("scenario");
  if (q.get("reps")) $("reps").value = q.get("reps");
  if (q.get("seed")) $("seed").value = q.get("seed");
  const policies = q.getAll("policy");
  for (const p of (policies.length ? policies : ["cooperative", "sanctuary"])) policySelect(p);
  const sets = {};
  for (const s of q.getAll("set")) {
    const i = s.indexOf("=");
    if (i > 0) sets[s.slice(0, i)] = s.slice(i + 1);
  }
  showScenario();
  renderKnobs(currentInfo(), sets);

  $("scenario").addEventListener("change", () => { $("seed").value = ""; showScenario(); });
  for (const r of document.querySelectorAll('input[name="source"]'))
    r.addEventListener("change", () => {
      $("paste-area").hidden = source() !== "pasted";
      $("scenario").disabled = source() === "pasted";
      $("seed").value = "";
      if (source() === "pasted") renderKnobs(state.pastedInfo, {}); else showScenario();
    });
  $("yaml").addEventListener("input", () => updateGutter(new Set()));
  $("yaml").addEventListener("scroll", () => { $("gutter").scrollTop = $("yaml").scrollTop; });
  $("validate").addEventListener("click", validate);
  $("add-policy").addEventListener("click", () => policySelect());
  $("reset-knobs").addEventListener("click", () => renderKnobs(currentInfo(), {}));
  $("inputs").addEventListener("submit", run);
  $("cancel").addEventListener("click", cancel);
  $("chart-metric").addEventListener("change", drawChart);
  $("series-field").addEventListener("change", drawSeries);
  $("series-step").addEventListener("change", drawSeries);
  updateGutter(new Set());

  if (q.get("scenario") && policies.length >= 2) run();
}

init();

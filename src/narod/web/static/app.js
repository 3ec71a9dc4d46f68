// The explorer page: no libraries, a canvas for the map and one for the chart.
"use strict";
let META = null;

// The map, calendar and sites of the scenario picked now (each episode has its own).
function episode() { return META.scenarios[document.getElementById("scenario").value].episode; }

async function init() {
  META = await (await fetch("/api/scenarios")).json();
  const select = document.getElementById("scenario");
  for (const name of Object.keys(META.scenarios)) select.add(new Option(name, name));
  select.addEventListener("change", () => {
    buildSliders(); buildVariants();
    document.querySelectorAll(".panel").forEach((panel) => { drawMap(panel, null); drawChart(panel, []); });
  });
  buildSliders();
  for (const slot of ["a", "b"]) makePanel(slot);
  buildVariants();
}

function buildSliders() {
  const box = document.getElementById("sliders");
  box.innerHTML = "";
  const scenario = META.scenarios[document.getElementById("scenario").value];
  const defaults = scenario.defaults;
  for (const [key, s] of Object.entries(scenario.sliders)) {
    const label = document.createElement("label");
    const value = key === "city.scale" ? 0.01 : defaults[key];
    label.innerHTML = `<span>${s.label} <output></output></span>`;
    const input = document.createElement("input");
    Object.assign(input, { type: "range", min: s.min, max: s.max, step: s.step, value });
    input.dataset.key = key;
    const out = label.querySelector("output");
    out.textContent = input.value;
    input.addEventListener("input", () => { out.textContent = input.value; });
    label.appendChild(input);
    box.appendChild(label);
  }
}

function buildVariants() {
  const variants = META.scenarios[document.getElementById("scenario").value].variants;
  document.querySelectorAll(".variant").forEach((select) => {
    select.length = 1;
    for (const v of variants) select.add(new Option(v, v));
  });
}

function makePanel(slot) {
  const panel = document.getElementById(`panel-${slot}`);
  panel.appendChild(document.getElementById("panel-template").content.cloneNode(true));
  panel.querySelector(".slot").textContent = `Run ${slot.toUpperCase()}`;
  if (slot === "b") panel.querySelector(".variant").dataset.prefer = "loyal-garrison";
  panel.querySelector(".run").addEventListener("click", () => startRun(panel));
  drawMap(panel, null);
  drawChart(panel, []);
}

async function startRun(panel) {
  const status = panel.querySelector(".status");
  const params = {};
  document.querySelectorAll("#sliders input").forEach((i) => { params[i.dataset.key] = Number(i.value); });
  const body = {
    scenario: document.getElementById("scenario").value,
    variant: panel.querySelector(".variant").value || null,
    seed: Number(document.getElementById("seed").value || 0),
    params,
  };
  status.className = "status"; status.textContent = "starting...";
  panel.querySelector(".log").innerHTML = "";
  panel.querySelector(".downloads").innerHTML = "";
  const response = await fetch("/api/runs", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const answer = await response.json();
  if (!response.ok) { showError(panel, answer.detail); return; }
  status.textContent = `running ${answer.name}`;
  const history = [];
  let pending = null;
  const source = new EventSource(`/api/runs/${answer.id}/stream`);
  source.onmessage = (message) => {
    const data = JSON.parse(message.data);
    if (data.type === "frame") {
      history.push({ x: data.x, s: data.series.strike_fraction, m: data.series.garrison_mutinous_fraction });
      addEvents(panel, data.events);
      pending = data;
      return;
    }
    source.close();
    if (data.type === "failed") { showError(panel, data.error); return; }
    status.textContent = `done: ${answer.name}, seed ${body.seed}`;
    panel.querySelector(".downloads").innerHTML =
      `<a class="csv" href="/api/runs/${answer.id}/download.csv" download>series (CSV)</a>` +
      `<a class="parquet" href="/api/runs/${answer.id}/download.parquet" download>series (Parquet)</a>`;
  };
  // Draw at most ten times a second, whatever the pace of the frames.
  const timer = setInterval(() => {
    if (pending) { render(panel, pending, history); pending = null; }
    if (source.readyState === EventSource.CLOSED && !pending) clearInterval(timer);
  }, 100);
}

function showError(panel, text) {
  const status = panel.querySelector(".status");
  status.className = "status error";
  status.textContent = `error: ${typeof text === "string" ? text : JSON.stringify(text)}`;
}

function addEvents(panel, events) {
  const log = panel.querySelector(".log");
  for (const e of events) {
    const li = document.createElement("li");
    li.textContent = `day ${e.day}, ${e.time}, ${e.place}: ${e.text}`;
    log.appendChild(li);
  }
}

function render(panel, frame, history) {
  panel.querySelector(".clock").textContent =
    `${frame.clock}: ${Math.round(frame.series.strikers).toLocaleString()} strikers, ` +
    `${Math.round(frame.series.soldiers_mutinied).toLocaleString()} soldiers mutinied, ` +
    `${Math.round(frame.series.killed).toLocaleString()} killed`;
  drawMap(panel, frame);
  drawChart(panel, history);
}

function project(canvas, lat, lon) {
  const [west, south, east, north] = episode().box;
  const x = (lon - west) / (east - west) * canvas.width;
  const y = (north - lat) / (north - south) * canvas.height;
  return [x, y];
}

function drawWater(canvas, ctx) {
  const ep = episode();
  ctx.fillStyle = ep.water ? "#b9d3ea" : "#f4f1ea";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  if (!ep.water) return;
  const path = (ring) => { ctx.beginPath(); ring.forEach(([lon, lat], i) => { const [x, y] = project(canvas, lat, lon); i ? ctx.lineTo(x, y) : ctx.moveTo(x, y); }); };
  for (const f of ep.water.features) {
    const g = f.geometry, kind = f.properties.kind;
    if (g.type === "Polygon" || g.type === "MultiPolygon") {
      const polygons = g.type === "Polygon" ? [g.coordinates] : g.coordinates;
      for (const rings of polygons) rings.forEach((ring, k) => {
        path(ring); ctx.fillStyle = (kind === "land") === (k === 0) ? "#f4f1ea" : "#b9d3ea"; ctx.fill();
      });
    } else if (g.type === "LineString" && kind === "river") {
      ctx.strokeStyle = "#9cc3e4"; ctx.lineCap = "round"; ctx.lineWidth = 6; path(g.coordinates); ctx.stroke();
    }
  }
}

function drawMap(panel, frame) {
  const canvas = panel.querySelector(".map");
  const ctx = canvas.getContext("2d");
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  drawWater(canvas, ctx);
  for (const p of episode().places) {
    const [x, y] = project(canvas, p.lat, p.lon);
    ctx.fillStyle = { factory: "#b9a37a", barracks: "#8a9a5b", bridge: "#555", district: "#999" }[p.kind] || "#ccc";
    ctx.fillRect(x - 1.5, y - 1.5, 3, 3);
  }
  if (!frame) return;
  const rows = frame.sites;  // [crowd, women, armed, police, riders, soldiers, mutineers] x site
  episode().sites.forEach((site, i) => {
    const [x, y] = project(canvas, site.lat, site.lon);
    const crowd = rows[0][i];
    if (crowd > 0) {
      const women = rows[1][i] / crowd;
      ctx.beginPath();
      ctx.arc(x, y, Math.sqrt(crowd) * 0.08, 0, 2 * Math.PI);
      ctx.fillStyle = `rgba(${Math.round(80 + 175 * women)}, 80, ${Math.round(220 - 160 * women)}, 0.45)`;
      ctx.fill();
      if (rows[2][i] / crowd > 0.1) { ctx.strokeStyle = "#c00"; ctx.lineWidth = 2; ctx.stroke(); }
    }
    const marks = [[3, "#1f3b8f", 6], [4, "#e08a00", -6], [5, "#225522", 12], [6, "#dd1111", -12]];
    for (const [row, colour, dx] of marks) {
      const n = rows[row][i];
      if (n > 0) { ctx.fillStyle = colour; const r = Math.min(14, Math.max(2, Math.sqrt(n) * 0.12)); ctx.fillRect(x + dx - r / 2, y - r / 2, r, r); }
    }
  });
}

function drawChart(panel, history) {
  const canvas = panel.querySelector(".chart");
  const ctx = canvas.getContext("2d");
  const w = canvas.width, h = canvas.height;
  ctx.clearRect(0, 0, w, h);
  const labels = episode().days, n = labels.length;
  ctx.strokeStyle = "#ddd"; ctx.fillStyle = "#666"; ctx.font = "10px sans-serif";
  for (let d = 0; d <= n; d++) {
    const x = d / n * w;
    ctx.beginPath(); ctx.moveTo(x, 0); ctx.lineTo(x, h); ctx.stroke();
    if (d < n) ctx.fillText(labels[d], x + 4, h - 4);
  }
  const line = (key, colour) => {
    ctx.strokeStyle = colour; ctx.lineWidth = 2; ctx.beginPath();
    history.forEach((p, i) => { const x = p.x / n * w, y = h - 14 - p[key] * (h - 24); i ? ctx.lineTo(x, y) : ctx.moveTo(x, y); });
    ctx.stroke();
  };
  line("s", "#1f77b4"); line("m", "#d62728");
  ctx.fillStyle = "#1f77b4"; ctx.fillText("strike share of workers", 6, 12);
  ctx.fillStyle = "#d62728"; ctx.fillText("mutinous share of garrison", 150, 12);
  const last = history[history.length - 1];
  panel.querySelector(".chart-days").textContent = last ? `shown: day ${Math.min(n, Math.floor(last.x) + 1)} of ${n}` : "";
}

init();
